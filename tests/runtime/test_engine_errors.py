"""Errors as a session reports them: retried (rescheduled), exhausted, terminal; a brain that
crashes; and a session cut short by a crash of the runtime, recovered at the next start."""

from __future__ import annotations

import pytest

from app.runtime.errors import RouteError
from app.runtime.ids import now
from app.runtime.offline import ERROR_KINDS
from tests.runtime.engine_support import ScriptedBrain, every, first, message, text_of, types

RETRIED = [kind for kind, (_, status) in ERROR_KINDS.items() if status == "retrying"]
ENDING = [kind for kind, (_, status) in ERROR_KINDS.items() if status == "exhausted"]


@pytest.mark.parametrize("kind", RETRIED)
async def test_a_retried_error_reschedules_then_the_answer_comes(harness, kind):
    frames = await harness.turn(f"/error {kind}")
    error = first(frames, "session.error")["error"]
    assert error["type"] == ERROR_KINDS[kind][0]
    assert error["retry_status"] == {"type": "retrying"}
    assert error["message"]
    order = [t for t in types(frames) if t.startswith("session.status") or t in ("session.error", "agent.message")]
    assert order == [
        "session.status_running",
        "session.error",
        "session.status_rescheduled",
        "session.status_running",
        "agent.message",
        "session.status_idle",
    ]
    assert "session.thread_status_rescheduled" in types(frames)
    assert [span["is_error"] for span in every(frames, "span.model_request_end")] == [True, False]
    assert "Recovered" in text_of(first(frames, "agent.message"))
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}


async def test_errors_carry_the_fields_of_their_kind(harness):
    mcp = first(await harness.turn("/error mcp"), "session.error")["error"]
    repo = first(await harness.turn("/error repo_clone"), "session.error")["error"]
    credential = first(await harness.turn("/error credential"), "session.error")["error"]
    assert mcp["mcp_server_name"]
    assert repo["repository_url"].startswith("https://")
    assert credential["credential_id"] and credential["vault_id"]


@pytest.mark.parametrize("kind", ENDING)
async def test_an_exhausted_error_ends_the_turn(harness, kind):
    frames = await harness.turn(f"/error {kind}")
    error = first(frames, "session.error")["error"]
    assert error["type"] == ERROR_KINDS[kind][0] and error["retry_status"] == {"type": "exhausted"}
    assert "session.status_rescheduled" not in types(frames)
    assert frames[-1]["stop_reason"] == {"type": "retries_exhausted"}
    assert harness.session()["status"] == "idle"
    frames = await harness.turn("still there?")  # the session takes new input
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}


async def test_retries_run_out_into_an_exhausted_error(harness):
    frames = await harness.turn("/error exhausted")
    statuses = [e["error"]["retry_status"]["type"] for e in every(frames, "session.error")]
    retries = len(harness.engine.retry_delays)
    assert statuses == ["retrying"] * retries + ["exhausted"]
    assert types(frames).count("session.status_rescheduled") == retries
    assert len(every(frames, "span.model_request_end")) == retries + 1
    assert frames[-1]["stop_reason"] == {"type": "retries_exhausted"}


async def test_a_terminal_error_terminates_the_session_for_good(harness):
    frames = await harness.turn("/error terminal")
    assert first(frames, "session.error")["error"]["retry_status"] == {"type": "terminal"}
    assert types(frames)[-3:] == ["session.usage", "session.thread_status_terminated", "session.status_terminated"]
    assert harness.session()["status"] == "terminated"
    assert harness.engine.primary_thread(harness.session_id)["status"] == "terminated"
    with pytest.raises(RouteError) as error:
        await harness.say("hello?")
    assert error.value.status == 400 and "terminated" in error.value.message
    harness.restart()
    with pytest.raises(RouteError):
        await harness.say("hello after a restart?")


async def test_a_second_word_overrides_the_retry_status(harness):
    frames = await harness.turn("/error overloaded exhausted")
    assert first(frames, "session.error")["error"] == {
        "type": "model_overloaded_error",
        "message": "Simulated model_overloaded_error (offline model)",
        "retry_status": {"type": "exhausted"},
    }
    assert frames[-1]["stop_reason"] == {"type": "retries_exhausted"}


async def test_a_brain_that_crashes_fails_the_request_not_the_runtime(make_harness):
    def script(request):
        raise RuntimeError("boom")

    harness = await make_harness(brain=ScriptedBrain(script))
    harness.engine.retry_delays = ()
    frames = await harness.turn("hi")
    error = first(frames, "session.error")["error"]
    assert error["type"] == "model_request_failed_error" and "boom" not in error["message"]
    assert frames[-1]["stop_reason"] == {"type": "retries_exhausted"}


async def test_usage_of_failed_requests_still_counts(make_harness):
    harness = await make_harness()
    frames = await harness.turn("/error overloaded")
    spans = every(frames, "span.model_request_end")
    assert harness.session()["usage"]["input_tokens"] == sum(s["model_usage"]["input_tokens"] for s in spans)


async def test_recover_brings_a_crashed_turn_back_idle_and_closes_what_it_left_open(harness):
    """Simulate a crash mid-turn: the store says running, a span and a tool call are open, and an
    input is still queued. After a restart, recover() settles all of it."""
    sid = harness.session_id
    session = harness.session()
    harness.store.put_session({**session, "status": "running"})
    log = harness.log
    await log.emit(sid, message("!sleep 100"))
    await log.emit(sid, {"type": "session.status_running"})
    start = await log.emit(sid, {"type": "span.model_request_start"})
    bash = {"type": "agent.tool_use", "name": "bash", "input": {"command": "sleep 100"}}
    use = await log.emit(sid, bash)
    queued = await log.emit(sid, {**message("queued"), "processed_at": None})

    harness.restart()
    await harness.engine.recover()

    stored = harness.stored()
    after = stored[[e["id"] for e in stored].index(use["id"]) + 1 :]
    span_end = first(after, "span.model_request_end")
    assert span_end["model_request_start_id"] == start["id"] and span_end["is_error"] is True
    result = first(after, "agent.tool_result")
    assert result["tool_use_id"] == use["id"] and result["is_error"] is True
    assert first(after, "user.message")["id"] == queued["id"] and first(after, "user.message")["processed_at"]
    error = first(after, "session.error")["error"]
    assert error["retry_status"] == {"type": "exhausted"} and "cut short" in error["message"]
    assert types(after)[-1] == "session.status_idle" and after[-1]["stop_reason"] == {"type": "retries_exhausted"}
    assert harness.session()["status"] == "idle"
    assert (await harness.until_idle())[-1] == after[-1]  # streamed as well
    frames = await harness.turn("hello again")
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}


async def test_recover_leaves_idle_sessions_alone(harness):
    await harness.turn("hi")
    before = harness.stored()
    harness.restart()
    await harness.engine.recover()
    assert harness.stored() == before


async def test_recover_settles_a_rescheduling_session_too(harness):
    harness.store.put_session({**harness.session(), "status": "rescheduling", "updated_at": now()})
    harness.restart()
    await harness.engine.recover()
    assert harness.session()["status"] == "idle"
    assert "cut short" in first(harness.stored(), "session.error")["error"]["message"]
