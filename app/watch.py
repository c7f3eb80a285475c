"""``agentdeck watch SESSION_ID``: follow a session live and print its transcript as plain text.

It is the smallest real consumer of the protocol layer: the feed keeps the stream gap-free, the
transcript folds events into blocks, and this module prints each block once it has settled (a
streamed answer when its final text arrives, a tool call when it has a result or needs approval).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from app.api.client import client_for
from app.api.export import status_text
from app.api.feed import Connection, SessionFeed
from app.api.transcript import Transcript
from app.api.transcript_blocks import (
    AgentMessageBlock,
    CustomToolCallBlock,
    ErrorBlock,
    EventBlock,
    StatusBlock,
    ThinkingBlock,
    ToolCallBlock,
    UnreadableBlock,
    UsageBlock,
    UserMessageBlock,
    one_line,
)
from app.config import Settings

Printer = Callable[[str], None]


def _tool_line(block: ToolCallBlock | CustomToolCallBlock) -> str | None:
    if block.state in ("running", "pending"):
        return None
    summary = one_line(json.dumps(block.input, ensure_ascii=False), 80)
    took = f" {block.duration:.1f}s" if block.duration is not None else ""
    line = f"⚙ {block.name} {summary} [{block.state}{took}]"
    if isinstance(block, ToolCallBlock) and block.state == "denied" and block.deny_message:
        line += f" {block.deny_message}"
    output = block.result_text.rstrip()
    return line + ("\n" + "\n".join("  │ " + row for row in output.splitlines()[:20]) if output else "")


def render_block(block: object) -> str | None:
    """The plain-text form of a settled block, or None while it is still changing."""
    match block:
        case UserMessageBlock():
            return None if block.state == "queued" else f"› {block.text}"
        case AgentMessageBlock():
            return None if block.streaming else block.text
        case ThinkingBlock():
            return "… thought" if block.done else None
        case ToolCallBlock() | CustomToolCallBlock():
            return _tool_line(block)
        case StatusBlock():
            return f"· {status_text(block)}"
        case ErrorBlock():
            retry = f", {block.retry_status}" if block.retry_status else ""
            return f"! {block.error_type}: {block.message}{retry}"
        case UsageBlock():
            return None
        case EventBlock():
            return f"· {block.type}"
        case UnreadableBlock():
            return f"! unreadable event ({block.type}): {block.error}\n  {one_line(block.raw, 200)}"
    return None


def _connection_line(change: Connection) -> str | None:
    if change.state == "reconnecting":
        return f"~ connection lost ({change.error}); retrying in {change.delay:g}s"
    if change.state == "closed" and change.error:
        return f"! {change.error}"
    return None


async def watch(settings: Settings, session_id: str, emit: Printer = print) -> int:
    """Print ``session_id``'s history, then follow it until it ends or the feed fails; the exit code."""
    transcript = Transcript()
    shown: dict[str, str] = {}
    async with client_for(settings) as client:
        async with SessionFeed(client, session_id, newest_first=False) as feed:  # printed in order
            async for batch in feed:
                for change in batch:
                    if isinstance(change, Connection) and (line := _connection_line(change)):
                        emit(line)
                for block_id in transcript.apply_feed(batch).ids:
                    block = transcript.get(block_id)
                    text = render_block(block) if block is not None else None
                    if text is not None and shown.get(block_id) != text:
                        shown[block_id] = text
                        emit(text)
    return 1 if feed.error else 0
