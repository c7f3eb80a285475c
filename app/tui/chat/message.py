"""The agent's message: markdown drawn line by line, however long it grows.

A long answer would be hundreds of widgets as a Textual ``Markdown`` (a widget per paragraph, list
item, code block...), and every layout of the screen walks them all. :class:`AgentMessage` is one
widget instead: :class:`~app.tui.chat.markdown_lines.MarkdownLines` keeps the answer's settled
blocks rendered and re-renders only the tail that is still streaming, and ``render_line`` hands
out the strips of the lines on screen only. A streamed update that keeps the message's height
repaints only the tail's lines, without a layout (a streaming message grows ``GROWTH`` lines at a
time, so most updates keep its height), and a burst of text is drawn within a deadline
per frame (:meth:`AgentMessage.advance`), so a fast stream never holds the screen up.

Mouse selection works as in Textual's own widgets: each line carries its offsets, the selected
part is drawn in the screen's selection style, and :meth:`AgentMessage.get_selection` gives the
text of the lines as shown (ctrl+c copies it).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.geometry import Region, Size
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip

from app.api.transcript_blocks import AgentMessageBlock
from app.tui.chat.markdown_lines import MarkdownLines, MarkdownPainter
from app.tui.chat.marks import Marked

#: While a message streams its height grows by this many lines at a time (the last few are blank
#: until the text reaches them).
GROWTH = 4

#: One painter per app and theme: its console and styles are built once (and go with the app).
_painters: WeakKeyDictionary[App[object], dict[str, MarkdownPainter]] = WeakKeyDictionary()


def painter_for(app: App[object]) -> MarkdownPainter:
    """The markdown painter of ``app``'s current theme."""
    painters = _painters.get(app)
    if painters is None:
        painters = _painters[app] = {}
    painter = painters.get(app.theme)
    if painter is None:
        painter = painters[app.theme] = MarkdownPainter(app.theme_variables, dark=app.current_theme.dark)
    return painter


class AgentMessage(Marked):
    """Assistant markdown; :meth:`update_block` takes the block as it is now (streaming or final),
    :meth:`advance` draws it."""

    class Pending(Message):
        """Laid out at a new width (or first laid out) with lines left to draw: the transcript
        view should call :meth:`AgentMessage.advance` at the next frame."""

        def __init__(self, message: AgentMessage) -> None:
            super().__init__()
            self.message = message

    def __init__(self, block: AgentMessageBlock) -> None:
        super().__init__(classes="block agent-message")
        self.block_id = block.id
        self.block = block
        self._lines = MarkdownLines(block.text)
        #: The widget's colours as a Rich style (None until asked; dropped when the styles change).
        self._base: Style | None = None
        #: A :class:`Pending` message is on its way.
        self._asked = False
        self._set_state(block)

    @property
    def source(self) -> str:
        """The markdown the widget shows."""
        return self._lines.text

    def _set_state(self, block: AgentMessageBlock) -> None:
        self.set_class(block.streaming, "-streaming")
        tooltip = f"{block.redacted} part(s) redacted by the server" if block.redacted else None
        if tooltip != self.tooltip:  # setting it looks the screen up
            self.tooltip = tooltip

    def update_block(self, block: AgentMessageBlock) -> None:
        """Take ``block``; its new text is drawn by :meth:`advance`."""
        ended = self.block.streaming and not block.streaming
        self.block = block
        self._set_state(block)
        self._lines.set_text(block.text)
        if ended:
            self.refresh(layout=True)  # the lines kept for the stream to grow into go

    def advance(self, deadline: float) -> bool:
        """Draw what the text gained, until ``time.perf_counter()`` passes ``deadline``; True when
        all of it is drawn (else call again at the next frame). Only the lines that changed are
        repainted, and the screen is laid out again only when the message's height changed."""
        self._asked = False
        width = self.content_size.width
        if not width or not self.is_mounted:
            return True  # drawn when it is first laid out (which says if lines are left)
        settled, tail = self._parts(width)
        top, before = len(settled), self._height(settled, tail)
        done = self._lines.advance(deadline)
        settled, tail = self._parts(width)
        if self._height(settled, tail) != before:
            self.refresh(layout=True)
        else:
            changed_from = min(top, len(settled))
            self.refresh(Region(0, changed_from, self.size.width, self.size.height - changed_from))
        return done

    def _height(self, settled: list[Strip], tail: list[Strip]) -> int:
        """Lines the message takes: while it streams, rounded up to ``GROWTH`` lines, so the
        screen is laid out again (and the transcript scrolls) once every few lines, not on each."""
        lines = len(settled) + len(tail)
        return -(-lines // GROWTH) * GROWTH if self.block.streaming else lines

    def _parts(self, width: int) -> tuple[list[Strip], list[Strip]]:
        return self._lines.lines(width, painter_for(self.app))

    @property
    def _base_style(self) -> Style:
        if self._base is None:
            self._base = self.visual_style.rich_style
        return self._base

    def notify_style_update(self) -> None:
        self._base = None
        super().notify_style_update()

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        settled, tail = self._parts(width)
        if self._lines.pending and not self._asked:
            self._asked = True
            self.post_message(self.Pending(self))
        return self._height(settled, tail)

    def render_line(self, y: int) -> Strip:
        """Line ``y``: the markdown's strip (with its search marks) on the widget's colours, padded
        to the width (both cached by the strip itself)."""
        width = self.content_size.width
        base = self._base_style
        settled, tail = self._parts(width)
        if y < len(settled):
            strip = settled[y]
        elif y - len(settled) < len(tail):
            strip = tail[y - len(settled)]
        else:
            return Strip.blank(width, base)
        strip = self.marked(strip).apply_style(base).crop_extend(0, width, base)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            start, end = span
            before, chosen, after = strip.divide([start, width if end == -1 else end, width])
            selected = self.screen.get_component_rich_style("screen--selection")
            chosen = Strip(Segment.apply_style(chosen, post_style=selected), chosen.cell_length)
            strip = Strip.join([before, chosen, after])
        return strip.apply_offsets(0, y)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected part of the lines as shown (mouse selection; see Textual's ``Widget.get_selection``)."""
        settled, tail = self._parts(self.content_size.width)
        text = "\n".join(strip.text.rstrip() for strip in (*settled, *tail))
        return selection.extract(text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()
