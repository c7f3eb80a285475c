"""TEMPORARY stand-in for BLOCKS' TranscriptView until app/tui/chat/transcript_view.py lands."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from app.api import transcript_blocks as tb
from app.watch import render_block


def _text(block: object) -> str:
    if isinstance(block, tb.AgentMessageBlock):
        return block.text
    if isinstance(block, tb.UserMessageBlock):
        return f"› {block.text} ({block.state})"
    if isinstance(block, (tb.ToolCallBlock, tb.CustomToolCallBlock)):
        return f"⚙ {block.name} {block.input} [{block.state}] {block.result_text}"
    return render_block(block) or ""


class TranscriptView(VerticalScroll):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.widgets: dict[str, Static] = {}

    def load(self, transcript) -> None:
        self.remove_children()
        self.widgets = {}
        for block in transcript:
            self._add(block)

    def apply(self, transcript, changes) -> None:
        for block_id in changes.removed:
            self.widgets.pop(block_id).remove()
        for block_id in changes.updated:
            if block_id in self.widgets:
                self.widgets[block_id].update(Content(_text(transcript.get(block_id))))
        for block_id in changes.added:
            self._add(transcript.get(block_id))
        self.scroll_end(animate=False)

    def _add(self, block) -> None:
        assert block.id not in self.widgets, f"duplicate block {block.id}"
        self.widgets[block.id] = widget = Static(Content(_text(block)))
        self.mount(widget)
