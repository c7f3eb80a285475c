"""Sessions: status, agent snapshot, resources, usage, stats, budget and outcomes (reference §4.3)."""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from app.api.models.agents import AgentSnapshot, ModelConfig, SessionAgent, SkillParams, ToolParams, UrlMcpServer
from app.api.models.base import Metadata, Timestamp, WireModel
from app.api.models.events import InputEvent
from app.api.models.resources import ResourceParams, SessionResource
from app.api.models.unions import BY_TYPE, Tagged
from app.api.models.usage import Budget, BudgetLimit, SessionUsage


class SessionStats(WireModel):
    active_seconds: float | None = None
    duration_seconds: float | None = None


class OutcomeEvaluation(Tagged):
    """The grade of one outcome iteration; ``result`` as on ``span.outcome_evaluation_end``."""

    type: Literal["outcome_evaluation"] = "outcome_evaluation"
    outcome_id: str
    description: str
    result: str
    iteration: int
    explanation: str | None = None
    completed_at: Timestamp | None = None


class Session(Tagged):
    """A session: ``status`` is ``idle``, ``running``, ``rescheduling`` or ``terminated``;
    archiving only sets ``archived_at``."""

    type: Literal["session"] = "session"
    id: str
    title: str | None = None
    status: str
    environment_id: str
    agent: SessionAgent
    resources: list[SessionResource] = []
    metadata: Metadata = {}
    vault_ids: list[str] = []
    budget: Budget | None = None
    outcome_evaluations: list[OutcomeEvaluation] = []
    stats: SessionStats | None = None
    usage: SessionUsage | None = None
    deployment_id: str | None = None
    created_at: Timestamp
    updated_at: Timestamp
    archived_at: Timestamp | None = None

    @property
    def agent_name(self) -> str:
        """The agent's name (its ``type`` for an agent kind this client does not know)."""
        name = getattr(self.agent, "name", None)
        return name if isinstance(name, str) else self.agent.type

    @property
    def model_id(self) -> str | None:
        """The model the session runs on (None for an agent kind this client does not know)."""
        return self.agent.model.id if isinstance(self.agent, AgentSnapshot) else None


class AgentRefParams(Tagged):
    """``agent`` of ``POST /v1/sessions`` pinned to a version (the latest when ``version`` is omitted)."""

    type: Literal["agent"] = "agent"
    id: str
    version: int | None = None


class AgentWithOverridesParams(AgentRefParams):
    """An agent whose ``model``, ``system``, ``tools``, ``mcp_servers`` and ``skills`` are replaced
    for this session only."""

    type: Literal["agent_with_overrides"] = "agent_with_overrides"  # type: ignore[assignment]  # its own tag
    model: str | ModelConfig | None = None
    system: str | None = None
    tools: list[ToolParams] | None = None
    mcp_servers: list[UrlMcpServer] | None = None
    skills: list[SkillParams] | None = None


#: ``agent`` of ``POST /v1/sessions`` as an object (a bare agent id string works too).
SessionAgentParams: TypeAlias = Annotated[AgentRefParams | AgentWithOverridesParams, BY_TYPE]


class SessionAgentUpdate(WireModel):
    """``agent`` of a session update: full replacements, allowed while the session is not running."""

    tools: list[ToolParams] | None = None
    mcp_servers: list[UrlMcpServer] | None = None


class SessionCreateParams(WireModel):
    """Body of ``POST /v1/sessions``; ``initial_events`` takes ``user.message`` and
    ``user.define_outcome`` inputs (at most 50)."""

    agent: str | SessionAgentParams
    environment_id: str
    title: str | None = None
    metadata: Metadata | None = None
    resources: list[ResourceParams] | None = None
    initial_events: list[InputEvent] | None = None
    budget: BudgetLimit | None = None
    vault_ids: list[str] | None = None


class SessionUpdateParams(WireModel):
    """Body of ``POST /v1/sessions/{id}``; ``metadata`` is a patch, ``budget=None`` removes it."""

    title: str | None = None
    metadata: dict[str, str | None] | None = None
    budget: BudgetLimit | None = None
    agent: SessionAgentUpdate | None = None
    vault_ids: list[str] | None = None
