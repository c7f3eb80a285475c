"""The composer on its own: send keys, newline keys, history, and clearing only what was sent."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult

from app.styles import styles_dir
from app.tui.chat.composer import Composer
from tests.tui.conftest import TERMINAL


class ComposerApp(App):
    """Only a focused Composer, ``sent`` already in its history; records what it submits."""

    CSS_PATH = str(styles_dir() / "chat.tcss")

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


async def test_up_and_down_recall_sent_messages_from_an_empty_composer():
    app = ComposerApp(sent=("one", "two\nlines"))
    async with app.run_test(size=TERMINAL) as pilot:
        composer = app.composer
        await pilot.press("up")
        assert composer.text == "two\nlines"
        await pilot.press("up")  # the cursor is on the last line: up moves within the text first
        assert composer.text == "two\nlines" and composer.cursor_location[0] == 0
        await pilot.press("up")
        assert composer.text == "one"
        await pilot.press("up")  # the oldest stays
        assert composer.text == "one"
        await pilot.press("down")
        assert composer.text == "two\nlines"
        await pilot.press("down")
        assert composer.text == ""


async def test_a_draft_is_never_replaced_by_history():
    app = ComposerApp(sent=("old",))
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.press(*"draft", "up", "up")
        assert app.composer.text == "draft"
