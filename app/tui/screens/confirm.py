"""ConfirmScreen: a yes/no question (y / enter / click Yes, or n / esc / click No)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from app.tui.widgets.dialog_buttons import dialog_buttons
from app.tui.widgets.footer import Footer


class ConfirmScreen(ModalScreen[bool]):
    """Ask ``question`` (rendered as plain text, so names from the server are safe); dismiss with the answer."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(Content(self.question), id="confirm-question")
            yield dialog_buttons(Content(self.yes_label), "confirm-yes", "confirm-no", cancel="No", variant="warning")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")
