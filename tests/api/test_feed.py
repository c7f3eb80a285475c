"""The session feed against a scripted Agent API on loopback.

The script is a list of stream connections. Each one says what the events list holds while that
connection backfills, which frames its stream sends, and how it ends (a clean end, a broken
connection, or staying open). Events that happen between two connections exist only in the
events list, as with the real API, whose stream never replays. A :class:`Gate` holds the stream
until the consumer has seen what a UI would show at that point, so assertions about previews do
not depend on how the network happens to split the bytes.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from app.api.client import AgentClient
from app.api.errors import AuthenticationError, NotFoundError
from app.api.feed import (
    Change,
    Connection,
    EarlierEvents,
    EventAdded,
    PreviewDropped,
    PreviewStarted,
    PreviewUpdated,
    SessionFeed,
)
from app.api.feed_state import FeedState
from app.api.models import UnreadableEvent, parse_event
from tests.event_builders import delta, event, start, text

SID = "sesn_011FeedTest"
T0 = datetime(2026, 5, 2, 9, 0, tzinfo=UTC)


def ts(n: int) -> str:
    """A distinct, sortable ``processed_at`` for the n-th event."""
    return (T0 + timedelta(milliseconds=n)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def ev(n: int, type_: str, **fields) -> dict:
    """The n-th event of a script: id ``sevt_0000n``, processed n ms after T0."""
    return event(type_, f"sevt_{n:05d}", ts(n), **fields)


def sse(item: dict | bytes) -> bytes:
    if isinstance(item, bytes):
        return item
    return f"event: {item['type']}\ndata: {json.dumps(item)}\n\n".encode()


class Gate:
    """Holds a stream until ``ready(view)`` is true for what the consumer has seen."""

    def __init__(self, ready: Callable[[View], bool]) -> None:
        self.ready = ready
        self.opened = threading.Event()


@dataclass
class Link:
    """One stream connection of the script."""

    frames: list = field(default_factory=list)  # dicts, raw bytes or Gates
    history: int = 0  # how many of the session's events the events list holds meanwhile
    end: str = "end"  # "end" (clean end), "drop" (connection breaks), "hold" (stays open)
    status: int = 200
    history_status: int = 200  # what the events list answers meanwhile


class ScriptedSession:
    """Serves GET …/events (filtered by created_at[gte], in either order, paged) and GET …/events/stream."""

    def __init__(self, events: list[dict], links: list[Link]) -> None:
        self.events = events
        self.links = links
        self.opened = 0

    async def handle(self, request: Request) -> Response:
        if request.url.path == f"/v1/sessions/{SID}/events/stream":
            return self._stream()
        if request.url.path == f"/v1/sessions/{SID}/events":
            return self._list(request)
        return _error(404, "not_found_error", "no such path")

    def _stream(self) -> Response:
        if self.opened == len(self.links):
            return _error(404, "not_found_error", "the script has no more connections")
        link = self.links[self.opened]
        self.opened += 1
        if link.status != 200:
            return _error(link.status, ERROR_TYPES[link.status], "scripted failure")

        async def body():
            for item in link.frames:
                if isinstance(item, Gate):
                    assert await asyncio.to_thread(item.opened.wait, 10), "gate never opened"
                else:
                    yield sse(item)
            if link.end == "drop":
                raise ConnectionResetError("dropped by the script")
            while link.end == "hold":
                yield b": ping\n\n"
                await asyncio.sleep(0.05)

        return StreamingResponse(body(), media_type="text/event-stream")

    def _list(self, request: Request) -> Response:
        link = self.links[self.opened - 1]
        if link.history_status != 200:
            return _error(link.history_status, ERROR_TYPES[link.history_status], "scripted failure")
        visible = self.events[: link.history]
        since = request.query_params.get("created_at[gte]")
        if since is not None:
            visible = [e for e in visible if e["processed_at"] >= since]
        if request.query_params.get("order") == "desc":
            visible = visible[::-1]
        offset = int(request.query_params.get("page", "0"))
        limit = int(request.query_params.get("limit", "1000"))
        more = offset + limit < len(visible)
        return JSONResponse(
            {"data": visible[offset : offset + limit], "next_page": str(offset + limit) if more else None}
        )


ERROR_TYPES = {
    401: "authentication_error",
    404: "not_found_error",
    500: "api_error",
    503: "api_error",
    529: "overloaded_error",
}


def _error(status: int, kind: str, message: str) -> Response:
    return JSONResponse({"type": "error", "error": {"type": kind, "message": message}}, status)


class View:
    """What a UI would hold after applying every batch, checking each change makes sense."""

    def __init__(self) -> None:
        self.batches: list[list[Change]] = []
        self.events: list = []
        self.previews: dict[str, dict[int, str]] = {}
        self.shown_previews: set[str] = set()

    def apply(self, batch: list[Change]) -> None:
        assert batch, "batches are never empty"
        self.batches.append(batch)
        for change in batch:
            match change:
                case EventAdded(event=event):
                    self.previews.pop(event.id, None)
                    self.events.append(event)
                case EarlierEvents(events=events):
                    assert self.events, "earlier history comes after a newer part"
                    self.events[:0] = events
                case PreviewStarted(id=pid):
                    assert pid not in self.previews
                    self.previews[pid] = {}
                    self.shown_previews.add(pid)
                case PreviewUpdated(id=pid):
                    assert pid in self.previews
                    self.previews[pid] = change.text_by_index
                case PreviewDropped(id=pid):
                    del self.previews[pid]

    @property
    def changes(self) -> list[Change]:
        return [c for batch in self.batches for c in batch]

    def of(self, kind: type) -> list:
        return [c for c in self.changes if isinstance(c, kind)]

    @property
    def delays(self) -> list[float]:
        return [c.delay for c in self.of(Connection) if c.state == "reconnecting"]


class Sleeps:
    """The injected sleep: records each reconnect delay and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


async def run_feed(feed: SessionFeed, gates: list[Gate] = ()) -> View:
    """Consume the feed to its end, opening each gate once the view satisfies it."""
    view = View()
    async with asyncio.timeout(20):  # a safety net against a hung test, not a timing assertion
        async with feed:
            async for batch in feed:
                view.apply(batch)
                for gate in gates:
                    if not gate.opened.is_set() and gate.ready(view):
                        gate.opened.set()
    return view


@pytest.fixture
async def client(server):
    async with AgentClient("sk-ant-test", base_url=server.base_url, max_retries=0) as c:
        yield c


def requests_to(server, suffix: str):
    return [r for r in server.requests if r.path.endswith(suffix)]


# --- the scripted turn -----------------------------------------------------------------------


def request_end(n: int, start_n: int, **fields) -> dict:
    usage = {"input_tokens": 1, "output_tokens": 2, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
    return ev(n, "span.model_request_end", model_request_start_id=f"sevt_{start_n:05d}", model_usage=usage, **fields)


M1, X, M2 = "sevt_00008", "sevt_orphan", "sevt_00013"
TURN = [
    ev(0, "user.message", content=text("How many Python files?")),
    ev(1, "session.status_running"),
    ev(2, "span.model_request_start"),
    ev(3, "agent.thinking"),
    ev(4, "agent.tool_use", name="bash", input={"command": "ls"}, evaluated_permission="allow"),
    request_end(5, 2),
    ev(6, "agent.tool_result", tool_use_id="sevt_00004", content=text("a.py\n")),
    ev(7, "span.model_request_start"),
    ev(8, "agent.message", content=text("Hello, world")),  # M1: finalised during a gap
    request_end(9, 7),
    ev(10, "span.model_request_start"),
    request_end(11, 10, is_error=True),  # closes the orphan preview X
    ev(12, "span.model_request_start"),
    ev(13, "agent.message", content=text("Two ", "blocks")),  # M2: finalised on a later stream
    request_end(14, 12),
    ev(15, "session.status_idle", stop_reason={"type": "end_turn"}),
    ev(16, "session.deleted"),
]


def shows(preview_id: str, expected: dict[int, str]) -> Callable[[View], bool]:
    return lambda view: view.previews.get(preview_id) == expected


async def test_a_turn_with_drops_arrives_once_in_order_with_previews_folded(server, client):
    g1 = Gate(shows(M1, {0: "Hello, "}))
    g2 = Gate(shows(X, {0: "Let me"}))
    g3 = Gate(shows(M2, {0: "Two ", 1: "blo"}))
    script = ScriptedSession(
        TURN,
        [
            # 1: the list holds two events, which the stream repeats; drops in the middle of M1's preview.
            Link(
                history=2,
                end="drop",
                frames=[
                    *TURN[0:3],
                    start("sevt_00003", "agent.thinking"),
                    *TURN[3:8],
                    start(M1),
                    delta(M1, "Hel"),
                    delta(M1, "lo, ", index=None),
                    g1,
                ],
            ),
            # 2: M1 and the end of its request happened in the gap; X is orphaned by 11; clean end.
            Link(history=11, end="end", frames=[TURN[10], start(X), delta(X, "Let me"), g2, TURN[11]]),
            Link(status=503),
            Link(status=529),
            # 5: drops in the middle of M2's two-block preview.
            Link(history=13, end="drop", frames=[TURN[12], start(M2), delta(M2, "Two "), delta(M2, "blo", 1), g3]),
            # 6: joins M2 mid-preview (its start is gone), a malformed frame, then the session is deleted.
            Link(
                history=13,
                end="hold",
                frames=[
                    delta(M2, "cks", 1),
                    TURN[13],
                    TURN[14],
                    b'event: agent.message\ndata: {"type": "agent.message", "id": \n\n',
                    TURN[15],
                    TURN[16],
                ],
            ),
        ],
    )
    server.handler = script.handle
    sleeps = Sleeps()

    view = await run_feed(SessionFeed(client, SID, sleep=sleeps, page_size=3), [g1, g2, g3])

    readable = [e for e in view.events if not isinstance(e, UnreadableEvent)]
    assert [e.id for e in readable] == [e["id"] for e in TURN]  # every event, once, in order
    assert readable[8].content[0].text == "Hello, world"
    assert [b.text for b in readable[13].content] == ["Two ", "blocks"]
    # M1's and X's previews were shown, then dropped (a drop, an orphan); M2's preview was
    # dropped with its stream, and its final event arrived as a new event.
    assert {M1, X, M2} <= view.shown_previews
    assert [c.id for c in view.of(PreviewDropped)] == [M1, X, M2]
    assert not view.previews
    assert X not in {e.id for e in view.events}
    # Reconnects: back to 0.5 s after each connection that caught up (stream open, history read).
    assert view.delays == sleeps.delays == [0.5, 0.5, 1.0, 2.0, 0.5]
    errors = [c.error for c in view.of(Connection) if c.state == "reconnecting"]
    assert "503" in errors[2] and "529" in errors[3]
    assert [c.state for c in view.of(Connection)] == [
        "connecting",
        "live",
        "reconnecting",
        "live",
        "reconnecting",
        "reconnecting",
        "reconnecting",
        "live",
        "reconnecting",
        "live",
        "closed",
    ]
    assert view.changes[-1] == Connection("closed")
    # The malformed frame is delivered in its place as an unreadable event, and the feed went on.
    (unreadable,) = [e for e in view.events if isinstance(e, UnreadableEvent)]
    assert view.events.index(unreadable) == 15 and unreadable.type == "unreadable"
    assert unreadable.raw.startswith('{"type": "agent.message"') and unreadable.error
    # Backfill: everything the first time (newest first), then from the last processed_at seen
    # (inclusive), in order.
    streams = requests_to(server, "/events/stream")
    assert len(streams) == 6
    assert all(
        sorted(v for k, v in r.query if k == "event_deltas[]") == ["agent.message", "agent.thinking"] for r in streams
    )
    lists = [dict(r.query) for r in requests_to(server, "/events") if "page" not in dict(r.query)]
    assert [q.get("created_at[gte]") for q in lists] == [None, ts(7), ts(11), ts(12)]
    assert all(q["limit"] == "3" for q in lists)
    assert [q["order"] for q in lists] == ["desc", "asc", "asc", "asc"]


async def test_reconnect_delays_double_up_to_ten_seconds(server, client):
    events = [ev(0, "session.status_idle", stop_reason={"type": "end_turn"}), ev(1, "session.deleted")]
    links = [Link(status=503)] * 7 + [Link(history=1, frames=[events[1]])]
    server.handler = ScriptedSession(events, links).handle
    sleeps = Sleeps()

    view = await run_feed(SessionFeed(client, SID, sleep=sleeps))

    assert sleeps.delays == view.delays == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert [c.attempt for c in view.of(Connection) if c.state == "reconnecting"] == [1, 2, 3, 4, 5, 6, 7]
    assert [e.id for e in view.events] == ["sevt_00000", "sevt_00001"]


async def test_a_stream_that_opens_then_drops_is_reopened_after_the_first_delay(server, client):
    """The server may withhold the deltas of a message already in flight: a stream that opens,
    has its history read and drops before any frame still counts as a healthy connection."""
    events = [ev(0, "session.status_running"), ev(1, "session.deleted")]
    links = [Link(history=1, end="drop", frames=[start("sevt_00009"), delta("sevt_00009", "Hal")])]
    links += [Link(history=1, end="drop")] * 4 + [Link(history=1, frames=[events[1]])]
    server.handler = ScriptedSession(events, links).handle
    sleeps = Sleeps()

    view = await run_feed(SessionFeed(client, SID, sleep=sleeps))

    assert sleeps.delays == view.delays == [0.5] * 5
    assert [e.id for e in view.events] == ["sevt_00000", "sevt_00001"]
    assert [c.id for c in view.of(PreviewDropped)] == ["sevt_00009"], "the preview cut by the drop"


async def test_a_history_that_keeps_failing_backs_off_although_the_stream_opens(server, client):
    events = [ev(0, "session.status_idle", stop_reason={"type": "end_turn"}), ev(1, "session.deleted")]
    links = [Link(end="hold", history_status=500)] * 4 + [Link(history=1, frames=[events[1]])]
    server.handler = ScriptedSession(events, links).handle
    sleeps = Sleeps()

    view = await run_feed(SessionFeed(client, SID, sleep=sleeps))

    assert sleeps.delays == view.delays == [0.5, 1.0, 2.0, 4.0]
    assert all("500" in c.error for c in view.of(Connection) if c.state == "reconnecting")
    assert [c.state for c in view.of(Connection)].count("live") == 1
    assert [e.id for e in view.events] == ["sevt_00000", "sevt_00001"]


@pytest.mark.parametrize(
    ("status", "reason", "error_class"),
    [(404, "does not exist", NotFoundError), (401, "API key was rejected", AuthenticationError)],
)
async def test_a_fatal_error_stops_the_feed_with_a_clear_message(server, client, status, reason, error_class):
    server.handler = ScriptedSession([], [Link(status=status)]).handle
    sleeps = Sleeps()
    feed = SessionFeed(client, SID, sleep=sleeps)

    view = await run_feed(feed)

    closed = view.changes[-1]
    assert closed.state == "closed"
    assert reason in closed.error and SID in closed.error and str(status) in closed.error
    assert "sk-ant-test" not in closed.error
    assert isinstance(feed.error, error_class)
    assert sleeps.delays == [] and len(server.requests) == 1  # no reconnect loop


async def test_a_burst_of_events_arrives_in_few_batches(server, client):
    n = 5000
    events = [ev(i, "agent.tool_result", tool_use_id="sevt_x", content=text(f"line {i}")) for i in range(n)]
    events.append(ev(n, "session.deleted"))
    half = n // 2
    # Half is history (five pages of 500), half arrives on the stream in one go.
    blob = b"".join(sse(e) for e in events[half:])
    server.handler = ScriptedSession(events, [Link(history=half, frames=[blob])]).handle

    view = await run_feed(SessionFeed(client, SID, page_size=500))

    assert [e.id for e in view.events] == [e["id"] for e in events]
    assert len(view.batches) < n / 50


async def test_an_unreadable_event_in_history_is_delivered_in_its_place_and_the_others_arrive(server, client):
    events = [dict(e) for e in TURN]
    events[6] = {**events[6], "content": "not a list"}
    server.handler = ScriptedSession(events, [Link(history=len(events))]).handle
    sleeps = Sleeps()

    view = await run_feed(SessionFeed(client, SID, page_size=5, sleep=sleeps))

    assert [e.id for e in view.events] == [e["id"] for e in events], "every event, once, in order"
    unreadable = view.events[6]
    assert isinstance(unreadable, UnreadableEvent) and unreadable.type == "agent.tool_result"
    assert unreadable.error == "agent.tool_result.content: Input should be a valid list"
    assert '"not a list"' in unreadable.raw
    assert sleeps.delays == [], "a parse error is not retried as a connection error"
    assert view.changes[-1] == Connection("closed")


async def test_malformed_preview_frames_are_skipped_and_the_feed_goes_on(server, client):
    events = [ev(0, "session.status_running"), ev(1, "agent.message", content=text("Hello")), ev(2, "session.deleted")]
    m = events[1]["id"]
    newer_delta = {"type": "event_delta", "event_id": m, "delta": {"type": "signature_delta", "signature": "x"}}
    start_without_id = {"type": "event_start", "event": {"type": "agent.thinking"}}
    gate = Gate(shows(m, {0: "Hello"}))
    frames = [events[0], start(m), start_without_id, delta(m, "Hel"), newer_delta, delta(m, "lo"), gate, *events[1:]]
    server.handler = ScriptedSession(events, [Link(frames=frames, end="hold")]).handle
    sleeps = Sleeps()

    view = await run_feed(SessionFeed(client, SID, sleep=sleeps), [gate])

    assert [e.id for e in view.events] == [e["id"] for e in events], "no stand-in for a preview frame"
    assert view.events[1].content[0].text == "Hello" and m in view.shown_previews
    assert sleeps.delays == [] and view.changes[-1] == Connection("closed")


async def test_a_long_history_shows_its_newest_turn_first_then_the_earlier_ones(server, client):
    """Newest page first: the newest whole turn is in before the feed goes live; the older pages
    follow as earlier history, newest part first, each from the start of a turn."""
    events = []
    for turn in range(5):
        n = 4 * turn
        events += [
            ev(n, "user.message", content=text(f"question {turn}")),
            ev(n + 1, "session.status_running"),
            ev(n + 2, "agent.message", content=text(f"answer {turn}")),
            ev(n + 3, "session.status_idle", stop_reason={"type": "end_turn"}),
        ]
    server.handler = ScriptedSession(events, [Link(history=len(events), end="hold")]).handle
    view = View()
    async with asyncio.timeout(20):  # a safety net against a hung test, not a timing assertion
        async with SessionFeed(client, SID, page_size=3) as feed:
            async for batch in feed:
                view.apply(batch)
                if len(view.events) == len(events):
                    await feed.aclose()

    assert [e.id for e in view.events] == [e["id"] for e in events], "every event, once, in order"
    changes = view.changes
    live = changes.index(Connection("live"))
    tail = [c.event.id for c in changes[:live] if isinstance(c, EventAdded)]
    assert tail == [e["id"] for e in events[16:]], "the newest turn, from its question"
    earlier = [[e.id for e in c.events] for c in view.of(EarlierEvents)]
    assert earlier == [[e["id"] for e in events[4 * t : 4 * t + 4]] for t in (3, 2, 1, 0)]
    lists = [dict(r.query) for r in requests_to(server, "/events")]
    assert all(q["order"] == "desc" for q in lists) and len(lists) == 7, "each page read once"


async def test_a_session_with_no_history_goes_live(server, client):
    server.handler = ScriptedSession([], [Link(end="hold")]).handle
    async with asyncio.timeout(20):  # a safety net against a hung test, not a timing assertion
        async with SessionFeed(client, SID) as feed:
            batch = await anext(feed)
            while Connection("live") not in batch:
                batch = await anext(feed)
    assert len(requests_to(server, "/events")) == 1


async def test_aclose_stops_a_live_feed(server, client):
    events = [ev(0, "session.status_idle", stop_reason={"type": "end_turn"})]
    server.handler = ScriptedSession(events, [Link(history=1, end="hold")]).handle
    view = View()
    async with asyncio.timeout(20):
        async with SessionFeed(client, SID) as feed:
            async for batch in feed:
                view.apply(batch)
                if any(c == Connection("live") for c in batch):
                    await feed.aclose()
    assert view.changes[-1] == Connection("closed")
    assert [e.id for e in view.events] == ["sevt_00000"]
    assert feed.closed and feed.error is None


# --- the folding rules, batch by batch ---------------------------------------------------------


def test_deltas_coalesce_into_one_update_per_batch():
    state = FeedState()
    state.apply(parse_event(start(M1)))
    for fragment in ("a", "b", "c"):
        state.apply(parse_event(delta(M1, fragment)))
    state.apply(parse_event(delta(M1, "!", index=1)))
    assert state.take() == [PreviewStarted(M1, "agent.message"), PreviewUpdated(M1, {0: "abc", 1: "!"})]
    state.apply(parse_event(delta(M1, "d", index=None)))  # no index: the last block grows
    state.apply(parse_event(delta(M1, "e", index=0)))
    assert state.take() == [PreviewUpdated(M1, {0: "abce", 1: "!d"})]
    state.apply(parse_event(ev(8, "agent.message", content=text("abce", "!d"))))
    (added,) = state.take()
    assert added.event.id == M1


def test_a_preview_that_opens_and_closes_within_one_batch_is_not_shown():
    state = FeedState()
    state.apply(parse_event(start(M1)))
    state.apply(parse_event(delta(M1, "Hello")))
    state.apply(parse_event(ev(8, "agent.message", content=text("Hello"))))
    state.apply(parse_event(start(X)))
    state.apply(parse_event(request_end(11, 10)))
    batch = state.take()
    assert [type(c) for c in batch] == [EventAdded, EventAdded]
    assert state.take() == []


def test_duplicates_late_deltas_and_starts_of_delivered_events_are_ignored():
    state = FeedState()
    final = parse_event(ev(8, "agent.message", content=text("Hi")))
    state.apply(final)
    state.apply(final)
    state.apply(parse_event(start(M1)))
    state.apply(parse_event(delta(M1, "late")))
    state.apply(parse_event(delta(X, "no start")))
    assert state.take() == [EventAdded(final)]
    assert state.watermark == ts(8)


def test_a_queued_echo_is_delivered_again_once_it_is_processed():
    state = FeedState()
    queued = parse_event({"type": "user.message", "id": "sevt_q", "content": text("later"), "processed_at": None})
    processed = parse_event({**queued.to_wire(), "processed_at": ts(20)})
    state.apply(queued)
    state.apply(queued)
    assert state.take() == [EventAdded(queued)]
    state.apply(processed)
    state.apply(processed)
    assert state.take() == [EventAdded(processed)]
    assert state.watermark == ts(20)


# --- a thread's own feed ---------------------------------------------------------------------

TID = "sthr_011FeedChild"


class ScriptedThread(ScriptedSession):
    """Serves a thread's GET …/threads/{id}/events (paged, oldest first, no filters: as the API)
    and GET …/threads/{id}/stream; the session's own paths are not served."""

    async def handle(self, request: Request) -> Response:
        base = f"/v1/sessions/{SID}/threads/{TID}"
        if request.url.path == f"{base}/stream":
            return self._stream()
        if request.url.path == f"{base}/events":
            assert set(request.query_params) <= {"limit", "page"}, "a thread's list takes no filters"
            return self._list(request)
        return _error(404, "not_found_error", "no such path")


CHILD_TURN = [
    ev(0, "session.thread_status_running", session_thread_id=TID, agent_name="helper"),
    ev(1, "span.model_request_start"),
    ev(2, "agent.tool_use", name="bash", input={"command": "ls"}, evaluated_permission="allow"),
    request_end(3, 1),
    ev(4, "agent.tool_result", tool_use_id="sevt_00002", content=text("a.py\n")),
    ev(5, "span.model_request_start"),
    ev(6, "agent.message", content=text("Done")),
    request_end(7, 5),
    ev(8, "agent.thread_message_sent", to_session_thread_id="sthr_primary", content=text("Found a.py")),
    ev(9, "session.thread_status_idle", session_thread_id=TID, agent_name="helper", stop_reason={"type": "end_turn"}),
]


async def test_a_thread_feed_follows_the_threads_own_stream_gap_free(server, client):
    C = "sevt_00006"
    gate = Gate(shows(C, {0: "Do"}))
    script = ScriptedThread(
        CHILD_TURN,
        [
            # 1: the list holds three events (two pages), the stream repeats two; drops mid-preview.
            Link(history=3, end="drop", frames=[*CHILD_TURN[1:5], start(C), delta(C, "Do"), gate]),
            Link(status=503),
            # 3: the message and its request ended in the gap; the rest comes live.
            Link(history=8, end="end", frames=[CHILD_TURN[7], CHILD_TURN[8]]),
            # 4: nothing new; the last event only on the stream.
            Link(history=9, end="hold", frames=[CHILD_TURN[9]]),
        ],
    )
    server.handler = script.handle
    sleeps = Sleeps()

    feed = SessionFeed(client, SID, thread_id=TID, sleep=sleeps, page_size=2)
    view = View()

    async def consume():
        async with feed:
            async for batch in feed:
                view.apply(batch)
                if not gate.opened.is_set() and gate.ready(view):
                    gate.opened.set()
                if view.events and view.events[-1].id == CHILD_TURN[-1]["id"]:
                    await feed.aclose()

    async with asyncio.timeout(20):
        await consume()

    assert [e.id for e in view.events] == [e["id"] for e in CHILD_TURN]  # every event once, in order
    assert view.events[6].text == "Done" and view.events[8].text == "Found a.py"
    assert C in view.shown_previews and [c.id for c in view.of(PreviewDropped)] == [C]
    assert sleeps.delays == [0.5, 1.0, 0.5]  # the 503 is a second failure in a row
    # Only the thread's own paths; each connection reads the thread's list whole, oldest first, paged.
    assert {r.path for r in server.requests} == {
        f"/v1/sessions/{SID}/threads/{TID}/stream",
        f"/v1/sessions/{SID}/threads/{TID}/events",
    }
    streams = requests_to(server, "/stream")
    assert len(streams) == 4
    assert all(
        sorted(v for k, v in r.query if k == "event_deltas[]") == ["agent.message", "agent.thinking"] for r in streams
    )
    lists = [dict(r.query) for r in requests_to(server, "/events")]
    assert [q.get("page") for q in lists] == [None, "2", None, "2", "4", "6", None, "2", "4", "6", "8"]
    assert all(q["limit"] == "2" for q in lists)


async def test_a_thread_feed_stops_with_a_message_naming_the_thread(server, client):
    server.handler = ScriptedThread([], [Link(status=404)]).handle
    view = await run_feed(SessionFeed(client, SID, thread_id=TID, sleep=Sleeps()))
    (closed,) = view.of(Connection)[-1:]
    assert closed.state == "closed" and f"thread {TID} of session {SID}" in closed.error
    assert "does not exist" in closed.error
