"""The memory stores screen's forms: a new store (name, description) and a memory (path, content).

Each saves through the ``save`` coroutine it is given and closes only when that succeeds; a field
it cannot use, or an error from the API, shows in the form and what was typed stays. It dismisses
with what was saved, or ``None`` when cancelled.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Static, TextArea

from app.tui.fields import FieldError
from app.tui.screens.field_form import Save, SavingForm
from app.tui.widgets.footer import Footer
from app.tui.widgets.message_line import MessageLine


class MemoryStoreForm(SavingForm):
    """A new memory store, or an edit of one: its name and what it holds (the agent reads the
    description). An edit sends only what changed."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="memory_store_form.save"),
        Binding("escape", "cancel", "Cancel", id="memory_store_form.cancel"),
    ]

    def __init__(self, save: Save, name: str = "", description: str = "") -> None:
        super().__init__(save)
        self._was = {"name": name, "description": description}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="memory-store-form", classes="dialog form"):
            title = f"Edit {self._was['name']}" if self._was["name"] else "New memory store"
            yield Static(Content(title), classes="dialog-title")
            yield Label("Name")
            yield Input(self._was["name"], placeholder="e.g. Team notes", id="store-name", compact=True)
            yield MessageLine(id="store-name-error", classes="field-error")
            yield Label("Description (the agent reads it)")
            yield Input(self._was["description"], placeholder="optional", id="store-description", compact=True)
            yield from self._buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#store-name").focus()

    def _body(self) -> dict[str, Any] | None:
        name = self._check("store-name", lambda: _required(self.query_one("#store-name", Input).value, "a name"))
        if name is None:
            return None
        description = self.query_one("#store-description", Input).value.strip()
        if not self._was["name"]:
            return {"name": name, **({"description": description} if description else {})}
        now = {"name": name, "description": description}
        return {key: value for key, value in now.items() if value != self._was[key]}


class MemoryForm(SavingForm):
    """A new memory, or an edit of one (its path and content)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="memory_form.save"),
        Binding("escape", "cancel", "Cancel", id="memory_form.cancel"),
    ]

    def __init__(self, save: Save, path: str = "/", content: str = "", *, title: str = "New memory") -> None:
        super().__init__(save)
        self._path, self._content, self._title = path, content, title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="memory-form", classes="dialog form"):
            yield Static(Content(self._title), classes="dialog-title")
            yield Label("Path (starts with /, e.g. /people/ana.md)")
            yield Input(self._path, id="memory-path", compact=True)
            yield MessageLine(id="memory-path-error", classes="field-error")
            yield Label("Content (ctrl+s saves)")
            yield TextArea(self._content, id="memory-body", compact=True)
            yield MessageLine(id="memory-body-error", classes="field-error")
            yield from self._buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#memory-path" if self._path == "/" else "#memory-body").focus()

    def _body(self) -> dict[str, Any] | None:
        path = self._check("memory-path", self._parse_path)
        content = self.query_one("#memory-body", TextArea).text
        size = len(content.encode())
        self._check("memory-body", lambda: _within(size))
        return None if path is None else {"path": path, "content": content}

    def _parse_path(self) -> str:
        path = _required(self.query_one("#memory-path", Input).value, "a path")
        if not path.startswith("/") or path.endswith("/"):
            raise FieldError("a path starts with / and names a file, e.g. /notes/today.md")
        return path


def _required(value: str, what: str) -> str:
    if not value.strip():
        raise FieldError(f"{what} is required")
    return value.strip()


def _within(size: int) -> int:
    if size > 102_400:
        raise FieldError(f"at most 100 kB ({size} bytes now)")
    return size
