"""Request objects in their resolved response form: defaults filled in, shorthands expanded.

The official SDK validates responses strictly, so what the runtime returns must carry every field
it requires: ``model`` as an object, toolsets with a resolved ``default_config`` and complete
``configs`` entries, skills with a ``version``, networking and packages spelled out. These are
pure functions of wire dicts; they raise :class:`~app.runtime.errors.RouteError` for requests the
service refuses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.runtime.errors import RouteError
from app.runtime.policy import AGENT_TOOLSET, BUILTIN_TOOLS

_CUSTOM_TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_PACKAGE_MANAGERS = ("apt", "cargo", "gem", "go", "npm", "pip")
_METADATA_LIMITS = (16, 64, 512)  # pairs, key length, value length (agents and sessions)


# ----------------------------------------------------------------------------- environments


def networking(value: dict[str, Any] | None) -> dict[str, Any]:
    """``unrestricted`` (the default) or ``limited`` with every flag present."""
    if not value or value["type"] == "unrestricted":
        return {"type": "unrestricted"}
    return {
        **value,
        "allowed_hosts": list(value.get("allowed_hosts") or []),
        "allow_package_managers": bool(value.get("allow_package_managers")),
        "allow_mcp_servers": bool(value.get("allow_mcp_servers")),
    }


def packages(value: dict[str, Any] | None) -> dict[str, Any]:
    value = value or {}
    return {**value, "type": "packages", **{name: list(value.get(name) or []) for name in _PACKAGE_MANAGERS}}


def environment_config(value: dict[str, Any] | None, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """A resolved config; with ``current``, an update: omitted sub-fields are kept, and the type
    cannot change."""
    value = value or {"type": "cloud"}
    if current is not None:
        if value["type"] != current["type"]:
            raise RouteError.invalid_request(
                f"config.type cannot change from {current['type']!r} to {value['type']!r}",
                "invalid_config_type_change",
            )
        if value["type"] == "cloud":
            old_net, new_net = current.get("networking") or {}, value.get("networking")
            if new_net is not None and new_net.get("type") == old_net.get("type"):
                new_net = {**old_net, **new_net}
            value = {
                **current,
                **value,
                "networking": new_net if new_net is not None else old_net,
                "packages": {**(current.get("packages") or {}), **(value.get("packages") or {})},
            }
    if value["type"] == "self_hosted":
        return {"type": "self_hosted"}
    net = networking(value.get("networking"))
    resolved = {**value, "networking": net, "packages": packages(value.get("packages"))}
    has_packages = any(resolved["packages"][name] for name in _PACKAGE_MANAGERS)
    if has_packages and net["type"] == "limited" and not net["allow_package_managers"]:
        raise RouteError.invalid_request("config.packages under limited networking needs allow_package_managers: true")
    return resolved


# ----------------------------------------------------------------------------- metadata


def check_metadata(metadata: dict[str, Any]) -> None:
    """Refuse metadata over the agent/session limits (400 ``invalid_metadata``)."""
    pairs, key_len, value_len = _METADATA_LIMITS
    if len(metadata) > pairs:
        raise RouteError.invalid_request(f"metadata allows at most {pairs} pairs", "invalid_metadata")
    for key, value in metadata.items():
        if len(key) > key_len or (value is not None and len(value) > value_len):
            raise RouteError.invalid_request(
                f"metadata keys are at most {key_len} characters and values at most {value_len}", "invalid_metadata"
            )


def patch_metadata(
    current: dict[str, str], patch: Mapping[str, str | None], *, empty_deletes: bool = False
) -> dict[str, str]:
    """Apply a metadata patch: a string upserts, ``None`` (and ``""`` if ``empty_deletes``) deletes."""
    merged = dict(current)
    for key, value in patch.items():
        if value is None or (empty_deletes and value == ""):
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


# ----------------------------------------------------------------------------- agents


def model(value: str | dict[str, Any]) -> dict[str, Any]:
    """``"claude-..."`` -> ``{"id": ...}``; an effort level string becomes ``{"type": level}``."""
    if isinstance(value, str):
        return {"id": value}
    if isinstance(value.get("effort"), str):
        return {**value, "effort": {"type": value["effort"]}}
    return dict(value)


def _policy(value: dict[str, Any] | None, default: str) -> dict[str, Any]:
    return dict(value) if value else {"type": default}


def _defaults(value: dict[str, Any] | None, policy: str) -> dict[str, Any]:
    value = value or {}
    enabled = value.get("enabled")
    return {
        **value,
        "enabled": True if enabled is None else enabled,
        "permission_policy": _policy(value.get("permission_policy"), policy),
    }


def _tool_configs(
    configs: list[dict[str, Any]] | None, defaults: dict[str, Any], builtin: bool
) -> list[dict[str, Any]]:
    resolved = []
    for config in configs or []:
        name = config.get("name")
        if builtin and name not in BUILTIN_TOOLS:
            raise RouteError.invalid_request(
                f"unknown tool {name!r} in {AGENT_TOOLSET} configs; tools are {', '.join(BUILTIN_TOOLS)}"
            )
        entry = {
            **config,
            "enabled": defaults["enabled"] if config.get("enabled") is None else config["enabled"],
            "permission_policy": dict(config.get("permission_policy") or defaults["permission_policy"]),
        }
        if builtin:
            entry["type"] = name
        resolved.append(entry)
    return resolved


def tool(value: dict[str, Any]) -> dict[str, Any]:
    """One entry of ``tools`` (a toolset or a custom tool: the request models refuse other types)
    with its defaults resolved (agent toolset ``always_allow``, MCP toolsets ``always_ask``)."""
    kind = value["type"]
    if kind in (AGENT_TOOLSET, "mcp_toolset"):
        builtin = kind == AGENT_TOOLSET
        defaults = _defaults(value.get("default_config"), "always_allow" if builtin else "always_ask")
        configs = _tool_configs(value.get("configs"), defaults, builtin=builtin)
        return {**value, "default_config": defaults, "configs": configs}
    if not _CUSTOM_TOOL_NAME.match(value["name"]):
        raise RouteError.invalid_request(
            f"custom tool name {value['name']!r} must be 1-128 characters of A-Z a-z 0-9 _ -"
        )
    return {**value, "input_schema": {"type": "object", **(value.get("input_schema") or {})}}


def skill(value: dict[str, Any]) -> dict[str, Any]:
    return {**value, "version": value.get("version") or "latest"}


def definition(fields: dict[str, Any]) -> dict[str, Any]:
    """The resolved agent definition (name, description, system, model, tools, mcp_servers, skills,
    execution_identity, multiagent) from create/update fields; checks tools against servers."""
    tools = [tool(t) for t in fields.get("tools") or []]
    servers = list(fields.get("mcp_servers") or [])
    names = [s["name"] for s in servers]
    if len(set(names)) != len(names):
        raise RouteError.invalid_request("mcp_servers names must be unique")
    referenced = {t["mcp_server_name"] for t in tools if t["type"] == "mcp_toolset"}
    unknown, unused = sorted(referenced - set(names)), sorted(set(names) - referenced)
    if unknown:
        raise RouteError.invalid_request(f"mcp_toolset refers to unknown mcp server {unknown[0]!r}")
    if unused:
        raise RouteError.invalid_request(f"mcp server {unused[0]!r} needs an mcp_toolset in tools")
    if len(tools) > 256:
        raise RouteError.invalid_request("an agent has at most 256 tools")
    return {
        "name": fields["name"],
        "description": fields.get("description") or None,
        "system": fields.get("system") or None,
        "model": model(fields["model"]),
        "tools": tools,
        "mcp_servers": servers,
        "skills": [skill(s) for s in fields.get("skills") or []],
        "execution_identity": fields.get("execution_identity") or {"type": "service_account"},
        "multiagent": fields.get("multiagent"),
    }


#: The fields of a session's agent snapshot besides ``type``, ``id`` and ``version``.
SNAPSHOT_FIELDS = (
    "name",
    "description",
    "system",
    "model",
    "tools",
    "mcp_servers",
    "skills",
    "execution_identity",
    "multiagent",
)


def snapshot(agent: dict[str, Any]) -> dict[str, Any]:
    """A stored agent as a session's ``agent``: no metadata, no timestamps."""
    fields = {key: agent.get(key) for key in SNAPSHOT_FIELDS}
    return {"type": "agent", "id": agent["id"], "version": agent["version"], **fields}
