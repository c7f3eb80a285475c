"""The live, gap-free feed of one session: stream + history, reconnects, batches of changes.

Usage::

    async with SessionFeed(client, session_id) as feed:
        async for batch in feed:        # a list of change records (see app.api.feed_state)
            for change in batch: ...

Each connection opens the stream first (with deltas for ``agent.message`` and ``agent.thinking``),
then reads the history it may have missed through the events list, then follows the stream. The
first time, the history is read newest page first (``order=desc``), so a long session shows its
latest turns after one request: the newest page is delivered from the start of its first whole
turn (a ``user.message``), the feed goes live, and the older pages follow in the background, each
as an :class:`EarlierEvents` (``newest_first=False`` reads it all in order first, as later
connections do from the last ``processed_at`` seen). Events are de-duplicated by id, so each one
is delivered once, in server order; an event this client cannot read is delivered as an
:class:`~app.api.models.UnreadableEvent` in its place, never retried. A connection counts as
healthy once its stream is open and its history read: when it drops, it is reopened after 0.5 s.
Connections that fail before that (the stream does not open, or the history cannot be read) back
off: 0.5 s, 1 s, 2 s ... at most 10 s. A 4xx that retrying cannot fix (401, 403, 404 ...) stops
the feed, and so does ``session.deleted``.

With ``thread_id``, the feed follows one thread of a multi-agent session instead: its own stream
(``/v1/sessions/{id}/threads/{thread_id}/stream``) and its own events list, which has no
``order`` or ``created_at`` filter, so each connection reads that list whole, oldest first, and
the events already delivered are skipped (de-duplicated by id as always).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, get_args

from app.api.client import AgentClient, DeltaType
from app.api.errors import AgentAPIError, APIStatusError
from app.api.feed_state import (
    Change,
    Connection,
    ConnectionState,
    EarlierEvents,
    EventAdded,
    FeedState,
    PreviewDropped,
    PreviewStarted,
    PreviewUpdated,
)
from app.api.pagination import AsyncPaginator

__all__ = [
    "Change",
    "Connection",
    "ConnectionState",
    "EarlierEvents",
    "EventAdded",
    "PreviewDropped",
    "PreviewStarted",
    "PreviewUpdated",
    "SessionFeed",
]

#: The previews every connection asks for: all of them.
DELTA_TYPES: tuple[DeltaType, ...] = get_args(DeltaType)

#: Reconnect delays: the first, doubled after each connection that failed before it was healthy,
#: up to the last.
_FIRST_DELAY = 0.5
_MAX_DELAY = 10.0

#: 4xx statuses that are worth retrying; every other 4xx stops the feed.
_RETRYABLE_4XX = frozenset({408, 409, 429})

_FATAL_REASONS = {
    401: "the API key was rejected",
    403: "access was denied",
    404: "it does not exist (any more)",
}


class SessionFeed:
    """Batches of changes for one session, kept live across dropped connections.

    ``sleep`` is awaited for every reconnect delay (inject a fake one in tests);
    ``page_size`` is the ``limit`` of each history page; ``newest_first`` reads the history newest
    page first (see the module's docstring); ``thread_id`` follows that thread's own stream and
    events instead of the session's (its history is always read oldest first).
    """

    def __init__(
        self,
        client: AgentClient,
        session_id: str,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        page_size: int = 1000,
        newest_first: bool = True,
        thread_id: str | None = None,
    ) -> None:
        self.session_id = session_id
        self.thread_id = thread_id
        self._client = client
        self._sleep = sleep
        self._page_size = page_size
        self._state = FeedState()
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._newest_first = newest_first and thread_id is None  # a thread's list has no order
        #: Reads the pages before the newest one, once the feed is live (newest first only).
        self._earlier: asyncio.Task[None] | None = None
        self._healthy = False  # the current connection's stream opened and its history was read
        #: The fatal API error that stopped the feed, if any.
        self.error: APIStatusError | None = None

    async def __aenter__(self) -> SessionFeed:
        self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def start(self) -> None:
        """Start connecting (iterating or entering the context starts it too)."""
        if self._task is None:
            name = f"feed {self.session_id}" + (f" {self.thread_id}" if self.thread_id else "")
            self._task = asyncio.get_running_loop().create_task(self._run(), name=name)
            self._task.add_done_callback(lambda _: self._wakeup.set())

    @property
    def closed(self) -> bool:
        """True once the feed has stopped (its last batch may still be waiting to be read)."""
        return self._task is not None and self._task.done()

    async def aclose(self) -> None:
        """Cancel the connection; the iteration ends after the batches already queued."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.wait([self._task])

    def __aiter__(self) -> SessionFeed:
        self.start()
        return self

    async def __anext__(self) -> list[Change]:
        """The next batch: every change received since the previous one, never empty."""
        while True:
            batch = self._state.take()
            if batch:
                return batch
            assert self._task is not None
            if self._task.done():
                error = None if self._task.cancelled() else self._task.exception()
                if error is not None:
                    raise error  # a bug, not an API failure: let it surface
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()

    async def _run(self) -> None:
        try:
            await self._follow()
        finally:  # also on aclose() and on a bug: the consumer always sees the end
            if self._earlier is not None:
                self._earlier.cancel()
            self._state.drop_open_previews()
            error = self._describe_fatal(self.error) if self.error else None
            self._post(Connection("closed", error=error))

    async def _follow(self) -> None:
        """Connect, and reconnect with backoff, until the session is deleted or a fatal error."""
        failures = 0
        self._post(Connection("connecting"))
        while True:
            self._healthy = False
            try:
                if await self._connect():
                    return
                reason = "the stream ended"
            except APIStatusError as exc:
                if _is_fatal(exc):
                    self.error = exc
                    return
                reason = str(exc)
            except AgentAPIError as exc:  # connection dropped, timeout, unreadable reply
                reason = str(exc) or type(exc).__name__
            failures = 1 if self._healthy else failures + 1
            delay = min(_FIRST_DELAY * 2 ** (failures - 1), _MAX_DELAY)
            self._state.drop_open_previews()
            self._post(Connection("reconnecting", attempt=failures, delay=delay, error=reason))
            await self._sleep(delay)

    async def _connect(self) -> bool:
        """One connection: stream, backfill, follow. True when the session is gone for good."""
        async with self._open_stream() as stream:
            if self._newest_first and self._earlier is None:
                await self._read_newest()
            else:
                async for event in self._history():
                    self._state.apply(event)
                    self._wakeup.set()
            if self._state.deleted:
                return True
            self._healthy = True
            self._post(Connection("live"))
            async for item in stream:
                self._state.apply(item)
                self._wakeup.set()
                if self._state.deleted:
                    return True
        return False

    def _open_stream(self) -> Any:
        if self.thread_id is not None:
            return self._client.sessions.threads.stream(self.session_id, self.thread_id, event_deltas=DELTA_TYPES)
        return self._client.sessions.events.stream(self.session_id, event_deltas=DELTA_TYPES)

    def _history(self) -> AsyncPaginator[Any]:
        """What the stream may have missed, oldest first: from the last ``processed_at`` seen for
        the session; all of it for a thread (whose list cannot be filtered)."""
        if self.thread_id is not None:
            return self._client.sessions.threads.events(self.session_id, self.thread_id, limit=self._page_size)
        since = self._state.watermark
        return self._client.sessions.events.list(
            self.session_id, created_at_gte=since, order="asc", limit=self._page_size
        )

    async def _read_newest(self) -> None:
        """Deliver the newest page of history from the start of its first whole turn (older pages
        too when it has none); the rest is left to a background reader."""
        listing = self._client.sessions.events.list(self.session_id, order="desc", limit=self._page_size)
        held: list[Any] = []
        cursor: str | None = None
        while True:
            page = await listing.page(cursor)
            held[:0] = reversed(page.data)
            cursor = page.next_page if page.next_page != cursor else None
            start = _turn_start(held) if cursor else 0
            if start < len(held) or cursor is None:
                break
        for event in held[start:]:
            self._state.apply(event)
        self._wakeup.set()
        self._earlier = asyncio.get_running_loop().create_task(self._read_earlier(listing, cursor, held[:start]))

    async def _read_earlier(self, listing: AsyncPaginator[Any], cursor: str | None, held: list[Any]) -> None:
        """Deliver the history before what :meth:`_read_newest` delivered, a page at a time (from
        the start of its first whole turn), newest first; retried like a connection."""
        failures = 0
        while cursor:
            try:
                page = await listing.page(cursor)
            except APIStatusError as exc:
                if _is_fatal(exc):
                    return
                failures += 1
            except AgentAPIError:
                failures += 1
            else:
                failures = 0
                held[:0] = reversed(page.data)
                cursor = page.next_page if page.next_page != cursor else None
                start = _turn_start(held) if cursor else 0
                if start < len(held):
                    self._state.apply_earlier(held[start:])
                    self._wakeup.set()
                    del held[start:]
                continue
            await self._sleep(min(_FIRST_DELAY * 2 ** (failures - 1), _MAX_DELAY))

    def _post(self, change: Connection) -> None:
        self._state.note(change)
        self._wakeup.set()

    def _describe_fatal(self, exc: APIStatusError) -> str:
        reason = _FATAL_REASONS.get(exc.status_code, "the server refused the request")
        what = f"thread {self.thread_id} of session" if self.thread_id else "session"
        return f"Stopped following {what} {self.session_id}: {reason} ({exc})"


def _turn_start(events: list[Any]) -> int:
    """The index of the first ``user.message`` (where a turn starts); ``len(events)`` when none."""
    return next((i for i, event in enumerate(events) if event.type == "user.message"), len(events))


def _is_fatal(exc: APIStatusError) -> bool:
    return 400 <= exc.status_code < 500 and exc.status_code not in _RETRYABLE_4XX
