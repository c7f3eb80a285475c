"""MemoryStoresScreen (f6): the memory stores, like the other object screens: ``n`` new, ``e`` edit,
``a`` archive, ``d`` delete, ``r`` reload. Enter (or ``m``) opens the store's memories in
:class:`MemoriesScreen` (new, edit, view, delete); viewing a memory opens :class:`MemoryScreen`:
its content and its versions, where an old version can be redacted.

Deletes, archives and redactions ask first. Everything from the server is shown as plain text.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from app.api.client import AgentClient
from app.api.errors import AgentAPIError
from app.api.models import Memory, MemoryStore, MemoryVersion
from app.api.pagination import AsyncPaginator
from app.tui.callbacks import no_result
from app.tui.format import when
from app.tui.screens.confirm import confirm
from app.tui.screens.memory_forms import MemoryForm, MemoryStoreForm
from app.tui.screens.object_screen import ObjectDialog, ObjectScreen
from app.tui.widgets.fitted_table import refill
from app.tui.widgets.footer import Footer


def _when(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


class MemoryStoresScreen(ObjectScreen[MemoryStore]):
    """The memory stores (see the module docstring)."""

    BINDING_GROUP_TITLE = "Memory stores"
    BINDINGS = [
        Binding("n", "new", "New", id="memory_stores.new"),
        Binding("e", "edit", "Edit", id="memory_stores.edit"),
        Binding("m", "memories", "Memories", id="memory_stores.memories"),
        Binding("a", "archive", "Archive", id="memory_stores.archive"),
        Binding("d", "delete", "Delete", id="memory_stores.delete"),
        Binding("r", "reload", "Reload", id="memory_stores.reload"),
        Binding("escape", "close", "Back", id="memory_stores.close"),
    ]

    BOX_ID = "memory-stores-pane"
    TABLE_ID = "memory-stores"
    COLUMNS = ("name", "description", "state", "updated", "id")
    KIND = "memory store"
    EMPTY = "No memory stores yet: press n to make one."

    def listing(self) -> AsyncPaginator[MemoryStore]:
        return self.client.memory_stores.list(include_archived=True)

    def cells(self, store: MemoryStore) -> tuple[str, ...]:
        state = "archived" if store.archived_at else "active"
        return store.name, store.description, state, when(store.updated_at), store.id

    def action_new(self) -> None:
        self.app.push_screen(MemoryStoreForm(lambda body: self.client.memory_stores.create(body)), self.saved)

    def action_edit(self) -> None:
        store = self.selected
        if store is None or store.archived_at is not None:
            self.status("Pick an active memory store first (archived ones can't change).")
            return
        form = MemoryStoreForm(
            lambda body: self.client.memory_stores.update(store.id, body), store.name, store.description
        )
        self.app.push_screen(form, self.saved)

    def saved_text(self, store: MemoryStore) -> str:
        return f"Saved {store.name}."

    @on(DataTable.RowSelected)
    def action_memories(self) -> None:
        if self.selected is not None:
            self.app.push_screen(MemoriesScreen(self.selected))

    def action_archive(self) -> None:
        store = self.selected
        if store is not None and store.archived_at is None:
            question = f"Archive {store.name}? Its memories stay readable but can no longer change."
            confirm(
                self,
                question,
                "Archive",
                lambda: self._change(self.client.memory_stores.archive(store.id), store, "Archived"),
            )

    def action_delete(self) -> None:
        store = self.selected
        if store is not None:
            question = f"Delete {store.name} with all its memories and their history? This cannot be undone."
            confirm(
                self,
                question,
                "Delete",
                lambda: self._change(self.client.memory_stores.delete(store.id), store, "Deleted"),
            )

    @work(exit_on_error=False)
    async def _change(self, call: Any, store: MemoryStore, done: str) -> None:
        await self.attempt(call, f"Could not change {store.name}", lambda _: f"{done} {store.name}.")


class MemoriesScreen(ObjectDialog[Memory]):
    """The memories of ``store`` by path: ``n`` new, ``e`` edit, ``v`` (or enter) view with its
    versions, ``d`` delete (confirmed). An archived store's memories are read-only."""

    BINDINGS = [
        Binding("n", "new", "New memory", id="memories.new"),
        Binding("e", "edit", "Edit", id="memories.edit"),
        Binding("v", "view", "View", id="memories.view"),
        Binding("d", "delete", "Delete", id="memories.delete"),
        Binding("r", "reload", "Reload", id="memories.reload"),
        Binding("escape", "close", "Close", id="memories.close"),
    ]

    BOX_ID = "memories-dialog"
    TABLE_ID = "memories"
    COLUMNS = ("path", "bytes", "updated", "id")
    KIND = "memory"
    KINDS = "memories"
    EMPTY = "No memories yet: press n to write one."

    def __init__(self, store: MemoryStore) -> None:
        super().__init__()
        self.store = store

    def heading(self) -> str:
        return f"Memories of {self.store.name}"

    def listing(self) -> AsyncPaginator[Memory]:
        return self.client.memory_stores.memories.list(self.store.id, limit=100)

    def cells(self, memory: Memory) -> tuple[str, ...]:
        return memory.path, str(memory.content_size_bytes), when(memory.updated_at), memory.id

    def _writable(self) -> bool:
        if self.store.archived_at is not None:
            self.notify(f"{self.store.name} is archived: its memories can no longer change.", markup=False)
            return False
        return True

    def action_new(self) -> None:
        if not self._writable():
            return

        async def save(body: dict[str, Any]) -> Memory:
            return await self.client.memory_stores.memories.create(self.store.id, **body)

        self.app.push_screen(MemoryForm(save), self.saved)

    @work(exit_on_error=False)
    async def action_edit(self) -> None:
        memory = self.selected
        if memory is None or not self._writable():
            return
        try:
            full = await self.client.memory_stores.memories.retrieve(memory.id, memory_store_id=memory.memory_store_id)
        except AgentAPIError as exc:
            self.notify(f"Could not read {memory.path}: {exc}", severity="error", markup=False)
            return

        async def save(body: dict[str, Any]) -> Memory:
            changes = {k: v for k, v in body.items() if v != getattr(full, k)}
            return await self.client.memory_stores.memories.update(
                full.id, memory_store_id=full.memory_store_id, expected_sha256=full.content_sha256, **changes
            )

        form = MemoryForm(save, full.path, full.content or "", title=f"Edit {full.path}")
        self.app.push_screen(form, self.saved)

    def saved_text(self, memory: Memory) -> str:
        return f"Saved {memory.path}."

    @on(DataTable.RowSelected)
    def action_view(self) -> None:
        if self.selected is not None:
            self.app.push_screen(MemoryScreen(self.client, self.selected), no_result(lambda _: self.action_reload()))

    def action_delete(self) -> None:
        memory = self.selected
        if memory is not None:
            confirm(
                self, f"Delete the memory {memory.path}? Its versions stay.", "Delete", lambda: self._delete(memory)
            )

    @work(exit_on_error=False)
    async def _delete(self, memory: Memory) -> None:
        call = self.client.memory_stores.memories.delete(memory.id, memory_store_id=memory.memory_store_id)
        await self.attempt(call, f"Could not delete {memory.path}", lambda _: f"Deleted {memory.path}.")


class MemoryScreen(ModalScreen[None]):
    """One memory: its content, and its versions newest first (highlight one to read it)."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="memory.close"),
        Binding("x", "redact", "Redact version", id="memory.redact"),
    ]

    def __init__(self, client: AgentClient, memory: Memory) -> None:
        super().__init__()
        self.client = client
        self.memory = memory
        self.versions: list[MemoryVersion] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="memory-dialog", classes="dialog"):
            yield Static(Content(self.memory.path), classes="dialog-title")
            with VerticalScroll(id="memory-content"):
                yield Static(Content("loading…"), id="memory-text")
            table: DataTable[Text] = DataTable(id="memory-versions", cursor_type="row")
            table.add_columns("Version", "Change", "By", "When")
            yield table
            yield Static(id="memory-version-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#memory-versions").focus()
        self._load()

    @property
    def version(self) -> MemoryVersion | None:
        row = self.query_one("#memory-versions", DataTable).cursor_row
        return self.versions[row] if 0 <= row < len(self.versions) else None

    @work(exclusive=True, group="memory", exit_on_error=False)
    async def _load(self) -> None:
        m = self.memory
        try:
            self.versions = [
                v
                async for v in self.client.memory_stores.memory_versions.list(
                    m.memory_store_id, memory_id=m.id, view="full", limit=20
                )
            ]
        except AgentAPIError as exc:
            self.query_one("#memory-version-status", Static).update(Content(f"Could not list the versions: {exc}"))
            return
        rows = []
        for v in self.versions:
            label = "current" if v.id == m.memory_version_id else v.id[-8:]
            by = v.created_by.session_id or v.created_by.type if v.created_by else ""
            change = f"{v.operation} (redacted)" if v.redacted_at else v.operation
            rows.append([Text(label), Text(change), Text(by or ""), Text(_when(v.created_at))])
        refill(self.query_one("#memory-versions", DataTable), rows, [v.id for v in self.versions])
        self._show_version()

    @on(DataTable.RowHighlighted, "#memory-versions")
    def _show_version(self) -> None:
        v = self.version
        if v is None:
            return
        if v.redacted_at:
            text = f"(redacted {_when(v.redacted_at)})"
        elif v.operation == "deleted":
            text = "(deleted)"
        else:
            text = v.content or ""
        self.query_one("#memory-text", Static).update(Content(text))

    def action_redact(self) -> None:
        v = self.version
        if v is None or v.redacted_at:
            return
        if v.id == self.memory.memory_version_id:
            self.query_one("#memory-version-status", Static).update(
                Content("The current version can't be redacted: edit or delete the memory first.")
            )
            return
        question = "Redact this version? Its content and path are erased for good; who and when stay."
        confirm(self, question, "Redact", partial(self._redact, v))

    @work(exit_on_error=False)
    async def _redact(self, version: MemoryVersion) -> None:
        try:
            await self.client.memory_stores.memory_versions.redact(version.id, memory_store_id=version.memory_store_id)
        except AgentAPIError as exc:
            self.query_one("#memory-version-status", Static).update(Content(f"Not redacted: {exc}"))
            return
        self.query_one("#memory-version-status", Static).update(Content("Redacted."))
        self._load()

    def action_close(self) -> None:
        self.dismiss(None)
