"""Refreshing an ``mcp_oauth`` credential's access token at its token endpoint (RFC 6749 §6).

Used by ``mcp_oauth_validate`` and before an MCP call whose token has expired (or was refused):
the outcome (``succeeded``, ``failed``, ``connect_error``) and, on an error reply, that reply
quoted (status, content type, at most 2,000 characters of body). :func:`refresh_stored` keeps the
new token in the store; it is never logged or returned."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx

from app.runtime.ids import now
from app.runtime.mcp_client import quoted_reply

if TYPE_CHECKING:
    from app.runtime.store import Store

#: Seconds the token endpoint may take.
DEADLINE = 20.0


@dataclass
class Refreshed:
    """``status``; with ``succeeded`` the new secrets (``access_token``, maybe ``refresh_token``)
    and ``expires_in``; with ``failed`` the endpoint's reply."""

    status: str
    secrets: dict[str, str] = field(default_factory=dict)
    expires_in: int | None = None
    http_response: dict[str, Any] | None = None


async def refresh(settings: dict[str, Any], secret: dict[str, str], deadline: float = DEADLINE) -> Refreshed:
    """Exchange the stored refresh token; ``settings`` is the credential's ``auth.refresh``."""
    form = {"grant_type": "refresh_token", "refresh_token": secret["refresh_token"], "client_id": settings["client_id"]}
    for optional in ("resource", "scope"):
        if settings.get(optional):
            form[optional] = settings[optional]
    auth_type = (settings.get("token_endpoint_auth") or {}).get("type")
    auth = httpx.Auth()  # none
    if auth_type == "client_secret_basic":
        auth = httpx.BasicAuth(settings["client_id"], secret.get("client_secret", ""))
    elif auth_type == "client_secret_post":
        form["client_secret"] = secret.get("client_secret", "")
    try:
        async with httpx.AsyncClient(timeout=deadline) as http:
            reply = await http.post(settings["token_endpoint"], data=form, auth=auth)
    except httpx.HTTPError:
        return Refreshed("connect_error")
    try:
        body = reply.json() if reply.is_success else None
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
        quoted = quoted_reply(reply.text, reply.headers.get("content-type", ""), reply.status_code)
        return Refreshed("failed", http_response=quoted)
    secrets = {"access_token": body["access_token"]}
    if isinstance(body.get("refresh_token"), str):
        secrets["refresh_token"] = body["refresh_token"]
    expires_in = body.get("expires_in")
    return Refreshed("succeeded", secrets, expires_in if isinstance(expires_in, int) else None)


def can_refresh(credential: dict[str, Any], secret: dict[str, Any]) -> bool:
    """Whether ``credential`` is an ``mcp_oauth`` one with a refresh config and a refresh token."""
    auth = credential["auth"]
    return auth["type"] == "mcp_oauth" and auth.get("refresh") is not None and "refresh_token" in secret


def expired(credential: dict[str, Any]) -> bool:
    """Whether the credential's access token has an ``expires_at`` in the past."""
    stamp = credential["auth"].get("expires_at")
    if not stamp:
        return False
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")) <= datetime.now(UTC)
    except ValueError:
        return False


def _expires_at(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    at = datetime.now(UTC) + timedelta(seconds=seconds)
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def refresh_stored(
    store: Store, credential: dict[str, Any], secret: dict[str, Any]
) -> tuple[Refreshed, dict[str, Any], dict[str, Any]]:
    """Refresh ``credential``'s token (it must :func:`can_refresh`); on success store the new
    secrets and ``expires_at``. The outcome, and the credential and secret now in force."""
    refreshed = await refresh(credential["auth"]["refresh"], secret)
    if refreshed.status == "succeeded":
        secret = {**secret, **refreshed.secrets}
        auth = {**credential["auth"], "expires_at": _expires_at(refreshed.expires_in)}
        credential = {**credential, "updated_at": now(), "auth": auth}
        store.put_credential(credential, secret)
    return refreshed, credential, secret
