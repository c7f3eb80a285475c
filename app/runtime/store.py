"""The runtime's durable state: one SQLite database in WAL mode.

Objects (environments, agents and their versions, sessions, threads, resources) are kept as their
wire JSON plus the columns the list filters need. Events are kept per session with a sequence
number: the order they were delivered in, which is also the order lists return them in.

Every write is its own committed transaction before the call returns, so a caller that publishes
after writing never shows a subscriber something a crash could lose (WAL with ``synchronous=NORMAL``
survives a killed process; only a power cut can drop the last commits).

Lists page with opaque cursors made here (:class:`BadCursor` for anything else). Calls are short
and synchronous, safe from any thread (one connection behind a lock).

Rows are written as strict JSON (no ``NaN``: a write that would store one raises ``ValueError``
and stores nothing) and read back strictly: a row that cannot be read (left by an older version)
is logged and skipped by lists and bulk reads, and is absent to a lookup by id.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.runtime import strict_json
from app.runtime.ids import new_id

logger = logging.getLogger("agentdeck.runtime.store")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS environments (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    archived INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    archived INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agent_versions (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE TABLE IF NOT EXISTS sessions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    agent_id TEXT NOT NULL,
    agent_version INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    archived INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_agent ON sessions (agent_id, agent_version);
CREATE INDEX IF NOT EXISTS sessions_by_status ON sessions (status);
CREATE TABLE IF NOT EXISTS events (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    processed_at TEXT,
    body TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE IF NOT EXISTS thread_events (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    processed_at TEXT,
    body TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE IF NOT EXISTS threads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS resources (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    secret TEXT,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS skills (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS skill_versions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    skill_id TEXT NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    archive BLOB NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS memory_stores (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    archived INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS memories (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    store_id TEXT NOT NULL REFERENCES memory_stores (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (store_id, path)
);
CREATE TABLE IF NOT EXISTS memory_versions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    store_id TEXT NOT NULL REFERENCES memory_stores (id) ON DELETE CASCADE,
    memory_id TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    scope_id TEXT,
    source TEXT,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_scope ON files (scope_id, source);
CREATE TABLE IF NOT EXISTS vaults (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    archived INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS vault_credentials (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    vault_id TEXT NOT NULL REFERENCES vaults (id) ON DELETE CASCADE,
    archived INTEGER NOT NULL,
    secret TEXT NOT NULL,
    body TEXT NOT NULL
);
"""

#: ``created_at[...]`` / ``processed_at`` bounds: operator name -> SQL comparison.
_BOUNDS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class BadCursor(ValueError):
    """A ``page`` value this store did not hand out (or handed out for another list)."""


def _events_table(key: str) -> str:
    """Where a log's events live: a child thread's (``sthr_`` key) apart from the sessions'."""
    return "thread_events" if key.startswith("sthr_") else "events"


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _load(table: str, key: Any, body: str) -> dict[str, Any] | None:
    """A stored row's object, or None (logged) when it cannot be read back."""
    try:
        obj: dict[str, Any] = strict_json.decode(body)  # every row is written from a dict by _dump
    except strict_json.JSONRefused as exc:
        logger.warning("skipping unreadable row %s of %s: %s", key, table, exc)
        return None
    return obj


def _loads(table: str, rows: Iterable[tuple[Any, str]]) -> list[dict[str, Any]]:
    """The readable objects of ``(key, body)`` rows, in order."""
    return [obj for key, body in rows if (obj := _load(table, key, body)) is not None]


def _readable(table: str, key: Any, body: str) -> bool:
    """Whether a row kept as text can be sent as it is; only a row that might hold a non-standard
    number (the one thing older versions could store) is decoded to find out."""
    return ("NaN" not in body and "Infinity" not in body) or _load(table, key, body) is not None


def _encode_cursor(kind: str, key: int, forward: bool) -> str:
    raw = _dump({"l": kind, "k": key, "f": forward}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(kind: str, cursor: str) -> tuple[int, bool]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = strict_json.decode(raw.decode())
        key, forward = data["k"], data["f"]
        if data["l"] != kind or not isinstance(key, int) or not isinstance(forward, bool):
            raise ValueError(kind)
    except (binascii.Error, ValueError, TypeError, KeyError) as exc:
        raise BadCursor(f"invalid page cursor: {cursor!r}") from exc
    return key, forward


class _Query:
    """WHERE clauses and their parameters, built up filter by filter."""

    def __init__(self, *, include_archived: bool = True, **equal: Any) -> None:
        """Rows whose columns equal ``equal``'s values (and, unless ``include_archived``, with
        ``archived = 0``)."""
        self.clauses: list[str] = [f"{column} = ?" for column in equal]
        self.params: list[Any] = list(equal.values())
        if not include_archived:
            self.add("archived = 0")

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def bounds(self, column: str, bounds: dict[str, str] | None) -> None:
        for op, value in (bounds or {}).items():
            self.add(f"{column} {_BOUNDS[op]} ?", value)

    def any_of(self, column: str, values: Iterable[str] | None) -> None:
        values = list(values or [])
        if values:
            self.add(f"{column} IN ({','.join('?' * len(values))})", *values)

    @property
    def where(self) -> str:
        return " AND ".join(self.clauses) or "1"


class Store:
    """The SQLite database at ``path`` (created, with its parent directory, if missing)."""

    def __init__(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # Owner-only whatever the umask (it holds repository tokens); SQLite gives -wal and -shm
        # the database's mode, and ones left by an older version are fixed here.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC, 0o600))
        for private in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
            if private.exists():
                private.chmod(0o600)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------------ plumbing

    def _write(self, *statements: tuple[str, tuple[Any, ...]]) -> int:
        """Run ``statements`` in one committed transaction; the total count of rows changed."""
        changed = 0
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    changed += self._db.execute(sql, params).rowcount
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return changed

    def _one(self, table: str, sql: str, params: Iterable[Any]) -> dict[str, Any] | None:
        params = tuple(params)
        row = self._value(sql, params)
        return _load(table, params, row) if row is not None else None

    def _by(self, table: str, **equal: Any) -> dict[str, Any] | None:
        """The object of ``table`` whose columns equal ``equal``'s values (its key columns)."""
        query = _Query(**equal)
        return self._one(table, f"SELECT body FROM {table} WHERE {query.where}", query.params)

    def _delete(self, table: str, **equal: Any) -> bool:
        """Delete the rows of ``table`` whose columns equal ``equal``'s values; whether there were any."""
        query = _Query(**equal)
        return self._write((f"DELETE FROM {table} WHERE {query.where}", tuple(query.params))) > 0

    def _list(
        self, table: str, query: _Query, *, order: str = "desc", limit: int, cursor: str | None, key: str = "seq"
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of ``table``'s objects (newest first unless ``order`` says ``asc``) and the next cursor."""
        data, next_page, _ = self._page(table, table, query, key=key, order=order, limit=limit, cursor=cursor)
        return data, next_page

    def _value(self, sql: str, params: tuple[Any, ...]) -> Any:
        """The first column of the first row ``sql`` selects, or None when there is none."""
        with self._lock:
            row = self._db.execute(sql, params).fetchone()
        return row[0] if row else None

    def _page(
        self,
        kind: str,
        table: str,
        query: _Query,
        *,
        key: str = "seq",
        order: str = "asc",
        limit: int,
        cursor: str | None,
        prev: bool = False,
        decode: bool = True,
    ) -> tuple[list[Any], str | None, str | None]:
        """One page of ``body`` by ``key`` in ``order``: (objects, next cursor, previous cursor);
        with ``decode=False`` the objects are left as the JSON text they are stored as.

        The previous cursor costs another query, so it is only made when ``prev`` asks for it
        (otherwise it is None); that query still runs to page on from a backward cursor."""
        forward = True
        clauses, params = list(query.clauses), list(query.params)
        if cursor:
            start, forward = _decode_cursor(kind, cursor)
            after = (order == "asc") == forward
            clauses.append(f"{key} {'>' if after else '<'} ?")
            params.append(start)
        scan = "ASC" if (order == "asc") == forward else "DESC"
        where = " AND ".join(clauses) or "1"
        with self._lock:
            rows = self._db.execute(
                f"SELECT {key}, body FROM {table} WHERE {where} ORDER BY {key} {scan} LIMIT ?",
                (*params, limit + 1),
            ).fetchall()
            more = len(rows) > limit
            rows = rows[:limit]
            if not forward:
                rows.reverse()
            if not rows:
                return [], None, None
            first, last = rows[0][0], rows[-1][0]
            # Rows on the side the cursor came from exist iff a cursor was given and one is left.
            behind_key, behind_cmp = (
                (first, "<" if order == "asc" else ">")
                if forward
                else (
                    last,
                    ">" if order == "asc" else "<",
                )
            )
            behind = (
                bool(cursor)
                and (prev or not forward)
                and self._db.execute(
                    f"SELECT 1 FROM {table} WHERE {query.where} AND {key} {behind_cmp} ? LIMIT 1",
                    (*query.params, behind_key),
                ).fetchone()
                is not None
            )
        has_next, has_prev = (more, behind) if forward else (behind, more)
        next_page = _encode_cursor(kind, last, True) if has_next else None
        prev_page = _encode_cursor(kind, first, False) if prev and has_prev else None
        if decode:
            return _loads(table, rows), next_page, prev_page
        return [body for key, body in rows if _readable(table, key, body)], next_page, prev_page

    # ------------------------------------------------------------------ environments

    def _put_archivable(self, table: str, obj: dict[str, Any]) -> None:
        """Insert or replace an object of a table with an ``archived`` column (keeps its place in lists)."""
        self._write(
            (
                f"INSERT INTO {table} (id, archived, body) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET archived = excluded.archived, body = excluded.body",
                (obj["id"], obj.get("archived_at") is not None, _dump(obj)),
            )
        )

    def put_environment(self, obj: dict[str, Any]) -> None:
        """Insert or replace an environment (keeps its place in lists)."""
        self._put_archivable("environments", obj)

    def get_environment(self, env_id: str) -> dict[str, Any] | None:
        return self._by("environments", id=env_id)

    def list_environments(
        self, include_archived: bool = False, limit: int = 20, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first."""
        return self._list("environments", _Query(include_archived=include_archived), limit=limit, cursor=cursor)

    def delete_environment(self, env_id: str) -> bool:
        """Whether there was such an environment."""
        return self._delete("environments", id=env_id)

    def sessions_using_environment(self, env_id: str) -> int:
        """How many sessions (archived ones too) run in the environment."""
        count: int = self._value(
            "SELECT COUNT(*) FROM sessions WHERE json_extract(body, '$.environment_id') = ?", (env_id,)
        )
        return count

    # ------------------------------------------------------------------ agents

    def put_agent(self, obj: dict[str, Any]) -> None:
        """Store one version of an agent (``obj["version"]``); the highest version is the agent."""
        body = _dump(obj)
        self._write(
            (
                "INSERT INTO agent_versions (id, version, body) VALUES (?, ?, ?) "
                "ON CONFLICT (id, version) DO UPDATE SET body = excluded.body",
                (obj["id"], obj["version"], body),
            ),
            (
                "INSERT INTO agents (id, version, created_at, archived, body) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET version = excluded.version, "
                "archived = excluded.archived, body = excluded.body "
                "WHERE excluded.version >= agents.version",
                (obj["id"], obj["version"], obj["created_at"], obj.get("archived_at") is not None, body),
            ),
        )

    def get_agent(self, agent_id: str, version: int | None = None) -> dict[str, Any] | None:
        """The latest version, or the given one."""
        if version is None:
            return self._by("agents", id=agent_id)
        return self._by("agent_versions", id=agent_id, version=version)

    def list_agents(
        self,
        include_archived: bool = False,
        created_at: dict[str, str] | None = None,
        limit: int = 20,
        cursor: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Latest versions, newest agent first; ``created_at`` maps ``gt``/``gte``/``lt``/``lte``
        to normalised timestamps."""
        query = _Query(include_archived=include_archived)
        query.bounds("created_at", created_at)
        return self._list("agents", query, limit=limit, cursor=cursor)

    def list_agent_versions(
        self, agent_id: str, limit: int = 20, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Every version of one agent, newest first."""
        return self._list("agent_versions", _Query(id=agent_id), key="version", limit=limit, cursor=cursor)

    # ------------------------------------------------------------------ sessions

    def put_session(self, obj: dict[str, Any]) -> None:
        """Insert or replace a session (keeps its place in lists)."""
        agent = obj["agent"]
        self._write(
            (
                "INSERT INTO sessions (id, agent_id, agent_version, status, created_at, archived, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
                "archived = excluded.archived, body = excluded.body",
                (
                    obj["id"],
                    agent["id"],
                    agent["version"],
                    obj["status"],
                    obj["created_at"],
                    obj.get("archived_at") is not None,
                    _dump(obj),
                ),
            )
        )

    def get_session(self, session_id: str) -> dict[str, Any] | None:
        return self._by("sessions", id=session_id)

    def list_sessions(
        self,
        *,
        agent_id: str | None = None,
        agent_version: int | None = None,
        deployment_id: str | None = None,
        memory_store_id: str | None = None,
        statuses: Iterable[str] | None = None,
        created_at: dict[str, str] | None = None,
        include_archived: bool = False,
        order: str = "desc",
        limit: int = 20,
        cursor: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None, str | None]:
        """A page of sessions by creation time: (sessions, next cursor, previous cursor)."""
        query = _Query(include_archived=include_archived)
        if agent_id is not None:
            query.add("agent_id = ?", agent_id)
        if agent_version is not None:
            query.add("agent_version = ?", agent_version)
        if deployment_id is not None:
            query.add("json_extract(body, '$.deployment_id') = ?", deployment_id)
        if memory_store_id is not None:
            query.add(
                "EXISTS (SELECT 1 FROM json_each(body, '$.resources') "
                "WHERE json_extract(value, '$.memory_store_id') = ?)",
                memory_store_id,
            )
        query.any_of("status", statuses)
        query.bounds("created_at", created_at)
        return self._page("sessions", "sessions", query, order=order, limit=limit, cursor=cursor, prev=True)

    def sessions_with_status(self, status: str) -> list[dict[str, Any]]:
        """Every session in ``status`` (archived ones too), oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, body FROM sessions WHERE status = ? ORDER BY seq", (status,)
            ).fetchall()
        return _loads("sessions", rows)

    def delete_session(self, session_id: str) -> bool:
        """Remove a session with its events, threads and resources; whether it existed."""
        return (
            self._write(
                ("DELETE FROM events WHERE session_id = ?", (session_id,)),
                (
                    "DELETE FROM thread_events WHERE session_id IN (SELECT id FROM threads WHERE session_id = ?)",
                    (session_id,),
                ),
                ("DELETE FROM sessions WHERE id = ?", (session_id,)),
            )
            > 0
        )

    # ------------------------------------------------------------------ events

    def append_event(self, session_id: str, event: dict[str, Any]) -> None:
        """Add an event at the end of the session's log (``event`` has id, type, processed_at).

        Every event method takes a log key: a session id, or a child thread's ``sthr_`` id (its
        own log, kept apart so that an event cross-posted to the session keeps its id)."""
        table = _events_table(session_id)
        self._write(
            (
                f"INSERT INTO {table} (session_id, seq, id, type, processed_at, body) VALUES (?, "
                f"(SELECT COALESCE(MAX(seq), 0) + 1 FROM {table} WHERE session_id = ?), ?, ?, ?, ?)",
                (session_id, session_id, event["id"], event["type"], event.get("processed_at"), _dump(event)),
            )
        )

    def update_event(self, session_id: str, event: dict[str, Any]) -> None:
        """Replace a stored event (same id) and move it to the end of the log, where it is
        delivered again (a queued echo once processed)."""
        table = _events_table(session_id)
        self._write(
            (
                f"UPDATE {table} SET seq = (SELECT MAX(seq) + 1 FROM {table} WHERE session_id = ?), "
                "type = ?, processed_at = ?, body = ? WHERE session_id = ? AND id = ?",
                (session_id, event["type"], event.get("processed_at"), _dump(event), session_id, event["id"]),
            )
        )

    def get_event(self, session_id: str, event_id: str) -> dict[str, Any] | None:
        return self._by(_events_table(session_id), session_id=session_id, id=event_id)

    def list_events(
        self,
        session_id: str,
        *,
        types: Iterable[str] | None = None,
        created_at: dict[str, str] | None = None,
        order: str = "asc",
        limit: int = 1000,
        cursor: str | None = None,
        decode: bool = True,
    ) -> tuple[list[Any], str | None]:
        """A page of the session's events in delivery order; ``created_at`` bounds compare with
        ``processed_at`` (so they leave out queued echoes). ``decode=False`` leaves each event as
        its stored JSON text (a reply can carry it as it is)."""
        query = _Query(session_id=session_id)
        query.any_of("type", types)
        query.bounds("processed_at", created_at)
        data, next_page, _ = self._page(
            "events", _events_table(session_id), query, order=order, limit=limit, cursor=cursor, decode=decode
        )
        return data, next_page

    def session_events(self, session_id: str, *, processed_only: bool = False) -> list[dict[str, Any]]:
        """Every stored event of the session in delivery order; ``processed_only`` leaves out
        queued echoes (events without ``processed_at``)."""
        processed = " AND processed_at IS NOT NULL" if processed_only else ""
        with self._lock:
            rows = self._db.execute(
                f"SELECT seq, body FROM {_events_table(session_id)} WHERE session_id = ?{processed} ORDER BY seq",
                (session_id,),
            ).fetchall()
        return _loads("events", rows)

    # ------------------------------------------------------------------ threads

    def put_thread(self, obj: dict[str, Any]) -> None:
        self._write(
            (
                "INSERT INTO threads (id, session_id, body) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                (obj["id"], obj["session_id"], _dump(obj)),
            )
        )

    def get_thread(self, session_id: str, thread_id: str) -> dict[str, Any] | None:
        return self._by("threads", session_id=session_id, id=thread_id)

    def sessions_with_child_threads(self) -> list[str]:
        """Ids of the sessions that have spawned child threads."""
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT session_id FROM threads WHERE json_extract(body, '$.parent_thread_id') IS NOT NULL"
            ).fetchall()
        return [row[0] for row in rows]

    def list_threads(
        self, session_id: str, limit: int = 1000, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """The session's threads, oldest (the primary) first."""
        return self._list("threads", _Query(session_id=session_id), order="asc", limit=limit, cursor=cursor)

    # ------------------------------------------------------------------ resources

    def put_resource(self, session_id: str, obj: dict[str, Any], secret: str | None = None) -> None:
        """Store a resource; ``secret`` (a repository token) is kept apart from the returned JSON.

        A resource without an ``id`` (a memory store) gets an internal key."""
        self._write(
            (
                "INSERT INTO resources (id, session_id, secret, body) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET secret = COALESCE(excluded.secret, resources.secret), "
                "body = excluded.body",
                (obj.get("id") or new_id("sesrsc"), session_id, secret, _dump(obj)),
            )
        )

    def get_resource(self, session_id: str, resource_id: str) -> dict[str, Any] | None:
        return self._by("resources", session_id=session_id, id=resource_id)

    def resource_secret(self, session_id: str, resource_id: str) -> str | None:
        """The write-only token of a resource, for cloning only; never put it in a response."""
        secret: str | None = self._value(
            "SELECT secret FROM resources WHERE session_id = ? AND id = ?", (session_id, resource_id)
        )
        return secret

    def list_resources(
        self, session_id: str, limit: int = 1000, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """The session's resources in the order they were given."""
        return self._list("resources", _Query(session_id=session_id), order="asc", limit=limit, cursor=cursor)

    # ------------------------------------------------------------------ skills (issue 12)

    def put_skill(self, obj: dict[str, Any], version: dict[str, Any] | None = None, archive: bytes = b"") -> None:
        """Insert or replace a skill, with a new ``version`` (its files as a zip ``archive``) if given."""
        statements: list[tuple[str, tuple[Any, ...]]] = [
            (
                "INSERT INTO skills (id, source, body) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                (obj["id"], obj["source"]["type"], _dump(obj)),
            )
        ]
        if version is not None:
            statements.append(
                (
                    "INSERT INTO skill_versions (id, skill_id, archive, body) VALUES (?, ?, ?, ?)",
                    (version["id"], obj["id"], archive, _dump(version)),
                )
            )
        self._write(*statements)

    def get_skill(self, skill_id: str) -> dict[str, Any] | None:
        return self._by("skills", id=skill_id)

    def list_skills(
        self, source: str | None = None, limit: int = 20, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first."""
        query = _Query(source=source) if source else _Query()
        return self._list("skills", query, limit=limit, cursor=cursor)

    def delete_skill(self, skill_id: str) -> bool:
        """Whether there was such a skill; its versions go with it."""
        return self._delete("skills", id=skill_id)

    def get_skill_version(self, skill_id: str, version_id: str) -> dict[str, Any] | None:
        return self._by("skill_versions", skill_id=skill_id, id=version_id)

    def skill_archive(self, skill_id: str, version_id: str) -> bytes | None:
        """The zip of a version's files."""
        archive = self._value(
            "SELECT archive FROM skill_versions WHERE skill_id = ? AND id = ?", (skill_id, version_id)
        )
        return bytes(archive) if archive is not None else None

    def list_skill_versions(
        self, skill_id: str, limit: int = 20, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first."""
        return self._list("skill_versions", _Query(skill_id=skill_id), limit=limit, cursor=cursor)

    def delete_skill_version(self, skill: dict[str, Any], version_id: str) -> None:
        """Remove a version and save ``skill`` (its ``latest_version_id`` updated) in one transaction."""
        self._write(
            ("DELETE FROM skill_versions WHERE skill_id = ? AND id = ?", (skill["id"], version_id)),
            ("UPDATE skills SET body = ? WHERE id = ?", (_dump(skill), skill["id"])),
        )

    # ------------------------------------------------------------------ memory stores

    def put_memory_store(self, obj: dict[str, Any]) -> None:
        """Insert or replace a memory store (keeps its place in lists)."""
        self._put_archivable("memory_stores", obj)

    def get_memory_store(self, store_id: str) -> dict[str, Any] | None:
        return self._by("memory_stores", id=store_id)

    def list_memory_stores(
        self,
        include_archived: bool = False,
        created_at: dict[str, str] | None = None,
        limit: int = 20,
        cursor: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        query = _Query(include_archived=include_archived)
        query.bounds("json_extract(body, '$.created_at')", created_at)
        return self._list("memory_stores", query, order="asc", limit=limit, cursor=cursor)

    def delete_memory_store(self, store_id: str) -> bool:
        """Delete a store with its memories and versions; whether it existed."""
        return self._delete("memory_stores", id=store_id)

    def write_memory(self, memory: dict[str, Any] | None, version: dict[str, Any], memory_id: str) -> None:
        """Save a memory (``None``: delete ``memory_id``) and the version recording the change, at
        once. Raises :class:`sqlite3.IntegrityError` when another memory of the store has the path."""
        store_id = version["memory_store_id"]
        change = (
            ("DELETE FROM memories WHERE id = ?", (memory_id,))
            if memory is None
            else (
                "INSERT INTO memories (id, store_id, path, body) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET path = excluded.path, body = excluded.body",
                (memory_id, store_id, memory["path"], _dump(memory)),
            )
        )
        self._write(
            change,
            (
                "INSERT INTO memory_versions (id, store_id, memory_id, body) VALUES (?, ?, ?, ?)",
                (version["id"], store_id, memory_id, _dump(version)),
            ),
        )

    def get_memory(self, store_id: str, memory_id: str) -> dict[str, Any] | None:
        return self._by("memories", store_id=store_id, id=memory_id)

    def memory_at(self, store_id: str, path: str) -> dict[str, Any] | None:
        return self._by("memories", store_id=store_id, path=path)

    def memories_under(self, store_id: str, prefix: str = "/") -> list[dict[str, Any]]:
        """The store's memories whose path starts with ``prefix``, by path."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, body FROM memories WHERE store_id = ? AND substr(path, 1, ?) = ? ORDER BY path",
                (store_id, len(prefix), prefix),
            ).fetchall()
        return _loads("memories", rows)

    def list_memories(
        self, store_id: str, prefix: str, depth: int | None, limit: int = 20, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """The memories under ``prefix`` by path; with ``depth``, those more than ``depth`` folders
        below it fold into one ``memory_prefix`` item per folder."""
        items: list[dict[str, Any]] = []
        for memory in self.memories_under(store_id, prefix):
            folders = memory["path"][len(prefix) :].split("/")[:-1]
            if depth is None or len(folders) < depth:
                items.append(memory)
                continue
            marker = {"type": "memory_prefix", "path": prefix + "".join(f"{f}/" for f in folders[:depth])}
            if not items or items[-1] != marker:
                items.append(marker)
        start = _decode_cursor("memories", cursor)[0] if cursor else 0
        more = len(items) > start + limit
        return items[start : start + limit], _encode_cursor("memories", start + limit, True) if more else None

    def put_memory_version(self, version: dict[str, Any]) -> None:
        """Replace a version (a redaction)."""
        self._write(("UPDATE memory_versions SET body = ? WHERE id = ?", (_dump(version), version["id"])))

    def get_memory_version(self, store_id: str, version_id: str) -> dict[str, Any] | None:
        return self._by("memory_versions", store_id=store_id, id=version_id)

    def list_memory_versions(
        self,
        store_id: str,
        *,
        memory_id: str | None = None,
        operation: str | None = None,
        created_by: dict[str, str] | None = None,
        created_at: dict[str, str] | None = None,
        limit: int = 20,
        cursor: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """The store's memory versions, newest first; ``created_by`` maps an actor's id field
        (``session_id``, ``api_key_id``...) to the id it must have."""
        query = _Query(store_id=store_id)
        if memory_id is not None:
            query.add("memory_id = ?", memory_id)
        if operation is not None:
            query.add("json_extract(body, '$.operation') = ?", operation)
        for field, value in (created_by or {}).items():
            query.add(f"json_extract(body, '$.created_by.{field}') = ?", value)
        query.bounds("json_extract(body, '$.created_at')", created_at)
        return self._list("memory_versions", query, limit=limit, cursor=cursor)

    def delete_resource(self, session_id: str, resource_id: str) -> bool:
        """Whether the session had such a resource."""
        return self._delete("resources", session_id=session_id, id=resource_id)

    # ------------------------------------------------------------------ files (uploads and session outputs)

    def put_file(self, obj: dict[str, Any], source: str | None = None) -> None:
        """Insert or replace a file's metadata; ``source`` is the output path a session wrote it at."""
        scope = obj.get("scope") or {}
        self._write(
            (
                "INSERT INTO files (id, scope_id, source, body) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                (obj["id"], scope.get("id"), source, _dump(obj)),
            )
        )

    def get_file(self, file_id: str) -> dict[str, Any] | None:
        return self._by("files", id=file_id)

    def output_file(self, scope_id: str, source: str) -> dict[str, Any] | None:
        """The file a session's output at ``source`` was registered as."""
        return self._by("files", scope_id=scope_id, source=source)

    def list_files(
        self, scope_id: str | None = None, limit: int = 20, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first; only the session's with ``scope_id``."""
        query = _Query(scope_id=scope_id) if scope_id is not None else _Query()
        return self._list("files", query, limit=limit, cursor=cursor)

    def delete_file(self, file_id: str) -> bool:
        """Whether there was such a file."""
        return self._delete("files", id=file_id)

    # ------------------------------------------------------------------ vaults and credentials

    def put_vault(self, obj: dict[str, Any]) -> None:
        """Insert or replace a vault (keeps its place in lists)."""
        self._put_archivable("vaults", obj)

    def get_vault(self, vault_id: str) -> dict[str, Any] | None:
        return self._by("vaults", id=vault_id)

    def list_vaults(
        self, include_archived: bool = False, limit: int = 20, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first."""
        return self._list("vaults", _Query(include_archived=include_archived), limit=limit, cursor=cursor)

    def delete_vault(self, vault_id: str) -> bool:
        """Whether there was such a vault (its credentials go with it)."""
        return self._delete("vaults", id=vault_id)

    def put_credential(self, obj: dict[str, Any], secret: dict[str, Any] | None = None) -> None:
        """Store a credential; ``secret`` (its tokens) is kept apart from the returned JSON and
        left as it was when None."""
        self._write(
            (
                "INSERT INTO vault_credentials (id, vault_id, archived, secret, body) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET archived = excluded.archived, body = excluded.body, "
                "secret = CASE WHEN ? THEN excluded.secret ELSE vault_credentials.secret END",
                (
                    obj["id"],
                    obj["vault_id"],
                    obj.get("archived_at") is not None,
                    _dump(secret or {}),
                    _dump(obj),
                    secret is not None,
                ),
            )
        )

    def get_credential(self, vault_id: str, credential_id: str) -> dict[str, Any] | None:
        return self._by("vault_credentials", vault_id=vault_id, id=credential_id)

    def credential_secret(self, credential_id: str) -> dict[str, Any]:
        """The write-only secret fields of a credential, for authenticating only; never put them in a response."""
        secret = self._value("SELECT secret FROM vault_credentials WHERE id = ?", (credential_id,))
        return (_load("vault_credentials", credential_id, secret) or {}) if secret is not None else {}

    def list_credentials(
        self, vault_id: str, include_archived: bool = False, limit: int = 20, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A vault's credentials, newest first."""
        query = _Query(include_archived=include_archived, vault_id=vault_id)
        return self._list("vault_credentials", query, limit=limit, cursor=cursor)

    def delete_credential(self, vault_id: str, credential_id: str) -> bool:
        """Whether the vault had such a credential."""
        return self._delete("vault_credentials", vault_id=vault_id, id=credential_id)

    def live_credentials(self, vault_ids: list[str]) -> list[dict[str, Any]]:
        """The unarchived credentials of the unarchived vaults among ``vault_ids``: the vaults in
        that order, each one's credentials oldest first (the order a session uses them in)."""
        found: list[dict[str, Any]] = []
        with self._lock:
            for vault_id in vault_ids:
                rows = self._db.execute(
                    "SELECT c.id, c.body FROM vault_credentials c JOIN vaults v ON v.id = c.vault_id "
                    "WHERE c.vault_id = ? AND c.archived = 0 AND v.archived = 0 ORDER BY c.seq",
                    (vault_id,),
                ).fetchall()
                found += _loads("vault_credentials", rows)
        return found
