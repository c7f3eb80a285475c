"""OutcomeForm: define an outcome for the open session (``user.define_outcome``).

Three fields: what the agent is to achieve (description), how it is graded (a text rubric, several
lines) and how many graded attempts it gets (max iterations, 1 to 20, default 3). A bad field is
shown under it and focused; nothing typed is cleared. The form sends through the ``send``
coroutine it is given (from a worker) and closes only when that succeeds, so an API error is shown
in the form too. It dismisses with the sent params, or ``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Label, Static, TextArea

from app.api.errors import AgentAPIError
from app.api.models import UserDefineOutcomeParams
from app.api.models.events import Rubric
from app.tui.fields import FieldError
from app.tui.screens.field_form import FieldForm
from app.tui.widgets.dialog_buttons import dialog_buttons
from app.tui.widgets.footer import Footer
from app.tui.widgets.message_line import MessageLine

#: The API's default and limits for ``max_iterations`` and the text rubric's length.
DEFAULT_ITERATIONS = 3
MAX_ITERATIONS = 20
RUBRIC_MAX = 262_144

Send = Callable[[UserDefineOutcomeParams], Awaitable[Any]]


def check_description(text: str) -> str:
    text = text.strip()
    if not text:
        raise FieldError("say what the agent is to achieve")
    return text


def check_rubric(text: str) -> str:
    if not text.strip():
        raise FieldError("a rubric is required, e.g. one line “must contain: DONE”")
    if len(text) > RUBRIC_MAX:
        raise FieldError(f"a rubric is at most {RUBRIC_MAX:,} characters (this one has {len(text):,})")
    return text


def check_iterations(text: str) -> int:
    text = text.strip()
    if not text:
        return DEFAULT_ITERATIONS
    if not text.isdigit() or not 1 <= int(text) <= MAX_ITERATIONS:
        raise FieldError(f"a whole number from 1 to {MAX_ITERATIONS}")
    return int(text)


class OutcomeForm(FieldForm["UserDefineOutcomeParams | None"]):
    """The outcome to define; dismisses with what was sent, or ``None`` on cancel."""

    BINDINGS = [
        Binding("ctrl+s", "create", "Create", id="outcome_form.create"),
        Binding("escape", "cancel", "Cancel", id="outcome_form.cancel"),
    ]

    def __init__(self, send: Send) -> None:
        super().__init__()
        self._sender = send

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="outcome-form", classes="dialog form"):
            yield Static("Define an outcome", classes="dialog-title")
            yield Label("Description: what the agent is to achieve")
            yield Input(placeholder="e.g. Write a release note for v2", id="outcome-description", compact=True)
            yield MessageLine(id="outcome-description-error", classes="field-error")
            yield Label("Rubric: how the result is graded (several lines)")
            yield TextArea(id="outcome-rubric", compact=True)
            yield MessageLine(id="outcome-rubric-error", classes="field-error")
            yield Label(f"Max iterations (1 to {MAX_ITERATIONS})")
            yield Input(str(DEFAULT_ITERATIONS), id="outcome-iterations", compact=True)
            yield MessageLine(id="outcome-iterations-error", classes="field-error")
            yield MessageLine(id="outcome-form-error", classes="form-error")
            yield dialog_buttons("Create", "outcome-create", "outcome-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#outcome-description").focus()

    @on(Button.Pressed, "#outcome-create")
    @on(Input.Submitted)
    def action_create(self) -> None:
        params = self._params()
        if params is not None:
            self._submit(params)

    @on(Button.Pressed, "#outcome-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _params(self) -> UserDefineOutcomeParams | None:
        """The event to send, or ``None`` after showing why each bad field cannot be used."""
        description = self._check(
            "outcome-description", lambda: check_description(self.query_one("#outcome-description", Input).value)
        )
        rubric = self._check("outcome-rubric", lambda: check_rubric(self.query_one("#outcome-rubric", TextArea).text))
        iterations = self._check(
            "outcome-iterations", lambda: check_iterations(self.query_one("#outcome-iterations", Input).value)
        )
        if self._focus_first_error():
            return None
        return UserDefineOutcomeParams(
            description=description, rubric=Rubric(type="text", content=rubric), max_iterations=iterations
        )

    @work(exclusive=True, group="outcome-form", exit_on_error=False)
    async def _submit(self, params: UserDefineOutcomeParams) -> None:
        create = self.query_one("#outcome-create", Button)
        create.disabled = True
        message = self.query_one("#outcome-form-error", MessageLine)
        message.say(None)
        try:
            await self._sender(params)
        except AgentAPIError as exc:
            message.say(f"Outcome not sent: {exc}")
            return
        finally:
            create.disabled = False
        self.dismiss(params)
