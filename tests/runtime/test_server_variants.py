"""Request bodies with a variant the runtime does not know, or a malformed known one: a 400 naming it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.runtime.test_server_errors import KEY, assert_envelope

TOOLSET = {"type": "agent_toolset_20260401"}


def post(served, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(served.base_url + path, json=body, headers=KEY, timeout=10)


def refused(response: httpx.Response, *named: str) -> None:
    message = assert_envelope(response, 400, "invalid_request_error")["error"]["message"]
    for word in named:
        assert word in message


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"name": "x", "config": {"type": "warp"}}, ("config", "warp")),
        ({"name": "x", "config": {"type": "cloud", "networking": {"type": "mesh"}}}, ("networking", "mesh")),
        (
            {"name": "x", "config": {"type": "cloud", "networking": {"type": "limited", "allowed_hosts": "h"}}},
            ("allowed_hosts",),
        ),
    ],
)
def test_environment_create_refuses_unknown_configs(served, body, named):
    refused(post(served, "/v1/environments", body), *named)


def test_environment_update_refuses_an_unknown_networking(served, sdk):
    env = sdk.beta.environments.create(name="box")
    body = {"config": {"type": "cloud", "networking": {"type": "mesh"}}}
    refused(post(served, f"/v1/environments/{env.id}", body), "networking", "mesh")


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"tools": [{"type": "browser_toolset_20260801"}]}, ("tools.0", "browser_toolset_20260801")),
        (
            {"tools": [{**TOOLSET, "default_config": {"permission_policy": {"type": "yolo"}}}]},
            ("permission_policy", "yolo"),
        ),
        ({"mcp_servers": [{"type": "stdio", "name": "a", "url": "u"}]}, ("mcp_servers.0.type",)),
        ({"skills": [{"type": "community", "skill_id": "x"}]}, ("skills.0", "community")),
        ({"execution_identity": {"type": "aws_role"}}, ("execution_identity", "role_arn")),
        ({"multiagent": {"type": "swarm"}}, ("multiagent", "swarm")),
    ],
)
def test_agent_create_refuses_unknown_variants(served, fields, named):
    refused(post(served, "/v1/agents", {"name": "helper", "model": "claude-sonnet-4-6", **fields}), *named)


def test_agent_update_refuses_an_unknown_tool(served, sdk):
    agent = sdk.beta.agents.create(name="helper", model="claude-sonnet-4-6")
    refused(post(served, f"/v1/agents/{agent.id}", {"tools": [{"type": "browser_toolset_20260801"}]}), "tools.0")


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"agent": {"type": "deployment", "id": "dep_1"}}, ("agent", "deployment")),
        ({"budget": {"type": "token_limit", "max_tokens": 5}}, ("budget",)),
        ({"resources": [{"type": "s3_bucket", "bucket": "b"}]}, ("resources.0", "s3_bucket")),
        ({"initial_events": [{"type": "user.message", "content": [{"type": "hologram"}]}]}, ("hologram",)),
    ],
)
def test_session_create_refuses_unknown_variants(served, sdk, fields, named):
    env = sdk.beta.environments.create(name="box")
    agent = sdk.beta.agents.create(name="helper", model="claude-sonnet-4-6")
    refused(post(served, "/v1/sessions", {"agent": agent.id, "environment_id": env.id, **fields}), *named)
    sessions, _, _ = served.store.list_sessions(include_archived=True)
    assert sessions == []


def test_session_update_refuses_an_unknown_tool(served, session_id):
    body = {"agent": {"tools": [{"type": "browser_toolset_20260801"}]}}
    refused(post(served, f"/v1/sessions/{session_id}", body), "agent.tools.0")


@pytest.mark.parametrize(
    ("event", "named"),
    [
        ({"type": "user.message", "content": [{"type": "hologram"}]}, ("events.0", "hologram")),
        (
            {"type": "user.custom_tool_result", "custom_tool_use_id": "sevt_1", "content": [{"type": "redacted"}]},
            ("redacted",),
        ),
        (
            {"type": "system.message", "content": [{"type": "image", "source": {"type": "url", "url": "u"}}]},
            ("system.message",),
        ),
        ({"type": "user.tool_confirmation", "tool_use_id": "sevt_1", "result": "allow_always"}, ("result",)),
    ],
)
def test_sending_events_refuses_unknown_content_and_values(served, session_id, event, named):
    refused(post(served, f"/v1/sessions/{session_id}/events", {"events": [event]}), *named)
