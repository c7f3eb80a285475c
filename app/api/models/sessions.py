"""Sessions: status, agent snapshot, resources, usage, stats, budget and outcomes (reference §4.3)."""

from __future__ import annotations

from typing import Literal

from app.api.models.agents import McpServer, ModelConfig, SessionAgent, Skill, Tool
from app.api.models.base import Metadata, Timestamp, WireModel
from app.api.models.events import InputEvent
from app.api.models.resources import ResourceParams, SessionResource
from app.api.models.unions import Tagged
from app.api.models.usage import BudgetLimit, SessionUsage


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
    budget: BudgetLimit | None = None
    outcome_evaluations: list[OutcomeEvaluation] = []
    stats: SessionStats | None = None
    usage: SessionUsage | None = None
    deployment_id: str | None = None
    created_at: Timestamp
    updated_at: Timestamp
    archived_at: Timestamp | None = None


class SessionAgentParams(WireModel):
    """``agent`` of ``POST /v1/sessions`` as an object: ``type`` is ``agent`` (a pinned version) or
    ``agent_with_overrides`` (``model``, ``system``, ``tools``, ``mcp_servers``, ``skills`` replace
    the agent's for this session only). A bare agent id string works too."""

    type: str
    id: str
    version: int | None = None
    model: str | ModelConfig | None = None
    system: str | None = None
    tools: list[Tool] | None = None
    mcp_servers: list[McpServer] | None = None
    skills: list[Skill] | None = None


class SessionAgentUpdate(WireModel):
    """``agent`` of a session update: full replacements, allowed while the session is not running."""

    tools: list[Tool] | None = None
    mcp_servers: list[McpServer] | None = None


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
