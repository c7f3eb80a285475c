"""Memories of a memory store: the rules every write follows, whoever makes it (the API routes or
an agent's memory tool), and the version each write leaves behind."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from typing import Any

from app.runtime.errors import RouteError, found
from app.runtime.ids import new_id, now
from app.runtime.store import Store

MAX_CONTENT_BYTES = 102_400
MAX_PATH_BYTES = 1024
#: Who writes through the API of the embedded runtime (it has one key, whose id this stands for).
API_ACTOR = {"type": "api_actor", "api_key_id": "apikey_embedded_runtime"}


def session_actor(session_id: str) -> dict[str, Any]:
    return {"type": "session_actor", "session_id": session_id}


def slug(name: str) -> str:
    """A store's folder name under ``/mnt/memory/``: lowercased, other runs become one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "store"


def check_path(path: str, field: str = "path") -> str:
    """``path`` if it is a memory path (``/a/b.md``), else a 400 naming the problem."""
    if not path.startswith("/") or path.endswith("/"):
        raise RouteError.invalid_request(f"{field} must start with '/' and name a file, not {path[:80]!r}")
    if len(path.encode()) > MAX_PATH_BYTES:
        raise RouteError.invalid_request(f"{field} is longer than {MAX_PATH_BYTES} bytes")
    if any(part in ("", ".", "..") for part in path[1:].split("/")) or any(ord(c) < 32 for c in path):
        raise RouteError.invalid_request(f"{field} has an empty, '.' or '..' segment or a control character")
    return path


def check_content(content: str) -> str:
    if len(content.encode()) > MAX_CONTENT_BYTES:
        raise RouteError.invalid_request(f"content is larger than {MAX_CONTENT_BYTES} bytes")
    return content


def sha256(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


def writable_store(store: Store, store_id: str) -> dict[str, Any]:
    """The store, refusing an archived one (its memories are read-only)."""
    memory_store = found(store.get_memory_store(store_id), "memory_store", store_id)
    if memory_store["archived_at"] is not None:
        raise RouteError.invalid_request(f"memory store {store_id!r} is archived", "memory_store_archived")
    return memory_store


def shown(obj: dict[str, Any], view: str) -> dict[str, Any]:
    """A memory or version as ``view`` (``basic`` leaves ``content`` null) shows it."""
    return obj if view == "full" else {**obj, "content": None}


def create(store: Store, store_id: str, path: str, content: str, actor: dict[str, Any]) -> dict[str, Any]:
    """A new memory at ``path`` (409 if the path is taken)."""
    writable_store(store, store_id)
    stamp = now()
    memory = {"type": "memory", "id": new_id("mem"), "memory_store_id": store_id, "created_at": stamp}
    return _save(store, memory, "created", check_path(path), check_content(content), actor, stamp)


def update(
    store: Store,
    memory: dict[str, Any],
    *,
    path: str | None,
    content: str | None,
    actor: dict[str, Any],
    expected_sha256: str | None = None,
) -> dict[str, Any]:
    """``memory`` with a new path and/or content (409 if ``expected_sha256`` no longer holds)."""
    writable_store(store, memory["memory_store_id"])
    if expected_sha256 is not None and expected_sha256 != memory["content_sha256"]:
        raise RouteError.conflict("the memory changed since you read it (content_sha256 differs)")
    new_path = memory["path"] if path is None else check_path(path)
    new_content = memory["content"] if content is None else check_content(content)
    if (new_path, new_content) == (memory["path"], memory["content"]):
        return memory
    return _save(store, memory, "modified", new_path, new_content, actor, now())


def delete(store: Store, memory: dict[str, Any], actor: dict[str, Any], expected_sha256: str | None = None) -> None:
    if expected_sha256 is not None and expected_sha256 != memory["content_sha256"]:
        raise RouteError.conflict("the memory changed since you read it (content_sha256 differs)")
    version = _version(memory, "deleted", actor, now())
    version.update(content=None, content_sha256=None, content_size_bytes=None)
    store.write_memory(None, version, memory["id"])


def _save(
    store: Store, memory: dict[str, Any], operation: str, path: str, content: str, actor: dict[str, Any], stamp: str
) -> dict[str, Any]:
    changed = {
        **memory,
        "path": path,
        "content": content,
        "content_sha256": sha256(content),
        "content_size_bytes": len(content.encode()),
        "updated_at": stamp,
    }
    version = _version(changed, operation, actor, stamp)
    changed["memory_version_id"] = version["id"]
    try:
        store.write_memory(changed, version, changed["id"])
    except sqlite3.IntegrityError:
        raise RouteError.conflict(f"a memory already exists at {path!r}", "memory_path_conflict") from None
    return changed


def _version(memory: dict[str, Any], operation: str, actor: dict[str, Any], stamp: str) -> dict[str, Any]:
    return {
        "type": "memory_version",
        "id": new_id("memver"),
        "memory_id": memory["id"],
        "memory_store_id": memory["memory_store_id"],
        "operation": operation,
        "path": memory["path"],
        "content": memory["content"],
        "content_sha256": memory["content_sha256"],
        "content_size_bytes": memory["content_size_bytes"],
        "created_at": stamp,
        "created_by": actor,
        "redacted_at": None,
        "redacted_by": None,
    }


def redact(store: Store, version: dict[str, Any]) -> dict[str, Any]:
    """``version`` with its content and path blanked for good; the live content can't be redacted."""
    memory = store.get_memory(version["memory_store_id"], version["memory_id"])
    if memory is not None and memory["memory_version_id"] == version["id"]:
        raise RouteError.invalid_request(
            "this version is the memory's current content: update or delete the memory first", "memory_version_current"
        )
    if version["redacted_at"] is not None:
        return version
    redacted = {
        **version,
        "content": None,
        "path": None,
        "content_sha256": None,
        "content_size_bytes": None,
        "redacted_at": now(),
        "redacted_by": API_ACTOR,
    }
    store.put_memory_version(redacted)
    return redacted


def attach(store: Store, raw: dict[str, Any]) -> dict[str, Any]:
    """A ``resources`` item of a new session as the session keeps it: a memory store gets its
    name, description and ``mount_path`` (refused if missing or archived); others pass as given."""
    if raw.get("type") != "memory_store":
        return raw
    memory_store = writable_store(store, raw["memory_store_id"])
    access = raw.get("access") or "read_write"
    if access not in ("read_write", "read_only"):
        raise RouteError.invalid_request(f"access must be read_write or read_only, not {access!r}")
    if len(raw.get("instructions") or "") > 4096:
        raise RouteError.invalid_request("instructions are at most 4096 characters")
    return {
        "type": "memory_store",
        "memory_store_id": memory_store["id"],
        "access": access,
        "instructions": raw.get("instructions"),
        "name": memory_store["name"],
        "description": memory_store["description"],
        "mount_path": f"/mnt/memory/{slug(memory_store['name'])}",
    }
