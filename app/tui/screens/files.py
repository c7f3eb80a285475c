"""FilesScreen (f3, palette "Files"): the account's files; upload from a path, save to a path, delete.

Rows show each file's name, size, type, where it came from (an upload, or the session that wrote
it under ``/mnt/session/outputs``), when, and its id; names from the server are plain text. A path
is asked for with :class:`~app.tui.screens.one_field_form.OneFieldForm` (completed as you type, checked
before anything is sent); deleting asks first.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from app.api.errors import AgentAPIError
from app.api.models import FileMetadata
from app.tui.paths import download_target, upload_source
from app.tui.screens.one_field_form import OneFieldForm
from app.tui.widgets.footer import Footer

COLUMNS = ("Name", "Size", "Type", "From", "Created", "ID")


def size_label(size: int) -> str:
    """``18 B``, ``4.2 KB``, ``12.0 MB``."""
    if size < 1024:
        return f"{size} B"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}"
    raise AssertionError("unreachable")


def file_row(file: FileMetadata) -> tuple[Text, ...]:
    origin = file.scope.id if file.scope is not None else "upload"
    cells = (file.filename, size_label(file.size_bytes), file.mime_type, origin, file.created_at[:19], file.id)
    return tuple(Text(cell, no_wrap=True, overflow="ellipsis") for cell in cells)


class FilesScreen(ModalScreen[None]):
    """Every file, newest first; the keys act on the highlighted one."""

    BINDINGS = [
        Binding("u", "upload", "Upload", id="files.upload"),
        Binding("s", "download", "Save to…", id="files.download"),
        Binding("d", "delete", "Delete", id="files.delete"),
        Binding("r", "refresh", "Refresh", id="files.refresh"),
        Binding("escape", "dismiss", "Close", id="files.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.files: list[FileMetadata] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="files", classes="dialog") as box:
            box.border_title = "Files"
            yield Static(id="files-status")
            yield DataTable(id="files-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*COLUMNS)
        self.action_refresh()

    @property
    def highlighted(self) -> FileMetadata | None:
        table = self.query_one(DataTable)
        return self.files[table.cursor_row] if self.files and 0 <= table.cursor_row < len(self.files) else None

    def _status(self, text: str) -> None:
        self.query_one("#files-status", Static).update(Content(text))

    @property
    def _client(self):
        return self.app.backend.client

    @work(exclusive=True, group="files-list", exit_on_error=False)
    async def action_refresh(self, select: str | None = None) -> None:
        """Reload the list (highlighting file ``select`` if given)."""
        try:
            files = [file async for file in self._client.files.list(limit=1000)]
        except AgentAPIError as exc:
            self._status(f"Could not list files: {exc}")
            return
        self.files = files
        table = self.query_one(DataTable)
        table.clear()
        for file in files:
            table.add_row(*file_row(file), key=file.id)
        self._status(f"{len(files)} file(s), newest first" if files else "No files yet: press u to upload one.")
        if select is not None and select in [f.id for f in files]:
            table.move_cursor(row=[f.id for f in files].index(select))
        table.focus()

    def action_upload(self) -> None:
        form = OneFieldForm("Upload a file", "Local file", upload_source, ok="Upload")
        self.app.push_screen(form, self._upload)

    @work(group="files-upload", exit_on_error=False)
    async def _upload(self, path: Path | None) -> None:
        if path is None:
            return
        try:
            file = await self._client.files.upload(path)
        except (AgentAPIError, OSError) as exc:
            self.notify(f"Could not upload {path}: {exc}", severity="error", markup=False)
            return
        self.notify(f"Uploaded {file.filename} ({file.id})", markup=False)
        self.action_refresh(file.id)

    def action_download(self) -> None:
        file = self._pick("save")
        if file is not None:
            form = OneFieldForm(
                f"Save {file.filename}", "Save to (a file, or a folder to keep its name)",
                partial(download_target, filename=file.filename), value=f"{Path.cwd()}/", ok="Save",
            )
            self.app.push_screen(form, partial(self._download, file))

    @work(group="files-download", exit_on_error=False)
    async def _download(self, file: FileMetadata, path: Path | None) -> None:
        if path is None:
            return
        try:
            content = await self._client.files.download(file.id)
            with open(path, "xb") as out:
                out.write(content)
        except (AgentAPIError, OSError) as exc:
            self.notify(f"Could not save {file.filename}: {exc}", severity="error", markup=False)
            return
        self.notify(f"Saved {file.filename} to {path}", markup=False)

    def action_delete(self) -> None:
        file = self._pick("delete")
        if file is not None:
            from app.tui.screens.confirm import ConfirmScreen

            question = f"Delete file {file.filename} ({file.id})? Sessions it is mounted in keep their copy."
            self.app.push_screen(ConfirmScreen(question, yes="Delete"), partial(self._delete, file))

    @work(group="files-delete", exit_on_error=False)
    async def _delete(self, file: FileMetadata, yes: bool | None) -> None:
        if not yes:
            return
        try:
            await self._client.files.delete(file.id)
        except AgentAPIError as exc:
            self.notify(f"Could not delete {file.filename}: {exc}", severity="error", markup=False)
            return
        self.notify(f"Deleted {file.filename}", markup=False)
        self.action_refresh()

    def _pick(self, verb: str) -> FileMetadata | None:
        file = self.highlighted
        if file is None:
            self.notify(f"No file to {verb}: press u to upload one.", markup=False)
        return file

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_download()
