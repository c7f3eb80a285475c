"""Search marks drawn into a line: every occurrence, across the line's styled runs, styles kept."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from app.tui.chat.marks import mark_strip

MARK = Style(bgcolor="yellow")
BOLD = Style(bold=True)


def test_every_occurrence_is_marked_across_runs_and_the_rest_keeps_its_style():
    strip = Strip([Segment("say Hel", BOLD), Segment("lo to hello", None)])
    marked = mark_strip(strip, "hello", MARK)
    assert marked.text == strip.text and marked.cell_length == strip.cell_length
    assert [(s.text, s.style) for s in marked] == [
        ("say ", BOLD),
        ("Hel", BOLD + MARK),
        ("lo", MARK),
        (" to ", None),
        ("hello", MARK),
    ]


def test_a_line_without_the_needle_is_left_as_it_is():
    strip = Strip([Segment("nothing here", BOLD)])
    assert mark_strip(strip, "hello", MARK) is strip
