"""Realistic payloads for every session event type, reusable by any test.

``OUTPUT_EVENTS``: one stream/history payload per event type (keyed by ``type``).
``EVENT_VARIANTS``: further payloads for the open sets inside events (stop reasons, error types,
permission evaluations, content blocks, workflow results).
``INPUT_EVENTS``: one request body per input event type (what ``POST …/events`` takes).
"""

from __future__ import annotations

from typing import Any

SESSION = "sesn_011CaR7Q9wErT5yU3iOpA6sD"
THREAD = "sthr_011CaR7Q9xFgH6jK4lZcV7bN"
CHILD_THREAD = "sthr_011CaRC4kLmN5pQ6rS7tU8vW"
WORKFLOW_RUN = "wfrun_011CaRD1aB2cD3eF4gH5iJ6k"
OUTCOME = "outc_011CaRE7hJ8kL9mN0pQ1rS2t"
TS = "2026-05-02T09:21:40.112Z"

_MODEL_USAGE = {
    "input_tokens": 188,
    "output_tokens": 241,
    "cache_creation_input_tokens": 402,
    "cache_read_input_tokens": 4120,
}

_SNAPSHOT_AGENT = {
    "type": "agent",
    "id": "agent_011CaR7K5sDfG8hJ2mNqP4rT",
    "version": 4,
    "name": "repo-helper",
    "description": None,
    "model": {"id": "claude-sonnet-4-6", "effort": {"type": "medium"}, "speed": "standard", "inference_geo": None},
    "system": "Be concise.",
    "tools": [
        {
            "type": "agent_toolset_20260401",
            "default_config": {"enabled": True, "permission_policy": {"type": "always_allow"}},
            "configs": [],
        }
    ],
    "mcp_servers": [],
    "skills": [],
    "execution_identity": {"type": "service_account"},
    "multiagent": None,
}


def _evt(type_: str, n: int, **fields: Any) -> dict[str, Any]:
    return {"type": type_, "id": f"sevt_011CaRS{n:03d}xYz", **fields, "processed_at": TS}


OUTPUT_EVENTS: dict[str, dict[str, Any]] = {
    e["type"]: e
    for e in [
        _evt("user.message", 1, content=[{"type": "text", "text": "How many Python files are there?"}]),
        _evt("user.interrupt", 2, session_thread_id=THREAD),
        _evt(
            "user.tool_confirmation",
            3,
            tool_use_id="sevt_011CaRS012xYz",
            result="deny",
            deny_message="Not on prod",
            session_thread_id=THREAD,
        ),
        _evt(
            "user.custom_tool_result",
            4,
            custom_tool_use_id="sevt_011CaRS016xYz",
            content=[{"type": "text", "text": "opened app.py:12"}],
            is_error=False,
        ),
        _evt(
            "user.tool_result",
            5,
            tool_use_id="sevt_011CaRS012xYz",
            content=[{"type": "text", "text": "14\n"}],
            is_error=False,
        ),
        _evt(
            "user.define_outcome",
            6,
            description="A CHANGELOG entry for the resize fix",
            rubric={"type": "text", "content": "Mentions the bug, the fix and the version."},
            max_iterations=3,
            outcome_id=OUTCOME,
        ),
        _evt("system.message", 7, content=[{"type": "text", "text": "The user is on a phone; keep replies short."}]),
        _evt("agent.message", 8, content=[{"type": "text", "text": "There are **14** Python files."}]),
        _evt("agent.thinking", 9),
        _evt(
            "agent.tool_use",
            12,
            name="bash",
            input={"command": "find . -name '*.py' | wc -l"},
            evaluated_permission="allow",
            evaluation={"type": "always_allow"},
        ),
        _evt(
            "agent.tool_result",
            13,
            tool_use_id="sevt_011CaRS012xYz",
            content=[{"type": "text", "text": "14\n"}],
            is_error=False,
        ),
        _evt(
            "agent.mcp_tool_use",
            14,
            mcp_server_name="linear",
            name="create_issue",
            input={"title": "Fix resize bug"},
            evaluated_permission="ask",
            evaluation={"type": "always_ask"},
        ),
        _evt(
            "agent.mcp_tool_result",
            15,
            mcp_tool_use_id="sevt_011CaRS014xYz",
            content=[{"type": "text", "text": "Created ENG-42"}],
            is_error=False,
        ),
        _evt("agent.custom_tool_use", 16, name="open_in_editor", input={"path": "app.py", "line": 12}),
        _evt(
            "agent.thread_message_sent",
            17,
            to_session_thread_id=CHILD_THREAD,
            to_agent_name="reviewer",
            content=[{"type": "text", "text": "Please review the diff."}],
        ),
        _evt(
            "agent.thread_message_received",
            18,
            from_session_thread_id=CHILD_THREAD,
            from_agent_name="reviewer",
            content=[{"type": "text", "text": "Looks good."}],
        ),
        _evt("agent.thread_context_compacted", 19),
        _evt("session.status_running", 20),
        _evt("session.status_idle", 21, stop_reason={"type": "end_turn"}, stop_details=None),
        _evt("session.status_rescheduled", 22),
        _evt("session.status_terminated", 23),
        _evt(
            "session.error",
            24,
            error={"type": "model_overloaded_error", "message": "Overloaded", "retry_status": {"type": "retrying"}},
        ),
        _evt(
            "session.updated",
            25,
            agent=_SNAPSHOT_AGENT,
            title="Explore tui-demo repo (2)",
            metadata={"client": "textual-tui"},
            budget={"type": "limit", "max_list_cost": {"amount": "1000", "currency": "USD"}},
        ),
        _evt(
            "session.usage",
            26,
            usage={
                "input_tokens": 500,
                "output_tokens": 337,
                "cache_read_input_tokens": 4120,
                "cache_creation": {"ephemeral_5m_input_tokens": 4522, "ephemeral_1h_input_tokens": 0},
                "active_seconds": 9.84,
                "list_cost": {"amount": "3", "currency": "USD"},
                "server_tool_use": {"web_fetch_requests": 0, "web_search_requests": 1},
            },
            budget={"type": "limit", "max_list_cost": {"amount": "500", "currency": "USD"}},
        ),
        _evt("session.deleted", 27),
        _evt(
            "session.thread_created",
            28,
            session_thread_id=CHILD_THREAD,
            agent_name="reviewer",
            workflow_run_id=None,
        ),
        _evt("session.thread_status_running", 29, session_thread_id=THREAD, agent_name="repo-helper"),
        _evt(
            "session.thread_status_idle",
            30,
            session_thread_id=THREAD,
            agent_name="repo-helper",
            stop_reason={"type": "end_turn"},
            stop_details=None,
        ),
        _evt("session.thread_status_rescheduled", 31, session_thread_id=CHILD_THREAD, agent_name="reviewer"),
        _evt("session.thread_status_terminated", 32, session_thread_id=CHILD_THREAD, agent_name="reviewer"),
        _evt("span.model_request_start", 33),
        _evt(
            "span.model_request_end",
            34,
            model_request_start_id="sevt_011CaRS033xYz",
            is_error=False,
            model_usage=_MODEL_USAGE,
        ),
        _evt("span.outcome_evaluation_start", 35, outcome_id=OUTCOME, iteration=1),
        _evt("span.outcome_evaluation_ongoing", 36, outcome_id=OUTCOME, iteration=1),
        _evt(
            "span.outcome_evaluation_end",
            37,
            outcome_id=OUTCOME,
            iteration=1,
            outcome_evaluation_start_id="sevt_011CaRS035xYz",
            result="needs_revision",
            explanation="The entry does not name the version.",
            usage={**_MODEL_USAGE, "speed": "standard"},
        ),
        _evt(
            "workflow_run.created",
            38,
            workflow_run_id=WORKFLOW_RUN,
            name="triage",
            description="Label new issues",
            phases=[
                {"id": "phase_1", "name": "collect", "description": "Fetch open issues"},
                {"id": "phase_2", "name": "label"},
            ],
        ),
        _evt("workflow_run.status_running", 39, workflow_run_id=WORKFLOW_RUN),
        _evt("workflow_run.status_idle", 40, workflow_run_id=WORKFLOW_RUN),
        _evt("workflow_run.phase_started", 41, workflow_run_id=WORKFLOW_RUN, workflow_run_phase_id="phase_1"),
        _evt(
            "workflow_run.phase_ended",
            42,
            workflow_run_id=WORKFLOW_RUN,
            workflow_run_phase_id="phase_1",
            phase_started_id="sevt_011CaRS041xYz",
        ),
        _evt("workflow_run.status_ended", 43, workflow_run_id=WORKFLOW_RUN, result={"type": "completed"}),
        _evt(
            "workflow_run.error",
            44,
            workflow_run_id=WORKFLOW_RUN,
            error={"type": "timeout_error", "message": "The run took longer than 30 minutes."},
        ),
        {"type": "event_start", "event": {"type": "agent.message", "id": "sevt_011CaRS008xYz"}},
        {
            "type": "event_delta",
            "event_id": "sevt_011CaRS008xYz",
            "delta": {"type": "content_delta", "index": 0, "content": {"type": "text", "text": "There are "}},
        },
    ]
}

_STOP_REASONS = [
    {"type": "requires_action", "event_ids": ["sevt_011CaRS014xYz"]},
    {"type": "retries_exhausted"},
    {"type": "budget_reached"},
]
_SESSION_ERRORS = [
    {"type": "unknown_error", "message": "Something failed", "retry_status": {"type": "terminal"}},
    {"type": "model_rate_limited_error", "message": "Rate limited", "retry_status": {"type": "retrying"}},
    {"type": "model_request_failed_error", "message": "Bad gateway", "retry_status": {"type": "exhausted"}},
    {"type": "billing_error", "message": "Credit balance too low", "retry_status": {"type": "terminal"}},
    {"type": "tool_use_limit_reached_error", "message": "Too many tool rounds", "retry_status": {"type": "exhausted"}},
    {"type": "compaction_limit_reached_error", "message": "Context full", "retry_status": {"type": "exhausted"}},
    {
        "type": "mcp_connection_failed_error",
        "message": "Cannot reach server",
        "mcp_server_name": "linear",
        "retry_status": {"type": "retrying"},
    },
    {
        "type": "mcp_authentication_failed_error",
        "message": "401 from server",
        "mcp_server_name": "linear",
        "retry_status": {"type": "exhausted"},
    },
    {
        "type": "credential_host_unreachable_error",
        "message": "Vault host down",
        "credential_id": "vcrd_011CaR",
        "vault_id": "vlt_011CaR",
        "retry_status": {"type": "retrying"},
    },
    *(
        {
            "type": f"repository_{kind}_error",
            "message": f"Repository {kind} failed",
            "repository_url": "https://github.com/example-org/tui-demo",
            "retry_status": {"type": "retrying"},
        }
        for kind in ("authentication", "forbidden", "not_found", "checkout", "clone")
    ),
]

#: Variants of the open sets inside events; each is accepted by our models and by the SDK's.
EVENT_VARIANTS: list[dict[str, Any]] = [
    *(_evt("session.status_idle", 50 + i, stop_reason=r, stop_details=None) for i, r in enumerate(_STOP_REASONS)),
    _evt(
        "session.status_idle",
        54,
        stop_reason={"type": "refusal"},
        stop_details={"type": "refusal", "category": "cyber", "explanation": "Declined to write malware."},
    ),
    _evt(
        "session.thread_status_idle",
        55,
        session_thread_id=CHILD_THREAD,
        agent_name="reviewer",
        stop_reason={"type": "requires_action", "event_ids": ["sevt_011CaRS012xYz", "sevt_011CaRS016xYz"]},
    ),
    *(_evt("session.error", 60 + i, error=err) for i, err in enumerate(_SESSION_ERRORS)),
    _evt(
        "agent.tool_use",
        80,
        name="write",
        input={"file_path": "/workspace/notes.md", "content": "# Notes\n"},
        evaluated_permission="ask",
        evaluation={"type": "auto", "evaluated_permission": {"type": "ask", "reason_code": "high_risk"}},
        session_thread_id=CHILD_THREAD,
    ),
    _evt(
        "agent.tool_use",
        81,
        name="bash",
        input={"command": "rm -rf /"},
        evaluated_permission="deny",
        evaluation={"type": "auto", "evaluated_permission": {"type": "deny", "reason_code": "indeterminate"}},
    ),
    _evt(
        "agent.tool_use",
        82,
        name="read",
        input={"file_path": "/workspace/app.py", "view_range": [1, 40]},
        evaluated_permission="allow",
        evaluation={"type": "auto", "evaluated_permission": {"type": "allow"}},
    ),
    _evt("agent.message", 83, content=[{"type": "text", "text": "Part one. "}, {"type": "redacted"}]),
    _evt(
        "agent.tool_result",
        84,
        tool_use_id="sevt_011CaRS082xYz",
        content=[
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
            {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "hello"}, "title": "t"},
            {
                "type": "search_result",
                "source": "https://docs.example.com/resize",
                "title": "Resize events",
                "content": [{"type": "text", "text": "Terminals send SIGWINCH."}],
                "citations": {"enabled": True},
            },
        ],
        is_error=False,
    ),
    {**_evt("user.message", 85, content=[{"type": "text", "text": "queued"}]), "processed_at": None},
    _evt(
        "user.message",
        86,
        content=[
            {"type": "image", "source": {"type": "url", "url": "https://example.com/shot.png"}},
            {"type": "document", "source": {"type": "file", "file_id": "file_011CaR"}, "context": "spec"},
        ],
    ),
    _evt(
        "workflow_run.status_ended",
        87,
        workflow_run_id=WORKFLOW_RUN,
        result={"type": "error", "error": {"type": "program_error", "message": "Step 2 raised"}},
    ),
    _evt("workflow_run.status_ended", 88, workflow_run_id=WORKFLOW_RUN, result={"type": "stopped"}),
    _evt(
        "workflow_run.error",
        89,
        workflow_run_id=None,
        error={"type": "max_workflow_runs_error", "message": "Too many runs"},
    ),
    {"type": "event_start", "event": {"type": "agent.thinking", "id": "sevt_011CaRS009xYz"}},
]

#: One request body per input event type.
INPUT_EVENTS: dict[str, dict[str, Any]] = {
    e["type"]: e
    for e in [
        {"type": "user.message", "content": [{"type": "text", "text": "How many Python files are there?"}]},
        {"type": "user.interrupt"},
        {"type": "user.tool_confirmation", "tool_use_id": "sevt_011CaRS014xYz", "result": "deny", "deny_message": "No"},
        {
            "type": "user.custom_tool_result",
            "custom_tool_use_id": "sevt_011CaRS016xYz",
            "content": [{"type": "text", "text": "opened app.py:12"}],
            "is_error": False,
        },
        {"type": "user.tool_result", "tool_use_id": "sevt_011CaRS012xYz", "content": [{"type": "text", "text": "14"}]},
        {
            "type": "user.define_outcome",
            "description": "A CHANGELOG entry",
            "rubric": {"type": "file", "file_id": "file_011CaR"},
            "max_iterations": 5,
        },
        {"type": "system.message", "content": [{"type": "text", "text": "Keep replies short."}]},
    ]
}
