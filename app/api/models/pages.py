"""The list envelope shared by every list endpoint (reference §2.1)."""

from __future__ import annotations

from typing import Generic, TypeVar

from app.api.models.base import WireModel

T = TypeVar("T")


class Page(WireModel, Generic[T]):
    """One page: ``data`` plus opaque cursors (``prev_page`` only on ``GET /v1/sessions``).

    Send ``page=<next_page>`` for the next one; ``None`` or ``""`` means this is the last.
    """

    data: list[T]
    next_page: str | None = None
    prev_page: str | None = None
