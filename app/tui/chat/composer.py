"""The composer pinned at the bottom of the chat: a TextArea where Enter sends.

Keys (binding ids in parentheses):

- ``enter`` sends (``chat.send``);
- ``ctrl+j`` inserts a newline in every terminal (``chat.newline``); ``shift+enter`` and
  ``alt+enter`` do too where the terminal reports them (the kitty keyboard protocol: kitty,
  WezTerm, foot, Ghostty ...); other terminals send them as a plain ``enter``, which sends;
- ``up`` on the first row of an empty composer recalls the previous message sent, ``down`` on the
  last row goes forward again (a draft is never replaced).

The composer never sends anything itself: it posts :class:`Composer.Submitted`, the chat view
sends and calls :meth:`Composer.sent` once the server has taken the text, so a failed send leaves
it in place.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea


class Composer(TextArea):
    """Multi-line input with send-on-Enter and a history of what was sent."""

    BINDINGS = [
        Binding("enter", "submit", "Send", id="chat.send", priority=True),
        Binding("ctrl+j,alt+enter,shift+enter", "newline", "Newline", id="chat.newline", priority=True),
    ]

    class Submitted(Message):
        """The user pressed the send key with some text (stripped; never empty)."""

        def __init__(self, composer: Composer, text: str) -> None:
            super().__init__()
            self.composer = composer
            self.text = text

        @property
        def control(self) -> Composer:
            return self.composer

    def __init__(self, *, placeholder: str = "", id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            soft_wrap=True, tab_behavior="focus", placeholder=placeholder, compact=True, id=id, classes=classes
        )
        # A steady cursor: a blinking one repaints the composer twice a second, which an idle
        # app should not (it is terminal output, over SSH too).
        self.cursor_blink = False
        self._history: list[str] = []
        #: Index into the history of the entry being shown, None when not browsing.
        self._recall: int | None = None

    # Both keys are priority bindings, so the app runs their actions as soon as it reads the key,
    # while keys typed just before may still wait in this widget's queue (a fast typist, a paste,
    # ``tmux send-keys``). ``call_later`` queues the work behind them, so it sees every character.

    def action_submit(self) -> None:
        self.call_later(self._submit)

    def action_newline(self) -> None:
        self.call_later(self._newline)

    def _submit(self) -> None:
        text = self.text.strip()
        if text:
            self.post_message(self.Submitted(self, text))

    def _newline(self) -> None:
        if not self.read_only:
            self.replace("\n", *self.selection, maintain_selection_offset=False)

    def sent(self, text: str) -> None:
        """The server took ``text``: remember it, and clear the composer unless it was edited since."""
        if not self._history or self._history[-1] != text:
            self._history.append(text)
        self._recall = None
        if self.text.strip() == text:
            self.clear()

    def _browsing(self) -> bool:
        """Empty, or showing an unedited history entry: up/down walk the history."""
        if self._recall is None:
            return not self.text
        return self.text == self._history[self._recall]

    def action_cursor_up(self, select: bool = False) -> None:
        at_top = self.navigator.is_first_wrapped_line(self.cursor_location)
        if select or not at_top or not self._browsing() or self._recall == 0 or not self._history:
            super().action_cursor_up(select)
            return
        self._recall = len(self._history) - 1 if self._recall is None else self._recall - 1
        self._show(self._history[self._recall])

    def action_cursor_down(self, select: bool = False) -> None:
        at_bottom = self.navigator.is_last_wrapped_line(self.cursor_location)
        if select or not at_bottom or self._recall is None or not self._browsing():
            super().action_cursor_down(select)
            return
        self._recall += 1
        if self._recall == len(self._history):
            self._recall = None
            self._show("")
        else:
            self._show(self._history[self._recall])

    def _show(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)
