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

from textual import work
from textual.binding import Binding

from app.api.pagination import AsyncPaginator
from app.tui.callbacks import no_result
from app.tui.fields import FieldError
from app.tui.paths import upload_source
from app.tui.screens.confirm import confirm
from app.tui.screens.object_screen import ObjectDialog
from app.tui.screens.one_field_form import OneFieldForm


def check_token(text: str) -> str:
    if not text.strip():
        raise FieldError("type the new token")
    return text.strip()


async def attach_file(client: Any, session_id: str, path: Path) -> Any:
    """Upload the local file at ``path`` and mount it in the session; the file resource."""
    file = await client.files.upload(path)
    return await client.sessions.resources.add(session_id, file.id)


class ResourcesScreen(ObjectDialog[Any]):
    """The resources of session ``session_id``."""

    BINDINGS = [
        Binding("a", "add", "Add file", id="resources.add_file"),
        Binding("d", "delete", "Detach", id="resources.delete"),
        Binding("t", "token", "New token", id="resources.token"),
        Binding("r", "reload", "Reload", id="resources.reload"),
        Binding("escape", "close", "Close", id="resources.close"),
    ]

    BOX_ID = "resources"
    TABLE_ID = "resources-table"
    COLUMNS = ("kind", "mounted at", "what", "id")
    KIND = "resource"
    EMPTY = "Nothing mounted: press a to add a file."

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id

    def heading(self) -> str:
        return f"Resources of {self.session_id}"

    def listing(self) -> AsyncPaginator[Any]:
        return self.client.sessions.resources.list(self.session_id)

    def cells(self, resource: Any) -> tuple[str, ...]:
        what = getattr(resource, "url", None) or getattr(resource, "file_id", None)
        what = what or getattr(resource, "memory_store_id", None) or ""
        return resource.type, getattr(resource, "mount_path", None) or "", what, getattr(resource, "id", None) or ""

    def action_add(self) -> None:
        form = OneFieldForm("Add a file to the session", "Local file (uploaded, then mounted)", upload_source, ok="Add")
        self.app.push_screen(form, no_result(self._add))

    @work(group="resources-add", exit_on_error=False)
    async def _add(self, path: Path | None) -> None:
        if path is not None:
            call = attach_file(self.client, self.session_id, path)
            await self.attempt(call, f"Could not add {path}", lambda r: f"Mounted {path.name} at {r.mount_path}")

    def action_delete(self) -> None:
        resource = self.selected
        if resource is None or getattr(resource, "id", None) is None:
            self.notify("Pick a resource with an id to detach.", markup=False)
            return
        question = f"Detach {resource.type} {resource.id} from the session?"
        confirm(self, question, "Detach", partial(self._delete, resource))

    @work(group="resources-delete", exit_on_error=False)
    async def _delete(self, resource: Any) -> None:
        call = self.client.sessions.resources.delete(self.session_id, resource.id)
        await self.attempt(call, f"Could not detach {resource.id}", lambda _: f"Detached {resource.id}")

    def action_token(self) -> None:
        resource = self.selected
        if resource is None or resource.type != "github_repository":
            self.notify("Pick a github_repository resource to give it a new token.", markup=False)
            return
        form = OneFieldForm(f"New token for {resource.url}", "Token (write-only)", check_token, ok="Save", secret=True)
        self.app.push_screen(form, no_result(partial(self._token, resource)))

    @work(group="resources-token", exit_on_error=False)
    async def _token(self, resource: Any, token: str | None) -> None:
        if token is not None:
            call = self.client.sessions.resources.update(self.session_id, resource.id, authorization_token=token)
            saved = f"New token saved for {resource.url}"
            await self.attempt(call, f"Could not update the token of {resource.id}", lambda _: saved)
