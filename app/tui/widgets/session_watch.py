"""The sessions as last listed, which of them need approval, and which want the user's attention.

The API's session status has no "needs approval": such a session is ``idle`` and its last
``session.status_idle`` event has ``stop_reason.type == "requires_action"``. :func:`fetch` lists
every session (all pages) and looks up that event only for idle sessions whose ``updated_at``
changed since the last look. :meth:`SessionWatch.apply` compares with the previous poll: a session
seen before whose last idle event is new either needs approval or finished a turn, and wants
attention unless it is the open one (even a turn that ran entirely between two polls is caught).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.api.client import AgentClient
from app.api.models import Session
from app.tui.widgets.session_rows import APPROVAL, FINISHED

#: At most this many idle-event look-ups run at once.
CONCURRENCY = 8
PAGE_SIZE = 100


@dataclass(frozen=True)
class IdleCheck:
    """The last ``session.status_idle`` of a session, as of its ``updated_at``."""

    updated_at: str
    event_id: str | None
    requires_action: bool


@dataclass
class Poll:
    sessions: list[Session]
    checks: dict[str, IdleCheck]


async def last_idle(client: AgentClient, session: Session) -> IdleCheck:
    pages = client.sessions.events.list(session.id, types=["session.status_idle"], order="desc", limit=1).pages()
    try:
        page = await anext(pages)
    finally:
        await pages.aclose()
    event = page.data[0] if page.data else None
    if event is None:
        return IdleCheck(session.updated_at, None, False)
    return IdleCheck(session.updated_at, event.id, event.stop_reason.type == "requires_action")


async def fetch(client: AgentClient, *, include_archived: bool, known: Mapping[str, IdleCheck]) -> Poll:
    """Every session (newest first) and fresh idle checks for the idle ones that changed."""
    sessions = [s async for s in client.sessions.list(include_archived=include_archived or None, limit=PAGE_SIZE)]
    stale = [s for s in sessions if s.status == "idle" and getattr(known.get(s.id), "updated_at", None) != s.updated_at]
    gate = asyncio.Semaphore(CONCURRENCY)

    async def check(session: Session) -> IdleCheck:
        async with gate:
            return await last_idle(client, session)

    checks = await asyncio.gather(*(check(s) for s in stale))
    return Poll(sessions, {s.id: c for s, c in zip(stale, checks, strict=True)})


@dataclass
class SessionWatch:
    """State kept between polls; the pane renders from it."""

    sessions: list[Session] = field(default_factory=list)
    checks: dict[str, IdleCheck] = field(default_factory=dict)
    attention: dict[str, str] = field(default_factory=dict)
    loaded: bool = False

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
