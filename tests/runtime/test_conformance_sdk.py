"""The official SDK (anthropic==2.10.0, strict response validation) drives the embedded runtime
through the whole flow an Agent API user goes through, sync and async, over loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterable

import anthropic
import pytest

from tests.runtime.conftest import API_KEY
from tests.runtime.sdk_support import until_pause, user

TOOLSET = {"type": "agent_toolset_20260401"}
ASK_BASH = {
    "type": "agent_toolset_20260401",
    "configs": [{"name": "bash", "permission_policy": {"type": "always_ask"}}],
}
LOOKUP = {
    "type": "custom",
    "name": "lookup",
    "description": "Look a word up in the user's glossary.",
    "input_schema": {"type": "object", "properties": {"word": {"type": "string"}}, "required": ["word"]},
}
DELTAS = ["agent.message", "agent.thinking"]


def start_turn(live_sdk: anthropic.Anthropic, session_id: str, text: str) -> tuple[anthropic.Stream, list]:
    """Open a stream (with deltas) and send ``text``: the stream, and its events up to the pause."""
    stream = live_sdk.beta.sessions.events.stream(session_id, event_deltas=DELTAS)
    live_sdk.beta.sessions.events.send(session_id, events=[user(text)])
    return stream, until_pause(stream)


def types(events: Iterable) -> list[str]:
    return [e.type for e in events]


def final(events: list, kind: str):
    return next(e for e in events if e.type == kind)


@pytest.fixture
def setup(live_sdk):
    """Two environments (unrestricted, limited), an agent with the toolset and a session."""
    open_env = live_sdk.beta.environments.create(
        name="open", config={"type": "cloud", "networking": {"type": "unrestricted"}}
    )
    limited = live_sdk.beta.environments.create(
        name="limited",
        config={"type": "cloud", "networking": {"type": "limited", "allowed_hosts": ["127.0.0.1"]}},
    )
    agent = live_sdk.beta.agents.create(name="helper", model="claude-sonnet-4-6", tools=[TOOLSET, LOOKUP])
    session = live_sdk.beta.sessions.create(
        agent=agent.id, environment_id=open_env.id, title="Conformance", metadata={"suite": "live_sdk"}
    )
    return open_env, limited, agent, session


def test_environments_agents_and_sessions_come_back_as_created(live_sdk, setup):
    open_env, limited, agent, session = setup
    assert open_env.config.networking.type == "unrestricted"
    assert limited.config.networking.type == "limited" and limited.config.networking.allowed_hosts == ["127.0.0.1"]
    assert agent.version == 1 and agent.model.id == "claude-sonnet-4-6"
    assert session.status == "idle" and session.title == "Conformance" and session.metadata == {"suite": "live_sdk"}
    assert session.agent.id == agent.id and session.environment_id == open_env.id
    assert live_sdk.beta.sessions.retrieve(session.id).id == session.id


def test_a_message_streams_deltas_then_the_final_text_then_idles(live_sdk, setup):
    session = setup[3]
    stream, turn = start_turn(live_sdk, session.id, "hello there")
    stream.close()
    assert turn[0].type == "user.message" and turn[0].content[0].text == "hello there"
    message = final(turn, "agent.message")
    deltas = [e.delta.content.text for e in turn if e.type == "event_delta" and e.event_id == message.id]
    assert deltas and "".join(deltas) == message.content[0].text
    assert "hello there" in message.content[0].text
    start = next(e for e in turn if e.type == "event_start" and e.event.id == message.id)
    assert turn.index(start) < turn.index(message)
    assert turn[-1].type == "session.status_idle" and turn[-1].stop_reason.type == "end_turn"
    assert "span.model_request_start" in types(turn) and "span.model_request_end" in types(turn)


def test_a_bash_command_runs_for_real_and_reports_its_output(live_sdk, setup):
    session = setup[3]
    stream, turn = start_turn(live_sdk, session.id, "!echo conformance-$((6*7))")
    stream.close()
    use, result = final(turn, "agent.tool_use"), final(turn, "agent.tool_result")
    assert use.name == "bash" and use.input["command"] == "echo conformance-$((6*7))"
    assert result.tool_use_id == use.id and result.is_error is False
    assert "conformance-42" in result.content[0].text
    assert "conformance-42" in final(turn, "agent.message").content[0].text
    assert turn[-1].stop_reason.type == "end_turn"
    usage = live_sdk.beta.sessions.retrieve(session.id).usage
    assert usage.output_tokens and usage.input_tokens


def test_history_lists_every_streamed_event_across_pages(live_sdk, setup):
    session = setup[3]
    stream, turn = start_turn(live_sdk, session.id, "!echo paged")
    streamed = [e.id for e in turn if e.type not in ("event_start", "event_delta")]
    stream.close()
    first = live_sdk.beta.sessions.events.list(session.id, limit=3)
    assert len(first.data) == 3 and first.next_page
    assert [e.id for e in live_sdk.beta.sessions.events.list(session.id, limit=3)] == streamed
    only = list(live_sdk.beta.sessions.events.list(session.id, types=["agent.tool_use"]))
    assert [e.type for e in only] == ["agent.tool_use"]
    newest = live_sdk.beta.sessions.events.list(session.id, order="desc", limit=1).data[0]
    assert newest.id == streamed[-1]


def test_sessions_list_paginates_and_filters(live_sdk, setup):
    open_env, _, agent, first = setup
    other_agent = live_sdk.beta.agents.create(name="other", model="claude-haiku-4-5")
    second = live_sdk.beta.sessions.create(agent=agent.id, environment_id=open_env.id, title="Second")
    third = live_sdk.beta.sessions.create(agent=other_agent.id, environment_id=open_env.id)
    page = live_sdk.beta.sessions.list(limit=2)
    assert [s.id for s in page.data] == [third.id, second.id] and page.next_page
    assert [s.id for s in live_sdk.beta.sessions.list(limit=2)] == [third.id, second.id, first.id]
    assert [s.id for s in live_sdk.beta.sessions.list(agent_id=agent.id)] == [second.id, first.id]
    assert [s.id for s in live_sdk.beta.sessions.list(order="asc")] == [first.id, second.id, third.id]
    assert list(live_sdk.beta.sessions.list(statuses=["running"])) == []
    assert len(list(live_sdk.beta.sessions.list(statuses=["idle"]))) == 3


def test_rename_is_kept_and_announced(live_sdk, setup):
    session = setup[3]
    stream = live_sdk.beta.sessions.events.stream(session.id)
    renamed = live_sdk.beta.sessions.update(session.id, title="Renamed", metadata={"suite": None, "new": "yes"})
    assert renamed.title == "Renamed" and renamed.metadata == {"new": "yes"}
    update = next(iter(stream))
    stream.close()
    assert update.type == "session.updated" and update.title == "Renamed"
    assert live_sdk.beta.sessions.retrieve(session.id).title == "Renamed"


@pytest.mark.parametrize("answer", ["allow", "deny"])
def test_always_ask_waits_for_the_user_and_obeys_the_answer(live_sdk, setup, answer):
    open_env = setup[0]
    asking = live_sdk.beta.agents.create(name="careful", model="claude-opus-4-8", tools=[ASK_BASH])
    session = live_sdk.beta.sessions.create(agent=asking.id, environment_id=open_env.id)
    stream, waiting = start_turn(live_sdk, session.id, "!echo approved-run > proof.txt; cat proof.txt")
    use = final(waiting, "agent.tool_use")
    assert use.evaluated_permission == "ask" and use.evaluation.type == "always_ask"
    assert waiting[-1].stop_reason.type == "requires_action" and waiting[-1].stop_reason.event_ids == [use.id]
    assert "agent.tool_result" not in types(waiting)
    confirmation = {"type": "user.tool_confirmation", "tool_use_id": use.id, "result": answer}
    if answer == "deny":
        confirmation["deny_message"] = "not on my machine"
    live_sdk.beta.sessions.events.send(session.id, events=[confirmation])
    rest = until_pause(stream)
    stream.close()
    result = final(rest, "agent.tool_result")
    assert result.tool_use_id == use.id and rest[-1].stop_reason.type == "end_turn"
    if answer == "allow":
        assert result.is_error is False and "approved-run" in result.content[0].text
    else:
        assert result.is_error is True and "not on my machine" in result.content[0].text


def test_a_custom_tool_is_answered_by_the_client(live_sdk, setup):
    session = setup[3]
    stream, waiting = start_turn(live_sdk, session.id, '/custom lookup {"word": "idempotent"}')
    call = final(waiting, "agent.custom_tool_use")
    assert call.name == "lookup" and call.input == {"word": "idempotent"}
    assert waiting[-1].stop_reason.type == "requires_action" and waiting[-1].stop_reason.event_ids == [call.id]
    live_sdk.beta.sessions.events.send(
        session.id,
        events=[
            {
                "type": "user.custom_tool_result",
                "custom_tool_use_id": call.id,
                "content": [{"type": "text", "text": "same result twice"}],
            }
        ],
    )
    rest = until_pause(stream)
    stream.close()
    assert "same result twice" in final(rest, "agent.message").content[0].text
    assert rest[-1].stop_reason.type == "end_turn"


def test_interrupt_stops_a_long_command(live_sdk, setup):
    session = setup[3]
    stream = live_sdk.beta.sessions.events.stream(session.id)
    live_sdk.beta.sessions.events.send(session.id, events=[user("/sleep 60")])
    for event in stream:
        if event.type == "agent.tool_use":
            break
    live_sdk.beta.sessions.events.send(session.id, events=[{"type": "user.interrupt"}])
    rest = until_pause(stream)
    stream.close()
    assert rest[-1].type == "session.status_idle" and rest[-1].stop_reason.type == "end_turn"
    assert "agent.message" not in types(rest)
    assert live_sdk.beta.sessions.retrieve(session.id).status == "idle"


def test_archive_then_delete(live_sdk, setup):
    open_env, _, agent, session = setup
    assert live_sdk.beta.sessions.archive(session.id).archived_at is not None
    assert session.id not in [s.id for s in live_sdk.beta.sessions.list()]
    assert session.id in [s.id for s in live_sdk.beta.sessions.list(include_archived=True)]
    archived = live_sdk.beta.environments.archive(open_env.id)
    assert archived.archived_at is not None
    with pytest.raises(anthropic.BadRequestError) as refused:
        live_sdk.beta.sessions.create(agent=agent.id, environment_id=open_env.id)
    assert "archived" in refused.value.message
    stream = live_sdk.beta.sessions.events.stream(session.id)
    deleted = live_sdk.beta.sessions.delete(session.id)
    assert deleted.id == session.id and deleted.type == "session_deleted"
    assert types(stream) == ["session.deleted"]
    with pytest.raises(anthropic.NotFoundError):
        live_sdk.beta.sessions.retrieve(session.id)


def test_error_envelopes_for_a_missing_session_a_bad_body_and_a_missing_key(live_sdk, setup, live_runtime):
    with pytest.raises(anthropic.NotFoundError) as missing:
        live_sdk.beta.sessions.retrieve("sesn_doesnotexist")
    assert missing.value.request_id and missing.value.request_id.startswith("req_")
    assert missing.value.body["error"]["type"] == "not_found_error"
    with pytest.raises(anthropic.BadRequestError) as bad:
        live_sdk.beta.sessions.create(
            agent=setup[2].id, environment_id=setup[0].id, extra_body={"metadata": "not a map"}
        )
    assert bad.value.body["type"] == "error" and "metadata" in bad.value.message
    with anthropic.Anthropic(api_key="sk-wrong", base_url=live_runtime.base_url, max_retries=0) as stranger:
        with pytest.raises(anthropic.AuthenticationError) as refused:
            _ = stranger.beta.sessions.list().data
    assert refused.value.body["error"]["type"] == "authentication_error"


async def test_the_async_sdk_runs_a_turn_with_tools_and_confirmation(live_runtime):
    async with anthropic.AsyncAnthropic(
        api_key=API_KEY, base_url=live_runtime.base_url, _strict_response_validation=True, timeout=30
    ) as live_sdk:
        env = await live_sdk.beta.environments.create(
            name="async", config={"type": "cloud", "networking": {"type": "unrestricted"}}
        )
        agent = await live_sdk.beta.agents.create(name="async-agent", model="claude-sonnet-4-6", tools=[ASK_BASH])
        session = await live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id, title="async")
        stream = await live_sdk.beta.sessions.events.stream(session.id, event_deltas=DELTAS)
        events = stream.__aiter__()

        async def until_pause() -> list:
            seen = []
            async for event in events:
                seen.append(event)
                if event.type == "session.status_idle":
                    return seen
            raise AssertionError("stream ended")

        await live_sdk.beta.sessions.events.send(session.id, events=[user("/think what is 6*7")])
        thought = await until_pause()
        assert {"event_start", "agent.thinking", "agent.message"} <= set(types(thought))
        await live_sdk.beta.sessions.events.send(session.id, events=[user("!printf async-ok")])
        waiting = await until_pause()
        use = final(waiting, "agent.tool_use")
        await live_sdk.beta.sessions.events.send(
            session.id, events=[{"type": "user.tool_confirmation", "tool_use_id": use.id, "result": "allow"}]
        )
        done = await until_pause()
        await stream.close()
        assert final(done, "agent.tool_result").content[0].text.startswith("async-ok")
        assert done[-1].stop_reason.type == "end_turn"
        history = [e async for e in live_sdk.beta.sessions.events.list(session.id, limit=2)]
        streamed = [e.id for e in thought + waiting + done if e.type not in ("event_start", "event_delta")]
        assert [e.id for e in history] == streamed
        assert json.loads((await live_sdk.beta.sessions.retrieve(session.id)).to_json())["usage"]["output_tokens"] > 0
