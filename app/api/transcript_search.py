"""Finding text in a transcript, and filtering it by block kind (no Textual here).

:func:`searchable` gives the text a user can look for in each kind of block, as named fields (a
message's ``text``, a tool call's ``input`` and ``output``...). :class:`Finder` looks for a plain,
case-insensitive substring in every block of a :class:`~app.api.transcript.Transcript` (mounted or
not: a view shows a window of them) and keeps each block's lowered text until the block changes,
so typing one more letter costs a scan of strings, not of blocks. A :data:`Filter` admits some
kinds of blocks only (messages, tool calls or errors); :func:`admits` says which.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from app.api.transcript_blocks import (
    AgentMessageBlock,
    Block,
    CompactionBlock,
    CustomToolCallBlock,
    ErrorBlock,
    EventBlock,
    OutcomeBlock,
    OutcomeEvaluationBlock,
    SessionUpdatedBlock,
    StatusBlock,
    ThinkingBlock,
    ThreadMessageBlock,
    ToolCallBlock,
    UnreadableBlock,
    UserMessageBlock,
    WorkflowRunBlock,
)

Filter = Literal["all", "messages", "tools", "errors"]
#: The filters in the order a key cycles through them.
FILTERS: tuple[Filter, ...] = ("all", "messages", "tools", "errors")

_KINDS: dict[str, tuple[type, ...]] = {
    "messages": (UserMessageBlock, AgentMessageBlock, ThreadMessageBlock),
    "tools": (ToolCallBlock, CustomToolCallBlock),
    "errors": (ErrorBlock, UnreadableBlock),
}


def admits(only: Filter, block: Block) -> bool:
    """Whether the filter ``only`` shows ``block`` (``all`` shows every block)."""
    return only == "all" or isinstance(block, _KINDS[only])


def next_filter(only: Filter) -> Filter:
    """The filter after ``only`` in :data:`FILTERS` (after the last, ``all`` again)."""
    return FILTERS[(FILTERS.index(only) + 1) % len(FILTERS)]


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of the query: in block ``block_id``, characters ``start:end`` of ``field``."""

    block_id: str
    field: str
    start: int
    end: int


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _input_text(data: dict[str, Any]) -> str:
    """A tool input as ``key: value`` lines (strings verbatim, anything else as JSON)."""
    return "\n".join(f"{key}: {_value(value)}" for key, value in data.items())


def searchable(block: Block) -> dict[str, str]:
    """The text of ``block`` a search looks at, by field (empty fields are left out)."""
    fields: dict[str, str | None]
    match block:
        case UserMessageBlock() | AgentMessageBlock():
            fields = {"text": block.text}
        case ThinkingBlock():  # the API carries no thinking text: what the block shows
            fields = {"label": "thought" if block.done else "thinking"}
        case ToolCallBlock() | CustomToolCallBlock():
            data = block.input if isinstance(block.input, dict) else {}
            deny = block.deny_message if isinstance(block, ToolCallBlock) else None
            fields = {"name": block.name, "input": _input_text(data), "output": block.result_text, "denied": deny}
        case StatusBlock():
            details = block.stop_details or {}
            explanation = details.get("explanation") or details.get("category")
            fields = {
                "status": " ".join(filter(None, (block.agent_name, block.status, block.stop_reason))),
                "details": _value(explanation) if explanation else None,
            }
        case ErrorBlock():
            fields = {
                "error": f"{block.error_type}: {block.message}",
                "details": _value(block.details) if block.details else None,
            }
        case ThreadMessageBlock():
            fields = {"agent": block.peer, "text": block.text}
        case OutcomeBlock():
            fields = {"description": block.description, "rubric": block.rubric}
        case OutcomeEvaluationBlock():
            fields = {"description": block.description, "verdict": block.result, "explanation": block.explanation}
        case WorkflowRunBlock():
            error = block.error or {}
            fields = {"name": block.name or block.run_id, "error": error.get("message")}
        case CompactionBlock():
            fields = {"label": "context compacted"}
        case SessionUpdatedBlock():
            fields = {"title": block.title, "agent": block.agent_name}
        case EventBlock():
            fields = {"type": block.type, "text": block.text}
        case UnreadableBlock():
            fields = {"type": block.type, "error": block.error, "raw": block.raw}
        case _:  # usage lines: counts, nothing to look for
            fields = {}
    return {name: text for name, text in fields.items() if text}


def occurrences(text: str, query: str) -> list[tuple[int, int]]:
    """Where the lowered ``query`` occurs in the lowered ``text``: (start, end) pairs, not overlapping."""
    found: list[tuple[int, int]] = []
    if not query:
        return found
    at = text.find(query)
    while at >= 0:
        found.append((at, at + len(query)))
        at = text.find(query, at + len(query))
    return found


class Finder:
    """Finds a query in transcripts, keeping each block's lowered text while the block stays the same."""

    def __init__(self) -> None:
        #: block id -> (the block the text is of, its lowered fields)
        self._texts: dict[str, tuple[Block, dict[str, str]]] = {}

    def _fields(self, block: Block) -> dict[str, str]:
        kept = self._texts.get(block.id)
        if kept is not None and kept[0] is block:
            return kept[1]
        fields = {name: text.lower() for name, text in searchable(block).items()}
        self._texts[block.id] = (block, fields)
        return fields

    def find(self, blocks: Iterable[Block], query: str, only: Filter = "all") -> list[Match]:
        """Every occurrence of ``query`` (case-insensitive, plain text) in the ``blocks`` that the
        filter ``only`` admits, in transcript order."""
        needle = query.lower()
        if not needle:
            return []
        matches: list[Match] = []
        for block in blocks:
            if only != "all" and not admits(only, block):
                continue
            for name, text in self._fields(block).items():
                if needle in text:
                    matches += [Match(block.id, name, start, end) for start, end in occurrences(text, needle)]
        return matches


def find(blocks: Iterable[Block], query: str, only: Filter = "all") -> list[Match]:
    """Every occurrence of ``query`` in ``blocks`` (a transcript), as :meth:`Finder.find` (no cache)."""
    return Finder().find(blocks, query, only)
