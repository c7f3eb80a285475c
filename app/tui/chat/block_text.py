"""What the copy keys copy from a transcript block: its text, a tool call's output, a message's code.

Pure functions of the blocks (no widgets): :func:`block_text` gives the text of a block that has
one of its own (a message's markdown source, a tool call's input as JSON, an event's raw JSON);
:func:`tool_output` a tool call's result; :func:`code_blocks` the fenced and indented code blocks
of a message's markdown, in order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

from app.api.transcript_blocks import (
    AgentMessageBlock,
    CustomToolCallBlock,
    EventBlock,
    OutcomeBlock,
    OutcomeEvaluationBlock,
    ThreadMessageBlock,
    ToolCallBlock,
    UnreadableBlock,
    UserMessageBlock,
)

_PARSER = MarkdownIt("commonmark")


@dataclass(frozen=True, slots=True)
class Copied:
    """Text to copy and how the toast names it."""

    what: str
    text: str


def pretty_json(value: Any) -> str:
    """A JSON value, indented (what every copied JSON looks like)."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def block_text(block: Any) -> Copied | None:
    """The text of a block that has one of its own; None for the others (status lines, usage...),
    which copy the line as shown."""
    match block:
        case AgentMessageBlock():
            return Copied("message (markdown)", block.text)
        case UserMessageBlock():
            return Copied("your message", block.text)
        case ThreadMessageBlock():
            return Copied(f"message {'to' if block.direction == 'sent' else 'from'} {block.peer}", block.text)
        case ToolCallBlock() | CustomToolCallBlock():
            return Copied(f"input of {block.name}", pretty_json(block.input))
        case EventBlock():
            return Copied(f"{block.type} event", pretty_json(block.raw))
        case UnreadableBlock():
            return Copied("unreadable event", block.raw)
        case OutcomeBlock():
            return Copied("outcome", block.description)
        case OutcomeEvaluationBlock() if block.explanation:
            return Copied("evaluation", block.explanation)
    return None


def tool_output(block: Any) -> Copied | None:
    """A tool call's result as text (None for other blocks, and for a call with no result yet)."""
    if not isinstance(block, (ToolCallBlock, CustomToolCallBlock)) or block.result is None:
        return None
    text = block.result_text
    if not text and block.result:  # images, documents: their JSON
        text = pretty_json(block.result)
    return Copied(f"output of {block.name}", text)


def code_blocks(markdown: str) -> list[tuple[str, str]]:
    """The code blocks of ``markdown``, in order: (language or "", code)."""
    return [
        (token.info.strip().split(" ")[0] if token.info else "", token.content)
        for token in _PARSER.parse(markdown)
        if token.type in ("fence", "code_block")
    ]


def message_markdown(block: Any) -> str | None:
    """The markdown of a block that is a message (the agent's, the user's, a sub-agent's)."""
    if isinstance(block, (AgentMessageBlock, UserMessageBlock, ThreadMessageBlock)):
        return block.text
    return None
