"""API errors as the runtime raises them, and the §2.2 envelope they become on the wire.

Raise :class:`RouteError` anywhere a request is handled (routes, the engine's ``send``); the app turns
it into ``{"type":"error","error":{"type","message","details"?},"request_id"}`` with the status,
a ``request-id`` header and ``x-should-retry: false`` unless the error is transient.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")

#: Statuses a client may retry (the SDK would anyway); every other error says ``x-should-retry: false``.
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 529})


class RouteError(Exception):
    """What a route answers instead of its result: HTTP ``status``, ``error.type``, a message, and an
    optional ``error_code`` (the client side of the same reply is :class:`app.api.errors.AgentAPIError`)."""

    def __init__(self, status: int, type: str, message: str, *, error_code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.type = type
        self.message = message
        self.error_code = error_code

    @classmethod
    def invalid_request(cls, message: str, error_code: str | None = None) -> RouteError:
        """400 ``invalid_request_error``."""
        return cls(400, "invalid_request_error", message, error_code=error_code)

    @classmethod
    def not_found(cls, message: str, error_code: str | None = None) -> RouteError:
        """404 ``not_found_error`` (``error_code`` such as ``session_not_found``)."""
        return cls(404, "not_found_error", message, error_code=error_code)

    @classmethod
    def conflict(cls, message: str, error_code: str | None = None) -> RouteError:
        """409 ``conflict_error`` (not transient: the client must re-read first)."""
        return cls(409, "conflict_error", message, error_code=error_code)

    def envelope(self, request_id: str) -> dict[str, Any]:
        """The JSON error body."""
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.error_code:
            error["details"] = {"error_code": self.error_code}
        return {"type": "error", "error": error, "request_id": request_id}


def found(obj: T | None, kind: str, object_id: str) -> T:
    """``obj`` as looked up, else a 404 for an unknown ``kind`` (``environment``, ``agent``,
    ``session``, ``thread``, ``session_resource``) with error code ``<kind>_not_found``."""
    if obj is None:
        raise RouteError.not_found(f"{kind} {object_id!r} not found", f"{kind}_not_found")
    return obj
