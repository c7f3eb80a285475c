"""Files of the runtime (``/v1/files``): their bytes under the data dir, their metadata in the store.

An uploaded file is kept as ``<data dir>/files/<file id>`` (never by its given name, which is only
metadata: stripped of folders and control characters). A ``file`` session resource is copied into
the session's workspace at its mount path when a turn starts; regular files the agent leaves under
``/mnt/session/outputs`` are registered after each turn as files scoped to the session
(``scope: {type: session, id}``), a changed one under its old id.
"""

from __future__ import annotations

import mimetypes
import os
import shutil
import stat
import unicodedata
from pathlib import Path
from typing import Any

from app.runtime.ids import new_id, now
from app.runtime.store import Store
from app.runtime.tools.base import ToolError
from app.runtime.tools.workspace import SESSION_ROOT, locate, resolve

OUTPUTS = SESSION_ROOT / "outputs"
MAX_NAME = 255
#: Output files registered after one turn, at most (the rest wait for the next).
MAX_OUTPUTS = 1000


def files_dir(store: Store) -> Path:
    """Where the runtime of ``store`` keeps file contents (made owner-only)."""
    folder = store.path.parent / "files"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def content_path(store: Store, file_id: str) -> Path:
    return files_dir(store) / file_id


def safe_name(raw: str | None) -> str:
    """A given filename as metadata: its last path component, no control characters, at most
    255 characters; ``upload`` when nothing is left."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:MAX_NAME] if name not in ("", ".", "..") else "upload"


def metadata(
    file_id: str, filename: str, size: int, mime_type: str | None, scope_id: str | None = None
) -> dict[str, Any]:
    return {
        "type": "file",
        "id": file_id,
        "filename": filename,
        "mime_type": mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream",
        "size_bytes": size,
        "created_at": now(),
        "downloadable": True,
        "expires_at": None,
        "scope": {"type": "session", "id": scope_id} if scope_id else None,
    }


def save_upload(store: Store, source: Any, filename: str | None, mime_type: str | None) -> dict[str, Any]:
    """Store the readable binary ``source`` as a new file; its metadata."""
    file_id = new_id("file")
    target = content_path(store, file_id)
    with open(target, "xb") as out:
        shutil.copyfileobj(source, out)
    obj = metadata(file_id, safe_name(filename), target.stat().st_size, mime_type)
    store.put_file(obj)
    return obj


def remove(store: Store, file_id: str) -> bool:
    """Delete a file's metadata and bytes; whether it existed."""
    content_path(store, file_id).unlink(missing_ok=True)
    return store.delete_file(file_id)


def mount(store: Store, resource: dict[str, Any], workspace: Path) -> str | None:
    """Copy a ``file`` resource's file to its mount path in ``workspace`` unless something is there
    already; the reason when it cannot be mounted, else None."""
    source = content_path(store, resource["file_id"])
    if store.get_file(resource["file_id"]) is None or not source.is_file():
        return f"file {resource['file_id']} no longer exists"
    try:
        target = resolve(workspace, resource["mount_path"])
    except (ToolError, OSError) as exc:
        return f"mount_path {resource['mount_path']}: {exc}"
    if not os.path.lexists(target):
        shutil.copyfile(source, target)
    return None


def collect_outputs(store: Store, session_id: str, workspace: Path) -> None:
    """Register the regular files under the workspace's ``/mnt/session/outputs`` (links are not
    followed) as files of the session, updating the ones that changed."""
    try:
        with locate(workspace, str(OUTPUTS)) as loc:
            if not loc.is_dir:
                return
            root = Path(os.path.realpath(workspace)).joinpath(*loc.parts)
    except (ToolError, OSError):
        return
    seen = 0
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder, name)
            st = path.lstat()
            if not stat.S_ISREG(st.st_mode) or seen >= MAX_OUTPUTS:
                continue
            seen += 1
            _register(store, session_id, path, str(OUTPUTS / path.relative_to(root)), st.st_size)


def _register(store: Store, session_id: str, path: Path, source: str, size: int) -> None:
    known = store.output_file(session_id, source)
    file_id = known["id"] if known else new_id("file")
    target = content_path(store, file_id)
    if known and known["size_bytes"] == size and target.is_file() and _same(target, path):
        return
    shutil.copyfile(path, target, follow_symlinks=False)
    store.put_file(metadata(file_id, safe_name(path.name), size, None, session_id), source=source)


def _same(a: Path, b: Path) -> bool:
    return a.read_bytes() == b.read_bytes()
