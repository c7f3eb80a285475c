"""``text/event-stream`` bytes -> typed session events.

Framing follows the WHATWG rules: LF, CRLF or CR line ends (also split across chunks), a blank
line ends a frame, ``:`` lines are comments, ``data:`` lines join with ``\\n``, one leading BOM is
dropped, a frame cut off by the end of the stream is discarded. ``id:`` and ``retry:`` lines are
recognised and ignored, since the API has no resume (no ``Last-Event-ID``). Then, as the official SDK
does: ``ping`` frames, frames without an ``event:`` name and frames with empty data are skipped,
``event: error`` raises the matching :class:`~app.api.errors.APIStatusError`, and everything else
is parsed by ``data.type`` into a typed event. A frame that is not valid JSON or not a valid event
becomes an :class:`~app.api.models.UnreadableEvent` in its place and the stream goes on.

Speed: frames are cut out of the byte buffer in one ``split`` per chunk, the common
``event: X\\ndata: {...}`` shape is sliced without a line loop, and the data bytes go straight to
pydantic-core's JSON validator.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

from app.api.errors import describe_invalid, stream_error
from app.api.models import SessionEvent, UnreadableEvent, parse_event_json

_BOM = b"\xef\xbb\xbf"

#: What streams, event lists and the reply to sending events hold: an event, or the stand-in for
#: one this client could not read.
StreamItem = SessionEvent | UnreadableEvent


class SSEDecoder:
    """Incremental decoder: :meth:`feed` byte chunks, then call :meth:`finish` at the end."""

    __slots__ = ("_pending", "_ends_lf", "_held_cr", "_at_start", "_request_id")

    def __init__(self, request_id: str | None = None) -> None:
        self._pending: list[bytes] = []
        self._ends_lf = False
        self._held_cr = False
        self._at_start = True
        self._request_id = request_id

    def feed(self, chunk: bytes) -> Iterable[StreamItem]:
        """The items completed by ``chunk`` (raises on an ``event: error`` frame, in order)."""
        blocks = self._blocks(chunk)
        return self._items(blocks) if blocks else ()

    def finish(self) -> Iterable[StreamItem]:
        """The items completed by the end of the stream (a held CR may end the last frame)."""
        if not self._held_cr:
            return ()
        self._held_cr = False
        return self.feed(b"\n")

    def _blocks(self, chunk: bytes) -> list[bytes] | None:
        """Complete frames in ``chunk`` + what was pending, with LF line ends and no separators."""
        if self._held_cr:
            chunk = b"\r" + chunk
            self._held_cr = False
        if b"\r" in chunk:
            if chunk[-1] == 13:  # a CR at the end may be the first half of a CRLF: keep it back
                chunk = chunk[:-1]
                self._held_cr = True
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if not chunk:
            return None
        pending = self._pending
        if b"\n\n" not in chunk and not (self._ends_lf and chunk[0] == 10):
            pending.append(chunk)
            self._ends_lf = chunk[-1] == 10
            return None
        if pending:
            pending.append(chunk)
            chunk = b"".join(pending)
            pending.clear()
        blocks = chunk.split(b"\n\n")
        rest = blocks.pop()
        if rest:
            pending.append(rest)
        self._ends_lf = rest[-1:] == b"\n"
        if self._at_start:
            self._at_start = False
            if blocks[0].startswith(_BOM):
                blocks[0] = blocks[0][3:]
        return blocks

    def _items(self, blocks: list[bytes]) -> Iterator[StreamItem]:
        parse = parse_event_json
        for block in blocks:
            # Fast path: exactly "event: <name>\ndata: <json>".
            if block.startswith(b"event: "):
                lf = block.find(b"\n", 7)
                if lf > 0 and block.startswith(b"data: ", lf + 1) and block.find(b"\n", lf + 7) < 0:
                    name, data = block[7:lf], block[lf + 7 :]
                else:
                    name, data = _fields(block)
            else:
                name, data = _fields(block)
            if name == b"error":
                raise stream_error(data, self._request_id)
            if not name or not data or name == b"ping":
                continue
            try:
                yield parse(data)
            except ValueError as exc:  # pydantic's ValidationError (also for JSON syntax) is a ValueError
                yield UnreadableEvent.of(data, describe_invalid(exc))


def _fields(block: bytes) -> tuple[bytes, bytes]:
    """The ``event`` name and joined ``data`` of a frame, by the general line-by-line rules."""
    name = b""
    data: list[bytes] = []
    for line in block.split(b"\n"):
        if not line or line[0] == 58:  # blank, or a ":" comment
            continue
        field, _, value = line.partition(b":")
        if value[:1] == b" ":
            value = value[1:]
        if field == b"data":
            data.append(value)
        elif field == b"event":
            name = value
    return name, b"\n".join(data)


def iter_stream_items(chunks: Iterable[bytes], *, request_id: str | None = None) -> Iterator[StreamItem]:
    """Typed items from an iterable of SSE byte chunks (the sync twin of :func:`aiter_stream_items`)."""
    decoder = SSEDecoder(request_id)
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.finish()


async def aiter_stream_items(
    chunks: AsyncIterable[bytes], *, request_id: str | None = None
) -> AsyncIterator[StreamItem]:
    """Typed items from an async iterable of SSE byte chunks (an HTTP response body)."""
    decoder = SSEDecoder(request_id)
    async for chunk in chunks:
        for item in decoder.feed(chunk):
            yield item
    for item in decoder.finish():
        yield item
