"""Per-tool statistics folded from a real transcript: counts, failures, median durations."""

from __future__ import annotations

from app.api.tool_stats import ToolStats, tool_stats
from app.api.transcript import Transcript
from tests.event_builders import idle, parsed, text, tool_use


def result(event_id: str, call_id: str, t: float, *, error: bool = False):
    return parsed("agent.tool_result", event_id, t, tool_use_id=call_id, content=text("out"), is_error=error)


def test_counts_failures_and_median_duration_per_tool() -> None:
    transcript = Transcript(
        [
            tool_use("c1", 0),
            result("r1", "c1", 1.0),
            tool_use("c2", 10),
            result("r2", "c2", 13.0, error=True),
            tool_use("c3", 20),
            result("r3", "c3", 30.0),
            parsed("agent.custom_tool_use", "x1", 40, name="pick", input={}),
            parsed("user.custom_tool_result", "x2", 42, custom_tool_use_id="x1", content=text("a")),
            parsed(
                "agent.mcp_tool_use",
                "m1",
                50,
                mcp_server_name="linear",
                name="create_issue",
                input={},
                evaluated_permission="allow",
            ),
            parsed("agent.mcp_tool_result", "m2", 50.5, mcp_tool_use_id="m1", content=text("ok"), is_error=True),
        ]
    )
    assert tool_stats(transcript) == [
        ToolStats("bash", calls=3, failures=1, median_seconds=3.0),
        ToolStats("linear/create_issue", calls=1, failures=1, median_seconds=0.5),
        ToolStats("pick", calls=1, failures=0, median_seconds=2.0),
    ]


def test_a_call_without_an_end_has_no_duration_and_an_interrupted_one_is_no_failure() -> None:
    transcript = Transcript(
        [
            tool_use("c1", 0),
            parsed("user.interrupt", "i1", 1),
            result("r1", "c1", 2, error=True),
            tool_use("c2", 5),
        ]
    )
    assert tool_stats(transcript) == [ToolStats("bash", calls=2, failures=0, median_seconds=2.0)]
    assert tool_stats(Transcript([tool_use("c1", 0), idle("s1")])) == [
        ToolStats("bash", calls=1, failures=0, median_seconds=None)
    ]


def test_no_tool_calls_no_stats() -> None:
    assert tool_stats(Transcript([parsed("user.message", "u1", 0, content=text("hi"))])) == []
