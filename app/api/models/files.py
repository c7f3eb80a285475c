"""Files (``/v1/files``): uploads, and the files a session writes under ``/mnt/session/outputs``."""

from __future__ import annotations

from typing import Literal

from app.api.models.base import Timestamp, WireModel


class FileScope(WireModel):
    """What a file belongs to: ``{type: "session", id}`` for a session's outputs."""

    type: str
    id: str


class FileMetadata(WireModel):
    type: Literal["file"] = "file"
    id: str
    filename: str
    mime_type: str
    size_bytes: int
    created_at: Timestamp
    downloadable: bool | None = None
    expires_at: Timestamp | None = None
    scope: FileScope | None = None
