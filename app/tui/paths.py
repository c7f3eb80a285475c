"""Local paths typed by the user: completion as you type, and the checks for upload, download and
the folder a skill's files are saved into."""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester

from app.tui.fields import FieldError

#: Entries of a folder looked at for a completion, at most (a huge folder must not stall typing).
SCAN_LIMIT = 2000


def expand(text: str) -> Path:
    """``~`` expanded; relative paths stay relative to the current folder."""
    return Path(os.path.expanduser(text.strip()))


def _typed(text: str, ask: str) -> Path:
    """``text`` expanded, or a FieldError saying ``ask`` when nothing was typed."""
    if not text.strip():
        raise FieldError(ask)
    return expand(text)


def complete(text: str) -> str | None:
    """``text`` completed with the first entry (alphabetically) of its folder that it starts; a
    folder gets a trailing ``/``. None when nothing matches or the folder cannot be read."""
    folder, _, stem = text.rpartition("/")
    base = expand(folder or ".") if folder or not text.startswith("/") else Path("/")
    try:
        with os.scandir(base) as entries:
            names = []
            for index, entry in enumerate(entries):
                if index >= SCAN_LIMIT:
                    break
                if entry.name.startswith(stem) and (stem.startswith(".") or not entry.name.startswith(".")):
                    names.append(entry.name + ("/" if entry.is_dir() else ""))
    except OSError:
        return None
    if not names:
        return None
    prefix = f"{folder}/" if folder or text.startswith("/") else ""
    return prefix + min(names)


class PathSuggester(Suggester):
    """Suggests the completion of a local path (accept it with → or end)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete(value) if value else None


def upload_source(text: str) -> Path:
    """The regular file to upload, or a FieldError saying why not."""
    path = _typed(text, "type the path of a local file")
    if not path.exists():
        raise FieldError(f"no such file: {path}")
    if not path.is_file():
        raise FieldError(f"not a regular file: {path}")
    if not os.access(path, os.R_OK):
        raise FieldError(f"cannot read {path}: permission denied")
    return path


def download_target(text: str, filename: str) -> Path:
    """Where to save a download named ``filename``: the path typed, or ``filename`` inside it when
    it is a folder; a FieldError when its folder is missing or the file exists (never overwritten)."""
    path = _typed(text, "type a path to save to")
    if path.is_dir():
        name = filename.replace("\\", "/").rsplit("/", 1)[-1]
        path = path / (name if name not in ("", ".", "..") else "download")
    if not path.parent.is_dir():
        raise FieldError(f"no such folder: {path.parent}")
    if path.is_dir():
        raise FieldError(f"{path} is a folder")
    if path.exists():
        raise FieldError(f"{path} already exists: pick another name")
    return path


def save_folder(text: str) -> Path:
    """The existing folder to save into, or a FieldError saying why not."""
    path = _typed(text, "type the path of a folder")
    if not path.is_dir():
        raise FieldError(f"no such folder: {path}")
    return path
