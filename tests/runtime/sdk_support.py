"""Driving a session of the runtime through the official SDK: a user message, the events of a turn.

``user`` builds the input event, ``until_pause`` reads a stream up to the turn's pause,
``run_turn`` does both on a stream of its own, ``tool_output`` is the last tool result of a turn;
``toolset_session`` makes a session whose agent has every built-in tool.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Events after which a session waits for its user (an idle of any stop reason) or for nothing.
PAUSES = ("session.status_idle", "session.status_terminated", "session.deleted")


def toolset_session(sdk: Any, name: str, **fields: Any) -> Any:
    """A new session (with ``fields``, e.g. ``resources``) of an agent ``name`` with the built-in toolset, in an
    unrestricted environment ``name``."""
    env = sdk.beta.environments.create(name=name, config={"type": "cloud", "networking": {"type": "unrestricted"}})
    agent = sdk.beta.agents.create(name=name, model="claude-sonnet-4-6", tools=[{"type": "agent_toolset_20260401"}])
    return sdk.beta.sessions.create(agent=agent.id, environment_id=env.id, **fields)


def user(text: str) -> dict:
    """A ``user.message`` event with ``text`` as its only block."""
    return {"type": "user.message", "content": [{"type": "text", "text": text}]}


def until_pause(stream: Iterable) -> list:
    """The events of ``stream`` up to the next pause, that one included; fails if the stream ends first."""
    seen = []
    for event in stream:
        seen.append(event)
        if event.type in PAUSES:
            return seen
    raise AssertionError(f"the stream ended mid-turn after {[e.type for e in seen]}")


def run_turn(sdk: Any, session_id: str, text: str) -> list:
    """Send ``text`` to the session; the events from then up to the pause (read on a stream of their own)."""
    stream = sdk.beta.sessions.events.stream(session_id)
    try:
        sdk.beta.sessions.events.send(session_id, events=[user(text)])
        return until_pause(stream)
    finally:
        stream.close()


def tool_output(events: list) -> tuple[str, bool]:
    """The text of the last tool result among ``events`` and whether it is an error."""
    results = [event for event in events if event.type == "agent.tool_result"]
    assert results, f"no tool ran in {[e.type for e in events]}"
    result = results[-1]
    return (result.content[0].text if result.content else ""), bool(result.is_error)
