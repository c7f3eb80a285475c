"""Session threads: a coordinator delegates to roster agents in child threads (``/delegate``),
over loopback HTTP through the official SDK with strict response validation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anthropic
import pytest

from tests.runtime.conftest import strict_sdk
from tests.runtime.sdk_support import run_turn, until_pause, user

TOOLSET = {"type": "agent_toolset_20260401"}
ASK_BASH = {
    "type": "agent_toolset_20260401",
    "configs": [{"name": "bash", "permission_policy": {"type": "always_ask"}}],
}
MODEL = "claude-sonnet-4-6"


def thread_of(event) -> str | None:
    for key in ("session_thread_id", "to_session_thread_id", "from_session_thread_id"):
        if getattr(event, key, None):
            return getattr(event, key)
    return None


@pytest.fixture
def make_session(live_sdk):
    env = live_sdk.beta.environments.create(
        name="open", config={"type": "cloud", "networking": {"type": "unrestricted"}}
    )

    def make(helper_tools=(TOOLSET,)):
        helper = live_sdk.beta.agents.create(name="helper", model=MODEL, tools=list(helper_tools))
        writer = live_sdk.beta.agents.create(name="writer", model=MODEL)
        lead = live_sdk.beta.agents.create(
            name="lead",
            model=MODEL,
            tools=[TOOLSET],
            multiagent={"type": "coordinator", "agents": [helper.id, writer.id]},
        )
        return live_sdk.beta.sessions.create(agent=lead.id, environment_id=env.id)

    return make


def test_every_session_has_its_primary_thread(live_sdk, make_session):
    session = make_session()
    (primary,) = live_sdk.beta.sessions.threads.list(session.id)
    assert primary.parent_thread_id is None and primary.agent.name == "lead"


def test_delegate_runs_bash_in_a_child_thread_and_quotes_its_answer(live_sdk, make_session):
    session = make_session()
    (primary,) = live_sdk.beta.sessions.threads.list(session.id)
    stream = live_sdk.beta.sessions.events.stream(session.id)
    live_sdk.beta.sessions.events.send(session.id, events=[user("/delegate helper !echo hi")])
    events = until_pause(stream)
    stream.close()
    kinds = [e.type for e in events]
    created = next(e for e in events if e.type == "session.thread_created")
    child = created.session_thread_id
    assert created.agent_name == "helper"
    assert (
        kinds.index("session.thread_created")
        < kinds.index("agent.thread_message_sent")
        < kinds.index("agent.thread_message_received")
    )
    sent = next(e for e in events if e.type == "agent.thread_message_sent")
    assert sent.to_session_thread_id == child and sent.to_agent_name == "helper"
    assert sent.content[0].text == "!echo hi"
    received = next(e for e in events if e.type == "agent.thread_message_received")
    assert received.from_session_thread_id == child and received.from_agent_name == "helper"
    assert "hi" in received.content[0].text and "exited with code **0**" in received.content[0].text
    # child status changes are cross-posted with the child's id; its tool calls (allowed) are not
    cross = [
        (e.type, e.stop_reason.type if e.type.endswith("idle") else None)
        for e in events
        if thread_of(e) == child and e.type.startswith("session.thread_status")
    ]
    assert cross == [("session.thread_status_running", None), ("session.thread_status_idle", "end_turn")]
    assert "agent.tool_use" not in kinds
    reply = [e for e in events if e.type == "agent.message"][-1].content[0].text
    assert reply.startswith("`helper` answered:") and "> hi" in reply
    assert events[-1].stop_reason.type == "end_turn"
    # the child's own log: the delegated prompt, its bash turn, the answer sent back
    log = list(live_sdk.beta.sessions.threads.events.list(child, session_id=session.id))
    assert [e.type for e in log] == [
        "agent.thread_message_received",
        "session.thread_status_running",
        "span.model_request_start",
        "agent.tool_use",
        "span.model_request_end",
        "agent.tool_result",
        "span.model_request_start",
        "agent.message",
        "span.model_request_end",
        "session.thread_status_idle",
        "agent.thread_message_sent",
    ]
    assert log[0].from_session_thread_id == primary.id and log[-1].to_session_thread_id == primary.id
    assert log[3].session_thread_id == child and log[3].input == {"command": "echo hi"}
    # threads: own status, usage and stats
    threads = {t.id: t for t in live_sdk.beta.sessions.threads.list(session.id)}
    assert set(threads) == {primary.id, child}
    kid = live_sdk.beta.sessions.threads.retrieve(child, session_id=session.id)
    assert kid.parent_thread_id == primary.id and kid.agent.name == "helper" and kid.status == "idle"
    assert kid.usage.output_tokens > 0 and kid.stats.active_seconds is not None
    assert live_sdk.beta.sessions.retrieve(session.id).usage.output_tokens > kid.usage.output_tokens
    # a second delegation to the same agent reuses its thread
    stream = live_sdk.beta.sessions.events.stream(session.id)
    live_sdk.beta.sessions.events.send(session.id, events=[user("/delegate helper again")])
    again = until_pause(stream)
    stream.close()
    assert "session.thread_created" not in [e.type for e in again]
    assert next(e for e in again if e.type == "agent.thread_message_sent").to_session_thread_id == child
    assert len(list(live_sdk.beta.sessions.threads.list(session.id))) == 2
    archived = live_sdk.beta.sessions.threads.archive(child, session_id=session.id)
    assert archived.archived_at is not None


def test_delegate_outside_the_roster_lists_it(live_sdk, make_session):
    session = make_session()
    stream = live_sdk.beta.sessions.events.stream(session.id)
    live_sdk.beta.sessions.events.send(session.id, events=[user("/delegate stranger do it")])
    events = until_pause(stream)
    stream.close()
    text = next(e for e in events if e.type == "agent.message").content[0].text
    assert "`stranger` is not in my roster" in text and "`helper`, `writer`" in text
    assert "session.thread_created" not in [e.type for e in events]


@pytest.mark.parametrize("answer", ["allow", "deny"])
def test_a_child_call_that_asks_is_cross_posted_and_the_answer_routed_to_it(live_sdk, make_session, answer):
    session = make_session(helper_tools=(ASK_BASH,))
    stream = live_sdk.beta.sessions.events.stream(session.id)
    live_sdk.beta.sessions.events.send(session.id, events=[user("/delegate helper !echo approved")])
    waiting = until_pause(stream)
    child = next(e for e in waiting if e.type == "session.thread_created").session_thread_id
    use = next(e for e in waiting if e.type == "agent.tool_use")
    assert use.session_thread_id == child and use.evaluated_permission == "ask"
    idle = [e for e in waiting if e.type == "session.thread_status_idle" and e.session_thread_id == child]
    assert idle[-1].stop_reason.type == "requires_action" and idle[-1].stop_reason.event_ids == [use.id]
    assert waiting[-1].stop_reason.type == "requires_action" and waiting[-1].stop_reason.event_ids == [use.id]
    assert live_sdk.beta.sessions.retrieve(session.id).status == "idle"
    assert live_sdk.beta.sessions.threads.retrieve(child, session_id=session.id).status == "idle"
    (echo,) = live_sdk.beta.sessions.events.send(
        session.id, events=[{"type": "user.tool_confirmation", "tool_use_id": use.id, "result": answer}]
    ).data
    assert echo.session_thread_id == child
    rest = until_pause(stream)
    stream.close()
    assert rest[-1].stop_reason.type == "end_turn"
    reply = [e for e in rest if e.type == "agent.message"][-1].content[0].text
    if answer == "allow":
        assert "> approved" in reply
    else:
        assert "denied" in reply
    log = [e.type for e in live_sdk.beta.sessions.threads.events.list(child, session_id=session.id)]
    assert "user.tool_confirmation" in log and "agent.tool_result" in log


def _start_sleeping_child(live_sdk, session):
    stream = live_sdk.beta.sessions.events.stream(session.id)
    live_sdk.beta.sessions.events.send(session.id, events=[user("/delegate helper /sleep 60")])
    child = None
    for event in stream:
        if event.type == "session.thread_created":
            child = event.session_thread_id
        if event.type == "session.thread_status_running" and event.session_thread_id == child:
            break
    for _ in range(200):  # the child's bash call is under way
        if any(
            e.type == "agent.tool_use" for e in live_sdk.beta.sessions.threads.events.list(child, session_id=session.id)
        ):
            break
    return stream, child


def test_interrupting_the_child_thread_lets_the_coordinator_answer(live_sdk, make_session):
    session = make_session()
    stream, child = _start_sleeping_child(live_sdk, session)
    live_sdk.beta.sessions.events.send(session.id, events=[{"type": "user.interrupt", "session_thread_id": child}])
    rest = until_pause(stream)
    stream.close()
    assert rest[-1].stop_reason.type == "end_turn"
    received = next(e for e in rest if e.type == "agent.thread_message_received")
    assert received.from_session_thread_id == child
    assert "`helper` answered" in [e for e in rest if e.type == "agent.message"][-1].content[0].text
    log = list(live_sdk.beta.sessions.threads.events.list(child, session_id=session.id))
    result = next(e for e in log if e.type == "agent.tool_result")
    assert result.is_error is True and "Interrupted" in result.content[0].text


def test_interrupt_without_a_thread_stops_every_thread(live_sdk, make_session):
    session = make_session()
    stream, child = _start_sleeping_child(live_sdk, session)
    live_sdk.beta.sessions.events.send(session.id, events=[{"type": "user.interrupt"}])
    rest = until_pause(stream)
    stream.close()
    assert rest[-1].stop_reason.type == "end_turn"
    assert "agent.thread_message_received" not in [e.type for e in rest]
    assert [t.status for t in live_sdk.beta.sessions.threads.list(session.id)] == ["idle", "idle"]
    with pytest.raises(anthropic.BadRequestError):
        live_sdk.beta.sessions.events.send(
            session.id, events=[{"type": "user.interrupt", "session_thread_id": "sthr_nope"}]
        )


LOOKUP = {
    "type": "custom",
    "name": "lookup",
    "description": "Look a word up.",
    "input_schema": {"type": "object", "properties": {"word": {"type": "string"}}},
}


def test_a_child_custom_tool_is_answered_through_the_session(live_sdk, make_session):
    session = make_session(helper_tools=(TOOLSET, LOOKUP))
    stream = live_sdk.beta.sessions.events.stream(session.id)
    live_sdk.beta.sessions.events.send(
        session.id, events=[user('/delegate helper /custom lookup {"word": "idempotent"}')]
    )
    waiting = until_pause(stream)
    call = next(e for e in waiting if e.type == "agent.custom_tool_use")
    assert call.session_thread_id and waiting[-1].stop_reason.event_ids == [call.id]
    result = {
        "type": "user.custom_tool_result",
        "custom_tool_use_id": call.id,
        "content": [{"type": "text", "text": "same twice"}],
    }
    (echo,) = live_sdk.beta.sessions.events.send(session.id, events=[result]).data
    assert echo.session_thread_id == call.session_thread_id
    rest = until_pause(stream)
    stream.close()
    assert "same twice" in [e for e in rest if e.type == "agent.message"][-1].content[0].text
    assert rest[-1].stop_reason.type == "end_turn"


def test_a_child_thread_streams_its_own_events(live_sdk, make_session):
    session = make_session()
    stream = live_sdk.beta.sessions.events.stream(session.id)
    live_sdk.beta.sessions.events.send(session.id, events=[user("/delegate writer hello")])
    first = until_pause(stream)
    child = next(e for e in first if e.type == "session.thread_created").session_thread_id
    own = live_sdk.beta.sessions.threads.events.stream(child, session_id=session.id, event_deltas=["agent.message"])
    live_sdk.beta.sessions.events.send(session.id, events=[user("/delegate writer /think quietly")])
    seen = []
    for event in own:
        seen.append(event.type)
        if event.type == "agent.thread_message_sent":
            break
    own.close()
    until_pause(stream)
    stream.close()
    assert seen[0] == "agent.thread_message_received" and "agent.thinking" in seen and "event_delta" in seen
    assert "session.status_idle" not in seen and "user.message" not in seen


def test_interrupting_a_child_that_waits_on_the_user(live_sdk, make_session):
    session = make_session(helper_tools=(ASK_BASH,))
    stream = live_sdk.beta.sessions.events.stream(session.id)
    live_sdk.beta.sessions.events.send(session.id, events=[user("/delegate helper !echo never")])
    waiting = until_pause(stream)
    child = next(e for e in waiting if e.type == "session.thread_created").session_thread_id
    live_sdk.beta.sessions.events.send(session.id, events=[{"type": "user.interrupt", "session_thread_id": child}])
    rest = until_pause(stream)
    stream.close()
    kinds = [e.type for e in rest]
    assert kinds.index("session.status_running") < kinds.index("agent.thread_message_received")
    assert rest[-1].stop_reason.type == "end_turn"
    assert live_sdk.beta.sessions.retrieve(session.id).status == "idle"


def lead_session(live_sdk, helper_tool):
    """A session of "lead", a coordinator of "helper" (with ``helper_tool``), in a new environment."""
    env = live_sdk.beta.environments.create(name="e", config={"type": "cloud", "networking": {"type": "unrestricted"}})
    helper = live_sdk.beta.agents.create(name="helper", model=MODEL, tools=[helper_tool])
    lead = live_sdk.beta.agents.create(
        name="lead", model=MODEL, multiagent={"type": "coordinator", "agents": [helper.id]}
    )
    return live_sdk.beta.sessions.create(agent=lead.id, environment_id=env.id)


@contextmanager
def runtime_at(data: Path) -> Iterator[anthropic.Anthropic]:
    """The whole runtime serving from ``data`` until the block ends: the strict SDK against it."""
    from app.runtime.runtime import start_in_thread

    running = start_in_thread(data, api_key="sk-threads", pace=0.0, heartbeat=0.5)
    try:
        with strict_sdk(running) as client:
            yield client
    finally:
        running.stop()


def test_child_threads_survive_a_restart_and_a_crash_leaves_them_idle(tmp_path):
    from app.runtime.runtime import DATABASE_NAME
    from app.runtime.store import Store

    data = tmp_path / "data"
    with runtime_at(data) as live_sdk:
        session = lead_session(live_sdk, TOOLSET)
        turn = run_turn(live_sdk, session.id, "/delegate helper hello")
        child = next(e for e in turn if e.type == "session.thread_created").session_thread_id
    store = Store(data / DATABASE_NAME)  # as if the runtime had died mid-delegation
    for obj, put in (
        (store.get_session(session.id), store.put_session),
        (store.get_thread(session.id, child), store.put_thread),
    ):
        put({**obj, "status": "running"})
    store.close()

    with runtime_at(data) as live_sdk:
        assert live_sdk.beta.sessions.retrieve(session.id).status == "idle"
        kid = live_sdk.beta.sessions.threads.retrieve(child, session_id=session.id)
        assert kid.status == "idle"
        log = list(live_sdk.beta.sessions.threads.events.list(child, session_id=session.id))
        assert log[-1].type == "session.thread_status_idle" and log[-1].stop_reason.type == "retries_exhausted"
        again = run_turn(live_sdk, session.id, "/delegate helper again")
        assert "session.thread_created" not in [e.type for e in again]
        assert next(e for e in again if e.type == "agent.thread_message_sent").to_session_thread_id == child


def test_a_childs_wait_for_the_user_ends_cleanly_across_a_restart(tmp_path):
    data = tmp_path / "data"
    with runtime_at(data) as live_sdk:
        session = lead_session(live_sdk, ASK_BASH)
        waiting = run_turn(live_sdk, session.id, "/delegate helper !echo later")
        use = next(e for e in waiting if e.type == "agent.tool_use")
        assert waiting[-1].stop_reason.type == "requires_action"
    with runtime_at(data) as live_sdk:
        history = list(live_sdk.beta.sessions.events.list(session.id))
        assert history[-1].type == "session.status_idle" and history[-1].stop_reason.type == "retries_exhausted"
        log = list(live_sdk.beta.sessions.threads.events.list(use.session_thread_id, session_id=session.id))
        result = next(e for e in log if e.type == "agent.tool_result")
        assert result.tool_use_id == use.id and result.is_error is True
        with pytest.raises(anthropic.BadRequestError):
            live_sdk.beta.sessions.events.send(
                session.id, events=[{"type": "user.tool_confirmation", "tool_use_id": use.id, "result": "allow"}]
            )
