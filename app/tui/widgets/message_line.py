"""MessageLine: a line of plain text that shows while there is something to say and hides after."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class MessageLine(Static):
    """One message line (a field's error, a form's or a pane's status), hidden until :meth:`say`.

    The text is plain: a server's or a user's words never read as markup. ``error`` marks the line
    with the ``-error`` class for lines that are sometimes an error and sometimes not.
    """

    def __init__(self, message: str | None = None, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.say(message)

    def say(self, message: str | None, *, error: bool = False) -> None:
        """Show ``message``, or hide the line with ``None``."""
        self.update(Content(message or ""))
        self.set_class(error, "-error")
        self.display = message is not None
