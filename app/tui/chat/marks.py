"""Search marks: the text a search found, highlighted in the lines a block widget draws.

A block widget that is :class:`Marked` highlights every occurrence of its :attr:`Marked.needle`
in each line as it is drawn (the lines already drawn are left alone, and only the lines on screen
are drawn), so marking a block costs nothing until it is on screen and nothing is parsed again.
The current match's block is marked more strongly. An occurrence cut by a line break is not
highlighted; its block still carries the ``-match`` / ``-current-match`` class.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.strip import Strip
from textual.widget import Widget

from app.api.transcript_search import occurrences

#: Per app and theme: the style of an occurrence, and of one in the current match's block.
_styles: WeakKeyDictionary[App[object], dict[str, tuple[Style, Style]]] = WeakKeyDictionary()


def mark_styles(app: App[object]) -> tuple[Style, Style]:
    """(an occurrence, an occurrence in the current block) in ``app``'s theme: the warning colour
    under the text, faint and strong."""
    styles = _styles.setdefault(app, {})
    found = styles.get(app.theme)
    if found is None:
        variables = app.theme_variables
        background = Color.parse(variables.get("background", "#000000"))
        warning = Color.parse(variables.get("warning", "#ffa62b"))
        faint = Style(bgcolor=background.blend(warning, 0.45).rich_color, bold=True)
        strong = Style(bgcolor=warning.rich_color, color=warning.get_contrast_text(1.0).rich_color, bold=True)
        found = styles[app.theme] = (faint, strong)
    return found


def mark_strip(strip: Strip, needle: str, style: Style) -> Strip:
    """``strip`` with every occurrence of ``needle`` (lowered) in its text drawn in ``style`` too."""
    text = strip.text
    lowered = text.lower()
    if needle not in lowered or len(lowered) != len(text):
        return strip
    spans = occurrences(lowered, needle)
    segments: list[Segment] = []
    end = 0
    for segment in strip:
        start, end = end, end + len(segment.text)
        if segment.control or not any(s < end and e > start for s, e in spans):
            segments.append(segment)
            continue
        at = start
        for s, e in spans:
            if e <= at or s >= end:
                continue
            if s > at:
                segments.append(Segment(segment.text[at - start : s - start], segment.style))
                at = s
            stop = min(e, end)
            marked = segment.style + style if segment.style is not None else style
            segments.append(Segment(segment.text[at - start : stop - start], marked))
            at = stop
        if at < end:
            segments.append(Segment(segment.text[at - start :], segment.style))
    return Strip(segments, strip.cell_length)


class Marked(Widget):
    """A block widget whose lines show the occurrences of :attr:`needle` (none while it is "")."""

    needle = ""
    current = False

    def set_marks(self, needle: str, *, current: bool) -> None:
        """Mark the occurrences of ``needle`` (lowered; "" for none), strongly when ``current``;
        repaints only when that changed."""
        if (needle, current) == (self.needle, self.current):
            return
        self.needle, self.current = needle, current
        self.set_class(bool(needle), "-match")
        self.set_class(bool(needle) and current, "-current-match")
        self.refresh()

    def marked(self, strip: Strip) -> Strip:
        """``strip`` with the marks, if any."""
        if not self.needle:
            return strip
        faint, strong = mark_styles(self.app)
        return mark_strip(strip, self.needle, strong if self.current else faint)

    def render_line(self, y: int) -> Strip:
        return self.marked(super().render_line(y))
