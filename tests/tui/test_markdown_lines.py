"""Markdown drawn line by line: a streamed answer looks like the whole answer, and only its tail
is rendered again as it grows."""

from __future__ import annotations

import math

from app.tui.chat.markdown_lines import MarkdownBlocks, MarkdownLines, MarkdownPainter, block_boundary

THEME = {"background": "#121212", "primary": "#0178D4", "accent": "#FEA62B", "surface": "#1E1E1E"}
ANSWER = (
    "# Plan\n\nFirst a paragraph with **bold** and `code`.\n\n- one\n- two\n\n  still item two\n\n"
    "```python\ndef f():\n\n    return 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> a quote\n\nThe end.\n"
)
#: A deadline that never passes: :meth:`MarkdownLines.advance` renders everything at once.
NEVER = math.inf


class CountingPainter(MarkdownPainter):
    """Counts the characters it is asked to render."""

    def __init__(self) -> None:
        super().__init__(THEME, dark=True)
        self.rendered = 0

    def paint(self, source: str, width: int) -> list:
        self.rendered += len(source)
        return super().paint(source, width)


def text_of(lines: MarkdownLines, painter: MarkdownPainter, width: int = 60) -> list[str]:
    lines.lines(width, painter)
    lines.advance(NEVER)
    settled, tail = lines.lines(width, painter)
    return [strip.text for strip in [*settled, *tail]]


def test_blocks_are_cut_only_where_the_rest_renders_alike():
    assert block_boundary("para\n\nnext\n") == 6
    assert block_boundary("para\n\nnext") is None, "an unfinished line may still open a list"
    assert block_boundary("- a\n\n- b\n") is None, "a list goes on across a blank line"
    assert block_boundary("```\ncode\n\nmore\n```\n\nafter\n") == 20, "never inside a fence"
    blocks = MarkdownBlocks()
    assert blocks.update(ANSWER) == 0
    assert "".join(blocks.settled) + blocks.tail == ANSWER
    assert blocks.settled[0] == "# Plan\n\n" and blocks.tail == "The end.\n"
    assert blocks.update(ANSWER) is None, "the same text changes nothing"


def test_a_streamed_answer_renders_like_the_whole_answer_at_every_width():
    painter = MarkdownPainter(THEME, dark=True)
    for width in (30, 60, 100):
        streamed = MarkdownLines()
        for end in range(0, len(ANSWER) + 1, 7):
            streamed.set_text(ANSWER[:end])
            streamed.lines(width, painter)
            streamed.advance(NEVER)
        streamed.set_text(ANSWER)
        assert text_of(streamed, painter, width) == text_of(MarkdownLines(ANSWER), painter, width)
    shown = "\n".join(text_of(MarkdownLines(ANSWER), painter))
    assert "Plan" in shown and "# Plan" not in shown and "**bold**" not in shown
    assert "def f():" in shown and "still item two" in shown


def test_only_the_tail_is_rendered_again_as_the_answer_grows():
    painter = CountingPainter()
    lines = MarkdownLines()
    text = ""
    for section in range(200):
        text += f"## Section {section}\n\nA paragraph of section {section} with some words.\n\n"
        lines.set_text(text)
        lines.lines(80, painter)
        lines.advance(NEVER)
    # Each section is rendered about once as a settled block, plus a little as the tail: linear,
    # where rendering the whole text on every update would be quadratic (~200x more).
    assert painter.rendered < 3 * len(text)
    lines.set_text(text)
    assert not lines.pending, "nothing new: nothing to draw"


def test_a_burst_of_text_is_rendered_within_a_deadline_over_several_calls():
    painter = CountingPainter()
    lines = MarkdownLines()
    lines.lines(60, painter)
    lines.set_text(ANSWER * 20)
    calls = 1
    while not lines.advance(0.0):  # a deadline already passed: one block per call
        calls += 1
        settled, tail = lines.lines(60, painter)
        assert not tail, "the tail shows only after every block before it"
    assert calls > 20 and not lines.pending
    assert text_of(lines, painter) == text_of(MarkdownLines(ANSWER * 20), painter)


def test_a_rewritten_text_is_rendered_afresh_and_a_new_width_rerenders():
    painter = CountingPainter()
    lines = MarkdownLines("Draft one.\n\nStill the draft.\n")
    lines.lines(60, painter)
    lines.set_text("Something else entirely.")
    assert lines.pending
    assert [line.rstrip() for line in text_of(lines, painter)] == ["Something else entirely."]
    before = painter.rendered
    text_of(lines, painter, 40)
    assert painter.rendered > before, "another width is another rendering"
