"""The HTTP transport: authentication headers, retries with backoff, error replies -> exceptions.

The API key lives only in the per-request headers; it is never logged, and neither the
transport's repr nor any exception mentions it.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
import ssl
from typing import Any, TypedDict, TypeVar, overload

import httpx
from pydantic import TypeAdapter, ValidationError

from app import __version__
from app.api.errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    describe_invalid,
    status_error,
)
from app.api.retry import backoff, retry_delay, should_retry_exception, should_retry_status
from app.config import DEFAULT_BASE_URL

log = logging.getLogger("agentdeck.api")

API_VERSION = "2023-06-01"
BETA = "managed-agents-2026-04-01"
#: Sent as well by the ``/v1/files`` calls.
FILES_BETA = "files-api-2025-04-14"
DEFAULT_TIMEOUT = httpx.Timeout(600, connect=5)

Query = list[tuple[str, str]]
T = TypeVar("T")


def _verification(url: httpx.URL) -> ssl.SSLContext | bool:
    """How the connection pool checks TLS: against the CA bundle for an https base URL; for a plain
    http one (the embedded runtime on loopback) with a context that trusts no certificate, so that
    connecting does not load a bundle it never uses (60-90 ms of start-up)."""
    return True if url.scheme == "https" else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class TransportOptions(TypedDict, total=False):
    """The keywords of :class:`HTTPTransport` (and of the client, which passes them on)."""

    base_url: str
    workspace_id: str | None
    max_retries: int
    timeout: httpx.Timeout | float | None
    http_client: httpx.AsyncClient | None


class HTTPTransport:
    """Sends Agent API requests over one ``httpx.AsyncClient``."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        workspace_id: str | None = None,
        max_retries: int = 2,
        timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        url = httpx.URL(base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.base_url = str(url).rstrip("/")
        self.workspace_id = workspace_id
        self.max_retries = max_retries
        self._headers = {
            "x-api-key": api_key,
            "anthropic-version": API_VERSION,
            "anthropic-beta": BETA,
            "user-agent": f"agentdeck/{__version__}",
            "accept": "application/json",
        }
        if workspace_id:
            self._headers["anthropic-workspace-id"] = workspace_id
        self._timeout = timeout
        self._owns_client = http_client is None
        self._client = http_client or httpx.AsyncClient(verify=_verification(url))

    def __repr__(self) -> str:
        return f"HTTPTransport(base_url={self.base_url!r}, workspace_id={self.workspace_id!r})"

    def with_beta(self, beta: str) -> HTTPTransport:
        """This transport on the same connection pool, sending ``beta`` as its ``anthropic-beta``
        header (the memory stores' and the files' resource groups, and their paginators, send
        through one); closing it is left to this one."""
        other = copy.copy(self)
        other._headers = {**self._headers, "anthropic-beta": beta}
        other._owns_client = False
        return other

    async def aclose(self) -> None:
        """Close the connection pool (only when this transport created it)."""
        if self._owns_client:
            await self._client.aclose()

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Query | None = None,
        json: Any = None,
        stream: bool = False,
        replay_safe: bool = True,
        files: Any = None,
        data: Any = None,
    ) -> httpx.Response:
        """Send a request and return a 2xx response, retrying per :mod:`app.api.retry`.

        With ``stream=True`` the body is left unread (the caller closes the response); only the
        attempt to get response headers is retried. The transport's ``timeout`` applies to every
        request, also with a caller's ``http_client``. ``files`` (with ``data``) sends a multipart body
        (httpx's ``files=``). Raises :class:`APIStatusError` subclasses,
        :class:`APIConnectionError` or :class:`APITimeoutError`.
        """
        url = self.base_url + path
        retries_done = 0
        while True:
            last = retries_done >= self.max_retries
            request = self._client.build_request(
                method,
                url,
                params=tuple(params) if params is not None else None,
                json=json,
                files=files,
                data=data,
                headers=self._headers,
                timeout=self._timeout,
            )
            try:
                response = await self._client.send(request, stream=stream)
            except httpx.TransportError as exc:
                if last or not should_retry_exception(exc, replay_safe=replay_safe):
                    raise connection_error(exc, "the request") from exc
                await self._pause(method, path, retries_done, backoff(retries_done), type(exc).__name__)
                retries_done += 1
                continue
            log.debug("%s %s -> %s", method, path, response.status_code)
            if response.is_success:
                return response
            if not last and should_retry_status(response.status_code, response.headers, replay_safe=replay_safe):
                delay = retry_delay(retries_done, response.headers)
                if delay is not None:
                    await response.aclose()
                    await self._pause(method, path, retries_done, delay, str(response.status_code))
                    retries_done += 1
                    continue
            await response.aread()
            await response.aclose()
            raise status_error(response.status_code, response.content, response.headers)

    async def _pause(self, method: str, path: str, retries_done: int, delay: float, why: str) -> None:
        log.info(
            "%s %s failed (%s); retry %d/%d in %.2fs", method, path, why, retries_done + 1, self.max_retries, delay
        )
        await asyncio.sleep(delay)


def connection_error(exc: httpx.TransportError, what: str) -> APIConnectionError:
    """The client's exception for an httpx transport failure of ``what`` ("the request" ...)."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{what} timed out ({detail})")
    return APIConnectionError(f"{what} failed: {detail}")


@functools.cache
def type_adapter(tp: Any) -> TypeAdapter[Any]:
    """The (cached) pydantic adapter of ``tp``."""
    return TypeAdapter(tp)


@overload
def parse_json(response: httpx.Response, tp: type[T]) -> T: ...
@overload
def parse_json(response: httpx.Response, tp: object) -> Any: ...
def parse_json(response: httpx.Response, tp: object) -> Any:
    """Validate a 2xx JSON reply into ``tp`` (a model, or a union such as ``SessionEvent``); a reply
    that does not fit is an :class:`APIResponseValidationError` naming the request and the problem."""
    try:
        return type_adapter(tp).validate_json(response.content)
    except ValidationError as exc:
        raise APIResponseValidationError(
            f"unexpected reply to {response.request.method} {response.request.url.path}: {describe_invalid(exc)}",
            status_code=response.status_code,
            request_id=response.headers.get("request-id"),
        ) from exc
