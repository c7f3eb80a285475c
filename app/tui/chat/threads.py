"""ThreadStrip: the threads of a multi-agent session, one chip per thread, above the transcript.

The primary thread ("main", with its agent's name) comes first, then each child thread with its
agent's name, a status glyph (:data:`app.tui.glyphs.SESSION`) and, when the threads list gave
them, its tokens and cost. The chip of the thread shown in the transcript is marked; clicking a
chip posts :class:`ThreadStrip.Picked`. The chat view hides the strip while the session has no
child thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from app.tui.format import count
from app.tui.glyphs import session_glyph

#: How a thread that was just spawned shows (not a session status).
_CREATED = ("○", "created", "$text-muted")


@dataclass(frozen=True)
class ThreadChip:
    """One thread as the strip shows it; ``primary`` for the session's own (first) thread."""

    id: str
    name: str
    status: str | None
    primary: bool = False
    tokens: int | None = None
    cost: str | None = None

    @property
    def label(self) -> str:
        if self.primary:
            return f"main · {self.name}" if self.name else "main"
        return self.name


class ThreadStrip(Widget):
    """One line of thread chips. Public API: :attr:`chips`, :attr:`selected`; posts :class:`Picked`."""

    DEFAULT_CSS = "ThreadStrip { height: 1; }"

    chips: reactive[tuple[ThreadChip, ...]] = reactive(())
    #: The id of the thread shown in the transcript (None: the primary).
    selected: reactive[str | None] = reactive(None)

    class Picked(Message):
        """A chip was clicked: show ``thread_id`` (None for the primary)."""

        def __init__(self, thread_id: str | None) -> None:
            super().__init__()
            self.thread_id = thread_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        #: (first column, last column + 1, thread id or None) of each chip, for clicks.
        self._spans: list[tuple[int, int, str | None]] = []

    def render(self) -> Content:
        parts: list[Content] = []
        spans: list[tuple[int, int, str | None]] = []
        column = 0
        for chip in self.chips:
            if parts:
                separator = Content.styled(" │ ", "$text-muted")
                parts.append(separator)
                column += separator.cell_length
            chosen = (chip.id if not chip.primary else None) == self.selected
            chip_content = self._chip(chip, chosen)
            spans.append((column, column + chip_content.cell_length, None if chip.primary else chip.id))
            parts.append(chip_content)
            column += chip_content.cell_length
        if self.selected is not None:
            parts.append(Content.styled("   esc: back to main", "$text-muted"))
        self._spans = spans
        return Content.assemble(*parts)

    @staticmethod
    def _chip(chip: ThreadChip, chosen: bool) -> Content:
        if chip.status is None:
            glyph, label, colour = "…", "", "$text-muted"
        elif chip.status == "created":
            glyph, label, colour = _CREATED
        else:
            glyph, label, colour = session_glyph(chip.status)
        details = []
        if chip.tokens is not None:
            details.append(f"{count(chip.tokens)} tok")
        if chip.cost is not None:
            details.append(chip.cost)
        name_style = "bold reverse $accent" if chosen else "bold"
        return Content.assemble(
            ("▸ " if chosen else "  ", "$accent"),
            (f"{glyph} ", colour),
            (chip.label, name_style),
            (f" {label}" if label else "", colour),
            (f" · {' · '.join(details)}" if details else "", "$text-muted"),
        )

    def on_click(self, event: events.Click) -> None:
        for start, end, thread_id in self._spans:
            if start <= event.x < end:
                event.stop()
                self.post_message(self.Picked(thread_id))
                return
