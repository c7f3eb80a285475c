"""Error bodies and delete replies (reference §2.2)."""

from __future__ import annotations

from typing import Literal

from app.api.models.base import WireModel
from app.api.models.unions import Tagged


class ErrorDetails(WireModel):
    """``error_code`` is the stable code to branch on (e.g. ``environment_not_found``)."""

    error_code: str | None = None


class ErrorBody(WireModel):
    """``type`` is e.g. ``not_found_error``, ``rate_limit_error``, ``overloaded_error``."""

    type: str
    message: str
    details: ErrorDetails | None = None


class ErrorEnvelope(Tagged):
    """The JSON body of an error response, and the data of an SSE ``event: error`` frame."""

    type: Literal["error"] = "error"
    error: ErrorBody
    request_id: str | None = None

    @property
    def error_code(self) -> str | None:
        """``error.details.error_code``, if the server sent one."""
        return self.error.details.error_code if self.error.details else None


class DeletedObject(WireModel):
    """The reply to a ``DELETE``: ``{id, type: "<object>_deleted"}``."""

    id: str
    type: str
