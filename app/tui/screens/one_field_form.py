"""OneFieldForm: ask for one value (a local path completed as you type, or a secret typed masked),
checked before the form closes.

The check (for paths, see :mod:`app.tui.paths`) turns the text into the value or raises a
FieldError, shown under the field with the text kept. The form dismisses with the checked value,
or ``None`` on cancel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from app.tui.paths import PathSuggester
from app.tui.screens.field_form import FieldForm
from app.tui.widgets.dialog_buttons import dialog_buttons
from app.tui.widgets.footer import Footer
from app.tui.widgets.message_line import MessageLine


class OneFieldForm(FieldForm[Any]):
    """``title`` over a field labelled ``label``; ``check`` turns the text into the value. The field
    completes local paths, or with ``secret`` masks what is typed (and completes nothing)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="one_field_form.cancel"),
    ]

    def __init__(
        self,
        title: str,
        label: str,
        check: Callable[[str], Any],
        *,
        value: str = "",
        ok: str = "OK",
        secret: bool = False,
    ) -> None:
        super().__init__()
        self.title_text, self.label, self.check, self.value, self.ok = title, label, check, value, ok
        self.secret = secret

    def compose(self) -> ComposeResult:
        with Vertical(id="value-form", classes="dialog form"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Label(Content(self.label))
            suggester = None if self.secret else PathSuggester()
            yield Input(self.value, id="value-field", suggester=suggester, password=self.secret, compact=True)
            yield MessageLine(id="value-field-error", classes="field-error")
            yield dialog_buttons(Content(self.ok), "value-ok", "value-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#value-field-error").display = False
        self.query_one("#value-field").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#value-ok")
    def _submit(self) -> None:
        path = self._check("value-field", lambda: self.check(self.query_one("#value-field", Input).value))
        if path is not None:
            self.dismiss(path)

    @on(Button.Pressed, "#value-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
