"""Object ids and wire timestamps, both strictly increasing within the process, and the fields
every new object starts with.

An id is ``<prefix>_01`` + 10 base62 digits of a monotonic microsecond clock + 12 random base62
digits (``sesn_01...``, 24 characters after the underscore like the real service's). The digits
sort in ASCII order, so ids made by one process sort in creation order.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_lock = threading.Lock()
_last_tick = 0
_last_ms = 0
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _base62(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, rem = divmod(value, 62)
        digits.append(_BASE62[rem])
    return "".join(reversed(digits))


def new_id(prefix: str) -> str:
    """A fresh id such as ``new_id("sevt") -> "sevt_011Dk3..."``."""
    global _last_tick
    with _lock:
        _last_tick = max(time.time_ns() // 1000, _last_tick + 1)
        tick = _last_tick
    rand = "".join(secrets.choice(_BASE62) for _ in range(12))
    return f"{prefix}_01{_base62(tick, 10)}{rand}"


def _format_ms(ms: int) -> str:
    moment = datetime.fromtimestamp(ms // 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def now() -> str:
    """The current time as ``2026-05-02T09:21:40.112Z``; each call is at least 1 ms after the last."""
    global _last_ms
    with _lock:
        _last_ms = max(time.time_ns() // 1_000_000, _last_ms + 1)
        ms = _last_ms
    return _format_ms(ms)


def new_object(type_: str, object_id: str, fields: dict[str, Any], stamp: str | None = None) -> dict[str, Any]:
    """A new wire object: its ``type`` and ``id``, then ``fields``, created and updated at ``stamp``
    (now when None), not archived."""
    stamp = stamp or now()
    return {"type": type_, "id": object_id, **fields, "created_at": stamp, "updated_at": stamp, "archived_at": None}


def normalize_timestamp(text: str) -> str:
    """An RFC 3339 timestamp in the wire form of :func:`now` (UTC, milliseconds), for comparisons.

    Raises ``ValueError`` for anything that is not a timestamp. A value without a zone is UTC.
    """
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _format_ms((moment - _EPOCH) // timedelta(milliseconds=1))
