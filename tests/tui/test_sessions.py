"""SessionsPane against the embedded runtime over loopback: listing, live statuses, attention, keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rich.text import Text

from app.api.session_watch import PAGE_SIZE
from app.tui.format import age, age_changes
from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.rename import RenameScreen
from app.tui.screens.session_form import SessionFormScreen
from app.tui.widgets.session_rows import rich_colour, session_glyph
from app.tui.widgets.sessions import SessionTable
from tests.tui.conftest import TERMINAL, settings_for
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.sessions_support import PaneApp, frozen_clock, listing


def row_keys(app: PaneApp) -> list[str]:
    return list(app.pane.rows)


def status_of(app: PaneApp, session: dict) -> str | None:
    view = app.pane.rows.get(session["id"])
    return view.status if view else None


def sessions_titled(seed, *titles: str, agent: dict | None = None) -> list[dict]:
    """One session per title, created in that order, in a new environment (with a plain agent unless given)."""
    environment, agent = seed.environment(), agent or seed.agent()
    return [seed.session(environment, agent, title) for title in titles]


def server_session(seed, session: dict) -> dict:
    reply = seed.http.get(f"/v1/sessions/{session['id']}")
    reply.raise_for_status()
    return reply.json()


def test_age_reads_like_a_clock() -> None:
    now = datetime(2026, 5, 2, 12, 0, tzinfo=UTC)

    def ago(**delta: float) -> str:
        return age((now - timedelta(**delta)).isoformat().replace("+00:00", "Z"), now)

    assert [ago(seconds=5), ago(minutes=3), ago(hours=2), ago(days=5), ago(days=120), ago(days=800)] == [
        "now",
        "3m",
        "2h",
        "5d",
        "17w",
        "2y",
    ]
    assert ago(seconds=-30) == "now"  # a server clock slightly ahead


@pytest.mark.parametrize("seconds", [-30, 0, 59, 60, 3599, 3600, 86399, 86400 * 99 + 5, 604800 * 99, 86400 * 800])
def test_an_age_is_redrawn_exactly_when_it_reads_differently(seconds: float) -> None:
    now = datetime(2026, 5, 2, 12, 0, tzinfo=UTC)
    stamp = (now - timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")
    due = age_changes(stamp, now)
    assert age(stamp, due - timedelta(milliseconds=1)) == age(stamp, now) != age(stamp, due)


async def test_lists_sessions_newest_first_with_glyphs_agent_and_age(settings, seed) -> None:
    env = seed.environment("dev")
    agent = seed.agent("helper")
    first = seed.session(env, agent, "First chat")
    second = seed.session(env, agent, "list[int] [/] ok")
    async with listing(settings, 2, clock=frozen_clock(first, second)) as (app, pilot):
        assert row_keys(app) == [second["id"], first["id"]]
        text = screen_text(app)
        assert "○ list[int] [/] ok" in text
        assert "○ First chat" in text
        assert " 5m" in text and "Tokens" in text and "Cost" in text


async def test_show_environment_filters_client_side(settings, seed) -> None:
    dev, ops = seed.environment("dev"), seed.environment("ops")
    agent = seed.agent()
    in_dev = seed.session(dev, agent, "in dev")
    in_ops = seed.session(ops, agent, "in ops")
    async with listing(settings, 2) as (app, pilot):
        app.pane.show_environment(ops["id"])
        assert row_keys(app) == [in_ops["id"]]
        app.pane.show_environment(dev["id"])
        assert row_keys(app) == [in_dev["id"]]
        app.pane.show_environment(None)
        assert row_keys(app) == [in_ops["id"], in_dev["id"]]


async def test_keys_move_and_enter_or_space_opens(settings, seed) -> None:
    older, newer = sessions_titled(seed, "older", "newer")
    async with listing(settings, 2) as (app, pilot):
        assert app.pane.selected_session_id == newer["id"]
        await pilot.press("j")
        assert app.pane.selected_session_id == older["id"]
        await pilot.press("k", "down")
        assert app.pane.selected_session_id == older["id"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.opened, what="SessionOpened")
        assert app.opened == [older["id"]]
        await pilot.press("k", "space")
        await wait_for(pilot, lambda: len(app.opened) == 2, what="the second SessionOpened")
        assert app.opened[-1] == newer["id"]


async def test_refresh_adds_new_sessions_on_top_and_the_cursor_stays_on_its_session(settings, seed) -> None:
    env, agent = seed.environment(), seed.agent()
    older = seed.session(env, agent, "older")
    seed.session(env, agent, "newer")
    async with listing(settings, 2, poll_interval=60) as (app, pilot):
        await pilot.press("j")
        assert app.pane.selected_session_id == older["id"]
        newest = seed.session(env, agent, "newest")
        await pilot.press("R")
        await wait_for(pilot, lambda: len(row_keys(app)) == 3, what="the new row")
        assert row_keys(app)[0] == newest["id"]
        assert app.pane.selected_session_id == older["id"]

        app.query_one("#left").styles.width = 36  # columns are rebuilt for the new width
        await wait_for(pilot, lambda: app.pane._title_width == 18, what="narrower columns")
        assert app.pane.selected_session_id == older["id"]
        app.theme = "textual-light"  # cells are restyled from the new theme
        await pilot.pause()
        assert app.pane.selected_session_id == older["id"]


async def test_rows_take_a_new_themes_colours_while_no_session_runs(settings, seed) -> None:
    (session,) = sessions_titled(seed, "asks", agent=seed.agent("asker", ask=("bash",)))
    glyph, _label, variable = session_glyph("needs_approval")
    async with listing(settings, 1) as (app, pilot):

        def title() -> Text:
            return app.query_one(SessionTable).get_cell(session["id"], "title")

        seed.say(session, "!echo hi")
        await wait_for(pilot, lambda: title().plain.startswith(glyph), what="the row waiting for approval")
        dark = str(title().spans[0].style)
        app.theme = "nord"

        def restyled() -> bool:
            colour = str(title().spans[0].style)
            return colour != dark and colour == rich_colour(variable, app.theme_variables)

        await wait_for(pilot, restyled, what="the glyph in nord's colour")


async def test_an_empty_list_says_what_to_do_with_the_remapped_key(settings, seed) -> None:
    seed.environment()
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        app.set_keymap({"sessions.new": "ctrl+n"})
        await wait_for(pilot, lambda: "No sessions yet. Press ^n to start one." in screen_text(app), what="hint")
        assert "Title" not in screen_text(app)  # no header over an empty list
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionFormScreen), what="the form")


async def test_rename_updates_the_row_and_the_server(settings, seed) -> None:
    (session,) = sessions_titled(seed, "old name")
    async with listing(settings, 1) as (app, pilot):
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RenameScreen), what="rename dialog")
        field = app.screen.query_one("#rename-title")
        assert field.value == "old name"
        field.value = "new [b]name[/b]"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.pane.rows[session["id"]].title == "new [b]name[/b]", what="renamed row")
        assert "new [b]name[/b]" in screen_text(app)
        assert server_session(seed, session)["title"] == "new [b]name[/b]"
        assert app.changes >= 1


async def test_rename_refuses_an_overlong_title_and_keeps_it(settings, seed) -> None:
    sessions_titled(seed, "short")
    async with listing(settings, 1) as (app, pilot):
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RenameScreen), what="rename dialog")
        field = app.screen.query_one("#rename-title")
        field.value = "x" * 300
        await pilot.press("enter")
        assert isinstance(app.screen, RenameScreen)
        assert field.value == "x" * 300
        assert "at most 256 characters" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, RenameScreen)


async def test_archive_asks_first_then_the_row_leaves_and_show_archived_brings_it_back(settings, seed) -> None:
    keep, drop = sessions_titled(seed, "keep me", "drop me")
    async with listing(settings, 2) as (app, pilot):
        assert app.pane.selected_session_id == drop["id"]
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm dialog")
        assert "drop me" in screen_text(app)
        await pilot.press("n")  # no: nothing happens
        assert row_keys(app) == [drop["id"], keep["id"]]
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm dialog")
        await pilot.press("y")
        await wait_for(pilot, lambda: row_keys(app) == [keep["id"]], what="the archived row to leave")
        assert app.pane.selected_session_id == keep["id"]
        assert server_session(seed, drop)["archived_at"] is not None
        await pilot.pause(0.5)  # later polls do not bring it back
        assert row_keys(app) == [keep["id"]]

        await pilot.press("A")
        await wait_for(pilot, lambda: drop["id"] in row_keys(app), what="archived rows shown")
        assert app.pane.rows[drop["id"]].archived
        await pilot.press("A")
        await wait_for(pilot, lambda: row_keys(app) == [keep["id"]], what="archived rows hidden")


async def test_filter_by_title_and_escape_clears(settings, seed) -> None:
    fix, docs = sessions_titled(seed, "Fix the login bug", "Write docs")
    async with listing(settings, 2) as (app, pilot):
        await pilot.press("slash")
        field = app.pane.query_one("#sessions-filter")
        assert field.has_focus
        await pilot.press("L", "o", "g", "i", "n")
        assert row_keys(app) == [fix["id"]]
        assert " 1/2 " in screen_text(app)
        await pilot.press("enter")  # back to the list, filter kept
        assert app.pane.query_one(SessionTable).has_focus
        assert row_keys(app) == [fix["id"]]
        await pilot.press("escape")
        assert row_keys(app) == [docs["id"], fix["id"]]
        assert not field.display


async def test_a_session_needing_approval_updates_its_row_and_raises_attention(settings, seed) -> None:
    asking = seed.agent("asker", ask=("bash",))
    background, opened = sessions_titled(seed, "background [job]", "the open one", agent=asking)
    async with listing(settings, 2) as (app, pilot):
        app.pane.set_open_session(opened["id"])
        seed.say(background, "!echo hi")
        seed.say(opened, "!echo hi")
        await wait_for(pilot, lambda: status_of(app, background) == "needs_approval", what="needs approval")
        await wait_for(pilot, lambda: status_of(app, opened) == "needs_approval", what="needs approval")
        assert app.pane.rows[background["id"]].attention == "approval"
        assert app.pane.rows[opened["id"]].attention is None  # the open session raises nothing
        assert app.notices == ["“background [job]” needs approval"]
        assert "◆ background [job]" in screen_text(app)

        app.pane.set_open_session(background["id"])  # opening it clears the mark
        assert app.pane.rows[background["id"]].attention is None


async def test_a_turn_that_runs_and_ends_updates_the_row_and_says_so(settings, seed) -> None:
    (session,) = sessions_titled(seed, "sleeper")
    async with listing(settings, 1) as (app, pilot):
        seed.say(session, "/sleep 1")
        await wait_for(pilot, lambda: status_of(app, session) == "running", what="running")
        await wait_for(pilot, lambda: status_of(app, session) == "idle", what="idle again")
        await wait_for(pilot, lambda: app.notices, what="a notification")
        assert app.notices == ["“sleeper” finished its turn"]
        assert app.pane.rows[session["id"]].attention == "finished"


async def test_a_row_changed_by_a_poll_stays_changed_when_the_list_is_rebuilt(settings, seed) -> None:
    env, agent = seed.environment(), seed.agent()
    session = seed.session(env, agent, "before")
    async with listing(settings, 1) as (app, pilot):
        seed.say(session, "/sleep 30")
        await wait_for(pilot, lambda: status_of(app, session) == "running", what="running")
        seed.session(env, agent, "other")  # a new row while it runs
        await wait_for(pilot, lambda: len(row_keys(app)) == 2, what="the new row")
        seed.post(f"/v1/sessions/{session['id']}", {"title": "after"})  # renamed elsewhere
        seed.post(f"/v1/sessions/{session['id']}/events", {"events": [{"type": "user.interrupt"}]})
        await wait_for(pilot, lambda: status_of(app, session) == "idle", what="idle again")
        await pilot.press("slash", "a")  # the filter rebuilds the rows from what the pane knows
        assert status_of(app, session) == "idle"
        assert "○ after" in screen_text(app) and "before" not in screen_text(app)
        app.pane.show_environment(env["id"])
        assert status_of(app, session) == "idle" and "○ after" in screen_text(app)


async def test_an_api_error_is_shown_not_raised(runtime, tmp_path) -> None:
    app = PaneApp(settings_for(runtime.base_url, "sk-wrong", tmp_path))
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.notices, what="an error notification")
        await pilot.pause(0.5)
        assert len(app.notices) == 1  # said once, not at every poll
        assert app.notices[0].startswith("Could not list sessions: 401")
        assert "Could not list sessions: 401" in screen_text(app) and "⚠ not updating" in screen_text(app)


async def test_older_sessions_load_when_the_cursor_reaches_the_end(settings, seed) -> None:
    sessions = seed.sessions(seed.environment(), seed.agent(), PAGE_SIZE + 10)
    async with listing(settings, PAGE_SIZE) as (app, pilot):
        table = app.pane.query_one(SessionTable)
        assert table.row_count == PAGE_SIZE + 1 and " 50+ " in screen_text(app)  # the last row: older sessions
        await pilot.press("ctrl+end")
        await wait_for(pilot, lambda: len(row_keys(app)) == PAGE_SIZE + 10, what="the next page")
        assert row_keys(app) == [s["id"] for s in reversed(sessions)]
        assert app.pane.selected_session_id == sessions[9]["id"]  # the newest of those just listed
        assert table.row_count == PAGE_SIZE + 10 and " 60 " in screen_text(app)  # none older left


async def test_an_environment_whose_sessions_are_all_older_than_the_first_page(settings, seed) -> None:
    old, new, agent = seed.environment("old"), seed.environment("new"), seed.agent()
    early = seed.sessions(old, agent, 3)
    seed.sessions(new, agent, PAGE_SIZE)
    async with listing(settings, PAGE_SIZE) as (app, pilot):
        app.pane.show_environment(old["id"])
        await pilot.pause()
        assert row_keys(app) == [] and "None among the sessions listed so far." in screen_text(app)
        await pilot.press("enter")  # on the only row: older sessions
        await wait_for(pilot, lambda: len(row_keys(app)) == 3, what="the old environment's sessions")
        assert row_keys(app) == [s["id"] for s in reversed(early)]


async def test_an_unreadable_session_is_skipped_and_said_once_and_the_others_listed(settings, seed) -> None:
    first, second = sessions_titled(seed, "First chat", "Second chat")
    store = seed.runtime.runtime.store
    newer = {**server_session(seed, second), "id": "sesn_from_the_future", "status": 7}  # a status this client rejects
    store.put_session(newer)
    async with listing(settings, 2) as (app, pilot):
        assert row_keys(app) == [second["id"], first["id"]]
        await wait_for(pilot, lambda: any("unreadable session skipped" in n for n in app.notices), "the note")
        (note,) = [n for n in app.notices if "unreadable" in n]
        assert note.startswith("1 unreadable session skipped (sesn_from_the_future: status:")
        pane = app.pane
        pane.refresh_sessions()
        await wait_for(pilot, lambda: "relist" not in (pane._next, pane._fetching), what="the relisting applied")
        assert len([n for n in app.notices if "unreadable" in n]) == 1, "said once, not at every listing"


async def test_a_session_whose_last_idle_event_is_unreadable_is_listed_as_idle(settings, seed) -> None:
    (session,) = sessions_titled(seed, "odd ending")
    seed.runtime.runtime.store.append_event(
        session["id"],
        {
            "type": "session.status_idle",
            "id": "sevt_odd",
            "processed_at": session["created_at"],
            "stop_reason": 7,
        },
    )
    async with listing(settings, 1) as (app, pilot):
        await pilot.pause(0.5)
        assert status_of(app, session) == "idle" and not [n for n in app.notices if "Could not" in n]
