"""What one row of the sessions list shows: pure formatting, no widgets, no I/O.

A row's cells (status glyph and title, status, agent, tokens, cost, age since the last activity)
are Rich ``Text`` (never markup) so titles like ``list[int] [/]`` show as typed. Which columns a
pane of a given width shows is :func:`layout`'s choice: below the width they all need, the least
useful go first (status, then agent, tokens, cost), so nothing wraps. Colours come from the
theme's variables, resolved by the caller (DataTable cells are Rich renderables and do not resolve
``$variables`` themselves).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text

from app.api.models import Session
from app.api.session_watch import APPROVAL
from app.tui.format import age, clip, cost, count, title_of
from app.tui.glyphs import SPINNER, session_glyph, shown_status


@dataclass(frozen=True)
class Column:
    """A column of the list; the title's ``width`` is 0: it takes what the others leave."""

    key: str
    header: str
    width: int


TITLE = Column("title", "  Title", 0)
#: The other columns, in the order shown.
COLUMNS = (
    Column("status", "Status", 8),
    Column("agent", "Agent", 10),
    Column("tokens", "Tokens", 6),
    Column("cost", "Cost", 6),
    Column("age", "Age", 3),
)
#: Which of them a narrow pane keeps first (the others go, last first, rather than wrap).
KEPT_FIRST = ("age", "cost", "tokens", "agent", "status")
#: The title keeps at least this many cells (glyph, space and the title's start).
MIN_TITLE = 12
#: Cells of padding around every column (one each side).
PADDING = 2


def layout(width: int) -> tuple[list[Column], int]:
    """The columns that fit ``width`` cells, title first, and the title's width."""
    used, kept = MIN_TITLE + PADDING, set()
    by_key = {column.key: column for column in COLUMNS}
    for key in KEPT_FIRST:
        if used + by_key[key].width + PADDING <= width:
            kept.add(key)
            used += by_key[key].width + PADDING
    shown = [column for column in COLUMNS if column.key in kept]
    return [TITLE, *shown], max(width - PADDING - sum(c.width + PADDING for c in shown), MIN_TITLE)


def display_status(session: Session, needs_approval: bool) -> str:
    """The glyph vocabulary's key: the API status, or ``needs_approval`` for idle + requires_action."""
    return shown_status(session.status, needs_approval)


def tokens_of(session: Session) -> int | None:
    """Every token the session used (input, output, cache reads and writes); None when not reported."""
    usage = session.usage
    if usage is None:
        return None
    creation = usage.cache_creation
    counts = (
        usage.input_tokens,
        usage.output_tokens,
        usage.cache_read_input_tokens,
        creation.ephemeral_5m_input_tokens if creation else None,
        creation.ephemeral_1h_input_tokens if creation else None,
    )
    return sum(c or 0 for c in counts) if any(c is not None for c in counts) else None


@dataclass(frozen=True)
class RowView:
    """Everything that decides how one row looks (compared to skip redundant cell updates)."""

    status: str
    title: str
    agent: str
    tokens: str
    cost: str
    age: str
    attention: str | None
    archived: bool
    #: The session's last activity: the list's order.
    updated_at: str


def row_view(session: Session, *, needs_approval: bool, attention: str | None, now: datetime) -> RowView:
    return RowView(
        status=display_status(session, needs_approval),
        title=title_of(session),
        agent=session.agent_name,
        tokens=count(tokens_of(session)),
        cost=cost(session),
        age=age(session.updated_at, now),
        attention=attention,
        archived=session.archived_at is not None,
        updated_at=session.updated_at,
    )


def rich_colour(variable: str, theme: Mapping[str, str]) -> str:
    """A Rich style for a glyph colour variable (``$warning`` ...); muted text becomes ``dim``."""
    if variable == "$text-muted":
        return "dim"
    return theme.get(variable.removeprefix("$"), "")


#: The status column's words (the glyph says the same in the title cell).
_STATUS_WORDS = {
    "needs_approval": "approval",
    "needs_result": "result",
    "rescheduling": "retrying",
    "terminated": "ended",
}


def row_cells(view: RowView, *, title_width: int, spinner_frame: int, colour: Callable[[str], str]) -> dict[str, Text]:
    """Every cell of a row by column key. The running glyph follows the spinner."""
    glyph, _label, variable = session_glyph(view.status)
    if view.status == "running":
        glyph = SPINNER[spinner_frame % len(SPINNER)]
    title_style = ""
    if view.attention is not None:
        title_style = f"bold {colour('$warning' if view.attention == APPROVAL else '$accent')}"
    elif view.archived:
        title_style = "dim italic"
    title = Text.assemble((glyph, colour(variable)), " ", (clip(view.title, title_width - 2), title_style))
    title.no_wrap = True
    muted = "dim" if view.archived else ""
    width = {column.key: column.width for column in COLUMNS}
    status = _STATUS_WORDS.get(view.status, view.status)
    return {
        "title": title,
        "status": Text(clip(status, width["status"]), style=colour(variable), no_wrap=True),
        "agent": Text(clip(view.agent, width["agent"]), style=muted, no_wrap=True),
        "tokens": Text(view.tokens.rjust(width["tokens"]), style=muted, no_wrap=True),
        "cost": Text(view.cost.rjust(width["cost"]), style=muted, no_wrap=True),
        "age": Text(view.age.rjust(width["age"]), style="dim", no_wrap=True),
    }


def older_cells(loading: bool) -> dict[str, Text]:
    """The last row while older sessions exist that are not listed: enter (or reaching it) loads them."""
    title = Text("⋯ loading…" if loading else "⋯ older sessions", style="dim", no_wrap=True)
    return {"title": title, "agent": Text("" if loading else "enter", style="dim", no_wrap=True)}


def attention_note(kind: str, title: str) -> str:
    """The notification text for a session that wants attention (plain text, never markup)."""
    return f"“{title}” needs approval" if kind == APPROVAL else f"“{title}” finished its turn"
