"""Outcomes: ``user.define_outcome`` graded by the offline grader (``must contain:`` rubric lines),
revised by the offline model until satisfied or out of iterations; over loopback HTTP through the
official SDK with strict response validation."""

from __future__ import annotations

import anthropic
import pytest

from app.runtime.outcomes import grade, missing_from
from tests.runtime.sdk_support import toolset_session, until_pause


def outcome(description: str, rubric: str, max_iterations: int | None = None) -> dict:
    event = {"type": "user.define_outcome", "description": description, "rubric": {"type": "text", "content": rubric}}
    if max_iterations is not None:
        event["max_iterations"] = max_iterations
    return event


@pytest.fixture
def session(live_sdk):
    return toolset_session(live_sdk, "worker")


def run(live_sdk, session_id: str, event: dict) -> tuple[str, list]:
    stream = live_sdk.beta.sessions.events.stream(session_id)
    (echo,) = live_sdk.beta.sessions.events.send(session_id, events=[event]).data
    events = until_pause(stream)
    stream.close()
    return echo.outcome_id, events


def spans(events: list) -> list[tuple]:
    return [
        (e.type.removeprefix("span.outcome_evaluation_"), e.iteration, getattr(e, "result", None))
        for e in events
        if e.type.startswith("span.outcome_evaluation")
    ]


def test_the_grader_checks_must_contain_lines():
    rubric = {"type": "text", "content": "Be precise.\n- must contain: alpha\nMust Contain: beta gamma"}
    verdict = grade(rubric, "alpha only", 0, 3)
    assert verdict.result == "needs_revision" and missing_from(verdict.explanation) == ["beta gamma"]
    assert grade(rubric, "alpha only", 2, 3).result == "max_iterations_reached"
    assert grade(rubric, "alpha and beta gamma", 0, 3).result == "satisfied"
    assert grade({"type": "text", "content": "anything"}, "", 0, 1).result == "satisfied"
    assert grade({"type": "file", "file_id": "file_1"}, "x", 0, 3).result == "failed"


def test_an_outcome_passes_on_the_second_iteration(live_sdk, session):
    outcome_id, events = run(live_sdk, session.id, outcome("Write a haiku", "must contain: autumn moon"))
    assert outcome_id.startswith("outc_")
    assert spans(events) == [
        ("start", 0, None),
        ("ongoing", 0, None),
        ("end", 0, "needs_revision"),
        ("start", 1, None),
        ("ongoing", 1, None),
        ("end", 1, "satisfied"),
    ]
    starts = [e for e in events if e.type == "span.outcome_evaluation_start"]
    ends = [e for e in events if e.type == "span.outcome_evaluation_end"]
    assert [e.outcome_evaluation_start_id for e in ends] == [s.id for s in starts]
    assert all(e.outcome_id == outcome_id for e in starts + ends)
    assert "- autumn moon" in ends[0].explanation and ends[0].usage.input_tokens > 0
    messages = [e.content[0].text for e in events if e.type == "agent.message"]
    assert len(messages) == 2 and "autumn moon" not in messages[0] and "autumn moon" in messages[1]
    assert events[-1].stop_reason.type == "end_turn"
    (evaluation,) = live_sdk.beta.sessions.retrieve(session.id).outcome_evaluations
    assert (evaluation.outcome_id, evaluation.description, evaluation.result, evaluation.iteration) == (
        outcome_id,
        "Write a haiku",
        "satisfied",
        1,
    )
    assert evaluation.completed_at is not None and "present" in evaluation.explanation


def test_an_outcome_fails_after_max_iterations(live_sdk, session):
    rubric = "must contain: first thing\nmust contain: second thing\nmust contain: third thing"
    outcome_id, events = run(live_sdk, session.id, outcome("List three things", rubric, max_iterations=2))
    assert [s for s in spans(events) if s[0] == "end"] == [
        ("end", 0, "needs_revision"),
        ("end", 1, "max_iterations_reached"),
    ]
    messages = [e.content[0].text for e in events if e.type == "agent.message"]
    assert len(messages) == 3  # first answer, one revision, the acknowledgment
    assert "first thing" in messages[1] and "second thing" not in messages[1]
    assert messages[2].startswith("I could not satisfy the rubric in 2 iterations")
    assert "- second thing" in messages[2] and "- third thing" in messages[2]
    assert events[-1].stop_reason.type == "end_turn"
    (evaluation,) = live_sdk.beta.sessions.retrieve(session.id).outcome_evaluations
    assert (evaluation.result, evaluation.iteration) == ("max_iterations_reached", 1)


def test_an_outcome_as_initial_event_and_a_bad_max_iterations(live_sdk, session):
    with pytest.raises(anthropic.BadRequestError):
        live_sdk.beta.sessions.events.send(session.id, events=[outcome("x", "must contain: y", max_iterations=21)])
    with pytest.raises(anthropic.BadRequestError):
        live_sdk.beta.sessions.events.send(session.id, events=[outcome("x", "must contain: y", max_iterations=0)])
    assert live_sdk.beta.sessions.retrieve(session.id).outcome_evaluations == []
    created = live_sdk.beta.sessions.create(
        agent=session.agent.id,
        environment_id=session.environment_id,
        initial_events=[outcome("Say hello", "must contain: hello")],
    )
    assert [(e.result, e.description) for e in created.outcome_evaluations] in (
        [("running", "Say hello")],
        [("evaluating", "Say hello")],
        [("satisfied", "Say hello")],
    )


def test_an_interrupt_ends_the_outcome(live_sdk, session):
    stream = live_sdk.beta.sessions.events.stream(session.id)
    live_sdk.beta.sessions.events.send(session.id, events=[outcome("/sleep 60", "must contain: rested")])
    for event in stream:
        if event.type == "agent.tool_use":
            break
    assert live_sdk.beta.sessions.retrieve(session.id).outcome_evaluations[0].result == "running"
    live_sdk.beta.sessions.events.send(session.id, events=[{"type": "user.interrupt"}])
    rest = until_pause(stream)
    stream.close()
    assert rest[-1].stop_reason.type == "end_turn"
    assert not [e for e in rest if e.type.startswith("span.outcome_evaluation")]
    (evaluation,) = live_sdk.beta.sessions.retrieve(session.id).outcome_evaluations
    assert evaluation.result == "interrupted" and evaluation.completed_at is not None


def test_an_outcome_queued_behind_a_turn_is_taken_up_in_it(live_sdk, session):
    stream = live_sdk.beta.sessions.events.stream(session.id)
    live_sdk.beta.sessions.events.send(
        session.id, events=[{"type": "user.message", "content": [{"type": "text", "text": "/sleep 0.3"}]}]
    )
    for event in stream:
        if event.type == "agent.tool_use":
            break
    (echo,) = live_sdk.beta.sessions.events.send(
        session.id, events=[outcome("Name a colour", "must contain: teal")]
    ).data
    assert echo.processed_at is not None  # the SDK requires it, even queued
    assert live_sdk.beta.sessions.retrieve(session.id).outcome_evaluations[0].result == "pending"
    rest = until_pause(stream)
    stream.close()
    assert [s for s in spans(rest) if s[0] == "end"] == [("end", 0, "needs_revision"), ("end", 1, "satisfied")]
    assert live_sdk.beta.sessions.retrieve(session.id).outcome_evaluations[0].result == "satisfied"
