"""MemoryStoresScreen (f6): the memory stores on the left, the highlighted store's memories on the
right. New, archive and delete stores; new, edit, view and delete memories. Viewing a memory opens
:class:`MemoryScreen`: its content and its versions, where an old version can be redacted.

Deletes, archives and redactions ask first. Everything from the server is shown as plain text.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from app.api.client import AgentClient
from app.api.errors import AgentAPIError
from app.api.models import Memory, MemoryStore, MemoryVersion
from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.memory_forms import MemoryForm, MemoryStoreForm
from app.tui.widgets.footer import Footer


def _when(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


class MemoryStoresScreen(Screen[None]):
    """The memory stores and their memories (see the module docstring)."""

    BINDING_GROUP_TITLE = "Memory stores"
    BINDINGS = [
        Binding("escape", "close", "Close", id="memory_stores.close"),
        Binding("n", "new_store", "New store", id="memory_stores.new_store"),
        Binding("E", "edit_store", "Edit store", id="memory_stores.edit_store"),
        Binding("a", "archive_store", "Archive", id="memory_stores.archive_store"),
        Binding("D", "delete_store", "Delete store", id="memory_stores.delete_store"),
        Binding("m", "new_memory", "New memory", id="memory_stores.new_memory"),
        Binding("e", "edit_memory", "Edit", id="memory_stores.edit_memory"),
        Binding("v", "view_memory", "View", id="memory_stores.view_memory"),
        Binding("d", "delete_memory", "Delete", id="memory_stores.delete_memory"),
        Binding("r", "reload", "Reload", id="memory_stores.reload", show=False),
    ]

    def __init__(self, client: AgentClient) -> None:
        super().__init__()
        self.client = client
        self.stores: list[MemoryStore] = []
        self.memories: list[Memory] = []

    def compose(self) -> ComposeResult:
        yield Static(Content("Memory stores"), id="memory-title", classes="dialog-title")
        with Horizontal(id="memory-panes"):
            stores = DataTable(id="memory-stores", cursor_type="row", zebra_stripes=True)
            stores.add_columns("Store", "Description", "State")
            yield stores
            memories = DataTable(id="memories", cursor_type="row", zebra_stripes=True)
            memories.add_columns("Memory", "Bytes", "Updated")
            yield memories
        yield Static(id="memory-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#memory-stores").focus()
        self.action_reload()

    @property
    def store(self) -> MemoryStore | None:
        table = self.query_one("#memory-stores", DataTable)
        return self.stores[table.cursor_row] if self.stores and 0 <= table.cursor_row < len(self.stores) else None

    @property
    def memory(self) -> Memory | None:
        table = self.query_one("#memories", DataTable)
        return self.memories[table.cursor_row] if self.memories and 0 <= table.cursor_row < len(self.memories) else None

    def _status(self, text: str) -> None:
        self.query_one("#memory-status", Static).update(Content(text))

    # ------------------------------------------------------------------ loading

    def action_reload(self) -> None:
        self._load_stores(None)

    @work(exclusive=True, group="memory-stores", exit_on_error=False)
    async def _load_stores(self, select: str | None) -> None:
        try:
            self.stores = [s async for s in self.client.memory_stores.list(include_archived=True)]
        except AgentAPIError as exc:
            self._status(f"Could not list the memory stores: {exc}")
            return
        table = self.query_one("#memory-stores", DataTable)
        table.clear()
        for s in self.stores:
            state = "archived" if s.archived_at else "active"
            table.add_row(Text(s.name), Text(s.description), Text(state), key=s.id)
        if select is not None and select in [s.id for s in self.stores]:
            table.move_cursor(row=[s.id for s in self.stores].index(select))
        if not self.stores:
            self._status("No memory stores yet: press n to make one.")
        self._load_memories()

    @on(DataTable.RowHighlighted, "#memory-stores")
    def _store_highlighted(self) -> None:
        self._load_memories()

    @work(exclusive=True, group="memories", exit_on_error=False)
    async def _load_memories(self) -> None:
        table = self.query_one("#memories", DataTable)
        store = self.store
        if store is None:
            self.memories = []
            table.clear()
            return
        try:
            listed = [m async for m in self.client.memory_stores.memories.list(store.id, limit=100)]
        except AgentAPIError as exc:
            self._status(f"Could not list the memories: {exc}")
            return
        self.memories = [m for m in listed if isinstance(m, Memory)]
        table.clear()
        for m in self.memories:
            table.add_row(Text(m.path), Text(str(m.content_size_bytes)), Text(_when(m.updated_at)), key=m.id)

    # ------------------------------------------------------------------ stores

    def action_new_store(self) -> None:
        self.app.push_screen(MemoryStoreForm(lambda body: self.client.memory_stores.create(body)), self._store_saved)

    def action_edit_store(self) -> None:
        store = self.store
        if store is None or store.archived_at is not None:
            self._status("Pick an active memory store first (archived ones can't change).")
            return
        form = MemoryStoreForm(lambda body: self.client.memory_stores.update(store.id, body), store.name, store.description)
        self.app.push_screen(form, self._store_saved)

    def _store_saved(self, store: MemoryStore | None) -> None:
        if store is not None:
            self._status(f"Saved {store.name}.")
            self._load_stores(store.id)

    def action_archive_store(self) -> None:
        store = self.store
        if store is not None and store.archived_at is None:
            question = f"Archive {store.name}? Its memories stay readable but can no longer change."
            self._confirm(question, "Archive", self.client.memory_stores.archive(store.id), f"Archived {store.name}.")

    def action_delete_store(self) -> None:
        store = self.store
        if store is not None:
            question = f"Delete {store.name} with all its memories and their history? This cannot be undone."
            self._confirm(question, "Delete", self.client.memory_stores.delete(store.id), f"Deleted {store.name}.")

    # ------------------------------------------------------------------ memories

    def action_new_memory(self) -> None:
        store = self.store
        if store is None or store.archived_at is not None:
            self._status("Pick an active memory store first.")
            return

        async def save(body: dict[str, Any]) -> Memory:
            return await self.client.memory_stores.memories.create(store.id, **body)

        self.app.push_screen(MemoryForm(save), self._memory_saved)

    @work(exit_on_error=False)
    async def action_edit_memory(self) -> None:
        memory = self.memory
        if memory is None:
            return
        try:
            full = await self.client.memory_stores.memories.retrieve(memory.id, memory_store_id=memory.memory_store_id)
        except AgentAPIError as exc:
            self._status(f"Could not read {memory.path}: {exc}")
            return

        async def save(body: dict[str, Any]) -> Memory:
            changes = {k: v for k, v in body.items() if v != getattr(full, k)}
            return await self.client.memory_stores.memories.update(
                full.id, memory_store_id=full.memory_store_id, expected_sha256=full.content_sha256, **changes
            )

        form = MemoryForm(save, full.path, full.content or "", title=f"Edit {full.path}")
        self.app.push_screen(form, self._memory_saved)

    def _memory_saved(self, memory: Memory | None) -> None:
        if memory is not None:
            self._status(f"Saved {memory.path}.")
            self._load_memories()

    def action_view_memory(self) -> None:
        if self.memory is not None:
            self.app.push_screen(MemoryScreen(self.client, self.memory), lambda _: self._load_memories())

    @on(DataTable.RowSelected, "#memories")
    def _memory_selected(self) -> None:
        self.action_view_memory()

    def action_delete_memory(self) -> None:
        memory = self.memory
        if memory is not None:
            call = self.client.memory_stores.memories.delete(memory.id, memory_store_id=memory.memory_store_id)
            self._confirm(f"Delete the memory {memory.path}? Its versions stay.", "Delete", call, f"Deleted {memory.path}.")

    # ------------------------------------------------------------------ shared

    def _confirm(self, question: str, yes: str, call: Any, done: str) -> None:
        """Ask ``question``; on yes await ``call`` (a coroutine), say ``done`` and reload."""

        def answered(ok: bool | None) -> None:
            if ok:
                self._run(call, done)
            else:
                call.close()

        self.app.push_screen(ConfirmScreen(question, yes=yes), answered)

    @work(exit_on_error=False)
    async def _run(self, call: Any, done: str) -> None:
        try:
            await call
        except AgentAPIError as exc:
            self._status(f"Failed: {exc}")
            return
        self._status(done)
        self._load_stores(self.store.id if self.store else None)

    def action_close(self) -> None:
        self.dismiss(None)


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
            table = DataTable(id="memory-versions", cursor_type="row")
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
                v async for v in self.client.memory_stores.memory_versions.list(
                    m.memory_store_id, memory_id=m.id, view="full", limit=20
                )
            ]
        except AgentAPIError as exc:
            self.query_one("#memory-version-status", Static).update(Content(f"Could not list the versions: {exc}"))
            return
        table = self.query_one("#memory-versions", DataTable)
        table.clear()
        for v in self.versions:
            label = "current" if v.id == m.memory_version_id else v.id[-8:]
            by = v.created_by.session_id or v.created_by.type if v.created_by else ""
            change = f"{v.operation} (redacted)" if v.redacted_at else v.operation
            table.add_row(Text(label), Text(change), Text(by or ""), Text(_when(v.created_at)), key=v.id)
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
        self.app.push_screen(ConfirmScreen(question, yes="Redact"), lambda ok: self._redact(v) if ok else None)

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
