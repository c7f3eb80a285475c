"""The model interface of the runtime: what the engine asks a brain, and what a brain answers.

A brain is called once per model request with the conversation so far and says what the model
"said" in that request: whether it thought, its text (streamed by the engine as deltas), the tools
it calls, or an error. Brains own no state the log does not hold, so a session can resume after a
restart. :func:`make_brain` picks one by name: ``offline`` (the default) or ``replay:<path>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from app.runtime.tools.base import ToolResult

#: ``retry_status`` values of a session error (reference §5.4).
RETRY_STATUSES = ("retrying", "exhausted", "terminal")

#: Tool-use event types -> how that call is carried out (a :attr:`ToolUse.kind`).
USE_KINDS = {"agent.tool_use": "builtin", "agent.mcp_tool_use": "mcp", "agent.custom_tool_use": "custom"}
#: Tool-result event types -> the field naming the tool use they answer.
RESULT_KEYS = {
    "agent.tool_result": "tool_use_id",
    "agent.mcp_tool_result": "mcp_tool_use_id",
    "user.custom_tool_result": "custom_tool_use_id",
}


def text_of(blocks: Any) -> str:
    """The text of an event's content blocks, joined (other blocks are left out)."""
    return "".join(block.get("text", "") for block in blocks or [] if isinstance(block, dict))


@dataclass(frozen=True)
class ToolSpec:
    """A tool the agent may call in this request (disabled tools are never offered)."""

    name: str
    kind: str = "builtin"
    mcp_server_name: str | None = None
    description: str = ""
    input_schema: dict[str, Any] | None = None


@dataclass
class BrainRequest:
    """One model request: the session, its agent snapshot, the processed events so far in the order
    they were taken up (queued inputs appear once taken up), and the tools on offer."""

    session: dict[str, Any]
    agent: dict[str, Any]
    events: list[dict[str, Any]]
    tools: list[ToolSpec] = field(default_factory=list)
    #: The tools each MCP server of the agent listed (``name``, ``description``, ``input_schema``)
    #: when the session's runner first asked, or why they could not be listed.
    mcp_catalog: dict[str, list[dict[str, Any]] | str] = field(default_factory=dict)

    def tool(self, name: str, kind: str | None = None) -> ToolSpec | None:
        """The offered tool called ``name`` (of ``kind``, if given), or ``None``."""
        for spec in self.tools:
            if spec.name == name and (kind is None or spec.kind == kind):
                return spec
        return None


@dataclass
class ToolUse:
    """A tool call in a reply. ``result``, when set (a replayed recording), is used as the tool's
    output instead of running the tool."""

    name: str
    input: dict[str, Any]
    kind: str = "builtin"
    mcp_server_name: str | None = None
    result: ToolResult | None = None


@dataclass(eq=False)
class BrainError(Exception):
    """A ``session.error`` the request ends with: ``type`` such as ``model_overloaded_error``,
    ``retry_status`` one of :data:`RETRY_STATUSES`, ``details`` extra fields (``mcp_server_name``...).

    Return it in :attr:`BrainReply.error`, or raise it from :meth:`Brain.respond`."""

    type: str
    message: str
    retry_status: str = "exhausted"
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)
        if self.retry_status not in RETRY_STATUSES:
            raise ValueError(f"retry_status must be one of {RETRY_STATUSES}, not {self.retry_status!r}")

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle by fields, not by Exception.args
        return (type(self), (self.type, self.message, self.retry_status, self.details))

    def to_wire(self, retry_status: str | None = None) -> dict[str, Any]:
        """The ``error`` object of a ``session.error`` event (``retry_status`` overridable)."""
        return {
            "type": self.type,
            "message": self.message,
            "retry_status": {"type": retry_status or self.retry_status},
            **self.details,
        }


def model_usage(
    input_tokens: int = 0,
    output_tokens: int = 0,
    cache_creation_input_tokens: int = 0,
    cache_read_input_tokens: int = 0,
) -> dict[str, int]:
    """The ``model_usage`` of one request, every counter present."""
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cache_creation_input_tokens": cache_creation_input_tokens,
        "cache_read_input_tokens": cache_read_input_tokens,
    }


@dataclass
class BrainReply:
    """What the model said in one request. A reply with no ``tool_uses`` ends the turn."""

    thinking: bool = False
    text: str | None = None
    tool_uses: list[ToolUse] = field(default_factory=list)
    error: BrainError | None = None
    usage: dict[str, int] = field(default_factory=model_usage)
    #: Messages to roster agents, ``(agent name, message)``: each runs in that agent's child
    #: thread, whose answer comes back as ``agent.thread_message_received``; then the model is
    #: asked again.
    delegations: list[tuple[str, str]] = field(default_factory=list)


class Brain(Protocol):
    """The model: one call per model request."""

    async def respond(self, request: BrainRequest) -> BrainReply: ...


def make_brain(name: str = "offline") -> Brain:
    """The brain called ``name``: ``offline`` (deterministic scripted model) or ``replay:<path>``
    (a recorded JSONL transcript; a bare name finds a bundled recording). ``ValueError`` otherwise."""
    if name == "offline":
        from app.runtime.offline import OfflineBrain

        return OfflineBrain()
    if name.startswith("replay:"):
        from app.runtime.replay import ReplayBrain

        return ReplayBrain.from_path(name.removeprefix("replay:"))
    raise ValueError(f"unknown model {name!r}: use 'offline' or 'replay:<file.jsonl>'")
