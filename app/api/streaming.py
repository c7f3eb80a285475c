"""An open live-event stream (``GET .../events/stream`` or ``.../threads/{id}/stream``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import TracebackType

import httpx

from app.api.http import HTTPTransport, Query, connection_error
from app.api.sse import StreamItem, aiter_stream_items


class EventStream:
    """``async with`` opens the connection (retried until response headers arrive), ``async for``
    yields each :data:`~app.api.sse.StreamItem` (a typed event, or an ``UnreadableEvent`` in
    place of one it could not read).

    An ``event: error`` frame raises the matching ``APIStatusError``; a connection that breaks
    mid-stream raises :class:`APIConnectionError` (:class:`APITimeoutError` on a read timeout).
    A stream the server ends cleanly (e.g. after ``session.deleted``) just stops.
    """

    def __init__(self, transport: HTTPTransport, path: str, params: Query) -> None:
        self._transport = transport
        self._path = path
        self._params = params
        self._response: httpx.Response | None = None

    def __repr__(self) -> str:
        state = "open" if self._response is not None else "not open"
        return f"EventStream(GET {self._path}, {state})"

    async def __aenter__(self) -> EventStream:
        self._response = await self._transport.send("GET", self._path, params=self._params, stream=True)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection (safe to call twice)."""
        if self._response is not None:
            await self._response.aclose()

    def __aiter__(self) -> AsyncIterator[StreamItem]:
        if self._response is None:
            raise RuntimeError("open the stream first: `async with client.sessions.events.stream(...) as s`")
        return self._items(self._response)

    async def _items(self, response: httpx.Response) -> AsyncIterator[StreamItem]:
        try:
            async for item in aiter_stream_items(response.aiter_bytes(), request_id=response.headers.get("request-id")):
                yield item
        except httpx.TransportError as exc:
            raise connection_error(exc, "the event stream") from exc
