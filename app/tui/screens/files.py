"""FilesScreen (f3, palette "Files"): the account's files; ``n`` uploads from a path, ``s`` (or
enter) saves to a path, ``d`` deletes after a confirmation, ``r`` reloads, escape goes back.

Rows show each file's name, size, type, when it was made, its id and where it came from (an upload,
or the session that wrote it under ``/mnt/session/outputs``); names from the server are plain text. A path
is asked for with :class:`~app.tui.screens.one_field_form.OneFieldForm` (completed as you type, checked
before anything is sent); deleting asks first.
"""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

from textual import on, work
from textual.binding import Binding
from textual.widgets import DataTable

from app.api.models import FileMetadata
from app.api.pagination import AsyncPaginator
from app.tui.callbacks import no_result
from app.tui.format import when
from app.tui.paths import download_target, upload_source
from app.tui.screens.confirm import confirm
from app.tui.screens.object_screen import ObjectScreen
from app.tui.screens.one_field_form import OneFieldForm


def size_label(size: int) -> str:
    """``18 B``, ``4.2 KB``, ``12.0 MB``."""
    if size < 1024:
        return f"{size} B"
    scaled = float(size)
    for unit in ("KB", "MB", "GB"):
        scaled /= 1024
        if scaled < 1024 or unit == "GB":
            return f"{scaled:.1f} {unit}"
    raise AssertionError("unreachable")


def _write_new(path: Path, content: bytes) -> None:
    """Write a file that must not exist yet."""
    with open(path, "xb") as out:
        out.write(content)


class FilesScreen(ObjectScreen[FileMetadata]):
    """Every file, newest first; the keys act on the highlighted one."""

    BINDING_GROUP_TITLE = "Files"
    BINDINGS = [
        Binding("n", "upload", "Upload", id="files.upload"),
        Binding("s", "download", "Save to…", id="files.download"),
        Binding("d", "delete", "Delete", id="files.delete"),
        Binding("r", "reload", "Reload", id="files.reload"),
        Binding("escape", "close", "Back", id="files.close"),
    ]

    BOX_ID = "files-pane"
    TABLE_ID = "files-table"
    COLUMNS = ("name", "size", "type", "created", "id", "from")
    KIND = "file"
    EMPTY = "No files yet: press n to upload one."

    def listing(self) -> AsyncPaginator[FileMetadata]:
        return self.client.files.list(limit=1000)

    def cells(self, file: FileMetadata) -> tuple[str, ...]:
        origin = file.scope.id if file.scope is not None else "upload"
        return file.filename, size_label(file.size_bytes), file.mime_type, when(file.created_at), file.id, origin

    def action_upload(self) -> None:
        form = OneFieldForm("Upload a file", "Local file", upload_source, ok="Upload")
        self.app.push_screen(form, no_result(self._upload))

    @work(group="files-upload", exit_on_error=False)
    async def _upload(self, path: Path | None) -> None:
        if path is not None:
            call = self.client.files.upload(path)
            await self.attempt(call, f"Could not upload {path}", lambda file: f"Uploaded {file.filename} ({file.id})")

    @on(DataTable.RowSelected)
    def action_download(self) -> None:
        file = self._pick("save")
        if file is not None:
            form = OneFieldForm(
                f"Save {file.filename}",
                "Save to (a file, or a folder to keep its name)",
                partial(download_target, filename=file.filename),
                value=f"{Path.cwd()}/",
                ok="Save",
            )
            self.app.push_screen(form, no_result(partial(self._download, file)))

    @work(group="files-download", exit_on_error=False)
    async def _download(self, file: FileMetadata, path: Path | None) -> None:
        if path is not None:
            call = self._save(file, path)
            await self.attempt(call, f"Could not save {file.filename}", lambda _: f"Saved {file.filename} to {path}")

    async def _save(self, file: FileMetadata, path: Path) -> Path:
        content = await self.client.files.download(file.id)
        await asyncio.to_thread(_write_new, path, content)
        return path

    def action_delete(self) -> None:
        file = self._pick("delete")
        if file is not None:
            question = f"Delete file {file.filename} ({file.id})? Sessions it is mounted in keep their copy."
            confirm(self, question, "Delete", partial(self._delete, file))

    @work(group="files-delete", exit_on_error=False)
    async def _delete(self, file: FileMetadata) -> None:
        call = self.client.files.delete(file.id)
        await self.attempt(call, f"Could not delete {file.filename}", lambda _: f"Deleted {file.filename}")

    def _pick(self, verb: str) -> FileMetadata | None:
        file = self.selected
        if file is None:
            self.notify(f"No file to {verb}: press n to upload one.", markup=False)
        return file
