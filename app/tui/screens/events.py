"""EventsScreen: the session's raw events, one row each, filtered by type or text.

The rows are the events the transcript has folded, in order: time (``processed_at``), type, id and
a one-line summary. An :class:`~textual.widgets.OptionList` holds them (virtualized: a session may
have 10,000 events). Typing in the filter keeps the rows whose type, id or summary contain every
word typed; enter on a row opens the :class:`~app.tui.screens.inspector.EventInspector` for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from app.api.models import UnreadableEvent
from app.api.transcript_blocks import one_line, text_of
from app.tui.chat.highlight import MUTED, compact_json
from app.tui.screens.inspector import EventInspector, event_wire
from app.tui.widgets.footer import Footer

#: Width of the type column.
TYPE_WIDTH = 28
SUMMARY_LIMIT = 160
_ENVELOPE = ("type", "id", "processed_at")


def event_time(event: Any) -> str:
    """``HH:MM:SS.mmm`` of ``processed_at`` (``queued`` while it has none)."""
    stamp = getattr(event, "processed_at", None)
    return stamp[11:23] if stamp and len(stamp) >= 19 else "queued"


def event_summary(event: Any) -> str:
    """One line saying what the event holds: its text, a tool call's name and input, else its fields."""
    if isinstance(event, UnreadableEvent):
        return f"unreadable: {event.error}"
    wire = event_wire(event)
    content = wire.get("content")
    text = text_of(content) if isinstance(content, list) else ""
    if wire.get("name") is not None:
        text = f"{wire['name']} {compact_json(wire.get('input', {}))} {text}"
    if not text:
        text = compact_json({key: value for key, value in wire.items() if key not in _ENVELOPE})
    return one_line(text, SUMMARY_LIMIT)


class EventsScreen(ModalScreen[None]):
    """Lists ``events`` (oldest first) under ``title``."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="events.close"),
        Binding("slash", "focus_filter", "Filter", id="events.filter"),
        Binding("down", "focus_list", "To the list", id="events.to_list", show=False),
    ]

    def __init__(self, title: str, events: Sequence[Any]) -> None:
        super().__init__()
        self.title_text = title
        self.events = list(events)
        #: (haystack for the filter, prompt) of each event, built once.
        self._rows = [self._row(event) for event in self.events]

    @staticmethod
    def _row(event: Any) -> tuple[str, Content]:
        event_id = getattr(event, "id", None) or "(no id)"
        summary = event_summary(event)
        prompt = Content.assemble(
            (event_time(event), MUTED),
            "  ",
            (event.type.ljust(TYPE_WIDTH), "bold"),
            " ",
            (event_id, MUTED),
            "  ",
            Content(summary),
        )
        return f"{event.type} {event_id} {summary}".lower(), prompt

    def compose(self) -> ComposeResult:
        with Vertical(id="events", classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Input(placeholder="Filter by type or text", id="events-filter")
            yield Static(id="events-count")
            yield OptionList(id="events-list")
        yield Footer()

    def on_mount(self) -> None:
        self._show("")
        self.query_one(OptionList).focus()

    @property
    def shown(self) -> list[Any]:
        """The events listed now (after the filter)."""
        listed = self.query_one(OptionList)
        return [self.events[int(listed.get_option_at_index(i).id or 0)] for i in range(listed.option_count)]

    def _show(self, query: str) -> None:
        words = query.lower().split()
        options = [
            Option(prompt, id=str(index))
            for index, (haystack, prompt) in enumerate(self._rows)
            if all(word in haystack for word in words)
        ]
        listed = self.query_one(OptionList)
        listed.clear_options()
        listed.add_options(options)
        if options:
            listed.highlighted = len(options) - 1  # the newest, as in the transcript
        total = f"{len(self.events):,} event{'s' if len(self.events) != 1 else ''}"
        count = total if not words else f"{len(options):,} of {total}"
        self.query_one("#events-count", Static).update(Content.styled(count, MUTED))

    @on(Input.Changed, "#events-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#events-filter")
    def _filtered(self) -> None:
        self.action_focus_list()

    @on(OptionList.OptionSelected, "#events-list")
    def _open(self, message: OptionList.OptionSelected) -> None:
        event = self.events[int(message.option.id or 0)]
        self.app.push_screen(EventInspector(f"Event {getattr(event, 'id', None) or event.type}", [event]))

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()
