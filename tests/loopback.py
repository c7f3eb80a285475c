"""A scriptable HTTP server on 127.0.0.1 for protocol tests.

Each test installs an async ``handler(request) -> Response`` (Starlette objects); the server
records every request it sees. It runs uvicorn in a background thread on an ephemeral port, so
the code under test talks real HTTP over loopback.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import uvicorn
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.runtime.runtime import bind_socket

Handler = Callable[[Request], Awaitable[Response]]


@dataclass
class SeenRequest:
    """What the server received: enough to assert on headers, query and body."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes


async def _not_configured(request: Request) -> Response:
    return JSONResponse({"type": "error", "error": {"type": "api_error", "message": "no handler"}}, 500)


@dataclass
class LoopbackServer:
    """Serve ``self.handler`` on loopback until :meth:`stop`."""

    handler: Handler = _not_configured
    requests: list[SeenRequest] = field(default_factory=list)
    port: int = 0
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _app(self, scope, receive, send):  # noqa: ANN001 - ASGI signature
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        body = await request.body()
        self.requests.append(
            SeenRequest(
                method=request.method,
                path=request.url.path,
                query=list(request.query_params.multi_items()),
                headers={k.lower(): v for k, v in request.headers.items()},
                body=body,
            )
        )
        response = await self.handler(request)
        await response(scope, receive, send)

    def start(self) -> LoopbackServer:
        sock = bind_socket("127.0.0.1", 0)  # with TCP_NODELAY on accepted connections, as the runtime
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app, interface="asgi3", log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=lambda: asyncio.run(self._server.serve(sockets=[sock])), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("loopback server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._server.force_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
