"""Vaults and credentials on the embedded runtime, driven by the official SDK (strict response
validation) and by our AgentClient, over loopback HTTP: CRUD, archive, paging, and secrets that
never come back."""

from __future__ import annotations

import json

import anthropic
import pytest

from app.api.client import AgentClient
from app.api.errors import APIStatusError
from app.api.models import McpOAuthAuth, StaticBearerAuth
from tests.runtime.conftest import API_KEY

TOKEN = "mcp-secret-token-123"
BEARER = {"type": "static_bearer", "mcp_server_url": "https://mcp.example.com/mcp", "token": TOKEN}
OAUTH = {
    "type": "mcp_oauth",
    "mcp_server_url": "https://oauth.example.com/mcp",
    "access_token": "access-secret-456",
    "refresh": {
        "client_id": "client-1",
        "refresh_token": "refresh-secret-789",
        "token_endpoint": "https://oauth.example.com/token",
        "token_endpoint_auth": {"type": "client_secret_basic", "client_secret": "client-secret-321"},
    },
}
ENV_VAR = {
    "type": "environment_variable",
    "secret_name": "STRIPE_KEY",
    "secret_value": "env-secret-000",
    "networking": {"type": "limited", "allowed_hosts": ["api.stripe.com"]},
}
SECRETS = ("mcp-secret-token-123", "access-secret-456", "refresh-secret-789", "client-secret-321", "env-secret-000")


def test_vault_crud_and_archive_with_the_sdk(sdk):
    vault = sdk.beta.vaults.create(display_name="Team keys", metadata={"team": "infra"})
    assert vault.id.startswith("vlt_") and vault.type == "vault" and vault.archived_at is None
    assert sdk.beta.vaults.retrieve(vault.id).display_name == "Team keys"
    updated = sdk.beta.vaults.update(vault.id, display_name="Infra keys", metadata={"team": None, "env": "prod"})
    assert (updated.display_name, updated.metadata) == ("Infra keys", {"env": "prod"})
    other = sdk.beta.vaults.create(display_name="Other")
    assert [v.id for v in sdk.beta.vaults.list()] == [other.id, vault.id]
    archived = sdk.beta.vaults.archive(vault.id)
    assert archived.archived_at is not None
    assert [v.id for v in sdk.beta.vaults.list()] == [other.id]
    assert [v.id for v in sdk.beta.vaults.list(include_archived=True)] == [other.id, vault.id]
    with pytest.raises(anthropic.BadRequestError):
        sdk.beta.vaults.update(vault.id, display_name="again")
    assert sdk.beta.vaults.delete(vault.id).type == "vault_deleted"
    with pytest.raises(anthropic.NotFoundError):
        sdk.beta.vaults.retrieve(vault.id)


def test_vaults_page_with_next_page(sdk):
    ids = [sdk.beta.vaults.create(display_name=f"v{i}").id for i in range(5)]
    first = sdk.beta.vaults.list(limit=2)
    assert [v.id for v in first.data] == ids[::-1][:2] and first.has_next_page()
    assert [v.id for v in sdk.beta.vaults.list(limit=2)] == ids[::-1]


def test_a_vault_name_must_be_given_and_not_empty(sdk):
    with pytest.raises(anthropic.BadRequestError) as caught:
        sdk.beta.vaults.create(display_name="")
    assert "display_name" in str(caught.value)


@pytest.mark.parametrize("auth", [BEARER, OAUTH, ENV_VAR], ids=lambda a: a["type"])
def test_every_kind_of_credential_is_stored_and_its_secret_never_returned(sdk, served, auth):
    vault = sdk.beta.vaults.create(display_name="keys")
    credential = sdk.beta.vaults.credentials.create(vault.id, auth=auth, display_name="cred", metadata={"k": "v"})
    assert credential.id.startswith("vcrd_") and credential.vault_id == vault.id
    assert credential.auth.type == auth["type"]
    raw = sdk.beta.vaults.credentials.with_raw_response.retrieve(credential.id, vault_id=vault.id).text()
    listed = sdk.beta.vaults.credentials.with_raw_response.list(vault.id).text()
    for text in (raw, listed, credential.model_dump_json()):
        assert not any(secret in text for secret in SECRETS)
    assert json.loads(raw)["display_name"] == "cred"


def test_credential_update_archive_and_delete_with_the_sdk(sdk, served):
    vault = sdk.beta.vaults.create(display_name="keys")
    credential = sdk.beta.vaults.credentials.create(vault.id, auth=BEARER)
    updated = sdk.beta.vaults.credentials.update(
        credential.id,
        vault_id=vault.id,
        display_name="renamed",
        auth={"type": "static_bearer", "token": "rotated-token"},
    )
    assert updated.display_name == "renamed" and updated.auth.mcp_server_url == BEARER["mcp_server_url"]
    assert served.store.credential_secret(credential.id) == {"token": "rotated-token"}
    with pytest.raises(anthropic.BadRequestError):
        sdk.beta.vaults.credentials.update(credential.id, vault_id=vault.id, auth={"type": "mcp_oauth"})
    with pytest.raises(anthropic.BadRequestError) as caught:
        sdk.beta.vaults.credentials.update(
            credential.id,
            vault_id=vault.id,
            auth={"type": "static_bearer"},
            extra_body={"auth": {"type": "static_bearer", "token": 5}},
        )
    assert "token" in str(caught.value)
    second = sdk.beta.vaults.credentials.create(vault.id, auth=ENV_VAR)
    assert sdk.beta.vaults.credentials.archive(credential.id, vault_id=vault.id).archived_at is not None
    assert [c.id for c in sdk.beta.vaults.credentials.list(vault.id)] == [second.id]
    assert [c.id for c in sdk.beta.vaults.credentials.list(vault.id, include_archived=True)] == [
        second.id,
        credential.id,
    ]
    assert sdk.beta.vaults.credentials.delete(second.id, vault_id=vault.id).type == "vault_credential_deleted"
    with pytest.raises(anthropic.NotFoundError):
        sdk.beta.vaults.credentials.retrieve(second.id, vault_id=vault.id)
    sdk.beta.vaults.delete(vault.id)
    assert served.store.credential_secret(credential.id) == {}


def test_a_credential_of_an_unknown_type_or_without_its_secret_is_refused(sdk):
    vault = sdk.beta.vaults.create(display_name="keys")
    for auth in ({"type": "password", "value": "x"}, {"type": "static_bearer", "mcp_server_url": "https://x"}):
        with pytest.raises(anthropic.BadRequestError):
            sdk.beta.vaults.credentials.create(vault.id, auth=auth)
    assert list(sdk.beta.vaults.credentials.list(vault.id)) == []


def test_mcp_oauth_validate_is_refused_for_other_credential_types(sdk):
    vault = sdk.beta.vaults.create(display_name="keys")
    credential = sdk.beta.vaults.credentials.create(vault.id, auth=BEARER)
    with pytest.raises(anthropic.BadRequestError) as caught:
        sdk.beta.vaults.credentials.mcp_oauth_validate(credential.id, vault_id=vault.id)
    assert "mcp_oauth" in str(caught.value)


def test_mcp_oauth_validate_says_unknown_when_the_server_is_unreachable(sdk):
    vault = sdk.beta.vaults.create(display_name="keys")
    refresh = {**OAUTH["refresh"], "token_endpoint": "http://127.0.0.1:9/token"}
    auth = {**OAUTH, "mcp_server_url": "http://127.0.0.1:9/mcp", "refresh": refresh}
    credential = sdk.beta.vaults.credentials.create(vault.id, auth=auth)
    result = sdk.beta.vaults.credentials.mcp_oauth_validate(credential.id, vault_id=vault.id)
    assert (result.status, result.has_refresh_token, result.credential_id) == ("unknown", True, credential.id)
    assert result.mcp_probe is not None and result.mcp_probe.http_response is None
    assert result.refresh is not None and result.refresh.status == "connect_error"


async def test_agent_client_covers_vaults_and_credentials(served):
    async with AgentClient(API_KEY, base_url=served.base_url) as client:
        vault = await client.vaults.create(display_name="mine")
        assert (await client.vaults.retrieve(vault.id)).display_name == "mine"
        assert (await client.vaults.update(vault.id, metadata={"a": "b"})).metadata == {"a": "b"}
        bearer = await client.vaults.credentials.create(vault.id, auth=BEARER, display_name="gh")
        oauth = await client.vaults.credentials.create(vault.id, auth=OAUTH)
        assert isinstance(bearer.auth, StaticBearerAuth) and isinstance(oauth.auth, McpOAuthAuth)
        assert oauth.auth.refresh is not None and oauth.auth.refresh.client_id == "client-1"
        assert not any(secret in bearer.model_dump_json() + oauth.model_dump_json() for secret in SECRETS)
        assert [c.id async for c in client.vaults.credentials.list(vault.id)] == [oauth.id, bearer.id]
        assert (await client.vaults.credentials.retrieve(vault.id, bearer.id)).display_name == "gh"
        renamed = await client.vaults.credentials.update(vault.id, bearer.id, display_name="github")
        assert renamed.display_name == "github"
        unreachable = {"type": "mcp_oauth", "mcp_server_url": "http://127.0.0.1:9/mcp", "access_token": "a"}
        probe_me = await client.vaults.credentials.create(vault.id, auth=unreachable)
        assert (await client.vaults.credentials.mcp_oauth_validate(vault.id, probe_me.id)).status == "unknown"
        assert (await client.vaults.credentials.archive(vault.id, bearer.id)).archived_at is not None
        assert (await client.vaults.credentials.delete(vault.id, oauth.id)).type == "vault_credential_deleted"
        env = await client.environments.create(name="box")
        agent = await client.agents.create(name="helper", model="claude-sonnet-4-6")
        session = await client.sessions.create(agent=agent.id, environment_id=env.id, vault_ids=[vault.id])
        assert session.vault_ids == [vault.id]
        assert (await client.vaults.archive(vault.id)).archived_at is not None
        assert [v.id async for v in client.vaults.list(include_archived=True)] == [vault.id]
        assert (await client.vaults.delete(vault.id)).type == "vault_deleted"
        with pytest.raises(APIStatusError) as caught:
            await client.vaults.retrieve(vault.id)
        assert caught.value.status_code == 404


def test_a_session_names_existing_vaults_only(sdk):
    env = sdk.beta.environments.create(name="box")
    agent = sdk.beta.agents.create(name="helper", model="claude-sonnet-4-6")
    vault = sdk.beta.vaults.create(display_name="keys")
    session = sdk.beta.sessions.create(agent=agent.id, environment_id=env.id, vault_ids=[vault.id])
    assert sdk.beta.sessions.retrieve(session.id).vault_ids == [vault.id]
    with pytest.raises(anthropic.NotFoundError) as caught:
        sdk.beta.sessions.create(agent=agent.id, environment_id=env.id, vault_ids=["vlt_missing"])
    assert "vlt_missing" in str(caught.value)


def test_rotating_an_oauth_access_token_keeps_its_refresh_token(sdk, served):
    vault = sdk.beta.vaults.create(display_name="keys")
    credential = sdk.beta.vaults.credentials.create(vault.id, auth=OAUTH)
    rotated = sdk.beta.vaults.credentials.update(
        credential.id, vault_id=vault.id, auth={"type": "mcp_oauth", "access_token": "new-access", "expires_at": None}
    )
    assert rotated.auth.refresh is not None and rotated.auth.refresh.client_id == "client-1"
    assert served.store.credential_secret(credential.id) == {
        "access_token": "new-access",
        "refresh_token": "refresh-secret-789",
        "client_secret": "client-secret-321",
    }
    assert rotated.auth.refresh.token_endpoint_auth.type == "client_secret_basic"
    assert not any(secret in rotated.model_dump_json() for secret in ("new-access", *SECRETS))
