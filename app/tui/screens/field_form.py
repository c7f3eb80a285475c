"""FieldForm: a modal form whose fields show their own errors, each on a line below the field.

A field ``#name`` has its error line ``#name-error``: a
:class:`~app.tui.widgets.message_line.MessageLine` of class ``field-error``, hidden while there is
no error. :meth:`FieldForm._check` parses a field and shows or clears its error;
editing a field clears its error (the next submit checks it again);
:meth:`FieldForm._focus_first_error` focuses the first field, top to bottom, that needs a change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Button, Input, TextArea

from app.api.errors import AgentAPIError
from app.tui.fields import FieldError
from app.tui.widgets.dialog_buttons import dialog_buttons
from app.tui.widgets.message_line import MessageLine

T = TypeVar("T")


class FieldForm(ModalScreen[ScreenResultType]):
    """A modal form with an error line below each field (see the module docstring)."""

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Input.Changed | TextArea.Changed) -> None:
        errors = self.query(f"#{event.control.id}-error")
        if errors:
            errors.first(MessageLine).say(None)

    def _check(self, field: str, parse: Callable[[], T]) -> T | None:
        """``parse()``, with its FieldError shown under ``field`` (or that field's error cleared)."""
        error = self.query_one(f"#{field}-error", MessageLine)
        try:
            value = parse()
        except FieldError as exc:
            error.say(str(exc))
            return None
        error.say(None)
        return value

    def _focus_first_error(self) -> bool:
        """Focus the first field (top to bottom) whose error shows; whether there was one."""
        shown = [error.id for error in self.query(".field-error") if error.display and error.id]
        if shown:
            self.query_one(f"#{shown[0].removesuffix('-error')}").focus()
        return bool(shown)

    async def _saved(self, save: Awaitable[ScreenResultType]) -> None:
        """Await ``save`` with the ``#form-save`` button disabled, then dismiss with what it
        returns; an API error shows in ``#form-error`` instead, and the form stays open."""
        button = self.query_one("#form-save", Button)
        button.disabled = True
        message = self.query_one("#form-error", MessageLine)
        message.say(None)
        try:
            saved = await save
        except AgentAPIError as exc:
            message.say(f"Not saved: {exc}")
            return
        finally:
            button.disabled = False
        self.dismiss(saved)


#: Saves a form's request body; returns what the form is dismissed with.
Save = Callable[[dict[str, Any]], Awaitable[Any]]


class SavingForm(FieldForm[Any]):
    """A form that saves the body :meth:`_body` reads with ``save`` in a worker (ctrl+s, enter,
    the Save button), keeping the form open with the error shown on failure; esc cancels."""

    def __init__(self, save: Save) -> None:
        super().__init__()
        self._saver = save

    def _buttons(self) -> ComposeResult:
        yield MessageLine(id="form-error", classes="form-error")
        yield dialog_buttons("Save", "form-save", "form-cancel")

    def _body(self) -> dict[str, Any] | None:
        raise NotImplementedError

    @on(Button.Pressed, "#form-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        body = self._body()
        if body is not None and not self._focus_first_error():
            self._submit(body)

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, group="saving-form", exit_on_error=False)
    async def _submit(self, body: dict[str, Any]) -> None:
        await self._saved(self._saver(body))
