"""Security, end to end over loopback HTTP: the file tools stay in the workspace, and a GitHub token
given with a session never comes back in any response, stream or log line."""

from __future__ import annotations

import logging

import pytest

from tests.runtime.sdk_support import run_turn, toolset_session

TOKEN = "ghp_SECRETtokenValue0123456789abcdefXYZ"


@pytest.fixture
def session(live_sdk):
    return toolset_session(live_sdk, "jail")


@pytest.mark.parametrize(
    "request_text",
    ["/read ../../../../etc/passwd", "/read /etc/passwd", "/write ../escaped.txt nope", "/grep root /etc"],
)
def test_file_tools_refuse_paths_outside_the_workspace(live_sdk, session, request_text):
    result = next(e for e in run_turn(live_sdk, session.id, request_text) if e.type == "agent.tool_result")
    assert result.is_error is True
    assert "outside the workspace" in result.content[0].text
    assert "root:x:0:0" not in result.content[0].text


def test_a_symlink_out_of_the_workspace_is_refused(live_sdk, session):
    linked = next(
        e
        for e in run_turn(live_sdk, session.id, "!ln -s /etc outside && ls -l outside")
        if e.type == "agent.tool_result"
    )
    assert "outside -> /etc" in linked.content[0].text
    result = next(e for e in run_turn(live_sdk, session.id, "/read outside/passwd") if e.type == "agent.tool_result")
    assert result.is_error is True and "root:x:0:0" not in result.content[0].text


def test_a_github_token_never_comes_back(live_sdk, live_runtime, caplog):
    caplog.set_level(logging.DEBUG)
    env = live_sdk.beta.environments.create(
        name="repo", config={"type": "cloud", "networking": {"type": "unrestricted"}}
    )
    agent = live_sdk.beta.agents.create(
        name="repo", model="claude-sonnet-4-6", tools=[{"type": "agent_toolset_20260401"}]
    )
    repo = {
        "type": "github_repository",
        "url": "http://127.0.0.1:9/example-org/private-repo",  # nothing listens on the discard port
        "authorization_token": TOKEN,
        "checkout": {"type": "branch", "name": "main"},
    }
    created = live_sdk.beta.sessions.with_raw_response.create(agent=agent.id, environment_id=env.id, resources=[repo])
    session = created.parse()
    turn = run_turn(live_sdk, session.id, "hello")
    clone_error = next(e for e in turn if e.type == "session.error")
    assert clone_error.error.type.startswith("repository_") and clone_error.error.retry_status.type == "retrying"
    assert turn[-1].stop_reason.type == "end_turn", "the session goes on without the repository"
    bodies = [
        created.http_response.text,
        live_sdk.beta.sessions.with_raw_response.retrieve(session.id).http_response.text,
        live_sdk.beta.sessions.with_raw_response.list().http_response.text,
        live_sdk.beta.sessions.resources.with_raw_response.list(session.id).http_response.text,
        live_sdk.beta.sessions.events.with_raw_response.list(session.id).http_response.text,
        repr(turn),
        # the runtime's own log lines (the SDK's debug log of its request body is the client's business)
        "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("anthropic", "httpx", "httpcore"))),
    ]
    assert "private-repo" in bodies[1]
    for body in bodies:
        assert TOKEN not in body and "SECRETtoken" not in body
