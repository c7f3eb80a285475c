"""Session events: what the stream and ``GET …/events`` deliver, and what ``POST …/events`` takes.

One class per event type, named after it (``agent.tool_use`` -> :class:`AgentToolUseEvent`).
:data:`SessionEvent` dispatches on ``type`` in one pydantic-core step; a type this client does not
know parses as :class:`UnknownEvent` with every field kept, while a known type with a bad body is a
``ValidationError``. Nested sets that grow over time are typed as ``type: str`` plus optional
fields (stop reasons, error types) or as open unions (permission evaluations, content blocks), so
new values never break parsing.

Input events (request bodies) are the ``…Params`` classes; their server echoes are the matching
``…Event`` classes, whose ``processed_at`` is ``None`` while the input is queued.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import TypeAdapter

from app.api.models.agents import SessionAgent
from app.api.models.base import Metadata, Timestamp, WireModel
from app.api.models.content import ContentBlock, TextBlock, ToolResultContentParams, UserContentParams, join_text
from app.api.models.unions import BY_TYPE, KNOWN_FIRST, Fallback, Tagged, tag_other_than, type_tag, union_members
from app.api.models.usage import Budget, SessionUsage

# ----------------------------------------------------------------------------- payload parts


class StopReason(WireModel):
    """Why a session (or thread) went idle: ``end_turn``, ``requires_action`` (with the
    ``event_ids`` it waits on), ``retries_exhausted``, ``budget_reached``, ``refusal``, or newer."""

    type: str
    event_ids: list[str] | None = None


class StopDetails(WireModel):
    """Extra detail on a stop, e.g. ``{type: "refusal", category?, explanation?}``."""

    type: str
    category: str | None = None
    explanation: str | None = None


class AutoDecision(WireModel):
    """The server's call under an ``auto`` policy: ``allow``, or ``ask``/``deny`` with a ``reason_code``."""

    type: str
    reason_code: str | None = None


class AlwaysAllowEvaluation(Tagged):
    type: Literal["always_allow"] = "always_allow"


class AlwaysAskEvaluation(Tagged):
    type: Literal["always_ask"] = "always_ask"


class AutoEvaluation(Tagged):
    """The server judged the call itself: :class:`AutoDecision` says how."""

    type: Literal["auto"] = "auto"
    evaluated_permission: AutoDecision | None = None


_KnownEvaluation: TypeAlias = Annotated[AlwaysAllowEvaluation | AlwaysAskEvaluation | AutoEvaluation, BY_TYPE]


class UnknownEvaluation(Fallback):
    """A permission evaluation this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(_KnownEvaluation)]


#: How a tool call's permission was decided; unknown types parse as :class:`UnknownEvaluation`.
ToolEvaluation: TypeAlias = Annotated[_KnownEvaluation | UnknownEvaluation, KNOWN_FIRST]


class RetryStatus(WireModel):
    """``retrying`` (wait), ``exhausted`` (the turn is dead) or ``terminal`` (the session ends)."""

    type: str


class SessionError(WireModel):
    """The ``error`` of a ``session.error`` event (reference §5.4).

    ``type`` is e.g. ``model_overloaded_error`` or ``unknown_error``; MCP errors add
    ``mcp_server_name``, credential errors ``credential_id``/``vault_id``, repository errors
    ``repository_url``.
    """

    type: str
    message: str
    retry_status: RetryStatus
    mcp_server_name: str | None = None
    credential_id: str | None = None
    vault_id: str | None = None
    repository_url: str | None = None


class ModelUsage(WireModel):
    """Tokens of one model request (or one outcome evaluation)."""

    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    speed: str | None = None


class Rubric(WireModel):
    """How an outcome is graded: ``{type: "text", content}`` or ``{type: "file", file_id}``."""

    type: str
    content: str | None = None
    file_id: str | None = None


class WorkflowRunPhase(WireModel):
    id: str
    name: str
    description: str | None = None


class WorkflowRunError(WireModel):
    """``timeout_error``, ``program_error``, ``unknown_error``, ``thread_limit_error``,
    ``max_workflow_runs_error`` or newer."""

    type: str
    message: str


class WorkflowRunResult(WireModel):
    """``completed``, ``stopped``, or ``error`` with its :class:`WorkflowRunError`."""

    type: str
    error: WorkflowRunError | None = None


class EventPreview(WireModel):
    """The event an ``event_start`` opens a preview of (``agent.message`` or ``agent.thinking``)."""

    type: str
    id: str


class ContentDelta(WireModel):
    """A fragment for the preview's content block at ``index``: a text block (or a newer kind)."""

    type: str = "content_delta"
    index: int | None = None
    content: ContentBlock


# ----------------------------------------------------------------------------- shared shapes


class StoredEvent(Tagged):
    """An agent, session, span or workflow event: always processed, so ``processed_at`` is set."""

    id: str
    processed_at: Timestamp


class EchoedEvent(Tagged):
    """The server's copy of an input event; ``processed_at`` is ``None`` while it is queued."""

    id: str
    processed_at: Timestamp | None = None


class InputParams(Tagged):
    """An input event as sent in ``POST /v1/sessions/{id}/events`` (no id, no timestamp)."""


class _HasText:
    """``.text``: the text blocks of ``content`` concatenated (images, documents… skipped)."""

    if TYPE_CHECKING:
        content: Sequence[ContentBlock] | None

    @property
    def text(self) -> str:
        return join_text(self.content)


class _IdleFields(WireModel):
    stop_reason: StopReason
    stop_details: StopDetails | None = None

    @property
    def stop_reason_type(self) -> str:
        """``stop_reason.type``, e.g. ``"end_turn"`` or ``"requires_action"``."""
        return self.stop_reason.type

    @property
    def ends_turn(self) -> bool:
        """True unless the idle waits on tool confirmations or results (``requires_action``)."""
        return self.stop_reason.type != "requires_action"


class _ToolResultFields(_HasText, WireModel):
    content: list[ContentBlock] | None = None
    is_error: bool | None = None


class _ToolCallFields(WireModel):
    name: str
    input: dict[str, Any]
    evaluated_permission: str | None = None
    evaluation: ToolEvaluation | None = None
    session_thread_id: str | None = None


class _ThreadFields(WireModel):
    session_thread_id: str
    agent_name: str


class _OutcomeFields(WireModel):
    outcome_id: str
    iteration: int


# -------------------------------------------- input events: bodies shared by params and echoes


class _UserMessageBody(_HasText, WireModel):
    content: list[ContentBlock]


class _UserInterruptBody(WireModel):
    session_thread_id: str | None = None


class _UserToolConfirmationBody(WireModel):
    tool_use_id: str
    result: str
    deny_message: str | None = None


class _UserCustomToolResultBody(_ToolResultFields):
    custom_tool_use_id: str


class _UserToolResultBody(_ToolResultFields):
    tool_use_id: str


class _UserDefineOutcomeBody(WireModel):
    description: str
    rubric: Rubric
    max_iterations: int | None = None


class _SystemMessageBody(_HasText, WireModel):
    content: list[ContentBlock]


class _ToolResultParamsContent(WireModel):
    content: list[ToolResultContentParams] | None = None


class _RoutedEcho(WireModel):
    """The thread the server routed an answer to: on echoes only, never sent."""

    session_thread_id: str | None = None


class UserMessageParams(_UserMessageBody, InputParams):
    type: Literal["user.message"] = "user.message"
    content: list[UserContentParams]  # type: ignore[assignment]  # a request narrows the reply's field


class UserInterruptParams(_UserInterruptBody, InputParams):
    type: Literal["user.interrupt"] = "user.interrupt"


class UserToolConfirmationParams(_UserToolConfirmationBody, InputParams):
    type: Literal["user.tool_confirmation"] = "user.tool_confirmation"
    result: Literal["allow", "deny"]


class UserCustomToolResultParams(_ToolResultParamsContent, _UserCustomToolResultBody, InputParams):
    type: Literal["user.custom_tool_result"] = "user.custom_tool_result"


class UserToolResultParams(_ToolResultParamsContent, _UserToolResultBody, InputParams):
    """Only for ``self_hosted`` environments, whose worker runs the agent toolset."""

    type: Literal["user.tool_result"] = "user.tool_result"


class UserDefineOutcomeParams(_UserDefineOutcomeBody, InputParams):
    type: Literal["user.define_outcome"] = "user.define_outcome"


class SystemMessageParams(_SystemMessageBody, InputParams):
    """At most one per request, last, right after the user input it accompanies."""

    type: Literal["system.message"] = "system.message"
    content: list[TextBlock]  # type: ignore[assignment]  # a request narrows the reply's field


#: Any input event (closed: we only send types we know).
InputEvent: TypeAlias = Annotated[
    UserMessageParams
    | UserInterruptParams
    | UserToolConfirmationParams
    | UserCustomToolResultParams
    | UserToolResultParams
    | UserDefineOutcomeParams
    | SystemMessageParams,
    BY_TYPE,
]


class SendEventsParams(WireModel):
    """Body of ``POST /v1/sessions/{id}/events``."""

    events: list[InputEvent]


# ----------------------------------------------------------------------------- echoes


class UserMessageEvent(_UserMessageBody, EchoedEvent):
    type: Literal["user.message"] = "user.message"


class UserInterruptEvent(_UserInterruptBody, EchoedEvent):
    type: Literal["user.interrupt"] = "user.interrupt"


class UserToolConfirmationEvent(_UserToolConfirmationBody, _RoutedEcho, EchoedEvent):
    """``result`` is ``allow`` or ``deny`` (or a newer value)."""

    type: Literal["user.tool_confirmation"] = "user.tool_confirmation"


class UserCustomToolResultEvent(_UserCustomToolResultBody, _RoutedEcho, EchoedEvent):
    type: Literal["user.custom_tool_result"] = "user.custom_tool_result"


class UserToolResultEvent(_UserToolResultBody, _RoutedEcho, EchoedEvent):
    type: Literal["user.tool_result"] = "user.tool_result"


class UserDefineOutcomeEvent(_UserDefineOutcomeBody, EchoedEvent):
    type: Literal["user.define_outcome"] = "user.define_outcome"
    outcome_id: str


class SystemMessageEvent(_SystemMessageBody, EchoedEvent):
    type: Literal["system.message"] = "system.message"


# ----------------------------------------------------------------------------- agent events


class AgentMessageEvent(_HasText, StoredEvent):
    """Assistant text (markdown); complete and authoritative, unlike its delta preview."""

    type: Literal["agent.message"] = "agent.message"
    content: list[ContentBlock]


class AgentThinkingEvent(StoredEvent):
    """A progress signal only: it carries no thinking text."""

    type: Literal["agent.thinking"] = "agent.thinking"


class AgentToolUseEvent(_ToolCallFields, StoredEvent):
    """A built-in tool call; ``evaluated_permission == "ask"`` waits for ``user.tool_confirmation``."""

    type: Literal["agent.tool_use"] = "agent.tool_use"


class AgentToolResultEvent(_ToolResultFields, StoredEvent):
    type: Literal["agent.tool_result"] = "agent.tool_result"
    tool_use_id: str


class AgentMcpToolUseEvent(_ToolCallFields, StoredEvent):
    type: Literal["agent.mcp_tool_use"] = "agent.mcp_tool_use"
    mcp_server_name: str


class AgentMcpToolResultEvent(_ToolResultFields, StoredEvent):
    type: Literal["agent.mcp_tool_result"] = "agent.mcp_tool_result"
    mcp_tool_use_id: str


class AgentCustomToolUseEvent(StoredEvent):
    """A call of one of this client's custom tools; answer with ``user.custom_tool_result``."""

    type: Literal["agent.custom_tool_use"] = "agent.custom_tool_use"
    name: str
    input: dict[str, Any]
    session_thread_id: str | None = None


class AgentThreadMessageSentEvent(_HasText, StoredEvent):
    type: Literal["agent.thread_message_sent"] = "agent.thread_message_sent"
    to_session_thread_id: str
    to_agent_name: str | None = None
    content: list[ContentBlock]


class AgentThreadMessageReceivedEvent(_HasText, StoredEvent):
    type: Literal["agent.thread_message_received"] = "agent.thread_message_received"
    from_session_thread_id: str
    from_agent_name: str | None = None
    content: list[ContentBlock]


class AgentThreadContextCompactedEvent(StoredEvent):
    type: Literal["agent.thread_context_compacted"] = "agent.thread_context_compacted"


# ----------------------------------------------------------------------------- session events


class SessionStatusRunningEvent(StoredEvent):
    type: Literal["session.status_running"] = "session.status_running"


class SessionStatusIdleEvent(_IdleFields, StoredEvent):
    """The turn is over, or waits on input (``requires_action``): see :attr:`ends_turn`."""

    type: Literal["session.status_idle"] = "session.status_idle"


class SessionStatusRescheduledEvent(StoredEvent):
    type: Literal["session.status_rescheduled"] = "session.status_rescheduled"


class SessionStatusTerminatedEvent(StoredEvent):
    type: Literal["session.status_terminated"] = "session.status_terminated"


class SessionErrorEvent(StoredEvent):
    type: Literal["session.error"] = "session.error"
    error: SessionError


class SessionUpdatedEvent(StoredEvent):
    """Only the fields that changed are present."""

    type: Literal["session.updated"] = "session.updated"
    agent: SessionAgent | None = None
    budget: Budget | None = None
    metadata: Metadata | None = None
    title: str | None = None


class SessionUsageEvent(StoredEvent):
    """A cumulative usage snapshot."""

    type: Literal["session.usage"] = "session.usage"
    usage: SessionUsage
    budget: Budget | None = None


class SessionDeletedEvent(StoredEvent):
    type: Literal["session.deleted"] = "session.deleted"


class SessionThreadCreatedEvent(_ThreadFields, StoredEvent):
    type: Literal["session.thread_created"] = "session.thread_created"
    workflow_run_id: str | None = None


class SessionThreadStatusRunningEvent(_ThreadFields, StoredEvent):
    type: Literal["session.thread_status_running"] = "session.thread_status_running"


class SessionThreadStatusIdleEvent(_IdleFields, _ThreadFields, StoredEvent):
    type: Literal["session.thread_status_idle"] = "session.thread_status_idle"


class SessionThreadStatusRescheduledEvent(_ThreadFields, StoredEvent):
    type: Literal["session.thread_status_rescheduled"] = "session.thread_status_rescheduled"


class SessionThreadStatusTerminatedEvent(_ThreadFields, StoredEvent):
    type: Literal["session.thread_status_terminated"] = "session.thread_status_terminated"


# ----------------------------------------------------------------------------- spans


class SpanModelRequestStartEvent(StoredEvent):
    type: Literal["span.model_request_start"] = "span.model_request_start"


class SpanModelRequestEndEvent(StoredEvent):
    """Ends a model request; also closes a delta preview that got no final event."""

    type: Literal["span.model_request_end"] = "span.model_request_end"
    model_request_start_id: str
    is_error: bool | None = None
    model_usage: ModelUsage


class SpanOutcomeEvaluationStartEvent(_OutcomeFields, StoredEvent):
    type: Literal["span.outcome_evaluation_start"] = "span.outcome_evaluation_start"


class SpanOutcomeEvaluationOngoingEvent(_OutcomeFields, StoredEvent):
    """A heartbeat while an outcome is graded."""

    type: Literal["span.outcome_evaluation_ongoing"] = "span.outcome_evaluation_ongoing"


class SpanOutcomeEvaluationEndEvent(_OutcomeFields, StoredEvent):
    """``result``: ``satisfied``, ``needs_revision``, ``max_iterations_reached``, ``failed``,
    ``interrupted`` (or newer)."""

    type: Literal["span.outcome_evaluation_end"] = "span.outcome_evaluation_end"
    outcome_evaluation_start_id: str
    result: str
    explanation: str
    usage: ModelUsage


# ----------------------------------------------------------------------------- workflow runs


class _WorkflowRunFields(WireModel):
    workflow_run_id: str


class WorkflowRunCreatedEvent(_WorkflowRunFields, StoredEvent):
    type: Literal["workflow_run.created"] = "workflow_run.created"
    name: str
    description: str | None = None
    phases: list[WorkflowRunPhase]


class WorkflowRunStatusRunningEvent(_WorkflowRunFields, StoredEvent):
    type: Literal["workflow_run.status_running"] = "workflow_run.status_running"


class WorkflowRunStatusIdleEvent(_WorkflowRunFields, StoredEvent):
    type: Literal["workflow_run.status_idle"] = "workflow_run.status_idle"


class WorkflowRunPhaseStartedEvent(_WorkflowRunFields, StoredEvent):
    type: Literal["workflow_run.phase_started"] = "workflow_run.phase_started"
    workflow_run_phase_id: str


class WorkflowRunPhaseEndedEvent(_WorkflowRunFields, StoredEvent):
    type: Literal["workflow_run.phase_ended"] = "workflow_run.phase_ended"
    workflow_run_phase_id: str
    phase_started_id: str


class WorkflowRunStatusEndedEvent(_WorkflowRunFields, StoredEvent):
    """The last event of a run."""

    type: Literal["workflow_run.status_ended"] = "workflow_run.status_ended"
    result: WorkflowRunResult


class WorkflowRunErrorEvent(StoredEvent):
    """``workflow_run_id`` is ``None`` when the run was never created."""

    type: Literal["workflow_run.error"] = "workflow_run.error"
    workflow_run_id: str | None = None
    error: WorkflowRunError


# ----------------------------------------------------------------------------- stream-only


class EventStartEvent(Tagged):
    """Opens a preview of the event ``event.id`` (stream only; no id, no ``processed_at``)."""

    type: Literal["event_start"] = "event_start"
    event: EventPreview


class EventDeltaEvent(Tagged):
    """A text fragment of the preview ``event_id`` (stream only)."""

    type: Literal["event_delta"] = "event_delta"
    event_id: str
    delta: ContentDelta


# ----------------------------------------------------------------------------- the union

#: Every event type this client knows, dispatched on ``type``.
KnownEvent: TypeAlias = Annotated[
    UserMessageEvent
    | UserInterruptEvent
    | UserToolConfirmationEvent
    | UserCustomToolResultEvent
    | UserToolResultEvent
    | UserDefineOutcomeEvent
    | SystemMessageEvent
    | AgentMessageEvent
    | AgentThinkingEvent
    | AgentToolUseEvent
    | AgentToolResultEvent
    | AgentMcpToolUseEvent
    | AgentMcpToolResultEvent
    | AgentCustomToolUseEvent
    | AgentThreadMessageSentEvent
    | AgentThreadMessageReceivedEvent
    | AgentThreadContextCompactedEvent
    | SessionStatusRunningEvent
    | SessionStatusIdleEvent
    | SessionStatusRescheduledEvent
    | SessionStatusTerminatedEvent
    | SessionErrorEvent
    | SessionUpdatedEvent
    | SessionUsageEvent
    | SessionDeletedEvent
    | SessionThreadCreatedEvent
    | SessionThreadStatusRunningEvent
    | SessionThreadStatusIdleEvent
    | SessionThreadStatusRescheduledEvent
    | SessionThreadStatusTerminatedEvent
    | SpanModelRequestStartEvent
    | SpanModelRequestEndEvent
    | SpanOutcomeEvaluationStartEvent
    | SpanOutcomeEvaluationOngoingEvent
    | SpanOutcomeEvaluationEndEvent
    | WorkflowRunCreatedEvent
    | WorkflowRunStatusRunningEvent
    | WorkflowRunStatusIdleEvent
    | WorkflowRunPhaseStartedEvent
    | WorkflowRunPhaseEndedEvent
    | WorkflowRunStatusEndedEvent
    | WorkflowRunErrorEvent
    | EventStartEvent
    | EventDeltaEvent,
    BY_TYPE,
]
KNOWN_EVENTS: tuple[type[WireModel], ...] = union_members(KnownEvent)

#: ``type`` string -> event class, for every type this client knows.
EVENT_CLASSES: dict[str, type[WireModel]] = {type_tag(cls): cls for cls in KNOWN_EVENTS}
KNOWN_EVENT_TYPES: frozenset[str] = frozenset(EVENT_CLASSES)


class UnknownEvent(Fallback):
    """An event type this client does not know (yet): ``type`` and every raw field are kept."""

    type: Annotated[str, tag_other_than(KnownEvent)]
    id: str | None = None
    processed_at: Timestamp | None = None


#: Any event of a session's stream or history, dispatched on ``type``.
SessionEvent: TypeAlias = Annotated[KnownEvent | UnknownEvent, KNOWN_FIRST]


@dataclass(frozen=True, slots=True)
class UnreadableEvent:
    """An event this client could not read: not JSON, or a known type whose body its models reject
    (a newer API's variant, a server bug). It is delivered in its place, so one bad event never
    hides the ones around it: ``type``, ``id`` and ``processed_at`` come from the raw object when
    they are strings, ``raw`` is the text as received and ``error`` says what was wrong."""

    type: str
    id: str | None
    processed_at: str | None
    raw: str
    error: str

    @classmethod
    def of(cls, data: dict[str, Any] | str | bytes, error: str) -> UnreadableEvent:
        """The unreadable event for ``data`` (an object, or JSON text that may not even parse)."""
        if isinstance(data, dict):
            fields, raw = data, json.dumps(data, ensure_ascii=False, default=str)
        else:
            raw = data.decode("utf-8", "replace") if isinstance(data, (bytes, bytearray)) else data
            try:
                fields = json.loads(raw)
            except ValueError:
                fields = None
        if not isinstance(fields, dict):
            fields = {}

        def text(name: str) -> str | None:
            value = fields.get(name)
            return value if isinstance(value, str) else None

        return cls(text("type") or "unreadable", text("id"), text("processed_at"), raw, error)


@functools.cache
def event_adapter() -> TypeAdapter[SessionEvent]:
    """The adapter of :data:`SessionEvent`, built on first use: building it validates every event
    class, about a third of the protocol's import time, which start-up does not need."""
    return TypeAdapter(SessionEvent)


def parse_event(data: dict[str, Any] | str | bytes) -> SessionEvent:
    """Parse one event from a dict or JSON text; raises ``pydantic.ValidationError`` when a known
    type is malformed. Unknown types give :class:`UnknownEvent`."""
    if isinstance(data, (str, bytes, bytearray)):
        return parse_event_json(data)
    return event_adapter().validate_python(data)


def parse_event_json(raw: bytes | str) -> SessionEvent:
    """Parse one event from JSON text (an SSE ``data`` payload): the fast path, all in pydantic-core."""
    return event_adapter().validate_json(raw)


#: The public names (a static list, so that a type checker sees the event classes).
__all__ = [
    "StopReason",
    "StopDetails",
    "AutoDecision",
    "AlwaysAllowEvaluation",
    "AlwaysAskEvaluation",
    "AutoEvaluation",
    "UnknownEvaluation",
    "ToolEvaluation",
    "RetryStatus",
    "SessionError",
    "ModelUsage",
    "Rubric",
    "WorkflowRunPhase",
    "WorkflowRunError",
    "WorkflowRunResult",
    "EventPreview",
    "ContentDelta",
    "StoredEvent",
    "EchoedEvent",
    "InputParams",
    "UserMessageParams",
    "UserInterruptParams",
    "UserToolConfirmationParams",
    "UserCustomToolResultParams",
    "UserToolResultParams",
    "UserDefineOutcomeParams",
    "SystemMessageParams",
    "InputEvent",
    "SendEventsParams",
    "UserMessageEvent",
    "UserInterruptEvent",
    "UserToolConfirmationEvent",
    "UserCustomToolResultEvent",
    "UserToolResultEvent",
    "UserDefineOutcomeEvent",
    "SystemMessageEvent",
    "AgentMessageEvent",
    "AgentThinkingEvent",
    "AgentToolUseEvent",
    "AgentToolResultEvent",
    "AgentMcpToolUseEvent",
    "AgentMcpToolResultEvent",
    "AgentCustomToolUseEvent",
    "AgentThreadMessageSentEvent",
    "AgentThreadMessageReceivedEvent",
    "AgentThreadContextCompactedEvent",
    "SessionStatusRunningEvent",
    "SessionStatusIdleEvent",
    "SessionStatusRescheduledEvent",
    "SessionStatusTerminatedEvent",
    "SessionErrorEvent",
    "SessionUpdatedEvent",
    "SessionUsageEvent",
    "SessionDeletedEvent",
    "SessionThreadCreatedEvent",
    "SessionThreadStatusRunningEvent",
    "SessionThreadStatusIdleEvent",
    "SessionThreadStatusRescheduledEvent",
    "SessionThreadStatusTerminatedEvent",
    "SpanModelRequestStartEvent",
    "SpanModelRequestEndEvent",
    "SpanOutcomeEvaluationStartEvent",
    "SpanOutcomeEvaluationOngoingEvent",
    "SpanOutcomeEvaluationEndEvent",
    "WorkflowRunCreatedEvent",
    "WorkflowRunStatusRunningEvent",
    "WorkflowRunStatusIdleEvent",
    "WorkflowRunPhaseStartedEvent",
    "WorkflowRunPhaseEndedEvent",
    "WorkflowRunStatusEndedEvent",
    "WorkflowRunErrorEvent",
    "EventStartEvent",
    "EventDeltaEvent",
    "KnownEvent",
    "KNOWN_EVENTS",
    "EVENT_CLASSES",
    "KNOWN_EVENT_TYPES",
    "UnknownEvent",
    "SessionEvent",
    "UnreadableEvent",
    "event_adapter",
    "parse_event",
    "parse_event_json",
]
