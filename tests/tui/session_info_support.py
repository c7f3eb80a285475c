"""A session with fixed ids, times, usage, budget, resources and tool calls, written into the test
runtime's store (as the API would return it), for the session info tests and snapshot."""

from __future__ import annotations

from typing import Any

from app.runtime import multiagent
from app.runtime.resolve import snapshot

SESSION_ID = "sesn_011CaInfoFixedSession01"
THREAD_ID = "sthr_011CaInfoFixedThread001"
ENV_ID = "env_011CaInfoFixedEnvironment"
AGENT_ID = "agent_011CaInfoFixedAgent001"
CREATED = "2026-05-02T09:00:00.000Z"
UPDATED = "2026-05-02T09:12:30.000Z"


def _at(second: int) -> str:
    return f"2026-05-02T09:10:{second:02d}.000Z"


def _call(n: int, name: str, start: int, end: int, *, error: bool = False) -> list[dict[str, Any]]:
    """A tool use and its result, ``end - start`` seconds apart."""
    use = {
        "type": "agent.tool_use",
        "id": f"sevt_use{n}",
        "name": name,
        "input": {"command": "ls"},
        "evaluated_permission": "allow",
        "processed_at": _at(start),
    }
    result = {
        "type": "agent.tool_result",
        "id": f"sevt_res{n}",
        "tool_use_id": f"sevt_use{n}",
        "content": [{"type": "text", "text": "out"}],
        "is_error": error,
        "processed_at": _at(end),
    }
    return [use, result]


def stored_session(seed, *, cost_cents: int = 42, budget_cents: int | None = 2500) -> dict[str, Any]:
    """Write the fixed session (3 bash calls, one failed, medians 2 s; 1 read call) into the store."""
    store = seed.runtime.runtime.store
    environment = seed.environment("dev")
    store.put_environment({**environment, "id": ENV_ID})
    agent = {**snapshot(store.get_agent(seed.agent("helper")["id"])), "id": AGENT_ID}
    session = {
        "type": "session",
        "id": SESSION_ID,
        "title": "Fix the login bug [urgent]",
        "status": "idle",
        "environment_id": ENV_ID,
        "agent": agent,
        "resources": [
            {
                "type": "github_repository",
                "id": "sesrsc_011CaInfoRepo",
                "url": "https://github.com/acme/shop",
                "mount_path": "/workspace/shop",
                "checkout": {"type": "branch", "name": "main"},
                "created_at": CREATED,
                "updated_at": CREATED,
            }
        ],
        "metadata": {"ticket": "ENG-42"},
        "vault_ids": [],
        "budget": None
        if budget_cents is None
        else {"type": "limit", "max_list_cost": {"amount": str(budget_cents), "currency": "USD"}},
        "outcome_evaluations": [],
        "stats": {"active_seconds": 83.5, "duration_seconds": 750.0},
        "usage": {
            "input_tokens": 1200,
            "output_tokens": 3400,
            "cache_read_input_tokens": 52000,
            "cache_creation": {"ephemeral_5m_input_tokens": 800, "ephemeral_1h_input_tokens": 0},
            "list_cost": {"amount": str(cost_cents), "currency": "USD"},
        },
        "deployment_id": None,
        "created_at": CREATED,
        "updated_at": UPDATED,
        "archived_at": None,
    }
    store.put_session(session)
    store.put_thread(
        {
            **multiagent.new_thread(SESSION_ID, agent, None),
            "id": THREAD_ID,
            "created_at": CREATED,
            "updated_at": UPDATED,
        }
    )
    events = [
        *_call(1, "bash", 0, 1),
        *_call(2, "bash", 2, 4, error=True),
        *_call(3, "bash", 5, 10),
        *_call(4, "read", 11, 12),
    ]
    for event in events:
        store.append_event(SESSION_ID, event)
    return session
