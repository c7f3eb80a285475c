"""PathForm: ask for one local path (completed as you type), checked before the form closes.

The check (:mod:`app.tui.paths`) turns the text into a path or raises a FieldError, shown under
the field with the text kept. The form dismisses with the checked path, or ``None`` on cancel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from app.tui.paths import PathSuggester
from app.tui.screens.field_form import FieldForm
from app.tui.widgets.footer import Footer


class PathForm(FieldForm["Path | None"]):
    """``title`` over a path field labelled ``label``; ``check`` turns the text into the path."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="path_form.cancel"),
    ]

    def __init__(self, title: str, label: str, check: Callable[[str], Path], *, value: str = "", ok: str = "OK") -> None:
        super().__init__()
        self.title_text, self.label, self.check, self.value, self.ok = title, label, check, value, ok

    def compose(self) -> ComposeResult:
        with Vertical(id="path-form", classes="dialog form"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Label(Content(self.label))
            yield Input(self.value, id="path-field", suggester=PathSuggester(), compact=True)
            yield Static(id="path-field-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="path-cancel", compact=True)
                yield Button(Content(self.ok), variant="primary", id="path-ok", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#path-field-error").display = False
        self.query_one("#path-field").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#path-ok")
    def _submit(self) -> None:
        path = self._check("path-field", lambda: self.check(self.query_one("#path-field", Input).value))
        if path is not None:
            self.dismiss(path)

    @on(Button.Pressed, "#path-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
