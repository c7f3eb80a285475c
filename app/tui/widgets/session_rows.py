"""What one row of the sessions list shows: pure formatting, no widgets, no I/O.

A row is three cells (status glyph and title, agent, age) built as Rich ``Text`` (never markup) so
titles like ``list[int] [/]`` show as typed. Colours come from the theme's variables, resolved by
the caller (DataTable cells are Rich renderables and do not resolve ``$variables`` themselves).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.text import Text

from app.api.models import Session
from app.tui.glyphs import SPINNER, session_glyph, shown_status

#: Attention kinds: a session other than the open one started waiting on approval, or finished a turn.
APPROVAL, FINISHED = "approval", "finished"

AGENT_WIDTH = 10
AGE_WIDTH = 3


def parse_time(stamp: str) -> datetime:
    """An RFC 3339 timestamp of the API as an aware datetime."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


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


def display_status(session: Session, needs_approval: bool) -> str:
    """The glyph vocabulary's key: the API status, or ``needs_approval`` for idle + requires_action."""
    return shown_status(session.status, needs_approval)


#: What a session without a title is called, in its row and in the chat header.
UNTITLED = "Untitled session"


def title_of(session: Session) -> str:
    return session.title or UNTITLED


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


@dataclass(frozen=True)
class RowView:
    """Everything that decides how one row looks (compared to skip redundant cell updates)."""

    status: str
    title: str
    agent: str
    age: str
    attention: str | None
    archived: bool


def row_view(session: Session, *, needs_approval: bool, attention: str | None, now: datetime) -> RowView:
    return RowView(
        status=display_status(session, needs_approval),
        title=title_of(session),
        agent=session.agent_name,
        age=age(session.created_at, now),
        attention=attention,
        archived=session.archived_at is not None,
    )


def rich_colour(variable: str, theme: Mapping[str, str]) -> str:
    """A Rich style for a glyph colour variable (``$warning`` ...); muted text becomes ``dim``."""
    if variable == "$text-muted":
        return "dim"
    return theme.get(variable.removeprefix("$"), "")


def row_cells(
    view: RowView, *, title_width: int, spinner_frame: int, colour: Callable[[str], str]
) -> tuple[Text, Text, Text]:
    """The three cells of a row: glyph and title, agent, age. The running glyph follows the spinner."""
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
    return (
        title,
        Text(clip(view.agent, AGENT_WIDTH), style="dim" if view.archived else "", no_wrap=True),
        Text(view.age.rjust(AGE_WIDTH), style="dim", no_wrap=True),
    )


def older_cells(loading: bool) -> tuple[Text, Text, Text]:
    """The last row while older sessions exist that are not listed: enter (or reaching it) loads them."""
    if loading:
        return Text("⋯ loading…", style="dim", no_wrap=True), Text(""), Text("")
    return Text("⋯ older sessions", style="dim", no_wrap=True), Text("enter", style="dim", no_wrap=True), Text("")


def attention_note(kind: str, title: str) -> str:
    """The notification text for a session that wants attention (plain text, never markup)."""
    return f"“{title}” needs approval" if kind == APPROVAL else f"“{title}” finished its turn"
