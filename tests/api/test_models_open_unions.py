"""Every open union of the read side: a newer variant parses and keeps its raw fields, a malformed
known variant is still an error, and the request models refuse both."""

from __future__ import annotations

import copy
import json
from typing import Any

import pydantic
import pytest

from app.api.models import (
    Agent,
    AgentCreateParams,
    AgentToolUseEvent,
    AutoEvaluation,
    AwsRoleIdentity,
    CoordinatorMultiagent,
    Environment,
    EnvironmentCreateParams,
    EnvironmentUpdateParams,
    ImageBlock,
    SendEventsParams,
    Session,
    SessionCreateParams,
    SessionThread,
    SessionUpdateParams,
    UnknownBlock,
    UnknownBudget,
    UnknownEnvironmentConfig,
    UnknownEvaluation,
    UnknownExecutionIdentity,
    UnknownMcpServer,
    UnknownMultiagent,
    UnknownNetwork,
    UnknownPolicy,
    UnknownResource,
    UnknownSessionAgent,
    UnknownSkill,
    UnknownThreadAgent,
    UnknownTool,
    UserToolConfirmationEvent,
    parse_event,
    parse_event_json,
)
from tests.conftest import load_example
from tests.event_samples import OUTPUT_EVENTS

THREAD = {
    "type": "session_thread",
    "id": "sthr_1",
    "session_id": "sesn_1",
    "parent_thread_id": "sthr_0",
    "agent": {"type": "advisor", "model": "claude-opus-4-8"},
    "status": "idle",
    "created_at": "2026-05-02T09:20:11.204Z",
    "updated_at": "2026-05-02T09:21:49.904Z",
}
IMAGE = {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}
SEARCH_RESULT = {
    "type": "search_result",
    "source": "https://example.com",
    "title": "Example",
    "content": [{"type": "text", "text": "An example."}],
    "citations": {"enabled": True},
}


def parse_environment(raw: dict[str, Any]) -> Any:
    return Environment.model_validate_json(json.dumps(raw))


def parse_agent(raw: dict[str, Any]) -> Any:
    return Agent.model_validate_json(json.dumps(raw))


def parse_session(raw: dict[str, Any]) -> Any:
    return Session.model_validate_json(json.dumps(raw))


def parse_thread(raw: dict[str, Any]) -> Any:
    return SessionThread.model_validate_json(json.dumps(raw))


def parse(raw: dict[str, Any]) -> Any:
    return parse_event_json(json.dumps(raw))


def tool_result(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {**OUTPUT_EVENTS["agent.tool_result"], "content": list(blocks)}


# (name, parse, base object, path to the variant, a newer variant, a malformed known one or None
# when every known variant is a bare tag, the fallback class)
CASES = [
    (
        "environment config",
        parse_environment,
        load_example("environment.json"),
        ("config",),
        {"type": "warp", "region": "moon"},
        {"type": "cloud", "packages": "pip"},
        UnknownEnvironmentConfig,
    ),
    (
        "networking",
        parse_environment,
        load_example("environment.json"),
        ("config", "networking"),
        {"type": "mesh", "peers": ["a"]},
        {"type": "limited", "allowed_hosts": "api.github.com"},
        UnknownNetwork,
    ),
    (
        "permission policy",
        parse_agent,
        load_example("agent.json"),
        ("tools", 0, "default_config", "permission_policy"),
        {"type": "ask_twice", "cooldown": 3},
        None,
        UnknownPolicy,
    ),
    (
        "tool config policy",
        parse_agent,
        load_example("agent.json"),
        ("tools", 1, "configs", 0, "permission_policy"),
        {"type": "ask_twice"},
        None,
        UnknownPolicy,
    ),
    (
        "toolset",
        parse_agent,
        load_example("agent.json"),
        ("tools", 0),
        {"type": "browser_toolset_20260801", "configs": []},
        {"type": "custom", "name": "x"},
        UnknownTool,
    ),
    (
        "mcp server",
        parse_agent,
        load_example("agent.json"),
        ("mcp_servers", 0),
        {"type": "stdio", "name": "linear", "command": "npx"},
        {"type": "url", "name": "linear"},
        UnknownMcpServer,
    ),
    (
        "skill",
        parse_agent,
        load_example("agent.json"),
        ("skills", 0),
        {"type": "community", "skill_id": "x", "author": "y"},
        {"type": "anthropic"},
        UnknownSkill,
    ),
    (
        "execution identity",
        parse_agent,
        load_example("agent.json"),
        ("execution_identity",),
        {"type": "gcp_service_account", "email": "a@b.c"},
        {"type": "aws_role", "role_arn": 7},
        UnknownExecutionIdentity,
    ),
    (
        "multiagent",
        parse_agent,
        load_example("agent.json"),
        ("multiagent",),
        {"type": "swarm", "size": 4},
        {"type": "coordinator", "agents": "agent_2"},
        UnknownMultiagent,
    ),
    (
        "session agent",
        parse_session,
        load_example("session.json"),
        ("agent",),
        {"type": "deployment", "id": "dep_1", "name": "nightly"},
        {"type": "agent", "id": "agent_1"},
        UnknownSessionAgent,
    ),
    (
        "session agent tool",
        parse_session,
        load_example("session.json"),
        ("agent", "tools", 0),
        {"type": "browser_toolset_20260801"},
        {"type": "mcp_toolset"},
        UnknownTool,
    ),
    (
        "budget",
        parse_session,
        load_example("session.json"),
        ("budget",),
        {"type": "token_limit", "max_tokens": 100},
        {"type": "limit"},
        UnknownBudget,
    ),
    (
        "resource",
        parse_session,
        load_example("session.json"),
        ("resources", 0),
        {"type": "s3_bucket", "bucket": "b"},
        {"type": "file", "id": "sesrsc_1"},
        UnknownResource,
    ),
    (
        "thread agent",
        parse_thread,
        THREAD,
        ("agent",),
        {"type": "remote", "endpoint": "https://example.com"},
        {"type": "advisor"},
        UnknownThreadAgent,
    ),
    (
        "delta content",
        parse,
        OUTPUT_EVENTS["event_delta"],
        ("delta", "content"),
        {"type": "citation_delta", "cited": "x"},
        {"type": "text"},
        UnknownBlock,
    ),
    (
        "search result content",
        parse,
        tool_result(SEARCH_RESULT),
        ("content", 0, "content", 0),
        {"type": "hologram", "x": 1},
        {"type": "text"},
        UnknownBlock,
    ),
    (
        "system message content",
        parse,
        OUTPUT_EVENTS["system.message"],
        ("content", 0),
        {"type": "hologram", "x": 1},
        {"type": "image"},
        UnknownBlock,
    ),
    (
        "tool result content",
        parse,
        OUTPUT_EVENTS["agent.tool_result"],
        ("content", 0),
        {"type": "hologram", "x": 1},
        {"type": "document", "title": "t"},
        UnknownBlock,
    ),
    (
        "tool evaluation",
        parse,
        OUTPUT_EVENTS["agent.tool_use"],
        ("evaluation",),
        {"type": "org_policy", "policy_id": "p"},
        {"type": "auto", "evaluated_permission": "allow"},
        UnknownEvaluation,
    ),
    (
        "updated budget",
        parse,
        OUTPUT_EVENTS["session.updated"],
        ("budget",),
        {"type": "token_limit", "max_tokens": 100},
        {"type": "limit"},
        UnknownBudget,
    ),
    (
        "updated agent",
        parse,
        OUTPUT_EVENTS["session.updated"],
        ("agent",),
        {"type": "deployment", "id": "dep_1"},
        {"type": "agent"},
        UnknownSessionAgent,
    ),
]
IDS = [case[0] for case in CASES]
#: The cases with a known variant that can be malformed (not a bare tag).
MALFORMED = [case for case in CASES if case[5] is not None]


def with_value(base: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with ``value`` at ``path``."""
    raw = copy.deepcopy(base)
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return raw


def at(obj: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        obj = obj[key] if isinstance(key, int) else getattr(obj, key)
    return obj


FIELDS = ("name", "parse", "base", "path", "newer", "malformed", "fallback")


@pytest.mark.parametrize(FIELDS, CASES, ids=IDS)
def test_a_newer_variant_parses_into_the_fallback_keeping_its_fields(
    name, parse, base, path, newer, malformed, fallback
):
    raw = with_value(base, path, newer)
    obj = parse(raw)
    variant = at(obj, path)
    assert isinstance(variant, fallback)
    assert variant.type == newer["type"]
    assert variant.to_wire() == newer
    assert obj.to_wire() == raw


@pytest.mark.parametrize(FIELDS, MALFORMED, ids=[case[0] for case in MALFORMED])
def test_a_malformed_known_variant_is_still_an_error(name, parse, base, path, newer, malformed, fallback):
    with pytest.raises(pydantic.ValidationError):
        parse(with_value(base, path, malformed))


@pytest.mark.parametrize(FIELDS, CASES, ids=IDS)
def test_the_fallback_refuses_a_known_tag(name, parse, base, path, newer, malformed, fallback):
    tag = malformed["type"] if malformed else at(parse(base), path).type
    with pytest.raises(pydantic.ValidationError):
        fallback.model_validate({"type": tag})


def test_an_image_in_a_system_message_parses_as_an_image() -> None:
    event = parse_event({**OUTPUT_EVENTS["system.message"], "content": [IMAGE, {"type": "text", "text": "hi"}]})
    assert isinstance(event.content[0], ImageBlock)
    assert event.text == "hi"


def test_a_tool_use_whose_auto_evaluation_lacks_its_decision_is_still_the_tool_use() -> None:
    event = parse_event({**OUTPUT_EVENTS["agent.tool_use"], "evaluation": {"type": "auto"}})
    assert isinstance(event, AgentToolUseEvent) and event.name == OUTPUT_EVENTS["agent.tool_use"]["name"]
    assert isinstance(event.evaluation, AutoEvaluation) and event.evaluation.evaluated_permission is None


def test_an_agent_whose_identity_or_coordinator_lacks_its_details_still_reads() -> None:
    raw = {
        **load_example("agent.json"),
        "execution_identity": {"type": "aws_role"},
        "multiagent": {"type": "coordinator"},
    }
    agent = parse_agent(raw)
    assert isinstance(agent.execution_identity, AwsRoleIdentity) and agent.execution_identity.role_arn is None
    assert isinstance(agent.multiagent, CoordinatorMultiagent) and agent.multiagent.agents is None
    assert agent.to_wire() == raw


def test_a_newer_confirmation_result_parses_on_the_echo() -> None:
    event = parse_event({**OUTPUT_EVENTS["user.tool_confirmation"], "result": "allow_always"})
    assert isinstance(event, UserToolConfirmationEvent) and event.result == "allow_always"


# ----------------------------------------------------------------------------- requests stay strict

AGENT_BODY = {"name": "helper", "model": "claude-sonnet-4-6"}
TOOLSET = {"type": "agent_toolset_20260401"}
YOLO = {"permission_policy": {"type": "yolo"}}
REDACTED = {"type": "redacted"}
IMAGE_RESULT = {**SEARCH_RESULT, "content": [IMAGE]}


def cloud(networking: dict[str, Any]) -> dict[str, Any]:
    return {"type": "cloud", "networking": networking}


def events(*bodies: dict[str, Any]) -> dict[str, Any]:
    return {"events": list(bodies)}


REFUSED = [
    (EnvironmentCreateParams, {"name": "x", "config": {"type": "warp"}}),
    (EnvironmentCreateParams, {"name": "x", "config": cloud({"type": "mesh"})}),
    (EnvironmentCreateParams, {"name": "x", "config": cloud({"type": "limited", "allowed_hosts": "h"})}),
    (EnvironmentUpdateParams, {"config": cloud({"type": "mesh"})}),
    (AgentCreateParams, {**AGENT_BODY, "tools": [{"type": "browser_toolset_20260801"}]}),
    (AgentCreateParams, {**AGENT_BODY, "tools": [{**TOOLSET, "default_config": YOLO}]}),
    (AgentCreateParams, {**AGENT_BODY, "tools": [{**TOOLSET, "configs": [{"name": "bash", **YOLO}]}]}),
    (AgentCreateParams, {**AGENT_BODY, "mcp_servers": [{"type": "stdio", "name": "a", "url": "u"}]}),
    (AgentCreateParams, {**AGENT_BODY, "skills": [{"type": "community", "skill_id": "x"}]}),
    (AgentCreateParams, {**AGENT_BODY, "execution_identity": {"type": "gcp_service_account"}}),
    (AgentCreateParams, {**AGENT_BODY, "execution_identity": {"type": "aws_role"}}),
    (AgentCreateParams, {**AGENT_BODY, "multiagent": {"type": "swarm"}}),
    (AgentCreateParams, {**AGENT_BODY, "multiagent": {"type": "coordinator"}}),
    (SessionCreateParams, {"agent": {"type": "deployment", "id": "dep_1"}, "environment_id": "env_1"}),
    (
        SessionCreateParams,
        {
            "agent": {"type": "agent_with_overrides", "id": "a", "tools": [TOOLSET, {"type": "x"}]},
            "environment_id": "e",
        },
    ),
    (SessionCreateParams, {"agent": "agent_1", "environment_id": "env_1", "budget": {"type": "token_limit"}}),
    (SessionCreateParams, {"agent": "agent_1", "environment_id": "env_1", "resources": [{"type": "s3_bucket"}]}),
    (SessionUpdateParams, {"agent": {"tools": [{"type": "browser_toolset_20260801"}]}}),
    (SendEventsParams, events({"type": "user.message", "content": [{"type": "hologram"}]})),
    (SendEventsParams, events({"type": "user.message", "content": [SEARCH_RESULT]})),
    (SendEventsParams, events({"type": "user.custom_tool_result", "custom_tool_use_id": "s", "content": [REDACTED]})),
    (SendEventsParams, events({"type": "user.tool_result", "tool_use_id": "s", "content": [IMAGE_RESULT]})),
    (SendEventsParams, events({"type": "system.message", "content": [IMAGE]})),
    (SendEventsParams, events({"type": "user.tool_confirmation", "tool_use_id": "s", "result": "allow_always"})),
]


@pytest.mark.parametrize(("model", "body"), REFUSED, ids=lambda v: v.__name__ if isinstance(v, type) else "")
def test_request_models_refuse_unknown_and_malformed_variants(model: type[pydantic.BaseModel], body: dict) -> None:
    with pytest.raises(pydantic.ValidationError):
        model.model_validate(body)


def test_request_models_accept_every_known_variant() -> None:
    agent = {
        **AGENT_BODY,
        "tools": [
            {
                **TOOLSET,
                "default_config": {"permission_policy": {"type": "auto"}},
                "configs": [{"name": "bash", "permission_policy": {"type": "always_ask"}}],
            },
            {"type": "mcp_toolset", "mcp_server_name": "linear", "configs": [{"name": "list", "enabled": False}]},
            {"type": "custom", "name": "open", "description": "Open a file", "input_schema": {"type": "object"}},
        ],
        "mcp_servers": [{"type": "url", "name": "linear", "url": "https://mcp.linear.app/sse"}],
        "skills": [
            {"type": "anthropic", "skill_id": "xlsx"},
            {"type": "custom", "skill_id": "skill_1", "version": "2"},
        ],
        "execution_identity": {"type": "aws_role", "role_arn": "arn:aws:iam::1:role/r"},
        "multiagent": {"type": "coordinator", "agents": ["agent_2", {"type": "self"}]},
    }
    assert AgentCreateParams.model_validate(agent).to_wire() == agent
    env = {"name": "x", "config": {"type": "cloud", "networking": {"type": "limited", "allowed_hosts": ["h"]}}}
    assert EnvironmentCreateParams.model_validate(env).to_wire() == env
    session = {
        "agent": {"type": "agent_with_overrides", "id": "agent_1", "tools": agent["tools"][:1]},
        "environment_id": "env_1",
        "budget": {"type": "limit", "max_list_cost": {"amount": "500", "currency": "USD"}},
    }
    assert SessionCreateParams.model_validate(session).to_wire() == session
    result = events({"type": "user.tool_result", "tool_use_id": "s", "content": [SEARCH_RESULT, IMAGE]})
    assert SendEventsParams.model_validate(result).to_wire() == result
