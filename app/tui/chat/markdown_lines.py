"""Markdown drawn line by line: a text cut into top-level blocks as it streams, each block rendered
once into strips.

A streamed answer only grows. :class:`MarkdownBlocks` cuts it where it can be cut into documents
that render like the whole (see :func:`block_boundary`): everything before the last cut is
*settled* and never parsed again; only the *tail* after it changes. :class:`MarkdownLines` renders
each settled block once (per width and style) with Rich's markdown renderer and keeps the strips,
so an update costs the tail alone however long the answer is, and a widget drawing the strips
(see :mod:`app.tui.chat.message`) pays only for the lines on screen.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Mapping
from typing import ClassVar

from rich.console import Console
from rich.markdown import Heading, Markdown
from rich.segment import Segment
from rich.style import Style
from rich.theme import Theme
from textual.color import Color
from textual.strip import Strip

#: Seconds of rendering a change of width or style may take at once; the rest is left pending.
LAYOUT_BUDGET = 0.004

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
#: Lines that may continue the block before them across a blank line: indented, list items,
#: quotes, table rows.
_CONTINUES = re.compile(r"[ \t]|([-*+]|\d+[.)])([ \t]|$)|[>|]")


def block_boundary(text: str) -> int | None:
    """The first offset where ``text`` can be cut in two documents that render like the whole: the
    start of a complete line that follows a blank line, outside code fences, and opens a new
    top-level block. None when there is none yet."""
    fence: str | None = None
    offset = 0
    blank_before = False
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if fence is None and blank_before and bare.strip() and line.endswith("\n") and not _CONTINUES.match(bare):
            return offset
        if match := _FENCE.match(bare):
            marker = match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not bare.strip()[len(marker) :].strip():
                fence = None
        blank_before = fence is None and not bare.strip()
        offset += len(line)
    return None


class MarkdownBlocks:
    """A markdown text kept as settled top-level blocks plus the tail still being written."""

    def __init__(self) -> None:
        self.settled: list[str] = []
        self.tail = ""
        self.text = ""
        self._settled_length = 0

    def update(self, text: str) -> int | None:
        """Take the whole text as it is now. Returns the index of the first block that changed (the
        count of blocks that stayed settled), or None when nothing changed. A text that does not
        extend the settled blocks (a rewrite) starts over from block 0."""
        if text == self.text:
            return None
        kept = len(self.settled)
        if not text.startswith(self.text[: self._settled_length]):
            self.settled, self._settled_length, kept = [], 0, 0
        tail = text[self._settled_length :]
        while (cut := block_boundary(tail)) is not None:
            self.settled.append(tail[:cut])
            self._settled_length += cut
            tail = tail[cut:]
        self.tail, self.text = tail, text
        return kept


class _Heading(Heading):
    """Headings aligned left, as in a chat (Rich centres the first level)."""

    LEVEL_ALIGN: ClassVar = dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "left")


class _Markdown(Markdown):
    elements: ClassVar = {**Markdown.elements, "heading_open": _Heading}


def _colour(variables: Mapping[str, str], name: str, background: Color) -> str | None:
    """A theme variable as a solid Rich colour (translucent ones blended onto ``background``)."""
    value = variables.get(name)
    if not value:
        return None
    try:
        colour = Color.parse(value)
    except Exception:  # "auto 60%" and other forms that need a widget to resolve
        return None
    return background.blend(colour.with_alpha(1), colour.a).hex if colour.a < 1 else colour.hex


def _style(colour: str | None, attributes: str = "", background: str | None = None) -> Style:
    """A Rich style from a colour, words such as ``bold underline`` (others are ignored) and a background."""
    words = set(attributes.split())
    return Style(
        color=colour or None,
        bgcolor=background or None,
        bold="bold" in words or None,
        italic="italic" in words or None,
        underline="underline" in words or None,
        dim="dim" in words or None,
    )


def markdown_theme(variables: Mapping[str, str]) -> Theme:
    """Rich's markdown styles from a Textual theme's variables (headings, code, quotes, links)."""
    try:
        background = Color.parse(variables.get("background", "#000000"))
    except Exception:
        background = Color(0, 0, 0)

    def colour(*names: str) -> str | None:
        """The first of ``names`` the theme defines as a colour."""
        return next((found for name in names if (found := _colour(variables, name, background))), None)

    primary, accent = colour("text-primary", "primary"), colour("text-accent", "accent")
    styles = {
        f"markdown.h{level}": _style(
            colour(f"markdown-h{level}-color", "primary"), variables.get(f"markdown-h{level}-text-style", "bold")
        )
        for level in range(1, 7)
    }
    styles |= {
        "markdown.code": _style(accent, background=colour("surface")),
        "markdown.block_quote": _style(colour("text-secondary", "secondary"), "italic"),
        "markdown.item.bullet": _style(accent, "bold"),
        "markdown.item.number": _style(accent),
        "markdown.link": _style(primary, "underline"),
        "markdown.link_url": _style(primary, "underline"),
        "markdown.hr": _style(colour("panel"), "dim"),
        "markdown.table.border": _style(colour("panel"), "dim"),
        "markdown.table.header": _style(primary, "bold"),
    }
    return Theme(styles, inherit=True)


#: Languages whose pygments lexers are loaded ahead of the first code block that needs one.
COMMON_LANGUAGES = ("python", "bash", "json", "javascript", "typescript", "yaml", "toml", "diff", "sql", "text")


def warm_up() -> None:
    """Load what the first code blocks of an answer need (pygments imports each lexer and style
    module the first time, tens of milliseconds each). Run it off the UI thread."""
    painter = MarkdownPainter({}, dark=True)
    for language in COMMON_LANGUAGES:
        painter.paint(f"```{language}\nx\n```\n", 20)
    MarkdownPainter({}, dark=False).paint("```text\nx\n```\n", 20)


class MarkdownPainter:
    """Renders markdown documents into strips with one theme (Rich's renderer, a private console)."""

    def __init__(self, variables: Mapping[str, str], *, dark: bool) -> None:
        self._console = Console(
            file=io.StringIO(),
            theme=markdown_theme(variables),
            color_system="truecolor",
            force_terminal=True,
            legacy_windows=False,
            emoji=False,
            markup=False,
            highlight=False,
        )
        self._code_theme = "monokai" if dark else "friendly"

    def paint(self, source: str, width: int) -> list[Strip]:
        """``source`` as lines at most ``width`` cells wide, without blank lines around it. The
        strips carry only the markdown's own styles: whoever draws them lays the widget's
        colours under them and pads them to the width."""
        markdown = _Markdown(source, code_theme=self._code_theme, hyperlinks=True)
        options = self._console.options.update_width(max(width, 1))
        strips = [Strip(line) for line in self._console.render_lines(markdown, options, pad=False)]
        first = next((i for i, strip in enumerate(strips) if not _blank(strip)), len(strips))
        last = next((i for i in range(len(strips) - 1, first - 1, -1) if not _blank(strips[i])), first - 1)
        return strips[first : last + 1]


def _blank(strip: Strip) -> bool:
    """Only unstyled spaces (a code block's padding line has its own background)."""
    return all(not segment.text.strip() and _background(segment) is None for segment in strip)


def _background(segment: Segment) -> object:
    return segment.style.bgcolor if segment.style is not None else None


class MarkdownLines:
    """The strips of a markdown text that grows: settled blocks rendered once, the tail each time
    it changes. Blocks are separated by one blank line. The strips carry the markdown's styles
    only (see :meth:`MarkdownPainter.paint`).

    :meth:`set_text` takes the text as it is now, :meth:`advance` renders what it gained (within a
    deadline, so a burst of text is drawn over several frames) and :meth:`lines` hands out what is
    rendered so far. A new width or painter starts the rendering over (as much as fits in
    ``LAYOUT_BUDGET`` at once; :attr:`pending` says when more is left for :meth:`advance`).
    """

    def __init__(self, text: str = "") -> None:
        self._blocks = MarkdownBlocks()
        #: The strips of the first ``_rendered`` settled blocks, and what they were rendered with.
        self._settled_lines: list[Strip] = []
        self._rendered = 0
        #: The tail's strips; None when the tail changed since it was rendered.
        self._tail_lines: list[Strip] | None = None
        self._key: tuple[int, MarkdownPainter] | None = None
        self.set_text(text)

    @property
    def text(self) -> str:
        return self._blocks.text

    @property
    def pending(self) -> bool:
        """Some of the text is not rendered yet."""
        return self._rendered < len(self._blocks.settled) or self._tail_lines is None

    def set_text(self, text: str) -> None:
        """Take the whole text as it is now (the same text changes nothing)."""
        kept = self._blocks.update(text)
        if kept is None:
            return
        if kept < self._rendered:
            self._settled_lines, self._rendered = [], 0
        self._tail_lines = None

    def lines(self, width: int, painter: MarkdownPainter) -> tuple[list[Strip], list[Strip]]:
        """(settled lines, tail lines) rendered so far at ``width``; a change of width or painter
        starts over, rendering what ``LAYOUT_BUDGET`` allows."""
        if (width, painter) != self._key:
            self._key = (width, painter)
            self._settled_lines, self._rendered, self._tail_lines = [], 0, None
            self.advance(time.perf_counter() + LAYOUT_BUDGET)
        return self._settled_lines, self._tail_lines or []

    def advance(self, deadline: float) -> bool:
        """Render what is pending, block by block, until ``time.perf_counter()`` passes
        ``deadline`` (at least one block). True when nothing is left. The tail shows only once
        every settled block before it is rendered."""
        if self._key is None:
            return not self.pending
        width, painter = self._key
        settled = self._blocks.settled
        blank = Strip([])
        while self._rendered < len(settled):
            painted = painter.paint(settled[self._rendered], width)
            if painted:
                if self._settled_lines:
                    self._settled_lines.append(blank)
                self._settled_lines.extend(painted)
            self._rendered += 1
            if time.perf_counter() > deadline and self.pending:
                return False
        if self._tail_lines is None:
            tail = painter.paint(self._blocks.tail, width) if self._blocks.tail.strip() else []
            self._tail_lines = [blank, *tail] if tail and self._settled_lines else tail
        return True
