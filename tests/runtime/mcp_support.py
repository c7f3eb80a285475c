"""A small MCP server (the ``mcp`` package's server side, streamable HTTP) on loopback that
answers only requests carrying ``Authorization: Bearer <TOKEN>``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mcp.server.mcpserver import MCPServer
from starlette.responses import JSONResponse

from tests.runtime.conftest import serve_app

TOKEN = "mcp-test-token-5f3a"


def _server() -> MCPServer:
    server = MCPServer("glossary")

    @server.tool()
    def define(word: str) -> str:
        """Define a word of the glossary."""
        return f"{word}: a place where secrets are kept"

    return server


@contextmanager
def glossary_server() -> Iterator[str]:
    """Serve the glossary MCP server; yields its URL (``.../mcp``)."""
    inner = _server().streamable_http_app()

    async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and dict(scope["headers"]).get(b"authorization") != f"Bearer {TOKEN}".encode():
            await JSONResponse({"error": "unauthorized"}, status_code=401)(scope, receive, send)
            return
        await inner(scope, receive, send)

    with serve_app(guarded, lifespan="on") as base_url:
        yield f"{base_url}/mcp"
