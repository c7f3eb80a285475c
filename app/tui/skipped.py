"""What a list says about the items it could not read (a newer API's variant, a server bug): the
others are shown, and a note says how many were left out and why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the environments pane is on the first frame: it must not load the models
    from app.api.models import SkippedItem


def skipped_note(noun: str, items: Sequence[SkippedItem]) -> str | None:
    """``2 unreadable sessions skipped (sesn_1: status: …)``, naming the first; None when none were."""
    if not items:
        return None
    first = items[0]
    plural = "" if len(items) == 1 else "s"
    where = f"{first.id}: " if first.id else ""
    return f"{len(items)} unreadable {noun}{plural} skipped ({where}{first.error})"
