"""Talking to an agent's MCP servers over streamable HTTP with the official ``mcp`` package.

Every call opens its own short connection with an overall deadline, so a slow, hostile or
unreachable server costs one error result and never holds the runtime up.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import httpx2

if TYPE_CHECKING:  # the mcp package is imported at the first call: it takes ~0.35 s, which start-up does not need
    from mcp.client.session import ClientSession

logger = logging.getLogger("agentdeck.runtime.mcp")

#: Seconds one MCP exchange (connect, handshake, call) may take in all.
DEADLINE = 20.0
#: At most this much of an error response's body is quoted back.
_QUOTE = 2000

_Result = TypeVar("_Result")


class McpFailure(Exception):
    """An MCP server could not be used; the message says why (never with a credential in it).

    ``http_response`` is the server's first HTTP error reply (status, content type, body), if any."""

    def __init__(self, message: str, http_response: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.http_response = http_response


def quoted_reply(text: str, content_type: str, status_code: int) -> dict[str, Any]:
    """An HTTP error reply as validation results quote it (at most 2,000 characters of body)."""
    return {
        "body": text[:_QUOTE],
        "body_truncated": len(text) > _QUOTE,
        "content_type": content_type,
        "status_code": status_code,
    }


def bearer(token: str | None) -> dict[str, str]:
    """The ``Authorization`` header for ``token`` (none without one)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def _leaf(exc: BaseException) -> BaseException:
    """The first exception inside ``exc``'s task-group wrappings."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


def _describe(url: str, exc: BaseException, status: int | None) -> str:
    if status in (401, 403):
        return (
            f"MCP server at {url} refused the request (HTTP {status}): "
            "no valid credential for it in the session's vaults"
        )
    if status is not None:
        return f"MCP server at {url} answered HTTP {status}"
    if isinstance(exc, TimeoutError):
        return f"MCP server at {url} did not answer within the deadline"
    cause = _leaf(exc)
    if isinstance(cause, httpx2.TransportError):
        return f"MCP server at {url} is not reachable ({type(cause).__name__})"
    return f"MCP server at {url} failed: {type(cause).__name__}: {str(cause)[:200]}"


async def _run(
    url: str, headers: dict[str, str], work: Callable[[ClientSession], Awaitable[_Result]], deadline: float
) -> _Result:
    from mcp.client.session import ClientSession
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    errors: list[dict[str, Any]] = []

    async def note_error(response: httpx2.Response) -> None:
        if response.status_code >= 400 and not errors:
            text = (await response.aread()).decode("utf-8", "replace")
            errors.append(quoted_reply(text, response.headers.get("content-type", ""), response.status_code))

    try:
        with anyio.fail_after(deadline):
            async with create_mcp_http_client(headers=headers, timeout=httpx2.Timeout(deadline)) as http:
                http.event_hooks["response"].append(note_error)
                async with streamable_http_client(url, http_client=http) as (read, write):
                    async with ClientSession(read, write) as session:
                        await session.initialize()
                        return await work(session)
    except Exception as exc:  # noqa: BLE001 (any failure of a remote server is reported, not raised)
        logger.info("MCP call to %s failed: %s", url, type(exc).__name__)
        first = errors[0] if errors else None
        raise McpFailure(_describe(url, exc, first["status_code"] if first else None), first) from exc


async def list_tools(url: str, headers: dict[str, str], deadline: float = DEADLINE) -> list[dict[str, Any]]:
    """The server's tools as ``{name, description, input_schema}``."""

    async def work(session: ClientSession) -> list[dict[str, Any]]:
        result = await session.list_tools()
        return [
            {"name": t.name, "description": t.description or "", "input_schema": t.input_schema} for t in result.tools
        ]

    return await _run(url, headers, work, deadline)


async def call_tool(
    url: str, headers: dict[str, str], name: str, arguments: dict[str, Any], deadline: float = DEADLINE
) -> tuple[list[dict[str, Any]], bool]:
    """Call tool ``name``: its content as text blocks, and whether the server said it failed."""

    async def work(session: ClientSession) -> tuple[list[dict[str, Any]], bool]:
        result = await session.call_tool(name, arguments)
        blocks = []
        for item in result.content:
            text = getattr(item, "text", None)
            blocks.append(
                {"type": "text", "text": text if text is not None else json.dumps(item.model_dump(mode="json"))}
            )
        return blocks, bool(result.is_error)

    return await _run(url, headers, work, deadline)


@dataclass
class Probe:
    """``status`` (``valid``, ``invalid``, ``unknown``) and, when it failed, the failing step."""

    status: str
    failure: dict[str, Any] | None = None


async def probe(url: str, headers: dict[str, str], deadline: float = DEADLINE) -> Probe:
    """Whether ``headers`` let us list the server's tools (an ``mcp_oauth_validate`` probe)."""
    try:
        await list_tools(url, headers, deadline)
    except McpFailure as exc:
        status = exc.http_response["status_code"] if exc.http_response else None
        verdict = "invalid" if status in (401, 403) else "unknown"
        return Probe(verdict, {"method": "tools/list", "http_response": exc.http_response})
    return Probe("valid")
