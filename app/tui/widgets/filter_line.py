"""FilterLine: the ``/`` filter line of a list pane (environments, sessions), hidden until opened."""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.widgets import Input


class FilterLine(Input):
    """A compact one-line filter, hidden until :meth:`open`.

    As the user types it posts :class:`FilterLine.TextChanged` with :attr:`text`; enter posts
    :class:`FilterLine.Done` (the pane focuses its list again) and hides an empty line. The pane's
    clear-filter key calls :meth:`clear`, available while the line is shown (:attr:`active`).
    """

    class TextChanged(Message):
        """The filter's text changed (stripped and case-folded: what to look for)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Done(Message):
        """Enter: the user is done typing."""

    def __init__(self, placeholder: str, *, id: str) -> None:
        super().__init__(placeholder=placeholder, id=id, compact=True)
        self.display = False

    @property
    def text(self) -> str:
        """What rows must contain, case-folded ("" for no filter)."""
        return self.value.strip().casefold()

    @property
    def active(self) -> bool:
        """The line is shown (with a filter, or opened to type one)."""
        return self.display

    def open(self) -> None:
        self.display = True
        self.focus()

    def clear(self) -> None:
        """Empty and hide the line; the pane drops the filter itself (no :class:`TextChanged` is posted)."""
        with self.prevent(Input.Changed):
            self.value = ""
        self.display = False

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.TextChanged(self.text))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.text:
            self.display = False
        self.post_message(self.Done())
