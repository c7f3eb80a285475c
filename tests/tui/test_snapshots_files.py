"""Snapshot of the files screen (f3) with stored files: fixed ids and times, an upload and a
session's output, a name with markup in it.

Update with ``pytest tests/tui/test_snapshots_files.py --snapshot-update`` after a deliberate change.
"""

from __future__ import annotations

from textual.app import App

from app.config import Settings
from app.runtime.file_store import content_path
from app.styles import styles_dir
from app.tui.backend import Backend
from app.tui.screens.files import FilesScreen
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for

STORED = [
    ("file_011CaRupload00000000001", "notes [b]old.txt", 18, "text/plain", None),
    ("file_011CaRoutput00000000002", "report.md", 4300, "text/markdown", "sesn_011CaRsession00000000001"),
]


class FilesApp(App):
    """The files screen over an empty app, connected like the real one."""

    CSS_PATH = sorted(str(path) for path in styles_dir().glob("*.tcss"))

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.backend: Backend | None = None

    async def on_mount(self) -> None:
        self.backend = await Backend.connect(self.settings)
        self.push_screen(FilesScreen())

    async def on_unmount(self) -> None:
        await self.backend.aclose()


def store_files(runtime) -> None:
    store = runtime.runtime.store
    for index, (file_id, name, size, mime, scope) in enumerate(STORED):
        content_path(store, file_id).write_bytes(b"x" * size)
        store.put_file({
            "type": "file", "id": file_id, "filename": name, "mime_type": mime, "size_bytes": size,
            "created_at": f"2026-12-01T10:0{index}:00Z", "downloadable": True, "expires_at": None,
            "scope": {"type": "session", "id": scope} if scope else None,
        })


def test_files_screen(snap_compare, settings, runtime) -> None:
    store_files(runtime)
    app = FilesApp(settings)

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: isinstance(app.screen, FilesScreen) and len(app.screen.items) == 2, "files")
        await pilot.pause()

    assert snap_compare(app, terminal_size=TERMINAL, run_before=run_before)
