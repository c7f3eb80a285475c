"""SSE frame encoding and the per-connection preview filter."""

from __future__ import annotations

import json

from app.runtime.sse import FrameEncoder, PreviewFilter, encode


def start(kind, event_id):
    return {"type": "event_start", "event": {"type": kind, "id": event_id}}


def delta(event_id, text="x"):
    text_delta = {"type": "content_delta", "index": 0, "content": {"type": "text", "text": text}}
    return {"type": "event_delta", "event_id": event_id, "delta": text_delta}


def test_frame_is_event_line_plus_one_json_line():
    frame = {"type": "agent.message", "id": "sevt_1", "content": [{"type": "text", "text": "two\nlines ✓"}]}
    event_line, data_line, blank, end = encode(frame).decode().split("\n")
    assert (event_line, blank, end) == ("event: agent.message", "", "")
    assert json.loads(data_line.removeprefix("data: ")) == frame


def test_encoder_reuses_bytes_per_frame_object_and_stays_correct_after_eviction():
    encoder = FrameEncoder(size=2)
    frames = [{"type": "agent.message", "id": f"sevt_{i}"} for i in range(5)]
    assert encoder(frames[0]) is encoder(frames[0])
    for frame in frames:
        assert encoder(frame) == encode(frame)
    assert encoder(frames[0]) == encode(frames[0])
    other = {"type": "agent.message", "id": "sevt_other"}
    assert encoder(dict(other)) == encode(other)


def test_message_deltas_only_after_their_start_and_until_the_final_event():
    admits = PreviewFilter(["agent.message"]).admits
    assert not admits(delta("sevt_m"))  # joined mid-preview: no start was sent, so no deltas
    assert admits(start("agent.message", "sevt_m"))
    assert admits(delta("sevt_m"))
    assert admits({"type": "agent.message", "id": "sevt_m", "content": []})
    assert not admits(delta("sevt_m"))
    assert not admits(start("agent.thinking", "sevt_t"))


def test_model_request_end_closes_unfinished_previews():
    admits = PreviewFilter(["agent.message", "agent.thinking"]).admits
    assert admits(start("agent.thinking", "sevt_t"))
    assert not admits(delta("sevt_t"))  # thinking has no deltas
    assert admits(start("agent.message", "sevt_m"))
    assert admits({"type": "span.model_request_end", "id": "sevt_s", "model_request_start_id": "sevt_r"})
    assert not admits(delta("sevt_m"))


def test_no_previews_unless_asked():
    admits = PreviewFilter([]).admits
    assert not admits(start("agent.message", "sevt_m")) and not admits(delta("sevt_m"))
    assert admits({"type": "session.status_idle", "id": "sevt_i"})
