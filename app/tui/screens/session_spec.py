"""The new session form's rules, without widgets: validation and the API bodies it sends.

Each check raises :class:`InvalidField` naming the form field (its widget id) so the form can show
the message next to it and focus it. The GitHub token only ever lives in :class:`RepoSpec` and the
request body; it is left out of ``repr`` and of every message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.api.models import Agent, AgentToolset, CustomTool, McpToolset, ToolDefaults
from app.tui import fields

TITLE_MAX = 256
NAME_MAX = 256

#: Model families offered by the form (label, model id); "other" takes any id.
MODELS = (
    ("Haiku 4.5 · claude-haiku-4-5", "claude-haiku-4-5"),
    ("Sonnet 4.6 · claude-sonnet-4-6", "claude-sonnet-4-6"),
    ("Opus 4.8 · claude-opus-4-8", "claude-opus-4-8"),
)
OTHER_MODEL = "other"
DEFAULT_MODEL = "claude-sonnet-4-6"

#: The agent toolset's built-in tools, in the order the form lists them.
TOOLS = ("bash", "read", "write", "edit", "glob", "grep", "web_fetch", "web_search")
POLICIES = ("always_allow", "always_ask")
TOOLSET_TYPE = "agent_toolset_20260401"
#: The most agents a coordinator's roster may list.
ROSTER_MAX = 20

_REPO_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d+)?/[\w.-]+/[\w.-]+?(\.git)?/?$")
_SHA = re.compile(r"^[0-9a-fA-F]{7,40}$")


class InvalidField(fields.FieldError):
    """``message`` is about the form field whose widget id is ``field``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def check_title(title: str, field: str = "title") -> str | None:
    """The title to send (``None`` when blank)."""
    title = title.strip()
    if len(title) > TITLE_MAX:
        raise InvalidField(field, f"A title is at most {TITLE_MAX} characters (this one has {len(title)}).")
    return title or None


def parse_metadata(text: str) -> dict[str, str]:
    """``key=value`` lines (blank lines skipped) within the API's limits for sessions."""
    try:
        return fields.parse_metadata(text, fields.SESSION_METADATA)
    except fields.FieldError as error:
        raise InvalidField("metadata", str(error)) from None


@dataclass(frozen=True)
class ToolChoice:
    name: str
    enabled: bool
    policy: str


@dataclass(frozen=True)
class AgentSpec:
    """A new agent as the form defines it."""

    name: str
    model: str
    system: str
    tools: tuple[ToolChoice, ...]
    #: Ids of the agents it coordinates (may delegate to); empty: not a coordinator.
    roster: tuple[str, ...] = ()

    def body(self) -> dict[str, Any]:
        """The ``POST /v1/agents`` body: every built-in tool listed with its switch and policy."""
        configs = [{"name": t.name, "enabled": t.enabled, "permission_policy": {"type": t.policy}} for t in self.tools]
        agent: dict[str, Any] = {
            "name": self.name,
            "model": self.model,
            "tools": [{"type": TOOLSET_TYPE, "configs": configs}],
        }
        if self.system.strip():
            agent["system"] = self.system
        if self.roster:
            agent["multiagent"] = {
                "type": "coordinator",
                "agents": [{"type": "agent", "id": agent_id} for agent_id in self.roster],
            }
        return agent


def check_agent(
    name: str,
    model: str,
    custom_model: str,
    system: str,
    tools: Iterable[ToolChoice],
    roster: Iterable[str] = (),
) -> AgentSpec:
    name = name.strip()
    if not name:
        raise InvalidField("agent-name", "Give the new agent a name.")
    if len(name) > NAME_MAX:
        raise InvalidField("agent-name", f"An agent name is at most {NAME_MAX} characters.")
    if model == OTHER_MODEL:
        model = custom_model.strip()
        if not model:
            raise InvalidField("model-id", "Type the model id, e.g. claude-sonnet-4-6.")
        if any(c.isspace() for c in model):
            raise InvalidField("model-id", "A model id has no spaces.")
    roster = tuple(roster)
    if len(roster) > ROSTER_MAX:
        raise InvalidField(
            "roster", f"A coordinator's roster lists at most {ROSTER_MAX} agents ({len(roster)} picked)."
        )
    return AgentSpec(name=name, model=model, system=system, tools=tuple(tools), roster=roster)


def can_be_delegated_to(agent: Agent) -> bool:
    """An agent a coordinator's roster may list: one that does not coordinate (or advise) itself."""
    return agent.multiagent is None


@dataclass(frozen=True)
class RepoSpec:
    """A GitHub repository to mount; ``token`` is write-only and kept out of ``repr``."""

    url: str
    checkout: dict[str, str] | None
    mount_path: str | None
    token: str | None = field(default=None, repr=False)

    def body(self) -> dict[str, Any]:
        resource: dict[str, Any] = {"type": "github_repository", "url": self.url}
        if self.token:
            resource["authorization_token"] = self.token
        if self.checkout:
            resource["checkout"] = self.checkout
        if self.mount_path:
            resource["mount_path"] = self.mount_path
        return resource


def check_repo(url: str, token: str, checkout_kind: str, ref: str, mount_path: str) -> RepoSpec | None:
    """The repository to mount, or ``None`` when the URL and everything else are blank."""
    url, ref, mount_path = url.strip(), ref.strip(), mount_path.strip()
    if not url:
        if token or ref or mount_path:
            raise InvalidField("repo-url", "Give the repository's URL (or clear the other repository fields).")
        return None
    if not _REPO_URL.match(url):
        raise InvalidField("repo-url", "A repository URL looks like https://github.com/owner/repo.")
    checkout = None
    if ref:
        if checkout_kind == "commit":
            if not _SHA.match(ref):
                raise InvalidField("repo-ref", "A commit is 7 to 40 hexadecimal characters.")
            checkout = {"type": "commit", "sha": ref}
        else:
            checkout = {"type": "branch", "name": ref}
    if mount_path and not mount_path.startswith("/"):
        raise InvalidField("repo-mount", "A mount path is absolute, e.g. /workspace/repo.")
    return RepoSpec(url=url, checkout=checkout, mount_path=mount_path or None, token=token or None)


def _enabled(config: ToolDefaults | None, fallback: bool) -> bool:
    return config.enabled if config and config.enabled is not None else fallback


def _policy(config: ToolDefaults | None, fallback: str) -> str:
    return config.permission_policy.type if config and config.permission_policy else fallback


def agent_tools(agent: Agent) -> list[tuple[str, str]]:
    """(tool name, policy) of every enabled tool: built-ins, MCP toolsets and custom tools.

    A built-in tool without its own config follows the toolset's ``default_config`` (enabled,
    ``always_allow`` unless it says otherwise); MCP toolsets ask by default.
    """
    tools: list[tuple[str, str]] = []
    for tool in agent.tools:
        if isinstance(tool, AgentToolset):
            enabled, policy = _enabled(tool.default_config, True), _policy(tool.default_config, "always_allow")
            configs = {config.name: config for config in tool.configs or []}
            tools += [(n, _policy(configs.get(n), policy)) for n in TOOLS if _enabled(configs.get(n), enabled)]
        elif isinstance(tool, McpToolset):
            tools.append((f"mcp:{tool.mcp_server_name}", _policy(tool.default_config, "always_ask")))
        elif isinstance(tool, CustomTool):
            tools.append((f"custom:{tool.name}", "always_allow"))
    return tools


def agent_summary(agent: Agent) -> str:
    """One line for the agent picker: model, tools, and the tools that ask before each call."""
    tools = agent_tools(agent)
    builtins = [name for name, _ in tools if name in TOOLS]
    parts = [agent.model.id]
    if len(builtins) == len(TOOLS):
        parts.append("all built-in tools")
    else:
        parts.append(f"tools: {', '.join(builtins)}" if builtins else "no built-in tools")
    if others := [name for name, _ in tools if name not in TOOLS]:
        parts.append(", ".join(others))
    if asks := [name for name, policy in tools if policy == "always_ask"]:
        parts.append(f"asks first: {', '.join(asks)}")
    return " · ".join(parts)
