"""MemoryStorePicker: the session form's memory store section, a choice among the active stores
(none by default), loaded when it mounts. :meth:`MemoryStorePicker.resource` is what to attach."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.markup import escape
from textual.widgets import Label, Select

from app.api.errors import AgentAPIError
from app.tui.host import client_of


class MemoryStorePicker(Vertical):
    """A section title and a labelled select of the active memory stores; blank means none."""

    DEFAULT_CSS = "MemoryStorePicker { height: auto; }"

    def compose(self) -> ComposeResult:
        yield Label("Memory store (optional; f6 manages them)", classes="section")
        with Horizontal(classes="field"):
            yield Label("Store", classes="field-label")
            yield Select([], prompt="none", id="memory-store", compact=True)

    def on_mount(self) -> None:
        self._load()

    @work(exclusive=True, group="memory-store-picker", exit_on_error=False)
    async def _load(self) -> None:
        select = self.query_one("#memory-store", Select)
        try:
            stores = [s async for s in client_of(self).memory_stores.list()]
        except AgentAPIError as error:
            # The prompt is a str read as markup (a Content prompt breaks Select's watcher).
            select.prompt = escape(f"unavailable: {error}")
            return
        select.set_options([(Content(s.name), s.id) for s in stores])

    def resource(self) -> dict[str, Any] | None:
        """The ``memory_store`` resource to attach, or ``None``."""
        chosen = self.query_one("#memory-store", Select).selection
        return None if chosen is None else {"type": "memory_store", "memory_store_id": chosen}
