"""The live event stream as ``text/event-stream`` (reference §6).

Every frame is ``event: <data.type>`` plus one line of JSON ``data`` and a blank line. Previews go
only to connections that asked for them (``event_deltas``); a quiet stream gets a heartbeat
(``event: ping``, ``data: {"type":"ping"}``); the stream ends after ``session.deleted``, or with an
``event: error`` frame (``overloaded_error``) when the reader fell too far behind.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from typing import Any

from starlette.responses import StreamingResponse

from app.runtime.log import Overflowed, Subscription

#: Which preview frames each ``event_deltas`` value opts in to.
DELTA_TYPES = ("agent.message", "agent.thinking")


def encode(frame: dict[str, Any]) -> bytes:
    """One SSE frame for ``frame`` (named by its ``type``)."""
    data = json.dumps(frame, separators=(",", ":"), ensure_ascii=False)
    return f"event: {frame['type']}\ndata: {data}\n\n".encode()


PING = encode({"type": "ping"})
#: The last frame of a stream whose reader fell too far behind (the client reconnects and backfills).
FELL_BEHIND = encode(
    {
        "type": "error",
        "error": {
            "type": "overloaded_error",
            "message": "this stream fell too far behind and was closed: reconnect and read the events it missed",
        },
    }
)
#: Headers of a stream response besides its content type.
STREAM_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}


class FrameEncoder:
    """:func:`encode` once per frame, not once per connection.

    Every subscriber of a session receives the same frame objects from the log, so the bytes are
    remembered by object identity (holding the frame keeps its identity from being reused) for
    the most recent ``size`` frames.
    """

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._recent: dict[int, tuple[dict[str, Any], bytes]] = {}

    def __call__(self, frame: dict[str, Any]) -> bytes:
        entry = self._recent.get(id(frame))
        if entry is not None and entry[0] is frame:
            return entry[1]
        data = encode(frame)
        if len(self._recent) >= self._size:
            del self._recent[next(iter(self._recent))]
        self._recent[id(frame)] = (frame, data)
        return data


class PreviewFilter:
    """Decides per connection which frames to send.

    ``event_start`` passes for the requested types; an ``event_delta`` passes only when this
    connection was sent the start of its preview (``agent.message`` only: thinking has no deltas).
    A final event with the preview's id, or the ``span.model_request_end`` of the request, closes it.
    """

    def __init__(self, deltas: Iterable[str]) -> None:
        self.deltas = frozenset(deltas)
        self._open: set[str] = set()

    def admits(self, frame: dict[str, Any]) -> bool:
        kind = frame.get("type")
        if kind == "event_start":
            started = frame.get("event") or {}
            if started.get("type") not in self.deltas:
                return False
            if started.get("type") == "agent.message" and isinstance(event_id := started.get("id"), str):
                self._open.add(event_id)
            return True
        if kind == "event_delta":
            return frame.get("event_id") in self._open
        if kind == "span.model_request_end":
            self._open.clear()
        else:
            self._open.discard(frame.get("id"))
        return True


async def frames(subscription: Subscription, heartbeat: float, encoder: FrameEncoder) -> AsyncIterator[bytes]:
    """The bytes of the stream: frames as they come (batched when several are waiting), pings
    when quiet; ends after ``session.deleted``, when the subscription ends, or with
    :data:`FELL_BEHIND` when it overflowed. Closes it on exit."""
    try:
        while True:
            try:
                async with asyncio.timeout(heartbeat):
                    first = await anext(subscription)
            except TimeoutError:
                yield PING
                continue
            except StopAsyncIteration:
                return
            except Overflowed:
                yield FELL_BEHIND
                return
            chunk = bytearray()
            for frame in [first, *subscription.take_ready()]:
                chunk += encoder(frame)
                if frame.get("type") == "session.deleted":
                    yield bytes(chunk)
                    return
            if chunk:
                yield bytes(chunk)
    finally:
        subscription.close()


def stream_response(subscription: Subscription, heartbeat: float, encoder: FrameEncoder) -> StreamingResponse:
    """A 200 ``text/event-stream`` response over ``subscription`` (already subscribed with its
    reader's :class:`PreviewFilter`, so nothing emitted after the request arrived is missed);
    ``encoder`` is shared by the app's streams."""
    return StreamingResponse(
        frames(subscription, heartbeat, encoder),
        media_type="text/event-stream",
        headers=STREAM_HEADERS,
    )
