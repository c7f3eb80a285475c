"""``environment_variable`` credentials: the variables a session's bash sees, and the errors for
those the session's environment cannot use.

A session created with ``vault_ids`` gets, in its bash tool's environment, ``secret_name`` set to
``secret_value`` for each live credential of that type in its live vaults (vaults in ``vault_ids``
order, the oldest credential first; the first of a name wins). The Agent API substitutes the secret
into outbound requests at its proxy; the embedded runtime has no such proxy, so the variable holds
the secret itself, and every tool result of the session has it replaced by :data:`MASK` before it
is stored or streamed. A credential whose ``networking.allowed_hosts`` names a host the
environment's ``limited`` networking does not allow is not injected: the session gets a
``credential_host_unreachable_error`` instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.runtime.store import Store
from app.runtime.tools.base import ToolResult
from app.runtime.tools.web_fetch import host_allowed

#: What a secret value is replaced with in tool results.
MASK = "[secret]"


@dataclass
class CredentialEnv:
    """The variables to inject, and the ``session.error`` objects for the credentials left out."""

    variables: dict[str, str] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _unreachable(auth: dict[str, Any], networking: dict[str, Any]) -> list[str]:
    """The credential's allowed hosts that the environment's networking does not allow."""
    allowed = auth.get("networking") or {}
    if allowed.get("type") != "limited":
        return []
    return [
        host for host in allowed.get("allowed_hosts") or [] if not host_allowed(host.removeprefix("*."), networking)
    ]


def collect(store: Store, session: dict[str, Any], networking: dict[str, Any]) -> CredentialEnv:
    """What the session's vaults give its bash, within the environment's ``networking``."""
    found = CredentialEnv()
    for credential in store.live_credentials(list(session.get("vault_ids") or [])):
        auth = credential["auth"]
        if auth["type"] != "environment_variable":
            continue
        hosts = _unreachable(auth, networking)
        if hosts:
            message = (
                f"Credential {auth['secret_name']} is not set: its allowed hosts {', '.join(hosts)}"
                " are not allowed by the environment's network policy."
            )
            found.errors.append(
                {
                    "type": "credential_host_unreachable_error",
                    "message": message,
                    "retry_status": {"type": "exhausted"},
                    "credential_id": credential["id"],
                    "vault_id": credential["vault_id"],
                }
            )
            continue
        value = store.credential_secret(credential["id"]).get("secret_value")
        if value:
            found.variables.setdefault(auth["secret_name"], value)
    return found


def redact(result: ToolResult, secrets: Iterable[str]) -> ToolResult:
    """``result`` with every secret in its text replaced by :data:`MASK`."""
    secrets = sorted((s for s in secrets if s), key=len, reverse=True)
    if not secrets:
        return result
    content = []
    for block in result.content:
        if block.get("type") == "text":
            text = block.get("text") or ""
            for secret in secrets:
                text = text.replace(secret, MASK)
            block = {**block, "text": text}
        content.append(block)
    return ToolResult(content, result.is_error)
