"""The runtime's ASGI app: the Agent API's routes behind the protocol's cross-cutting rules.

Every response carries a ``request-id`` header; every error is the §2.2 envelope (with the same
``request_id``) and says ``x-should-retry: false`` unless it is transient. A request must name an
allowed host in ``Host`` (loopback names unless told otherwise: a defence against DNS rebinding;
421 otherwise) and carry the API key as ``x-api-key`` or ``Authorization: Bearer`` (401). A body
over ``max_body`` bytes is refused with a 413 before it is read whole (by its ``Content-Length``,
or by counting as it arrives). Redirects are relative: the ``Host`` a client sent is never echoed.
Any ``anthropic-version`` is accepted and ``x-stainless-*`` headers are ignored. An unexpected
exception is logged here and answered with a 500 ``api_error`` envelope; no traceback reaches a
client.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.runtime.errors import TRANSIENT_STATUSES, RouteError
from app.runtime.ids import new_id
from app.runtime.log import SessionLog
from app.runtime.routes import ROUTES
from app.runtime.routes.params import Services
from app.runtime.store import BadCursor, Store

logger = logging.getLogger("agentdeck.runtime.server")

#: The largest request body accepted by default (bytes).
DEFAULT_MAX_BODY = 32 * 1024 * 1024
#: Host names always accepted (with any port): the loopback ones.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")

_INTERNAL = RouteError(500, "api_error", "internal server error")
_UNAUTHENTICATED = RouteError(
    401, "authentication_error", "invalid or missing API key (send x-api-key or Authorization: Bearer)"
)
_HTTP_ERRORS = {
    404: ("not_found_error", "no such endpoint: {method} {path}"),
    405: ("invalid_request_error", "{method} is not allowed on {path}"),
}


def error_response(error: RouteError, request_id: str) -> JSONResponse:
    """The envelope response for ``error`` (headers are added by the middleware)."""
    return JSONResponse(error.envelope(request_id), status_code=error.status)


def _request_id(request: Request) -> str:
    request_id: str = request.scope["state"]["request_id"]
    return request_id


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RouteError)
    return error_response(exc, _request_id(request))


async def _bad_cursor(request: Request, exc: Exception) -> JSONResponse:
    return error_response(RouteError.invalid_request(f"page: {exc}"), _request_id(request))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    kind, message = _HTTP_ERRORS.get(exc.status_code, ("invalid_request_error", "{detail}"))
    text = message.format(method=request.method, path=request.url.path, detail=exc.detail)
    return error_response(RouteError(exc.status_code, kind, text), _request_id(request))


def _presented_key(scope: Scope) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    for name, value in headers:
        if name == b"x-api-key":
            return value.decode("latin-1")
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer":
                return token.strip()
    return None


def _header(scope: Scope, name: bytes) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


def host_name(host: str) -> str:
    """The name in a ``Host`` value, without its port or IPv6 brackets, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def _relative(location: bytes) -> bytes:
    """A ``Location`` as path and query only (a single leading slash: never protocol-relative)."""
    parts = urlsplit(location.decode("latin-1"))
    path = "/" + parts.path.lstrip("/")
    return (path + ("?" + parts.query if parts.query else "")).encode("latin-1")


class ProtocolMiddleware:
    """Host checks, request ids, authentication, body limits, error headers, relative redirects,
    and the last line of defence against exceptions."""

    def __init__(self, app: ASGIApp, api_key: str, max_body: int, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self._key = api_key.encode()
        self._max_body = max_body
        self._hosts = frozenset(host_name(host) for host in (*LOOPBACK_HOSTS, *allowed_hosts))

    def _refusal(self, scope: Scope) -> RouteError | None:
        """Why the request is refused before it reaches a route, if it is."""
        host = _header(scope, b"host")
        if host is None:
            return RouteError.invalid_request("the request has no Host header")
        if host_name(host) not in self._hosts:
            return RouteError(
                421,
                "invalid_request_error",
                f"this server does not answer for host {host[:100]!r} (agentdeck serve --allow-host adds names)",
            )
        presented = _presented_key(scope)
        if presented is None or not hmac.compare_digest(presented.encode(), self._key):
            return _UNAUTHENTICATED
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > self._max_body:
            return self._too_large()
        return None

    def _too_large(self) -> RouteError:
        return RouteError(413, "invalid_request_error", f"the request body is larger than {self._max_body} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_id("req")
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [
                    (name, _relative(value) if name == b"location" else value)
                    for name, value in message.get("headers", [])
                ]
                headers.append((b"request-id", request_id.encode()))
                status = message["status"]
                if status >= 400 and status not in TRANSIENT_STATUSES:
                    headers.append((b"x-should-retry", b"false"))
                message = {**message, "headers": headers}
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await error_response(refusal, request_id)(scope, receive, send_with_headers)
            return
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self._max_body:
                raise self._too_large()
            return message

        try:
            await self.app(scope, receive_limited, send_with_headers)
        except Exception as exc:  # noqa: BLE001 - the boundary: no exception reaches a client
            if started and isinstance(exc, (ClientDisconnect, OSError)):
                logger.debug("request %s: the client went away", request_id)
                return
            logger.error("request %s (%s %s) failed", request_id, scope["method"], scope["path"], exc_info=exc)
            if not started:
                await error_response(_INTERNAL, request_id)(scope, receive, send_with_headers)


def create_app(
    *,
    store: Store,
    log: SessionLog,
    engine: Any,
    api_key: str,
    heartbeat: float = 15.0,
    max_body: int = DEFAULT_MAX_BODY,
    allowed_hosts: Iterable[str] = (),
) -> Starlette:
    """The Agent API over ``store``, ``log`` and ``engine``, answering only requests with ``api_key``.

    ``heartbeat`` is the seconds of silence after which a stream sends a ping; ``max_body`` the
    largest request body in bytes; ``allowed_hosts`` more ``Host`` names to answer for.
    """
    app = Starlette(
        routes=ROUTES,
        exception_handlers={RouteError: _api_error, BadCursor: _bad_cursor, HTTPException: _http_error},
    )
    app.state.services = Services(store=store, log=log, engine=engine, heartbeat=heartbeat)
    app.add_middleware(ProtocolMiddleware, api_key=api_key, max_body=max_body, allowed_hosts=allowed_hosts)
    return app
