"""Agents: model config, tools and permission policies, MCP servers, skills (reference §4.2).

The sub-models serve both responses and request bodies: optional fields default to ``None`` and
stay out of :meth:`~app.api.models.base.WireModel.to_wire` unless set.
"""

from __future__ import annotations

from typing import Any, Literal

from app.api.models.base import Metadata, Timestamp, WireModel
from app.api.models.unions import Fallback, Tagged, open_union, tag_other_than


class Effort(WireModel):
    """Reasoning effort: ``low``, ``medium``, ``high``, ``xhigh`` or ``max``."""

    type: str


class ModelConfig(WireModel):
    """The model an agent runs on. Requests may give ``effort`` as a bare level string."""

    id: str
    effort: Effort | str | None = None
    speed: str | None = None
    inference_geo: str | None = None


class PermissionPolicy(WireModel):
    """``always_allow``, ``always_ask`` or ``auto`` (the server decides per call)."""

    type: str


class ToolDefaults(WireModel):
    """``default_config`` of a toolset."""

    enabled: bool | None = None
    permission_policy: PermissionPolicy | None = None


class ToolConfig(ToolDefaults):
    """One entry of a toolset's ``configs``.

    Built-in tools (``bash``, ``read``, ``write``, ``edit``, ``glob``, ``grep``, ``web_fetch``,
    ``web_search``) echo ``name`` as ``type``; ``web_fetch``/``web_search`` add domain filters,
    ``max_content_tokens``/``url_sources`` and ``user_location``.
    """

    name: str
    type: str | None = None
    allowed_domains: list[str] | None = None
    blocked_domains: list[str] | None = None
    max_content_tokens: int | None = None
    url_sources: dict[str, Any] | None = None
    user_location: dict[str, Any] | None = None


class AgentToolset(Tagged):
    """The built-in tools run by the server."""

    type: Literal["agent_toolset_20260401"] = "agent_toolset_20260401"
    default_config: ToolDefaults | None = None
    configs: list[ToolConfig] | None = None


class McpToolset(Tagged):
    """The tools of one MCP server listed in the agent's ``mcp_servers``."""

    type: Literal["mcp_toolset"] = "mcp_toolset"
    mcp_server_name: str
    default_config: ToolDefaults | None = None
    configs: list[ToolConfig] | None = None


class CustomToolInputSchema(WireModel):
    type: str = "object"
    properties: dict[str, Any] | None = None
    required: list[str] | None = None


class CustomTool(Tagged):
    """A tool run by this client: calls arrive as ``agent.custom_tool_use``."""

    type: Literal["custom"] = "custom"
    name: str
    description: str
    input_schema: CustomToolInputSchema


_KNOWN_TOOLS = (AgentToolset, McpToolset, CustomTool)


class UnknownTool(Fallback):
    """A toolset type this client does not know; every field is kept."""

    type: tag_other_than(*_KNOWN_TOOLS)


#: An entry of an agent's ``tools``.
Tool = open_union(_KNOWN_TOOLS, UnknownTool)


class McpServer(Tagged):
    type: Literal["url"] = "url"
    name: str
    url: str


class Skill(WireModel):
    """``type`` is ``anthropic`` or ``custom``; responses resolve ``version`` (e.g. "latest")."""

    type: str
    skill_id: str
    version: str | None = None


class ExecutionIdentity(WireModel):
    """``{type: "service_account"}`` or ``{type: "aws_role", role_arn}``."""

    type: str
    role_arn: str | None = None


class Multiagent(WireModel):
    """``coordinator`` or ``multiagent_20261001`` settings, kept loosely (every field preserved)."""

    type: str


class AgentDefinition(WireModel):
    """What an agent is made of, shared by stored agents, session snapshots and inline agents."""

    name: str
    description: str | None = None
    system: str | None = None
    model: ModelConfig
    tools: list[Tool] = []
    mcp_servers: list[McpServer] = []
    skills: list[Skill] = []
    execution_identity: ExecutionIdentity | None = None
    multiagent: Multiagent | None = None


class SessionAgent(AgentDefinition, Tagged):
    """The agent version a session (or thread) runs, as snapshotted at creation."""

    type: Literal["agent"] = "agent"
    id: str
    version: int


class Agent(SessionAgent):
    """A stored, versioned agent (``GET /v1/agents/{id}``)."""

    metadata: Metadata = {}
    created_at: Timestamp
    updated_at: Timestamp
    archived_at: Timestamp | None = None


class AgentCreateParams(WireModel):
    """Body of ``POST /v1/agents``: ``model`` is a model id string or a :class:`ModelConfig`."""

    name: str
    model: str | ModelConfig
    system: str | None = None
    description: str | None = None
    tools: list[Tool] | None = None
    mcp_servers: list[McpServer] | None = None
    skills: list[Skill] | None = None
    metadata: Metadata | None = None
    multiagent: Multiagent | None = None
    execution_identity: ExecutionIdentity | None = None


class AgentUpdateParams(WireModel):
    """Body of ``POST /v1/agents/{id}``: only what changes; ``version`` is the optimistic lock.

    ``metadata`` is a patch (a ``None`` value deletes the key); lists are replaced whole.
    """

    version: int | None = None
    name: str | None = None
    model: str | ModelConfig | None = None
    system: str | None = None
    description: str | None = None
    tools: list[Tool] | None = None
    mcp_servers: list[McpServer] | None = None
    skills: list[Skill] | None = None
    metadata: dict[str, str | None] | None = None
    multiagent: Multiagent | None = None
    execution_identity: ExecutionIdentity | None = None
