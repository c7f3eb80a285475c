"""Agents: model config, tools and permission policies, MCP servers, skills (reference §4.2).

Each set of tagged variants is an open union on the read side (an unknown type parses as its
``Unknown…`` class, every field kept) and a closed ``…Params`` union in request bodies. The other
sub-models serve both: optional fields default to ``None`` and stay out of
:meth:`~app.api.models.base.WireModel.to_wire` unless set.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeAlias

from app.api.models.base import Metadata, Timestamp, WireModel
from app.api.models.unions import BY_TYPE, KNOWN_FIRST, Fallback, Tagged, tag_other_than


class Effort(WireModel):
    """Reasoning effort: ``low``, ``medium``, ``high``, ``xhigh`` or ``max``."""

    type: str


class ModelConfig(WireModel):
    """The model an agent runs on. Requests may give ``effort`` as a bare level string."""

    id: str
    effort: Effort | str | None = None
    speed: str | None = None
    inference_geo: str | None = None


# ----------------------------------------------------------------------------- permission policies


class AlwaysAllowPolicy(Tagged):
    type: Literal["always_allow"] = "always_allow"


class AlwaysAskPolicy(Tagged):
    type: Literal["always_ask"] = "always_ask"


class AutoPolicy(Tagged):
    """The server judges each call: allow, ask or deny."""

    type: Literal["auto"] = "auto"


#: A permission policy in a request: only the known types.
PermissionPolicyParams: TypeAlias = Annotated[AlwaysAllowPolicy | AlwaysAskPolicy | AutoPolicy, BY_TYPE]


class UnknownPolicy(Fallback):
    """A permission policy this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(PermissionPolicyParams)]


#: A tool's permission policy; unknown types parse as :class:`UnknownPolicy`.
PermissionPolicy: TypeAlias = Annotated[PermissionPolicyParams | UnknownPolicy, KNOWN_FIRST]


# ----------------------------------------------------------------------------- tools


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


_KnownTool: TypeAlias = Annotated[AgentToolset | McpToolset | CustomTool, BY_TYPE]


class UnknownTool(Fallback):
    """A toolset type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(_KnownTool)]


#: An entry of an agent's ``tools``.
Tool: TypeAlias = Annotated[_KnownTool | UnknownTool, KNOWN_FIRST]


class ToolDefaultsParams(ToolDefaults):
    """``default_config`` of a toolset in a request."""

    permission_policy: PermissionPolicyParams | None = None


class AgentToolConfigParams(ToolConfig):
    """A built-in tool's entry in ``configs`` of a request."""

    permission_policy: PermissionPolicyParams | None = None


class McpToolConfigParams(ToolDefaultsParams):
    """An MCP tool's entry in ``configs`` of a request: its name and what differs from the default."""

    name: str


class AgentToolsetParams(AgentToolset):
    default_config: ToolDefaultsParams | None = None
    # a request narrows the reply's field
    configs: list[AgentToolConfigParams] | None = None  # type: ignore[assignment]


class McpToolsetParams(McpToolset):
    default_config: ToolDefaultsParams | None = None
    configs: list[McpToolConfigParams] | None = None  # type: ignore[assignment]  # narrowed, as above


#: An entry of ``tools`` in a request: only the known types.
ToolParams: TypeAlias = Annotated[AgentToolsetParams | McpToolsetParams | CustomTool, BY_TYPE]


# ----------------------------------------------------------------------------- MCP servers, skills


class UrlMcpServer(Tagged):
    """An MCP server reached at ``url``; toolsets name it by ``name``."""

    type: Literal["url"] = "url"
    name: str
    url: str


class UnknownMcpServer(Fallback):
    """An MCP server type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(UrlMcpServer)]


#: An entry of an agent's ``mcp_servers`` (in requests: a :class:`UrlMcpServer`).
McpServer: TypeAlias = Annotated[UrlMcpServer | UnknownMcpServer, KNOWN_FIRST]


class AnthropicSkill(Tagged):
    """A skill by Anthropic; responses resolve ``version`` (e.g. "latest")."""

    type: Literal["anthropic"] = "anthropic"
    skill_id: str
    version: str | None = None


class CustomSkill(Tagged):
    """A skill of your organisation; responses resolve ``version``."""

    type: Literal["custom"] = "custom"
    skill_id: str
    version: str | None = None


#: A skill in a request: only the known types.
SkillParams: TypeAlias = Annotated[AnthropicSkill | CustomSkill, BY_TYPE]


class UnknownSkill(Fallback):
    """A skill type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(SkillParams)]


#: An entry of an agent's ``skills``; unknown types parse as :class:`UnknownSkill`.
Skill: TypeAlias = Annotated[SkillParams | UnknownSkill, KNOWN_FIRST]


# ----------------------------------------------------------------------------- identity, multiagent


class ServiceAccountIdentity(Tagged):
    """The default execution identity."""

    type: Literal["service_account"] = "service_account"


class AwsRoleIdentity(Tagged):
    type: Literal["aws_role"] = "aws_role"
    role_arn: str | None = None


class AwsRoleIdentityParams(AwsRoleIdentity):
    """An AWS role identity in a request: ``role_arn`` is required."""

    role_arn: str


_KnownIdentity: TypeAlias = Annotated[ServiceAccountIdentity | AwsRoleIdentity, BY_TYPE]


class UnknownExecutionIdentity(Fallback):
    """An execution identity type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(_KnownIdentity)]


#: Whom the agent's tools act as; unknown types parse as :class:`UnknownExecutionIdentity`.
ExecutionIdentity: TypeAlias = Annotated[_KnownIdentity | UnknownExecutionIdentity, KNOWN_FIRST]
#: An execution identity in a request: only the known types.
ExecutionIdentityParams: TypeAlias = Annotated[ServiceAccountIdentity | AwsRoleIdentityParams, BY_TYPE]


class CoordinatorMultiagent(Tagged):
    """The agents a coordinator may call: ids in requests, ``{type, …}`` references in replies."""

    type: Literal["coordinator"] = "coordinator"
    agents: list[str | dict[str, Any]] | None = None


class CoordinatorMultiagentParams(CoordinatorMultiagent):
    """Coordinator settings in a request: ``agents`` is required."""

    agents: list[str | dict[str, Any]]


class Multiagent20261001(Tagged):
    """Advisor, subagents and workflows settings, each ``{type: "enabled", …}`` or ``{type: "disabled"}``."""

    type: Literal["multiagent_20261001"] = "multiagent_20261001"
    advisor: dict[str, Any] | None = None
    subagents: dict[str, Any] | None = None
    workflows: dict[str, Any] | None = None


_KnownMultiagent: TypeAlias = Annotated[CoordinatorMultiagent | Multiagent20261001, BY_TYPE]


class UnknownMultiagent(Fallback):
    """A multiagent type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(_KnownMultiagent)]


#: An agent's ``multiagent`` settings; unknown types parse as :class:`UnknownMultiagent`.
Multiagent: TypeAlias = Annotated[_KnownMultiagent | UnknownMultiagent, KNOWN_FIRST]
#: ``multiagent`` in a request: only the known types.
MultiagentParams: TypeAlias = Annotated[CoordinatorMultiagentParams | Multiagent20261001, BY_TYPE]


# ----------------------------------------------------------------------------- agents


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


class AgentSnapshot(AgentDefinition, Tagged):
    """The agent version a session (or thread) runs, as snapshotted at creation."""

    type: Literal["agent"] = "agent"
    id: str
    version: int


class UnknownSessionAgent(Fallback):
    """A session agent type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(AgentSnapshot)]


#: A session's ``agent``; unknown types parse as :class:`UnknownSessionAgent`.
SessionAgent: TypeAlias = Annotated[AgentSnapshot | UnknownSessionAgent, KNOWN_FIRST]


class Agent(AgentSnapshot):
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
    tools: list[ToolParams] | None = None
    mcp_servers: list[UrlMcpServer] | None = None
    skills: list[SkillParams] | None = None
    metadata: Metadata | None = None
    multiagent: MultiagentParams | None = None
    execution_identity: ExecutionIdentityParams | None = None


class AgentUpdateParams(WireModel):
    """Body of ``POST /v1/agents/{id}``: only what changes; ``version`` is the optimistic lock.

    ``metadata`` is a patch (a ``None`` value deletes the key); lists are replaced whole.
    """

    version: int | None = None
    name: str | None = None
    model: str | ModelConfig | None = None
    system: str | None = None
    description: str | None = None
    tools: list[ToolParams] | None = None
    mcp_servers: list[UrlMcpServer] | None = None
    skills: list[SkillParams] | None = None
    metadata: dict[str, str | None] | None = None
    multiagent: MultiagentParams | None = None
    execution_identity: ExecutionIdentityParams | None = None
