"""Which tools an agent snapshot offers, and how each call's permission is decided.

Built-in tools come from the ``agent_toolset_20260401`` entry (enabled and ``always_allow`` unless
its ``default_config`` or a per-tool ``configs`` entry says otherwise); MCP tools from each
``mcp_toolset`` (``always_ask`` by default); custom tools are run by the client and have no policy.
Under ``auto`` the runtime judges the call itself: read-only tools are allowed, the rest ask.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from app.runtime.brain import ToolSpec, ToolUse

AGENT_TOOLSET = "agent_toolset_20260401"
BUILTIN_TOOLS = ("bash", "read", "write", "edit", "glob", "grep", "web_fetch", "web_search")
#: Tools ``auto`` lets run without asking.
READ_ONLY_TOOLS = frozenset({"read", "glob", "grep", "web_fetch", "web_search"})
#: In the offered tools, the name standing for "any other tool of this MCP server".
ANY_MCP_TOOL = "*"
#: The memory tool, offered when the session has a memory store attached.
MEMORY_TOOL = "memory"


@dataclass(frozen=True)
class Permission:
    """The verdict on one call: ``evaluated`` is ``allow``, ``ask`` or ``deny`` (the tool is not
    enabled); ``evaluation`` is the event's ``evaluation`` object (``None`` when denied)."""

    evaluated: str
    evaluation: dict[str, Any] | None = None


def _toolsets(agent: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [tool for tool in agent.get("tools") or [] if tool.get("type") == type_]


def _setting(toolset: dict[str, Any], name: str, default_policy: str) -> tuple[bool, str]:
    """(enabled, policy type) of tool ``name`` in a toolset, per-tool config over the default."""
    defaults = toolset.get("default_config") or {}
    enabled = defaults.get("enabled")
    policy = (defaults.get("permission_policy") or {}).get("type")
    for config in toolset.get("configs") or []:
        if config.get("name") == name:
            if config.get("enabled") is not None:
                enabled = config["enabled"]
            policy = (config.get("permission_policy") or {}).get("type") or policy
    return (True if enabled is None else bool(enabled)), policy or default_policy


def _mcp_toolset(agent: dict[str, Any], server: str | None) -> dict[str, Any] | None:
    for toolset in _toolsets(agent, "mcp_toolset"):
        if toolset.get("mcp_server_name") == server:
            return toolset
    return None


def offered_tools(agent: dict[str, Any], runnable: Collection[str] = BUILTIN_TOOLS) -> list[ToolSpec]:
    """The tools a brain may call: the enabled built-ins among ``runnable`` (those the runtime can
    run), the enabled tools of each MCP toolset, and the custom tools."""
    specs: list[ToolSpec] = []
    for toolset in _toolsets(agent, AGENT_TOOLSET)[:1]:
        specs += [
            ToolSpec(name) for name in BUILTIN_TOOLS if name in runnable and _setting(toolset, name, "always_allow")[0]
        ]
    for toolset in _toolsets(agent, "mcp_toolset"):
        server = toolset.get("mcp_server_name")
        names = [config["name"] for config in toolset.get("configs") or [] if config.get("name")]
        if _setting(toolset, ANY_MCP_TOOL, "always_ask")[0]:
            names.append(ANY_MCP_TOOL)
        specs += [
            ToolSpec(name, "mcp", mcp_server_name=server) for name in names if _setting(toolset, name, "always_ask")[0]
        ]
    for tool in _toolsets(agent, "custom"):
        description, schema = tool.get("description") or "", tool.get("input_schema")
        specs.append(ToolSpec(tool["name"], "custom", description=description, input_schema=schema))
    return specs


def _verdict(name: str, policy: str) -> Permission:
    if policy == "always_allow":
        return Permission("allow", {"type": "always_allow"})
    if policy == "auto":
        if name in READ_ONLY_TOOLS:
            return Permission("allow", {"type": "auto", "evaluated_permission": {"type": "allow"}})
        return Permission("ask", {"type": "auto", "evaluated_permission": {"type": "ask", "reason_code": "high_risk"}})
    return Permission("ask", {"type": "always_ask"})  # always_ask, and any policy we do not know


def evaluate(agent: dict[str, Any], use: ToolUse) -> Permission:
    """The permission of a built-in or MCP call under the agent's policies (custom calls have none)."""
    if use.kind == "mcp":
        toolset = _mcp_toolset(agent, use.mcp_server_name)
        if toolset is None:
            return Permission("deny")
        enabled, policy = _setting(toolset, use.name, "always_ask")
    elif use.name == MEMORY_TOOL:
        return Permission("allow", {"type": "always_allow"})  # attaching a store is the user's consent
    else:
        toolsets = _toolsets(agent, AGENT_TOOLSET)
        if not toolsets or use.name not in BUILTIN_TOOLS:
            return Permission("deny")
        enabled, policy = _setting(toolsets[0], use.name, "always_allow")
    return _verdict(use.name, policy) if enabled else Permission("deny")


def is_custom_tool(agent: dict[str, Any], name: str) -> bool:
    """Whether the agent defines a custom tool called ``name``."""
    return any(tool.get("name") == name for tool in _toolsets(agent, "custom"))
