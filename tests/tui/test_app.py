"""AgentDeckApp assembled: panes, routing, backend start-up and shutdown, keymap, palette, theme."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Button, DataTable, OptionList

from app.config import resolve_settings
from app.tui.app import AgentDeckApp
from app.tui.messages import SessionsChanged
from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.environment_form import EnvironmentForm
from app.tui.screens.help import HelpScreen
from app.tui.screens.rename import RenameScreen
from app.tui.screens.session_form import SessionFormScreen
from app.tui.state import STATE_FILE_NAME
from app.tui.widgets.environments import EnvironmentsPane
from app.tui.widgets.sessions import SessionsPane
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for


class RecordingApp(AgentDeckApp):
    """The real app, keeping every notification it shows."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.notices: list[tuple[str, str]] = []

    def notify(self, message, *, severity="information", **options) -> None:
        self.notices.append((severity, str(message)))
        super().notify(message, severity=severity, **options)


async def connected(pilot) -> None:
    await wait_for(pilot, lambda: pilot.app.backend is not None, "the backend")


def pane_of(app: AgentDeckApp):
    focused = app.focused
    return next((pane for pane in app.main_screen.panes if focused is pane or pane in focused.ancestors), None)


async def focus_environments(pilot) -> None:
    """Focus starts on the sessions pane; the environments pane is one shift+tab up."""
    await pilot.press("shift+tab")
    assert isinstance(pane_of(pilot.app), EnvironmentsPane)


async def test_three_panes_and_the_backend_in_the_header(settings, seed):
    seed.environment("dev")
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        assert app.sub_title == "connecting…"  # first frame before the backend is up
        await connected(pilot)
        await wait_for(pilot, lambda: "dev" in screen_text(app), "the environment list")
        await wait_for(pilot, lambda: app.query("SessionsPane, ChatView"), "the panes")
        for pane in ("EnvironmentsPane", "SessionsPane", "ChatView"):
            widget = app.query_one(pane)
            assert widget.region.width > 20 and widget.region.height > 5
        env, sessions, chat = (app.query_one(p).region for p in ("EnvironmentsPane", "SessionsPane", "ChatView"))
        assert env.x == sessions.x < chat.x and env.y < sessions.y
        text = screen_text(app)
        assert f"Agent API · {settings.base_url}" in text.splitlines()[0]  # painted with the list
        for title in ("Environments", "Sessions", "Chat"):
            assert title in text
        await wait_for(pilot, lambda: "q Quit" in screen_text(app) and "? Help" in screen_text(app), "the footer")


async def test_no_api_key_starts_the_embedded_runtime_and_says_so(tmp_path):
    settings = resolve_settings(data_dir=tmp_path / "empty", config_path=tmp_path / "none.toml", environ={})
    assert settings.api_key is None
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        assert app.backend.embedded is not None
        header = lambda: screen_text(app).splitlines()[0]  # noqa: E731
        await wait_for(pilot, lambda: "embedded runtime (no API key)" in header(), "the header to say so")
        await wait_for(pilot, lambda: "No environments yet." in screen_text(app), "the empty environment list")
        base_url = app.backend.base_url
    assert (tmp_path / "empty" / "runtime").is_dir()
    with pytest.raises(httpx.TransportError):  # closed with the app
        httpx.get(base_url + "/v1/environments", timeout=2)


async def test_a_runtime_that_cannot_start_is_reported(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data dir should be")
    settings = resolve_settings(data_dir=blocker, config_path=tmp_path / "none.toml", environ={})
    app = RecordingApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.sub_title == "not connected", "the failure")
        assert "Could not connect" in screen_text(app)
        assert any(severity == "error" and "Could not connect" in text for severity, text in app.notices)
        await focus_environments(pilot)
        await pilot.press("n")  # nothing to create against: no crash, no form
        assert not isinstance(app.screen, EnvironmentForm)
        for command in ("Session resources", "Session info", "Export session", "Agents"):
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the command palette")
            await pilot.press(*command)
            await wait_for(pilot, lambda c=command: c in screen_text(app), f"{command} in the palette")
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen is app.main_screen, "the palette to close")
            await wait_for(pilot, lambda: app.notices[-1][1].startswith("Not connected yet"), f"{command}: not yet")
            assert app.notices[-1][0] == "warning"


async def test_routing_environment_to_sessions_to_chat(settings, seed):
    env = seed.environment("dev")
    other = seed.environment("other")
    agent = seed.agent()
    session = seed.session(env, agent, title="In dev")
    seed.session(other, agent, title="Elsewhere")
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        sessions = app.query_one(SessionsPane)
        await wait_for(pilot, lambda: "Elsewhere" in screen_text(app), "every session (All environments)")
        options = app.query_one(EnvironmentsPane).option_list
        await wait_for(pilot, lambda: options.option_count == 3, "the environments")
        await focus_environments(pilot)
        options.highlighted = options.get_option_index(env["id"])
        await wait_for(pilot, lambda: sessions.environment_id == env["id"], "the sessions of dev")
        await wait_for(pilot, lambda: "Elsewhere" not in screen_text(app), "the other session to go")
        await pilot.press("space")  # opens the environment (so does enter): on to its sessions
        assert pane_of(app) is sessions
        await wait_for(pilot, lambda: sessions.selected_session_id == session["id"], "the session row")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main_screen.chat.session_id == session["id"], "the chat")
        assert app.focused.id == "chat-composer"


async def test_a_change_in_the_sessions_refreshes_the_environments(settings, seed):
    """The new session form may create an environment: the environments pane shows it."""
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        await wait_for(pilot, lambda: "No environments yet." in screen_text(app), "the empty list")
        seed.environment("made-with-a-session")
        app.main_screen.sessions.post_message(SessionsChanged())
        await wait_for(pilot, lambda: "made-with-a-session" in screen_text(app), "the new environment")


async def test_only_a_change_to_the_open_session_reloads_the_chat_header(settings, monkeypatch):
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        chat, sessions = app.main_screen.chat, app.main_screen.sessions
        reloaded: list[str | None] = []
        monkeypatch.setattr(chat, "refresh_info", lambda: reloaded.append("header"))
        sessions.post_message(SessionsChanged("sesn_not_open"))
        await pilot.pause()
        assert reloaded == []
        sessions.post_message(SessionsChanged())  # any session may have changed
        await wait_for(pilot, lambda: reloaded == ["header"], "the header reloaded")


async def test_tab_moves_between_panes(settings, seed):
    seed.session(seed.environment("dev"), seed.agent())
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        env, sessions, chat = app.main_screen.panes
        assert pane_of(app) is sessions and isinstance(app.focused, DataTable)  # where a newcomer presses n
        await pilot.press("tab")
        assert pane_of(app) is chat
        await pilot.press("tab")
        assert pane_of(app) is env and isinstance(app.focused, OptionList)
        await pilot.press("tab")
        assert pane_of(app) is sessions and isinstance(app.focused, DataTable)
        await pilot.press("shift+tab")
        assert pane_of(app) is env
        await pilot.press("shift+tab", "shift+tab")
        assert pane_of(app) is sessions


async def test_a_remapped_key_works_and_help_shows_it(settings):
    app = AgentDeckApp(dataclasses.replace(settings, keys={"environments.new": "N", "app.help": "f2"}))
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        await focus_environments(pilot)
        await pilot.press("n")  # the old key does nothing now
        await pilot.pause()
        assert not isinstance(app.screen, EnvironmentForm)
        await pilot.press("N")
        await wait_for(pilot, lambda: isinstance(app.screen, EnvironmentForm), "the form on N")
        await pilot.press("escape")
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help on f2")
        rows = {row.id: row.keys for section in app.screen.sections for row in section.rows}
        assert rows["environments.new"] == "N"
        assert rows["app.help"] == "f2"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main_screen, "back from help")
        palette = {command.help for command in app.get_system_commands(app.screen)}
        assert "N · environments.new" in palette  # the palette shows the remapped key, not n


async def test_an_unknown_binding_id_is_reported_not_fatal(settings):
    app = RecordingApp(dataclasses.replace(settings, keys={"environments.nwe": "N", "app.quit": "ctrl+x"}))
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: any("environments.nwe" in text for _, text in app.notices), "the warning")
        severity, text = next(notice for notice in app.notices if "environments.nwe" in notice[1])
        assert severity == "warning" and "Unknown binding id" in text and str(settings.config_path) in text
        assert "app.quit" not in text
        await connected(pilot)
        await pilot.press("ctrl+x")  # the known entry still applies
        await wait_for(pilot, lambda: not app.is_running, "quit on the remapped key")


async def test_in_an_80_column_terminal_the_left_column_narrows_for_the_chat(settings):
    app = AgentDeckApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await connected(pilot)
        main = app.main_screen
        await wait_for(pilot, lambda: main.chat.size.width > 0, "the chat pane")
        left = main.query_one("#left")
        assert left.outer_size.width == 32 and main.chat.outer_size.width == 48
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: left.outer_size.width == 44, "the wide layout")


async def test_a_resize_across_the_breakpoint_is_laid_out_once_in_the_new_layout(settings):
    """No layout of the new size in the old column widths first (a second or more with a long chat)."""
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        main = app.main_screen
        await wait_for(pilot, lambda: main.chat.size.width > 0, "the chat pane")
        row, left = main.query_one("#main"), main.query_one("#left")
        layouts: list[tuple[int, int]] = []  # (width laid out, left column's width) at each layout
        record = lambda _screen: layouts.append((row.outer_size.width, left.outer_size.width))  # noqa: E731
        main.screen_layout_refresh_signal.subscribe(main, record)
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: left.outer_size.width == 32, "the narrow layout")
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: left.outer_size.width == 44, "the wide layout")
        assert layouts and set(layouts) == {(80, 32), (120, 44)}


async def test_command_palette_has_app_actions_and_every_panes(settings):
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        await focus_environments(pilot)
        commands = list(app.get_system_commands(app.screen))
        titles = [command.title for command in commands]
        for title in ("Change theme", "Help: keys", "Quit", "Environments pane: New", "Main screen: Next pane"):
            assert title in titles
        assert "environments.new" in commands[titles.index("Environments pane: New")].help
        assert titles.index("Environments pane: New") < titles.index("Sessions pane: New")  # the focused pane first
        assert "Session table: Down" not in titles  # moving a cursor elsewhere is not a command
        assert len(titles) == len(set(titles))
        await pilot.press("ctrl+p")
        await pick(pilot, "sessions pane: new", "Sessions pane: New")  # a pane that has no focus
        await wait_for(pilot, lambda: isinstance(app.screen, SessionFormScreen), "the session form from the palette")


async def pick(pilot, query: str, hit: str) -> None:
    """Type ``query`` in the open command palette and run the first hit once it is ``hit``."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")
    await pilot.press(*query)
    hits = pilot.app.screen.query_one(CommandList)
    await wait_for(pilot, lambda: hits.option_count and str(hits.options[0].hit.text) == hit, f"the hit {hit!r}")
    await pilot.press("enter")


async def test_theme_is_remembered_across_runs(settings):
    first = AgentDeckApp(settings)
    async with first.run_test(size=TERMINAL) as pilot:
        assert first.theme == "textual-dark"
        await pilot.press("ctrl+p")
        await pick(pilot, "change theme", "Change theme")
        await pick(pilot, "nord", "nord")
        await wait_for(pilot, lambda: first.theme == "nord", "the theme")
    assert (settings.data_dir / STATE_FILE_NAME).is_file()
    second = AgentDeckApp(settings)
    async with second.run_test(size=TERMINAL) as pilot:
        await pilot.pause()
        assert second.theme == "nord"


async def test_a_broken_state_file_is_ignored_with_a_notice(settings):
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / STATE_FILE_NAME).write_text("{not json")
    app = RecordingApp(dataclasses.replace(settings, theme="gruvbox"))
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        assert app.theme == "gruvbox"  # the config file's theme still applies
        warnings = [text for severity, text in app.notices if severity == "warning"]
        assert any("ignored the remembered UI state" in text for text in warnings)
        app.theme = "nord"
        await pilot.pause()
    assert '"theme": "nord"' in (settings.data_dir / STATE_FILE_NAME).read_text()


async def test_keys_pressed_before_the_panes_are_up_are_kept(settings, seed):
    """A newcomer's n at launch opens the new session form once the sessions pane exists."""
    seed.environment("dev")
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        assert app.backend is None and not app.query(SessionsPane)  # still starting
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionFormScreen), "the new session form")
        assert app.main_screen.sessions.has_focus_within


async def test_every_dialog_has_cancel_first_and_its_action_last(settings, seed):
    """One button order everywhere (GNOME and macOS order: the action on the right, where the eye ends)."""
    env = seed.environment("dev")
    seed.session(env, seed.agent())
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        await wait_for(pilot, lambda: app.main_screen.sessions.selected_session_id, "the session row")
        buttons = {}
        for key, dialog in (
            ("n", SessionFormScreen),
            ("r", RenameScreen),
            ("a", ConfirmScreen),
            ("e", EnvironmentForm),
        ):
            if dialog is EnvironmentForm:
                await focus_environments(pilot)
                await pilot.press("j")  # from "All environments" to dev
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, dialog), dialog.__name__)  # noqa: B023
            buttons[dialog.__name__] = [str(button.label) for button in app.screen.query(Button)]
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is app.main_screen, "back to the main screen")
        assert buttons == {
            "SessionFormScreen": ["Cancel", "Create"],
            "RenameScreen": ["Cancel", "Rename"],
            "ConfirmScreen": ["No", "Archive"],
            "EnvironmentForm": ["Cancel", "Save"],
        }
