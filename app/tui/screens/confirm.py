"""ConfirmScreen: a yes/no question (y / enter / click Yes, or n / esc / click No); :func:`confirm`
asks one and acts on yes."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.dom import DOMNode
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


def confirm(node: DOMNode, question: str, yes: str, then: Callable[[], object]) -> None:
    """Ask ``question`` over ``node``'s screen (``yes`` labels the button that agrees); run ``then`` only on yes."""

    def answered(agreed: bool | None) -> None:
        if agreed:
            then()

    node.app.push_screen(ConfirmScreen(question, yes=yes), answered)
