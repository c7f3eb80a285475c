"""The replay model: plays back a recorded session, turn by turn, for demos and benchmarks.

A recording is JSONL, one event per line, as ``GET /v1/sessions/{id}/events`` lists them. Each
recorded ``user.message`` opens a turn; the n-th message sent to the live session gets the n-th
recorded turn, whatever it says. Within a turn, each recorded model request (a
``span.model_request_start`` .. ``span.model_request_end`` pair, or, without spans, each run of
agent output between tool results) becomes one reply: its thinking, message text, tool uses and
``model_usage``, or the ``session.error`` it failed with. Built-in and MCP tool results come from
the recording instead of running the tools; custom tools are still answered live by the client.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from app.runtime.brain import (
    RESULT_KEYS,
    USE_KINDS,
    BrainError,
    BrainReply,
    BrainRequest,
    ToolUse,
    model_usage,
    text_of,
)
from app.runtime.tools.base import ToolResult

#: Recordings that ship with agentdeck: ``replay:<name>`` finds ``<name>.jsonl`` here.
RECORDINGS = Path(__file__).resolve().parent / "recordings"

#: Recorded results of built-in and MCP tools (custom tools are answered live).
_RESULTS = {kind: key for kind, key in RESULT_KEYS.items() if kind != "user.custom_tool_result"}
_ANSWERS = (*RESULT_KEYS, "user.tool_confirmation")
END_OF_RECORDING = "_(The recording has no more turns.)_"


def load_events(path: Path) -> list[dict[str, Any]]:
    """The events of a JSONL recording; ``ValueError`` naming the first bad line."""
    events = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise ValueError(f"{path}:{number}: not an event (an object with a type)")
        events.append(event)
    return events


def turns_of(events: list[dict[str, Any]]) -> list[list[BrainReply]]:
    """The recorded replies, grouped by user turn."""
    turns: list[list[BrainReply]] = []
    reply: BrainReply | None = None
    failed: BrainReply | None = None
    uses: dict[str, ToolUse] = {}
    in_span = False
    for event in events:
        kind = event["type"]
        if kind == "user.message":
            turns.append([])
            reply = failed = None
        elif not turns:
            continue
        elif kind == "span.model_request_start":
            in_span = True
            reply = BrainReply()
            turns[-1].append(reply)
        elif kind == "span.model_request_end":
            in_span = False
            if reply is not None:
                reply.usage = {**model_usage(), **(event.get("model_usage") or {})}
                reply.usage.pop("speed", None)
                if event.get("is_error"):
                    reply.error = BrainError("unknown_error", "The recorded model request failed.")
                    failed = reply
            reply = None
        elif kind == "session.error" and failed is not None:
            error = dict(event.get("error") or {})
            status = (error.pop("retry_status", None) or {}).get("type", "exhausted")
            failed.error = BrainError(error.pop("type", "unknown_error"), error.pop("message", ""), status, error)
            failed = None
        elif kind in ("agent.thinking", "agent.message", *USE_KINDS):
            if reply is None or reply.error is not None:
                reply = BrainReply()
                turns[-1].append(reply)
            if kind == "agent.thinking":
                reply.thinking = True
            elif kind == "agent.message":
                reply.text = "\n\n".join(filter(None, [reply.text, text_of(event.get("content"))]))
            else:
                name, input = event.get("name", ""), event.get("input") or {}
                use = ToolUse(name, input, USE_KINDS[kind], event.get("mcp_server_name"))
                uses[event.get("id", "")] = use
                reply.tool_uses.append(use)
        elif kind in _RESULTS:
            answered = uses.get(event.get(_RESULTS[kind], ""))
            if answered is not None:
                answered.result = ToolResult(event.get("content") or [], bool(event.get("is_error")))
        if kind in _ANSWERS and not in_span:
            reply = None  # without spans, output after a result belongs to the next request
    return turns


class ReplayBrain:
    """Replays recorded turns; stateless beyond the recording (the position comes from the log)."""

    def __init__(self, turns: list[list[BrainReply]]) -> None:
        self.turns = turns

    @classmethod
    def from_events(cls, events: list[dict[str, Any]]) -> ReplayBrain:
        return cls(turns_of(events))

    @classmethod
    def from_path(cls, path: str | Path) -> ReplayBrain:
        """Load a recording: a JSONL file, or the name of a bundled one (``demo``)."""
        candidate = Path(path).expanduser()
        if not candidate.is_file():
            bundled = RECORDINGS / f"{path}.jsonl"
            if not bundled.is_file():
                names = ", ".join(sorted(p.stem for p in RECORDINGS.glob("*.jsonl")))
                raise ValueError(f"no recording at {str(path)!r} (bundled recordings: {names})")
            candidate = bundled
        return cls.from_events(load_events(candidate))

    async def respond(self, request: BrainRequest) -> BrainReply:
        prompts = [i for i, event in enumerate(request.events) if event["type"] == "user.message"]
        turn = len(prompts) - 1
        if not 0 <= turn < len(self.turns):
            return BrainReply(text=END_OF_RECORDING)
        done = sum(1 for event in request.events[prompts[-1] :] if event["type"] == "span.model_request_end")
        replies = self.turns[turn]
        return copy.deepcopy(replies[done]) if done < len(replies) else BrainReply()
