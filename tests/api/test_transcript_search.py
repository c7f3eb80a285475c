"""Searching a transcript and filtering it by kind: the text of each block kind, the matches, the filters."""

from __future__ import annotations

from typing import Any

from app.api.models import parse_event
from app.api.transcript import Transcript
from app.api.transcript_blocks import AgentMessageBlock, TokenTotals, ToolCallBlock, UsageBlock
from app.api.transcript_search import FILTERS, Finder, Match, admits, find, next_filter, searchable


class Wire:
    """Wire events with sequential ids."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, event_type: str, **fields: Any) -> dict[str, Any]:
        self.count += 1
        return {
            "type": event_type,
            "id": f"sevt_{self.count:04d}",
            **fields,
            "processed_at": f"2026-05-02T09:00:{self.count:02d}.000Z",
        }


def text(value: str) -> list[dict[str, str]]:
    return [{"type": "text", "text": value}]


def session() -> tuple[Transcript, dict[str, str]]:
    """A transcript with a user message, thinking, a bash call, an answer, an error and an idle; the
    ids of its blocks by name."""
    wire = Wire()
    user = wire("user.message", content=text("Where is the Config loaded?"))
    thinking = wire("agent.thinking")
    use = wire(
        "agent.tool_use", name="bash", input={"command": "grep -rn load_config app/"}, evaluated_permission="allow"
    )
    result = wire("agent.tool_result", tool_use_id=use["id"], content=text("app/config.py:12: def load_config()\n"))
    answer = wire("agent.message", content=text("`load_config` in **app/config.py** loads the config."))
    error = wire(
        "session.error",
        error={
            "type": "model_overloaded_error",
            "message": "Overloaded, CONFIG later",
            "retry_status": {"type": "retrying"},
        },
    )
    idle = wire("session.status_idle", stop_reason={"type": "end_turn"})
    transcript = Transcript(parse_event(event) for event in (user, thinking, use, result, answer, error, idle))
    ids = {
        "user": user["id"],
        "thinking": thinking["id"],
        "call": use["id"],
        "answer": answer["id"],
        "error": error["id"],
        "idle": idle["id"],
    }
    return transcript, ids


def test_matches_every_kind_of_block_case_insensitively_in_order():
    transcript, ids = session()
    matches = find(transcript, "config")
    where = [(m.block_id, m.field) for m in matches]
    assert where == [
        (ids["user"], "text"),
        (ids["call"], "input"),
        (ids["call"], "output"),
        (ids["call"], "output"),
        (ids["answer"], "text"),
        (ids["answer"], "text"),
        (ids["answer"], "text"),
        (ids["error"], "error"),
    ]
    user = transcript.get(ids["user"])
    assert user.text[matches[0].start : matches[0].end] == "Config"


def test_tool_input_and_output_and_thinking_are_searchable():
    transcript, ids = session()
    assert [(m.block_id, m.field) for m in find(transcript, "GREP -rn")] == [(ids["call"], "input")]
    assert [(m.block_id, m.field) for m in find(transcript, "py:12")] == [(ids["call"], "output")]
    assert [m.block_id for m in find(transcript, "thought")] == [ids["thinking"]]
    assert [m.block_id for m in find(transcript, "turn")] == [ids["idle"]]  # status lines too


def test_occurrences_do_not_overlap_and_an_empty_query_finds_nothing():
    block = AgentMessageBlock("m1", "aaaa")
    assert find([block], "aa") == [Match("m1", "text", 0, 2), Match("m1", "text", 2, 4)]
    assert find([block], "") == []
    assert find([block], "b") == []


def test_searchable_text_leaves_empty_fields_out_and_usage_has_none():
    call = ToolCallBlock("c1", "read", {"file_path": "a.txt", "limit": 3})
    assert searchable(call) == {"name": "read", "input": "file_path: a.txt\nlimit: 3"}
    usage = UsageBlock("u1", "request", TokenTotals(10, 20))
    assert searchable(usage) == {}


def test_the_finder_follows_a_block_that_changed():
    finder = Finder()
    first = AgentMessageBlock("m1", "Hello", streaming=True)
    assert finder.find([first], "world") == []
    grown = AgentMessageBlock("m1", "Hello world")
    assert finder.find([grown], "world") == [Match("m1", "text", 6, 11)]


def test_filters_admit_their_kinds_and_search_respects_them():
    transcript, ids = session()
    shown = {only: [block.id for block in transcript if admits(only, block)] for only in FILTERS}
    assert shown["all"] == [block.id for block in transcript]
    assert shown["messages"] == [ids["user"], ids["answer"]]
    assert shown["tools"] == [ids["call"]]
    assert shown["errors"] == [ids["error"]]
    assert {m.block_id for m in find(transcript, "config", "tools")} == {ids["call"]}
    assert {m.block_id for m in find(transcript, "config", "errors")} == {ids["error"]}


def test_next_filter_cycles_back_to_all():
    seen = ["all"]
    while len(seen) < 5:
        seen.append(next_filter(seen[-1]))
    assert seen == ["all", "messages", "tools", "errors", "all"]
