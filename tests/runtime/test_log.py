"""The session log: stored before published, previews never stored, slow readers never block."""

from __future__ import annotations

import asyncio

import pytest

from app.runtime.log import Overflowed, SessionLog
from app.runtime.sse import PreviewFilter
from app.runtime.store import Store

SES = "sesn_log"


@pytest.fixture
def log(tmp_path):
    store = Store(tmp_path / "runtime.sqlite3")
    yield SessionLog(store)
    store.close()


async def drain(subscription):
    return [frame async for frame in subscription]


async def test_emit_fills_id_and_time_and_stores_first(log, monkeypatch):
    seen_in_store = []
    stored_when_pushed = []
    sub = log.subscribe(SES)
    push = sub._push

    def checking_push(frame):
        # Checked as the frame is handed over: emit has no await between its store write and
        # its publish, so a reader's later look would find the event stored either way.
        stored_when_pushed.append(log.store.get_event(SES, frame["id"]) == frame)
        return push(frame)

    monkeypatch.setattr(sub, "_push", checking_push)

    async def reader():
        async for frame in sub:
            seen_in_store.append(log.store.get_event(SES, frame["id"]) == frame)

    task = asyncio.create_task(reader())
    event = await log.emit(SES, {"type": "agent.thinking"})
    assert event["id"].startswith("sevt_") and event["processed_at"].endswith("Z")
    assert list(event) == ["type", "id", "processed_at"]
    await asyncio.sleep(0)
    sub.close()
    await task
    assert stored_when_pushed == [True]
    assert seen_in_store == [True]


async def test_explicit_none_processed_at_stays_none_until_update(log):
    sub = log.subscribe(SES)
    echo = await log.emit(SES, {"type": "user.message", "content": [], "processed_at": None})
    assert echo["processed_at"] is None
    await log.update(SES, {**echo, "processed_at": "2026-05-02T09:21:40.112Z"})
    log.close_session(SES)
    frames = await drain(sub)
    assert [f["processed_at"] for f in frames] == [None, "2026-05-02T09:21:40.112Z"]
    assert log.store.list_events(SES)[0][0]["processed_at"] == "2026-05-02T09:21:40.112Z"


async def test_previews_are_published_not_stored(log):
    sub = log.subscribe(SES)
    log.preview(SES, {"type": "event_start", "event": {"type": "agent.message", "id": "sevt_x"}})
    await log.emit(SES, {"type": "agent.message", "id": "sevt_x", "content": []})
    log.close_session(SES)
    assert [f["type"] for f in await drain(sub)] == ["event_start", "agent.message"]
    assert [e["type"] for e in log.store.list_events(SES)[0]] == ["agent.message"]


async def test_every_subscriber_gets_every_frame_in_order_even_unread(log):
    subs = [log.subscribe(SES) for _ in range(20)]
    other = log.subscribe("sesn_other")
    for i in range(500):  # nobody reads while these go out
        await log.emit(SES, {"type": "agent.message", "content": [{"type": "text", "text": str(i)}]})
    log.close_session(SES)
    results = await asyncio.gather(*(drain(s) for s in subs))
    expected = [e["id"] for e in log.store.list_events(SES)[0]]
    assert all([f["id"] for f in frames] == expected for frames in results)
    assert log.subscriber_count(SES) == 0 and log.subscriber_count("sesn_other") == 1
    other.close()


async def test_no_replay_and_close_stops_only_that_subscriber(log):
    await log.emit(SES, {"type": "session.status_idle"})
    early, late = log.subscribe(SES), log.subscribe(SES)
    early.close()
    await log.emit(SES, {"type": "session.status_running"})
    assert await drain(early) == []
    log.close_session(SES)
    assert [f["type"] for f in await drain(late)] == ["session.status_running"]


async def test_previews_a_reader_did_not_ask_for_never_fill_its_backlog(tmp_path):
    store = Store(tmp_path / "runtime.sqlite3")
    log = SessionLog(store, backlog=10)
    plain = log.subscribe(SES, PreviewFilter([]).admits)  # asked for no deltas
    eager = log.subscribe(SES, PreviewFilter(["agent.message"]).admits)
    log.preview(SES, {"type": "event_start", "event": {"type": "agent.message", "id": "sevt_m"}})
    for _ in range(50):  # a long fast answer nobody reads yet
        log.preview(SES, {"type": "event_delta", "event_id": "sevt_m", "delta": {"type": "content_delta"}})
    await log.emit(SES, {"type": "agent.message", "id": "sevt_m", "content": []})
    log.close_session(SES)
    assert [f["type"] for f in await drain(plain)] == ["agent.message"]
    with pytest.raises(Overflowed):
        await drain(eager)
    store.close()
