"""Refreshing an ``mcp_oauth`` credential's access token at its token endpoint (RFC 6749 §6).

Used by ``mcp_oauth_validate``: the outcome (``succeeded``, ``failed``, ``connect_error``) and,
on an error reply, that reply quoted (status, content type, at most 2,000 characters of body)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from app.runtime.mcp_client import quoted_reply

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
    basic = None
    if auth_type == "client_secret_basic":
        basic = httpx.BasicAuth(settings["client_id"], secret.get("client_secret", ""))
    elif auth_type == "client_secret_post":
        form["client_secret"] = secret.get("client_secret", "")
    try:
        async with httpx.AsyncClient(timeout=deadline) as http:
            reply = await http.post(settings["token_endpoint"], data=form, auth=basic)
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
