"""One widget per transcript block kind (agent messages live in :mod:`app.tui.chat.message`, tool
calls in :mod:`app.tui.chat.tool_call`).

Every widget is built from its block with :func:`block_widget` and refreshed in place with
``update_block(block)``; each is a single widget with no children, because every layout of the
screen costs time for every mounted widget. Text from the server always goes in as
:class:`~textual.content.Content`, never as markup. Widgets that animate while something is in
progress (thinking, a running tool call) expose ``animated`` and ``tick(frame)``; the transcript
view drives them from one shared timer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from app.api.transcript_blocks import (
    AgentMessageBlock,
    CompactionBlock,
    CustomToolCallBlock,
    ErrorBlock,
    EventBlock,
    OutcomeBlock,
    OutcomeEvaluationBlock,
    SessionUpdatedBlock,
    StatusBlock,
    ThinkingBlock,
    ThreadMessageBlock,
    ToolCallBlock,
    UnreadableBlock,
    UsageBlock,
    UserMessageBlock,
    WorkflowRunBlock,
    one_line,
)
from app.tui.chat.expandable import Expandable
from app.tui.chat.highlight import MUTED, compact_json, json_value
from app.tui.chat.marks import Marked
from app.tui.chat.message import AgentMessage
from app.tui.chat.tool_call import ToolCall
from app.tui.format import count
from app.tui.glyphs import SESSION, SPINNER, session_glyph


def _words(identifier: str) -> str:
    return identifier.replace("_", " ")


class BlockLine(Marked, Static):
    """A block shown as a few lines of styled text (everything but messages and tool calls)."""

    def __init__(self, block: Any, *, classes: str = "") -> None:
        super().__init__(classes=f"block {classes}".strip())
        self.block_id: str = block.id
        self.update_block(block)

    def update_block(self, block: Any) -> None:
        self.block = block
        self.update(self.describe(block))

    def describe(self, block: Any) -> Content:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError


class UserMessage(BlockLine):
    """What the user sent; marked queued until the agent takes it up."""

    def __init__(self, block: UserMessageBlock) -> None:
        super().__init__(block, classes="user-message")

    def describe(self, block: UserMessageBlock) -> Content:
        self.set_class(block.state == "queued", "-queued")
        parts: list[Content] = [Content(block.text)]
        parts += [Content.styled(f"[{part.get('type', 'attachment')}]", MUTED) for part in block.attachments]
        if block.state == "queued":
            parts.append(Content.styled("queued: sent when the agent is free", f"italic {MUTED}"))
        return Content("\n").join(parts)


class Thinking(BlockLine):
    """The agent is thinking (animated), or has thought."""

    def __init__(self, block: ThinkingBlock) -> None:
        self._frame = 0
        super().__init__(block, classes="thinking")

    @property
    def animated(self) -> bool:
        return not self.block.done

    def tick(self, frame: int) -> None:
        self._frame = frame
        self.update(self.describe(self.block), layout=False)

    def describe(self, block: ThinkingBlock) -> Content:
        self.set_class(block.done, "-done")
        if block.done:
            return Content.styled("✻ thought", "italic")
        return Content.assemble((SPINNER[self._frame % len(SPINNER)], "$accent"), (" thinking…", "italic"))


#: How a stop reason reads in a status line.
_STOP_REASONS = {
    "end_turn": "turn ended",
    "requires_action": "waiting for you",
    "retries_exhausted": "gave up after retries",
    "budget_reached": "budget reached",
}


class StatusLine(BlockLine):
    """A session (or sub-agent thread) status change."""

    def __init__(self, block: StatusBlock) -> None:
        super().__init__(block, classes="status-line")

    def describe(self, block: StatusBlock) -> Content:
        status = block.shown_status
        for name in (*SESSION, "created"):
            self.set_class(status == name, f"-{name}")
        glyph, label, colour = session_glyph(status)
        if status == "created":
            glyph, label, colour = "⊕", "thread started", "$accent"
        parts: list[Content | tuple[str, str] | str] = [(glyph, colour), " "]
        if block.thread_id:
            parts.append((f"{block.agent_name or block.thread_id}: ", "bold"))
        parts.append(label)
        if block.stop_reason and status == "idle":
            parts.append(f" · {_STOP_REASONS.get(block.stop_reason, _words(block.stop_reason))}")
        details = block.stop_details or {}
        if details:
            text = details.get("explanation") or details.get("category") or compact_json(details)
            parts.append(Content.styled(f" · {text}", "italic"))
        return Content.assemble(*parts)


#: How each retry status of an error reads.
_RETRY = {"retrying": "retrying…", "exhausted": "gave up", "terminal": "terminal"}


class ErrorLine(BlockLine):
    """``session.error``: its type, message, and whether the server is retrying."""

    def __init__(self, block: ErrorBlock) -> None:
        super().__init__(block, classes="error-line")

    def describe(self, block: ErrorBlock) -> Content:
        self.set_class(block.retry_status == "retrying", "-retrying")
        parts: list[Content | tuple[str, str] | str] = [("✕ ", "$text-error"), (block.error_type, "bold")]
        if block.message:
            parts.append(f": {block.message}")
        if block.retry_status:
            parts.append((f" · {_RETRY.get(block.retry_status, block.retry_status)}", "italic"))
        if block.details:
            parts.append(Content.styled(" " + compact_json(block.details), MUTED))
        return Content.assemble(*parts)


class UsageLine(BlockLine):
    """Token usage, one compact line: of a model request, or the session so far."""

    def __init__(self, block: UsageBlock) -> None:
        super().__init__(block, classes="usage-line")

    def describe(self, block: UsageBlock) -> Content:
        tokens = block.tokens
        counts = f"in {count(tokens.input_tokens)} · out {count(tokens.output_tokens)}"
        if tokens.cache_read_input_tokens or tokens.cache_creation_input_tokens:
            counts += (
                f" · cache read {count(tokens.cache_read_input_tokens)}"
                f" write {count(tokens.cache_creation_input_tokens)}"
            )
        if block.source == "session":
            line = f"Σ session {count(tokens.total)} tokens ({counts})"
            if block.list_cost is not None:
                line += f" · {block.list_cost}"
            if block.active_seconds is not None:
                line += f" · {block.active_seconds:.0f}s active"
        else:
            line = f"↳ {counts}" + (" · request failed" if block.is_error else "")
        return Content(line)


#: Labels for event types that have no block of their own but are common.
_EVENT_LABELS = {
    "user.interrupt": "interrupt sent",
    "system.message": "system",
}
_ENVELOPE = ("type", "id", "processed_at", "content")


class EventLine(BlockLine):
    """Any other event, unknown types included: its type and text, or its JSON, so nothing is lost."""

    def __init__(self, block: EventBlock) -> None:
        super().__init__(block, classes="event-line")

    def describe(self, block: EventBlock) -> Content:
        label = _EVENT_LABELS.get(block.type, block.type)
        parts: list[Content | tuple[str, str] | str] = [("· ", MUTED), (label, "bold")]
        rest = {key: value for key, value in block.raw.items() if key not in _ENVELOPE}
        if rest:
            parts.append(Content.styled(" " + compact_json(rest), MUTED))
        if block.text:
            parts.append("\n" + block.text)
        return Content.assemble(*parts)


# ----------------------------------------------------------------------------- multi-agent, outcomes

#: A line that starts a markdown block of its own (a heading, fence, list, quote or table).
_BLOCK_START = re.compile(r"\s{0,3}(#{1,6}\s|```|~~~|[-*+]\s|\d+[.)]\s|>|\|)")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def delegation_markdown(block: ThreadMessageBlock) -> str:
    """``→ helper: <message>`` (or ``← helper: <answer>``) as markdown: the arrow and the agent's
    name in bold, then the message's own markdown (below it when the message opens with a block)."""
    arrow = "→" if block.direction == "sent" else "←"
    name = _MARKDOWN_SPECIAL.sub(r"\\\1", block.peer)
    head = f"**{arrow} {name}:**"
    text = block.text.strip("\n")
    if not text.strip():
        return head
    if _BLOCK_START.match(text.splitlines()[0]):
        return f"{head}\n\n{text}"
    return f"{head} {text.lstrip()}"


class ThreadMessage(AgentMessage):
    """A message to a sub-agent (``→ helper: …``) or its answer (``← helper: …``), drawn as markdown."""

    def __init__(self, block: ThreadMessageBlock) -> None:
        super().__init__(AgentMessageBlock(block.id, delegation_markdown(block)))
        self.add_class("thread-message", f"-{block.direction}")
        self.block = block  # type: ignore[assignment]

    def update_block(self, block: ThreadMessageBlock) -> None:  # type: ignore[override]
        self.block = block  # type: ignore[assignment]
        self._lines.set_text(delegation_markdown(block))
        self.refresh(layout=True)

    def _height(self, settled: list[Any], tail: list[Any]) -> int:
        return len(settled) + len(tail)  # never streams


#: How each verdict of an outcome evaluation shows: glyph, words, colour.
VERDICTS = {
    "satisfied": ("✓", "satisfied", "$text-success"),
    "needs_revision": ("↻", "needs revision", "$text-warning"),
    "max_iterations_reached": ("⚠", "max iterations reached", "$text-warning"),
    "failed": ("✕", "failed", "$text-error"),
    "interrupted": ("◼", "interrupted", MUTED),
}


def verdict(result: str) -> tuple[str, str, str]:
    """Glyph, words and colour of an evaluation's verdict (newer verdicts read as their name)."""
    return VERDICTS.get(result, ("•", _words(result), MUTED))


def evaluation_label(block: OutcomeEvaluationBlock) -> str:
    """``evaluation 2/3`` (``evaluation 2`` when the outcome's max iterations are unknown)."""
    number = block.iteration + 1
    return f"evaluation {number}/{block.max_iterations}" if block.max_iterations else f"evaluation {number}"


class OutcomeLine(BlockLine):
    """``user.define_outcome``: the outcome the agent works towards, and how it is graded."""

    def __init__(self, block: OutcomeBlock) -> None:
        super().__init__(block, classes="outcome-line")

    def describe(self, block: OutcomeBlock) -> Content:
        parts: list[Content | tuple[str, str] | str] = [
            ("◎ ", "$accent"),
            ("outcome ", "bold"),
            Content(block.description),
        ]
        if block.max_iterations:
            parts.append(Content.styled(f" · up to {block.max_iterations} evaluations", MUTED))
        line = Content.assemble(*parts)
        if block.rubric:
            if block.rubric_type == "file":
                rubric = f"rubric file {block.rubric}"
            else:
                rubric = f"rubric: {one_line(block.rubric, 160)}"
            line = Content("\n").join([line, Content.styled(rubric, MUTED)])
        return line


class OutcomeEvaluation(BlockLine):
    """One evaluation of an outcome: its iteration, the verdict (animated while the grader works)
    and the grader's explanation."""

    def __init__(self, block: OutcomeEvaluationBlock) -> None:
        self._frame = 0
        super().__init__(block, classes="outcome-evaluation")

    @property
    def animated(self) -> bool:
        return self.block.result is None

    def tick(self, frame: int) -> None:
        self._frame = frame
        self.update(self.describe(self.block), layout=False)

    def describe(self, block: OutcomeEvaluationBlock) -> Content:
        for name in (*VERDICTS, "evaluating"):
            self.set_class(block.state == name, f"-{name}")
        if block.result is None:
            glyph, words, colour = SPINNER[self._frame % len(SPINNER)], "evaluating…", "$accent"
        else:
            glyph, words, colour = verdict(block.result)
        parts: list[Content | tuple[str, str] | str] = [
            (f"{glyph} ", colour),
            ("outcome ", "bold"),
            evaluation_label(block),
            " · ",
            (words, f"bold {colour}"),
        ]
        if block.description:
            parts.append(Content.styled(f" · {one_line(block.description, 80)}", MUTED))
        if block.tokens is not None:
            parts.append(Content.styled(f" · {count(block.tokens.total)} tokens", MUTED))
        line = Content.assemble(*parts)
        if block.explanation:
            line = Content("\n").join([line, Content(block.explanation)])
        return line


#: How a finished workflow run's result reads.
_RUN_RESULTS = {"completed": ("✓", "completed", "$text-success"), "stopped": ("◼", "stopped", MUTED)}


class WorkflowRunLine(BlockLine):
    """A workflow run on one line: its name, its phase, and how it is doing or how it ended."""

    def __init__(self, block: WorkflowRunBlock) -> None:
        super().__init__(block, classes="workflow-run")

    def describe(self, block: WorkflowRunBlock) -> Content:
        failed = block.status == "error" or block.result == "error"
        self.set_class(failed, "-failed")
        parts: list[Content | tuple[str, str] | str] = [("⚙ ", "$text-error" if failed else "$accent")]
        if block.run_id is None:
            parts.append(("workflow run could not start", "bold"))
        else:
            parts += [("workflow ", "bold"), Content(block.name or block.run_id)]
        total = len(block.phases)
        if block.phase_id is not None:
            number = next((i + 1 for i, (pid, _) in enumerate(block.phases) if pid == block.phase_id), None)
            at = f"phase {number}/{total}" if number and total else "phase"
            parts.append(Content.assemble(f" · {at} ", Content(block.phase_name or "")))
        elif total and block.status != "error":
            parts.append(f" · {block.phases_ended}/{total} phases done")
        if failed:
            error = block.error or {}
            parts.append((f" · failed: {error.get('type', 'error')}", "$text-error"))
            if error.get("message"):
                parts.append(Content.assemble(": ", Content(one_line(error["message"]))))
        elif block.status == "ended":
            glyph, words, colour = _RUN_RESULTS.get(block.result or "", ("•", _words(block.result or "ended"), MUTED))
            parts.append((f" · {glyph} {words}", colour))
        else:
            parts.append(Content.styled(f" · {block.status}", MUTED))
        return Content.assemble(*parts)


class CompactionLine(BlockLine):
    """``agent.thread_context_compacted``."""

    def __init__(self, block: CompactionBlock) -> None:
        super().__init__(block, classes="compaction-line")

    def describe(self, block: CompactionBlock) -> Content:
        return Content.assemble(
            ("⋯ ", MUTED), ("context compacted", "bold"), (" · earlier turns were summarised", MUTED)
        )


class SessionUpdatedLine(BlockLine):
    """``session.updated``: what changed (the header shows the new title and agent)."""

    def __init__(self, block: SessionUpdatedBlock) -> None:
        super().__init__(block, classes="session-updated")

    def describe(self, block: SessionUpdatedBlock) -> Content:
        parts: list[Content | tuple[str, str] | str] = [("✎ ", MUTED), ("session updated", "bold")]
        for name in block.fields:
            if name == "title" and block.title is not None:
                parts.append(Content.assemble(" · title “", Content(block.title), "”"))
            elif name == "agent" and block.agent_name is not None:
                model = f" ({block.model})" if block.model else ""
                parts.append(Content.assemble(" · agent ", Content(block.agent_name + model)))
            else:
                parts.append(f" · {name}")
        return Content.assemble(*parts)


class UnreadableLine(Marked, Expandable):
    """An event this client could not read: its type and why on one line; expanded, its raw text
    (as highlighted JSON when it parses)."""

    def __init__(self, block: UnreadableBlock) -> None:
        super().__init__(classes="block unreadable-line")
        self.block_id = block.id
        self.block = block
        #: The raw text as shown expanded, built the first time it is shown (None until then).
        self.body: Content | None = None

    def update_block(self, block: UnreadableBlock) -> None:
        self.block = block
        self.body = None
        self.refresh(layout=True)

    def render(self) -> Content:
        block = self.block
        line = Content.assemble(
            ("⚠ ", "$text-warning"),
            ("unreadable event ", "bold"),
            Content(block.type),
            Content.styled(f" · {block.error}", MUTED),
        )
        if not self.expanded:
            return line
        if self.body is None:
            try:
                self.body = json_value(json.loads(block.raw))
            except ValueError:
                self.body = Content(block.raw)
        return Content("\n").join([line, self.body])


#: The widget class of each kind of block; any other block (an event of no other kind) is an EventLine.
_WIDGET_OF: dict[type[object], Callable[[Any], Widget]] = {
    UserMessageBlock: UserMessage,
    AgentMessageBlock: AgentMessage,
    ThinkingBlock: Thinking,
    ToolCallBlock: ToolCall,
    CustomToolCallBlock: ToolCall,
    StatusBlock: StatusLine,
    ErrorBlock: ErrorLine,
    UsageBlock: UsageLine,
    UnreadableBlock: UnreadableLine,
    ThreadMessageBlock: ThreadMessage,
    OutcomeBlock: OutcomeLine,
    OutcomeEvaluationBlock: OutcomeEvaluation,
    WorkflowRunBlock: WorkflowRunLine,
    CompactionBlock: CompactionLine,
    SessionUpdatedBlock: SessionUpdatedLine,
}


def block_widget(block: Any) -> Widget:
    """The widget for a block of any kind."""
    return _WIDGET_OF.get(type(block), EventLine)(block)
