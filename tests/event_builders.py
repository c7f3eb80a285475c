"""Builders of session events as the API sends them (wire dicts), shared by every test.

``event`` makes one event, ``Events`` a series with sequential ids one simulated second apart; ``text``, ``start``
and ``delta`` build content blocks and the preview frames (``event_start``, ``event_delta``) of a
streamed event. Realistic payloads of every event type are in ``tests.event_samples``.
"""

from __future__ import annotations

from typing import Any


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
