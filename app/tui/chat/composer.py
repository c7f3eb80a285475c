"""The composer pinned at the bottom of the chat: a TextArea where Enter sends.

Keys (binding ids in parentheses):

- ``enter`` sends (``chat.send``);
- ``ctrl+j`` inserts a newline in every terminal (``chat.newline``); ``shift+enter`` and
  ``alt+enter`` do too where the terminal reports them (the kitty keyboard protocol: kitty,
  WezTerm, foot, Ghostty ...); other terminals send them as a plain ``enter``, which sends;
- ``up`` on the first row recalls the previous message sent in this session, ``down`` on the last
  row the next one, then what was being typed (never lost: an edited entry keeps its edit while
  browsing too); elsewhere they move the cursor as usual, so multi-line text edits normally;
  ``ctrl+r`` searches the messages sent (``chat.search_history``) and recalls the one picked;
- ``ctrl+e`` edits the text in ``$EDITOR`` (``chat.edit_in_editor``): the app hands the terminal
  over, and the edited text comes back into the composer, not sent.

The composer never sends anything itself: it posts :class:`Composer.Submitted`, the chat view
sends and calls :meth:`Composer.sent` once the server has taken the text, so a failed send leaves
it in place. The chat view also hands it each session's history and draft (:meth:`Composer.restore`)
and keeps the history on disk (:mod:`app.tui.chat.history`).
"""

from __future__ import annotations

from contextlib import nullcontext

from textual.app import SuspendNotSupported
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from app.tui.chat.external_editor import EditorError, edit_text
from app.tui.screens.history_search import HistorySearchScreen


class Composer(TextArea):
    """Multi-line input with send-on-Enter and a history of what was sent."""

    BINDINGS = [
        Binding("enter", "submit", "Send", id="chat.send", priority=True),
        Binding("ctrl+j,alt+enter,shift+enter", "newline", "Newline", id="chat.newline", priority=True),
        Binding("ctrl+e", "edit_in_editor", "Edit in $EDITOR", id="chat.edit_in_editor", show=False),
        Binding("ctrl+r", "search_history", "Search sent messages", id="chat.search_history", show=False),
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
        #: The history entry shown; ``len(self._history)`` is the text being typed.
        self._at = 0
        #: What was typed, and entries edited while browsing, by position.
        self._edits: dict[int, str] = {}

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
        if self.text.strip() == text:
            self.clear()
        self._at, self._edits = len(self._history), {}

    @property
    def sent_messages(self) -> list[str]:
        """The messages sent, oldest first."""
        return list(self._history)

    def restore(self, history: list[str], draft: str) -> None:
        """Show another session's composer: its history and what was left typed in it."""
        self._history = list(history)
        self._at, self._edits = len(self._history), {}
        self._show(draft)

    def action_cursor_up(self, select: bool = False) -> None:
        if select or self._at == 0 or not self.navigator.is_first_wrapped_line(self.cursor_location):
            super().action_cursor_up(select)
        else:
            self._recall(self._at - 1)

    def action_cursor_down(self, select: bool = False) -> None:
        if select or self._at == len(self._history) or not self.navigator.is_last_wrapped_line(self.cursor_location):
            super().action_cursor_down(select)
        else:
            self._recall(self._at + 1)

    def _recall(self, position: int) -> None:
        """Keep the text shown (if it differs from its entry) and show the entry at ``position``."""
        if self._at == len(self._history) or self.text != self._history[self._at]:
            self._edits[self._at] = self.text
        else:
            self._edits.pop(self._at, None)
        self._at = position
        self._show(self._edits.get(position, self._history[position] if position < len(self._history) else ""))

    def action_search_history(self) -> None:
        """Pick a message sent earlier from a searchable list; it is recalled as with ``up``."""
        if not self._history:
            self.notify("Nothing sent in this session yet.", markup=False)
            return

        def picked(position: int | None) -> None:
            if position is not None:
                self._recall(position)

        self.app.push_screen(HistorySearchScreen(self.sent_messages), picked)

    def _show(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)

    def action_edit_in_editor(self) -> None:
        """Hand the terminal to the user's editor with the text; what it saves comes back here.

        A headless app (tests, automation) has no terminal to hand over: the editor runs as it is.
        """
        try:
            with nullcontext() if self.app.is_headless else self.app.suspend():
                edited = edit_text(self.text)
        except SuspendNotSupported:
            self.notify("This terminal cannot be handed to an editor.", severity="warning", markup=False)
        except EditorError as exc:
            self.notify(f"{exc}; the message is unchanged.", severity="warning", markup=False)
        else:
            self.replace(edited, self.document.start, self.document.end, maintain_selection_offset=False)
            self.move_cursor(self.document.end)
