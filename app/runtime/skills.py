"""Custom skills: checking an upload, keeping it as a zip, and mounting it into a workspace.

An upload is a set of files under one top-level directory with a ``SKILL.md`` at its root, whose
frontmatter gives the skill's ``name`` (kebab-case; the directory name when absent) and
``description``. A session's agent gets each of its skills unpacked at
``/workspace/.claude/skills/<name>/`` (:data:`MOUNT_DIR`), where Claude Code looks for skills;
Anthropic's skills (``xlsx``...) are not here, and a session whose agent lists one is told so.
"""

from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from app.runtime.errors import RouteError
from app.runtime.tools.base import ToolError
from app.runtime.tools.workspace import VIRTUAL_ROOT, resolve

logger = logging.getLogger("agentdeck.runtime.skills")

#: Where the skills of a session's agent are unpacked, relative to the workspace.
MOUNT_DIR = PurePosixPath(".claude/skills")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAME = 64


@dataclass
class Bundle:
    """A checked upload: the skill's slug and description, and its files zipped."""

    name: str
    description: str
    archive: bytes


def _frontmatter(text: str) -> dict[str, str]:
    """The ``key: value`` lines between the leading ``---`` fences of a SKILL.md."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    fields: dict[str, str] = {}
    for line in lines[1:]:
        if line.strip() == "---":
            return fields
        key, sep, value = line.partition(":")
        if sep and key.strip():
            fields[key.strip()] = value.strip().strip("\"'")
    raise RouteError.invalid_request("SKILL.md: the frontmatter has no closing ---")


def _path(filename: str | None) -> PurePosixPath:
    path = PurePosixPath((filename or "").replace("\\", "/"))
    if not filename or path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
        raise RouteError.invalid_request(
            f"file {filename!r}: every file needs a relative path inside the skill's directory"
            " (such as my-skill/SKILL.md)"
        )
    return path


def bundle(files: list[tuple[str | None, bytes]]) -> Bundle:
    """Check an upload of ``(filename, content)`` pairs and zip it (400 on anything wrong)."""
    if not files:
        raise RouteError.invalid_request("files: upload at least a SKILL.md")
    paths = [_path(name) for name, _ in files]
    tops = {path.parts[0] for path in paths}
    if len(tops) != 1:
        raise RouteError.invalid_request(f"files must all be in one top-level directory, not {', '.join(sorted(tops))}")
    top = tops.pop()
    contents = {str(path): content for path, (_, content) in zip(paths, files, strict=True)}
    manifest = contents.get(f"{top}/SKILL.md")
    if manifest is None:
        raise RouteError.invalid_request(f"files: {top}/SKILL.md is missing")
    try:
        fields = _frontmatter(manifest.decode("utf-8"))
    except UnicodeDecodeError:
        raise RouteError.invalid_request("SKILL.md is not UTF-8 text") from None
    name = fields.get("name") or top
    if not _NAME.match(name) or len(name) > MAX_NAME:
        problem = f"skill name {name!r} must be kebab-case (a-z, 0-9, -), at most {MAX_NAME} characters"
        raise RouteError.invalid_request(problem)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in sorted(contents.items()):
            archive.writestr(path, content)
    return Bundle(name, fields.get("description", ""), buffer.getvalue())


def unpack(archive: bytes, workspace: Path, name: str) -> None:
    """Unpack a stored skill's zip into ``workspace`` at ``.claude/skills/<name>``. Every path is
    resolved inside the workspace (a link leading out is refused with ``ToolError``) and files are
    opened without following links."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        for info in zipped.infolist():
            inner = PurePosixPath(info.filename).parts[1:]
            if not inner or ".." in inner:
                continue
            target = resolve(workspace, str(VIRTUAL_ROOT / MOUNT_DIR / name / PurePosixPath(*inner)))
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC
            with os.fdopen(os.open(target, flags, 0o644), "wb") as out:
                out.write(zipped.read(info))


def _unavailable(ref: dict[str, Any]) -> dict[str, Any]:
    """The ``session.error`` for a skill the embedded runtime does not have."""
    message = (
        f"Skill {ref.get('skill_id')!r} ({ref.get('type')}) is not available in the embedded runtime:"
        " it has only the custom skills uploaded to it (Anthropic's skills exist on the Agent API)."
        " The session goes on without it."
    )
    return {"type": "unknown_error", "message": message, "retry_status": {"type": "exhausted"}}


def mount(store: Any, agent: dict[str, Any], workspace: Path) -> list[dict[str, Any]]:
    """Unpack the agent's custom skills under ``workspace/.claude/skills``; a ``session.error``
    object for each skill of another kind (Anthropic's), which the runtime cannot have. A custom
    skill or version that no longer exists, or that cannot be written there, is left out (logged)."""
    problems = []
    for ref in agent.get("skills") or []:
        if ref.get("type") != "custom":
            problems.append(_unavailable(ref))
            continue
        skill = store.get_skill(ref["skill_id"])
        if skill is None:
            continue
        version_id = skill["latest_version_id"] if ref.get("version") in (None, "latest") else ref["version"]
        version = store.get_skill_version(skill["id"], version_id)
        archive = store.skill_archive(skill["id"], version_id)
        if version is None or archive is None:
            continue
        try:
            unpack(archive, workspace, version["name"])
        except (ToolError, OSError) as exc:
            logger.warning("skill %s not mounted: %s", skill["id"], exc)
            continue
    return problems
