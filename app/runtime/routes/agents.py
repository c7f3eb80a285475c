"""``/v1/agents``: versioned agents: create, retrieve, update (optimistic lock), list, archive,
versions (reference §3.2)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.api.models import AgentCreateParams, AgentUpdateParams
from app.runtime import multiagent, resolve
from app.runtime.errors import RouteError, found
from app.runtime.ids import new_id, new_object, now
from app.runtime.routes.params import (
    OBJECT_LIMITS,
    archive_object,
    created_at,
    integer,
    limit,
    object_page,
    page,
    page_reply,
    read_body,
    reply,
    services,
)

#: Fields an update replaces whole when present (``null`` clears the lists).
_REPLACED = ("tools", "mcp_servers", "skills", "execution_identity")


def find_agent(request: Request, agent_id: str, version: int | None = None) -> dict[str, Any]:
    """The agent (latest or ``version``), else 404 ``agent_not_found``."""
    shown = agent_id if version is None else f"{agent_id} version {version}"
    return found(services(request).store.get_agent(agent_id, version), "agent", shown)


async def create(request: Request) -> JSONResponse:
    _, raw = await read_body(request, AgentCreateParams)
    resolve.check_metadata(raw.get("metadata") or {})
    agent_id = new_id("agent")
    definition = resolve.definition(raw)
    definition["multiagent"] = multiagent.resolve(services(request).store, raw.get("multiagent"), agent_id, 1)
    agent = new_object("agent", agent_id, {"version": 1, **definition, "metadata": dict(raw.get("metadata") or {})})
    services(request).store.put_agent(agent)
    return reply(agent)


async def retrieve(request: Request) -> JSONResponse:
    version = integer(request, "version")
    return reply(find_agent(request, request.path_params["agent_id"], version))


def _multiagent(current: dict[str, Any] | None, given: dict[str, Any] | None) -> dict[str, Any] | None:
    """Replaced, except that ``multiagent_20261001`` merges into a stored value of that type."""
    if given and current and given.get("type") == current.get("type") == "multiagent_20261001":
        return {**current, **given}
    return given


async def update(request: Request) -> JSONResponse:
    agent = find_agent(request, request.path_params["agent_id"])
    params, raw = await read_body(request, AgentUpdateParams)
    if params.version is not None and params.version != agent["version"]:
        raise RouteError.conflict(
            f"agent {agent['id']!r} is at version {agent['version']}, not {params.version}: read it again and retry"
        )
    for field in ("name", "model"):
        if field in raw and raw[field] is None:
            raise RouteError.invalid_request(f"{field} cannot be cleared")
    fields = {key: agent[key] for key in resolve.SNAPSHOT_FIELDS}
    fields.update({key: raw[key] for key in ("name", "model", "description", "system") if key in raw})
    fields.update({key: raw[key] for key in _REPLACED if key in raw})
    if "multiagent" in raw:
        merged = _multiagent(agent.get("multiagent"), raw["multiagent"])
        fields["multiagent"] = multiagent.resolve(services(request).store, merged, agent["id"], agent["version"] + 1)
    metadata = agent["metadata"]
    if params.metadata is not None:
        metadata = resolve.patch_metadata(metadata, params.metadata)
        resolve.check_metadata(metadata)
    changed = {**agent, **resolve.definition(fields), "metadata": metadata}
    if changed == agent:
        return reply(agent)
    changed.update(version=agent["version"] + 1, updated_at=now())
    services(request).store.put_agent(changed)
    return reply(changed)


async def list_(request: Request) -> JSONResponse:
    return object_page(request, services(request).store.list_agents, created_at=created_at(request))


async def archive(request: Request) -> JSONResponse:
    agent = find_agent(request, request.path_params["agent_id"])
    return reply(archive_object(agent, services(request).store.put_agent))


async def versions(request: Request) -> JSONResponse:
    agent = find_agent(request, request.path_params["agent_id"])
    data, next_page = services(request).store.list_agent_versions(
        agent["id"], limit=limit(request, OBJECT_LIMITS), cursor=page(request)
    )
    return page_reply(data, next_page)


routes = [
    Route("/v1/agents", create, methods=["POST"]),
    Route("/v1/agents", list_, methods=["GET"]),
    Route("/v1/agents/{agent_id}", retrieve, methods=["GET"]),
    Route("/v1/agents/{agent_id}", update, methods=["POST"]),
    Route("/v1/agents/{agent_id}/archive", archive, methods=["POST"]),
    Route("/v1/agents/{agent_id}/versions", versions, methods=["GET"]),
]
