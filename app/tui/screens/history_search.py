"""HistorySearchScreen: find a message sent earlier in the session (the composer's ``ctrl+r``).

Typing filters the messages (every word, in any case, anywhere in the text), newest first;
``up`` / ``down`` (or ``ctrl+r`` again, as in a shell) move through the matches and ``enter`` (or a
click) picks one. It dismisses with the picked message's position in the history, or ``None``.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from app.tui.widgets.footer import Footer

#: A longer message is cut to this many characters in the list (the whole one is picked).
SHOWN_CHARS = 300


def one_line(text: str) -> Content:
    """A message as one list row: its line breaks as ``⏎``, cut after :data:`SHOWN_CHARS`."""
    flat = text.replace("\n", " ⏎ ")
    return Content(flat if len(flat) <= SHOWN_CHARS else flat[: SHOWN_CHARS - 1] + "…")


class HistorySearchScreen(ModalScreen[int | None]):
    """An input over the list of sent messages that match it."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="history.cancel"),
        Binding("down,ctrl+r", "move(1)", "Older", id="history.older", priority=True),
        Binding("up", "move(-1)", "Newer", id="history.newer", priority=True),
    ]

    def __init__(self, history: list[str]) -> None:
        """``history`` oldest first, as the composer keeps it."""
        super().__init__()
        self._history = history

    def compose(self) -> ComposeResult:
        with Vertical(id="history-search", classes="dialog") as dialog:
            dialog.border_title = "Sent messages"
            yield Input(placeholder="Search sent messages", id="history-query")
            yield OptionList(id="history-matches")
        yield Footer()

    def on_mount(self) -> None:
        self._filter("")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, query: str) -> None:
        words = query.casefold().split()
        matches = self.query_one(OptionList)
        matches.clear_options()
        for position in reversed(range(len(self._history))):
            text = self._history[position]
            if all(word in text.casefold() for word in words):
                matches.add_option(Option(one_line(text), id=str(position)))
        if matches.option_count:
            matches.highlighted = 0
        else:
            matches.add_option(Option(Content("no sent message matches"), disabled=True))

    def action_move(self, step: int) -> None:
        matches = self.query_one(OptionList)
        if step > 0:
            matches.action_cursor_down()
        else:
            matches.action_cursor_up()

    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def _pick(self) -> None:
        matches = self.query_one(OptionList)
        highlighted = matches.highlighted
        option_id = matches.get_option_at_index(highlighted).id if highlighted is not None else None
        if option_id is None:  # nothing highlighted, or the "no match" line
            self.app.bell()
            return
        self.dismiss(int(option_id))
