"""Per-tool statistics of a transcript: how often each tool ran, how often it failed, how long it took.

Pure: it reads the tool call blocks of :mod:`app.api.transcript_blocks` (built-in, MCP and custom
calls alike) and knows nothing of widgets or HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

from app.api.transcript_blocks import CustomToolCallBlock, ToolCallBlock


@dataclass(frozen=True, slots=True)
class ToolStats:
    """One tool's calls: ``failures`` counts calls whose result was an error (not interrupted ones);
    ``median_seconds`` is over the calls that have both a start and an end (None when none has)."""

    name: str
    calls: int
    failures: int
    median_seconds: float | None


def tool_label(block: ToolCallBlock | CustomToolCallBlock) -> str:
    """The tool's name, with its MCP server for an MCP tool (``github/create_issue``)."""
    server = getattr(block, "mcp_server", None)
    return f"{server}/{block.name}" if server else block.name


def tool_stats(blocks: Iterable[object]) -> list[ToolStats]:
    """Statistics per tool for the tool call blocks among ``blocks``, the most called first
    (ties by name)."""
    calls: dict[str, list[ToolCallBlock | CustomToolCallBlock]] = {}
    for block in blocks:
        if isinstance(block, (ToolCallBlock, CustomToolCallBlock)):
            calls.setdefault(tool_label(block), []).append(block)
    stats = []
    for name, group in calls.items():
        durations = [d for d in (call.duration for call in group) if d is not None]
        stats.append(
            ToolStats(
                name=name,
                calls=len(group),
                failures=sum(1 for call in group if call.state == "failed"),
                median_seconds=median(durations) if durations else None,
            )
        )
    return sorted(stats, key=lambda s: (-s.calls, s.name))
