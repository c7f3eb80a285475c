"""Exceptions of the Agent API client, and how error replies become them.

Messages are built from the server's reply only (status, error type, code, message, request id);
request headers, and so the API key, never go into an exception.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


class AgentAPIError(Exception):
    """Base of every error this client raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class APIConnectionError(AgentAPIError):
    """The server could not be reached, or the connection broke before the reply was complete."""


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout."""


class APIResponseValidationError(AgentAPIError):
    """A successful reply whose body is not the JSON the client expected."""

    def __init__(self, message: str, *, status_code: int, request_id: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.request_id = request_id


class APIStatusError(AgentAPIError):
    """The server answered with an error (an HTTP status >= 400, or an ``event: error`` frame).

    ``error_type`` is ``error.type`` (``not_found_error`` ...), ``error_code`` is
    ``error.details.error_code`` (the stable code to branch on), ``body`` the parsed JSON reply
    (or its text when it was not JSON).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error_type: str | None = None,
        error_code: str | None = None,
        request_id: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error_type = error_type
        self.error_code = error_code
        self.request_id = request_id
        self.body = body

    def __str__(self) -> str:
        kind = " ".join(filter(None, [str(self.status_code), self.error_type]))
        code = f" [{self.error_code}]" if self.error_code else ""
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"{kind}{code}: {self.message}{rid}"


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: missing or invalid API key."""


class PaymentRequiredError(APIStatusError):
    """402."""


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404."""


class RequestTimeoutError(APIStatusError):
    """408."""


class ConflictError(APIStatusError):
    """409."""


class PreconditionFailedError(APIStatusError):
    """412."""


class ContentTooLargeError(APIStatusError):
    """413."""


class UnprocessableEntityError(APIStatusError):
    """422."""


class RateLimitError(APIStatusError):
    """429."""


class RequestHeaderFieldsTooLargeError(APIStatusError):
    """431."""


class ClientClosedRequestError(APIStatusError):
    """499."""


class InternalServerError(APIStatusError):
    """Any status >= 500; the more specific 5xx classes below derive from it."""


class HTTPNotImplementedError(InternalServerError):
    """501."""


class ServiceUnavailableError(InternalServerError):
    """503."""


class GatewayTimeoutError(InternalServerError):
    """504."""


class OverloadedError(InternalServerError):
    """529: the API is overloaded."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: RequestTimeoutError,
    409: ConflictError,
    412: PreconditionFailedError,
    413: ContentTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    431: RequestHeaderFieldsTooLargeError,
    499: ClientClosedRequestError,
    501: HTTPNotImplementedError,
    503: ServiceUnavailableError,
    504: GatewayTimeoutError,
    529: OverloadedError,
}

#: The HTTP status each ``error.type`` stands for, used for errors that arrive inside a stream.
_STATUS_BY_TYPE: dict[str, int] = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "conflict_error": 409,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}

_MAX_TEXT = 300


def error_class(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP status."""
    if status_code in _BY_STATUS:
        return _BY_STATUS[status_code]
    return InternalServerError if status_code >= 500 else APIStatusError


def status_error(status_code: int, content: bytes, headers: Mapping[str, str] | None = None) -> APIStatusError:
    """Build the typed exception for an error reply (JSON envelope or not)."""
    body: Any
    try:
        body = json.loads(content) if content else None
    except ValueError:
        body = content.decode("utf-8", "replace")
    return _from_body(status_code, body, headers.get("request-id") if headers is not None else None)


def stream_error(data: bytes, request_id: str | None) -> APIStatusError:
    """The exception for an ``event: error`` frame; its class follows ``error.type``
    (``overloaded_error`` -> :class:`OverloadedError` with ``status_code`` 529 ...)."""
    try:
        body = json.loads(data)
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    error_type = error.get("type") if isinstance(error, dict) else None
    status = _STATUS_BY_TYPE.get(error_type, 500) if isinstance(error_type, str) else 500
    if body is None:
        text = data.decode("utf-8", "replace")[:_MAX_TEXT] or "(empty)"
        return InternalServerError(
            f"the stream reported an error: {text}", status_code=status, request_id=request_id, body=text
        )
    return _from_body(status, body, request_id)


def _from_body(status_code: int, body: Any, request_id: str | None) -> APIStatusError:
    """The typed exception for a parsed error reply; ``request_id`` (from the headers) wins over the body's."""
    rid = request_id or (_str_or_none(body.get("request_id")) if isinstance(body, dict) else None)
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        details = error.get("details")
        code = details.get("error_code") if isinstance(details, dict) else None
        return error_class(status_code)(
            _str_or_none(error.get("message")) or "(no message)",
            status_code=status_code,
            error_type=_str_or_none(error.get("type")),
            error_code=_str_or_none(code),
            request_id=rid,
            body=body,
        )
    return error_class(status_code)(
        _describe_unexpected(status_code, body), status_code=status_code, request_id=rid, body=body
    )


def _describe_unexpected(status_code: int, body: Any) -> str:
    if body is None or body == "":
        return f"HTTP {status_code} with an empty body"
    text = body if isinstance(body, str) else json.dumps(body)
    text = " ".join(text.split())
    if len(text) > _MAX_TEXT:
        text = text[:_MAX_TEXT] + "..."
    return f"HTTP {status_code} with an unexpected body: {text}"


def describe_invalid(exc: Exception) -> str:
    """Why a reply could not be read, in one short line: the first problem of a pydantic
    ``ValidationError`` as ``field.path: message`` (union labels left out), else the exception's text."""
    errors = getattr(exc, "errors", None)
    found = errors(include_url=False, include_input=False) if callable(errors) else None
    if not found:
        return str(exc)
    first = found[0]
    where = ".".join(str(part) for part in first["loc"] if not _is_union_label(part))
    return f"{where}: {first['msg']}" if where else first["msg"]


def _is_union_label(part: Any) -> bool:
    """pydantic's name for a union member in an error location (``tagged-union[…]`` or a class
    name); the API's field names are snake_case."""
    return isinstance(part, str) and (part.endswith("]") or part[:1].isupper())


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
