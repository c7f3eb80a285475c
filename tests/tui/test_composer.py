"""The composer on its own: send keys, newline keys, history, and clearing only what was sent."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import OptionList

from app.styles import stylesheets
from app.tui.chat.composer import Composer
from app.tui.screens.history_search import HistorySearchScreen
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text


class ComposerApp(App):
    """Only a focused Composer, ``sent`` already in its history; records what it submits."""

    CSS_PATH = stylesheets()

    def __init__(self, *, sent: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.sent = sent
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield Composer()

    def on_mount(self) -> None:
        for text in self.sent:  # as the chat view reports each message the server took
            self.composer.load_text(text)
            self.composer.sent(text)
        self.composer.focus()

    @property
    def composer(self) -> Composer:
        return self.query_one(Composer)

    def on_composer_submitted(self, event: Composer.Submitted) -> None:
        self.submitted.append(event.text)


async def test_enter_submits_the_stripped_text_and_keeps_it_until_sent():
    app = ComposerApp()
    async with app.run_test(size=TERMINAL) as pilot:
        composer = app.composer
        await pilot.press("enter")  # nothing to send
        await pilot.press("space", *"hi", "space", "enter")
        assert app.submitted == ["hi"]
        assert composer.text == " hi "  # the chat view clears it once the server took it
        composer.sent("hi")
        assert composer.text == ""


async def test_ctrl_j_alt_enter_and_shift_enter_insert_newlines():
    app = ComposerApp()
    async with app.run_test(size=TERMINAL) as pilot:
        composer = app.composer
        await pilot.press("a", "ctrl+j", "b", "alt+enter", "c", "shift+enter", "d")
        assert composer.text == "a\nb\nc\nd" and app.submitted == []
        await pilot.press("enter")
        assert app.submitted == ["a\nb\nc\nd"]


def burst(app: App, *keys: str) -> None:
    """Keys as a terminal delivers them in one read (fast typing, a paste, ``tmux send-keys``): all queued at once."""
    for key in keys:
        character = {"enter": "\r", "ctrl+j": "\n"}.get(key, key)
        app.post_message(events.Key(key, character))


async def test_keys_that_arrive_together_with_enter_are_all_sent():
    app = ComposerApp()
    async with app.run_test(size=TERMINAL) as pilot:
        burst(app, *"hello", "enter")
        await pilot.pause()
        assert app.submitted == ["hello"]
        burst(app, *"a", "ctrl+j", *"b")
        await pilot.pause()
        assert app.composer.text == "hello" + "a\nb"  # not yet cleared: the chat view clears what the server took


async def test_text_edited_while_sending_is_not_cleared():
    app = ComposerApp()
    async with app.run_test(size=TERMINAL) as pilot:
        composer = app.composer
        await pilot.press(*"first", "enter", *" and more")
        composer.sent("first")
        assert composer.text == "first and more"


async def walk(app: ComposerApp, *steps: tuple[str, str]) -> None:
    """Press each step's keys (space-separated) and check the composer's text after them."""
    async with app.run_test(size=TERMINAL) as pilot:
        for keys, text in steps:
            await pilot.press(*keys.split())
            assert app.composer.text == text, f"after {keys!r}"


async def test_up_and_down_recall_sent_messages_from_an_empty_composer():
    await walk(
        ComposerApp(sent=("one", "two\nlines")),
        ("up", "two\nlines"),
        ("up", "two\nlines"),  # the cursor was on the entry's last line: up moved within it first
        ("up", "one"),
        ("up", "one"),  # the oldest stays
        ("down", "two\nlines"),
        ("down", ""),
    )


async def test_up_stashes_the_draft_and_down_brings_it_back():
    await walk(
        ComposerApp(sent=("old", "newer")),
        ("d r a f t up", "newer"),
        ("up", "old"),
        ("down down", "draft"),
        ("down", "draft"),  # nothing after the draft: it stays
        ("x", "draftx"),  # and the cursor was at its end
    )


async def test_an_entry_edited_while_browsing_keeps_its_edit():
    await walk(
        ComposerApp(sent=("one", "two")),
        ("t y p e d up exclamation_mark up", "one"),
        ("down", "two!"),
        ("down", "typed"),
    )


async def test_up_and_down_inside_multi_line_text_move_the_cursor():
    await walk(
        ComposerApp(sent=("old",)),
        ("a ctrl+j b ctrl+j c up up", "a\nb\nc"),  # from the last line to the first: no recall
        ("x", "ax\nb\nc"),
        ("down down down", "ax\nb\nc"),  # on the last line, nothing newer: stays
        ("y", "ax\nb\ncy"),
        ("up up up", "old"),  # from the first line: the history
        ("down", "ax\nb\ncy"),
    )


async def test_restore_shows_another_sessions_history_and_draft():
    app = ComposerApp(sent=("from before",))
    async with app.run_test(size=TERMINAL) as pilot:
        composer = app.composer
        composer.restore(["elsewhere"], "half typed")
        assert composer.text == "half typed"
        await pilot.press("up")
        assert composer.text == "elsewhere"
        await pilot.press("up")
        assert composer.text == "elsewhere"


async def test_ctrl_r_searches_the_sent_messages_and_recalls_the_one_picked():
    app = ComposerApp(sent=("deploy the app", "run tests\nnow", "Deploy [b]again"))
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.press(*"draft", "ctrl+r")
        assert isinstance(app.screen, HistorySearchScreen)
        matches = app.screen.query_one(OptionList)
        assert [str(matches.get_option_at_index(n).prompt) for n in range(3)] == [
            "Deploy [b]again",  # newest first, as typed (no markup)
            "run tests ⏎ now",
            "deploy the app",
        ]
        await pilot.press(*"DEPLOY", "ctrl+r", "enter")  # any case; ctrl+r again: the next older match
        assert app.screen is not None and not isinstance(app.screen, HistorySearchScreen)
        assert app.composer.text == "deploy the app" and app.composer.has_focus
        await pilot.press("down")  # recalled like up: down walks on to the newer ones, then the draft
        assert app.composer.text == "run tests\nnow"
        await pilot.press("down")
        assert app.composer.text == "Deploy [b]again"
        await pilot.press("down")
        assert app.composer.text == "draft"


async def test_a_search_with_no_match_picks_nothing():
    app = ComposerApp(sent=("hello",))
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.press(*"mine", "ctrl+r", *"zzz", "enter")
        assert isinstance(app.screen, HistorySearchScreen)
        assert "no sent message matches" in screen_text(app)
        await pilot.press("escape")
        assert app.composer.text == "mine" and app.composer.has_focus


async def test_ctrl_r_with_nothing_sent_says_so():
    app = ComposerApp()
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.press("ctrl+r")
        assert not isinstance(app.screen, HistorySearchScreen)
        assert toasts(app) == ["Nothing sent in this session yet."]


def editor_script(tmp_path, body: str):
    """An executable shell script standing in for the user's editor (it gets the file as $1)."""
    script = tmp_path / "editor.sh"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def toasts(app: App) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_ctrl_e_edits_the_text_in_the_editor_and_does_not_send_it(tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", str(editor_script(tmp_path, 'sed -i \'s/hello/goodbye/\' "$1"; echo world >> "$1"')))
    app = ComposerApp()
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.press(*"hello [b]there", "ctrl+e")
        assert app.composer.text == "goodbye [b]there\nworld"
        assert app.submitted == [] and toasts(app) == []
        await pilot.press("ctrl+z")  # the edit is one step of the composer's undo
        assert app.composer.text == "hello [b]there"


async def test_editor_in_visual_when_editor_is_unset(tmp_path, monkeypatch):
    monkeypatch.delenv("EDITOR", raising=False)
    script = editor_script(tmp_path, 'test "$1" = --flag && echo from visual > "$2"')
    monkeypatch.setenv("VISUAL", f"{script} --flag")  # a command line with its arguments
    app = ComposerApp()
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.press(*"text", "ctrl+e")
        assert app.composer.text == "from visual"


@pytest.mark.parametrize(
    ("editor", "complaint"),
    [
        ("/nonexistent/editor", "Could not start the editor '/nonexistent/editor'"),
        ("FAIL", "exited with status 3"),
        ("'unbalanced", "$EDITOR cannot be read as a command"),
    ],
)
async def test_an_editor_that_fails_keeps_the_text_and_says_why(tmp_path, monkeypatch, editor, complaint):
    if editor == "FAIL":
        editor = str(editor_script(tmp_path, 'echo changed > "$1"; exit 3'))
    monkeypatch.setenv("EDITOR", editor)
    app = ComposerApp()
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.press(*"keep me", "ctrl+e")
        assert app.composer.text == "keep me"
        assert any(complaint in toast and "unchanged" in toast for toast in toasts(app)), toasts(app)


async def test_no_editor_at_all_says_to_set_one(tmp_path, monkeypatch):
    for variable in ("EDITOR", "VISUAL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # neither vi nor nano there
    app = ComposerApp()
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.press(*"keep me", "ctrl+e")
        assert app.composer.text == "keep me"
        assert any("No editor found: set $EDITOR" in toast for toast in toasts(app))
