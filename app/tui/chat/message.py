"""The agent's message: markdown that streams in, in segments.

Every layout of the screen costs time for every mounted widget, and a long markdown answer is
hundreds of them (a widget per paragraph, list item, code block...). While a message streams it
is therefore written as a column of ``Markdown`` segments: text goes to the last one through a
:class:`~textual.widgets.markdown.MarkdownStream` (only the suffix not yet written), and once
that segment holds about ``SEGMENT_CHARS`` characters, the next top-level block starts a new
one, so each write re-parses and re-arranges one short segment while the earlier ones keep
their cached layout. A message that arrives final is one segment.
"""

from __future__ import annotations

import asyncio
import re

from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownStream

from app.api import transcript_blocks as tb

#: A streaming segment is closed at the first block boundary after this many characters.
SEGMENT_CHARS = 1500

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
#: Lines that may continue the block before them across a blank line: indented, list items,
#: quotes, table rows.
_CONTINUES = re.compile(r"[ \t]|([-*+]|\d+[.)])([ \t]|$)|[>|]")


def block_boundary(text: str, start: int) -> int | None:
    """The first offset at or after ``start`` where ``text`` can be cut in two documents that
    render like the whole: the start of a complete line that follows a blank line, outside code
    fences, and opens a new top-level block. None when there is none yet."""
    fence: str | None = None
    offset = 0
    blank_before = False
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if (
            fence is None
            and offset >= start
            and blank_before
            and bare.strip()
            and line.endswith("\n")
            and not _CONTINUES.match(bare)
        ):
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


class AgentMessage(Widget):
    """Assistant markdown. ``update_block`` has a worker bring the segments up to the block's
    text (the transcript view calls it at most 10-20 times a second); once the block is final the
    stream is stopped and the segments together hold exactly the final text."""

    def __init__(self, block: tb.AgentMessageBlock) -> None:
        super().__init__(classes="block agent-message")
        self.block_id = block.id
        self.block = block
        #: The text handed to the segments so far, and where the last segment's part of it starts.
        self._written = "" if block.streaming else block.text
        self._tail_start = 0
        self._dirty = asyncio.Event()
        self._pumping = False
        self._stream: MarkdownStream | None = None
        self._set_state(block)

    def compose(self):
        yield Markdown(None if self.block.streaming else self.block.text)

    def _set_state(self, block: tb.AgentMessageBlock) -> None:
        self.set_class(block.streaming, "-streaming")
        if block.redacted:
            self.tooltip = f"{block.redacted} part(s) redacted by the server"

    def on_mount(self) -> None:
        if self.block.streaming or self.block.text != self._written:
            self._start_pump()

    @property
    def segments(self) -> list[Markdown]:
        return list(self.query_children(Markdown))

    @property
    def source(self) -> str:
        """The markdown the segments hold, together."""
        return "".join(segment.source for segment in self.segments)

    @property
    def settled(self) -> bool:
        """The block is final and the segments hold its text."""
        return not self.block.streaming and not self._pumping and self.source == self.block.text

    def update_block(self, block: tb.AgentMessageBlock) -> None:
        self.block = block
        self._set_state(block)
        if self._pumping:
            self._dirty.set()
        elif block.text != self._written and self.is_mounted:
            self._start_pump()

    async def caught_up(self) -> None:
        """Wait until the segments have rendered all the text they were handed (tests, benchmarks)."""
        while not self.is_mounted or self._dirty.is_set() or self.source != self._written:
            await asyncio.sleep(0.002)
        for segment in self.segments:
            async with segment.lock:
                pass

    def _start_pump(self) -> None:
        self._pumping = True
        self._dirty.set()
        self.run_worker(self._pump(), group="stream", exit_on_error=False)

    async def _pump(self) -> None:
        try:
            while True:
                await self._dirty.wait()
                self._dirty.clear()
                text = self.block.text
                if text.startswith(self._written):
                    await self._extend(text)
                else:  # the text was rewritten, not extended: render it afresh
                    await self._rewrite(text)
                if not self.block.streaming:
                    break
        finally:
            await self._close_stream()
            self._pumping = False
        if self.source != self.block.text:
            await self._rewrite(self.block.text)

    async def _extend(self, text: str) -> None:
        """Write ``text[len(written):]``, starting new segments at block boundaries."""
        while len(text) > len(self._written):
            tail = text[self._tail_start :]
            written = len(self._written) - self._tail_start
            cut = block_boundary(tail, max(SEGMENT_CHARS, written)) if len(tail) > SEGMENT_CHARS else None
            end = self._tail_start + cut if cut is not None else len(text)
            await self._write(text[len(self._written) : end])
            self._written = text[:end]
            if cut is not None:
                await self._close_stream()
                await self.mount(Markdown())
                self._tail_start = end

    async def _write(self, fragment: str) -> None:
        if self._stream is None:
            self._stream = Markdown.get_stream(self.segments[-1])
            await asyncio.sleep(0)  # let it start: stopping a stream that never ran raises
        await self._stream.write(fragment)

    async def _close_stream(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            await stream.stop()

    async def _rewrite(self, text: str) -> None:
        await self._close_stream()
        segments = self.segments
        await segments[0].update(text)
        if len(segments) > 1:
            await self.remove_children(segments[1:])
        self._written, self._tail_start = text, 0
