"""EnvironmentForm: create an environment, or edit one's description, networking and metadata.

Networking (unrestricted, or limited to allowed hosts, with or without package managers) applies
to cloud environments; an edit sends it only when it changed, and never changes ``config.type``
(the API refuses that). A self-hosted environment's form has no networking section.

The form saves through the ``save`` coroutine it is given (called from a worker) and closes only
when that succeeds: a field it cannot use, or an error from the API, is shown in the form and
everything typed stays. It dismisses with the saved environment, or ``None`` when cancelled.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static, TextArea

from app.tui.fields import FieldError, format_metadata, metadata_patch, parse_hosts, parse_metadata
from app.tui.screens.field_form import FieldForm
from app.tui.widgets.dialog_buttons import dialog_buttons
from app.tui.widgets.footer import Footer
from app.tui.widgets.message_line import MessageLine

if TYPE_CHECKING:
    from app.api.models import Environment

Save = Callable[[dict[str, Any]], Awaitable["Environment"]]


class EnvironmentForm(FieldForm["Environment | None"]):
    """New environment (``environment=None``) or edit of ``environment`` (all but its name)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="environment_form.save"),
        Binding("escape", "cancel", "Cancel", id="environment_form.cancel"),
    ]

    def __init__(self, save: Save, environment: Environment | None = None) -> None:
        super().__init__()
        self._saver = save
        self.environment = environment

    def compose(self) -> ComposeResult:
        env = self.environment
        title = "New environment" if env is None else f"Edit environment {env.name}"
        with VerticalScroll(id="environment-form", classes="dialog form"):
            yield Static(Content(title), classes="dialog-title")
            if env is None:
                yield Label("Name")
                yield Input(placeholder="e.g. team-dev", id="env-name", compact=True)
                yield MessageLine(id="env-name-error", classes="field-error")
            yield Label("Description")
            description = (env.description or "") if env else ""
            yield Input(description, placeholder="optional", id="env-description", compact=True)
            if self._cloud:
                networking = self._networking_now()
                limited = networking["type"] == "limited"
                yield Label("Networking")
                with RadioSet(id="env-networking", compact=True):
                    yield RadioButton("unrestricted", value=not limited, id="net-unrestricted")
                    yield RadioButton("limited: only the allowed hosts", value=limited, id="net-limited")
                with Vertical(id="env-limited", disabled=not limited):
                    yield Label("Allowed hosts (comma or space separated)")
                    hosts = ", ".join(networking.get("allowed_hosts", []))
                    yield Input(hosts, placeholder="e.g. pypi.org, *.github.com", id="env-hosts", compact=True)
                    yield MessageLine(id="env-hosts-error", classes="field-error")
                    managers = networking.get("allow_package_managers", False)
                    yield Checkbox("Allow package managers", managers, id="env-package-managers", compact=True)
            yield Label("Metadata (key=value, one pair per line)")
            metadata = format_metadata(env.metadata) if env else ""
            yield TextArea(metadata, id="env-metadata", soft_wrap=False, compact=True)
            yield MessageLine(id="env-metadata-error", classes="field-error")
            yield MessageLine(id="form-error", classes="form-error")
            yield dialog_buttons("Save", "form-save", "form-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#env-name" if self.environment is None else "#env-description").focus()

    @property
    def _cloud(self) -> bool:
        """Networking applies (a new environment is a cloud one)."""
        return self.environment is None or self.environment.config.type == "cloud"

    def _networking_now(self) -> dict[str, Any]:
        """The edited environment's networking as :meth:`_parse_networking` would read it (new: unrestricted)."""
        config = self.environment.config if self.environment is not None else None
        networking = getattr(config, "networking", None)
        if networking is None or networking.type != "limited":
            return {"type": "unrestricted"}
        return {
            "type": "limited",
            "allowed_hosts": list(networking.allowed_hosts or []),
            "allow_package_managers": bool(networking.allow_package_managers),
        }

    @on(RadioSet.Changed, "#env-networking")
    def _networking_changed(self, event: RadioSet.Changed) -> None:
        self.query_one("#env-limited").disabled = event.pressed.id != "net-limited"

    @on(Button.Pressed, "#form-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        """Save (ctrl+s, enter in a one-line field, or the button)."""
        body = self._body()
        if body is None:
            return
        if not body:
            self.dismiss(None)  # an edit that changes nothing
            return
        self._submit(body)

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _body(self) -> dict[str, Any] | None:
        """The request body, or ``None`` after showing why each unusable field cannot be used."""
        body: dict[str, Any] = {}
        description = self.query_one("#env-description", Input).value.strip()
        metadata = self._check("env-metadata", lambda: parse_metadata(self.query_one("#env-metadata", TextArea).text))
        env = self.environment
        if env is None:
            body["name"] = self._check("env-name", self._parse_name)
            if description:
                body["description"] = description
            body["config"] = {"type": "cloud", "networking": self._check("env-hosts", self._parse_networking)}
            if metadata:
                body["metadata"] = metadata
        else:
            if description != (env.description or ""):
                body["description"] = description or None
            if self._cloud:
                networking = self._check("env-hosts", self._parse_networking)
                if networking is not None and networking != self._networking_now():
                    body["config"] = {"type": "cloud", "networking": networking}
            if metadata is not None and (patch := metadata_patch(env.metadata, metadata)):
                body["metadata"] = patch
        if self._focus_first_error():
            return None
        return body

    def _parse_name(self) -> str:
        name = self.query_one("#env-name", Input).value.strip()
        if not name:
            raise FieldError("a name is required")
        return name

    def _parse_networking(self) -> dict[str, Any]:
        if not self.query_one("#net-limited", RadioButton).value:
            return {"type": "unrestricted"}
        return {
            "type": "limited",
            "allowed_hosts": parse_hosts(self.query_one("#env-hosts", Input).value),
            "allow_package_managers": self.query_one("#env-package-managers", Checkbox).value,
        }

    @work(exclusive=True, group="environment-form", exit_on_error=False)
    async def _submit(self, body: dict[str, Any]) -> None:
        await self._saved(self._saver(body))
