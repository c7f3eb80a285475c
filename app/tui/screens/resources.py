"""ResourcesScreen (``R`` in the chat, palette "Session resources"): what is mounted in a session.

Rows show each resource's kind, where it is mounted and what it is (a repository's URL, a file's
id, a memory store's id). ``a`` uploads a local file and mounts it (the agent sees it from its next
turn), ``d`` detaches the highlighted resource after asking, ``t`` gives a repository a new token,
typed masked and never shown again (the API never returns it).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from app.api.errors import AgentAPIError
from app.tui.fields import FieldError
from app.tui.paths import upload_source
from app.tui.screens.one_field_form import OneFieldForm
from app.tui.widgets.footer import Footer

COLUMNS = ("Kind", "Mounted at", "What", "ID")


def resource_row(resource: Any) -> tuple[Text, ...]:
    what = getattr(resource, "url", None) or getattr(resource, "file_id", None)
    what = what or getattr(resource, "memory_store_id", None) or ""
    cells = (resource.type, getattr(resource, "mount_path", None) or "", what, getattr(resource, "id", None) or "")
    return tuple(Text(cell, no_wrap=True, overflow="ellipsis") for cell in cells)


def check_token(text: str) -> str:
    if not text.strip():
        raise FieldError("type the new token")
    return text.strip()


async def attach_file(client: Any, session_id: str, path: Path) -> Any:
    """Upload the local file at ``path`` and mount it in the session; the file resource."""
    file = await client.files.upload(path)
    return await client.sessions.resources.add(session_id, file.id)


class ResourcesScreen(ModalScreen[None]):
    """The resources of session ``session_id``."""

    BINDINGS = [
        Binding("a", "add", "Add file", id="resources.add_file"),
        Binding("d", "delete", "Detach", id="resources.delete"),
        Binding("t", "token", "New token", id="resources.token"),
        Binding("r", "refresh", "Refresh", id="resources.refresh"),
        Binding("escape", "dismiss", "Close", id="resources.close"),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.resources: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="resources", classes="dialog") as box:
            box.border_title = f"Resources of {self.session_id}"
            yield Static(id="resources-status")
            yield DataTable(id="resources-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*COLUMNS)
        self.action_refresh()

    @property
    def _client(self) -> Any:
        return self.app.backend.client

    def _status(self, text: str) -> None:
        self.query_one("#resources-status", Static).update(Content(text))

    @work(exclusive=True, group="resources-list", exit_on_error=False)
    async def action_refresh(self) -> None:
        try:
            found = [r async for r in self._client.sessions.resources.list(self.session_id)]
        except AgentAPIError as exc:
            self._status(f"Could not list the resources: {exc}")
            return
        self.resources = found
        table = self.query_one(DataTable)
        table.clear()
        for resource in found:
            table.add_row(*resource_row(resource))
        self._status(f"{len(found)} resource(s)" if found else "Nothing mounted: press a to add a file.")
        table.focus()

    @property
    def highlighted(self) -> Any | None:
        row = self.query_one(DataTable).cursor_row
        return self.resources[row] if self.resources and 0 <= row < len(self.resources) else None

    def action_add(self) -> None:
        form = OneFieldForm("Add a file to the session", "Local file (uploaded, then mounted)", upload_source, ok="Add")
        self.app.push_screen(form, self._add)

    @work(group="resources-add", exit_on_error=False)
    async def _add(self, path: Path | None) -> None:
        if path is None:
            return
        try:
            resource = await attach_file(self._client, self.session_id, path)
        except (AgentAPIError, OSError) as exc:
            self.notify(f"Could not add {path}: {exc}", severity="error", markup=False)
            return
        self.notify(f"Mounted {path.name} at {resource.mount_path}", markup=False)
        self.action_refresh()

    def action_delete(self) -> None:
        resource = self.highlighted
        if resource is None or getattr(resource, "id", None) is None:
            self.notify("Pick a resource with an id to detach.", markup=False)
            return
        from app.tui.screens.confirm import ConfirmScreen

        question = f"Detach {resource.type} {resource.id} from the session?"
        self.app.push_screen(ConfirmScreen(question, yes="Detach"), partial(self._delete, resource))

    @work(group="resources-delete", exit_on_error=False)
    async def _delete(self, resource: Any, yes: bool | None) -> None:
        if not yes:
            return
        try:
            await self._client.sessions.resources.delete(self.session_id, resource.id)
        except AgentAPIError as exc:
            self.notify(f"Could not detach {resource.id}: {exc}", severity="error", markup=False)
            return
        self.notify(f"Detached {resource.id}", markup=False)
        self.action_refresh()

    def action_token(self) -> None:
        resource = self.highlighted
        if resource is None or resource.type != "github_repository":
            self.notify("Pick a github_repository resource to give it a new token.", markup=False)
            return
        form = OneFieldForm(f"New token for {resource.url}", "Token (write-only)", check_token, ok="Save", secret=True)
        self.app.push_screen(form, partial(self._token, resource))

    @work(group="resources-token", exit_on_error=False)
    async def _token(self, resource: Any, token: str | None) -> None:
        if token is None:
            return
        try:
            await self._client.sessions.resources.update(self.session_id, resource.id, authorization_token=token)
        except AgentAPIError as exc:
            self.notify(f"Could not update the token of {resource.id}: {exc}", severity="error", markup=False)
            return
        self.notify(f"New token saved for {resource.url}", markup=False)
