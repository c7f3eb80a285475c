"""Saving a skill version's files: unpacking the version's zip into the folder the user typed
(checked by :func:`app.tui.paths.save_folder`).

The zip holds the skill's files under one top-level folder (``pdf-tools/SKILL.md``...), and they
land under that folder inside the one typed. Nothing is ever overwritten: when any of the files
exists already, nothing is written. A name that would leave the folder (absolute, ``..``) is refused.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath


class SkillSaveError(Exception):
    """Why the files could not be saved (shown to the user)."""


def _targets(archive: zipfile.ZipFile, folder: Path) -> list[tuple[zipfile.ZipInfo, Path]]:
    targets = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or not name.parts:
            raise SkillSaveError(f"the archive holds a path outside its folder: {info.filename}")
        targets.append((info, folder.joinpath(*name.parts)))
    return targets


def unpack(content: bytes, folder: Path) -> list[Path]:
    """Write the files of the zip ``content`` under ``folder``; the paths written."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            targets = _targets(archive, folder)
            existing = [path for _, path in targets if path.exists()]
            if existing:
                raise SkillSaveError(f"{existing[0]} already exists: nothing was written")
            for info, path in targets:
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "xb") as out:
                    out.write(archive.read(info))
    except zipfile.BadZipFile as exc:
        raise SkillSaveError(f"the download is not a zip archive ({exc})") from None
    return [path for _, path in targets]
