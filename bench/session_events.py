"""Generated, deterministic session events for the chat benchmarks (wire dicts, as the API sends them).

``markdown_answer`` writes a long markdown answer (headings, prose, lists, code, tables);
``Session`` stamps events with ids and a simulated clock; ``history`` builds a whole session of
about N events out of realistic turns; ``feed_batches`` cuts a timed event list into the batches a
:class:`~app.api.feed.SessionFeed` would deliver, one per flush interval of simulated time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from app.api.feed_state import FeedState
from app.api.models.events import parse_event

_EPOCH = datetime(2026, 5, 2, 9, 0, tzinfo=UTC)

_PROSE = (
    "The transcript view keeps the session as data and mounts only a window of it, so a long "
    "session costs no more to follow than a short one. Each block is its own widget, and a tool "
    "call builds its body only when it is expanded. "
)
_CODE = (
    "def fold(events):\n    blocks = {}\n    for event in events:\n"
    "        blocks[event.id] = render(event)\n    return blocks\n"
)
_TABLE = "| tool | calls | failed |\n|---|---:|---:|\n| bash | 312 | 4 |\n| read | 120 | 0 |\n| edit | 68 | 2 |\n"


def markdown_answer(size: int = 20_000) -> str:
    """A markdown answer of about ``size`` characters."""
    parts: list[str] = []
    section = 0
    while sum(map(len, parts)) < size:
        section += 1
        parts.append(f"## Section {section}: what changed\n\n{_PROSE * 2}\n\n")
        parts.append(
            f"- item one of section {section}, with `inline code`\n- item two, **bold** and *italic*\n- item three\n\n"
        )
        parts.append(f"```python\n{_CODE}```\n\n" if section % 2 else _TABLE + "\n")
    return "".join(parts)[:size]


def split_deltas(text: str, count: int) -> list[str]:
    """``text`` cut into ``count`` consecutive pieces of (nearly) equal length."""
    step, extra = divmod(len(text), count)
    pieces, start = [], 0
    for index in range(count):
        end = start + step + (1 if index < extra else 0)
        pieces.append(text[start:end])
        start = end
    return pieces


class Session:
    """Stamps generated events with sequential ids and a simulated clock (seconds since the start)."""

    def __init__(self) -> None:
        self.clock = 0.0
        self._count = 0
        self.timeline: list[tuple[float, dict]] = []

    def _id(self) -> str:
        self._count += 1
        return f"sevt_bench{self._count:07d}"

    def emit(self, event_type: str, after: float = 0.0, **fields: object) -> dict:
        """A persisted event ``after`` simulated seconds after the previous one."""
        self.clock += after
        stamp = (_EPOCH + timedelta(seconds=self.clock)).isoformat().replace("+00:00", "Z")
        event = {"type": event_type, "id": self._id(), **fields, "processed_at": stamp}
        self.timeline.append((self.clock, event))
        return event

    def tool_call(self, index: int, *, after: float = 0.5, took: float = 0.3) -> None:
        """A bash call and its result (a few lines of output)."""
        use = self.emit(
            "agent.tool_use",
            after,
            name="bash",
            input={"command": f"grep -rn 'TODO' src/module_{index}.py"},
            evaluated_permission="allow",
        )
        output = "\n".join(f"src/module_{index}.py:{line * 7}: # TODO tidy this up ({line})" for line in range(1, 6))
        content = [{"type": "text", "text": output}]
        self.emit("agent.tool_result", took, tool_use_id=use["id"], content=content, is_error=False)

    def streamed_message(self, text: str, deltas: int, rate: float) -> None:
        """An ``agent.message`` streamed as ``deltas`` deltas at ``rate`` per second, then its final event."""
        event_id = self._id()
        self.timeline.append((self.clock, {"type": "event_start", "event": {"type": "agent.message", "id": event_id}}))
        for piece in split_deltas(text, deltas):
            self.clock += 1 / rate
            delta = {"type": "content_delta", "index": 0, "content": {"type": "text", "text": piece}}
            self.timeline.append((self.clock, {"type": "event_delta", "event_id": event_id, "delta": delta}))
        stamp = (_EPOCH + timedelta(seconds=self.clock)).isoformat().replace("+00:00", "Z")
        content = [{"type": "text", "text": text}]
        final = {"type": "agent.message", "id": event_id, "content": content, "processed_at": stamp}
        self.timeline.append((self.clock, final))

    def events(self) -> list[dict]:
        """The persisted events (what the history holds), in order."""
        return [event for _, event in self.timeline if "id" in event]

    def turn(self, index: int, tools: int, answer: str) -> None:
        """One turn: the user asks, the agent thinks, calls tools, answers, reports usage, idles."""
        question = f"Question {index}: what does module {index} do?"
        self.emit("user.message", 5.0, content=[{"type": "text", "text": question}])
        self.emit("session.status_running", 0.1)
        self.emit("agent.thinking", 1.0)
        for call in range(tools):
            self.tool_call(index * 100 + call)
        self.emit("agent.message", 2.0, content=[{"type": "text", "text": answer}])
        usage = {"input_tokens": 1200, "output_tokens": 350}
        usage |= {"cache_creation_input_tokens": 0, "cache_read_input_tokens": 9000}
        self.emit("span.model_request_end", 0.1, model_request_start_id="sevt_start", is_error=False, model_usage=usage)
        self.emit("session.status_idle", 0.1, stop_reason={"type": "end_turn"})


def history(events: int) -> list[dict]:
    """A session of about ``events`` persisted events: turns of a question, thinking, three tool
    calls and a markdown answer of about 600 characters."""
    session = Session()
    answer = markdown_answer(600)
    index = 0
    while len(session.timeline) < events:
        index += 1
        session.turn(index, 3, answer)
    return session.events()[:events]


def feed_batches(
    timeline: list[tuple[float, dict]], interval: float = 0.05, *, empty: bool = False
) -> Iterator[tuple[float, list]]:
    """``(simulated time, batch)``: the batches a feed flushing every ``interval`` simulated seconds
    would hand the view (deltas inside one batch coalesced; empty ones only when ``empty``)."""
    state = FeedState()
    deadline = interval
    for clock, event in timeline:
        while clock >= deadline:
            batch = state.take()
            if batch or empty:
                yield deadline, batch
            deadline += interval
        state.apply(parse_event(event))
    if batch := state.take():
        yield deadline, batch


def delta_batches(timeline: list[tuple[float, dict]], interval: float = 0.05) -> list[list[str]]:
    """The text deltas of ``timeline`` grouped by the same ``interval`` windows as :func:`feed_batches`."""
    groups: dict[int, list[str]] = {}
    for clock, event in timeline:
        if event["type"] == "event_delta":
            groups.setdefault(int(clock / interval), []).append(event["delta"]["content"]["text"])
    return [groups[key] for key in sorted(groups)]
