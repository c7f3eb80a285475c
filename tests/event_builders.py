"""Builders of session events as the API sends them (wire dicts), shared by every test.

``event`` makes one event, ``Events`` a series with sequential ids one simulated second apart; ``text``, ``start``
and ``delta`` build content blocks and the preview frames (``event_start``, ``event_delta``) of a
streamed event. ``parsed`` and the helpers after it give events already parsed, as the transcript
folds them; ``model_usage`` and ``evaluation_end`` build fields of the usage and outcome spans.
Realistic payloads of every event type are in ``tests.event_samples``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.api.models import parse_event


def event(type_: str, event_id: str, processed_at: str | None, **fields: Any) -> dict:
    """One event; ``processed_at=None`` is a queued echo of an input event."""
    return {"type": type_, "id": event_id, **fields, "processed_at": processed_at}


def text(*blocks: str) -> list[dict]:
    """Text content blocks, one per string."""
    return [{"type": "text", "text": block} for block in blocks]


def start(event_id: str, type_: str = "agent.message") -> dict:
    """The ``event_start`` preview frame of a streamed event."""
    return {"type": "event_start", "event": {"type": type_, "id": event_id}}


def delta(event_id: str, fragment: str, index: int | None = 0) -> dict:
    """An ``event_delta`` frame adding ``fragment``; ``index=None`` leaves the block index out."""
    body: dict[str, Any] = {"type": "content_delta", "content": {"type": "text", "text": fragment}}
    if index is not None:
        body["index"] = index
    return {"type": "event_delta", "event_id": event_id, "delta": body}


class Events:
    """Wire events with sequential ids, one simulated second apart."""

    def __init__(self) -> None:
        self.count = 0

    def make(self, event_type: str, *, queued: bool = False, **fields: Any) -> dict:
        self.count += 1
        stamp = None if queued else f"2026-05-02T09:{self.count // 60:02d}:{self.count % 60:02d}.000Z"
        return event(event_type, f"sevt_test{self.count:05d}", stamp, **fields)

    def user(self, content: str, *, queued: bool = False) -> dict:
        return self.make("user.message", queued=queued, content=text(content))

    def message(self, content: str) -> dict:
        return self.make("agent.message", content=text(content))

    def tool(
        self,
        name: str,
        input: dict,
        result: str | None = None,
        *,
        is_error: bool = False,
        permission: str = "allow",
        mcp_server: str | None = None,
    ) -> list[dict]:
        """A tool use, and its result when ``result`` is given (one second later)."""
        kind = "agent.mcp_tool_use" if mcp_server else "agent.tool_use"
        extra = {"mcp_server_name": mcp_server} if mcp_server else {}
        use = self.make(kind, name=name, input=input, evaluated_permission=permission, **extra)
        if result is None:
            return [use]
        answer = "agent.mcp_tool_result" if mcp_server else "agent.tool_result"
        key = "mcp_tool_use_id" if mcp_server else "tool_use_id"
        return [use, self.make(answer, **{key: use["id"]}, content=text(result), is_error=is_error)]

    def deny(self, use: dict, message: str | None) -> dict:
        return self.make("user.tool_confirmation", tool_use_id=use["id"], result="deny", deny_message=message)

    def preview(self, event_id: str) -> dict:
        return start(event_id)

    def delta(self, event_id: str, fragment: str) -> dict:
        return delta(event_id, fragment)

    def final(self, event_id: str, content: str) -> dict:
        return event("agent.message", event_id, "2026-05-02T10:00:00.000Z", content=text(content))


# Parsed events, as the transcript folds them, stamped ``t`` seconds after T0.

T0 = datetime(2026, 5, 2, 9, 21, 40, tzinfo=UTC)


def at(seconds: float) -> str:
    """An RFC 3339 timestamp ``seconds`` after T0, as the server writes them."""
    return (T0 + timedelta(seconds=seconds)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parsed(event_type: str, event_id: str, t: float | None = 0.0, **fields: Any) -> Any:
    """One event, parsed; ``t=None`` gives ``processed_at: null`` (a queued echo)."""
    return parse_event(event(event_type, event_id, None if t is None else at(t), **fields))


def tool_use(event_id: str, t: float = 0.0, permission: str = "allow", **fields: Any) -> Any:
    """A parsed ``ls`` bash call."""
    return parsed(
        "agent.tool_use", event_id, t, name="bash", input={"command": "ls"}, evaluated_permission=permission, **fields
    )


def idle(event_id: str, reason: str = "end_turn", t: float = 0.0, **stop: Any) -> Any:
    return parsed("session.status_idle", event_id, t, stop_reason={"type": reason, **stop}, stop_details=None)


def model_usage(inp: int, out: int, read: int = 0, write: int = 0) -> dict:
    """The token counts of one model request (a ``model_usage`` or an evaluation's ``usage``)."""
    return {
        "input_tokens": inp,
        "output_tokens": out,
        "cache_read_input_tokens": read,
        "cache_creation_input_tokens": write,
    }


def request_end(event_id: str, inp: int, out: int, read: int = 0, write: int = 0, t: float = 0.0) -> Any:
    return parsed(
        "span.model_request_end",
        event_id,
        t,
        model_request_start_id=f"{event_id}_start",
        is_error=False,
        model_usage=model_usage(inp, out, read, write),
    )


def evaluation_end(
    start_id: str, iteration: int, result: str, explanation: str, *, outcome_id: str, usage: dict
) -> dict:
    """The fields of the ``span.outcome_evaluation_end`` of the evaluation started by ``start_id``."""
    return {
        "outcome_id": outcome_id,
        "iteration": iteration,
        "outcome_evaluation_start_id": start_id,
        "result": result,
        "explanation": explanation,
        "usage": usage,
    }


def parsed_start(event_id: str, kind: str = "agent.message") -> Any:
    return parse_event(start(event_id, kind))


def parsed_delta(event_id: str, fragment: str, index: int | None = 0) -> Any:
    return parse_event(delta(event_id, fragment, index))
