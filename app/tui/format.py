"""How agentdeck writes numbers, times, ages, costs and titles in a few cells: pure functions, no widgets."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.api.models import Session, parse_time
from app.api.transcript_blocks import Money


def when(stamp: str) -> str:
    """A wire timestamp to the second, as ``2026-05-01 12:00:00``."""
    return stamp[:19].replace("T", " ")


def count(value: int | None) -> str:
    """A count in at most four cells: ``950``, ``4.1k``, ``12k``, ``1.2M`` (rounded: 99,999 is
    ``100k``); ``–`` when unknown."""
    if value is None:
        return "–"
    if value < 1000:
        return str(value)
    for size, suffix in ((1_000, "k"), (1_000_000, "M")):
        scaled = value / size
        if round(scaled, 1) < 10:
            return f"{scaled:.1f}{suffix}"
        if round(scaled) < 1000 or suffix == "M":
            return f"{round(scaled)}{suffix}"
    raise AssertionError("unreachable")


#: (unit, seconds in it, how many of them before the next unit); a year is 365 days.
_AGE_UNITS = (("m", 60, 60), ("h", 3600, 24), ("d", 86400, 100), ("w", 604800, 100))
_YEAR = 86400 * 365


def age(stamp: str, now: datetime) -> str:
    """How long ago, in at most three cells: ``now``, ``3m``, ``2h``, ``5d``, ``14w``, ``2y``."""
    seconds = (now - parse_time(stamp)).total_seconds()
    if seconds < 60:
        return "now"
    for unit, size, limit in _AGE_UNITS:
        if seconds < size * limit:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds // _YEAR)}y"


def age_changes(stamp: str, now: datetime) -> datetime:
    """When :func:`age` of ``stamp`` next reads differently from what it reads at ``now``."""
    created = parse_time(stamp)
    seconds = (now - created).total_seconds()
    size = next((size for _, size, limit in _AGE_UNITS if seconds < size * limit), _YEAR)
    return created + timedelta(seconds=(max(seconds, 0) // size + 1) * size)


#: What a session without a title is called, in its row and in the chat header.
UNTITLED = "Untitled session"


def title_of(session: Session) -> str:
    """The session's title, or :data:`UNTITLED`."""
    return session.title or UNTITLED


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def cost(session: Session) -> str:
    """The list cost in at most six cells: ``$0.42``, ``$12.30``, ``$123``, ``$12k``; ``–`` when not reported."""
    usage = session.usage
    if usage is None or usage.list_cost is None:
        return "–"
    money = Money(usage.list_cost.amount, usage.list_cost.currency)
    try:
        minor = int(money.amount)
    except ValueError:
        return clip(str(money), 6)
    if money.currency != "USD":
        return clip(str(money), 6)
    dollars = minor / 100
    if dollars < 100:
        return f"${dollars:.2f}"
    return f"${dollars:.0f}" if dollars < 10_000 else f"${dollars / 1000:.0f}k"
