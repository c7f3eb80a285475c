"""Reading a local skill folder into the files of a skill upload (``AgentClient.skills.create``)."""

from __future__ import annotations

from pathlib import Path

#: The most a folder may hold, below the runtime's default 32 MB request limit.
MAX_BYTES = 30 * 1024 * 1024
#: Folders that are never part of a skill.
SKIPPED = frozenset({".git", "__pycache__", "node_modules", ".venv"})


class SkillFolderError(ValueError):
    """The folder cannot be uploaded as a skill; the message says why."""


def read_skill_folder(folder: str | Path) -> list[tuple[str, bytes]]:
    """Every regular file of ``folder`` as ``("<folder name>/<relative path>", content)``.

    The folder must hold a SKILL.md; symbolic links and :data:`SKIPPED` folders are left out."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise SkillFolderError(f"{folder} is not a folder")
    if not (root / "SKILL.md").is_file():
        raise SkillFolderError(f"{folder} has no SKILL.md")
    files, total = [], 0
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if SKIPPED.intersection(relative.parts) or path.is_symlink() or not path.is_file():
            continue
        content = path.read_bytes()
        total += len(content)
        if total > MAX_BYTES:
            raise SkillFolderError(f"{folder} holds more than {MAX_BYTES // (1024 * 1024)} MB")
        files.append((f"{root.resolve().name}/{relative.as_posix()}", content))
    return files
