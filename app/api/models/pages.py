"""The list envelope shared by every list endpoint (reference §2.1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import PrivateAttr

from app.api.models.base import WireModel

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SkippedItem:
    """A list item this client could not read, left out of its page: its ``id`` (when it has a
    string one), what was wrong, and the item as received."""

    id: str | None
    error: str
    raw: Any


class Page(WireModel, Generic[T]):
    """One page: ``data`` plus opaque cursors (``prev_page`` only on ``GET /v1/sessions``).

    Send ``page=<next_page>`` for the next one; ``None`` or ``""`` means this is the last.
    """

    data: list[T]
    next_page: str | None = None
    prev_page: str | None = None
    _skipped: list[SkippedItem] = PrivateAttr(default_factory=list)

    @property
    def skipped(self) -> list[SkippedItem]:
        """The items of the reply left out of ``data`` because this client could not read them."""
        return self._skipped
