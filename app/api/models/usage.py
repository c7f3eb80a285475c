"""Money, budgets and usage counters shared by sessions, threads and events."""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from app.api.models.base import WireModel
from app.api.models.unions import KNOWN_FIRST, Fallback, Tagged, tag_other_than


class MonetaryAmount(WireModel):
    """Money as an integer string in minor units: ``{"amount": "2500", "currency": "USD"}`` is $25."""

    amount: str
    currency: str


class BudgetLimit(Tagged):
    """A session's spending cap (what requests set)."""

    type: Literal["limit"] = "limit"
    max_list_cost: MonetaryAmount


class UnknownBudget(Fallback):
    """A budget type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(BudgetLimit)]


#: A session's ``budget`` as read; unknown types parse as :class:`UnknownBudget`.
Budget: TypeAlias = Annotated[BudgetLimit | UnknownBudget, KNOWN_FIRST]


class CacheCreationUsage(WireModel):
    ephemeral_5m_input_tokens: int | None = None
    ephemeral_1h_input_tokens: int | None = None


class ServerToolUsage(WireModel):
    web_fetch_requests: int | None = None
    web_search_requests: int | None = None


class SessionUsage(WireModel):
    """Cumulative usage of a session (or a thread); every field may be missing."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    cache_creation: CacheCreationUsage | None = None
    active_seconds: float | None = None
    list_cost: MonetaryAmount | None = None
    server_tool_use: ServerToolUsage | None = None
