"""The path jail: how the agent's paths map onto the session's workspace directory.

The agent sees its workspace as ``/workspace``. A path given to a file tool may be

* relative: taken from the workspace root (``src/app.py``);
* absolute under ``/workspace``: ``/workspace/src/app.py`` maps to ``<dir>/src/app.py``;
* absolute under the real workspace directory (what ``pwd`` prints in bash), same meaning.

Anything else is refused. Every path is resolved with its symbolic links followed (dangling ones
too) and must end up inside the workspace, so ``../``, ``/etc/passwd`` and links that point out
are all refused, for reading and for writing alike. Results show paths as ``/workspace/...``.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from app.runtime.tools.base import ToolError

VIRTUAL_ROOT = PurePosixPath("/workspace")


class OutsideWorkspace(ToolError):
    """A path that leaves the workspace."""


def inside(root: Path, real: Path) -> bool:
    """Whether the already resolved ``real`` is ``root`` or below it."""
    return real == root or root in real.parents


def resolve(workspace: Path, raw: str) -> Path:
    """Map the agent's path to a real path inside ``workspace``, links followed; refuse the rest."""
    if not raw or "\x00" in raw:
        raise ToolError("path must be a non-empty string without NUL characters")
    root = Path(os.path.realpath(workspace))
    path = PurePosixPath(raw)
    if path.is_absolute():
        for base in (VIRTUAL_ROOT, PurePosixPath(root)):
            if path.is_relative_to(base):
                path = path.relative_to(base)
                break
        else:
            raise OutsideWorkspace(f"{raw} is outside the workspace; only paths under {VIRTUAL_ROOT} are allowed")
    real = Path(os.path.realpath(root / path))
    if not inside(root, real):
        raise OutsideWorkspace(f"{raw} leads outside the workspace; only paths under {VIRTUAL_ROOT} are allowed")
    return real


def display(workspace: Path, real: Path) -> str:
    """How the agent sees a real path inside the workspace: ``/workspace/...``."""
    rel = real.relative_to(os.path.realpath(workspace))
    return str(VIRTUAL_ROOT / rel) if rel.parts else str(VIRTUAL_ROOT)
