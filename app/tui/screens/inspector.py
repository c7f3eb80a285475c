"""EventInspector: the raw events behind a transcript block (or one event), as highlighted JSON.

Each event is headed by its number, type, id and ``processed_at``; a message or thinking block
also says how it streamed in here (its deltas and how long, on the client's clock) or that it
did not. ``c`` (or ``y``) copies the JSON, escape closes. Events never carry the API key, and
nothing is added to them here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from app.api.feed_state import Streamed
from app.api.models import UnreadableEvent
from app.api.transcript_blocks import AgentMessageBlock, ThinkingBlock
from app.tui.chat.block_text import pretty_json
from app.tui.chat.highlight import MUTED, code
from app.tui.widgets.footer import Footer

#: JSON longer than this many characters is shown plain: highlighting it would hold the screen up.
HIGHLIGHT_LIMIT = 200_000


def event_wire(event: Any) -> Any:
    """An event as the server sent it: its wire JSON (an unreadable one's raw text, parsed when it parses)."""
    if isinstance(event, UnreadableEvent):
        try:
            return json.loads(event.raw)
        except ValueError:
            return event.raw
    return event.to_wire()


def stream_note(block: Any, streamed: Streamed | None) -> str | None:
    """How a message or thinking block streamed in here (None for other blocks)."""
    if not isinstance(block, (AgentMessageBlock, ThinkingBlock)):
        return None
    if streamed is None:
        return "Not streamed here: it came whole (from history, or in one batch without deltas)."
    deltas = f"{streamed.deltas:,} delta{'s' if streamed.deltas != 1 else ''}"
    if streamed.seconds is None:
        return f"Streaming here: {deltas} so far."
    return f"Streamed here: {deltas} in {streamed.seconds:.2f} s (client clock, event_start to the final event)."


def event_heading(number: int, total: int, event: Any) -> str:
    """``2/3 agent.tool_result · id sevt_… · processed_at 2026-…``."""
    processed = getattr(event, "processed_at", None) or "null (queued)"
    return f"{number}/{total} {event.type} · id {getattr(event, 'id', None) or '(none)'} · processed_at {processed}"


def events_body(events: Sequence[Any]) -> Content:
    """Every event's heading and highlighted JSON, one after the other."""
    parts: list[Content] = []
    for number, event in enumerate(events, start=1):
        text = pretty_json(event_wire(event))
        body = code(text, "json") if len(text) <= HIGHLIGHT_LIMIT else Content(text)
        parts += [Content.styled(event_heading(number, len(events), event), "bold $accent"), body, Content("")]
    return Content("\n").join(parts) if parts else Content.styled("No events: nothing was folded into it yet.", MUTED)


class EventInspector(ModalScreen[None]):
    """Shows ``events`` under ``title`` (plain text), with an optional ``note`` line."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", id="inspector.close"),
        Binding("c,y", "copy", "Copy JSON", id="inspector.copy"),
    ]

    def __init__(self, title: str, events: Sequence[Any], note: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.events = list(events)
        self.note = note

    @property
    def json_text(self) -> str:
        """The JSON the copy key copies: the event, or a list of them."""
        wires = [event_wire(event) for event in self.events]
        return pretty_json(wires[0] if len(wires) == 1 else wires)

    def compose(self) -> ComposeResult:
        with Vertical(id="inspector", classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            if self.note:
                yield Static(Content(self.note), id="inspector-note")
            with VerticalScroll(id="inspector-scroll"):
                yield Static(events_body(self.events), id="inspector-json")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#inspector-scroll").focus()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.json_text)
        count = len(self.events)
        self.notify(f"Copied the JSON of {count} event{'s' if count != 1 else ''}", markup=False)
