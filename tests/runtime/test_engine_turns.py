"""Turns as a stream client sees them: messages streamed as deltas, tool calls, queued input,
usage, the session and thread status, and the input the engine refuses."""

from __future__ import annotations

import asyncio

import pytest

from app.runtime.brain import BrainReply, ToolUse
from app.runtime.errors import RouteError
from app.runtime.usage import list_cost_cents
from tests.runtime.engine_support import ScriptedBrain, every, first, message, text_of, toolset, types


async def test_plain_message_streams_deltas_then_the_final_message_then_idles(harness):
    echoes = await harness.say("hello *there*")
    frames = await harness.until_idle()

    assert echoes[0]["type"] == "user.message" and echoes[0]["processed_at"] is not None
    start = first(frames, "event_start")
    final = first(frames, "agent.message")
    deltas = every(frames, "event_delta")
    assert start["event"] == {"type": "agent.message", "id": final["id"]}
    assert len(deltas) > 1 and all(delta["event_id"] == final["id"] for delta in deltas)
    assert "".join(delta["delta"]["content"]["text"] for delta in deltas) == text_of(final)
    assert "> hello *there*" in text_of(final)
    order = types(frames)
    assert order.index("event_start") < order.index("event_delta") < order.index("agent.message")
    assert types(frames)[0] == "user.message"
    assert first(frames, "session.status_idle")["stop_reason"] == {"type": "end_turn"}
    assert harness.session()["status"] == "idle"


async def test_a_turn_reports_status_spans_and_thread_status_in_order(harness):
    frames = await harness.turn("hi")
    persisted = [t for t in types(frames) if t not in ("event_start", "event_delta")]
    assert persisted == [
        "user.message",
        "session.status_running",
        "session.thread_status_running",
        "span.model_request_start",
        "agent.message",
        "span.model_request_end",
        "session.usage",
        "session.thread_status_idle",
        "session.status_idle",
    ]
    start, end = first(frames, "span.model_request_start"), first(frames, "span.model_request_end")
    assert end["model_request_start_id"] == start["id"] and end["is_error"] is False
    assert first(frames, "session.thread_status_running")["session_thread_id"] == harness.thread_id
    assert first(frames, "session.thread_status_idle")["agent_name"] == "tester"
    thread = harness.engine.primary_thread(harness.session_id)
    assert thread["status"] == "idle"


async def test_history_holds_exactly_the_persisted_frames_and_no_previews(harness):
    frames = await harness.turn("hi")
    streamed = [frame for frame in frames if frame["type"] not in ("event_start", "event_delta")]
    assert harness.stored() == streamed


async def test_bang_runs_bash_for_real_and_reports_the_output(harness):
    frames = await harness.turn("!echo hi")
    use = first(frames, "agent.tool_use")
    result = first(frames, "agent.tool_result")
    assert use["name"] == "bash" and use["input"] == {"command": "echo hi"}
    assert use["evaluated_permission"] == "allow" and use["evaluation"] == {"type": "always_allow"}
    assert result["tool_use_id"] == use["id"] and result["is_error"] is False
    assert text_of(result).strip() == "hi"
    answer = text_of(every(frames, "agent.message")[-1])
    assert "exited with code **0**" in answer and "```\nhi\n```" in answer
    assert types(frames).count("span.model_request_start") == 2
    order = types(frames)
    assert order.index("agent.tool_use") < order.index("agent.tool_result") < order.index("agent.message")


async def test_bash_runs_in_the_session_workspace(harness):
    frames = await harness.turn("!pwd && echo data > made.txt")
    assert text_of(first(frames, "agent.tool_result")).strip() == str(harness.workspace.resolve())
    assert (harness.workspace / "made.txt").read_text() == "data\n"


async def test_a_failing_command_reports_its_exit_code(harness):
    frames = await harness.turn("!echo oops; exit 3")
    assert first(frames, "agent.tool_result")["is_error"] is True
    assert "exited with code **3**" in text_of(every(frames, "agent.message")[-1])


async def test_think_emits_a_thinking_preview_and_event_before_the_answer(harness):
    frames = await harness.turn("/think about it")
    thinking = first(frames, "agent.thinking")
    assert {"type": "event_start", "event": {"type": "agent.thinking", "id": thinking["id"]}} in frames
    assert types(frames).index("agent.thinking") < types(frames).index("agent.message")


async def test_input_sent_while_running_is_queued_then_taken_up_in_the_same_turn(make_harness):
    def script(request):
        return BrainReply(text=f"answer to {text_of(every(request.events, 'user.message')[-1])}")

    brain = ScriptedBrain(script)
    harness = await make_harness(brain=brain)
    brain.gate = asyncio.Event()
    await harness.say("one")
    await harness.until_type("span.model_request_start")
    (queued,) = await harness.say("two")
    assert queued["processed_at"] is None
    brain.gate.set()
    frames = await harness.until_idle()

    taken_up = [f for f in every(frames, "user.message") if f["id"] == queued["id"]]
    assert taken_up and taken_up[-1]["processed_at"] is not None
    answers = [text_of(m) for m in every(frames, "agent.message")]
    assert answers == ["answer to one", "answer to two"]
    assert types(frames).count("session.status_idle") == 1
    # The second request saw the queued message, the first did not.
    seen = [[e["id"] for e in r.events if e["type"] == "user.message"] for r in brain.requests]
    assert queued["id"] not in seen[0] and queued["id"] in seen[1]
    stored = {e["id"]: e for e in harness.stored()}
    assert stored[queued["id"]]["processed_at"] is not None


async def test_several_messages_in_one_batch_start_one_turn(make_harness):
    brain = ScriptedBrain(lambda request: BrainReply(text=str(len(every(request.events, "user.message")))))
    harness = await make_harness(brain=brain)
    echoes = await harness.send(message("a"), message("b"))
    frames = await harness.until_idle()
    assert all(echo["processed_at"] is not None for echo in echoes)
    assert [text_of(m) for m in every(frames, "agent.message")] == ["2"]


async def test_usage_totals_equal_the_sum_of_model_usage(harness):
    frames = []
    for text in ("hi", "!echo a", "/think b"):
        frames += await harness.turn(text)
    spans = every(frames, "span.model_request_end")
    total = {key: sum(span["model_usage"][key] for span in spans) for key in spans[0]["model_usage"]}
    usage = harness.session()["usage"]
    assert usage["input_tokens"] == total["input_tokens"] > 0
    assert usage["output_tokens"] == total["output_tokens"] > 0
    assert usage["cache_read_input_tokens"] == total["cache_read_input_tokens"]
    assert usage["cache_creation"]["ephemeral_5m_input_tokens"] == total["cache_creation_input_tokens"]
    assert every(frames, "session.usage")[-1]["usage"]["output_tokens"] == total["output_tokens"]
    keys = ("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
    expected = list_cost_cents("claude-sonnet-4-6", *(total[key] for key in keys))
    assert usage["list_cost"] == {"amount": str(expected), "currency": "USD"}
    assert usage["active_seconds"] > 0 and harness.session()["stats"]["active_seconds"] > 0


def test_list_cost_is_priced_per_model_family_in_cents():
    million = 1_000_000
    assert list_cost_cents("claude-opus-4-8", million, 0, 0, 0) == 500
    assert list_cost_cents("claude-sonnet-4-6", 0, million, 0, 0) == 1500
    assert list_cost_cents("claude-haiku-4-5", 0, 0, million, million) == 125 + 10
    assert list_cost_cents("some-other-model", million, 0, 0, 0) == 300


async def test_the_offline_model_gives_the_same_usage_every_time(make_harness):
    runs = []
    for _ in range(2):
        harness = await make_harness()
        frames = await harness.turn("!echo same")
        runs.append([span["model_usage"] for span in every(frames, "span.model_request_end")])
    assert runs[0] == runs[1]


async def test_a_disabled_tool_is_not_offered_and_a_call_to_it_gets_an_error_result(make_harness):
    def script(request):
        if every(request.events, "agent.tool_result"):
            return BrainReply(text="done")
        return BrainReply(tool_uses=[ToolUse("read", {"file_path": "x"})])

    brain = ScriptedBrain(script)
    harness = await make_harness(tools=[toolset(read=False)], brain=brain)
    frames = await harness.turn("go")
    assert "read" not in [spec.name for spec in brain.requests[0].tools]
    assert "bash" in [spec.name for spec in brain.requests[0].tools]
    use, result = first(frames, "agent.tool_use"), first(frames, "agent.tool_result")
    assert use["evaluated_permission"] == "deny"
    assert result["is_error"] is True and "not enabled" in text_of(result)


async def test_the_offline_model_says_so_when_a_tool_is_disabled(make_harness):
    harness = await make_harness(tools=[toolset(bash=False)])
    frames = await harness.turn("!echo hi")
    assert "agent.tool_use" not in types(frames)
    assert "not enabled" in text_of(first(frames, "agent.message"))


async def test_a_turn_that_never_stops_calling_tools_ends_at_the_round_limit(make_harness):
    forever = ScriptedBrain(lambda request: BrainReply(tool_uses=[ToolUse("bash", {"command": "true"})]))
    harness = await make_harness(brain=forever)
    harness.engine.max_tool_rounds = 3
    frames = await harness.turn("loop")
    assert types(frames).count("agent.tool_result") == 4
    assert first(frames, "session.error")["error"]["type"] == "tool_use_limit_reached_error"
    assert first(frames, "session.status_idle")["stop_reason"] == {"type": "retries_exhausted"}


async def test_a_spent_budget_stops_the_turn_before_the_next_request(make_harness):
    harness = await make_harness(budget="0")
    frames = await harness.turn("hi")
    assert "span.model_request_start" not in types(frames)
    assert first(frames, "session.status_idle")["stop_reason"] == {"type": "budget_reached"}
    assert first(frames, "session.usage")["budget"]["max_list_cost"]["amount"] == "0"


async def test_define_outcome_is_echoed_with_an_outcome_id_and_answered(harness):
    rubric = {"type": "text", "content": "clean"}
    outcome = {"type": "user.define_outcome", "description": "tidy the repo", "rubric": rubric}
    (echo,) = await harness.send(outcome)
    frames = await harness.until_idle()
    assert echo["outcome_id"].startswith("outc_")
    assert "tidy the repo" in text_of(first(frames, "agent.message"))


async def test_a_system_message_must_come_last_after_a_user_input(harness):
    system = {"type": "system.message", "content": [{"type": "text", "text": "be brief"}]}
    with pytest.raises(RouteError) as error:
        await harness.send(system, message("hi"))
    assert error.value.status == 400 and "system.message" in error.value.message
    await harness.send(message("hi"), system)
    frames = await harness.until_idle()
    assert first(frames, "session.status_idle")["stop_reason"]["type"] == "end_turn"


async def test_bad_input_is_refused_as_a_whole_with_a_clear_message(harness):
    with pytest.raises(RouteError) as error:
        await harness.send(message("fine"), {"type": "user.message"})
    assert error.value.status == 400 and error.value.message == "events[1]: user.message.content: Field required"
    with pytest.raises(RouteError) as error:
        await harness.send({"type": "user.tool_result", "tool_use_id": "sevt_x"})
    assert "self_hosted" in error.value.message
    assert harness.stored() == []


async def test_sending_to_a_missing_session_is_not_found(harness):
    with pytest.raises(RouteError) as error:
        await harness.engine.send("sesn_missing", [message("hi")])
    assert error.value.status == 404 and error.value.error_code == "session_not_found"


async def test_ids_and_times_sent_by_a_client_are_replaced(harness):
    await harness.turn("first")
    taken = harness.stored()[0]["id"]
    (echo,) = await harness.send({**message("again"), "id": taken, "processed_at": "2000-01-01T00:00:00.000Z"})
    assert echo["id"] != taken and echo["processed_at"] != "2000-01-01T00:00:00.000Z"
