"""The agent editor's rules, without widgets: custom tools, MCP servers, the update body, diffs.

Each check raises :class:`~app.tui.screens.session_spec.InvalidField` naming the editor field (its
widget id, numbered per row: ``custom-schema-0``, ``mcp-url-1``…) so the form can show the message
under it.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from typing import Any

from app.api.models import Agent, AgentToolset, CustomTool, McpToolset, UrlMcpServer
from app.tui.screens.session_spec import AgentSpec, InvalidField

_TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_SERVER_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")
#: Fields that change with every version whatever was edited; left out of diffs.
_VOLATILE = ("version", "updated_at")
EMPTY_SCHEMA = '{\n  "type": "object",\n  "properties": {}\n}'


def check_schema(text: str, field: str) -> dict[str, Any]:
    """A custom tool's ``input_schema`` from its JSON text: an object schema whose ``properties``
    are objects and whose ``required`` names only those properties."""
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidField(field, f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).") from None
    if not isinstance(schema, dict):
        raise InvalidField(field, 'The input schema is a JSON object, e.g. {"type": "object", "properties": {}}.')
    if schema.get("type", "object") != "object":
        raise InvalidField(field, f'A tool\'s input schema has "type": "object", not {json.dumps(schema["type"])}.')
    properties = schema.get("properties", {})
    if not isinstance(properties, dict) or not all(isinstance(p, dict) for p in properties.values()):
        raise InvalidField(field, '"properties" maps each parameter name to its schema object.')
    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(name, str) for name in required):
        raise InvalidField(field, '"required" is a list of parameter names.')
    if missing := [name for name in required if name not in properties]:
        raise InvalidField(field, f'"required" names {missing[0]!r}, which is not in "properties".')
    return {"type": "object", **schema}


def check_custom_tool(row: int, name: str, description: str, schema: str) -> dict[str, Any]:
    """The ``custom`` tool of row ``row`` of the editor."""
    name = name.strip()
    if not _TOOL_NAME.match(name):
        raise InvalidField(f"custom-name-{row}", "A tool name is 1-128 characters of A-Z a-z 0-9 _ -.")
    if not description.strip():
        raise InvalidField(f"custom-description-{row}", "Say what the tool does: the agent reads this to pick it.")
    input_schema = check_schema(schema, f"custom-schema-{row}")
    return {"type": "custom", "name": name, "description": description.strip(), "input_schema": input_schema}


def check_mcp_server(row: int, name: str, url: str) -> dict[str, Any]:
    """The MCP server of row ``row`` of the editor."""
    name, url = name.strip(), url.strip()
    if not _SERVER_NAME.match(name):
        raise InvalidField(f"mcp-name-{row}", "A server name is 1-64 characters of A-Z a-z 0-9 _ -.")
    if not _URL.match(url):
        raise InvalidField(f"mcp-url-{row}", "An MCP server URL looks like https://example.com/mcp.")
    return {"type": "url", "name": name, "url": url}


def unique(rows: list[tuple[int, dict[str, Any]]], field_prefix: str, what: str) -> list[dict[str, Any]]:
    """The items of ``(row number, item)`` pairs when their names differ; else a InvalidField on
    the second of a pair."""
    seen: set[str] = set()
    for row, item in rows:
        if item["name"] in seen:
            raise InvalidField(f"{field_prefix}-{row}", f"Two {what} are named {item['name']!r}.")
        seen.add(item["name"])
    return [item for _, item in rows]


def custom_tools(agent: Agent | None) -> list[CustomTool]:
    return [tool for tool in agent.tools if isinstance(tool, CustomTool)] if agent else []


def mcp_servers(agent: Agent | None) -> list[UrlMcpServer]:
    return [server for server in agent.mcp_servers if isinstance(server, UrlMcpServer)] if agent else []


def agent_body(
    agent: Agent | None,
    spec: AgentSpec,
    tools: list[dict[str, Any]],
    servers: list[dict[str, Any]],
    skill_ids: Iterable[str],
    version: int | None,
) -> dict[str, Any]:
    """The body that makes ``agent`` what the editor shows (``POST /v1/agents/{id}``, locked to
    ``version``), or that creates it when ``agent`` is None (``POST /v1/agents``). MCP toolsets
    follow the servers (an existing one keeps its configs); the built-in toolset is left out when
    every tool is off; a skill kept keeps its pinned version."""
    created = spec.body()
    toolset = created["tools"][0] if any(t.enabled for t in spec.tools) else None
    old_tools = agent.tools if agent else []
    kept_toolsets = {t.mcp_server_name: t.to_wire() for t in old_tools if isinstance(t, McpToolset)}
    toolsets = [kept_toolsets.get(s["name"], {"type": "mcp_toolset", "mcp_server_name": s["name"]}) for s in servers]
    others = [t.to_wire() for t in old_tools if not isinstance(t, (AgentToolset, McpToolset, CustomTool))]
    pinned = {sid: s.to_wire() for s in (agent.skills if agent else []) if (sid := getattr(s, "skill_id", None))}
    body: dict[str, Any] = {
        **({"version": version} if agent else {}),
        "name": spec.name,
        "model": spec.model,
        "system": spec.system if spec.system.strip() else None,
        "tools": [*([toolset] if toolset else []), *toolsets, *tools, *others],
        "mcp_servers": servers,
        "skills": [pinned.get(skill_id, {"type": "custom", "skill_id": skill_id}) for skill_id in skill_ids],
    }
    if "multiagent" in created:
        body["multiagent"] = created["multiagent"]
    elif agent is not None and getattr(agent.multiagent, "type", None) == "coordinator":
        body["multiagent"] = None
    return body


def version_diff(older: Agent, newer: Agent) -> list[str]:
    """A unified diff of two versions' JSON (keys sorted; version and update time left out)."""

    def lines(agent: Agent) -> list[str]:
        wire = {key: value for key, value in agent.to_wire().items() if key not in _VOLATILE}
        return json.dumps(wire, indent=2, sort_keys=True, ensure_ascii=False).splitlines()

    return list(
        difflib.unified_diff(
            lines(older), lines(newer), f"version {older.version}", f"version {newer.version}", lineterm=""
        )
    )
