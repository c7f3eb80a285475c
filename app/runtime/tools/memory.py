"""The memory tool: an agent reads and writes the memory stores attached to its session, each seen
as a folder at its resource's ``mount_path`` (``/mnt/memory/<store>``).

Commands follow the ``memory_20250818`` tool: ``view``, ``create``, ``str_replace``, ``insert``,
``delete`` and ``rename``; the embedded runtime adds ``search`` (``query``, optional ``path``): the
lines of the memories that hold the query's words, best match first. Every write is a memory
version by the session (``session_actor``). A ``read_only`` store refuses writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.runtime import memories
from app.runtime.brain import ToolSpec
from app.runtime.errors import RouteError
from app.runtime.policy import MEMORY_TOOL
from app.runtime.store import Store
from app.runtime.tools.base import ToolResult

ROOT = "/mnt/memory"
MAX_HITS = 20
NO_MATCH = "no memories match"
#: The tool's name (the permission policy's ``MEMORY_TOOL``).
NAME = MEMORY_TOOL


def attached(session: dict[str, Any]) -> list[dict[str, Any]]:
    """The memory store resources of ``session``."""
    return [r for r in session.get("resources") or [] if r.get("type") == "memory_store"]


def offered(session: dict[str, Any]) -> list[ToolSpec]:
    """The memory tool, when the session has a store attached."""
    return [ToolSpec(NAME, description="Read and write the attached memory stores.")] if attached(session) else []


@dataclass
class _Target:
    """Where a tool path points: a mounted store and the memory path inside it (``/`` for the root)."""

    mount: dict[str, Any]
    path: str

    @property
    def store_id(self) -> str:
        store_id: str = self.mount["memory_store_id"]
        return store_id

    def shown(self, path: str) -> str:
        mount_path: str = self.mount["mount_path"]
        return mount_path + path


class _Refused(Exception):
    """A call the agent should read about: becomes an ``is_error`` result."""


async def run(store: Store, session: dict[str, Any], input: dict[str, Any]) -> ToolResult:
    """Carry out one memory tool call for ``session``; failures come back as error results."""
    command = input.get("command")
    handler = _COMMANDS.get(command) if isinstance(command, str) else None
    try:
        if handler is None:
            raise _Refused(f"unknown command {command!r}; use one of {', '.join(_COMMANDS)}")
        return ToolResult.text(handler(store, session, input))
    except _Refused as problem:
        return ToolResult.text(str(problem), is_error=True)
    except RouteError as problem:
        return ToolResult.text(problem.message, is_error=True)


def _text(input: dict[str, Any], field: str) -> str:
    value = input.get(field)
    if not isinstance(value, str):
        raise _Refused(f"{field}: a string is required")
    return value


def _target(session: dict[str, Any], path: str) -> _Target:
    for mount in attached(session):
        root = mount["mount_path"]
        if path == root or path.startswith(root + "/"):
            return _Target(mount, path[len(root) :] or "/")
    roots = ", ".join(m["mount_path"] for m in attached(session)) or "none attached"
    raise _Refused(f"{path!r} is not in a memory store (stores: {roots})")


def _writable(target: _Target) -> _Target:
    if target.mount.get("access") == "read_only":
        raise _Refused(f"{target.mount['mount_path']} is read-only")
    return target


def _memory(store: Store, target: _Target) -> dict[str, Any]:
    memory = store.memory_at(target.store_id, target.path)
    if memory is None:
        raise _Refused(f"no memory at {target.shown(target.path)}")
    return memory


def _view(store: Store, session: dict[str, Any], input: dict[str, Any]) -> str:
    path = _text(input, "path").rstrip("/") or "/"
    if path in (ROOT, "/"):
        return "\n".join(m["mount_path"] for m in attached(session)) or "no memory store is attached"
    target = _target(session, path)
    memory = store.memory_at(target.store_id, target.path)
    if memory is not None:
        lines = memory["content"].splitlines()
        return "\n".join(f"{n:6}\t{line}" for n, line in enumerate(lines, 1)) or "(empty)"
    folder = target.path.rstrip("/") + "/"
    listed = [
        f"{m['content_size_bytes']}\t{target.shown(m['path'])}" for m in store.memories_under(target.store_id, folder)
    ]
    if not listed and folder != "/":
        raise _Refused(f"nothing at {path}")
    return "\n".join(listed) or "(no memories yet)"


def _create(store: Store, session: dict[str, Any], input: dict[str, Any]) -> str:
    target = _writable(_target(session, _text(input, "path")))
    text, actor = _text(input, "file_text"), memories.session_actor(session["id"])
    existing = store.memory_at(target.store_id, target.path)
    if existing is None:
        memories.create(store, target.store_id, target.path, text, actor)
    else:
        memories.update(store, existing, path=None, content=text, actor=actor)
    return f"saved {target.shown(target.path)}"


def _str_replace(store: Store, session: dict[str, Any], input: dict[str, Any]) -> str:
    target = _writable(_target(session, _text(input, "path")))
    memory, old, new = _memory(store, target), _text(input, "old_str"), _text(input, "new_str")
    count = memory["content"].count(old) if old else 0
    if count != 1:
        raise _Refused(f"old_str must occur exactly once in {target.shown(target.path)}, found {count}")
    content = memory["content"].replace(old, new, 1)
    memories.update(store, memory, path=None, content=content, actor=memories.session_actor(session["id"]))
    return f"edited {target.shown(target.path)}"


def _insert(store: Store, session: dict[str, Any], input: dict[str, Any]) -> str:
    target = _writable(_target(session, _text(input, "path")))
    memory, text, line = _memory(store, target), _text(input, "insert_text"), input.get("insert_line")
    lines = memory["content"].splitlines(keepends=True)
    if not isinstance(line, int) or isinstance(line, bool) or not 0 <= line <= len(lines):
        raise _Refused(f"insert_line must be an integer from 0 to {len(lines)}")
    if line and not lines[line - 1].endswith("\n"):
        lines[line - 1] += "\n"
    content = "".join([*lines[:line], text if text.endswith("\n") else text + "\n", *lines[line:]])
    memories.update(store, memory, path=None, content=content, actor=memories.session_actor(session["id"]))
    return f"inserted into {target.shown(target.path)} after line {line}"


def _delete(store: Store, session: dict[str, Any], input: dict[str, Any]) -> str:
    target = _writable(_target(session, _text(input, "path")))
    actor = memories.session_actor(session["id"])
    single = store.memory_at(target.store_id, target.path)
    doomed = [single] if single else store.memories_under(target.store_id, target.path.rstrip("/") + "/")
    if not doomed or target.path == "/":
        raise _Refused(f"nothing to delete at {target.shown(target.path)}")
    for memory in doomed:
        memories.delete(store, memory, actor)
    return f"deleted {len(doomed)} memor{'y' if len(doomed) == 1 else 'ies'} at {target.shown(target.path)}"


def _rename(store: Store, session: dict[str, Any], input: dict[str, Any]) -> str:
    old = _writable(_target(session, _text(input, "old_path")))
    new = _target(session, _text(input, "new_path"))
    if new.store_id != old.store_id:
        raise _Refused("a memory can only be renamed within its store")
    memory = _memory(store, old)
    memories.update(store, memory, path=new.path, content=None, actor=memories.session_actor(session["id"]))
    return f"renamed {old.shown(old.path)} to {new.shown(new.path)}"


def _search(store: Store, session: dict[str, Any], input: dict[str, Any]) -> str:
    words = {w for w in re.findall(r"\w+", _text(input, "query").lower()) if len(w) > 2}
    if not words:
        raise _Refused("query: give at least one word of three letters or more")
    scope = input.get("path")
    mounts = [_target(session, scope)] if isinstance(scope, str) else [_Target(m, "/") for m in attached(session)]
    hits: list[tuple[int, str]] = []
    for target in mounts:
        folder = target.path.rstrip("/") + "/"
        for memory in store.memories_under(target.store_id, folder):
            for line in memory["content"].splitlines():
                found = {w for w in words if w in line.lower()}
                if found:
                    hits.append((-len(found), f"{target.shown(memory['path'])}: {line.strip()}"))
    if not hits:
        return NO_MATCH
    return "\n".join(text for _, text in sorted(hits)[:MAX_HITS])


_COMMANDS = {
    "view": _view,
    "create": _create,
    "str_replace": _str_replace,
    "insert": _insert,
    "delete": _delete,
    "rename": _rename,
    "search": _search,
}
