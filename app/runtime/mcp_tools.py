"""Running an agent's MCP tool calls: find the server among the agent's ``mcp_servers``, the
credential for its URL in the session's vaults, and call the tool (:mod:`app.runtime.mcp_client`).

An ``mcp_oauth`` credential whose access token has expired (``expires_at`` in the past), or that
the server refuses with a 401, is refreshed first at its token endpoint (the new token is stored,
never logged or returned) and the call is tried once more. :func:`catalog` lists the tools of
each of an agent's servers for the model, each within a short deadline.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from app.runtime import mcp_client, oauth_refresh
from app.runtime.brain import ToolUse
from app.runtime.store import Store
from app.runtime.tools.base import ToolResult

T = TypeVar("T")

#: Credential types whose secret is sent to an MCP server as a bearer token, and where it is kept.
_BEARER_SECRETS = {"static_bearer": "token", "mcp_oauth": "access_token"}
#: Seconds listing one server's tools may take when a turn starts.
CATALOG_DEADLINE = 5.0


def _same_server(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def credential_for(store: Store, vault_ids: list[str], url: str) -> dict[str, Any] | None:
    """The first live bearer credential of ``vault_ids`` (in order, the oldest first in each)
    whose ``mcp_server_url`` is ``url``, or None."""
    for vault_id in vault_ids:
        vault = store.get_vault(vault_id)
        if vault is None or vault["archived_at"] is not None:
            continue
        credentials, _ = store.list_credentials(vault_id, limit=1000)
        for credential in credentials[::-1]:  # the oldest first (a slice: reversed() would type them Any)
            auth = credential["auth"]
            if auth["type"] in _BEARER_SECRETS and _same_server(auth["mcp_server_url"], url):
                return credential
    return None


async def _refreshed(
    store: Store, credential: dict[str, Any], secret: dict[str, Any], url: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The credential and secret after a refresh; :class:`McpFailure` saying why when it fails."""
    outcome, credential, secret = await oauth_refresh.refresh_stored(store, credential, secret)
    if outcome.status != "succeeded":
        reply = outcome.http_response
        why = f"refused the refresh (HTTP {reply['status_code']})" if reply else "could not be reached"
        raise mcp_client.McpFailure(
            f"The OAuth access token for the MCP server at {url} has expired and could not be refreshed: "
            f"its token endpoint {why}. Update the credential in its vault."
        )
    return credential, secret


async def authorized(store: Store, vault_ids: list[str], url: str, work: Callable[[dict[str, str]], Awaitable[T]]) -> T:
    """``work(headers)`` with the session's credential for ``url``, refreshing an expired or
    refused OAuth token first and trying once more; :class:`McpFailure` when it cannot."""
    credential = credential_for(store, vault_ids, url)
    if credential is None:
        return await work({})
    secret = store.credential_secret(credential["id"])
    key = _BEARER_SECRETS[credential["auth"]["type"]]
    refreshable = oauth_refresh.can_refresh(credential, secret)
    if refreshable and oauth_refresh.expired(credential):
        credential, secret = await _refreshed(store, credential, secret, url)
        refreshable = False
    try:
        return await work(mcp_client.bearer(secret.get(key)))
    except mcp_client.McpFailure as exc:
        if not (refreshable and exc.http_response and exc.http_response["status_code"] == 401):
            raise
    credential, secret = await _refreshed(store, credential, secret, url)
    return await work(mcp_client.bearer(secret.get(key)))


def _network_refusal(networking: dict[str, Any], url: str) -> str | None:
    """Why a ``limited`` environment may not reach ``url``, or None."""
    if networking.get("type") != "limited" or networking.get("allow_mcp_servers"):
        return None
    host = urlsplit(url).hostname or ""
    if host in (networking.get("allowed_hosts") or []):
        return None
    return f"The environment's limited networking does not allow MCP servers ({host} is not an allowed host)."


async def run(store: Store, session: dict[str, Any], networking: dict[str, Any], use: ToolUse) -> ToolResult:
    """The result of MCP call ``use`` in ``session``: the server's answer, or an error result."""
    servers = (session.get("agent") or {}).get("mcp_servers") or []
    server = next((s for s in servers if s.get("name") == use.mcp_server_name), None)
    if server is None or not server.get("url"):
        return ToolResult.text(f"The agent has no MCP server called {use.mcp_server_name!r}.", is_error=True)
    refusal = _network_refusal(networking, server["url"])
    if refusal:
        return ToolResult.text(refusal, is_error=True)
    url = server["url"]

    def call(headers: dict[str, str]) -> Awaitable[tuple[list[dict[str, Any]], bool]]:
        return mcp_client.call_tool(url, headers, use.name, dict(use.input))

    try:
        content, is_error = await authorized(store, list(session.get("vault_ids") or []), url, call)
    except mcp_client.McpFailure as exc:
        return ToolResult.text(str(exc), is_error=True)
    return ToolResult(content or [{"type": "text", "text": ""}], is_error)


#: Each MCP server's tools (``name``, ``description``, ``input_schema``), or why they are unknown.
Catalog = dict[str, list[dict[str, Any]] | str]


async def catalog(
    store: Store,
    agent: dict[str, Any],
    session: dict[str, Any],
    networking: dict[str, Any],
    deadline: float = CATALOG_DEADLINE,
) -> Catalog:
    """The tools of each of ``agent``'s MCP servers, listed at once with the session's
    credentials; a server that cannot be listed within ``deadline`` seconds gets the reason."""
    vault_ids = list(session.get("vault_ids") or [])

    async def listed(url: str) -> list[dict[str, Any]] | str:
        if refusal := _network_refusal(networking, url):
            return refusal

        def work(headers: dict[str, str]) -> Awaitable[list[dict[str, Any]]]:
            return mcp_client.list_tools(url, headers, deadline)

        try:
            return await asyncio.wait_for(authorized(store, vault_ids, url, work), deadline)
        except mcp_client.McpFailure as exc:
            return str(exc)
        except TimeoutError:
            return f"MCP server at {url} did not answer within {deadline:g} s"

    servers = [s for s in agent.get("mcp_servers") or [] if s.get("name") and s.get("url")]
    found = await asyncio.gather(*(listed(server["url"]) for server in servers))
    return {server["name"]: tools for server, tools in zip(servers, found, strict=True)}
