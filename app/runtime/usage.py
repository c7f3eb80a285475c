"""A session's cumulative usage: token counters, active time, server tool calls and list cost.

The totals are the sums of every ``span.model_request_end.model_usage``; ``list_cost`` is priced
from a small table per model family, in US cents (minor units) as an integer string.
"""

from __future__ import annotations

import time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

#: USD per million tokens (input, output) by model family; a model id naming none is priced as sonnet.
PRICES_PER_MTOK: dict[str, tuple[int, int]] = {"opus": (5, 25), "sonnet": (3, 15), "haiku": (1, 5)}
DEFAULT_FAMILY = "sonnet"
#: Prompt-cache writes and reads cost these multiples of the input price.
CACHE_WRITE_FACTOR = Decimal("1.25")
CACHE_READ_FACTOR = Decimal("0.1")


def model_family(model_id: str) -> str:
    """``opus``, ``sonnet`` or ``haiku``, from a model id such as ``claude-sonnet-4-6``."""
    return next((family for family in PRICES_PER_MTOK if family in model_id.lower()), DEFAULT_FAMILY)


def list_cost_cents(model_id: str, input_tokens: int, output_tokens: int, cache_write: int, cache_read: int) -> int:
    """The list price of those tokens in US cents, rounded half up."""
    price_in, price_out = (Decimal(p) for p in PRICES_PER_MTOK[model_family(model_id)])
    dollars = (
        input_tokens * price_in
        + output_tokens * price_out
        + cache_write * price_in * CACHE_WRITE_FACTOR
        + cache_read * price_in * CACHE_READ_FACTOR
    ) / 1_000_000
    return int((dollars * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class UsageMeter:
    """Running totals of one session, seeded from the ``usage`` already on the session object."""

    def __init__(self, model_id: str, usage: dict[str, Any] | None = None) -> None:
        usage = usage or {}
        self.model_id = model_id
        self.input_tokens = usage.get("input_tokens") or 0
        self.output_tokens = usage.get("output_tokens") or 0
        self.cache_read_input_tokens = usage.get("cache_read_input_tokens") or 0
        creation = usage.get("cache_creation") or {}
        self.cache_creation_5m = creation.get("ephemeral_5m_input_tokens") or 0
        self.cache_creation_1h = creation.get("ephemeral_1h_input_tokens") or 0
        self.active_seconds = float(usage.get("active_seconds") or 0.0)
        tools = usage.get("server_tool_use") or {}
        self.web_fetch_requests = tools.get("web_fetch_requests") or 0
        self.web_search_requests = tools.get("web_search_requests") or 0
        self._active_since: float | None = None

    def add(self, model_usage: dict[str, int]) -> None:
        """Count one model request (cache writes count as 5-minute cache entries)."""
        self.input_tokens += model_usage.get("input_tokens", 0)
        self.output_tokens += model_usage.get("output_tokens", 0)
        self.cache_read_input_tokens += model_usage.get("cache_read_input_tokens", 0)
        self.cache_creation_5m += model_usage.get("cache_creation_input_tokens", 0)

    def count_tool(self, name: str) -> None:
        """Count a server-side web tool call."""
        if name == "web_fetch":
            self.web_fetch_requests += 1
        elif name == "web_search":
            self.web_search_requests += 1

    def start_active(self) -> None:
        """The session started working (idempotent)."""
        if self._active_since is None:
            self._active_since = time.monotonic()

    def stop_active(self) -> None:
        """The session stopped working: add the time since :meth:`start_active`."""
        if self._active_since is not None:
            self.active_seconds += time.monotonic() - self._active_since
            self._active_since = None

    def active(self) -> float:
        """Seconds spent working so far, the current stretch included."""
        running = time.monotonic() - self._active_since if self._active_since is not None else 0.0
        return self.active_seconds + running

    def cost_cents(self) -> int:
        return list_cost_cents(
            self.model_id,
            self.input_tokens,
            self.output_tokens,
            self.cache_creation_5m + self.cache_creation_1h,
            self.cache_read_input_tokens,
        )

    def to_wire(self) -> dict[str, Any]:
        """The session ``usage`` object."""
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_read_input_tokens": self.cache_read_input_tokens,
            "cache_creation": {
                "ephemeral_5m_input_tokens": self.cache_creation_5m,
                "ephemeral_1h_input_tokens": self.cache_creation_1h,
            },
            "active_seconds": round(self.active(), 3),
            "list_cost": {"amount": str(self.cost_cents()), "currency": "USD"},
            "server_tool_use": {
                "web_fetch_requests": self.web_fetch_requests,
                "web_search_requests": self.web_search_requests,
            },
        }
