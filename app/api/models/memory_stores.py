"""Memory stores: named folders of text memories an agent reads and writes, with every change kept
as a memory version (SDK ``beta.memory_stores``; beta header ``agent-memory-2026-07-22``)."""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from app.api.models.base import Metadata, Timestamp, WireModel
from app.api.models.unions import BY_TYPE, KNOWN_FIRST, Fallback, Tagged, tag_other_than


class MemoryStore(Tagged):
    """A store; ``archived_at`` set means read-and-delete only."""

    type: Literal["memory_store"] = "memory_store"
    id: str
    name: str
    description: str = ""
    metadata: Metadata = {}
    created_at: Timestamp
    updated_at: Timestamp
    archived_at: Timestamp | None = None


class Memory(Tagged):
    """A text document at ``path``; ``content`` is ``None`` in the ``basic`` view."""

    type: Literal["memory"] = "memory"
    id: str
    memory_store_id: str
    memory_version_id: str
    path: str
    content: str | None = None
    content_sha256: str
    content_size_bytes: int
    created_at: Timestamp
    updated_at: Timestamp


class MemoryPrefix(Tagged):
    """A folder marker a ``depth``-limited list returns for the memories below it."""

    type: Literal["memory_prefix"] = "memory_prefix"
    path: str


_KnownMemoryItem: TypeAlias = Annotated[Memory | MemoryPrefix, BY_TYPE]


class UnknownMemoryItem(Fallback):
    """A memory list item type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(_KnownMemoryItem)]


#: An item of a memory list: a memory or a folder marker.
MemoryListItem: TypeAlias = Annotated[_KnownMemoryItem | UnknownMemoryItem, KNOWN_FIRST]


class Actor(WireModel):
    """Who made or redacted a change: ``session_actor`` (``session_id``), ``api_actor``
    (``api_key_id``), ``user_actor`` (``user_id``) or ``service_account_actor``."""

    type: str
    session_id: str | None = None
    api_key_id: str | None = None
    user_id: str | None = None
    service_account_id: str | None = None


class MemoryVersion(Tagged):
    """One change of a memory (``created``, ``modified`` or ``deleted``); a redacted version keeps
    only who and when."""

    type: Literal["memory_version"] = "memory_version"
    id: str
    memory_id: str
    memory_store_id: str
    operation: str
    path: str | None = None
    content: str | None = None
    content_sha256: str | None = None
    content_size_bytes: int | None = None
    created_at: Timestamp
    created_by: Actor | None = None
    redacted_at: Timestamp | None = None
    redacted_by: Actor | None = None


class MemoryStoreCreateParams(WireModel):
    """Body of ``POST /v1/memory_stores``."""

    name: str
    description: str | None = None
    metadata: Metadata | None = None


class MemoryStoreUpdateParams(WireModel):
    """Body of ``POST /v1/memory_stores/{id}``; ``metadata`` is a patch (``None`` deletes a key)."""

    name: str | None = None
    description: str | None = None
    metadata: dict[str, str | None] | None = None


class MemoryCreateParams(WireModel):
    """Body of ``POST /v1/memory_stores/{id}/memories``."""

    path: str
    content: str | None


class Precondition(WireModel):
    """``{type: "content_sha256", content_sha256}``: the update applies only to that content."""

    type: Literal["content_sha256"]
    content_sha256: str | None = None


class MemoryUpdateParams(WireModel):
    """Body of ``POST /v1/memory_stores/{id}/memories/{memory_id}``: a new content, a new path, or both."""

    content: str | None = None
    path: str | None = None
    precondition: Precondition | None = None
