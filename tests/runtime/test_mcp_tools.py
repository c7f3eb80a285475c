"""MCP tools for real: the runtime calls the agent's MCP server over streamable HTTP, with the
bearer token of the session's vault credential for that server's URL (official SDK, strict)."""

from __future__ import annotations

import socket
import threading

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from app.runtime import mcp_client
from tests.runtime.conftest import serve_app
from tests.runtime.mcp_support import TOKEN, glossary_server
from tests.runtime.test_conformance_sdk import final, start_turn

ALLOW = {"type": "always_allow"}


def mcp_agent(sdk, url: str):
    return sdk.beta.agents.create(
        name="researcher",
        model="claude-sonnet-4-6",
        mcp_servers=[{"type": "url", "name": "glossary", "url": url}],
        tools=[{"type": "mcp_toolset", "mcp_server_name": "glossary", "default_config": {"permission_policy": ALLOW}}],
    )


def result_text(event) -> str:
    return "".join(block.text for block in event.content)


DEFINE = '/mcp glossary define {"word": "vault"}'


def test_an_mcp_call_without_a_credential_fails_clearly_and_with_one_gets_the_answer(live_sdk):
    with glossary_server() as url:
        env = live_sdk.beta.environments.create(name="box")
        agent = mcp_agent(live_sdk, url)
        bare = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
        _, events = start_turn(live_sdk, bare.id, DEFINE)
        failed = final(events, "agent.mcp_tool_result")
        assert failed.is_error and "401" in result_text(failed) and "vault" in result_text(failed)

        vault = live_sdk.beta.vaults.create(display_name="keys")
        live_sdk.beta.vaults.credentials.create(
            vault.id, auth={"type": "static_bearer", "mcp_server_url": url, "token": TOKEN}
        )
        session = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id, vault_ids=[vault.id])
        assert live_sdk.beta.sessions.retrieve(session.id).vault_ids == [vault.id]
        _, events = start_turn(live_sdk, session.id, DEFINE)
        use, answer = final(events, "agent.mcp_tool_use"), final(events, "agent.mcp_tool_result")
        assert (use.mcp_server_name, use.name) == ("glossary", "define")
        assert answer.mcp_tool_use_id == use.id and not answer.is_error
        assert result_text(answer) == "vault: a place where secrets are kept"
        history = live_sdk.beta.sessions.events.with_raw_response.list(session.id).text()
        assert TOKEN not in history


def test_an_mcp_oauth_credential_is_validated_against_the_server(live_sdk):
    with glossary_server() as url:
        vault = live_sdk.beta.vaults.create(display_name="keys")
        good = live_sdk.beta.vaults.credentials.create(
            vault.id, auth={"type": "mcp_oauth", "mcp_server_url": url, "access_token": TOKEN}
        )
        bad = live_sdk.beta.vaults.credentials.create(
            vault.id, auth={"type": "mcp_oauth", "mcp_server_url": url, "access_token": "expired"}
        )
        valid = live_sdk.beta.vaults.credentials.mcp_oauth_validate(good.id, vault_id=vault.id)
        assert (valid.status, valid.mcp_probe, valid.has_refresh_token) == ("valid", None, False)
        assert valid.refresh is not None and valid.refresh.status == "no_refresh_token"
        invalid = live_sdk.beta.vaults.credentials.mcp_oauth_validate(bad.id, vault_id=vault.id)
        assert invalid.status == "invalid" and invalid.mcp_probe.http_response.status_code == 401


def test_an_unreachable_mcp_server_gives_an_error_result_and_the_session_goes_on(live_sdk):
    env = live_sdk.beta.environments.create(name="box")
    agent = mcp_agent(live_sdk, "http://127.0.0.1:9/mcp")
    session = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
    _, events = start_turn(live_sdk, session.id, DEFINE)
    failed = final(events, "agent.mcp_tool_result")
    assert failed.is_error and "not reachable" in result_text(failed)
    _, events = start_turn(live_sdk, session.id, "still there?")
    assert "still there?" in "".join(b.text for b in final(events, "agent.message").content)


@pytest.fixture
def silent_server():
    """A loopback socket that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/mcp"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


async def test_a_server_that_never_answers_times_out_with_a_clear_error(silent_server):
    with pytest.raises(mcp_client.McpFailure) as caught:
        await mcp_client.call_tool(silent_server, {}, "define", {"word": "x"}, deadline=0.5)
    assert "did not answer" in str(caught.value)


def test_limited_networking_reaches_mcp_servers_only_when_it_allows_them(live_sdk):
    with glossary_server() as url:
        agent = mcp_agent(live_sdk, url)
        vault = live_sdk.beta.vaults.create(display_name="keys")
        auth = {"type": "static_bearer", "mcp_server_url": url, "token": TOKEN}
        live_sdk.beta.vaults.credentials.create(vault.id, auth=auth)
        answers = {}
        for allow in (False, True):
            networking = {"type": "limited", "allowed_hosts": [], "allow_mcp_servers": allow}
            env = live_sdk.beta.environments.create(
                name=f"allow-{allow}", config={"type": "cloud", "networking": networking}
            )
            session = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id, vault_ids=[vault.id])
            _, events = start_turn(live_sdk, session.id, DEFINE)
            answers[allow] = final(events, "agent.mcp_tool_result")
        assert answers[False].is_error and "does not allow MCP servers" in result_text(answers[False])
        assert not answers[True].is_error and result_text(answers[True]).startswith("vault:")


async def test_a_server_that_answers_something_else_than_mcp_gives_a_clear_error():
    async def page(request):
        return PlainTextResponse("<html>a web page</html>", media_type="text/html")

    app = Starlette(routes=[Route("/mcp", page, methods=["GET", "POST", "DELETE"])])
    with serve_app(app) as base_url:
        with pytest.raises(mcp_client.McpFailure) as caught:
            await mcp_client.call_tool(f"{base_url}/mcp", {}, "define", {"word": "x"}, deadline=5)
    assert "Unexpected content type: text/html" in str(caught.value)


async def token_endpoint(request: Request) -> JSONResponse:
    """Grants TOKEN for the refresh token "good-refresh" from client "deck" with secret "s3cret" (HTTP Basic)."""
    form = await request.form()
    basic = "Basic ZGVjazpzM2NyZXQ="  # deck:s3cret
    if request.headers.get("authorization") != basic or form.get("grant_type") != "refresh_token":
        return JSONResponse({"error": "invalid_client"}, status_code=401)
    if form.get("refresh_token") != "good-refresh":
        return JSONResponse({"error": "invalid_grant"}, status_code=400)
    return JSONResponse({"access_token": TOKEN, "refresh_token": "next-refresh", "expires_in": 3600})


@pytest.mark.parametrize("refresh_token", ["good-refresh", "revoked"])
def test_validate_refreshes_an_expired_oauth_token_then_probes_the_server(live_sdk, refresh_token):
    app = Starlette(routes=[Route("/token", token_endpoint, methods=["POST"])])
    with glossary_server() as url, serve_app(app) as oauth_base:
        vault = live_sdk.beta.vaults.create(display_name="keys")
        refresh = {
            "client_id": "deck",
            "refresh_token": refresh_token,
            "token_endpoint": f"{oauth_base}/token",
            "token_endpoint_auth": {"type": "client_secret_basic", "client_secret": "s3cret"},
        }
        auth = {"type": "mcp_oauth", "mcp_server_url": url, "access_token": "expired", "refresh": refresh}
        credential = live_sdk.beta.vaults.credentials.create(vault.id, auth=auth)
        result = live_sdk.beta.vaults.credentials.mcp_oauth_validate(credential.id, vault_id=vault.id)
        assert result.has_refresh_token
        stored = live_sdk.beta.vaults.credentials.retrieve(credential.id, vault_id=vault.id)
        if refresh_token == "good-refresh":
            assert (result.refresh.status, result.status, result.mcp_probe) == ("succeeded", "valid", None)
            assert stored.auth.expires_at is not None
        else:
            assert (result.refresh.status, result.refresh.http_response.status_code) == ("failed", 400)
            assert "invalid_grant" in result.refresh.http_response.body
            assert result.status == "invalid" and stored.auth.expires_at is None
