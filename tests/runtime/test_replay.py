"""The replay model: a recorded session plays back turn by turn through the real engine, with
tool results taken from the recording instead of running the tools."""

from __future__ import annotations

import json

import pytest

from app.runtime.brain import make_brain, model_usage
from app.runtime.replay import END_OF_RECORDING, RECORDINGS, ReplayBrain, load_events, turns_of
from tests.runtime.engine_support import custom_result, custom_tool, every, first, text_of, toolset, types

OVERLOADED = {"type": "model_overloaded_error", "message": "Overloaded", "retry_status": {"type": "retrying"}}
#: What must match between a recording and its replay (ids and times differ).
AGENT_SIDE = ("agent.thinking", "agent.message", "agent.tool_use", "agent.tool_result", "span.model_request_end")


def agent_view(events):
    return [
        (e["type"], e.get("name"), e.get("input"), text_of(e), e.get("is_error"), e.get("model_usage"))
        for e in events
        if e["type"] in AGENT_SIDE
    ]


def span_end(start_id, usage, *, is_error):
    end = {"type": "span.model_request_end", "model_request_start_id": start_id}
    return {**end, "is_error": is_error, "model_usage": usage}


def recorded_turns(events):
    """The recorded events of each user turn."""
    turns = []
    for event in events:
        if event["type"] == "user.message":
            turns.append([])
        elif turns:
            turns[-1].append(event)
    return turns


async def test_the_demo_recording_replays_faithfully_without_running_tools(make_harness):
    recording = load_events(RECORDINGS / "demo.jsonl")
    harness = await make_harness(brain=ReplayBrain.from_events(recording))
    for recorded in recorded_turns(recording):
        frames = await harness.turn("whatever the user types")
        assert agent_view(frames) == agent_view(recorded)
        assert frames[-1]["stop_reason"] == {"type": "end_turn"}
    # The recorded `ls`, `read` and `edit` never touched this (empty) workspace.
    assert not (harness.workspace / "todo.py").exists()
    frames = await harness.turn("one more?")
    assert text_of(first(frames, "agent.message")) == END_OF_RECORDING


async def test_replayed_messages_stream_as_deltas(make_harness):
    harness = await make_harness(brain=make_brain("replay:demo"))
    frames = await harness.turn("go")
    final = first(frames, "agent.message")
    deltas = [d["delta"]["content"]["text"] for d in every(frames, "event_delta") if d["event_id"] == final["id"]]
    assert "".join(deltas) == text_of(final)


async def test_replayed_tool_calls_still_follow_the_live_agents_policy(make_harness):
    harness = await make_harness(tools=[toolset(bash="always_ask")], brain=make_brain("replay:demo"))
    frames = await harness.turn("go")
    assert frames[-1]["stop_reason"]["type"] == "requires_action"


def test_a_recording_without_spans_groups_output_between_results():
    events = [
        {"type": "user.message", "content": [{"type": "text", "text": "hi"}]},
        {"type": "agent.message", "content": [{"type": "text", "text": "Let me look."}]},
        {"type": "agent.tool_use", "id": "u1", "name": "bash", "input": {"command": "ls"}},
        {"type": "agent.tool_result", "tool_use_id": "u1", "content": [{"type": "text", "text": "a.py\n"}]},
        {"type": "agent.message", "content": [{"type": "text", "text": "One file."}]},
    ]
    (turn,) = turns_of(events)
    assert [(r.text, [u.name for u in r.tool_uses]) for r in turn] == [("Let me look.", ["bash"]), ("One file.", [])]
    assert turn[0].tool_uses[0].result.content == [{"type": "text", "text": "a.py\n"}]


async def test_a_recorded_retry_replays_as_an_error_then_the_answer(make_harness):
    events = [
        {"type": "user.message", "content": [{"type": "text", "text": "hi"}]},
        {"type": "span.model_request_start", "id": "s1"},
        span_end("s1", model_usage(5), is_error=True),
        {"type": "session.error", "error": OVERLOADED},
        {"type": "span.model_request_start", "id": "s2"},
        {"type": "agent.message", "content": [{"type": "text", "text": "Hello."}]},
        span_end("s2", model_usage(5, 2), is_error=False),
    ]
    harness = await make_harness(brain=ReplayBrain.from_events(events))
    frames = await harness.turn("anything")
    assert first(frames, "session.error")["error"] == events[3]["error"]
    assert "session.status_rescheduled" in types(frames)
    assert text_of(first(frames, "agent.message")) == "Hello."


async def test_recorded_custom_tools_are_answered_live(make_harness):
    events = [
        {"type": "user.message", "content": [{"type": "text", "text": "open it"}]},
        {"type": "agent.custom_tool_use", "id": "c1", "name": "open_in_editor", "input": {"path": "a.py"}},
        custom_result("c1", "recorded answer"),
        {"type": "agent.message", "content": [{"type": "text", "text": "Opened."}]},
    ]
    tools = [toolset(), custom_tool("open_in_editor")]
    harness = await make_harness(tools=tools, brain=ReplayBrain.from_events(events))
    use = first(await harness.turn("open it"), "agent.custom_tool_use")
    await harness.send(custom_result(use["id"], "live"))
    frames = await harness.until_idle()
    assert text_of(first(frames, "agent.message")) == "Opened."


def test_bad_recordings_are_refused_with_the_reason(tmp_path):
    with pytest.raises(ValueError, match="bundled recordings: demo"):
        make_brain("replay:no-such-file")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"type": "user.message"}) + "\n{oops\n")
    with pytest.raises(ValueError, match=r"bad.jsonl:2: not JSON"):
        make_brain(f"replay:{bad}")
    bad.write_text("[1]\n")
    with pytest.raises(ValueError, match=r":1: not an event"):
        ReplayBrain.from_path(bad)
