"""An MCP call (and the tool listing at a session's first turn) with an ``mcp_oauth`` credential
whose access token has expired, or that the server refuses: the runtime refreshes it at the
credential's token endpoint, stores the new one and tries again (official SDK, strict)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.runtime.conftest import serve_app
from tests.runtime.mcp_support import TOKEN, glossary_server
from tests.runtime.test_conformance_sdk import final, start_turn
from tests.runtime.test_mcp_tools import DEFINE, mcp_agent, result_text

PAST = "2020-01-01T00:00:00Z"


class TokenEndpoint:
    """A loopback OAuth token endpoint: grants TOKEN for the refresh token "good-refresh" of public
    client "deck", and counts the requests it got."""

    def __init__(self) -> None:
        self.calls = 0

    async def token(self, request: Request) -> JSONResponse:
        self.calls += 1
        form = await request.form()
        if form.get("client_id") != "deck" or form.get("refresh_token") != "good-refresh":
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        return JSONResponse({"access_token": TOKEN, "refresh_token": "next-refresh", "expires_in": 3600})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/token", self.token, methods=["POST"])])


def oauth_session(sdk, url: str, endpoint: str, refresh_token: str, **expiry):
    """A session whose vault holds a stale ``mcp_oauth`` credential for ``url``; and the credential."""
    vault = sdk.beta.vaults.create(display_name="oauth")
    refresh = {
        "client_id": "deck",
        "refresh_token": refresh_token,
        "token_endpoint": endpoint,
        "token_endpoint_auth": {"type": "none"},
    }
    auth = {"type": "mcp_oauth", "mcp_server_url": url, "access_token": "stale-token", "refresh": refresh, **expiry}
    credential = sdk.beta.vaults.credentials.create(vault.id, auth=auth)
    env = sdk.beta.environments.create(name="box")
    session = sdk.beta.sessions.create(agent=mcp_agent(sdk, url).id, environment_id=env.id, vault_ids=[vault.id])
    return session, credential


@pytest.mark.parametrize("expiry", [{"expires_at": PAST}, {}], ids=["expired", "refused-with-401"])
def test_a_stale_oauth_token_is_refreshed_before_the_call_and_the_agent_gets_the_answer(live_sdk, expiry):
    endpoint = TokenEndpoint()
    with glossary_server() as url, serve_app(endpoint.app()) as oauth_base:
        session, credential = oauth_session(live_sdk, url, f"{oauth_base}/token", "good-refresh", **expiry)
        _, events = start_turn(live_sdk, session.id, DEFINE)
        answer = final(events, "agent.mcp_tool_result")
        assert not answer.is_error and result_text(answer) == "vault: a place where secrets are kept"
        assert endpoint.calls == 1
        stored = live_sdk.beta.vaults.credentials.retrieve(credential.id, vault_id=credential.vault_id)
        assert stored.auth.expires_at is not None and stored.auth.expires_at.year > 2020
        assert TOKEN not in stored.to_json() and "next-refresh" not in stored.to_json()
        history = live_sdk.beta.sessions.events.with_raw_response.list(session.id).text()
        assert TOKEN not in history and "next-refresh" not in history

        _, events = start_turn(live_sdk, session.id, DEFINE)  # the stored token now works as it is
        assert not final(events, "agent.mcp_tool_result").is_error and endpoint.calls == 1


def test_a_failing_refresh_gives_the_agent_a_clear_error_result(live_sdk):
    endpoint = TokenEndpoint()
    with glossary_server() as url, serve_app(endpoint.app()) as oauth_base:
        session, _ = oauth_session(live_sdk, url, f"{oauth_base}/token", "revoked", expires_at=PAST)
        _, events = start_turn(live_sdk, session.id, DEFINE)
        failed = final(events, "agent.mcp_tool_result")
        assert failed.is_error and endpoint.calls >= 1
        text = result_text(failed)
        assert "has expired and could not be refreshed" in text and "HTTP 400" in text
        assert "Traceback" not in text
        _, events = start_turn(live_sdk, session.id, "still there?")
        assert "still there?" in "".join(b.text for b in final(events, "agent.message").content)


def test_a_token_endpoint_that_cannot_be_reached_is_said_so(live_sdk):
    with glossary_server() as url:
        session, _ = oauth_session(live_sdk, url, "http://127.0.0.1:9/token", "good-refresh", expires_at=PAST)
        _, events = start_turn(live_sdk, session.id, DEFINE)
        failed = final(events, "agent.mcp_tool_result")
        assert failed.is_error and "its token endpoint could not be reached" in result_text(failed)


def test_a_new_refresh_token_alone_keeps_the_rest_of_the_refresh_config(live_sdk):
    endpoint = TokenEndpoint()
    with glossary_server() as url, serve_app(endpoint.app()) as oauth_base:
        session, credential = oauth_session(live_sdk, url, f"{oauth_base}/token", "revoked", expires_at=PAST)
        updated = live_sdk.beta.vaults.credentials.update(
            credential.id,
            vault_id=credential.vault_id,
            auth={"type": "mcp_oauth", "refresh": {"refresh_token": "good-refresh"}},
        )
        assert updated.auth.refresh.client_id == "deck" and updated.auth.refresh.token_endpoint == f"{oauth_base}/token"
        assert "good-refresh" not in updated.to_json()
        _, events = start_turn(live_sdk, session.id, DEFINE)
        assert not final(events, "agent.mcp_tool_result").is_error and endpoint.calls == 1
