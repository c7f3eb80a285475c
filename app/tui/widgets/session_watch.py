"""The sessions as last listed, which of them need approval, and which want the user's attention.

The API's session status has no "needs approval": such a session is ``idle`` and its last
``session.status_idle`` event has ``stop_reason.type == "requires_action"``. :func:`fetch` lists
the sessions and looks up that event only for idle sessions whose ``updated_at`` changed since the
last look. :meth:`SessionWatch.apply` compares with the previous poll: a session seen before whose
last idle event is new either needs approval or finished a turn, and wants attention unless it is
the open one (even a turn that ran entirely between two polls is caught).

Listing every page on every poll would cost a request per hundred sessions every few seconds, so
most polls are quick: the newest page, the running sessions, and the ones that were running at the
last poll, merged into what was known. Every :data:`FULL_EVERY`-th poll (and any the user asks
for) lists every page again, which also drops sessions archived or deleted elsewhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from app.api.client import AgentClient
from app.api.errors import NotFoundError
from app.api.models import Session
from app.tui.widgets.session_rows import APPROVAL, FINISHED, parse_time

T = TypeVar("T")

#: At most this many idle-event look-ups run at once.
CONCURRENCY = 8
PAGE_SIZE = 100
#: Statuses that change without the user doing anything here.
ACTIVE = ("running", "rescheduling")
#: After this many quick polls, the next one lists every page.
FULL_EVERY = 10


@dataclass(frozen=True)
class IdleCheck:
    """The last ``session.status_idle`` of a session, as of its ``updated_at``."""

    updated_at: str
    event_id: str | None
    requires_action: bool


@dataclass
class Poll:
    #: Every session known after this poll, newest first.
    sessions: list[Session]
    checks: dict[str, IdleCheck]
    #: Every page was listed (so a session missing from ``sessions`` is gone).
    complete: bool


async def last_idle(client: AgentClient, session: Session) -> IdleCheck:
    page = await client.sessions.events.list(session.id, types=["session.status_idle"], order="desc", limit=1).first_page()
    event = page.data[0] if page.data else None
    if event is None:
        return IdleCheck(session.updated_at, None, False)
    return IdleCheck(session.updated_at, event.id, event.stop_reason.type == "requires_action")


async def _gather(calls: Iterable[Awaitable[T]]) -> list[T]:
    """Run ``calls`` at most :data:`CONCURRENCY` at a time."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def gated(call: Awaitable[T]) -> T:
        async with gate:
            return await call

    return await asyncio.gather(*(gated(call) for call in calls))


async def _retrieve(client: AgentClient, session_id: str) -> Session | None:
    try:
        return await client.sessions.retrieve(session_id)
    except NotFoundError:  # deleted since the last poll
        return None


async def _quick(
    client: AgentClient, include_archived: bool | None, previous: Sequence[Session], page_size: int
) -> tuple[list[Session], bool]:
    """The newest page, the active sessions and those active at the last poll, merged into ``previous``."""
    newest = await client.sessions.list(include_archived=include_archived, limit=page_size).first_page()
    if not newest.next_page:  # that page is every session
        return list(newest.data), True
    active = [s async for s in client.sessions.list(statuses=ACTIVE, include_archived=include_archived, limit=page_size)]
    fresh = {s.id: s for s in [*newest.data, *active]}
    settled = [s.id for s in previous if s.status in ACTIVE and s.id not in fresh]  # active last time, not now
    retrieved = dict(zip(settled, await _gather(_retrieve(client, i) for i in settled), strict=True))
    fresh |= {i: s for i, s in retrieved.items() if s is not None}
    gone = {i for i, s in retrieved.items() if s is None}
    merged = {s.id: s for s in previous if s.id not in gone} | fresh
    return sorted(merged.values(), key=lambda s: parse_time(s.created_at), reverse=True), False


async def fetch(
    client: AgentClient,
    *,
    include_archived: bool,
    known: Mapping[str, IdleCheck],
    previous: Sequence[Session] | None = None,
    page_size: int = PAGE_SIZE,
) -> Poll:
    """The sessions (newest first) and fresh idle checks for the idle ones that changed: every page
    when ``previous`` is None, else a quick poll merged into ``previous``."""
    archived = include_archived or None
    if previous is None:
        sessions, complete = [s async for s in client.sessions.list(include_archived=archived, limit=page_size)], True
    else:
        sessions, complete = await _quick(client, archived, previous, page_size)
    stale = [s for s in sessions if s.status == "idle" and getattr(known.get(s.id), "updated_at", None) != s.updated_at]
    checks = await _gather(last_idle(client, s) for s in stale)
    return Poll(sessions, {s.id: c for s, c in zip(stale, checks, strict=True)}, complete)


@dataclass
class SessionWatch:
    """State kept between polls; the pane renders from it."""

    sessions: list[Session] = field(default_factory=list)
    checks: dict[str, IdleCheck] = field(default_factory=dict)
    attention: dict[str, str] = field(default_factory=dict)
    loaded: bool = False
    #: Quick polls since every page was last listed.
    quick_polls: int = 0

    def merge_base(self, *, list_all: bool) -> list[Session] | None:
        """What the next poll merges into; None when it should list every page (asked for, the
        first poll, or :data:`FULL_EVERY` quick polls since the last full listing)."""
        if list_all or not self.loaded or self.quick_polls >= FULL_EVERY:
            return None
        return self.sessions

    def apply(self, poll: Poll, open_session_id: str | None) -> list[tuple[str, Session]]:
        """Take a poll in; returns the sessions that newly want attention, with the kind."""
        seen = {s.id for s in self.sessions}
        raised: list[tuple[str, Session]] = []
        for session in poll.sessions:
            old, new = self.checks.get(session.id), poll.checks.get(session.id)
            if session.status != "idle":
                self.attention.pop(session.id, None)
            elif (
                session.id in seen
                and session.id != open_session_id
                and new is not None
                and new.event_id is not None
                and (old is None or old.event_id != new.event_id)
            ):
                kind = APPROVAL if new.requires_action else FINISHED
                self.attention[session.id] = kind
                raised.append((kind, session))
        self.checks.update(poll.checks)
        self.sessions = poll.sessions
        self.loaded = True
        self.quick_polls = 0 if poll.complete else self.quick_polls + 1
        return raised

    def needs_approval(self, session: Session) -> bool:
        check = self.checks.get(session.id)
        return session.status == "idle" and check is not None and check.requires_action

    def get(self, session_id: str) -> Session | None:
        return next((s for s in self.sessions if s.id == session_id), None)

    def put(self, session: Session) -> None:
        """A session changed or created here: replace it in place, or add it as the newest."""
        for index, known in enumerate(self.sessions):
            if known.id == session.id:
                self.sessions[index] = session
                return
        self.sessions.insert(0, session)
