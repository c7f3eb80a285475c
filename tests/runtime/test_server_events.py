"""Session events over real HTTP: history pages and filters, sending input, and the live SSE stream
(framing, delta opt-in, heartbeats, no replay, end on delete), through the SDK and our own client."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from app.api.client import AgentClient
from app.runtime.ids import new_id
from tests.runtime.conftest import API_KEY

KEY = {"x-api-key": API_KEY}


def message(text):
    return {"type": "user.message", "content": [{"type": "text", "text": text}]}


def turn(text="Hello there"):
    """A scripted reply: thinking, a message streamed in two deltas, then idle."""
    thinking, reply = new_id("sevt"), new_id("sevt")
    head, tail = text[: len(text) // 2], text[len(text) // 2 :]
    delta = lambda part: {  # noqa: E731
        "type": "event_delta",
        "event_id": reply,
        "delta": {"type": "content_delta", "index": 0, "content": {"type": "text", "text": part}},
    }
    return [
        {"type": "session.status_running"},
        {"type": "event_start", "event": {"type": "agent.thinking", "id": thinking}},
        {"type": "agent.thinking", "id": thinking},
        {"type": "event_start", "event": {"type": "agent.message", "id": reply}},
        delta(head),
        delta(tail),
        {"type": "agent.message", "id": reply, "content": [{"type": "text", "text": text}]},
        {"type": "session.status_idle", "stop_reason": {"type": "end_turn"}},
    ]


def read_until_idle(stream):
    seen = []
    for event in stream:
        seen.append(event)
        if event.type == "session.status_idle":
            return seen
    return seen


def test_sdk_stream_with_message_deltas(served, sdk, session_id):
    served.engine.replies.append(turn("Hello there"))
    with sdk.beta.sessions.events.stream(session_id, event_deltas=["agent.message"]) as stream:
        (echo,) = sdk.beta.sessions.events.send(session_id, events=[message("hi")]).data
        seen = read_until_idle(stream)
    assert [e.type for e in seen] == [
        "user.message",
        "session.status_running",
        "agent.thinking",
        "event_start",
        "event_delta",
        "event_delta",
        "agent.message",
        "session.status_idle",
    ]
    assert seen[0].id == echo.id
    start, final = seen[3], seen[6]
    assert start.event.type == "agent.message" and start.event.id == final.id
    assert "".join(d.delta.content.text for d in seen[4:6]) == final.content[0].text == "Hello there"
    history = list(sdk.beta.sessions.events.list(session_id))
    stored = [e for e in seen if e.type not in ("event_start", "event_delta")]
    assert [(e.id, e.type) for e in history] == [(e.id, e.type) for e in stored]


@pytest.mark.parametrize(
    ("query", "previews"),
    [
        ("", []),
        ("?event_deltas[]=agent.thinking", ["event_start:agent.thinking"]),
        ("?event_deltas=agent.message", ["event_start:agent.message", "event_delta", "event_delta"]),
        (
            "?event_deltas[]=agent.message&event_deltas[]=agent.thinking",
            ["event_start:agent.thinking", "event_start:agent.message", "event_delta", "event_delta"],
        ),
    ],
)
def test_raw_frames_and_delta_opt_in(served, session_id, query, previews):
    served.engine.replies.append(turn())
    url = f"{served.base_url}/v1/sessions/{session_id}/events/stream{query}"
    frames = []
    with httpx.stream("GET", url, headers=KEY, timeout=10) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["request-id"].startswith("req_")
        send_url = f"{served.base_url}/v1/sessions/{session_id}/events"
        httpx.post(send_url, json={"events": [message("hi")]}, headers=KEY, timeout=10)
        lines = []
        for line in response.iter_lines():
            if line:
                lines.append(line)
                continue
            frames.append(lines)
            lines = []
            if json.loads(frames[-1][1].removeprefix("data: "))["type"] == "session.status_idle":
                break
    for frame in frames:  # `event: <type>` + one line of JSON data, nothing else
        assert len(frame) == 2 and frame[0].startswith("event: ") and frame[1].startswith("data: ")
        assert frame[0].removeprefix("event: ") == json.loads(frame[1].removeprefix("data: "))["type"]
    data = [json.loads(frame[1].removeprefix("data: ")) for frame in frames]
    data = [d for d in data if d["type"] != "ping"]  # a heartbeat may fall anywhere in a slow turn
    got = [f"event_start:{d['event']['type']}" if d["type"] == "event_start" else d["type"] for d in data]
    assert [g for g in got if g.startswith("event_")] == previews
    assert [g for g in got if not g.startswith("event_")] == [
        "user.message",
        "session.status_running",
        "agent.thinking",
        "agent.message",
        "session.status_idle",
    ]


def test_heartbeats_keep_a_quiet_stream_alive(served, session_id):
    url = f"{served.base_url}/v1/sessions/{session_id}/events/stream"
    with httpx.stream("GET", url, headers=KEY, timeout=10) as response:
        lines = response.iter_lines()
        got = [next(lines) for _ in range(6)]
    assert got == ["event: ping", 'data: {"type":"ping"}', ""] * 2


def test_sdk_skips_heartbeats(served, sdk, session_id):
    served.engine.replies.append(turn())
    with sdk.beta.sessions.events.stream(session_id) as stream:
        time.sleep(0.5)  # a few heartbeats go by first
        sdk.beta.sessions.events.send(session_id, events=[message("hi")])
        seen = read_until_idle(stream)
    assert seen[0].type == "user.message" and all(e.type != "ping" for e in seen)


def test_no_replay_only_live_events(served, sdk, session_id):
    sdk.beta.sessions.events.send(session_id, events=[message("before")])
    served.engine.replies.append(turn())
    with sdk.beta.sessions.events.stream(session_id) as stream:
        sdk.beta.sessions.events.send(session_id, events=[message("after")])
        first = next(iter(stream))
    assert first.type == "user.message" and first.content[0].text == "after"


async def test_streams_end_after_session_deleted(served, session_id):
    async with served.async_sdk() as sdk:
        streams = [await sdk.beta.sessions.events.stream(session_id) for _ in range(3)]
        thread = (await sdk.beta.sessions.threads.list(session_id)).data[0]
        streams.append(await sdk.beta.sessions.threads.events.stream(thread.id, session_id=session_id))

        async def drain(stream):
            return [event.type async for event in stream]

        readers = [asyncio.create_task(drain(s)) for s in streams]
        await sdk.beta.sessions.events.send(session_id, events=[message("bye")])
        await sdk.beta.sessions.delete(session_id)
        results = await asyncio.wait_for(asyncio.gather(*readers), 10)
    assert results == [["user.message", "session.deleted"]] * 4
    assert served.log.subscriber_count(session_id) == 0


async def test_agent_client_streams_and_pages(served, session_id):
    async with AgentClient(API_KEY, base_url=served.base_url) as client:
        served.engine.replies.append(turn("streamed"))
        async with client.sessions.events.stream(session_id, event_deltas=["agent.message"]) as stream:
            await client.sessions.events.send(session_id, message("hi"))
            seen = []
            async for item in stream:
                seen.append(item)
                if item.type == "session.status_idle":
                    break
        assert [i.type for i in seen].count("event_delta") == 2
        for text in ("a", "b", "c"):
            await client.sessions.events.send(session_id, message(text))

        everything = [e async for e in client.sessions.events.list(session_id)]
        assert len(everything) == 5 + 3  # the first turn stores five events
        pages = [page async for page in client.sessions.events.list(session_id, limit=3).pages()]
        assert [len(p.data) for p in pages] == [3, 3, 2] and pages[-1].next_page is None
        assert [e.id for p in pages for e in p.data] == [e.id for e in everything]
        newest_first = [e async for e in client.sessions.events.list(session_id, order="desc")]
        assert [e.id for e in newest_first] == [e.id for e in reversed(everything)]
        messages = [e async for e in client.sessions.events.list(session_id, types=["user.message"])]
        assert [e.text for e in messages] == ["hi", "a", "b", "c"]
        since = everything[-3].processed_at
        recent = [e async for e in client.sessions.events.list(session_id, created_at_gte=since)]
        assert [e.id for e in recent] == [e.id for e in everything[-3:]]
        before = [e async for e in client.sessions.events.list(session_id, created_at_lt=since)]
        assert len(before) == 5


def test_thread_events_and_stream_path(served, sdk, session_id):
    thread = sdk.beta.sessions.threads.list(session_id).data[0]
    served.engine.replies.append(turn())
    opened = sdk.beta.sessions.threads.events.stream(thread.id, session_id=session_id, event_deltas=["agent.message"])
    with opened as stream:
        sdk.beta.sessions.events.send(session_id, events=[message("hi")])
        seen = read_until_idle(stream)
    assert "event_delta" in [e.type for e in seen]
    history = list(sdk.beta.sessions.threads.events.list(thread.id, session_id=session_id))
    assert [e.id for e in history] == [e.id for e in sdk.beta.sessions.events.list(session_id)]


def test_slow_and_fast_subscribers_get_everything(served, sdk, session_id):
    for _ in range(5):
        served.engine.replies.append(turn("a fairly long answer"))
    with (
        sdk.beta.sessions.events.stream(session_id, event_deltas=["agent.message"]) as slow,
        sdk.beta.sessions.events.stream(session_id, event_deltas=["agent.message"]) as fast,
    ):
        for i in range(5):
            sdk.beta.sessions.events.send(session_id, events=[message(str(i))])
            read_until_idle(fast)
        slow_seen = []
        for event in slow:
            slow_seen.append(event)
            if len([e for e in slow_seen if e.type == "session.status_idle"]) == 5:
                break
    assert len(slow_seen) == 5 * 8
