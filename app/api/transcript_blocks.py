"""The blocks a transcript is made of, and the values they carry.

Every block is a small frozen dataclass whose ``id`` is the id of the event that created it. The
transcript replaces a block with a new one when it changes, so a block a view holds is a snapshot
that never changes under it: a view keeps one widget per block id and hands it the newer block.
Text that came from the server is kept verbatim (render it with ``markup=False`` or as ``Content``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def _seconds_between(start: str | None, end: str | None) -> float | None:
    """Seconds from one RFC 3339 timestamp to another, or None when either is missing or unreadable."""
    if not start or not end:
        return None
    try:
        return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    except ValueError:
        return None


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` on one line (each run of whitespace, newlines too, made one space), cut to ``limit``
    characters with a final "…" when it is longer."""
    flat = " ".join(text.split())
    if limit is None or len(flat) <= limit:
        return flat
    return flat[: max(limit - 1, 0)] + "…"


def text_of(content: list[dict[str, Any]] | None) -> str:
    """The text parts of a content list, concatenated (images, documents and the like are skipped)."""
    return "".join(part.get("text") or "" for part in content or () if part.get("type") == "text")


@dataclass(frozen=True, slots=True)
class TokenTotals:
    """Token counts, as a model request or a session usage snapshot reports them."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0

    def __add__(self, other: TokenTotals) -> TokenTotals:
        return TokenTotals(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_input_tokens + other.cache_read_input_tokens,
            self.cache_creation_input_tokens + other.cache_creation_input_tokens,
        )

    @property
    def total(self) -> int:
        """Every token counted, input (fresh, cached and cache-writing) plus output."""
        return self.input_tokens + self.output_tokens + self.cache_read_input_tokens + self.cache_creation_input_tokens


@dataclass(frozen=True, slots=True)
class Money:
    """A list cost: ``amount`` is an integer string in minor units (``"250"`` USD is $2.50)."""

    amount: str
    currency: str

    def __str__(self) -> str:
        try:
            minor = int(self.amount)
        except ValueError:
            return f"{self.amount} {self.currency}"
        sign = "-" if minor < 0 else ""
        major, cents = divmod(abs(minor), 100)
        value = f"{sign}{major}.{cents:02d}"
        return f"${value}" if self.currency == "USD" else f"{value} {self.currency}"


@dataclass(frozen=True, eq=False, slots=True)
class UserMessageBlock:
    """A user turn. Queued (``processed_at`` is None) until the agent takes it up."""

    id: str
    text: str
    #: Non-text content parts (images, documents, redacted parts) as wire JSON.
    attachments: list[dict[str, Any]] = field(default_factory=list)
    processed_at: str | None = None

    @property
    def state(self) -> str:
        """``queued`` or ``processed``."""
        return "queued" if self.processed_at is None else "processed"


@dataclass(frozen=True, eq=False, slots=True)
class AgentMessageBlock:
    """Assistant markdown. ``streaming`` while it is a preview; the final event replaces its text."""

    id: str
    text: str = ""
    streaming: bool = False
    #: How many content parts were redacted by the server.
    redacted: int = 0
    processed_at: str | None = None


@dataclass(frozen=True, eq=False, slots=True)
class ThinkingBlock:
    """The agent is thinking (the API carries no thinking text). ``done`` once ``agent.thinking`` arrived."""

    id: str
    done: bool = False
    processed_at: str | None = None

    @property
    def state(self) -> str:
        """``thinking`` or ``done``."""
        return "done" if self.done else "thinking"


@dataclass(frozen=True, eq=False, slots=True)
class _ToolBlock:
    """What a built-in, MCP and custom tool call share: the call, its result and its timing."""

    id: str
    name: str
    input: dict[str, Any] = field(default_factory=dict)
    #: The result content as wire JSON (text, image, document, search_result parts); None until it arrives.
    result: list[dict[str, Any]] | None = None
    is_error: bool = False
    #: ``processed_at`` of the tool use and of its result.
    started_at: str | None = None
    finished_at: str | None = None
    #: The user interrupted the call, or the turn ended before a result arrived.
    interrupted: bool = False
    #: Set when the call was cross-posted from a sub-agent's thread.
    thread_id: str | None = None
    #: The agent of that thread, when its ``session.thread_created`` was seen.
    agent_name: str | None = None

    @property
    def result_text(self) -> str:
        """The text parts of the result ("" until there is one)."""
        return text_of(self.result)

    @property
    def duration(self) -> float | None:
        """Seconds from the tool use to its result, None until both timestamps are known."""
        return _seconds_between(self.started_at, self.finished_at)


@dataclass(frozen=True, eq=False, slots=True)
class ToolCallBlock(_ToolBlock):
    """``agent.tool_use`` or ``agent.mcp_tool_use`` folded with its confirmation and its result."""

    #: The MCP server for ``agent.mcp_tool_use``; None for built-in tools.
    mcp_server: str | None = None
    #: ``evaluated_permission`` of the call: ``allow``, ``ask``, ``deny`` or None.
    permission: str | None = None
    #: The user's answer to an ``ask``: ``allow``, ``deny`` or None.
    confirmation: str | None = None
    deny_message: str | None = None

    @property
    def state(self) -> str:
        """``running``, ``awaiting_approval``, ``ok``, ``failed``, ``denied`` or ``interrupted`` (an
        error result of an interrupted call says it was cut short, not that it failed)."""
        if self.confirmation == "deny" or self.permission == "deny":
            return "denied"
        if self.result is not None:
            return ("interrupted" if self.interrupted else "failed") if self.is_error else "ok"
        if self.interrupted:
            return "interrupted"
        if self.permission == "ask" and self.confirmation is None:
            return "awaiting_approval"
        return "running"


@dataclass(frozen=True, eq=False, slots=True)
class CustomToolCallBlock(_ToolBlock):
    """``agent.custom_tool_use``: the client runs the tool and answers with ``user.custom_tool_result``."""

    @property
    def state(self) -> str:
        """``pending`` (waiting for our answer), ``ok``, ``failed`` or ``interrupted``."""
        if self.result is not None:
            return "failed" if self.is_error else "ok"
        return "interrupted" if self.interrupted else "pending"


@dataclass(frozen=True, eq=False, slots=True)
class StatusBlock:
    """A status change of the session, or of one of its threads when ``thread_id`` is set.

    ``status`` is ``running``, ``idle``, ``rescheduling``, ``terminated``, ``deleted``, or ``created``
    (a sub-agent thread was spawned).
    """

    id: str
    status: str
    #: For ``idle``: ``end_turn``, ``requires_action``, ``retries_exhausted``, ``budget_reached``, ``refusal``...
    stop_reason: str | None = None
    #: For ``requires_action``: the tool-use events waiting on the user.
    event_ids: tuple[str, ...] = ()
    #: ``stop_details`` as wire JSON (a refusal's category and explanation).
    stop_details: dict[str, Any] | None = None
    thread_id: str | None = None
    agent_name: str | None = None
    processed_at: str | None = None
    #: For ``requires_action``: every event waiting is a custom tool call, so the user owes results,
    #: not approvals.
    waits_for_result: bool = False

    @property
    def shown_status(self) -> str:
        """The status as the glyph vocabulary has it: ``needs_approval`` or ``needs_result`` for
        idle + requires_action, else :attr:`status`."""
        if self.status == "idle" and self.stop_reason == "requires_action":
            return "needs_result" if self.waits_for_result else "needs_approval"
        return self.status


@dataclass(frozen=True, eq=False, slots=True)
class ErrorBlock:
    """``session.error``. ``retry_status`` is ``retrying``, ``exhausted`` or ``terminal``."""

    id: str
    error_type: str
    message: str
    retry_status: str | None = None
    #: Any other fields of the error object (``mcp_server_name``, ``repository_url``, ...).
    details: dict[str, Any] = field(default_factory=dict)
    processed_at: str | None = None


@dataclass(frozen=True, eq=False, slots=True)
class UsageBlock:
    """Token usage: of one model request (``source="request"``) or a cumulative session snapshot
    (``source="session"``, which may also carry the list cost, active seconds and budget)."""

    id: str
    source: str
    tokens: TokenTotals
    #: Request only: the request failed.
    is_error: bool = False
    #: Request only: the model request this closes.
    request_start_id: str | None = None
    list_cost: Money | None = None
    active_seconds: float | None = None
    budget: dict[str, Any] | None = None
    processed_at: str | None = None


@dataclass(frozen=True, eq=False, slots=True)
class EventBlock:
    """Any other event (unknown types included), kept whole so nothing is lost."""

    id: str
    type: str
    #: The event as wire JSON.
    raw: dict[str, Any]
    processed_at: str | None = None

    @property
    def text(self) -> str:
        """The text of the event's ``content``, when it has one (system and thread messages do)."""
        content = self.raw.get("content")
        return text_of(content) if isinstance(content, list) else ""


@dataclass(frozen=True, eq=False, slots=True)
class ThreadMessageBlock:
    """A message between agents of a multi-agent session: ``direction`` is ``sent``
    (``agent.thread_message_sent``, to a sub-agent) or ``received`` (its answer). ``text`` is markdown."""

    id: str
    direction: str
    #: The other thread: the one written to, or the one the answer came from.
    thread_id: str
    text: str
    #: The agent of that thread (from the event, or from its ``session.thread_created``).
    agent_name: str | None = None
    processed_at: str | None = None

    @property
    def peer(self) -> str:
        """Who the message went to or came from: the agent's name, else the thread id."""
        return self.agent_name or self.thread_id


@dataclass(frozen=True, eq=False, slots=True)
class OutcomeBlock:
    """``user.define_outcome``: the agent is to work towards a graded outcome."""

    id: str
    outcome_id: str | None
    description: str
    #: ``text`` (its ``rubric`` is the text) or ``file`` (its ``rubric`` is a file id).
    rubric_type: str = "text"
    rubric: str | None = None
    max_iterations: int | None = None
    processed_at: str | None = None


#: Verdicts after which no further evaluation of the outcome follows.
FINAL_VERDICTS = frozenset({"satisfied", "max_iterations_reached", "failed", "interrupted"})


@dataclass(frozen=True, eq=False, slots=True)
class OutcomeEvaluationBlock:
    """One evaluation of an outcome (``span.outcome_evaluation_start`` folded with its ``_end``);
    ``result`` is None while the grader works, then ``satisfied``, ``needs_revision``,
    ``max_iterations_reached``, ``failed``, ``interrupted`` or newer."""

    id: str
    outcome_id: str
    #: 0-based, as on the wire (the first evaluation is iteration 0).
    iteration: int
    result: str | None = None
    explanation: str = ""
    tokens: TokenTotals | None = None
    #: The outcome's description and its ``max_iterations``, when its definition was seen.
    description: str | None = None
    max_iterations: int | None = None
    started_at: str | None = None
    finished_at: str | None = None

    @property
    def state(self) -> str:
        """``evaluating`` until the verdict, then the verdict."""
        return self.result or "evaluating"

    @property
    def final(self) -> bool:
        """True when no further evaluation follows this one."""
        return self.result in FINAL_VERDICTS

    @property
    def duration(self) -> float | None:
        return _seconds_between(self.started_at, self.finished_at)


@dataclass(frozen=True, eq=False, slots=True)
class WorkflowRunBlock:
    """A workflow run, its events folded into one block: ``status`` is ``created``, ``running``,
    ``idle``, ``ended`` or ``error``; ``result`` (once ended) ``completed``, ``stopped``, ``error``..."""

    id: str
    #: None for a ``workflow_run.error`` of a run that was never created.
    run_id: str | None
    name: str | None = None
    #: The phases, as (id, name) pairs.
    phases: tuple[tuple[str, str], ...] = ()
    status: str = "created"
    #: The phase running now, and how many phases have ended.
    phase_id: str | None = None
    phases_ended: int = 0
    result: str | None = None
    #: The error (``{type, message}``) of a failed run.
    error: dict[str, Any] | None = None
    processed_at: str | None = None

    @property
    def phase_name(self) -> str | None:
        """The name of the running phase (its id when the run's phases are unknown)."""
        if self.phase_id is None:
            return None
        return dict(self.phases).get(self.phase_id, self.phase_id)


@dataclass(frozen=True, eq=False, slots=True)
class CompactionBlock:
    """``agent.thread_context_compacted``: the agent's context was summarised."""

    id: str
    processed_at: str | None = None


@dataclass(frozen=True, eq=False, slots=True)
class SessionUpdatedBlock:
    """``session.updated``: which fields changed, and the new title and agent."""

    id: str
    #: The names of the fields the update carried (``title``, ``agent``, ``budget``, ``metadata``).
    fields: tuple[str, ...]
    title: str | None = None
    agent_name: str | None = None
    model: str | None = None
    processed_at: str | None = None


@dataclass(frozen=True, eq=False, slots=True)
class UnreadableBlock:
    """An event this client could not read (a newer API's variant, a server bug): what it said it
    was, why it could not be read, and the raw text, so the user can still see it."""

    id: str
    type: str
    raw: str
    error: str
    processed_at: str | None = None


Block = (
    UserMessageBlock
    | AgentMessageBlock
    | ThinkingBlock
    | ToolCallBlock
    | CustomToolCallBlock
    | StatusBlock
    | ErrorBlock
    | UsageBlock
    | ThreadMessageBlock
    | OutcomeBlock
    | OutcomeEvaluationBlock
    | WorkflowRunBlock
    | CompactionBlock
    | SessionUpdatedBlock
    | EventBlock
    | UnreadableBlock
)
