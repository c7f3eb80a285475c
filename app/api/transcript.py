"""A session's transcript: events folded into the ordered blocks a reader sees.

Pure model, no UI. Its input is the change records of :mod:`app.api.feed_state` (what a
:class:`~app.api.feed.SessionFeed` hands out in batches), given to :meth:`Transcript.apply_feed`;
:meth:`~Transcript.apply` and :meth:`~Transcript.apply_many` take events instead (parsed or as
wire dicts, previews included) and pass them through a :class:`~app.api.feed_state.FeedState` of
the transcript's own first, so de-duplication and preview folding happen in one place only. Every
call returns the :class:`Changes` it made, keyed by block id (the id of the event that created the
block), so a view updates only those widgets.

Blocks are frozen: a change replaces the block under its id, so a block handed to a view is a
snapshot that never changes under it.

Folding rules (reference §5-§7):

- a preview becomes its final event's block in place; an echo of a queued user event updates it;
- tool results, confirmations and custom-tool answers join the block of the call they answer (one that
  arrives before its call shows as a generic block until the call arrives and absorbs it);
- a turn ends at ``session.status_idle`` with any stop reason but ``requires_action``, or at
  ``session.status_terminated`` / ``session.deleted``: calls still waiting then become interrupted;
  so do the built-in and MCP calls still open when a ``user.interrupt`` (of their thread, or of
  every thread) arrives, and the error result the server then gives them does not make them failed;
- agent-to-agent messages become :class:`ThreadMessageBlock` (named after the sub-agent, from the
  event or its thread's ``session.thread_created``); ``span.outcome_evaluation_end`` joins the block of
  its ``_start`` (``_ongoing`` heartbeats add nothing); a workflow run's events fold into one block,
  created by ``workflow_run.created``; ``session.updated`` adds a line and sets the header's title
  and agent;
- ``span.model_request_start`` adds no block; events without a dedicated block (unknown types
  included) become an :class:`EventBlock` holding the raw JSON, and an event this client could not
  read becomes an :class:`UnreadableBlock`.

It also keeps every event it folded, once and in order (:attr:`~Transcript.events`), which
events made or changed each block (:meth:`~Transcript.events_of`) and how a streamed block
streamed in here (:meth:`~Transcript.streamed`): what the event inspector shows.

Every lookup goes through a dict index, so folding is linear in the number of events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from app.api.errors import describe_invalid
from app.api.feed_state import (
    Change,
    EarlierEvents,
    EventAdded,
    FeedState,
    PreviewDropped,
    PreviewStarted,
    PreviewUpdated,
    Streamed,
)
from app.api.models import (
    AgentCustomToolUseEvent,
    AgentMcpToolResultEvent,
    AgentMcpToolUseEvent,
    AgentMessageEvent,
    AgentSnapshot,
    AgentThinkingEvent,
    AgentThreadContextCompactedEvent,
    AgentThreadMessageReceivedEvent,
    AgentThreadMessageSentEvent,
    AgentToolResultEvent,
    AgentToolUseEvent,
    ModelUsage,
    RedactedBlock,
    SessionDeletedEvent,
    SessionErrorEvent,
    SessionStatusIdleEvent,
    SessionStatusRescheduledEvent,
    SessionStatusRunningEvent,
    SessionStatusTerminatedEvent,
    SessionThreadCreatedEvent,
    SessionThreadStatusIdleEvent,
    SessionThreadStatusRescheduledEvent,
    SessionThreadStatusRunningEvent,
    SessionThreadStatusTerminatedEvent,
    SessionUpdatedEvent,
    SessionUsage,
    SessionUsageEvent,
    SpanModelRequestEndEvent,
    SpanModelRequestStartEvent,
    SpanOutcomeEvaluationEndEvent,
    SpanOutcomeEvaluationOngoingEvent,
    SpanOutcomeEvaluationStartEvent,
    TextBlock,
    UnreadableEvent,
    UserCustomToolResultEvent,
    UserDefineOutcomeEvent,
    UserInterruptEvent,
    UserMessageEvent,
    UserToolConfirmationEvent,
    UserToolResultEvent,
    WorkflowRunCreatedEvent,
    WorkflowRunErrorEvent,
    WorkflowRunPhaseEndedEvent,
    WorkflowRunPhaseStartedEvent,
    WorkflowRunStatusEndedEvent,
    WorkflowRunStatusIdleEvent,
    WorkflowRunStatusRunningEvent,
    parse_event,
)
from app.api.transcript_blocks import (
    AgentMessageBlock,
    Block,
    CompactionBlock,
    CustomToolCallBlock,
    ErrorBlock,
    EventBlock,
    Money,
    OutcomeBlock,
    OutcomeEvaluationBlock,
    SessionUpdatedBlock,
    StatusBlock,
    ThinkingBlock,
    ThreadMessageBlock,
    TokenTotals,
    ToolCallBlock,
    UnreadableBlock,
    UsageBlock,
    UserMessageBlock,
    WorkflowRunBlock,
)

_ADDED, _UPDATED, _REMOVED, _REPLACED = "added", "updated", "removed", "replaced"

ToolBlock = ToolCallBlock | CustomToolCallBlock


def _all_custom(event_ids: tuple[str, ...], blocks: Mapping[str, Block]) -> bool:
    """The events a ``requires_action`` waits on are all custom tool calls: the user owes results."""
    return bool(event_ids) and all(isinstance(blocks.get(call_id), CustomToolCallBlock) for call_id in event_ids)


class Changes:
    """What one call (or a merged batch of calls) did to the transcript.

    ``added`` ids are in transcript order and always follow every block already there, so a view
    appends them; ``earlier`` ids (blocks of earlier history) are in transcript order and go before
    every block already there; ``updated`` blocks are re-rendered in place; ``removed`` ones
    (dropped previews, answers that joined their call) are unmounted. A block removed and then
    created again in one batch is in both ``removed`` and ``added``: handle removals first.
    ``summary`` is true when the header state may have changed.
    """

    __slots__ = ("_kinds", "earlier", "summary")

    def __init__(self) -> None:
        self._kinds: dict[str, str] = {}
        self.earlier: list[str] = []
        self.summary = False

    def __bool__(self) -> bool:
        return bool(self._kinds) or bool(self.earlier) or self.summary

    def __repr__(self) -> str:
        return (
            f"Changes(added={self.added}, earlier={self.earlier}, updated={self.updated}, "
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
        self.earlier[:0] = later.earlier
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
    pending: tuple[ToolBlock, ...]
    #: The latest usage snapshot plus every model request reported after it.
    tokens: TokenTotals
    list_cost: Money | None
    #: The latest ``session.error`` since the session last started running.
    error: ErrorBlock | None
    #: The latest outcome evaluation (running or done), if any.
    outcome: OutcomeEvaluationBlock | None = None
    #: The title, agent name and model of the latest ``session.updated`` that carried them.
    title: str | None = None
    agent_name: str | None = None
    model: str | None = None


def as_event(item: Any) -> Any:
    """A parsed event for ``item``: events pass through, a wire dict is parsed (one the models
    reject becomes an :class:`UnreadableEvent`); anything else is a ``TypeError``."""
    if isinstance(item, dict):
        try:
            return parse_event(item)
        except ValidationError as exc:
            return UnreadableEvent.of(item, describe_invalid(exc))
    if not isinstance(getattr(item, "type", None), str):
        raise TypeError(f"not a session event (no string 'type'): {type(item).__name__}")
    return item


_SESSION_STATUS: dict[type, str] = {
    SessionStatusRunningEvent: "running",
    SessionStatusIdleEvent: "idle",
    SessionStatusRescheduledEvent: "rescheduling",
    SessionStatusTerminatedEvent: "terminated",
    SessionDeletedEvent: "deleted",
}
_THREAD_STATUS: dict[type, str] = {
    SessionThreadCreatedEvent: "created",
    SessionThreadStatusRunningEvent: "running",
    SessionThreadStatusIdleEvent: "idle",
    SessionThreadStatusRescheduledEvent: "rescheduling",
    SessionThreadStatusTerminatedEvent: "terminated",
}
#: Results and confirmations, with how to read the id of the call they answer.
_ANSWERS: dict[type, Callable[[Any], str]] = {
    AgentToolResultEvent: lambda event: event.tool_use_id,
    AgentMcpToolResultEvent: lambda event: event.mcp_tool_use_id,
    UserToolResultEvent: lambda event: event.tool_use_id,
    UserCustomToolResultEvent: lambda event: event.custom_tool_use_id,
    UserToolConfirmationEvent: lambda event: event.tool_use_id,
}
_PREVIEW_BLOCKS: dict[str, Callable[[str], Block]] = {
    "agent.message": lambda event_id: AgentMessageBlock(event_id, streaming=True),
    "agent.thinking": lambda event_id: ThinkingBlock(event_id),
}
_WAITING = ("running", "awaiting_approval", "pending")
_WORKFLOW_EVENTS = (
    WorkflowRunCreatedEvent,
    WorkflowRunStatusRunningEvent,
    WorkflowRunStatusIdleEvent,
    WorkflowRunPhaseStartedEvent,
    WorkflowRunPhaseEndedEvent,
    WorkflowRunStatusEndedEvent,
    WorkflowRunErrorEvent,
)


def _wire_list(items: Iterable[Any] | None) -> list[dict[str, Any]]:
    return [item.to_wire() for item in items or ()]


def _request_tokens(usage: ModelUsage) -> TokenTotals:
    """Token totals of one model request."""
    return TokenTotals(
        usage.input_tokens, usage.output_tokens, usage.cache_read_input_tokens, usage.cache_creation_input_tokens
    )


def _session_tokens(usage: SessionUsage) -> TokenTotals:
    """Token totals of a session usage snapshot (absent counts are 0)."""
    writes = usage.cache_creation
    return TokenTotals(
        usage.input_tokens or 0,
        usage.output_tokens or 0,
        usage.cache_read_input_tokens or 0,
        (writes.ephemeral_5m_input_tokens or 0) + (writes.ephemeral_1h_input_tokens or 0) if writes else 0,
    )


class Transcript:
    """The ordered blocks of one session plus the summary its header needs."""

    def __init__(self, events: Iterable[Any] = (), *, thread_names: dict[str, str] | None = None) -> None:
        """``thread_names`` names threads whose ``session.thread_created`` these events lack (a
        child thread's own log never announces the threads it talks to)."""
        self._blocks: dict[str, Block] = {}
        #: Folds what :meth:`apply` and :meth:`apply_many` are given into change records.
        self._feed = FeedState()
        #: Open previews (their blocks are streaming).
        self._previews: set[str] = set()
        #: Ids of the calls still running or waiting on the user, in call order.
        self._open_calls: dict[str, None] = {}
        #: Answers that arrived before their call: call id -> {answer id: event}.
        self._early: dict[str, dict[str, Any]] = {}
        self._anonymous = 0
        #: Every event folded, by id (or its ``~N`` block id when it has none), in order.
        self._events: dict[str, Any] = {}
        #: Block id -> the ids of the events that made or changed it, in order (a dict as an ordered set).
        self._block_events: dict[str, dict[str, None]] = {}
        #: Block id -> how it streamed in here (deltas so far while it streams).
        self._streams: dict[str, Streamed] = {}
        #: The id of the event being folded (None while previews are).
        self._current: str | None = None
        self._status: str | None = None
        self._stop_reason: str | None = None
        self._requires_action: tuple[str, ...] = ()
        self._snapshot_tokens = TokenTotals()
        self._tokens_since_snapshot = TokenTotals()
        self._list_cost: Money | None = None
        self._error: ErrorBlock | None = None
        self._child_threads: set[str] = set()
        self._primary_thread: str | None = None
        #: Child thread id -> its agent's name.
        self._thread_names: dict[str, str] = dict(thread_names or {})
        #: Child thread id -> its latest status (``needs_approval`` for idle + requires_action).
        self._thread_status: dict[str, str] = {}
        #: Outcome id -> its definition; the block id of the latest evaluation.
        self._outcomes: dict[str, OutcomeBlock] = {}
        self._outcome: str | None = None
        #: Workflow run id -> the id of its block.
        self._runs: dict[str, str] = {}
        self._title: str | None = None
        self._agent_name: str | None = None
        self._model: str | None = None
        #: Seen here (not in history put before): a session usage snapshot, a turn's end, a run.
        self._has_snapshot = False
        self._turn_ended = False
        self._ran = False
        self._handlers: dict[type, Callable[[Any, Changes], None]] = {
            UserMessageEvent: self._on_user_message,
            AgentMessageEvent: self._on_agent_message,
            AgentThinkingEvent: self._on_thinking,
            AgentToolUseEvent: self._on_tool_use,
            AgentMcpToolUseEvent: self._on_tool_use,
            AgentCustomToolUseEvent: self._on_custom_tool_use,
            SessionErrorEvent: self._on_error,
            SessionUsageEvent: self._on_session_usage,
            SpanModelRequestStartEvent: lambda event, changes: None,
            SpanModelRequestEndEvent: self._on_request_end,
            UserInterruptEvent: self._on_interrupt,
            AgentThreadMessageSentEvent: self._on_thread_message,
            AgentThreadMessageReceivedEvent: self._on_thread_message,
            AgentThreadContextCompactedEvent: self._on_compacted,
            UserDefineOutcomeEvent: self._on_define_outcome,
            SpanOutcomeEvaluationStartEvent: self._on_evaluation_start,
            SpanOutcomeEvaluationOngoingEvent: lambda event, changes: None,
            SpanOutcomeEvaluationEndEvent: self._on_evaluation_end,
            SessionUpdatedEvent: self._on_session_updated,
            **dict.fromkeys(_WORKFLOW_EVENTS, self._on_workflow_run),
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
        """The block with this id as it is now, or None (never created, or a dropped preview)."""
        return self._blocks.get(block_id)

    @property
    def blocks(self) -> list[Block]:
        """Every block, in reading order."""
        return list(self._blocks.values())

    @property
    def summary(self) -> TranscriptSummary:
        calls = (self._call(call_id) for call_id in self._open_calls)
        outcome = self._blocks.get(self._outcome) if self._outcome else None
        return TranscriptSummary(
            status=self._status,
            stop_reason=self._stop_reason,
            requires_action=self._requires_action,
            pending=tuple(call for call in calls if call.state in ("awaiting_approval", "pending")),
            tokens=self._snapshot_tokens + self._tokens_since_snapshot,
            list_cost=self._list_cost,
            error=self._error,
            outcome=outcome if isinstance(outcome, OutcomeEvaluationBlock) else None,
            title=self._title,
            agent_name=self._agent_name,
            model=self._model,
        )

    @property
    def threads(self) -> dict[str, tuple[str, str]]:
        """The child threads announced so far: thread id -> (agent name, latest status), in order of
        creation; the status is a :data:`app.tui.glyphs.SESSION` key or ``created``."""
        return {
            thread_id: (name, self._thread_status.get(thread_id, "created"))
            for thread_id, name in self._thread_names.items()
        }

    @property
    def events(self) -> list[Any]:
        """Every event folded so far (previews excepted), in order: the newest of a re-delivered one."""
        return list(self._events.values())

    def event(self, event_id: str) -> Any | None:
        """The event with this id (or ``~N`` block id, for one without an id), if it was folded."""
        return self._events.get(event_id)

    def events_of(self, block_id: str) -> list[Any]:
        """The events that made or changed a block, in the order they did."""
        return [self._events[event_id] for event_id in self._block_events.get(block_id, ())]

    def streamed(self, block_id: str) -> Streamed | None:
        """How a block streamed in here (None when it came whole, from history say)."""
        return self._streams.get(block_id)

    def thread_agent(self, thread_id: str | None) -> str | None:
        """The agent name of a child thread, once its ``session.thread_created`` was seen."""
        return self._thread_names.get(thread_id) if thread_id else None

    # Writing

    def apply(self, event: Any) -> Changes:
        """Fold one event (parsed, or a wire dict; stream-only previews included)."""
        return self.apply_many((event,))

    def apply_many(self, events: Iterable[Any]) -> Changes:
        """Fold events in order; the changes are merged into one set."""
        for event in events:
            self._feed.apply(as_event(event))
        return self.apply_feed(self._feed.take())

    def apply_feed(self, batch: Iterable[Change]) -> Changes:
        """Fold one batch of :mod:`app.api.feed_state` change records; connection notes are not
        part of the transcript and are skipped."""
        changes = Changes()
        for change in batch:
            match change:
                case EventAdded(event=event, streamed=streamed):
                    if streamed is not None and (event_id := getattr(event, "id", None)) is not None:
                        self._streams[event_id] = streamed
                    self._on_event(event, changes)
                case EarlierEvents(events=events):
                    self._put_earlier(events, changes)
                case PreviewStarted(id=event_id, type=event_type):
                    self._start_preview(event_id, event_type, changes)
                case PreviewUpdated(id=event_id, streamed=streamed):
                    if streamed is not None and event_id in self._previews:
                        self._streams[event_id] = streamed
                    self._update_preview(event_id, change.text, changes)
                case PreviewDropped(id=event_id):
                    self._drop_preview(event_id, changes)
        return changes

    # Dispatch

    def _on_event(self, event: Any, changes: Changes) -> None:
        event_id = event.id
        if event_id is None:
            self._anonymous += 1
            event_id = f"~{self._anonymous}"
        self._events[event_id] = event
        self._current = event_id
        try:
            if event.id is None:
                self._add_event_block(event_id, event, changes)
            else:
                self._handlers.get(type(event), self._on_other)(event, changes)
        finally:
            self._current = None

    def _note(self, block_id: str, event_id: str | None) -> None:
        """Remember that ``event_id`` made or changed the block."""
        if event_id is not None:
            self._block_events.setdefault(block_id, {})[event_id] = None

    def _delete(self, block_id: str, changes: Changes) -> None:
        """Take a block out (a dropped preview, an answer that joins its call)."""
        del self._blocks[block_id]
        self._block_events.pop(block_id, None)
        self._streams.pop(block_id, None)
        changes.remove(block_id)

    def _add(self, block: Block, changes: Changes) -> None:
        self._blocks[block.id] = block
        self._note(block.id, self._current)
        changes.add(block.id)

    def _set(self, block: Block, changes: Changes) -> None:
        """Replace the block with ``block.id`` by ``block`` (same position), or append it."""
        if block.id in self._blocks:
            self._blocks[block.id] = block
            self._note(block.id, self._current)
            changes.update(block.id)
        else:
            self._add(block, changes)

    def _add_event_block(self, block_id: str, event: Any, changes: Changes) -> None:
        """The block of an event that has no dedicated one (an echo re-delivering it refreshes it)."""
        if isinstance(event, UnreadableEvent):
            block: Block = UnreadableBlock(block_id, event.type, event.raw, event.error, event.processed_at)
        else:
            block = EventBlock(block_id, event.type, event.to_wire(), event.processed_at)
        self._set(block, changes)

    def _on_other(self, event: Any, changes: Changes) -> None:
        self._add_event_block(event.id, event, changes)

    # Messages and previews

    def _on_user_message(self, event: UserMessageEvent, changes: Changes) -> None:
        attachments = [part.to_wire() for part in event.content if not isinstance(part, TextBlock)]
        self._set(UserMessageBlock(event.id, event.text, attachments, event.processed_at), changes)

    def _final_block(self, block: Block, changes: Changes) -> None:
        """Put the block of a final event in place of its preview, or append it."""
        self._previews.discard(block.id)
        self._set(block, changes)

    def _on_agent_message(self, event: AgentMessageEvent, changes: Changes) -> None:
        redacted = sum(1 for part in event.content if isinstance(part, RedactedBlock))
        self._final_block(AgentMessageBlock(event.id, event.text, False, redacted, event.processed_at), changes)

    def _on_thinking(self, event: AgentThinkingEvent, changes: Changes) -> None:
        self._final_block(ThinkingBlock(event.id, done=True, processed_at=event.processed_at), changes)

    def _start_preview(self, event_id: str, event_type: str, changes: Changes) -> None:
        make = _PREVIEW_BLOCKS.get(event_type)
        if make is None or event_id in self._blocks:
            return
        self._previews.add(event_id)
        self._add(make(event_id), changes)

    def _update_preview(self, event_id: str, text: str, changes: Changes) -> None:
        block = self._blocks.get(event_id)
        if event_id in self._previews and isinstance(block, AgentMessageBlock) and block.text != text:
            self._set(replace(block, text=text), changes)

    def _drop_preview(self, event_id: str, changes: Changes) -> None:
        if event_id in self._previews:
            self._previews.discard(event_id)
            self._delete(event_id, changes)

    # Tool calls

    def _open_call(self, block: ToolBlock, changes: Changes) -> None:
        self._add(block, changes)
        self._open_calls[block.id] = None
        changes.summary = True
        for answer_id, answer in self._early.pop(block.id, {}).items():
            self._delete(answer_id, changes)
            self._answer(block.id, answer, changes)
        self._settle(block.id)

    def _on_tool_use(self, event: AgentToolUseEvent | AgentMcpToolUseEvent, changes: Changes) -> None:
        block = ToolCallBlock(
            event.id,
            event.name,
            event.input,
            started_at=event.processed_at,
            thread_id=event.session_thread_id,
            agent_name=self.thread_agent(event.session_thread_id),
            mcp_server=getattr(event, "mcp_server_name", None),
            permission=event.evaluated_permission,
        )
        self._open_call(block, changes)

    def _on_custom_tool_use(self, event: AgentCustomToolUseEvent, changes: Changes) -> None:
        block = CustomToolCallBlock(
            event.id,
            event.name,
            event.input,
            started_at=event.processed_at,
            thread_id=event.session_thread_id,
            agent_name=self.thread_agent(event.session_thread_id),
        )
        self._open_call(block, changes)

    def _call(self, call_id: str) -> ToolBlock:
        """The block of a tool call (``call_id`` is one of a call)."""
        call = self._blocks[call_id]
        assert isinstance(call, (ToolCallBlock, CustomToolCallBlock)), f"{call_id} is not a tool call"
        return call

    def _on_answer(self, event: Any, changes: Changes) -> None:
        call_id = _ANSWERS[type(event)](event)
        if isinstance(self._blocks.get(call_id), (ToolCallBlock, CustomToolCallBlock)):
            self._answer(call_id, event, changes)
        else:
            self._early.setdefault(call_id, {})[event.id] = event
            self._add_event_block(event.id, event, changes)

    def _answer(self, call_id: str, event: Any, changes: Changes) -> None:
        """Join a confirmation or a result to its call."""
        self._note(call_id, event.id)
        call = self._call(call_id)
        if isinstance(event, UserToolConfirmationEvent):
            if isinstance(call, ToolCallBlock):
                call = replace(call, confirmation=event.result, deny_message=event.deny_message)
        else:
            call = replace(
                call, result=_wire_list(event.content), is_error=bool(event.is_error), finished_at=event.processed_at
            )
        self._set(call, changes)
        changes.summary = True
        self._settle(call_id)

    def _settle(self, call_id: str) -> None:
        """Stop tracking a call once it has reached a final state."""
        if self._call(call_id).state not in _WAITING:
            self._open_calls.pop(call_id, None)

    def _on_interrupt(self, event: UserInterruptEvent, changes: Changes) -> None:
        """Built-in and MCP calls still open in the interrupted thread (or any thread) are cut short."""
        self._add_event_block(event.id, event, changes)
        thread = event.session_thread_id
        for call_id in list(self._open_calls):
            call = self._blocks[call_id]
            if isinstance(call, ToolCallBlock) and thread in (None, call.thread_id):
                self._set(replace(call, interrupted=True), changes)
                self._settle(call_id)

    def _end_turn(self, changes: Changes) -> None:
        self._turn_ended = True
        for call_id in self._open_calls:
            self._set(replace(self._call(call_id), interrupted=True), changes)
        self._open_calls.clear()

    # Status, errors, usage

    def _on_session_status(self, event: Any, changes: Changes) -> None:
        block = self._status_block(event, _SESSION_STATUS[type(event)])
        self._add(block, changes)
        changes.summary = True
        self._status, self._stop_reason = block.status, block.stop_reason
        self._requires_action = block.event_ids
        if block.status == "running":
            self._error = None
            self._ran = True
        elif block.status in ("terminated", "deleted") or (block.status == "idle" and event.ends_turn):
            self._end_turn(changes)

    def _on_thread_status(self, event: Any, changes: Changes) -> None:
        """A child thread's status gets its own block; the primary thread's repeats the session's.

        The primary thread is the first one whose status arrives without a ``thread_created``
        before it (child threads are announced when spawned).
        """
        thread_id = event.session_thread_id
        if isinstance(event, SessionThreadCreatedEvent):
            self._child_threads.add(thread_id)
            self._thread_names[thread_id] = event.agent_name
        elif self._primary_thread is None and thread_id not in self._child_threads:
            self._primary_thread = thread_id
        if thread_id == self._primary_thread:
            return
        block = self._status_block(event, _THREAD_STATUS[type(event)])
        self._add(replace(block, thread_id=thread_id, agent_name=event.agent_name), changes)
        self._thread_status[thread_id] = block.shown_status

    def _status_block(self, event: Any, status: str) -> StatusBlock:
        stop_reason = stop_details = None
        if isinstance(event, (SessionStatusIdleEvent, SessionThreadStatusIdleEvent)):
            stop_reason, stop_details = event.stop_reason, event.stop_details
        event_ids = tuple(stop_reason.event_ids or ()) if stop_reason is not None else ()
        return StatusBlock(
            event.id,
            status,
            stop_reason=stop_reason.type if stop_reason is not None else None,
            event_ids=event_ids,
            stop_details=stop_details.to_wire() if stop_details is not None else None,
            processed_at=event.processed_at,
            waits_for_result=_all_custom(event_ids, self._blocks),
        )

    def _on_error(self, event: SessionErrorEvent, changes: Changes) -> None:
        error = event.error.to_wire()
        details = {k: v for k, v in error.items() if k not in ("type", "message", "retry_status")}
        block = ErrorBlock(
            event.id,
            error_type=event.error.type or "unknown_error",
            message=event.error.message,
            retry_status=event.error.retry_status.type,
            details=details,
            processed_at=event.processed_at,
        )
        self._add(block, changes)
        self._error = block
        changes.summary = True

    def _on_request_end(self, event: SpanModelRequestEndEvent, changes: Changes) -> None:
        tokens = _request_tokens(event.model_usage)
        block = UsageBlock(
            event.id,
            "request",
            tokens,
            is_error=bool(event.is_error),
            request_start_id=event.model_request_start_id,
            processed_at=event.processed_at,
        )
        self._add(block, changes)
        self._tokens_since_snapshot += tokens
        changes.summary = True

    def _on_session_usage(self, event: SessionUsageEvent, changes: Changes) -> None:
        usage = event.usage
        cost = usage.list_cost
        block = UsageBlock(
            event.id,
            "session",
            _session_tokens(usage),
            list_cost=Money(cost.amount, cost.currency) if cost is not None else None,
            active_seconds=usage.active_seconds,
            budget=event.budget.to_wire() if event.budget is not None else None,
            processed_at=event.processed_at,
        )
        self._add(block, changes)
        self._snapshot_tokens, self._tokens_since_snapshot = block.tokens, TokenTotals()
        self._has_snapshot = True
        self._list_cost = block.list_cost or self._list_cost
        changes.summary = True

    # Threads, outcomes, workflow runs, session updates

    def _on_thread_message(self, event: Any, changes: Changes) -> None:
        if isinstance(event, AgentThreadMessageSentEvent):
            direction, thread_id, name = "sent", event.to_session_thread_id, event.to_agent_name
        else:
            direction, thread_id, name = "received", event.from_session_thread_id, event.from_agent_name
        name = name or self.thread_agent(thread_id)
        self._set(ThreadMessageBlock(event.id, direction, thread_id, event.text, name, event.processed_at), changes)

    def _on_compacted(self, event: AgentThreadContextCompactedEvent, changes: Changes) -> None:
        self._set(CompactionBlock(event.id, event.processed_at), changes)

    def _on_define_outcome(self, event: UserDefineOutcomeEvent, changes: Changes) -> None:
        rubric = event.rubric
        block = OutcomeBlock(
            event.id,
            event.outcome_id,
            event.description,
            rubric_type=rubric.type,
            rubric=rubric.content if rubric.content is not None else rubric.file_id,
            max_iterations=event.max_iterations,
            processed_at=event.processed_at,
        )
        self._set(block, changes)
        if event.outcome_id:
            self._outcomes[event.outcome_id] = block

    def _evaluation(self, event: Any, started_at: str | None = None) -> OutcomeEvaluationBlock:
        """A new evaluation block for ``event``'s iteration of its outcome (described when known)."""
        outcome = self._outcomes.get(event.outcome_id)
        return OutcomeEvaluationBlock(
            event.id,
            event.outcome_id,
            event.iteration,
            description=outcome.description if outcome else None,
            max_iterations=outcome.max_iterations if outcome else None,
            started_at=started_at,
        )

    def _on_evaluation_start(self, event: SpanOutcomeEvaluationStartEvent, changes: Changes) -> None:
        block = self._evaluation(event, started_at=event.processed_at)
        self._set(block, changes)
        self._outcome = block.id
        changes.summary = True

    def _on_evaluation_end(self, event: SpanOutcomeEvaluationEndEvent, changes: Changes) -> None:
        start = self._blocks.get(event.outcome_evaluation_start_id)
        if not isinstance(start, OutcomeEvaluationBlock):  # its start is in history not read yet
            start = self._evaluation(event)
        block = replace(
            start,
            result=event.result,
            explanation=event.explanation,
            tokens=_request_tokens(event.usage),
            finished_at=event.processed_at,
        )
        self._set(block, changes)
        self._outcome = block.id
        changes.summary = True

    def _on_workflow_run(self, event: Any, changes: Changes) -> None:
        run_id = event.workflow_run_id
        block_id = self._runs.get(run_id) if run_id else None
        block = self._blocks.get(block_id) if block_id else None
        if not isinstance(block, WorkflowRunBlock):
            block = WorkflowRunBlock(event.id, run_id, processed_at=event.processed_at)
            if run_id:
                self._runs[run_id] = block.id
        match event:
            case WorkflowRunCreatedEvent():
                phases = tuple((phase.id, phase.name) for phase in event.phases)
                block = replace(block, name=event.name, phases=phases)
            case WorkflowRunStatusRunningEvent():
                block = replace(block, status="running")
            case WorkflowRunStatusIdleEvent():
                block = replace(block, status="idle")
            case WorkflowRunPhaseStartedEvent():
                block = replace(block, status="running", phase_id=event.workflow_run_phase_id)
            case WorkflowRunPhaseEndedEvent():
                phase_id = None if block.phase_id == event.workflow_run_phase_id else block.phase_id
                block = replace(block, phase_id=phase_id, phases_ended=block.phases_ended + 1)
            case WorkflowRunStatusEndedEvent():
                error = event.result.error.to_wire() if event.result.error is not None else None
                block = replace(block, status="ended", phase_id=None, result=event.result.type, error=error)
            case WorkflowRunErrorEvent():
                block = replace(block, status="error", phase_id=None, error=event.error.to_wire())
        self._set(block, changes)

    def _on_session_updated(self, event: SessionUpdatedEvent, changes: Changes) -> None:
        fields = tuple(name for name in ("title", "agent", "budget", "metadata") if getattr(event, name) is not None)
        agent_name = model = None
        if isinstance(event.agent, AgentSnapshot):
            agent_name, model = event.agent.name, event.agent.model.id
        block = SessionUpdatedBlock(event.id, fields, event.title, agent_name, model, event.processed_at)
        self._set(block, changes)
        if event.title is not None:
            self._title = event.title
        if agent_name is not None:
            self._agent_name, self._model = agent_name, model
        changes.summary = True

    # Earlier history

    def _put_earlier(self, events: Iterable[Any], changes: Changes) -> None:
        """Fold history older than every block here on its own and put its blocks first: answers
        here that waited for a call there join it, and what the header shows is completed."""
        older = Transcript()
        older._anonymous = self._anonymous  # ids of events without one stay distinct
        scratch = Changes()
        for event in events:
            older._on_event(event, scratch)
        self._anonymous = older._anonymous
        for call_id in list(self._early):
            if isinstance(older._blocks.get(call_id), (ToolCallBlock, CustomToolCallBlock)):
                for answer_id, answer in self._early.pop(call_id).items():
                    self._delete(answer_id, changes)
                    older._answer(call_id, answer, scratch)
        if self._turn_ended:  # a turn ended after these calls: they never finished
            older._end_turn(scratch)
        for block_id, block in self._blocks.items():  # calls of threads announced only in that history
            if isinstance(block, (ToolCallBlock, CustomToolCallBlock)) and block.agent_name is None:
                name = older._thread_names.get(block.thread_id) if block.thread_id else None
                if name is not None:
                    self._blocks[block_id] = replace(block, agent_name=name)
                    changes.update(block_id)
            elif isinstance(block, StatusBlock) and not block.waits_for_result:  # its custom calls are there
                if _all_custom(block.event_ids, {**older._blocks, **self._blocks}):
                    self._blocks[block_id] = replace(block, waits_for_result=True)
                    changes.update(block_id)
                    if block.thread_id and self._thread_status.get(block.thread_id) == "needs_approval":
                        self._thread_status[block.thread_id] = "needs_result"
        self._blocks = {**older._blocks, **self._blocks}
        self._events = {**older._events, **self._events}
        for block_id, event_ids in self._block_events.items():  # a block here that history changed too
            if block_id in older._block_events:
                older._block_events[block_id].update(event_ids)
        self._block_events = {**self._block_events, **older._block_events}
        self._open_calls = {**older._open_calls, **self._open_calls}
        self._early = {**older._early, **self._early}
        self._child_threads |= older._child_threads
        self._thread_names = {**older._thread_names, **self._thread_names}
        self._thread_status = {**older._thread_status, **self._thread_status}
        self._outcomes = {**older._outcomes, **self._outcomes}
        self._runs = {**older._runs, **self._runs}
        self._primary_thread = older._primary_thread or self._primary_thread
        self._take_summary(older)
        changes.earlier[:0] = older._blocks
        changes.summary = True

    def _take_summary(self, older: Transcript) -> None:
        """Complete the header's state with what ``older`` (the history before this) knew."""
        if self._status is None:
            self._status, self._stop_reason = older._status, older._stop_reason
            self._requires_action = older._requires_action
        if not self._ran and self._error is None:
            self._error = older._error
        self._ran = self._ran or older._ran
        if not self._has_snapshot:
            self._snapshot_tokens = older._snapshot_tokens
            self._tokens_since_snapshot = older._tokens_since_snapshot + self._tokens_since_snapshot
            self._has_snapshot = older._has_snapshot
        self._list_cost = self._list_cost or older._list_cost
        self._outcome = self._outcome or older._outcome
        self._title = self._title if self._title is not None else older._title
        if self._agent_name is None:
            self._agent_name, self._model = older._agent_name, older._model
        self._turn_ended = self._turn_ended or older._turn_ended
