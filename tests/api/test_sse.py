"""The SSE decoder: WHATWG framing, the SDK's frame rules, and malformed frames that never stop a stream."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.api.errors import APIStatusError, OverloadedError
from app.api.models import EventDeltaEvent, UnknownEvent, UnreadableEvent
from app.api.sse import aiter_stream_items, iter_stream_items
from tests.conftest import EXAMPLES

TURN = (EXAMPLES / "turn_stream.sse").read_bytes()
#: The data payloads of the example turn, in order, without the ping.
TURN_EVENTS = [
    json.loads(line[6:]) for line in TURN.split(b"\n") if line.startswith(b"data: ") and b'"ping"' not in line
]


def decode(data: bytes, cuts: list[int] | None = None) -> list:
    """Decode ``data`` delivered in pieces cut at ``cuts``."""
    bounds = sorted({0, len(data), *(cuts or [])})
    return list(iter_stream_items(data[a:b] for a, b in itertools.pairwise(bounds)))


def shape(items: list) -> list[tuple[str, str | None]]:
    return [
        ("unreadable", i.type) if isinstance(i, UnreadableEvent) else (i.type, getattr(i, "id", None)) for i in items
    ]


def expected_turn() -> list[tuple[str, str | None]]:
    return [(e["type"], e.get("id")) for e in TURN_EVENTS]


def multiline(event: dict) -> str:
    """The event's JSON spread over several ``data:`` lines (split between items, never inside strings)."""
    return json.dumps(event, separators=(",\n", ":")).replace("\n", "\ndata: ")


def frame(data: str, event: str | None = None) -> bytes:
    head = f"event: {event or json.loads(data)['type']}\n" if event != "" else ""
    return f"{head}data: {data}\n\n".encode()


def test_example_turn_gives_typed_events_in_order_without_the_ping():
    items = decode(TURN)
    assert shape(items) == expected_turn()
    deltas = [i for i in items if isinstance(i, EventDeltaEvent)]
    final = next(i for i in items if i.type == "agent.message")
    assert "".join(d.delta.content.text for d in deltas) == final.content[0].text


@pytest.mark.parametrize("size", [1, 2, 3, 7, 97, 4096])
def test_any_chunk_size_gives_the_same_events(size):
    assert shape(decode(TURN, list(range(0, len(TURN), size)))) == expected_turn()


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_crlf_and_cr_line_ends_work_like_lf_even_split_between_cr_and_lf(newline):
    data = TURN.replace(b"\n", newline)
    assert shape(decode(data, list(range(0, len(data), 5)))) == expected_turn()
    assert shape(decode(data, list(range(1, len(data), 2)))) == expected_turn()


def test_a_leading_bom_is_dropped_even_when_it_arrives_byte_by_byte():
    data = b"\xef\xbb\xbf" + TURN
    assert shape(decode(data, [1, 2, 3, 4])) == expected_turn()


def test_comments_id_retry_multiline_data_and_no_space_after_colon():
    running = TURN_EVENTS[1]
    data = (
        b": a heartbeat comment\n\n"
        + b"id: 42\nretry: 1000\n: note\nevent:session.status_running\ndata:"
        + multiline(running).encode()
        + b"\n\n"
    )
    (item,) = decode(data)
    assert (item.type, item.id) == (running["type"], running["id"])


def test_skipped_frames_ping_no_event_name_empty_data_and_a_truncated_tail():
    good = frame(json.dumps(TURN_EVENTS[0]))
    data = (
        b'event: ping\ndata: {"type":"ping"}\n\n'
        + frame(json.dumps(TURN_EVENTS[1]), event="")  # no event: line -> dropped, as the SDK does
        + b"event: agent.message\ndata:\n\n"
        + b"event: agent.message\n\n"
        + good
        + b'event: agent.message\ndata: {"type"'  # cut off by the end of the stream
    )
    assert shape(decode(data)) == [(TURN_EVENTS[0]["type"], TURN_EVENTS[0]["id"])]


def test_unknown_event_types_are_kept_not_errors():
    (item,) = decode(frame('{"type":"brand.new_thing","id":"sevt_9","extra":{"a":1}}'))
    assert isinstance(item, UnknownEvent)
    assert item.type == "brand.new_thing" and item.to_wire()["extra"] == {"a": 1}


def test_a_malformed_frame_becomes_one_unreadable_event_and_the_stream_goes_on():
    data = (
        frame("{not json", event="agent.message")
        + frame('{"type":"agent.message","id":"sevt_1","processed_at":"2026-05-02T09:21:40.112Z"}')
        + frame(json.dumps(TURN_EVENTS[0]))
    )
    bad_json, bad_event, good = decode(data)
    assert isinstance(bad_json, UnreadableEvent) and "JSON" in bad_json.error
    assert (bad_json.type, bad_json.id, bad_json.raw) == ("unreadable", None, "{not json")
    assert isinstance(bad_event, UnreadableEvent) and bad_event.error == "agent.message.content: Field required"
    assert (bad_event.type, bad_event.id) == ("agent.message", "sevt_1")
    assert bad_event.processed_at == "2026-05-02T09:21:40.112Z"
    assert good.type == "user.message"


def test_a_malformed_known_event_between_two_good_ones_gives_good_unreadable_good():
    first, last = TURN_EVENTS[0], TURN_EVENTS[2]
    bad = {"type": "agent.tool_use", "id": "sevt_bad", "processed_at": "2026-05-02T09:21:41Z", "name": 7, "input": {}}
    items = decode(frame(json.dumps(first)) + frame(json.dumps(bad)) + frame(json.dumps(last)), [5, 70, 150])
    assert shape(items) == [
        (first["type"], first.get("id")),
        ("unreadable", "agent.tool_use"),
        (last["type"], last.get("id")),
    ]
    unreadable = items[1]
    assert unreadable.id == "sevt_bad" and json.loads(unreadable.raw) == bad
    assert unreadable.error == "agent.tool_use.name: Input should be a valid string"


def test_event_error_raises_the_matching_status_error_after_earlier_items():
    error = {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded", "details": {"error_code": "busy"}},
    }
    data = frame(json.dumps(TURN_EVENTS[0])) + b"event: error\ndata: " + json.dumps(error).encode() + b"\n\n"
    seen = []
    with pytest.raises(OverloadedError) as caught:
        for item in iter_stream_items([data], request_id="req_stream"):
            seen.append(item)
    assert [i.type for i in seen] == ["user.message"]
    err = caught.value
    assert (err.status_code, err.error_type, err.error_code, err.message) == (
        529,
        "overloaded_error",
        "busy",
        "Overloaded",
    )
    assert err.request_id == "req_stream"


def test_event_error_with_garbage_data_still_raises_clearly():
    with pytest.raises(APIStatusError, match="stream reported an error: boom"):
        decode(b"event: error\ndata: boom\n\n")


async def test_async_twin_decodes_the_same():
    async def chunks():
        for i in range(0, len(TURN), 61):
            yield TURN[i : i + 61]

    items = [item async for item in aiter_stream_items(chunks())]
    assert shape(items) == expected_turn()


# --- property tests -------------------------------------------------------------------------------

good_event = st.sampled_from(TURN_EVENTS)
# '{' followed by text without quotes or line breaks is never a valid event (no quoted "type" key).
garbage = st.text(alphabet=st.characters(blacklist_characters='"\r\n', blacklist_categories=("Cs",)), max_size=40)
noise = st.sampled_from(
    [
        b": comment\n\n",
        b'event: ping\ndata: {"type":"ping"}\n\n',
        b'data: {"type":"user.interrupt","id":"x","processed_at":null}\n\n',  # no event name
        b"event: agent.message\ndata:\n\n",
        b"id: 7\n\n",
        b"\n",
    ]
)


@st.composite
def stream_case(draw):
    """A stream of good, bad and silently skipped frames, plus what must come out of it."""
    parts: list[bytes] = []
    expected: list[tuple[str, str | None]] = []
    for kind in draw(st.lists(st.sampled_from(["good", "bad_json", "bad_event", "noise"]), max_size=25)):
        if kind == "good":
            event = draw(good_event)
            text = multiline(event) if draw(st.booleans()) else json.dumps(event)
            extra = draw(st.sampled_from([b"", b"id: 1\n", b": c\n", b"retry: 5\n"]))
            parts.append(extra + f"event: {event['type']}\ndata: {text}\n\n".encode())
            expected.append((event["type"], event.get("id")))
        elif kind == "bad_json":
            parts.append(f"event: agent.message\ndata: {{{draw(garbage)}\n\n".encode())
            expected.append(("unreadable", "unreadable"))
        elif kind == "bad_event":
            parts.append(b'event: agent.tool_use\ndata: {"type":"agent.tool_use","id":"sevt_x","name":7}\n\n')
            expected.append(("unreadable", "agent.tool_use"))
        else:
            parts.append(draw(noise))
    data = b"".join(parts)
    newline = draw(st.sampled_from(["lf", "crlf", "cr", "mixed"]))
    if newline == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif newline == "cr":
        data = data.replace(b"\n", b"\r")
    elif newline == "mixed":  # LF and CRLF per line (CR then LF would read as one CRLF)
        lines = data.split(b"\n")
        ends = draw(st.lists(st.sampled_from([b"\n", b"\r\n"]), min_size=len(lines), max_size=len(lines)))
        data = b"".join(line + end for line, end in zip(lines[:-1], ends, strict=False))
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    cuts = draw(st.lists(st.integers(0, max(len(data), 0)), max_size=30))
    return data, cuts, expected


@settings(max_examples=300, deadline=None)
@given(stream_case())
def test_random_streams_split_anywhere_keep_every_good_frame_and_flag_each_bad_one(case):
    data, cuts, expected = case
    assert shape(decode(data, cuts)) == expected


def data_values(data: bytes) -> set[str]:
    """What each ``data`` line of ``data`` carries (one leading space dropped), as text."""
    text = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").decode("utf-8", "replace")
    values = set()
    for line in text.split("\n"):
        field, _, value = line.partition(":")
        if field.lstrip("\ufeff") == "data":
            values.add(value[1:] if value[:1] == " " else value)
    return values


_END = st.sampled_from([b"\n", b"\r\n", b"\r"])
_VALUE = st.one_of(st.binary(max_size=12), st.sampled_from([b"agent.message", b"ping", b'{"type": "agent.message"}']))
_LINE = st.tuples(st.sampled_from([b"event", b"data", b"id", b""]), st.sampled_from([b": ", b":", b""]), _VALUE, _END)
_FRAME = st.tuples(st.lists(_LINE.map(b"".join), max_size=4).map(b"".join), _END).map(b"".join)
#: Random bytes, and random frames of random lines (which do make unreadable events).
GARBAGE = st.one_of(st.binary(max_size=300), st.lists(_FRAME, max_size=6).map(b"".join))


@settings(max_examples=200, deadline=None)
@given(GARBAGE, st.lists(st.integers(0, 300), max_size=20))
def test_arbitrary_bytes_never_crash_the_decoder(data, cuts):
    try:
        items = decode(data, [c for c in cuts if c <= len(data)])
    except APIStatusError:  # only an `event: error` frame may end a stream early
        assert b"error" in data
    else:
        for item in items:
            if isinstance(item, UnreadableEvent):  # says why, and keeps the frame's data lines
                assert item.error and item.raw
                assert set(item.raw.split("\n")) <= data_values(data)
