"""The session event log: the only way events enter a session.

An event is written to the store first and only then handed to the live subscribers of its
session, so whatever a client has seen on a stream is already durable. Previews
(``event_start``/``event_delta``) are published only. Each subscriber has its own queue, so a
slow reader never holds up the emitter or the other readers; one that falls more than its
backlog behind is dropped (its reader gets :class:`Overflowed`, and the client reconnects and
reads what it missed from the history, as after any disconnect).

All methods run on the event loop that serves the subscribers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from enum import Enum
from typing import Any

from app.runtime.ids import new_id, now
from app.runtime.store import Store


class _Signal(Enum):
    """What a subscription's queue holds besides frames: the end of the stream, or its drop."""

    END = "end"
    OVERFLOW = "overflow"


#: Frames a subscriber may have waiting before it is dropped.
BACKLOG = 1024


class Overflowed(Exception):
    """The subscription fell too far behind and was dropped."""


class Subscription:
    """Live frames of one session, in order, as an async iterator of dicts.

    Ends after :meth:`close` or when the log closes the session, and raises :class:`Overflowed`
    once more than ``backlog`` frames were waiting. Each published frame is a fresh dict shared by
    every subscriber: read it, don't modify it.
    """

    def __init__(
        self, log: SessionLog, session_id: str, backlog: int, admits: Callable[[dict[str, Any]], bool]
    ) -> None:
        self.session_id = session_id
        self._log = log
        self._backlog = backlog
        self._admits = admits
        self._queue: asyncio.Queue[dict[str, Any] | _Signal] = asyncio.Queue()
        self._closed = False

    def _push(self, frame: dict[str, Any]) -> bool:
        """Queue ``frame`` if this subscription wants it; False (and nothing queued) when the
        backlog is full."""
        if not self._admits(frame):
            return True
        if self._queue.qsize() >= self._backlog:
            return False
        self._queue.put_nowait(frame)
        return True

    def _overflow(self) -> None:
        """Drop this subscription: its waiting frames go, its reader gets :class:`Overflowed`."""
        self._closed = True
        self._log._detach(self)
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(_Signal.OVERFLOW)

    def close(self) -> None:
        """Stop receiving; a reader waiting on the iterator wakes and finishes."""
        if not self._closed:
            self._closed = True
            self._log._detach(self)
            self._queue.put_nowait(_Signal.END)

    def take_ready(self) -> list[dict[str, Any]]:
        """The frames already waiting, without blocking (to send them in one write)."""
        frames = []
        while not self._queue.empty():
            frame = self._queue.get_nowait()
            if isinstance(frame, _Signal):
                self._queue.put_nowait(frame)
                break
            frames.append(frame)
        return frames

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> dict[str, Any]:
        frame = await self._queue.get()
        if isinstance(frame, _Signal):
            self._queue.put_nowait(frame)  # stay finished if read again
            if frame is _Signal.OVERFLOW:
                raise Overflowed(self.session_id)
            raise StopAsyncIteration
        return frame


class SessionLog:
    """Persist-then-publish event log over a :class:`Store`; ``backlog`` bounds each subscriber."""

    def __init__(self, store: Store, backlog: int = BACKLOG) -> None:
        self.store = store
        self._backlog = backlog
        self._subscribers: dict[str, set[Subscription]] = {}

    async def emit(self, session_id: str, event: dict[str, Any]) -> dict[str, Any]:
        """Store ``event`` and publish it; returns it with ``id`` and ``processed_at`` filled in.

        A missing ``id`` gets a fresh ``sevt_`` id and a missing ``processed_at`` the current
        time; an explicit ``processed_at: None`` (a queued echo) stays ``None``.
        """
        rest = {key: value for key, value in event.items() if key not in ("type", "id")}
        event = {"type": event["type"], "id": event.get("id") or new_id("sevt"), **rest}
        if "processed_at" not in event:
            event["processed_at"] = now()
        self.store.append_event(session_id, event)
        self._publish(session_id, event)
        return event

    async def update(self, session_id: str, event: dict[str, Any]) -> None:
        """Rewrite a stored event (same ``id``, e.g. a queued echo now processed) and publish it again."""
        event = dict(event)
        self.store.update_event(session_id, event)
        self._publish(session_id, event)

    def preview(self, session_id: str, frame: dict[str, Any]) -> None:
        """Publish an ``event_start``/``event_delta`` frame; previews are never stored."""
        self._publish(session_id, dict(frame))

    def subscribe(self, session_id: str, admits: Callable[[dict[str, Any]], bool] = lambda frame: True) -> Subscription:
        """Every frame of the session from now on (no replay) that ``admits`` lets through (frames
        a reader did not ask for never wait in its queue)."""
        subscription = Subscription(self, session_id, self._backlog, admits)
        self._subscribers.setdefault(session_id, set()).add(subscription)
        return subscription

    def subscriber_count(self, session_id: str) -> int:
        return len(self._subscribers.get(session_id, ()))

    def close_session(self, session_id: str) -> None:
        """End every subscription of the session (after ``session.deleted``)."""
        for subscription in list(self._subscribers.get(session_id, ())):
            subscription.close()

    def _publish(self, session_id: str, frame: dict[str, Any]) -> None:
        behind = [sub for sub in self._subscribers.get(session_id, ()) if not sub._push(frame)]
        for subscription in behind:
            subscription._overflow()

    def _detach(self, subscription: Subscription) -> None:
        subscribers = self._subscribers.get(subscription.session_id)
        if subscribers is not None:
            subscribers.discard(subscription)
            if not subscribers:
                del self._subscribers[subscription.session_id]
