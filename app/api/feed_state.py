"""The pure half of the session feed: fold events into change records, batch by batch.

:class:`FeedState` knows nothing about HTTP. It is given persisted events (from history or the
stream), stream-only preview frames and history older than all of those (read last). It
de-duplicates by event id, folds ``event_start`` / ``event_delta`` into previews, and queues the
resulting changes until :meth:`FeedState.take` hands them out as one batch. Within a batch the
changes are coalesced: a preview's deltas become one :class:`PreviewUpdated` carrying the text so
far, and a preview that opens and closes inside the same batch never shows up at all (only its
final event does). Each preview counts its deltas and
times itself on the client's clock (:class:`Streamed`): the final event's :class:`EventAdded` and
every :class:`PreviewUpdated` carry that.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from app.api.models import EventDeltaEvent, EventStartEvent, UnreadableEvent

if TYPE_CHECKING:
    from app.api.models import SessionEvent


@dataclass(frozen=True, slots=True)
class Streamed:
    """How an event streamed in here: ``deltas`` received, from its ``event_start`` (``started``)
    to its final event (``ended``, None while it streams), in seconds of the client's clock."""

    deltas: int
    started: float
    ended: float | None = None

    @property
    def seconds(self) -> float | None:
        """How long it streamed, once its final event came."""
        return None if self.ended is None else self.ended - self.started


@dataclass(frozen=True, slots=True)
class EventAdded:
    """A persisted event, delivered once and in server order; it takes the place of the preview
    with the same ``event.id``, if one was shown (``streamed`` then says how it streamed)."""

    event: SessionEvent | UnreadableEvent
    streamed: Streamed | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class PreviewStarted:
    """A streamed event (``agent.message`` or ``agent.thinking``) has begun; ``id`` is its final id."""

    id: str
    type: str


@dataclass(frozen=True, slots=True)
class PreviewUpdated:
    """The preview's text so far, per position in the final ``content`` array (whole text, not a delta)."""

    id: str
    text_by_index: dict[int, str]
    #: Its deltas so far and when it started.
    streamed: Streamed | None = field(default=None, compare=False)

    @property
    def text(self) -> str:
        """All text blocks joined in content order."""
        return "".join(self.text_by_index[i] for i in sorted(self.text_by_index))


@dataclass(frozen=True, slots=True)
class PreviewDropped:
    """A preview that will never get a final event (its model request ended, or the stream dropped)."""

    id: str


@dataclass(frozen=True, slots=True)
class EarlierEvents:
    """Persisted events older than every event delivered before, in server order: history read
    after a newer part of it (see :class:`~app.api.feed.SessionFeed`). They go before everything
    delivered so far; several of them arrive newest part first."""

    events: tuple[SessionEvent | UnreadableEvent, ...]


ConnectionState = Literal["connecting", "live", "reconnecting", "closed"]


@dataclass(frozen=True, slots=True)
class Connection:
    """The feed's connection changed state.

    ``connecting``: first attempt. ``live``: stream open and history caught up.
    ``reconnecting``: the connection failed for the ``attempt``-th time in a row (``error`` says
    why); the next try comes after ``delay`` seconds. ``closed``: the feed has stopped for good;
    ``error`` is set when a fatal error stopped it, ``None`` after ``session.deleted`` or a close.
    """

    state: ConnectionState
    attempt: int = 0
    delay: float = 0.0
    error: str | None = None


Change = EventAdded | EarlierEvents | PreviewStarted | PreviewUpdated | PreviewDropped | Connection

#: Event types whose arrival closes every open preview that got no final event (API reference 6.2).
_CLOSES_PREVIEWS = "span.model_request_end"


@dataclass(slots=True)
class _Preview:
    type: str
    started: float
    parts: dict[int, list[str]] = field(default_factory=dict)
    last_index: int = 0
    deltas: int = 0
    #: Positions of this preview's records in the batch being built (None once handed out).
    start_slot: int | None = None
    update_slot: int | None = None

    def append(self, index: int | None, text: str) -> None:
        self.deltas += 1
        index = self.last_index if index is None else index
        self.parts.setdefault(index, []).append(text)
        self.last_index = index

    def snapshot(self) -> dict[int, str]:
        text = {i: "".join(p) for i, p in sorted(self.parts.items())}
        self.parts = {i: [t] for i, t in text.items()}
        return text


class FeedState:
    """De-duplicated, preview-folded changes of one session, queued until taken as a batch."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        """``clock`` times previews (seconds)."""
        self._clock = clock
        self._seen: set[str] = set()
        #: Seen ids whose echo was still queued (``processed_at`` null): delivered once more when processed.
        self._queued: set[str] = set()
        self._previews: dict[str, _Preview] = {}
        self._pending: list[Change | None] = []
        #: ``processed_at`` of the last delivered event that had one: the inclusive lower bound
        #: for the next backfill.
        self.watermark: str | None = None
        #: True once ``session.deleted`` was delivered: nothing follows it.
        self.deleted = False

    def apply(self, event: SessionEvent | UnreadableEvent) -> None:
        """Take one event from history or the stream (one that could not be read is delivered as
        it is, de-duplicated by its id when it has one, except a preview frame: it is skipped, and
        the final event brings the content)."""
        if isinstance(event, EventStartEvent):
            self._start(event.event.id, event.event.type)
        elif isinstance(event, EventDeltaEvent):
            self._delta(event.event_id, event.delta)
        elif event.type not in ("event_start", "event_delta"):
            self._add(event)

    def apply_earlier(self, events: list[SessionEvent | UnreadableEvent]) -> None:
        """Take events older than every one taken so far (in server order): queued as one
        :class:`EarlierEvents` without the ones already seen."""
        fresh = []
        for event in events:
            event_id = getattr(event, "id", None)
            if event_id is not None:
                if event_id in self._seen:
                    continue
                self._seen.add(event_id)
            fresh.append(event)
        if fresh:
            self._pending.append(EarlierEvents(tuple(fresh)))

    def note(self, change: Connection) -> None:
        """Queue a change that does not come from an event."""
        self._pending.append(change)

    def drop_open_previews(self) -> None:
        """Drop every open preview: their stream is gone and history never holds previews."""
        for preview_id in list(self._previews):
            self._drop(preview_id)

    def take(self) -> list[Change]:
        """Everything queued since the last call, in order, coalesced into one batch."""
        for preview_id, preview in self._previews.items():
            if preview.update_slot is not None:
                self._pending[preview.update_slot] = PreviewUpdated(
                    preview_id, preview.snapshot(), Streamed(preview.deltas, preview.started)
                )
            preview.start_slot = preview.update_slot = None
        batch = [change for change in self._pending if change is not None]
        self._pending = []
        return batch

    def _add(self, event: SessionEvent | UnreadableEvent) -> None:
        event_id = getattr(event, "id", None)
        processed_at = getattr(event, "processed_at", None)
        if event_id is not None:
            if event_id in self._seen and not (processed_at and event_id in self._queued):
                return
            self._seen.add(event_id)
            if processed_at:
                self._queued.discard(event_id)
            elif event.type.startswith(("user.", "system.")):
                self._queued.add(event_id)
        if event.type == _CLOSES_PREVIEWS:
            self.drop_open_previews()
        preview = self._previews.pop(event_id, None) if event_id is not None else None
        streamed = None
        if preview is not None:
            self._unqueue(preview)
            streamed = Streamed(preview.deltas, preview.started, self._clock())
        if processed_at:
            self.watermark = processed_at
        if event.type == "session.deleted":
            self.deleted = True
        self._pending.append(EventAdded(event, streamed))

    def _start(self, event_id: str, kind: str) -> None:
        if event_id in self._seen or event_id in self._previews:
            return
        self._previews[event_id] = _Preview(kind, self._clock(), start_slot=len(self._pending))
        self._pending.append(PreviewStarted(event_id, kind))

    def _delta(self, event_id: str, delta: Any) -> None:
        preview = self._previews.get(event_id)
        if preview is None:
            # Its start was missed (the stream reconnected mid-preview): the text would be
            # incomplete, so wait for the final event instead.
            return
        preview.append(delta.index, getattr(delta.content, "text", None) or "")
        if preview.update_slot is None:
            preview.update_slot = len(self._pending)
            self._pending.append(None)  # filled in by take() with the text as of then

    def _drop(self, preview_id: str) -> None:
        preview = self._previews.pop(preview_id)
        shown = preview.start_slot is None
        self._unqueue(preview)
        if shown:
            self._pending.append(PreviewDropped(preview_id))

    def _unqueue(self, preview: _Preview) -> None:
        """Withdraw the preview's records from the batch being built."""
        for slot in (preview.start_slot, preview.update_slot):
            if slot is not None:
                self._pending[slot] = None
