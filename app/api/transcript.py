"""A session's transcript: events folded into the ordered blocks a reader sees.

Pure model, no UI. Feed it parsed events with :meth:`Transcript.apply` / :meth:`~Transcript.apply_many`
(history pages, stream items including ``event_start`` / ``event_delta``), hand it the batches of a
:class:`~app.api.feed.SessionFeed` with :meth:`~Transcript.apply_feed`, or drive the streaming previews
yourself with :meth:`~Transcript.start_preview`, :meth:`~Transcript.update_preview` and
:meth:`~Transcript.drop_preview`. Every call returns the :class:`Changes` it made, keyed by block id
(the id of the event that created the block), so a view updates only those widgets.

Folding rules (reference §5-§7):

- a preview becomes its final event's block in place; an echo of a queued user event updates it;
  applying an event a second time changes nothing;
- tool results, confirmations and custom-tool answers join the block of the call they answer (one that
  arrives before its call shows as a generic block until the call arrives and absorbs it);
- a turn ends at ``session.status_idle`` with any stop reason but ``requires_action``, or at
  ``session.status_terminated`` / ``session.deleted``: calls still waiting then become interrupted;
- ``span.model_request_start`` adds no block; events without a dedicated block (unknown types
  included) become an :class:`EventBlock` holding the raw JSON.

Every lookup goes through a dict index, so folding is linear in the number of events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from app.api.feed_state import EventAdded, PreviewDropped, PreviewStarted, PreviewUpdated
from app.api.transcript_blocks import (
    AgentMessageBlock,
    Block,
    CustomToolCallBlock,
    ErrorBlock,
    EventBlock,
    Money,
    StatusBlock,
    ThinkingBlock,
    TokenTotals,
    ToolCallBlock,
    UsageBlock,
    UserMessageBlock,
    text_of,
)

_ADDED, _UPDATED, _REMOVED, _REPLACED = "added", "updated", "removed", "replaced"


class Changes:
    """What one call (or a merged batch of calls) did to the transcript.

    ``added`` ids are in transcript order and always follow every block already there, so a view
    appends them; ``updated`` blocks are re-rendered in place; ``removed`` ones (dropped previews)
    are unmounted. A block removed and then created again in one batch is in both ``removed`` and
    ``added``: handle removals first. ``summary`` is true when the header state may have changed.
    """

    __slots__ = ("_kinds", "summary")

    def __init__(self) -> None:
        self._kinds: dict[str, str] = {}
        self.summary = False

    def __bool__(self) -> bool:
        return bool(self._kinds) or self.summary

    def __repr__(self) -> str:
        return (
            f"Changes(added={self.added}, updated={self.updated}, "
            f"removed={self.removed}, summary={self.summary})"
        )

    def _ids(self, *kinds: str) -> list[str]:
        return [block_id for block_id, kind in self._kinds.items() if kind in kinds]

    @property
    def added(self) -> list[str]:
        return self._ids(_ADDED, _REPLACED)

    @property
    def updated(self) -> list[str]:
        return self._ids(_UPDATED)

    @property
    def removed(self) -> list[str]:
        return self._ids(_REMOVED, _REPLACED)

    @property
    def ids(self) -> list[str]:
        """Every block id touched."""
        return list(self._kinds)

    def add(self, block_id: str) -> None:
        if self._kinds.pop(block_id, None) in (_REMOVED, _REPLACED):
            self._kinds[block_id] = _REPLACED
        else:
            self._kinds[block_id] = _ADDED

    def update(self, block_id: str) -> None:
        self._kinds.setdefault(block_id, _UPDATED)

    def remove(self, block_id: str) -> None:
        if self._kinds.get(block_id) == _ADDED:
            del self._kinds[block_id]
        else:
            self._kinds[block_id] = _REMOVED

    def merge(self, later: Changes) -> Changes:
        """Fold changes made after these into these (in place) and return self."""
        for block_id, kind in later._kinds.items():
            if kind in (_REMOVED, _REPLACED):
                self.remove(block_id)
            if kind in (_ADDED, _REPLACED):
                self.add(block_id)
            elif kind == _UPDATED:
                self.update(block_id)
        self.summary = self.summary or later.summary
        return self


@dataclass(frozen=True, slots=True)
class TranscriptSummary:
    """What the chat header shows."""

    #: ``idle``, ``running``, ``rescheduling``, ``terminated``, ``deleted``; None before any status event.
    status: str | None
    #: The stop reason of the latest ``session.status_idle`` while idle.
    stop_reason: str | None
    #: Tool-use event ids the latest ``requires_action`` idle is blocked on.
    requires_action: tuple[str, ...]
    #: Calls waiting on the user: tool calls awaiting approval and unanswered custom tool calls.
    pending: tuple[ToolCallBlock | CustomToolCallBlock, ...]
    #: The latest usage snapshot plus every model request reported after it.
    tokens: TokenTotals
    list_cost: Money | None
    #: The latest ``session.error`` since the session last started running.
    error: ErrorBlock | None


def _get(obj: Any, name: str) -> Any:
    """A field of a wire model or of a plain dict (None when absent)."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _wire(obj: Any) -> Any:
    """A wire model as its JSON object; anything else unchanged."""
    to_wire = getattr(obj, "to_wire", None)
    return to_wire() if to_wire is not None else obj


def _wire_list(items: Any) -> list[dict[str, Any]]:
    return [_wire(item) for item in items or ()]


def _timestamp(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _call_fields(event: Any) -> dict[str, Any]:
    """The block fields every tool use event (built-in, MCP or custom) carries."""
    return {
        "name": _get(event, "name") or "",
        "input": _wire(_get(event, "input")) or {},
        "started_at": _timestamp(_get(event, "processed_at")),
        "thread_id": _get(event, "session_thread_id"),
    }


_SESSION_STATUS = {
    "session.status_running": "running",
    "session.status_idle": "idle",
    "session.status_rescheduled": "rescheduling",
    "session.status_terminated": "terminated",
    "session.deleted": "deleted",
}
_THREAD_STATUS = {
    "session.thread_created": "created",
    "session.thread_status_running": "running",
    "session.thread_status_idle": "idle",
    "session.thread_status_rescheduled": "rescheduling",
    "session.thread_status_terminated": "terminated",
}
#: Result and confirmation events, with the field naming the call they answer.
_ANSWERS = {
    "agent.tool_result": "tool_use_id",
    "agent.mcp_tool_result": "mcp_tool_use_id",
    "user.tool_result": "tool_use_id",
    "user.custom_tool_result": "custom_tool_use_id",
    "user.tool_confirmation": "tool_use_id",
}
_PREVIEW_BLOCKS: dict[str, Callable[[str], Block]] = {
    "agent.message": lambda event_id: AgentMessageBlock(event_id, streaming=True),
    "agent.thinking": lambda event_id: ThinkingBlock(event_id),
}
_WAITING = ("running", "awaiting_approval", "pending")


class Transcript:
    """The ordered blocks of one session plus the summary its header needs."""

    def __init__(self, events: Iterable[Any] = ()) -> None:
        self._blocks: dict[str, Block] = {}
        #: Event id -> its processed_at when applied (an echo may later bring one).
        self._seen: dict[str, str | None] = {}
        #: Open previews: event id -> text parts by content index.
        self._previews: dict[str, list[str]] = {}
        #: Previews opened by an applied ``event_start``; ``span.model_request_end`` closes them.
        self._stream_previews: set[str] = set()
        #: Calls still running or waiting on the user.
        self._open_calls: dict[str, ToolCallBlock | CustomToolCallBlock] = {}
        #: Answers that arrived before their call: call id -> {answer id: event}.
        self._early: dict[str, dict[str, Any]] = {}
        self._anonymous = 0
        self._status: str | None = None
        self._stop_reason: str | None = None
        self._requires_action: tuple[str, ...] = ()
        self._snapshot_tokens = TokenTotals()
        self._tokens_since_snapshot = TokenTotals()
        self._list_cost: Money | None = None
        self._error: ErrorBlock | None = None
        self._child_threads: set[str | None] = set()
        self._primary_thread: str | None = None
        self._handlers: dict[str, Callable[[Any, Changes], None]] = {
            "user.message": self._on_user_message,
            "agent.message": self._on_agent_message,
            "agent.thinking": self._on_thinking,
            "agent.tool_use": self._on_tool_use,
            "agent.mcp_tool_use": self._on_tool_use,
            "agent.custom_tool_use": self._on_custom_tool_use,
            "session.error": self._on_error,
            "session.usage": self._on_session_usage,
            "span.model_request_start": lambda event, changes: None,
            "span.model_request_end": self._on_request_end,
            **dict.fromkeys(_ANSWERS, self._on_answer),
            **dict.fromkeys(_SESSION_STATUS, self._on_session_status),
            **dict.fromkeys(_THREAD_STATUS, self._on_thread_status),
        }
        if events:
            self.apply_many(events)

    # Reading

    def __len__(self) -> int:
        return len(self._blocks)

    def __iter__(self) -> Iterator[Block]:
        return iter(self._blocks.values())

    def __contains__(self, block_id: object) -> bool:
        return block_id in self._blocks

    def get(self, block_id: str) -> Block | None:
        """The block with this id, or None (never created, or a dropped preview)."""
        return self._blocks.get(block_id)

    @property
    def blocks(self) -> list[Block]:
        """Every block, in reading order."""
        return list(self._blocks.values())

    @property
    def summary(self) -> TranscriptSummary:
        return TranscriptSummary(
            status=self._status,
            stop_reason=self._stop_reason,
            requires_action=self._requires_action,
            pending=tuple(
                call
                for call in self._open_calls.values()
                if call.state in ("awaiting_approval", "pending")
            ),
            tokens=self._snapshot_tokens + self._tokens_since_snapshot,
            list_cost=self._list_cost,
            error=self._error,
        )

    # Writing

    def apply(self, event: Any) -> Changes:
        """Fold one parsed event (any ``SessionEvent``, stream-only ones included)."""
        changes = Changes()
        self._apply(event, changes)
        return changes

    def apply_many(self, events: Iterable[Any]) -> Changes:
        """Fold events in order; the changes are merged into one set."""
        changes = Changes()
        for event in events:
            self._apply(event, changes)
        return changes

    def start_preview(self, event_id: str, event_type: str) -> Changes:
        """Open a streaming preview of an ``agent.message`` or ``agent.thinking`` (others are ignored)."""
        changes = Changes()
        self._start_preview(event_id, event_type, changes)
        return changes

    def update_preview(self, event_id: str, text: str) -> Changes:
        """Set the whole text streamed so far for a message preview (opening it if needed)."""
        changes = Changes()
        self._update_preview(event_id, text, changes)
        return changes

    def drop_preview(self, event_id: str) -> Changes:
        """Remove a preview that will get no final event (a final block is never dropped)."""
        changes = Changes()
        self._drop_preview(event_id, changes)
        return changes

    def apply_feed(self, batch: Iterable[Any]) -> Changes:
        """Fold one batch of :mod:`app.api.feed_state` changes; connection notes and feed errors
        are not part of the transcript and are skipped."""
        changes = Changes()
        for item in batch:
            if isinstance(item, EventAdded):
                self._apply(item.event, changes)
            elif isinstance(item, PreviewStarted):
                self._start_preview(item.id, item.type, changes)
            elif isinstance(item, PreviewUpdated):
                self._update_preview(item.id, item.text, changes)
            elif isinstance(item, PreviewDropped):
                self._drop_preview(item.id, changes)
        return changes

    # Dispatch

    def _apply(self, event: Any, changes: Changes) -> None:
        event_type = _get(event, "type")
        if not isinstance(event_type, str):
            raise TypeError(f"not a session event (no string 'type'): {type(event).__name__}")
        if event_type == "event_start":
            inner = _get(event, "event")
            self._start_preview(_get(inner, "id"), _get(inner, "type"), changes, from_stream=True)
            return
        if event_type == "event_delta":
            self._on_delta(event, changes)
            return
        event_id = _get(event, "id")
        if not isinstance(event_id, str):
            self._anonymous += 1
            self._add_event_block(f"~{self._anonymous}", event, changes)
            return
        processed_at = _timestamp(_get(event, "processed_at"))
        if event_id in self._seen and (self._seen[event_id] is not None or processed_at is None):
            return
        self._seen[event_id] = processed_at
        self._handlers.get(event_type, self._on_other)(event, changes)

    def _add(self, block: Block, changes: Changes) -> None:
        self._blocks[block.id] = block
        changes.add(block.id)

    def _add_event_block(self, block_id: str, event: Any, changes: Changes) -> None:
        """Create the generic block for ``event``, or refresh it when an echo re-delivers it."""
        block = self._blocks.get(block_id)
        raw = _wire(event)
        processed_at = _timestamp(_get(event, "processed_at"))
        if isinstance(block, EventBlock):
            block.raw, block.processed_at = raw, processed_at
            changes.update(block_id)
        else:
            self._add(EventBlock(block_id, _get(event, "type"), raw, processed_at), changes)

    def _on_other(self, event: Any, changes: Changes) -> None:
        self._add_event_block(event.id, event, changes)

    # Messages and previews

    def _on_user_message(self, event: Any, changes: Changes) -> None:
        content = _wire_list(_get(event, "content"))
        block = UserMessageBlock(
            event.id,
            text=text_of(content),
            attachments=[part for part in content if part.get("type") != "text"],
            processed_at=_timestamp(_get(event, "processed_at")),
        )
        self._put(block, changes)

    def _put(self, block: Block, changes: Changes) -> None:
        """Add a block, or refresh the block with its id in place (same object, same position)."""
        old = self._blocks.get(block.id)
        if type(old) is not type(block):
            if old is None:
                self._add(block, changes)
                return
            self._blocks[block.id] = block
        else:
            for spec in fields(block):
                setattr(old, spec.name, getattr(block, spec.name))
        changes.update(block.id)

    def _final_block(self, event: Any, block: Block, changes: Changes) -> None:
        """Put the block of a final event in place of its preview, or append it."""
        self._previews.pop(event.id, None)
        self._stream_previews.discard(event.id)
        self._put(block, changes)

    def _on_agent_message(self, event: Any, changes: Changes) -> None:
        redacted = sum(1 for part in event.content if _get(part, "type") == "redacted")
        processed_at = _timestamp(_get(event, "processed_at"))
        block = AgentMessageBlock(event.id, event.text, False, redacted, processed_at)
        self._final_block(event, block, changes)

    def _on_thinking(self, event: Any, changes: Changes) -> None:
        block = ThinkingBlock(event.id, done=True, processed_at=_timestamp(_get(event, "processed_at")))
        self._final_block(event, block, changes)

    def _start_preview(
        self, event_id: Any, event_type: Any, changes: Changes, *, from_stream: bool = False
    ) -> None:
        make = _PREVIEW_BLOCKS.get(event_type)
        if not isinstance(event_id, str) or make is None:
            return
        if event_id in self._seen or event_id in self._blocks:
            return
        self._previews[event_id] = []
        if from_stream:
            self._stream_previews.add(event_id)
        self._add(make(event_id), changes)

    def _open_message_preview(self, event_id: Any, changes: Changes, *, from_stream: bool = False) -> bool:
        """Whether a message preview is open for ``event_id``, opening one unless its final came."""
        if event_id not in self._previews:
            self._start_preview(event_id, "agent.message", changes, from_stream=from_stream)
        return isinstance(self._blocks.get(event_id), AgentMessageBlock) and event_id in self._previews

    def _update_preview(self, event_id: str, text: str, changes: Changes) -> None:
        if self._open_message_preview(event_id, changes):
            self._previews[event_id] = [text]
            self._set_preview_text(event_id, changes)

    def _on_delta(self, event: Any, changes: Changes) -> None:
        event_id = _get(event, "event_id")
        if not self._open_message_preview(event_id, changes, from_stream=True):
            return
        delta = _get(event, "delta")
        text = _get(_get(delta, "content"), "text") or ""
        index = _get(delta, "index")
        parts = self._previews[event_id]
        if not isinstance(index, int) or index < 0:
            index = max(len(parts) - 1, 0)
        if index >= len(parts):
            parts.extend([""] * (index + 1 - len(parts)))
        parts[index] += text
        self._set_preview_text(event_id, changes)

    def _set_preview_text(self, event_id: str, changes: Changes) -> None:
        block = self._blocks[event_id]
        text = "".join(self._previews[event_id])
        if block.text != text:
            block.text = text
            changes.update(event_id)

    def _drop_preview(self, event_id: str, changes: Changes) -> None:
        if self._previews.pop(event_id, None) is None:
            return
        self._stream_previews.discard(event_id)
        del self._blocks[event_id]
        changes.remove(event_id)

    # Tool calls

    def _open_call(self, block: ToolCallBlock | CustomToolCallBlock, changes: Changes) -> None:
        self._add(block, changes)
        self._open_calls[block.id] = block
        changes.summary = True
        for answer_id, answer in self._early.pop(block.id, {}).items():
            del self._blocks[answer_id]
            changes.remove(answer_id)
            self._answer(block, answer, changes)
        self._settle(block)

    def _on_tool_use(self, event: Any, changes: Changes) -> None:
        block = ToolCallBlock(
            event.id,
            **_call_fields(event),
            mcp_server=_get(event, "mcp_server_name"),
            permission=_get(event, "evaluated_permission"),
        )
        self._open_call(block, changes)

    def _on_custom_tool_use(self, event: Any, changes: Changes) -> None:
        self._open_call(CustomToolCallBlock(event.id, **_call_fields(event)), changes)

    def _on_answer(self, event: Any, changes: Changes) -> None:
        call_id = _get(event, _ANSWERS[event.type])
        call = self._blocks.get(call_id)
        if isinstance(call, (ToolCallBlock, CustomToolCallBlock)):
            self._answer(call, event, changes)
        else:
            self._early.setdefault(call_id, {})[event.id] = event
            self._add_event_block(event.id, event, changes)

    def _answer(self, call: ToolCallBlock | CustomToolCallBlock, event: Any, changes: Changes) -> None:
        """Join a confirmation or a result to its call."""
        if event.type == "user.tool_confirmation":
            if isinstance(call, ToolCallBlock):
                call.confirmation = _get(event, "result")
                call.deny_message = _get(event, "deny_message")
        else:
            call.result = _wire_list(_get(event, "content"))
            call.is_error = bool(_get(event, "is_error"))
            call.finished_at = _timestamp(_get(event, "processed_at"))
        changes.update(call.id)
        changes.summary = True
        self._settle(call)

    def _settle(self, call: ToolCallBlock | CustomToolCallBlock) -> None:
        """Stop tracking a call once it has reached a final state."""
        if call.state not in _WAITING:
            self._open_calls.pop(call.id, None)

    def _end_turn(self, changes: Changes) -> None:
        for call in self._open_calls.values():
            call.interrupted = True
            changes.update(call.id)
        self._open_calls.clear()

    # Status, errors, usage

    def _on_session_status(self, event: Any, changes: Changes) -> None:
        block = self._status_block(event, _SESSION_STATUS[event.type])
        self._add(block, changes)
        changes.summary = True
        self._status, self._stop_reason = block.status, block.stop_reason
        self._requires_action = block.event_ids
        if block.status == "running":
            self._error = None
        elif block.status in ("terminated", "deleted") or (block.status == "idle" and event.ends_turn):
            self._end_turn(changes)

    def _on_thread_status(self, event: Any, changes: Changes) -> None:
        """A child thread's status gets its own block; the primary thread's repeats the session's.

        The primary thread is the first one whose status arrives without a ``thread_created``
        before it (child threads are announced when spawned).
        """
        thread_id = _get(event, "session_thread_id")
        if event.type == "session.thread_created":
            self._child_threads.add(thread_id)
        elif self._primary_thread is None and thread_id not in self._child_threads:
            self._primary_thread = thread_id
        if thread_id == self._primary_thread:
            return
        block = self._status_block(event, _THREAD_STATUS[event.type])
        block.thread_id = thread_id
        block.agent_name = _get(event, "agent_name")
        self._add(block, changes)

    @staticmethod
    def _status_block(event: Any, status: str) -> StatusBlock:
        stop_reason = _get(event, "stop_reason")
        return StatusBlock(
            event.id,
            status,
            stop_reason=_get(stop_reason, "type"),
            event_ids=tuple(_get(stop_reason, "event_ids") or ()),
            stop_details=_wire(_get(event, "stop_details")),
            processed_at=_timestamp(_get(event, "processed_at")),
        )

    def _on_error(self, event: Any, changes: Changes) -> None:
        error = _wire(_get(event, "error")) or {}
        details = {k: v for k, v in error.items() if k not in ("type", "message", "retry_status")}
        block = ErrorBlock(
            event.id,
            error_type=error.get("type") or "unknown_error",
            message=error.get("message") or "",
            retry_status=_get(error.get("retry_status"), "type"),
            details=details,
            processed_at=_timestamp(_get(event, "processed_at")),
        )
        self._add(block, changes)
        self._error = block
        changes.summary = True

    def _on_request_end(self, event: Any, changes: Changes) -> None:
        usage = _get(event, "model_usage")
        tokens = TokenTotals(
            _int(_get(usage, "input_tokens")),
            _int(_get(usage, "output_tokens")),
            _int(_get(usage, "cache_read_input_tokens")),
            _int(_get(usage, "cache_creation_input_tokens")),
        )
        block = UsageBlock(
            event.id,
            "request",
            tokens,
            is_error=bool(_get(event, "is_error")),
            request_start_id=_get(event, "model_request_start_id"),
            processed_at=_timestamp(_get(event, "processed_at")),
        )
        self._add(block, changes)
        self._tokens_since_snapshot += tokens
        changes.summary = True
        for event_id in list(self._stream_previews):
            self._drop_preview(event_id, changes)

    def _on_session_usage(self, event: Any, changes: Changes) -> None:
        usage = _get(event, "usage")
        cache_creation = _get(usage, "cache_creation")
        tokens = TokenTotals(
            _int(_get(usage, "input_tokens")),
            _int(_get(usage, "output_tokens")),
            _int(_get(usage, "cache_read_input_tokens")),
            _int(_get(cache_creation, "ephemeral_5m_input_tokens"))
            + _int(_get(cache_creation, "ephemeral_1h_input_tokens")),
        )
        cost = _get(usage, "list_cost")
        block = UsageBlock(
            event.id,
            "session",
            tokens,
            list_cost=Money(str(_get(cost, "amount")), str(_get(cost, "currency"))) if cost else None,
            active_seconds=_get(usage, "active_seconds"),
            budget=_wire(_get(event, "budget")),
            processed_at=_timestamp(_get(event, "processed_at")),
        )
        self._add(block, changes)
        self._snapshot_tokens, self._tokens_since_snapshot = tokens, TokenTotals()
        self._list_cost = block.list_cost or self._list_cost
        changes.summary = True
