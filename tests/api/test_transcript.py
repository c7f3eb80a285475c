"""The transcript folds session events into the blocks a reader sees, block by block."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from app.api.feed_state import EarlierEvents, EventAdded, FeedState, PreviewDropped, PreviewStarted, PreviewUpdated
from app.api.models import parse_event
from app.api.sse import iter_stream_items
from app.api.transcript import Changes, Transcript
from app.api.transcript_blocks import (
    AgentMessageBlock,
    CompactionBlock,
    CustomToolCallBlock,
    ErrorBlock,
    EventBlock,
    Money,
    OutcomeBlock,
    OutcomeEvaluationBlock,
    SessionUpdatedBlock,
    StatusBlock,
    ThinkingBlock,
    ThreadMessageBlock,
    TokenTotals,
    ToolCallBlock,
    UnreadableBlock,
    UsageBlock,
    UserMessageBlock,
    WorkflowRunBlock,
)
from tests.conftest import EXAMPLES, load_example
from tests.event_builders import (
    at,
    evaluation_end,
    idle,
    model_usage,
    parsed,
    parsed_delta,
    parsed_start,
    request_end,
    text,
    tool_use,
)
from tests.event_samples import CHILD_THREAD, EVENT_VARIANTS, OUTPUT_EVENTS

# ----------------------------------------------------------------------------- user messages


def test_user_message_keeps_text_and_attachments():
    t = Transcript()
    image = {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}
    changes = t.apply(parsed("user.message", "sevt_u1", 0, content=[*text("What is "), image, *text("this?")]))

    (block,) = t.blocks
    assert isinstance(block, UserMessageBlock)
    assert (block.id, block.text, block.state) == ("sevt_u1", "What is this?", "processed")
    assert block.attachments == [image]
    assert changes.added == ["sevt_u1"] and not changes.updated


def test_queued_user_message_becomes_processed_in_place():
    t = Transcript()
    t.apply(parsed("user.message", "sevt_u2", None, content=text("and then?")))
    queued = t.get("sevt_u2")
    assert queued.state == "queued"

    changes = t.apply(parsed("user.message", "sevt_u2", 5.0, content=text("and then?")))

    processed = t.get("sevt_u2")
    assert len(t) == 1 and processed.state == "processed" and processed.processed_at == at(5.0)
    assert queued.state == "queued", "a block already handed out is a snapshot: it never changes"
    assert changes.updated == ["sevt_u2"] and not changes.added
    # The queued copy arriving late (an older history page) does not un-process it.
    assert not t.apply(parsed("user.message", "sevt_u2", None, content=text("and then?")))
    assert t.get("sevt_u2").state == "processed"


# ----------------------------------------------------------------------------- agent messages


def test_streamed_message_becomes_the_final_block_in_place():
    t = Transcript()
    t.apply(parsed("user.message", "sevt_u1", 0, content=text("hi")))
    assert t.apply(parsed_start("sevt_a1")).added == ["sevt_a1"]
    t.apply(parsed_delta("sevt_a1", "There are **14**"))
    changes = t.apply(parsed_delta("sevt_a1", " Python files."))

    preview = t.get("sevt_a1")
    assert isinstance(preview, AgentMessageBlock)
    assert preview.streaming and preview.text == "There are **14** Python files."
    assert changes.updated == ["sevt_a1"]
    t.apply(parsed("session.status_idle", "sevt_s9", 9, stop_reason={"type": "end_turn"}))

    changes = t.apply(parsed("agent.message", "sevt_a1", 8, content=text("There are **14** Python files!")))

    final = t.get("sevt_a1")
    assert [b.id for b in t] == ["sevt_u1", "sevt_a1", "sevt_s9"], "the final block keeps the preview's place"
    assert not final.streaming and final.text == "There are **14** Python files!"
    assert preview.streaming and preview.text == "There are **14** Python files.", "the snapshot is unchanged"
    assert changes.updated == ["sevt_a1"] and not changes.added and not changes.removed


def test_deltas_fill_content_blocks_by_index_and_redactions_are_counted():
    t = Transcript()
    t.apply_many(
        [
            parsed_start("sevt_a1"),
            parsed_delta("sevt_a1", "One. "),
            parsed_delta("sevt_a1", "Two."),
            parsed_delta("sevt_a1", " Three.", index=1),
            parsed_delta("sevt_a1", "More.", index=None),
        ]
    )
    assert t.get("sevt_a1").text == "One. Two. Three.More."

    t.apply(parsed("agent.message", "sevt_a1", 1, content=[*text("One. Two."), {"type": "redacted"}]))
    final = t.get("sevt_a1")
    assert (final.text, final.redacted, final.streaming) == ("One. Two.", 1, False)


def test_previews_driven_by_feed_records():
    t = Transcript()
    assert t.apply_feed([PreviewStarted("sevt_a1", "agent.message")]).added == ["sevt_a1"]
    assert t.apply_feed([PreviewUpdated("sevt_a1", {0: "Hel"})]).updated == ["sevt_a1"]
    assert t.apply_feed([PreviewUpdated("sevt_a1", {0: "Hello, ", 1: "wor"})]).updated == ["sevt_a1"]
    assert t.get("sevt_a1").text == "Hello, wor"
    assert not t.apply_feed([PreviewUpdated("sevt_a1", {0: "Hello, wor"})]), "same text: nothing to redraw"

    t.apply(parsed("agent.message", "sevt_a1", 1, content=text("Hello, world.")))
    # Late preview traffic for a finished message changes nothing.
    late = [
        PreviewStarted("sevt_a1", "agent.message"),
        PreviewUpdated("sevt_a1", {0: "Hello"}),
        PreviewDropped("sevt_a1"),
    ]
    assert not t.apply_feed(late)
    assert t.get("sevt_a1").text == "Hello, world." and len(t) == 1


def test_dropped_preview_disappears_and_a_late_final_is_appended():
    t = Transcript()
    t.apply_feed([PreviewStarted("sevt_a1", "agent.message"), PreviewUpdated("sevt_a1", {0: "half an ans"})])
    t.apply(parsed("session.status_running", "sevt_s1", 1))

    changes = t.apply_feed([PreviewDropped("sevt_a1")])

    assert changes.removed == ["sevt_a1"] and "sevt_a1" not in t
    assert [b.id for b in t] == ["sevt_s1"]
    t.apply(parsed("agent.message", "sevt_a1", 2, content=text("a whole answer")))
    assert [b.id for b in t] == ["sevt_s1", "sevt_a1"]


def test_model_request_end_closes_previews_that_got_no_final_event():
    t = Transcript()
    t.apply_many(
        [parsed_start("sevt_a1"), parsed_delta("sevt_a1", "cut sh"), parsed_start("sevt_k1", "agent.thinking")]
    )

    changes = t.apply(request_end("sevt_r1", 10, 2))

    assert set(changes.removed) == {"sevt_a1", "sevt_k1"} and changes.added == ["sevt_r1"]
    assert [b.id for b in t] == ["sevt_r1"]


def test_unknown_preview_types_and_a_delta_without_start():
    t = Transcript()
    assert not t.apply_feed([PreviewStarted("sevt_x", "agent.tool_use")])
    # A delta whose start was missed (a reconnect mid-preview) would show a cut text: the final
    # event is waited for instead.
    assert not t.apply(parsed_delta("sevt_a1", "partial"))
    assert t.apply(parsed("agent.message", "sevt_a1", 1, content=text("whole"))).added == ["sevt_a1"]


# ----------------------------------------------------------------------------- thinking


def test_thinking_is_in_progress_until_agent_thinking_arrives():
    t = Transcript()
    t.apply(parsed_start("sevt_k1", "agent.thinking"))
    block = t.get("sevt_k1")
    assert isinstance(block, ThinkingBlock) and block.state == "thinking"

    changes = t.apply(parsed("agent.thinking", "sevt_k1", 3))

    done = t.get("sevt_k1")
    assert done.state == "done" and done.processed_at == at(3) and block.state == "thinking"
    assert changes.updated == ["sevt_k1"]
    assert not t.apply_feed([PreviewUpdated("sevt_k1", {0: "thinking has no text"})])


def test_thinking_without_a_preview():
    t = Transcript([parsed("agent.thinking", "sevt_k1", 3)])
    assert t.get("sevt_k1").state == "done"


# ----------------------------------------------------------------------------- tool calls


def test_tool_call_runs_then_succeeds_with_its_duration():
    t = Transcript()
    t.apply(tool_use("sevt_t1", 3.517))
    call = t.get("sevt_t1")
    assert isinstance(call, ToolCallBlock)
    assert (call.name, call.input, call.state, call.mcp_server) == ("bash", {"command": "ls"}, "running", None)
    assert call.duration is None

    changes = t.apply(
        parsed("agent.tool_result", "sevt_t2", 4.201, tool_use_id="sevt_t1", content=text("14\n"), is_error=False)
    )

    assert changes.updated == ["sevt_t1"] and not changes.added, "a result joins its call"
    assert len(t) == 1 and "sevt_t2" not in t
    call = t.get("sevt_t1")
    assert call.state == "ok" and call.result_text == "14\n"
    assert call.result == text("14\n")
    assert call.duration == pytest.approx(0.684)


def test_tool_call_that_fails():
    t = Transcript(
        [
            tool_use("sevt_t1", 1),
            parsed(
                "agent.tool_result",
                "sevt_t2",
                2,
                tool_use_id="sevt_t1",
                content=text("bash: nosuch: command not found"),
                is_error=True,
            ),
        ]
    )
    call = t.get("sevt_t1")
    assert call.state == "failed" and call.is_error and "not found" in call.result_text


def test_mcp_tool_call_asks_then_is_allowed_then_succeeds():
    t = Transcript()
    t.apply(
        parsed(
            "agent.mcp_tool_use",
            "sevt_m1",
            0,
            mcp_server_name="linear",
            name="create_issue",
            input={"title": "Fix resize bug"},
            evaluated_permission="ask",
            evaluation={"type": "always_ask"},
        )
    )
    call = t.get("sevt_m1")
    assert (call.mcp_server, call.state) == ("linear", "awaiting_approval")

    t.apply(idle("sevt_s1", "requires_action", 0.1, event_ids=["sevt_m1"]))
    summary = t.summary
    assert call.state == "awaiting_approval", "requires_action keeps the turn open"
    assert summary.pending == (call,) and summary.requires_action == ("sevt_m1",)
    assert (summary.status, summary.stop_reason) == ("idle", "requires_action")

    changes = t.apply(parsed("user.tool_confirmation", "sevt_c1", 20, tool_use_id="sevt_m1", result="allow"))
    assert changes.updated == ["sevt_m1"] and changes.summary
    call = t.get("sevt_m1")
    assert (call.confirmation, call.state) == ("allow", "running")
    assert t.summary.pending == ()

    t.apply_many(
        [
            parsed("session.status_running", "sevt_s2", 20.1),
            parsed("agent.mcp_tool_result", "sevt_m2", 21.5, mcp_tool_use_id="sevt_m1", content=text("Created LIN-42")),
        ]
    )
    call = t.get("sevt_m1")
    assert call.state == "ok" and call.result_text == "Created LIN-42"
    assert call.duration == pytest.approx(21.5), "from the call to its result, waiting included"
    assert t.summary.requires_action == ()


def test_tool_call_denied_with_a_message():
    t = Transcript(
        [
            tool_use("sevt_t1", 0, "ask"),
            idle("sevt_s1", "requires_action", event_ids=["sevt_t1"]),
            parsed(
                "user.tool_confirmation", "sevt_c1", 5, tool_use_id="sevt_t1", result="deny", deny_message="Not on prod"
            ),
        ]
    )
    call = t.get("sevt_t1")
    assert (call.state, call.confirmation, call.deny_message) == ("denied", "deny", "Not on prod")
    assert t.summary.pending == ()

    # The agent is told about the denial through a synthetic error result: still "denied".
    t.apply(
        parsed(
            "agent.tool_result",
            "sevt_t2",
            5.1,
            tool_use_id="sevt_t1",
            content=text("denied by user: Not on prod"),
            is_error=True,
        )
    )
    call = t.get("sevt_t1")
    assert call.state == "denied" and call.result_text == "denied by user: Not on prod"


def test_tool_call_denied_by_policy():
    t = Transcript([tool_use("sevt_t1", 0, "deny")])
    assert t.get("sevt_t1").state == "denied" and t.summary.pending == ()


def test_running_tool_call_is_interrupted_when_the_turn_ends_without_a_result():
    t = Transcript([tool_use("sevt_t1", 0), parsed("agent.custom_tool_use", "sevt_x1", 0.5, name="pick", input={})])
    assert t.get("sevt_t1").state == "running"

    changes = t.apply(idle("sevt_s1", "end_turn", 1.5))

    assert t.get("sevt_t1").state == "interrupted" and t.get("sevt_t1").interrupted
    assert t.get("sevt_x1").state == "interrupted"
    assert set(changes.updated) == {"sevt_t1", "sevt_x1"} and changes.added == ["sevt_s1"]


def test_an_interrupted_call_reads_interrupted_even_with_the_error_result_it_gets():
    t = Transcript(
        [
            tool_use("sevt_t1", 0),
            tool_use("sevt_t2", 0, session_thread_id="sthr_child"),
            tool_use("sevt_t3", 0, session_thread_id="sthr_other"),
        ]
    )

    changes = t.apply(parsed("user.interrupt", "sevt_i1", 1, session_thread_id="sthr_child"))
    assert changes.updated == ["sevt_t2"], "only the interrupted thread's calls"
    t.apply(parsed("user.interrupt", "sevt_i2", 1))  # every thread
    t.apply_many(
        [
            parsed(
                "agent.tool_result",
                "sevt_r1",
                2,
                tool_use_id="sevt_t1",
                content=text("Interrupted by the user"),
                is_error=True,
            ),
            parsed("agent.tool_result", "sevt_r2", 2, tool_use_id="sevt_t2", content=text("done"), is_error=False),
        ]
    )

    assert t.get("sevt_t1").state == "interrupted" and t.get("sevt_t1").result_text == "Interrupted by the user"
    assert t.get("sevt_t2").state == "ok", "a call that finished anyway is not hidden"
    assert t.get("sevt_t3").state == "interrupted"
    interrupt = t.get("sevt_i1")
    assert isinstance(interrupt, EventBlock) and interrupt.type == "user.interrupt"
    failed = Transcript(
        [
            tool_use("sevt_t1", 0),
            parsed("agent.tool_result", "sevt_r1", 2, tool_use_id="sevt_t1", content=text("boom"), is_error=True),
        ]
    )
    assert failed.get("sevt_t1").state == "failed", "without an interrupt an error result is a failure"


@pytest.mark.parametrize(
    "end",
    [
        idle("sevt_end", "retries_exhausted"),
        parsed("session.status_terminated", "sevt_end"),
        parsed("session.deleted", "sevt_end"),
    ],
)
def test_a_call_awaiting_approval_is_interrupted_by_any_end_of_turn(end):
    t = Transcript([tool_use("sevt_t1", 0, "ask"), end])
    assert t.get("sevt_t1").state == "interrupted"
    assert t.summary.pending == ()


def test_a_result_that_arrives_before_its_call_is_shown_then_absorbed():
    t = Transcript()
    result = parsed("agent.tool_result", "sevt_t2", 2, tool_use_id="sevt_t1", content=text("ok"))
    assert t.apply(result).added == ["sevt_t2"]
    assert isinstance(t.get("sevt_t2"), EventBlock), "nothing is hidden while its call is missing"

    changes = t.apply(tool_use("sevt_t1", 1))

    assert changes.removed == ["sevt_t2"] and changes.added == ["sevt_t1"]
    assert [b.id for b in t] == ["sevt_t1"]
    assert t.get("sevt_t1").state == "ok" and t.get("sevt_t1").duration == pytest.approx(1.0)


def test_self_hosted_user_tool_result_answers_an_agent_tool_use():
    t = Transcript(
        [tool_use("sevt_t1", 0), parsed("user.tool_result", "sevt_r1", 2, tool_use_id="sevt_t1", content=text("done"))]
    )
    assert t.get("sevt_t1").state == "ok"


# ----------------------------------------------------------------------------- custom tools


def test_custom_tool_call_is_pending_until_answered():
    t = Transcript()
    t.apply_many(
        [
            parsed(
                "agent.custom_tool_use", "sevt_x1", 29.870, name="open_in_editor", input={"path": "app.py", "line": 12}
            ),
            idle("sevt_s1", "requires_action", 29.9, event_ids=["sevt_x1"]),
        ]
    )
    call = t.get("sevt_x1")
    assert isinstance(call, CustomToolCallBlock)
    assert (call.name, call.input, call.state) == ("open_in_editor", {"path": "app.py", "line": 12}, "pending")
    assert t.summary.pending == (call,)

    # Our answer is echoed queued first, then processed.
    t.apply(
        parsed(
            "user.custom_tool_result", "sevt_x2", None, custom_tool_use_id="sevt_x1", content=text("opened app.py:12")
        )
    )
    call = t.get("sevt_x1")
    assert call.state == "ok" and call.duration is None and t.summary.pending == ()
    changes = t.apply(
        parsed(
            "user.custom_tool_result", "sevt_x2", 30.004, custom_tool_use_id="sevt_x1", content=text("opened app.py:12")
        )
    )
    assert changes.updated == ["sevt_x1"]
    call = t.get("sevt_x1")
    assert call.result_text == "opened app.py:12" and call.duration == pytest.approx(0.134)
    assert len(t) == 2


def test_custom_tool_answered_with_an_error_and_one_left_unanswered():
    t = Transcript(
        [
            parsed("agent.custom_tool_use", "sevt_x1", 0, name="lookup", input={}),
            parsed(
                "user.custom_tool_result",
                "sevt_x2",
                1,
                custom_tool_use_id="sevt_x1",
                content=text("no such record"),
                is_error=True,
            ),
            parsed("agent.custom_tool_use", "sevt_x3", 2, name="lookup", input={}),
            idle("sevt_s1", "end_turn", 3),
        ]
    )
    assert t.get("sevt_x1").state == "failed"
    assert t.get("sevt_x3").state == "interrupted"


# ----------------------------------------------------------------------------- status


def test_status_changes_and_stop_reasons():
    t = Transcript()
    t.apply(parsed("session.status_running", "sevt_s1", 0))
    assert t.summary.status == "running"
    t.apply(idle("sevt_s2", "refusal", 1))
    t.apply(
        parsed(
            "session.status_idle",
            "sevt_s3",
            2,
            stop_reason={"type": "budget_reached"},
            stop_details={"type": "refusal", "category": "cyber", "explanation": "no"},
        )
    )
    t.apply_many(
        [
            parsed("session.status_rescheduled", "sevt_s4", 3),
            parsed("session.status_terminated", "sevt_s5", 4),
            parsed("session.deleted", "sevt_s6", 5),
        ]
    )

    statuses = [(b.status, b.stop_reason) for b in t]
    assert statuses == [
        ("running", None),
        ("idle", "refusal"),
        ("idle", "budget_reached"),
        ("rescheduling", None),
        ("terminated", None),
        ("deleted", None),
    ]
    assert all(isinstance(b, StatusBlock) and b.thread_id is None for b in t)
    assert t.get("sevt_s3").stop_details == {"type": "refusal", "category": "cyber", "explanation": "no"}
    assert t.summary.status == "deleted"


def test_idle_waiting_for_action_lists_the_blocking_events():
    t = Transcript([idle("sevt_s1", "requires_action", event_ids=["sevt_m1", "sevt_x1"])])
    block = t.get("sevt_s1")
    assert (block.status, block.stop_reason, block.event_ids) == ("idle", "requires_action", ("sevt_m1", "sevt_x1"))


def test_thread_statuses_are_blocks_that_leave_the_session_status_alone():
    t = Transcript(
        [
            parsed("session.status_running", "sevt_s1", 0),
            parsed("session.thread_created", "sevt_h1", 1, session_thread_id="sthr_2", agent_name="tester"),
            parsed(
                "session.thread_status_idle",
                "sevt_h2",
                2,
                session_thread_id="sthr_2",
                agent_name="tester",
                stop_reason={"type": "end_turn"},
            ),
        ]
    )
    created, thread_idle = t.get("sevt_h1"), t.get("sevt_h2")
    assert (created.status, created.thread_id, created.agent_name) == ("created", "sthr_2", "tester")
    assert (thread_idle.status, thread_idle.stop_reason) == ("idle", "end_turn")
    assert t.summary.status == "running"


def test_the_primary_threads_statuses_do_not_repeat_the_sessions():
    primary = {"session_thread_id": "sthr_1", "agent_name": "helper"}
    child = {"session_thread_id": "sthr_2", "agent_name": "tester"}
    t = Transcript(
        [
            parsed("session.status_running", "sevt_s1", 0),
            parsed("session.thread_status_running", "sevt_p1", 1, **primary),
            parsed("session.thread_created", "sevt_c0", 2, **child),
            parsed("session.thread_status_running", "sevt_c1", 3, **child),
            parsed("session.thread_status_idle", "sevt_c2", 4, stop_reason={"type": "end_turn"}, **child),
            parsed("session.thread_status_idle", "sevt_p2", 5, stop_reason={"type": "end_turn"}, **primary),
            idle("sevt_s2", "end_turn"),
        ]
    )
    assert [(b.id, b.status) for b in t] == [
        ("sevt_s1", "running"),
        ("sevt_c0", "created"),
        ("sevt_c1", "running"),
        ("sevt_c2", "idle"),
        ("sevt_s2", "idle"),
    ]
    assert t.summary.status == "idle"


def test_threads_lists_the_child_threads_with_their_latest_status():
    primary = {"session_thread_id": "sthr_1", "agent_name": "lead"}
    child = {"session_thread_id": "sthr_2", "agent_name": "tester"}
    t = Transcript(
        [
            parsed("session.thread_status_running", "sevt_p1", 1, **primary),
            parsed("session.thread_created", "sevt_c0", 2, **child),
        ]
    )
    assert t.threads == {"sthr_2": ("tester", "created")}
    t.apply(parsed("session.thread_status_running", "sevt_c1", 3, **child))
    assert t.threads == {"sthr_2": ("tester", "running")}
    t.apply(
        parsed(
            "session.thread_status_idle",
            "sevt_c2",
            4,
            stop_reason={"type": "requires_action", "event_ids": ["x"]},
            **child,
        )
    )
    assert t.threads == {"sthr_2": ("tester", "needs_approval")}
    t.apply(parsed("session.thread_status_idle", "sevt_c3", 5, stop_reason={"type": "end_turn"}, **child))
    assert t.threads == {"sthr_2": ("tester", "idle")}


# ----------------------------------------------------------------------------- errors


def test_errors_with_their_retry_status():
    t = Transcript()
    t.apply(parsed("session.status_running", "sevt_s0", 0))
    t.apply(
        parsed(
            "session.error",
            "sevt_e1",
            1,
            error={"type": "model_overloaded_error", "message": "Overloaded", "retry_status": {"type": "retrying"}},
        )
    )
    error = t.get("sevt_e1")
    assert isinstance(error, ErrorBlock)
    assert (error.error_type, error.message, error.retry_status) == ("model_overloaded_error", "Overloaded", "retrying")
    assert t.summary.error is error

    t.apply_many([parsed("session.status_rescheduled", "sevt_s1", 2), parsed("session.status_running", "sevt_s2", 3)])
    assert t.summary.error is None, "running again: the retried error is over"

    t.apply(
        parsed(
            "session.error",
            "sevt_e2",
            4,
            error={
                "type": "mcp_connection_failed_error",
                "message": "refused",
                "mcp_server_name": "linear",
                "retry_status": {"type": "exhausted"},
            },
        )
    )
    exhausted = t.get("sevt_e2")
    assert exhausted.retry_status == "exhausted" and exhausted.details == {"mcp_server_name": "linear"}

    t.apply(
        parsed(
            "session.error",
            "sevt_e3",
            5,
            error={"type": "billing_error", "message": "No credit", "retry_status": {"type": "terminal"}},
        )
    )
    t.apply(parsed("session.status_terminated", "sevt_s3", 6))
    assert t.summary.error.retry_status == "terminal" and t.summary.status == "terminated"


# ----------------------------------------------------------------------------- usage


def test_usage_blocks_and_token_totals():
    t = Transcript()
    t.apply_many([request_end("sevt_r1", 312, 96, 0, 4120), request_end("sevt_r2", 188, 241, 4120, 402)])
    first = t.get("sevt_r1")
    assert isinstance(first, UsageBlock) and first.source == "request"
    assert first.tokens == TokenTotals(312, 96, 0, 4120) and first.request_start_id == "sevt_r1_start"
    assert t.summary.tokens == TokenTotals(500, 337, 4120, 4522)

    t.apply(
        parsed(
            "session.usage",
            "sevt_u1",
            10,
            usage={
                "input_tokens": 600,
                "output_tokens": 400,
                "cache_read_input_tokens": 5000,
                "cache_creation": {"ephemeral_5m_input_tokens": 4000, "ephemeral_1h_input_tokens": 600},
                "active_seconds": 9.84,
                "list_cost": {"amount": "3", "currency": "USD"},
            },
        )
    )
    snapshot = t.get("sevt_u1")
    assert snapshot.source == "session" and snapshot.active_seconds == 9.84
    assert snapshot.tokens == TokenTotals(600, 400, 5000, 4600)
    assert t.summary.tokens == snapshot.tokens, "a snapshot is cumulative: it replaces the running sum"
    assert str(t.summary.list_cost) == "$0.03"

    t.apply(request_end("sevt_r3", 10, 5))
    assert t.summary.tokens == TokenTotals(610, 405, 5000, 4600)
    assert t.summary.tokens.total == 610 + 405 + 5000 + 4600


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("3", "USD", "$0.03"),
        ("250", "USD", "$2.50"),
        ("123", "EUR", "1.23 EUR"),
        ("n/a", "USD", "n/a USD"),
    ],
)
def test_list_cost_is_shown_in_major_units(amount, currency, shown):
    assert str(Money(amount, currency)) == shown


# ----------------------------------------------------------------------------- everything else


def test_unknown_and_unfolded_events_are_kept_whole():
    future = {"type": "session.teleported", "id": "sevt_z1", "processed_at": at(1), "where": {"x": 1}}
    t = Transcript(
        [
            parse_event(future),
            parsed("system.message", "sevt_y1", 2, content=text("Be brief.")),
            parse_event({"type": "mystery"}),
        ]
    )
    unknown, system, anonymous = t.blocks
    assert isinstance(unknown, EventBlock)
    assert (unknown.type, unknown.raw) == ("session.teleported", future)
    assert (system.type, system.text) == ("system.message", "Be brief.")
    assert anonymous.type == "mystery" and anonymous.raw == {"type": "mystery"}


def test_an_unreadable_wire_event_shows_which_field_is_wrong():
    bad = {"type": "agent.tool_result", "id": "sevt_x1", "processed_at": at(1), "tool_use_id": "t", "content": 7}
    (block,) = Transcript([bad]).blocks
    assert isinstance(block, UnreadableBlock) and block.type == "agent.tool_result"
    assert block.error == "agent.tool_result.content: Input should be a valid list"


def test_span_model_request_start_adds_no_block():
    assert len(Transcript([parsed("span.model_request_start", "sevt_r0", 0)])) == 0


def test_something_that_is_not_an_event_is_a_clear_error():
    with pytest.raises(TypeError, match="not a session event"):
        Transcript().apply(object())


# ----------------------------------------------------------------------------- every event type

_ANSWERS = {
    "user.tool_confirmation",
    "user.custom_tool_result",
    "user.tool_result",
    "agent.tool_result",
    "agent.mcp_tool_result",
}
_BLOCK_OF = {
    "user.message": UserMessageBlock,
    "agent.message": AgentMessageBlock,
    "event_start": AgentMessageBlock,
    "agent.thinking": ThinkingBlock,
    "agent.tool_use": ToolCallBlock,
    "agent.mcp_tool_use": ToolCallBlock,
    "agent.custom_tool_use": CustomToolCallBlock,
    "session.error": ErrorBlock,
    "session.usage": UsageBlock,
    "span.model_request_end": UsageBlock,
    **{kind: StatusBlock for kind in OUTPUT_EVENTS if kind.startswith(("session.status_", "session.thread_"))},
    "session.deleted": StatusBlock,
    "agent.thread_message_sent": ThreadMessageBlock,
    "agent.thread_message_received": ThreadMessageBlock,
    "agent.thread_context_compacted": CompactionBlock,
    "user.define_outcome": OutcomeBlock,
    "span.outcome_evaluation_start": OutcomeEvaluationBlock,
    "span.outcome_evaluation_end": OutcomeEvaluationBlock,
    "session.updated": SessionUpdatedBlock,
    **{kind: WorkflowRunBlock for kind in OUTPUT_EVENTS if kind.startswith("workflow_run.")},
}


@pytest.mark.parametrize("kind", sorted(OUTPUT_EVENTS))
def test_every_event_type_alone_becomes_the_block_a_reader_expects(kind):
    event = parse_event(OUTPUT_EVENTS[kind])
    t = Transcript([event])
    # A delta alone has no start to join; a request start and an evaluation heartbeat add nothing.
    if kind in ("span.model_request_start", "event_delta", "span.outcome_evaluation_ongoing"):
        assert len(t) == 0
        return
    if kind.startswith("session.thread_status_"):  # alone, it is the primary thread's: the session's status says it
        assert len(t) == 0
        child = parsed(
            "session.thread_created", "sevt_c0", 0, session_thread_id=event.session_thread_id, agent_name="x"
        )
        t = Transcript([child, event])
        block = t.blocks[-1]
    else:
        (block,) = t.blocks
    expected = _BLOCK_OF.get(kind, EventBlock)  # an answer without its call stays visible as is
    assert type(block) is expected, kind
    if expected is EventBlock:
        assert (block.type, block.raw) == (kind, OUTPUT_EVENTS[kind])


def test_the_whole_catalogue_folds_every_answer_into_its_call():
    t = Transcript(parse_event(payload) for payload in OUTPUT_EVENTS.values())

    assert not [b for b in t if isinstance(b, EventBlock) and b.type in _ANSWERS]
    bash = t.get("sevt_011CaRS012xYz")
    assert (bash.state, bash.deny_message, bash.result_text) == ("denied", "Not on prod", "14\n")
    assert t.get("sevt_011CaRS014xYz").result_text == "Created ENG-42"
    assert t.get("sevt_011CaRS016xYz").result_text == "opened app.py:12"
    assert t.summary.status == "deleted"


def test_every_error_variant_keeps_its_type_retry_status_and_details():
    errors = [e for e in EVENT_VARIANTS if e["type"] == "session.error"]
    t = Transcript(parse_event(e) for e in errors)
    for payload, block in zip(errors, t.blocks, strict=True):
        wire = payload["error"]
        assert (block.error_type, block.message, block.retry_status) == (
            wire["type"],
            wire["message"],
            wire["retry_status"]["type"],
        )
        assert block.details == {k: v for k, v in wire.items() if k not in ("type", "message", "retry_status")}


def test_a_sub_agent_call_awaiting_approval_is_pending_with_its_thread():
    t = Transcript(parse_event(e) for e in EVENT_VARIANTS if e["type"] == "agent.tool_use")
    (pending,) = t.summary.pending
    assert (pending.name, pending.thread_id, pending.state) == ("write", CHILD_THREAD, "awaiting_approval")
    assert [b.state for b in t] == ["awaiting_approval", "denied", "running"]


# ----------------------------------------------------------------------------- whole sessions


def page_events():
    return [parse_event(e) for e in load_example("events_page.json")["data"]]


def describe(t: Transcript) -> list[tuple]:
    """Each block as (kind, id suffix, its most telling state)."""
    out = []
    for b in t:
        state = {
            UserMessageBlock: lambda b=b: b.state,
            AgentMessageBlock: lambda b=b: b.text[:20],
            ThinkingBlock: lambda b=b: b.state,
            ToolCallBlock: lambda b=b: (b.name, b.state),
            StatusBlock: lambda b=b: (b.status, b.stop_reason, b.agent_name),
            UsageBlock: lambda b=b: (b.source, b.tokens.output_tokens),
        }[type(b)]()
        out.append((type(b).__name__, b.id[-4:], state))
    return out


EXPECTED_PAGE = [
    ("UserMessageBlock", "d4Ef", "processed"),
    ("StatusBlock", "e5Fg", ("running", None, None)),
    ("ThinkingBlock", "h8Ij", "done"),
    ("ToolCallBlock", "i9Jk", ("bash", "ok")),
    ("UsageBlock", "j1Kl", ("request", 96)),
    ("AgentMessageBlock", "m4No", "There are **14** Pyt"),
    ("UsageBlock", "n5Op", ("request", 241)),
    ("UsageBlock", "o6Pq", ("session", 337)),
    ("StatusBlock", "q8Rs", ("idle", "end_turn", None)),
]


def test_the_example_history_page_folds_into_the_expected_blocks():
    t = Transcript()
    changes = t.apply_many(page_events())

    assert describe(t) == EXPECTED_PAGE
    assert changes.added == [b.id for b in t] and not changes.updated and not changes.removed
    tool = t.get("sevt_011CaR8A6rZv3Eg7Ch8Ai9Jk")
    assert tool.duration == pytest.approx(0.684) and tool.result_text.startswith("14\n")
    assert "tui_demo/app.py" in t.get("sevt_011CaR8B1vDz7Ik2Gl3Em4No").text
    summary = t.summary
    assert (summary.status, summary.stop_reason, summary.pending, summary.error) == ("idle", "end_turn", (), None)
    assert summary.tokens == TokenTotals(500, 337, 4120, 4522) and str(summary.list_cost) == "$0.03"


def test_applying_the_same_events_again_changes_nothing():
    t = Transcript(page_events())
    before = describe(t)

    assert not t.apply_many(page_events())
    assert not t.apply(parsed_start("sevt_011CaR8B1vDz7Ik2Gl3Em4No"))
    assert describe(t) == before and t.summary.tokens == TokenTotals(500, 337, 4120, 4522)


def stream_items():
    return [item for item in iter_stream_items([(EXAMPLES / "turn_stream.sse").read_bytes()])]


def test_the_live_stream_folds_into_the_same_blocks_as_history():
    t = Transcript()
    streaming_seen = []
    for item in stream_items():
        changes = t.apply(item)
        message = t.get("sevt_011CaR8B1vDz7Ik2Gl3Em4No")
        if message is not None and message.streaming:
            streaming_seen.append(message.text)
        assert "sevt_011CaR8B1vDz7Ik2Gl3Em4No" not in changes.removed

    assert describe(t) == EXPECTED_PAGE
    assert streaming_seen[1] == "There are **14** Python files in `/workspace/tui-demo`"
    assert len(set(streaming_seen)) == 6, "the start and each of the 5 deltas showed more text"


def test_a_whole_stream_taken_as_one_feed_batch_folds_like_event_by_event():
    stepwise = Transcript()
    for item in stream_items():
        stepwise.apply(item)
    feed, batched = FeedState(), Transcript()
    for item in stream_items():
        feed.apply(item)
    batch = feed.take()  # previews that close within it are coalesced away
    assert not [c for c in batch if isinstance(c, (PreviewStarted, PreviewUpdated, PreviewDropped))]

    batched.apply_feed(batch)

    assert describe(batched) == describe(stepwise) == EXPECTED_PAGE
    assert [asdict(b) for b in batched] == [asdict(b) for b in stepwise]
    assert batched.summary == stepwise.summary


# ----------------------------------------------------------------------------- earlier history


def turns() -> list:
    """Three turns: a call answered, a call the turn's end cut short, a custom tool call pending."""
    return [
        parsed("user.message", "sevt_1u", 0, content=text("first")),
        parsed("session.status_running", "sevt_1r", 0.1),
        tool_use("sevt_1t", 0.2),
        request_end("sevt_1e", 10, 1, t=0.3),
        parsed("agent.tool_result", "sevt_1o", 0.4, tool_use_id="sevt_1t", content=text("ok")),
        parsed(
            "session.error",
            "sevt_1x",
            0.5,
            error={"type": "unknown_error", "message": "hiccup", "retry_status": {"type": "retrying"}},
        ),
        parsed("agent.message", "sevt_1m", 0.6, content=text("one")),
        parsed("session.usage", "sevt_1s", 0.7, usage={"input_tokens": 20, "output_tokens": 2}),
        idle("sevt_1i", t=0.8),
        parsed("user.message", "sevt_2u", 1, content=text("second")),
        parsed("session.status_running", "sevt_2r", 1.1),
        tool_use("sevt_2t", 1.2),
        request_end("sevt_2e", 5, 1, t=1.3),
        idle("sevt_2i", t=1.4),
        parsed("user.message", "sevt_3u", 2, content=text("third")),
        parsed("session.status_running", "sevt_3r", 2.1),
        parsed("agent.custom_tool_use", "sevt_3c", 2.2, name="lookup", input={"q": 1}),
        request_end("sevt_3e", 7, 3, t=2.3),
        idle("sevt_3i", "requires_action", 2.4, event_ids=["sevt_3c"]),
    ]


@pytest.mark.parametrize("history", ["example page", "three turns"])
def test_history_read_newest_part_first_folds_into_the_same_transcript(history):
    """A feed reading newest first hands the older part over last: wherever the history is cut,
    the blocks, their states and the header come out as if it had been read in order."""
    events = page_events() if history == "example page" else turns()
    whole = Transcript(events)
    for cut in range(len(events) + 1):
        t = Transcript(events[cut:])
        newer = [b.id for b in t]
        changes = t.apply_feed([EarlierEvents(tuple(events[:cut]))])

        assert repr(t.blocks) == repr(whole.blocks), cut
        assert repr(t.summary) == repr(whole.summary), cut
        assert changes.earlier == [b.id for b in t][: len(t) - len(newer) + len(changes.removed)]
        assert set(changes.removed) <= set(newer) and not set(changes.removed) & set(t._blocks)


def test_earlier_history_arrives_newest_part_first():
    events = turns()
    t = Transcript(events[14:])
    t.apply_feed([EarlierEvents(tuple(events[9:14])), EarlierEvents(tuple(events[:9]))])
    assert repr(t.blocks) == repr(Transcript(events).blocks)


# ----------------------------------------------------------------------------- change sets


def test_changes_merge_into_one_batch():
    t = Transcript()
    batch = Changes()
    batch.merge(t.apply_feed([PreviewStarted("sevt_a1", "agent.message")]))
    batch.merge(t.apply_feed([PreviewDropped("sevt_a1")]))
    assert not batch, "a preview opened and dropped in one batch never needs a widget"

    t.apply_feed([PreviewStarted("sevt_a2", "agent.message")])
    batch = Changes()
    batch.merge(t.apply_feed([PreviewDropped("sevt_a2")]))
    batch.merge(t.apply(parsed("session.status_running", "sevt_s1", 0)))
    batch.merge(t.apply(parsed("agent.message", "sevt_a2", 1, content=text("final"))))
    assert batch.removed == ["sevt_a2"]
    assert batch.added == ["sevt_s1", "sevt_a2"], "re-created at the end, after the status"
    assert batch.summary


# ----------------------------------------------------------------------------- scale


def test_ten_thousand_events_fold_with_every_call_resolved():
    events = []
    for turn in range(1000):
        p = f"sevt_{turn:05d}_"
        events += [
            parsed("user.message", p + "u", turn, content=text(f"question {turn}")),
            parsed("session.status_running", p + "r", turn),
            parsed("span.model_request_start", p + "q", turn),
            tool_use(p + "t", turn + 0.1),
            request_end(p + "e", 10, 1, t=turn + 0.2),
            parsed("agent.tool_result", p + "o", turn + 0.5, tool_use_id=p + "t", content=text("ok")),
            parsed("agent.message", p + "m", turn + 0.6, content=text(f"answer {turn}")),
            request_end(p + "f", 10, 1, t=turn + 0.7),
            parsed("session.usage", p + "s", turn + 0.8, usage={"input_tokens": 20 * (turn + 1)}),
            idle(p + "i", "end_turn", turn + 0.9),
        ]
    t = Transcript()
    changes = t.apply_many(events)

    assert len(events) == 10_000 and len(t) == 8000 and len(changes.added) == 8000
    assert all(b.state == "ok" for b in t if isinstance(b, ToolCallBlock))
    assert t.summary.tokens.input_tokens == 20_000 and t.summary.status == "idle"


# ----------------------------------------------------------------------------- threads, outcomes, workflows

_USAGE = model_usage(10, 5)


def test_a_delegation_reads_as_a_message_to_the_helper_and_its_answer():
    child = "sthr_child"
    t = Transcript(
        [
            parsed("session.thread_created", "sevt_c", 0, session_thread_id=child, agent_name="helper"),
            parsed(
                "agent.thread_message_sent",
                "sevt_s",
                1,
                to_session_thread_id=child,
                content=text("Count the **files**"),
            ),
            parsed(
                "agent.thread_message_received",
                "sevt_r",
                2,
                from_session_thread_id=child,
                from_agent_name="Helper 2",
                content=text("There are *14*."),
            ),
            parsed("agent.thread_message_sent", "sevt_u", 3, to_session_thread_id="sthr_unknown", content=text("hi")),
        ]
    )
    sent, received, unknown = (t.get(i) for i in ("sevt_s", "sevt_r", "sevt_u"))
    assert (sent.direction, sent.peer, sent.text) == ("sent", "helper", "Count the **files**")  # named by its thread
    assert (received.direction, received.peer, received.text) == ("received", "Helper 2", "There are *14*.")
    assert unknown.peer == "sthr_unknown"


def test_an_outcome_evaluation_folds_start_and_end_and_is_the_headers_latest():
    t = Transcript(
        [
            parsed(
                "user.define_outcome",
                "sevt_o",
                0,
                description="A CHANGELOG entry",
                outcome_id="outc_1",
                rubric={"type": "text", "content": "Names the version."},
                max_iterations=3,
            ),
            parsed("span.outcome_evaluation_start", "sevt_e0", 1, outcome_id="outc_1", iteration=0),
        ]
    )
    outcome = t.get("sevt_o")
    assert (outcome.description, outcome.rubric, outcome.max_iterations) == (
        "A CHANGELOG entry",
        "Names the version.",
        3,
    )
    assert t.summary.outcome.state == "evaluating" and t.summary.outcome.description == "A CHANGELOG entry"
    changes = t.apply(parsed("span.outcome_evaluation_ongoing", "sevt_h", 2, outcome_id="outc_1", iteration=0))
    assert not changes.ids
    end = evaluation_end("sevt_e0", 0, "needs_revision", "No version.", outcome_id="outc_1", usage=_USAGE)
    changes = t.apply(parsed("span.outcome_evaluation_end", "sevt_x0", 3, **end))
    assert changes.updated == ["sevt_e0"] and changes.summary and "sevt_x0" not in t
    first = t.get("sevt_e0")
    assert (first.result, first.explanation, first.tokens.total, first.duration) == (
        "needs_revision",
        "No version.",
        15,
        2.0,
    )
    assert not first.final and t.summary.outcome is first
    t.apply_many(
        [
            parsed("span.outcome_evaluation_start", "sevt_e1", 4, outcome_id="outc_1", iteration=1),
            parsed(
                "span.outcome_evaluation_end",
                "sevt_x1",
                5,
                **evaluation_end("sevt_e1", 1, "satisfied", "Good.", outcome_id="outc_1", usage=_USAGE),
            ),
        ]
    )
    assert t.summary.outcome.id == "sevt_e1" and t.summary.outcome.final
    assert [type(b).__name__ for b in t] == ["OutcomeBlock", "OutcomeEvaluationBlock", "OutcomeEvaluationBlock"]


def test_an_evaluation_end_without_its_start_still_shows_its_verdict():
    t = Transcript(
        [
            parsed(
                "span.outcome_evaluation_end",
                "sevt_x",
                0,
                **evaluation_end("sevt_gone", 2, "failed", "n/a", outcome_id="outc_1", usage=_USAGE),
            )
        ]
    )
    (block,) = t.blocks
    assert (block.id, block.iteration, block.state) == ("sevt_x", 2, "failed")


def test_a_workflow_run_folds_into_one_block():
    run = "wfrun_1"
    t = Transcript(
        [
            parsed(
                "workflow_run.created",
                "sevt_w",
                0,
                workflow_run_id=run,
                name="triage",
                phases=[{"id": "p1", "name": "collect"}, {"id": "p2", "name": "label"}],
            ),
            parsed("workflow_run.status_running", "sevt_w1", 1, workflow_run_id=run),
            parsed("workflow_run.phase_started", "sevt_w2", 2, workflow_run_id=run, workflow_run_phase_id="p1"),
        ]
    )
    (block,) = t.blocks
    assert (block.name, block.status, block.phase_name, block.phases_ended) == ("triage", "running", "collect", 0)
    t.apply_many(
        [
            parsed(
                "workflow_run.phase_ended",
                "sevt_w3",
                3,
                workflow_run_id=run,
                workflow_run_phase_id="p1",
                phase_started_id="sevt_w2",
            ),
            parsed(
                "workflow_run.status_ended",
                "sevt_w4",
                4,
                workflow_run_id=run,
                result={"type": "error", "error": {"type": "program_error", "message": "boom"}},
            ),
            parsed(
                "workflow_run.error",
                "sevt_w5",
                5,
                workflow_run_id=None,
                error={"type": "max_workflow_runs_error", "message": "Too many runs"},
            ),
        ]
    )
    run_block, orphan = t.blocks
    assert (run_block.status, run_block.result, run_block.error["message"], run_block.phases_ended) == (
        "ended",
        "error",
        "boom",
        1,
    )
    assert (orphan.run_id, orphan.status, orphan.error["type"]) == (None, "error", "max_workflow_runs_error")


def test_session_updated_sets_the_headers_title_and_agent():
    agent = OUTPUT_EVENTS["session.updated"]["agent"]
    t = Transcript([parsed("session.updated", "sevt_u", 0, title="Renamed")])
    assert (t.summary.title, t.summary.agent_name) == ("Renamed", None)
    changes = t.apply(parsed("session.updated", "sevt_v", 1, agent=agent))
    assert changes.summary
    assert (t.summary.title, t.summary.agent_name, t.summary.model) == ("Renamed", agent["name"], agent["model"]["id"])
    assert t.get("sevt_v").fields == ("agent",)


def test_a_child_threads_tool_call_carries_its_agent_name():
    t = Transcript(
        [
            parsed("session.thread_created", "sevt_c", 0, session_thread_id="sthr_c", agent_name="helper"),
            tool_use("sevt_t", 1, permission="ask", session_thread_id="sthr_c"),
            tool_use("sevt_p", 2, permission="ask"),
        ]
    )
    assert (t.get("sevt_t").agent_name, t.get("sevt_p").agent_name) == ("helper", None)
    assert t.thread_agent("sthr_c") == "helper" and t.thread_agent(None) is None


def test_earlier_history_gives_names_and_outcomes_to_what_came_after():
    t = Transcript()
    t.apply_feed([EventAdded(parsed("session.updated", "sevt_u2", 5, title="New"))])
    t.apply_feed(
        [
            EarlierEvents(
                [
                    parsed("session.thread_created", "sevt_c", 0, session_thread_id="sthr_c", agent_name="helper"),
                    parsed("session.updated", "sevt_u1", 1, title="Old"),
                    parsed("span.outcome_evaluation_start", "sevt_e", 2, outcome_id="outc_1", iteration=0),
                ]
            )
        ]
    )
    assert t.summary.title == "New" and t.summary.outcome.id == "sevt_e" and t.thread_agent("sthr_c") == "helper"


def test_a_calls_agent_name_comes_from_earlier_history_too():
    t = Transcript()
    t.apply_feed([EventAdded(tool_use("sevt_t", 5, permission="ask", session_thread_id="sthr_c"))])
    changes = t.apply_feed(
        [
            EarlierEvents(
                [
                    parsed("session.thread_created", "sevt_c", 0, session_thread_id="sthr_c", agent_name="helper"),
                ]
            )
        ]
    )
    assert t.get("sevt_t").agent_name == "helper" and changes.updated == ["sevt_t"]
    assert t.summary.pending[0].agent_name == "helper"
