"""Exporting a session: read it and its whole history over the API, render it, keep the file.

Shared by ``agentdeck export`` and the TUI's export action; the rendering is :mod:`app.api.export`.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.api.client import AgentClient
from app.api.export import FORMATS, render


async def _read(client: AgentClient, session_id: str) -> tuple[dict[str, Any], list[Any]]:
    session = await client.sessions.retrieve(session_id)
    events = [event async for event in client.sessions.events.list(session_id, order="asc")]
    return session.to_wire(), events


async def export_session(client: AgentClient, session_id: str, fmt: str) -> str:
    """The session ``session_id`` exported in ``fmt`` (raises the client's AgentAPIError)."""
    return render(fmt, *await _read(client, session_id))


async def save_exports(client: AgentClient, data_dir: Path, session_id: str, formats: Sequence[str]) -> list[Path]:
    """Read the session once, then write it in each of ``formats`` under ``<data dir>/exports``; the paths."""
    session, events = await _read(client, session_id)
    paths = [export_path(data_dir, session_id, fmt) for fmt in formats]
    for fmt, path in zip(formats, paths, strict=True):
        await asyncio.to_thread(write_private, path, render(fmt, session, events))
    return paths


def export_path(data_dir: Path, session_id: str, fmt: str, now: datetime | None = None) -> Path:
    """``<data dir>/exports/<session id>-<UTC timestamp>.<ext>``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    safe_id = re.sub(r"[^A-Za-z0-9_.-]", "_", session_id)
    return Path(data_dir) / "exports" / f"{safe_id}-{stamp}.{FORMATS[fmt]}"


def write_private(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` readable by its owner only (its folder made if missing); the path."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    return path
