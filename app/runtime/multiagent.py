"""An agent's ``multiagent`` settings (reference §4.2): validated and resolved for the agent, and
expanded to full definitions for a session's snapshot (§4.3).

On an agent, a ``coordinator`` roster lists 1-20 agents: an id (latest version), ``{type: agent,
id, version?}``, ``{type: self}`` or ``{type: advisor, model}``; every agent reference resolves to
``{type: agent, id, version}``. The referenced agents must exist, must not have ``multiagent``
themselves, must not name the agent itself by id (``{type: self}`` does that) and must not repeat.
``multiagent_20261001`` resolves each member (``advisor``, ``subagents``, ``workflows``) to
``enabled`` or ``disabled``, with ``predefined_agents`` (at most 20) resolved and checked the same
way. A session's snapshot carries the roster's full agent definitions instead of references.
"""

from __future__ import annotations

from typing import Any

from app.runtime.errors import RouteError
from app.runtime.ids import new_id, new_object
from app.runtime.store import Store

MAX_ROSTER = 20
#: The fields of a roster member's definition in a session (a ``session_thread`` agent).
THREAD_AGENT_FIELDS = ("name", "description", "system", "model", "tools", "mcp_servers", "skills", "execution_identity")


def _reference(store: Store, entry: Any, where: str, self_ref: dict[str, Any]) -> dict[str, Any]:
    """One roster entry resolved to ``{type: agent, id, version}`` (or an advisor, kept)."""
    if isinstance(entry, str):
        entry = {"type": "agent", "id": entry}
    if not isinstance(entry, dict):
        raise RouteError.invalid_request(f"{where}: a roster entry is an agent id or an object")
    kind = entry.get("type")
    if kind == "self":
        return dict(self_ref)
    if kind == "advisor":
        if not isinstance(entry.get("model"), str) or not entry["model"]:
            raise RouteError.invalid_request(f"{where}: an advisor needs a model")
        return {"type": "advisor", "model": entry["model"]}
    if kind != "agent" or not isinstance(entry.get("id"), str):
        raise RouteError.invalid_request(
            f"{where}: unknown roster entry type {kind!r}; use an agent id, agent, self or advisor"
        )
    agent_id, version = entry["id"], entry.get("version")
    if agent_id == self_ref["id"] and version is not None:  # a resolved self reference sent back
        return dict(self_ref)
    if agent_id == self_ref["id"]:
        raise RouteError.invalid_request(f'{where}: an agent cannot list itself by id; use {{"type": "self"}}')
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise RouteError.invalid_request(f"{where}: version must be an integer")
    agent = store.get_agent(agent_id, version)
    if agent is None:
        shown = agent_id if version is None else f"{agent_id} version {version}"
        raise RouteError.invalid_request(f"{where}: no agent {shown!r}")
    if agent.get("multiagent"):
        raise RouteError.invalid_request(
            f"{where}: agent {agent_id!r} has multiagent settings itself; roster agents must not"
        )
    return {"type": "agent", "id": agent["id"], "version": agent["version"]}


def _references(
    store: Store, entries: Any, where: str, self_ref: dict[str, Any], *, least: int
) -> list[dict[str, Any]]:
    if not isinstance(entries, list) or not least <= len(entries) <= MAX_ROSTER:
        raise RouteError.invalid_request(f"{where}: between {least} and {MAX_ROSTER} agents are needed")
    resolved = [_reference(store, entry, f"{where}[{index}]", self_ref) for index, entry in enumerate(entries)]
    seen: set[str] = set()
    for index, ref in enumerate(resolved):
        key = ref.get("id") or f"advisor:{ref.get('model')}"
        if key in seen:
            raise RouteError.invalid_request(f"{where}[{index}]: {key!r} is listed twice")
        seen.add(key)
    return resolved


def _member(store: Store, value: Any, where: str, self_ref: dict[str, Any], *, agents: bool) -> dict[str, Any]:
    """An ``advisor`` / ``subagents`` / ``workflows`` member: ``disabled`` unless enabled."""
    if not value or value.get("type") == "disabled":
        return {"type": "disabled"}
    if value.get("type") != "enabled":
        raise RouteError.invalid_request(f"{where}.type must be 'enabled' or 'disabled'")
    if not agents:
        if not isinstance(value.get("model"), str) or not value["model"]:
            raise RouteError.invalid_request(f"{where}: an enabled advisor needs a model")
        return {"type": "enabled", "model": value["model"]}
    inline = value.get("inline_agents") or {"type": "disabled"}
    if inline.get("type") not in ("enabled", "disabled"):
        raise RouteError.invalid_request(f"{where}.inline_agents.type must be 'enabled' or 'disabled'")
    predefined = _references(
        store, value.get("predefined_agents") or [], f"{where}.predefined_agents", self_ref, least=0
    )
    if any(ref["type"] != "agent" for ref in predefined):
        raise RouteError.invalid_request(f"{where}.predefined_agents: only agents may be listed")
    return {**value, "type": "enabled", "inline_agents": {"type": inline["type"]}, "predefined_agents": predefined}


def resolve(store: Store, value: dict[str, Any] | None, self_id: str, self_version: int) -> dict[str, Any] | None:
    """``multiagent`` of an agent being written as ``self_id`` version ``self_version``, resolved;
    400 for what the service refuses."""
    if value is None:
        return None
    self_ref = {"type": "agent", "id": self_id, "version": self_version}
    kind = value.get("type")
    if kind == "coordinator":
        return {
            "type": "coordinator",
            "agents": _references(store, value.get("agents"), "multiagent.agents", self_ref, least=1),
        }
    if kind == "multiagent_20261001":
        return {
            "type": "multiagent_20261001",
            "advisor": _member(store, value.get("advisor"), "multiagent.advisor", self_ref, agents=False),
            "subagents": _member(store, value.get("subagents"), "multiagent.subagents", self_ref, agents=True),
            "workflows": _member(store, value.get("workflows"), "multiagent.workflows", self_ref, agents=True),
        }
    raise RouteError.invalid_request(f"multiagent.type {kind!r} is not one of 'coordinator', 'multiagent_20261001'")


def new_thread(session_id: str, agent: dict[str, Any], parent_thread_id: str | None) -> dict[str, Any]:
    """A new, idle ``session_thread`` record: the primary one (no parent) or a child."""
    fields = {
        "session_id": session_id,
        "parent_thread_id": parent_thread_id,
        "agent": agent,
        "status": "idle",
        "stats": None,
        "usage": None,
        "workflow_run_id": None,
    }
    return new_object("session_thread", new_id("sthr"), fields)


def thread_agent(agent: dict[str, Any]) -> dict[str, Any]:
    """An agent (stored or snapshotted) as a ``session_thread``'s agent: no roster, no metadata."""
    return {
        "type": "agent",
        "id": agent["id"],
        "version": agent["version"],
        **{k: agent.get(k) for k in THREAD_AGENT_FIELDS},
    }


def _definition(store: Store, ref: dict[str, Any], session_agent: dict[str, Any]) -> dict[str, Any]:
    if ref.get("type") != "agent":
        return dict(ref)
    if ref["id"] == session_agent["id"]:
        return thread_agent(session_agent)
    agent = store.get_agent(ref["id"], ref.get("version"))
    if agent is None:  # agents are never deleted; kept as a reference should it happen
        return dict(ref)
    return thread_agent(agent)


def for_session(store: Store, session_agent: dict[str, Any]) -> dict[str, Any] | None:
    """The session snapshot's ``multiagent``: the roster's full agent definitions."""
    value: dict[str, Any] | None = session_agent.get("multiagent")
    if not value:
        return None
    if value.get("type") == "coordinator":
        return {**value, "agents": [_definition(store, ref, session_agent) for ref in value.get("agents") or []]}
    if value.get("type") == "multiagent_20261001":
        expanded = dict(value)
        for member in ("subagents", "workflows"):
            part = value.get(member) or {"type": "disabled"}
            if part.get("type") == "enabled":
                part = {
                    **part,
                    "predefined_agents": [
                        _definition(store, r, session_agent) for r in part.get("predefined_agents") or []
                    ],
                }
            expanded[member] = part
        return expanded
    return value


def roster(session_agent: dict[str, Any]) -> list[dict[str, Any]]:
    """The agent definitions a session's coordinator may delegate to (advisors left out)."""
    value = session_agent.get("multiagent") or {}
    if value.get("type") == "coordinator":
        entries = value.get("agents") or []
    elif value.get("type") == "multiagent_20261001" and (value.get("subagents") or {}).get("type") == "enabled":
        entries = value["subagents"].get("predefined_agents") or []
    else:
        entries = []
    return [entry for entry in entries if entry.get("type") == "agent" and entry.get("name")]
