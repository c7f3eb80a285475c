"""Running an agent's MCP tool calls: find the server among the agent's ``mcp_servers``, the
credential for its URL in the session's vaults, and call the tool (:mod:`app.runtime.mcp_client`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from app.runtime import mcp_client
from app.runtime.brain import ToolUse
from app.runtime.store import Store
from app.runtime.tools.base import ToolResult

#: Credential types whose secret is sent to an MCP server as a bearer token, and where it is kept.
_BEARER_SECRETS = {"static_bearer": "token", "mcp_oauth": "access_token"}


def _same_server(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def credential_headers(store: Store, vault_ids: list[str], url: str) -> dict[str, str]:
    """The ``Authorization`` header from the first live credential of ``vault_ids`` (in order)
    whose ``mcp_server_url`` is ``url``; none if there is no such credential."""
    for vault_id in vault_ids:
        vault = store.get_vault(vault_id)
        if vault is None or vault["archived_at"] is not None:
            continue
        credentials, _ = store.list_credentials(vault_id, limit=1000)
        for credential in reversed(credentials):  # the oldest first
            auth = credential["auth"]
            if auth["type"] in _BEARER_SECRETS and _same_server(auth["mcp_server_url"], url):
                return mcp_client.bearer(store.credential_secret(credential["id"]).get(_BEARER_SECRETS[auth["type"]]))
    return {}


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
    headers = credential_headers(store, list(session.get("vault_ids") or []), server["url"])
    try:
        content, is_error = await mcp_client.call_tool(server["url"], headers, use.name, dict(use.input))
    except mcp_client.McpFailure as exc:
        return ToolResult.text(str(exc), is_error=True)
    return ToolResult(content or [{"type": "text", "text": ""}], is_error)
