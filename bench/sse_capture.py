"""Build a realistic Agent API SSE capture: whole turns of thinking, tool calls, deltas and messages."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

WORDS = (
    "the session feed folds deltas into previews while tool calls stream their output "
    "`pytest` passed **all** checks in `app/api/client.py` and the diff touched three files"
).split()


class _Ids:
    def __init__(self) -> None:
        self.n = 0
        self.second = 0

    def event(self) -> str:
        self.n += 1
        return f"sevt_011CaR{self.n:016d}"

    def stamp(self) -> str:
        self.second += 1
        minutes, seconds = divmod(self.second, 60)
        hours, minutes = divmod(minutes, 60)
        return f"2026-05-02T{hours % 24:02d}:{minutes:02d}:{seconds:02d}.{self.second % 1000:03d}Z"


def _request_end(ids: _Ids, start: str, usage: dict) -> dict:
    """The ``span.model_request_end`` of the model request ``start``."""
    return {
        "type": "span.model_request_end",
        "id": ids.event(),
        "model_request_start_id": start,
        "is_error": False,
        "model_usage": usage,
        "processed_at": ids.stamp(),
    }


def _turn(ids: _Ids, rng: random.Random, deltas: int) -> Iterator[dict]:
    stamp = ids.stamp
    yield {
        "type": "user.message",
        "id": ids.event(),
        "content": [{"type": "text", "text": "Run the tests and summarise."}],
        "processed_at": stamp(),
    }
    yield {"type": "session.status_running", "id": ids.event(), "processed_at": stamp()}
    start = ids.event()
    yield {"type": "span.model_request_start", "id": start, "processed_at": stamp()}
    thinking = ids.event()
    yield {"type": "event_start", "event": {"type": "agent.thinking", "id": thinking}}
    yield {"type": "agent.thinking", "id": thinking, "processed_at": stamp()}
    tool = ids.event()
    yield {
        "type": "agent.tool_use",
        "id": tool,
        "name": "bash",
        "input": {"command": "python -m pytest -q"},
        "evaluated_permission": "allow",
        "evaluation": {"type": "always_allow"},
        "processed_at": stamp(),
    }
    usage = {
        "input_tokens": 312,
        "output_tokens": 96,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 4120,
    }
    yield _request_end(ids, start, usage)
    output = "\n".join(f"tests/test_{i}.py ....  [{i * 10}%]" for i in range(rng.randint(3, 12)))
    yield {
        "type": "agent.tool_result",
        "id": ids.event(),
        "tool_use_id": tool,
        "content": [{"type": "text", "text": output}],
        "is_error": False,
        "processed_at": stamp(),
    }
    start = ids.event()
    yield {"type": "span.model_request_start", "id": start, "processed_at": stamp()}
    message = ids.event()
    yield {"type": "event_start", "event": {"type": "agent.message", "id": message}}
    pieces = [" ".join(rng.choices(WORDS, k=rng.randint(2, 6))) + " " for _ in range(deltas)]
    for piece in pieces:
        yield {
            "type": "event_delta",
            "event_id": message,
            "delta": {"type": "content_delta", "index": 0, "content": {"type": "text", "text": piece}},
        }
    yield {
        "type": "agent.message",
        "id": message,
        "content": [{"type": "text", "text": "".join(pieces)}],
        "processed_at": stamp(),
    }
    yield _request_end(ids, start, usage)
    yield {
        "type": "session.status_idle",
        "id": ids.event(),
        "stop_reason": {"type": "end_turn"},
        "stop_details": None,
        "processed_at": stamp(),
    }


def capture(total_events: int, *, seed: int = 7, deltas_per_turn: int = 40) -> bytes:
    """``total_events`` SSE frames (``event: <type>`` + one JSON line each), with a ping every 500."""
    rng = random.Random(seed)
    ids = _Ids()
    frames: list[str] = []
    events = 0
    while events < total_events:
        for event in _turn(ids, rng, deltas_per_turn):
            frames.append(f"event: {event['type']}\ndata: {json.dumps(event, separators=(',', ':'))}\n\n")
            events += 1
            if events % 500 == 0:
                frames.append('event: ping\ndata: {"type":"ping"}\n\n')
            if events >= total_events:
                break
    return "".join(frames).encode()
