"""Wire models: the protocol examples round-trip, and every event agrees with the SDK's strict models."""

from __future__ import annotations

import json
import typing
from typing import Any

import pydantic
import pytest
from anthropic._models import validate_type
from anthropic.types.beta import (
    agent_create_params,
    agent_update_params,
    environment_create_params,
    environment_update_params,
    session_create_params,
    session_update_params,
)
from anthropic.types.beta.sessions.beta_managed_agents_event_params import BetaManagedAgentsEventParams
from anthropic.types.beta.sessions.beta_managed_agents_session_event import BetaManagedAgentsSessionEvent
from anthropic.types.beta.sessions.beta_managed_agents_stream_session_events import (
    BetaManagedAgentsStreamSessionEvents,
)

from app.api.models import (
    EVENT_CLASSES,
    KNOWN_EVENT_TYPES,
    Agent,
    AgentCreateParams,
    AgentMessageEvent,
    AgentToolUseEvent,
    AgentUpdateParams,
    DeletedObject,
    Environment,
    EnvironmentCreateParams,
    EnvironmentUpdateParams,
    ErrorEnvelope,
    EventDeltaEvent,
    EventStartEvent,
    GitHubRepositoryResource,
    GitHubRepositoryResourceParams,
    InputEvent,
    Page,
    SendEventsParams,
    Session,
    SessionCreateParams,
    SessionErrorEvent,
    SessionEvent,
    SessionStatusIdleEvent,
    SessionThread,
    SessionUpdateParams,
    TextBlock,
    UnknownBlock,
    UnknownEvent,
    UserCustomToolResultEvent,
    UserCustomToolResultParams,
    UserMessageEvent,
    UserMessageParams,
    UserToolConfirmationEvent,
    UserToolConfirmationParams,
    UserToolResultEvent,
    UserToolResultParams,
    event_adapter,
    parse_event,
    parse_event_json,
)
from tests.conftest import EXAMPLES, load_example
from tests.event_samples import EVENT_VARIANTS, INPUT_EVENTS, OUTPUT_EVENTS

SDK_STREAM_EVENT = BetaManagedAgentsStreamSessionEvents
SDK_INPUT_EVENT = BetaManagedAgentsEventParams
INPUT_ADAPTER = pydantic.TypeAdapter(InputEvent)


def sdk_tags(union: Any) -> set[str]:
    """The ``type`` literals of the members of one of the SDK's unions."""
    if typing.get_origin(union) is typing.Annotated:
        union = typing.get_args(union)[0]
    return {tag for member in typing.get_args(union) for tag in sdk_member_tags(member)}


def sdk_member_tags(member: Any) -> tuple[str, ...]:
    """The ``type`` literals of one of the SDK's models or request params."""
    if isinstance(member, type) and issubclass(member, pydantic.BaseModel):
        annotation = member.model_fields["type"].annotation
    else:  # a TypedDict of request params
        annotation = typing.get_type_hints(member, include_extras=True)["type"]
    while typing.get_origin(annotation) is not typing.Literal:  # Required[Literal[...]] in TypedDicts
        annotation = typing.get_args(annotation)[0]
    return typing.get_args(annotation)


def sse_frames() -> list[tuple[str, str]]:
    """``(event name, data)`` of every frame of the example stream."""
    frames = []
    for block in (EXAMPLES / "turn_stream.sse").read_text().split("\n\n"):
        lines = block.strip().splitlines()
        if not lines:
            continue
        name = next(line[len("event:") :].strip() for line in lines if line.startswith("event:"))
        data = "\n".join(line[len("data:") :].lstrip() for line in lines if line.startswith("data:"))
        frames.append((name, data))
    return frames


def request_bodies() -> dict[str, Any]:
    return {f"{r['method']} {r['path']}": r for r in load_example("requests.json")}


# ----------------------------------------------------------------------------- example files


@pytest.mark.parametrize(
    ("name", "model"),
    [("environment.json", Environment), ("agent.json", Agent), ("session.json", Session)],
)
def test_example_objects_round_trip(name: str, model: type[pydantic.BaseModel]) -> None:
    raw = load_example(name)
    obj = model.model_validate(raw)
    assert obj.to_wire() == raw
    assert model.model_validate_json(json.dumps(raw)).to_wire() == raw


def test_example_objects_expose_typed_fields() -> None:
    env = Environment.model_validate(load_example("environment.json"))
    assert env.config.type == "cloud"
    assert env.config.networking.allowed_hosts == ["api.github.com", "codeload.github.com"]
    assert env.config.packages.pip == ["rich==13.9.4", "pytest"]

    agent = Agent.model_validate(load_example("agent.json"))
    assert agent.model.id == "claude-sonnet-4-6"
    assert [tool.type for tool in agent.tools] == ["agent_toolset_20260401", "mcp_toolset", "custom"]

    session = Session.model_validate(load_example("session.json"))
    assert session.status == "idle"
    assert session.agent.version == 3
    assert isinstance(session.resources[0], GitHubRepositoryResource)
    assert session.resources[0].checkout.name == "main"
    assert session.budget.max_list_cost.amount == "500"
    assert session.usage.cache_creation.ephemeral_5m_input_tokens == 4522


def test_events_page_parses_each_event_into_its_class() -> None:
    raw = load_example("events_page.json")
    page = Page[SessionEvent].model_validate_json(json.dumps(raw))
    assert page.to_wire() == raw
    assert page.next_page == raw["next_page"]
    assert [type(e) for e in page.data] == [EVENT_CLASSES[e["type"]] for e in raw["data"]]
    assert not any(isinstance(e, UnknownEvent) for e in page.data)


def test_stream_frames_parse_into_their_class_and_round_trip() -> None:
    frames = [(name, data) for name, data in sse_frames() if name != "ping"]
    assert len(frames) > 10
    for name, data in frames:
        event = parse_event_json(data)
        assert type(event) is EVENT_CLASSES[name]
        assert event.to_wire() == json.loads(data)


def test_stream_example_deltas_rebuild_the_final_message() -> None:
    events = [parse_event_json(data) for name, data in sse_frames() if name != "ping"]
    start = next(e for e in events if isinstance(e, EventStartEvent) and e.event.type == "agent.message")
    deltas = [e for e in events if isinstance(e, EventDeltaEvent) and e.event_id == start.event.id]
    preview = "".join(e.delta.content.text for e in deltas)
    final = next(e for e in events if isinstance(e, AgentMessageEvent))
    assert final.id == start.event.id
    assert final.text == preview


def test_example_request_bodies_validate_and_round_trip() -> None:
    bodies = request_bodies()
    cases = [
        ("POST /v1/environments", EnvironmentCreateParams),
        ("POST /v1/agents", AgentCreateParams),
        ("POST /v1/sessions", SessionCreateParams),
    ]
    for key, model in cases:
        body = bodies[key]["body"]
        assert model.model_validate(body).to_wire() == body
    sends = [r["body"] for r in load_example("requests.json") if r["method"] == "POST" and "/events" in r["path"]]
    assert len(sends) == 3
    for body in sends:
        assert SendEventsParams.model_validate(body).to_wire() == body


def test_example_replies_validate_and_round_trip() -> None:
    replies = [r["response"] for r in load_example("requests.json") if isinstance(r.get("response"), dict)]
    echo = next(r for r in replies if "data" in r)
    page = Page[SessionEvent].model_validate(echo)
    assert isinstance(page.data[0], UserMessageEvent) and page.data[0].processed_at is None
    assert page.to_wire() == echo

    error = next(r for r in replies if r.get("type") == "error")
    envelope = ErrorEnvelope.model_validate(error)
    assert envelope.error_code == "environment_not_found"
    assert envelope.to_wire() == error


# ----------------------------------------------------------------------------- every event vs the SDK


def test_samples_cover_every_event_type_of_the_sdk() -> None:
    assert set(OUTPUT_EVENTS) == sdk_tags(SDK_STREAM_EVENT)
    assert sdk_tags(BetaManagedAgentsSessionEvent) <= set(OUTPUT_EVENTS)
    assert KNOWN_EVENT_TYPES == set(OUTPUT_EVENTS)
    assert set(INPUT_EVENTS) == sdk_tags(SDK_INPUT_EVENT)


@pytest.mark.parametrize("payload", [*OUTPUT_EVENTS.values(), *EVENT_VARIANTS], ids=lambda p: p["type"])
def test_output_event_accepted_by_us_and_by_the_sdk(payload: dict[str, Any]) -> None:
    ours = parse_event(payload)
    assert type(ours) is EVENT_CLASSES[payload["type"]]
    assert ours.to_wire() == payload
    assert parse_event_json(json.dumps(payload)).to_wire() == payload

    theirs = validate_type(type_=SDK_STREAM_EVENT, value=payload)
    assert theirs.type == payload["type"]


@pytest.mark.parametrize("payload", INPUT_EVENTS.values(), ids=lambda p: p["type"])
def test_input_event_accepted_by_us_and_by_the_sdk(payload: dict[str, Any]) -> None:
    params = INPUT_ADAPTER.validate_python(payload)
    event_class = EVENT_CLASSES[payload["type"]]
    assert type(params).__name__ == event_class.__name__.removesuffix("Event") + "Params"
    assert params.to_wire() == payload
    assert pydantic.TypeAdapter(SDK_INPUT_EVENT).validate_python(payload)["type"] == payload["type"]
    # The server's echo adds an id (and an outcome_id to outcomes); processed_at is null while queued.
    echo = {**payload, "id": "sevt_011CaRS099xYz", "processed_at": None}
    if payload["type"] == "user.define_outcome":
        echo["outcome_id"] = "outc_011CaRE7hJ8kL9mN0pQ1rS2t"
    assert type(parse_event(echo)) is event_class
    assert parse_event(echo).to_wire() == echo


#: Request options of the SDK that travel as headers, not in the body.
SDK_HEADER_OPTIONS = {"betas", "workspace_id"}
#: Our params class and the SDK's params of each input event.
INPUT_PARAMS = [
    (type(INPUT_ADAPTER.validate_python(INPUT_EVENTS[sdk_member_tags(sdk)[0]])), sdk)
    for sdk in typing.get_args(SDK_INPUT_EVENT)
]


@pytest.mark.parametrize(
    ("ours", "sdk"),
    [
        *INPUT_PARAMS,
        (EnvironmentCreateParams, environment_create_params.EnvironmentCreateParams),
        (EnvironmentUpdateParams, environment_update_params.EnvironmentUpdateParams),
        (AgentCreateParams, agent_create_params.AgentCreateParams),
        (AgentUpdateParams, agent_update_params.AgentUpdateParams),
        (SessionCreateParams, session_create_params.SessionCreateParams),
        (SessionUpdateParams, session_update_params.SessionUpdateParams),
    ],
    ids=lambda model: model.__name__,
)
def test_request_models_have_only_documented_fields(ours: type[pydantic.BaseModel], sdk: Any) -> None:
    assert set(ours.model_fields) <= set(sdk.__annotations__) - SDK_HEADER_OPTIONS


def test_the_thread_of_an_answer_is_read_on_echoes_and_never_sent() -> None:
    for params, event in [
        (UserToolConfirmationParams, UserToolConfirmationEvent),
        (UserCustomToolResultParams, UserCustomToolResultEvent),
        (UserToolResultParams, UserToolResultEvent),
    ]:
        assert "session_thread_id" not in params.model_fields
        assert "session_thread_id" in event.model_fields


def _sdk_accepts(payload: dict[str, Any]) -> bool:
    try:
        validate_type(type_=SDK_STREAM_EVENT, value=payload)
    except pydantic.ValidationError:
        return False
    return True


def _we_accept(payload: dict[str, Any]) -> bool:
    try:
        parse_event(payload)
    except pydantic.ValidationError:
        return False
    return True


#: Where we are deliberately more lenient than the SDK: a queued ``user.define_outcome`` echo
#: has no ``processed_at`` yet, like every other input echo (reference §5.1).
LENIENT = {("user.define_outcome", "processed_at")}


@pytest.mark.parametrize("payload", OUTPUT_EVENTS.values(), ids=lambda p: p["type"])
def test_a_missing_field_is_rejected_exactly_when_the_sdk_rejects_it(payload: dict[str, Any]) -> None:
    for field in payload:
        if field == "type":
            continue
        cut = {k: v for k, v in payload.items() if k != field}
        sdk = _sdk_accepts(cut)
        if (payload["type"], field) in LENIENT:
            assert not sdk and _we_accept(cut)
        else:
            assert _we_accept(cut) == sdk, f"{payload['type']} without {field}: SDK accepts={sdk}"


def test_required_fields_are_enforced() -> None:
    rejected = [
        ("agent.message", "content"),
        ("agent.message", "processed_at"),
        ("session.status_idle", "stop_reason"),
        ("span.model_request_end", "model_usage"),
        ("event_delta", "event_id"),
        ("session.error", "error"),
    ]
    for type_, field in rejected:
        cut = {k: v for k, v in OUTPUT_EVENTS[type_].items() if k != field}
        with pytest.raises(pydantic.ValidationError):
            parse_event(cut)
        with pytest.raises(pydantic.ValidationError):
            parse_event_json(json.dumps(cut))
        assert not _sdk_accepts(cut)
    without_result = {k: v for k, v in INPUT_EVENTS["user.tool_confirmation"].items() if k != "result"}
    with pytest.raises(pydantic.ValidationError):
        INPUT_ADAPTER.validate_python(without_result)
    with pytest.raises(pydantic.ValidationError):
        pydantic.TypeAdapter(SDK_INPUT_EVENT).validate_python(without_result)


def test_a_known_type_with_a_bad_body_is_an_error_not_an_unknown_event() -> None:
    with pytest.raises(pydantic.ValidationError):
        parse_event({"type": "agent.message", "id": "sevt_1", "processed_at": "2026-05-02T09:21:40Z", "content": "hi"})
    with pytest.raises(pydantic.ValidationError):
        parse_event_json(b'{"type":"agent.tool_use","id":"sevt_1","processed_at":"2026-05-02T09:21:40Z"}')


# ----------------------------------------------------------------------------- open sets


def test_unknown_event_type_keeps_every_field_and_round_trips() -> None:
    raw = {
        "type": "agent.hologram",
        "id": "sevt_011CaRS100xYz",
        "processed_at": "2026-05-02T09:30:00.000Z",
        "projection": {"shape": "cube", "sides": 6},
        "session_thread_id": "sthr_1",
    }
    for event in (parse_event(raw), parse_event(json.dumps(raw)), parse_event_json(json.dumps(raw).encode())):
        assert isinstance(event, UnknownEvent)
        assert event.type == "agent.hologram"
        assert event.id == "sevt_011CaRS100xYz"
        assert event.projection == {"shape": "cube", "sides": 6}
        assert event.to_wire() == raw
    assert "agent.hologram" not in KNOWN_EVENT_TYPES


def test_new_values_inside_known_events_still_parse() -> None:
    idle = parse_event({**OUTPUT_EVENTS["session.status_idle"], "stop_reason": {"type": "nap_time", "minutes": 5}})
    assert isinstance(idle, SessionStatusIdleEvent)
    assert idle.stop_reason_type == "nap_time"
    assert idle.stop_reason.minutes == 5

    error = parse_event(
        {
            **OUTPUT_EVENTS["session.error"],
            "error": {"type": "quantum_error", "message": "Decohered", "retry_status": {"type": "later"}, "qubits": 3},
        }
    )
    assert isinstance(error, SessionErrorEvent)
    assert (error.error.type, error.error.retry_status.type, error.error.qubits) == ("quantum_error", "later", 3)

    content = [{"type": "hologram", "x": 1}, {"type": "text", "text": "ok"}]
    message = parse_event({**OUTPUT_EVENTS["agent.message"], "content": content})
    assert isinstance(message.content[0], UnknownBlock)
    assert message.text == "ok"
    assert message.to_wire()["content"][0] == {"type": "hologram", "x": 1}


# ----------------------------------------------------------------------------- conveniences


def test_text_joins_the_text_blocks_only() -> None:
    with_redacted = next(e for e in EVENT_VARIANTS if e["type"] == "agent.message")
    assert parse_event(with_redacted).text == "Part one. "
    assert parse_event(OUTPUT_EVENTS["user.message"]).text == "How many Python files are there?"
    assert parse_event(OUTPUT_EVENTS["agent.tool_result"]).text == "14\n"
    assert parse_event(OUTPUT_EVENTS["system.message"]).text.startswith("The user is on a phone")
    assert parse_event(OUTPUT_EVENTS["agent.thread_message_received"]).text == "Looks good."
    assert parse_event({**OUTPUT_EVENTS["agent.mcp_tool_result"], "content": None}).text == ""


def test_idle_event_tells_whether_the_turn_is_over() -> None:
    end = parse_event(OUTPUT_EVENTS["session.status_idle"])
    assert (end.stop_reason_type, end.ends_turn) == ("end_turn", True)
    waiting = next(parse_event(e) for e in EVENT_VARIANTS if e.get("stop_reason", {}).get("type") == "requires_action")
    assert waiting.stop_reason_type == "requires_action"
    assert waiting.ends_turn is False
    assert waiting.stop_reason.event_ids


def test_stream_only_events_have_no_id() -> None:
    start = parse_event(OUTPUT_EVENTS["event_start"])
    assert (start.event.type, start.event.id) == ("agent.message", "sevt_011CaRS008xYz")
    delta = parse_event(OUTPUT_EVENTS["event_delta"])
    assert (delta.event_id, delta.delta.index, delta.delta.content.text) == ("sevt_011CaRS008xYz", 0, "There are ")
    assert not hasattr(delta, "processed_at")


def test_persisted_events_expose_id_and_processed_at() -> None:
    for payload in OUTPUT_EVENTS.values():
        event = parse_event(payload)
        if payload["type"] in ("event_start", "event_delta"):
            continue
        assert event.id == payload["id"]
        assert event.processed_at == payload["processed_at"]


def test_tool_use_evaluation_is_typed() -> None:
    auto = next(parse_event(e) for e in EVENT_VARIANTS if e.get("evaluation", {}).get("type") == "auto")
    assert isinstance(auto, AgentToolUseEvent)
    assert auto.evaluation.evaluated_permission.reason_code == "high_risk"
    assert auto.session_thread_id is not None


def test_request_models_emit_only_what_was_set() -> None:
    message = UserMessageParams(content=[TextBlock(text="hi")])
    assert message.to_wire() == {"type": "user.message", "content": [{"type": "text", "text": "hi"}]}
    assert UserToolConfirmationParams(tool_use_id="sevt_1", result="allow").to_wire() == {
        "type": "user.tool_confirmation",
        "tool_use_id": "sevt_1",
        "result": "allow",
    }
    assert EnvironmentUpdateParams(description=None).to_wire() == {"description": None}
    patch = {"old": None, "new": "1"}
    assert EnvironmentUpdateParams(metadata=patch).to_wire() == {"metadata": patch}
    body = SessionCreateParams(agent="agent_1", environment_id="env_1", initial_events=[message]).to_wire()
    assert body == {
        "agent": "agent_1",
        "environment_id": "env_1",
        "initial_events": [{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}],
    }


def test_repository_token_stays_out_of_reprs() -> None:
    params = GitHubRepositoryResourceParams(url="https://github.com/o/r", authorization_token="ghp_secret123")
    assert "ghp_secret123" not in repr(params)
    assert "ghp_secret123" not in str(params)
    assert params.to_wire()["authorization_token"] == "ghp_secret123"


def test_thread_and_deleted_object_parse() -> None:
    raw = {
        "type": "session_thread",
        "id": "sthr_011CaRC4kLmN5pQ6rS7tU8vW",
        "session_id": "sesn_011CaR7Q9wErT5yU3iOpA6sD",
        "parent_thread_id": "sthr_011CaR7Q9xFgH6jK4lZcV7bN",
        "agent": {"type": "advisor", "model": "claude-opus-4-8"},
        "status": "running",
        "stats": {"active_seconds": 1.5, "duration_seconds": 2.0, "startup_seconds": 0.4},
        "usage": None,
        "workflow_run_id": None,
        "created_at": "2026-05-02T09:22:00.000Z",
        "updated_at": "2026-05-02T09:22:01.000Z",
        "archived_at": None,
    }
    thread = SessionThread.model_validate(raw)
    assert (thread.agent.type, thread.agent.model, thread.stats.startup_seconds) == ("advisor", "claude-opus-4-8", 0.4)
    assert thread.to_wire() == raw
    deleted = DeletedObject.model_validate({"id": "sesn_1", "type": "session_deleted"})
    assert deleted.to_wire() == {"id": "sesn_1", "type": "session_deleted"}


def test_event_adapter_parses_bytes_and_text_alike() -> None:
    raw = json.dumps(OUTPUT_EVENTS["agent.message"])
    assert event_adapter().validate_json(raw.encode()) == parse_event(raw) == parse_event(raw.encode())


def test_a_session_names_its_agent_and_model_whatever_kind_of_agent_it_has() -> None:
    session = Session.model_validate(load_example("session.json"))
    assert (session.agent_name, session.model_id) == (session.agent.name, session.agent.model.id)
    newer = Session.model_validate({**load_example("session.json"), "agent": {"type": "swarm", "model": "m-1"}})
    assert (newer.agent_name, newer.model_id) == ("swarm", None), "a newer agent kind still lists"
    named = Session.model_validate({**load_example("session.json"), "agent": {"type": "swarm", "name": "bees"}})
    assert named.agent_name == "bees"


def test_every_known_event_class_is_a_public_name_of_the_models_package() -> None:
    import app.api.models as models

    names = [cls.__name__ for cls in models.KNOWN_EVENTS]
    assert set(names) <= set(models.__all__)
    assert all(getattr(models, name) is cls for name, cls in zip(names, models.KNOWN_EVENTS, strict=True))
