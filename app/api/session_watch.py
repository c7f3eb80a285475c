"""The sessions the pane knows, kept current at a cost that does not grow with the account.

Sessions are listed newest first, :data:`PAGE_SIZE` at a time: the newest page at start, each
older page when the user asks for it (:func:`older`). A :func:`poll` then asks for

- the newest page (and the next ones down to the newest session known, when more than a page of
  sessions was created since the last poll): new sessions and the state of the newest ones; a
  known session within that span that is missing from it was archived or deleted;
- unless that page is every session: the active ones (``running``, ``rescheduling``), wherever
  they are in the list;
- each session that was active at the last poll and neither list returned (it settled, or was
  deleted or archived): retrieved by id.

So a quiet poll is one or two requests, whether the account has fifty sessions or five thousand.
:func:`relist` lists again from the newest as many pages as were loaded (``R``, or showing
archived sessions): it also drops what was archived or deleted elsewhere.

"Needs approval" is not a session status: such a session is ``idle`` and its last
``session.status_idle`` event has ``stop_reason.type == "requires_action"``. That event is looked
up (one request) for each idle session listed with an ``updated_at`` not looked at yet: every
idle session of a page when the page is first listed, afterwards only those whose ``updated_at``
moved (a turn ended or the session was edited). Look-ups are bounded by what is listed (at most a
page per page loaded, then the few sessions that changed), never one per session of the account.
:meth:`SessionWatch.apply` compares with what was known: a session seen before whose last idle
event is new either needs approval or finished a turn, and wants attention unless it is open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Collection, Iterable, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.api.client import AgentClient
from app.api.errors import NotFoundError
from app.api.models import Session, SessionStatusIdleEvent, SkippedItem, parse_time
from app.api.pagination import AsyncPaginator

T = TypeVar("T")

#: Attention kinds: a session other than the open one started waiting on approval, or finished a turn.
APPROVAL, FINISHED = "approval", "finished"

#: At most this many requests of one poll run at once.
CONCURRENCY = 8
PAGE_SIZE = 50
#: Statuses that change without the user doing anything here.
ACTIVE = ("running", "rescheduling")


@dataclass(frozen=True)
class IdleCheck:
    """The last ``session.status_idle`` of a session, as of its ``updated_at``."""

    updated_at: str
    event_id: str | None
    requires_action: bool


@dataclass
class Listing:
    """What one round of requests returned."""

    #: The sessions returned, with their fresh idle checks.
    sessions: list[Session]
    checks: dict[str, IdleCheck]
    #: Known sessions now known not to be listed (archived or deleted).
    gone: set[str] = field(default_factory=set)
    #: From the newest session down: known sessions it did not return are dropped.
    relisted: bool = False
    #: Pages were listed: ``floor`` says where older sessions start.
    paged: bool = False
    #: ``created_at`` of the oldest session paged in, when there are older ones (else None).
    floor: str | None = None
    #: Pages listed from the newest (a relisting) or past the floor (an older page).
    pages: int = 0
    #: Sessions this client could not read, left out (a known one keeps its last readable copy).
    skipped: list[SkippedItem] = field(default_factory=list)


async def last_idle(client: AgentClient, session: Session) -> IdleCheck:
    page = await client.sessions.events.list(session.id, types=["session.status_idle"], order="desc", limit=1).page()
    event = page.data[0] if page.data else None
    if event is None:
        return IdleCheck(session.updated_at, None, False)
    asks = isinstance(event, SessionStatusIdleEvent) and event.stop_reason.type == "requires_action"
    return IdleCheck(session.updated_at, getattr(event, "id", None), asks)  # an unreadable idle event asks nothing


async def _gather(calls: Iterable[Awaitable[T]]) -> list[T]:
    """Run ``calls`` at most :data:`CONCURRENCY` at a time."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def gated(call: Awaitable[T]) -> T:
        async with gate:
            return await call

    return await asyncio.gather(*(gated(call) for call in calls))


async def _checks(
    client: AgentClient, sessions: Iterable[Session], known: Mapping[str, IdleCheck]
) -> dict[str, IdleCheck]:
    """Idle checks for the idle ``sessions`` whose ``updated_at`` was not looked at yet."""
    stale = [s for s in sessions if s.status == "idle" and getattr(known.get(s.id), "updated_at", None) != s.updated_at]
    return {s.id: check for s, check in zip(stale, await _gather(last_idle(client, s) for s in stale), strict=True)}


def _list(
    client: AgentClient, include_archived: bool, *, limit: int = PAGE_SIZE, **filters: Any
) -> AsyncPaginator[Session]:
    return client.sessions.list(include_archived=include_archived or None, limit=limit, **filters)


async def _active(client: AgentClient, include_archived: bool) -> list[Session]:
    return [s async for s in _list(client, include_archived, statuses=ACTIVE)]


def _unique(sessions: Iterable[Session]) -> list[Session]:
    return list({s.id: s for s in sessions}.values())


async def relist(client: AgentClient, *, include_archived: bool, pages: int, known: Mapping[str, IdleCheck]) -> Listing:
    """The newest ``pages`` pages again (and the active sessions, when there are more)."""
    listed: list[Session] = []
    skipped: list[SkippedItem] = []
    more, done = False, 0
    async with aclosing(_list(client, include_archived).pages()) as walk:
        async for page in walk:
            listed += page.data
            skipped += page.skipped
            more, done = bool(page.next_page), done + 1
            if done >= pages:
                break
    sessions = _unique([*listed, *(await _active(client, include_archived) if more else [])])
    floor = listed[-1].created_at if more and listed else None
    checks = await _checks(client, sessions, known)
    return Listing(sessions, checks, relisted=True, paged=True, floor=floor, pages=done, skipped=skipped)


async def older(
    client: AgentClient, *, include_archived: bool, floor: str, listed: Collection[str], known: Mapping[str, IdleCheck]
) -> Listing:
    """The next page: sessions created at or before ``floor``, the oldest paged in so far (``at or``,
    so that others created in the same millisecond are not skipped; ``listed``, the ids already
    known, are left out, so the page asks for one more: the floor session itself)."""
    page = await _list(client, include_archived, created_at_lte=floor, limit=PAGE_SIZE + 1).page()
    if page.next_page and all(s.id in listed for s in page.data):  # a page of sessions all made at ``floor``
        page = await _list(client, include_archived, created_at_lt=floor).page()
    fresh = [s for s in page.data if s.id not in listed]
    floor_after = page.data[-1].created_at if page.next_page and page.data else None
    checks = await _checks(client, fresh, known)
    return Listing(fresh, checks, paged=True, floor=floor_after, pages=1, skipped=list(page.skipped))


async def _retrieve(client: AgentClient, session_id: str) -> Session | None:
    try:
        return await client.sessions.retrieve(session_id)
    except NotFoundError:  # deleted since the last poll
        return None


async def poll(
    client: AgentClient,
    *,
    include_archived: bool,
    sessions: list[Session],
    active: Collection[str],
    known: Mapping[str, IdleCheck],
) -> Listing:
    """What changed among ``sessions`` (newest first), those ``active`` at the last poll, and newer ones."""
    newest = parse_time(sessions[0].created_at) if sessions else None
    listed: list[Session] = []
    skipped: list[SkippedItem] = []
    more = False
    async with aclosing(_list(client, include_archived).pages()) as walk:
        async for page in walk:  # down to the newest session known: one page unless many were created
            listed += page.data
            skipped += page.skipped
            more = bool(page.next_page)
            if not more or newest is None or (page.data and parse_time(page.data[-1].created_at) <= newest):
                break
    fresh = {s.id: s for s in listed}
    unread = {item.id for item in skipped}
    if not more:  # that is every session
        gone = {s.id for s in sessions if s.id not in fresh and s.id not in unread}
        return Listing(listed, await _checks(client, listed, known), gone, paged=True, skipped=skipped)
    span = parse_time(listed[-1].created_at)
    gone = {s.id for s in sessions if s.id not in fresh and s.id not in unread and parse_time(s.created_at) > span}
    fresh |= {s.id: s for s in await _active(client, include_archived)}
    settled = [i for i in active if i not in fresh and i not in gone]  # active last time, not now
    for session_id, session in zip(settled, await _gather(_retrieve(client, i) for i in settled), strict=True):
        if session is None or (session.archived_at is not None and not include_archived):
            gone.add(session_id)
        else:
            fresh[session_id] = session
    return Listing(list(fresh.values()), await _checks(client, fresh.values(), known), gone, skipped=skipped)


@dataclass
class Update:
    """What :meth:`SessionWatch.apply` changed."""

    #: Sessions that newly want attention, with the kind.
    raised: list[tuple[str, Session]] = field(default_factory=list)
    #: Sessions whose row may look different.
    changed: set[str] = field(default_factory=set)
    #: Sessions came or went: the order of rows changed.
    reordered: bool = False


@dataclass
class SessionWatch:
    """State kept between polls; the pane renders from it."""

    checks: dict[str, IdleCheck] = field(default_factory=dict)
    attention: dict[str, str] = field(default_factory=dict)
    #: The ids of the sessions known to be active.
    active: set[str] = field(default_factory=set)
    loaded: bool = False
    #: Pages listed from the newest (what a relisting lists again).
    pages: int = 0
    #: ``created_at`` of the oldest session paged in while there are older ones (None: none left).
    floor: str | None = None
    _by_id: dict[str, Session] = field(default_factory=dict)
    _order: list[Session] | None = None

    @property
    def sessions(self) -> list[Session]:
        """Every known session, newest first."""
        if self._order is None:
            self._order = sorted(self._by_id.values(), key=lambda s: parse_time(s.created_at), reverse=True)
        return self._order

    @property
    def more(self) -> bool:
        """Older sessions exist that are not listed yet."""
        return self.floor is not None

    @property
    def ids(self) -> Collection[str]:
        """The ids of the known sessions (a live view)."""
        return self._by_id.keys()

    def apply(self, listing: Listing, open_session_id: str | None) -> Update:
        """Take a listing in (see :class:`Update`)."""
        update = Update()
        returned = {s.id for s in listing.sessions}
        unread = {item.id for item in listing.skipped}
        dropped: list[str] | set[str]
        if listing.relisted:
            dropped = [i for i in self._by_id if i not in returned and i not in unread]
        else:
            dropped = listing.gone & self._by_id.keys()
        for session_id in dropped:
            self.drop(session_id)
        update.reordered = bool(dropped)
        for session in listing.sessions:
            old = self._by_id.get(session.id)
            self._by_id[session.id] = session
            (self.active.add if session.status in ACTIVE else self.active.discard)(session.id)
            check = listing.checks.get(session.id)
            kind = self._attention(session, old is not None and session.id != open_session_id, check)
            if kind is not None:
                update.raised.append((kind, session))
            if old is None:
                update.reordered = True
            elif old != session or check is not None or kind is not None:
                update.changed.add(session.id)
        self.checks.update(listing.checks)
        if listing.paged:
            self.floor = listing.floor
        self.pages = listing.pages if listing.relisted else self.pages + listing.pages
        self.loaded = True
        if dropped or listing.sessions:  # sessions went, or were stored afresh
            self._order = None
        return update

    def _attention(self, session: Session, may_raise: bool, check: IdleCheck | None) -> str | None:
        """Clear a session's mark when it runs; mark it (and return the kind) when a new idle event came."""
        if session.status != "idle":
            self.attention.pop(session.id, None)
            return None
        old = self.checks.get(session.id)
        if (
            not may_raise
            or check is None
            or check.event_id is None
            or (old is not None and old.event_id == check.event_id)
        ):
            return None
        kind = APPROVAL if check.requires_action else FINISHED
        self.attention[session.id] = kind
        return kind

    def needs_approval(self, session: Session) -> bool:
        check = self.checks.get(session.id)
        return session.status == "idle" and check is not None and check.requires_action

    def get(self, session_id: str) -> Session | None:
        return self._by_id.get(session_id)

    def put(self, session: Session) -> bool:
        """A session changed or created here; whether it is new (its row goes on top)."""
        new = session.id not in self._by_id
        self._by_id[session.id] = session
        (self.active.add if session.status in ACTIVE else self.active.discard)(session.id)
        if new:
            self._order = None
        elif self._order is not None:
            self._order = [session if s.id == session.id else s for s in self._order]
        return new

    def drop(self, session_id: str) -> None:
        """Forget a session (deleted, or no longer listed)."""
        if self._by_id.pop(session_id, None) is not None:
            self._order = None
        for table in (self.checks, self.attention):
            table.pop(session_id, None)
        self.active.discard(session_id)
