"""``RenameScreen(title)``: edit a session's title; dismisses with the new title, or ``None`` on cancel.

An empty result (``""``) means "clear the title". A title over the length limit is refused in place,
keeping what was typed.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input

from app.tui.format import UNTITLED
from app.tui.screens.session_spec import InvalidField, check_title
from app.tui.widgets.footer import Footer
from app.tui.widgets.message_line import MessageLine


class RenameScreen(ModalScreen[str | None]):
    """A one-field dialog prefilled with the current title."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="rename.cancel"),
    ]

    def __init__(self, title: str | None) -> None:
        super().__init__()
        self._current = title or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="rename") as dialog:
            dialog.border_title = "Rename session"
            yield Input(self._current, placeholder=UNTITLED, id="rename-title")
            yield MessageLine(id="rename-error")
            with Horizontal(id="rename-buttons"):
                yield Button("Cancel", id="rename-cancel", compact=True)
                yield Button("Rename", id="rename-ok", variant="primary", compact=True)
        yield Footer()

    @on(Input.Submitted)
    @on(Button.Pressed, "#rename-ok")
    def _submit(self) -> None:
        field = self.query_one("#rename-title", Input)
        try:
            title = check_title(field.value, "rename-title")
        except InvalidField as error:
            self.query_one("#rename-error", MessageLine).say(error.message)
            field.focus()
            return
        self.dismiss(title or "")

    @on(Button.Pressed, "#rename-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
