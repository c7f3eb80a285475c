"""When to retry a request, and how long to wait first.

Replay-safe requests (everything except sending events) are retried after connection errors,
timeouts, 408, 429 and 5xx. A request that would duplicate a user's input if replayed is retried
only when it provably never reached the server (the connection could not be made) or when the
server says ``x-should-retry: true``. When the server sends ``x-should-retry`` its word is final.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

import httpx

INITIAL_DELAY = 0.5
MAX_BACKOFF = 8.0
#: A server asking for a longer wait than this gets its error surfaced instead of a frozen client.
MAX_RETRY_AFTER = 60.0

_RETRYABLE_STATUS = frozenset({408, 429})
#: Failures that happen before a single byte of the request left this machine.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def should_retry_exception(exc: Exception, *, replay_safe: bool) -> bool:
    """Whether a transport failure is worth another attempt."""
    if isinstance(exc, _NEVER_SENT):
        return True
    return replay_safe and isinstance(exc, _TRANSIENT)


def should_retry_status(status_code: int, headers: Mapping[str, str], *, replay_safe: bool) -> bool:
    """Whether an error reply is worth another attempt."""
    verdict = headers.get("x-should-retry")
    if verdict == "true":
        return True
    if verdict == "false" or not replay_safe:
        return False
    return status_code in _RETRYABLE_STATUS or status_code >= 500


def backoff(retries_done: int) -> float:
    """``min(0.5 * 2**n, 8)`` seconds with up to 25 % jitter taken off."""
    return min(INITIAL_DELAY * 2.0**retries_done, MAX_BACKOFF) * (1 - 0.25 * random.random())


def retry_delay(retries_done: int, headers: Mapping[str, str]) -> float | None:
    """Seconds to wait before retrying an error reply, or ``None`` when the server asks for too long.

    ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date) win when positive; otherwise
    :func:`backoff`.
    """
    asked = _server_delay(headers)
    if asked is not None:
        return asked if asked <= MAX_RETRY_AFTER else None
    return backoff(retries_done)


def _server_delay(headers: Mapping[str, str]) -> float | None:
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        seconds: float | None
        try:
            seconds = float(value) * scale
        except ValueError:
            seconds = _seconds_until(value) if scale == 1.0 else None
        if seconds is not None and seconds > 0:
            return seconds
    return None


def _seconds_until(http_date: str) -> float | None:
    try:
        when = parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - time.time()
