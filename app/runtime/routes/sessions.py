"""``/v1/sessions``: create (agent snapshot, resources, primary thread, initial events), retrieve,
update (emits ``session.updated``), list, archive, delete (reference §3.3)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.api.models import SessionCreateParams, SessionUpdateParams
from app.runtime import memories, multiagent, resolve
from app.runtime.errors import RouteError, found
from app.runtime.ids import new_id, new_object, now
from app.runtime.routes.agents import find_agent
from app.runtime.routes.params import (
    OBJECT_LIMITS,
    archive_object,
    created_at,
    deleted_reply,
    flag,
    integer,
    limit,
    one_of,
    order,
    page,
    page_reply,
    read_body,
    reply,
    services,
    session_or_404,
)
from app.runtime.store import Store

STATUSES = ("rescheduling", "running", "idle", "terminated")
_INITIAL_EVENT_TYPES = ("user.message", "user.define_outcome")
_OVERRIDES = ("model", "system", "tools", "mcp_servers", "skills")


def _session_agent(request: Request, ref: str | dict[str, Any]) -> dict[str, Any]:
    """The snapshot for ``agent``, its roster expanded to full definitions."""
    agent = _snapshot(request, ref)
    return {**agent, "multiagent": multiagent.for_session(services(request).store, agent)}


def _snapshot(request: Request, ref: str | dict[str, Any]) -> dict[str, Any]:
    """The snapshot for ``agent``: an id (latest version), ``{type: agent}`` or
    ``{type: agent_with_overrides}``."""
    if isinstance(ref, str):
        return resolve.snapshot(find_agent(request, ref))
    agent = resolve.snapshot(find_agent(request, ref["id"], ref.get("version")))
    if ref["type"] == "agent":
        return agent
    fields = {**agent, **{key: ref[key] for key in _OVERRIDES if key in ref}}
    return {**agent, **resolve.definition(fields)}


def new_resource(raw: dict[str, Any], stamp: str) -> tuple[dict[str, Any], str | None]:
    """A resource as returned, and its write-only token (kept apart)."""
    kind = raw["type"]
    if kind == "memory_store":
        return dict(raw), None
    resource = {"type": kind, "id": new_id("sesrsc")}
    if kind == "github_repository":
        repo = raw["url"].rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
        resource.update(
            url=raw["url"],
            mount_path=raw.get("mount_path") or f"/workspace/{repo}",
            checkout=raw.get("checkout"),
        )
    else:
        resource.update(
            file_id=raw["file_id"], mount_path=raw.get("mount_path") or f"/mnt/session/uploads/{raw['file_id']}"
        )
    resource.update(created_at=stamp, updated_at=stamp)
    return resource, raw.get("authorization_token")


def put_new_session(
    store: Store, environment_id: str, agent: dict[str, Any], stamp: str, **fields: Any
) -> dict[str, Any]:
    """Store a new idle session running ``agent``, and its primary thread; ``fields`` fill in
    ``title``, ``resources``, ``metadata``, ``vault_ids`` or ``budget``. Returns the session."""
    defaults: dict[str, Any] = {
        "title": None,
        "status": "idle",
        "environment_id": environment_id,
        "agent": agent,
        "resources": [],
        "metadata": {},
        "vault_ids": [],
        "budget": None,
        "outcome_evaluations": [],
        "stats": {},
        "usage": {},
        "deployment_id": None,
    }
    session = {**new_object("session", new_id("sesn"), defaults, stamp), **fields}
    store.put_session(session)
    store.put_thread(multiagent.new_thread(session["id"], agent, None))
    return session


async def create(request: Request) -> JSONResponse:
    params, raw = await read_body(request, SessionCreateParams)
    svc = services(request)
    env = found(svc.store.get_environment(params.environment_id), "environment", params.environment_id)
    if env["archived_at"] is not None:
        raise RouteError.invalid_request(f"environment {env['id']!r} is archived", "environment_archived")
    agent = _session_agent(request, raw["agent"])
    resolve.check_metadata(params.metadata or {})
    initial = [event.to_wire() for event in params.initial_events or []]
    if len(initial) > 50:
        raise RouteError.invalid_request("initial_events allows at most 50 events")
    for index, event in enumerate(initial):
        if event["type"] not in _INITIAL_EVENT_TYPES:
            raise RouteError.invalid_request(
                f"initial_events.{index}: only user.message and user.define_outcome, not {event['type']}"
            )
    for vault_id in params.vault_ids or []:
        found(svc.store.get_vault(vault_id), "vault", vault_id)
    stamp = now()
    for item in raw.get("resources") or []:
        if item["type"] == "file":
            found(svc.store.get_file(item["file_id"]), "file", item["file_id"])
    resources = [new_resource(memories.attach(svc.store, item), stamp) for item in raw.get("resources") or []]
    session = put_new_session(
        svc.store,
        env["id"],
        agent,
        stamp,
        title=params.title,
        resources=[resource for resource, _ in resources],
        metadata=dict(params.metadata or {}),
        vault_ids=list(params.vault_ids or []),
        budget=raw.get("budget"),
    )
    for resource, token in resources:
        svc.store.put_resource(session["id"], resource, secret=token)
    if initial:
        await svc.engine.send(session["id"], initial)
    return reply(svc.store.get_session(session["id"]))


async def retrieve(request: Request) -> JSONResponse:
    return reply(session_or_404(request))


def _apply_update(session: dict[str, Any], params: SessionUpdateParams, raw: dict[str, Any]) -> dict[str, Any]:
    """The fields that change, as ``session.updated`` carries them."""
    changes: dict[str, Any] = {}
    if "title" in raw and params.title != session["title"]:
        changes["title"] = params.title
    if params.metadata is not None:
        metadata = resolve.patch_metadata(session["metadata"], params.metadata)
        resolve.check_metadata(metadata)
        if metadata != session["metadata"]:
            changes["metadata"] = metadata
    if "budget" in raw:
        if raw["budget"] is not None and session["budget"] is None:
            raise RouteError.invalid_request(
                "a budget can only be added when the session is created", "budget_create_only"
            )
        if raw["budget"] != session["budget"]:
            changes["budget"] = raw["budget"]
    if raw.get("agent") is not None:
        if session["status"] == "running":
            raise RouteError.invalid_request("the agent's tools cannot change while the session is running")
        given = {key: raw["agent"][key] or [] for key in ("tools", "mcp_servers") if key in raw["agent"]}
        agent = {**session["agent"], **resolve.definition({**session["agent"], **given})}
        if agent != session["agent"]:
            changes["agent"] = agent
    if raw.get("vault_ids") is not None:
        raise RouteError.invalid_request("vault_ids cannot be changed after the session is created")
    return changes


async def update(request: Request) -> JSONResponse:
    params, raw = await read_body(request, SessionUpdateParams)
    session = session_or_404(request)
    changes = _apply_update(session, params, raw)
    if not changes:
        return reply(session)
    session = {**session, **changes, "updated_at": now()}
    svc = services(request)
    svc.store.put_session(session)
    await svc.log.emit(session["id"], {"type": "session.updated", **changes})
    return reply(session)


async def list_(request: Request) -> JSONResponse:
    agent_version = integer(request, "agent_version")
    agent_id = request.query_params.get("agent_id")
    if agent_version is not None and agent_id is None:
        raise RouteError.invalid_request("agent_version needs agent_id")
    data, next_page, prev_page = services(request).store.list_sessions(
        agent_id=agent_id,
        agent_version=agent_version,
        deployment_id=request.query_params.get("deployment_id"),
        memory_store_id=request.query_params.get("memory_store_id"),
        statuses=one_of(request, "statuses", STATUSES),
        created_at=created_at(request),
        include_archived=flag(request, "include_archived"),
        order=order(request, "desc"),
        limit=limit(request, OBJECT_LIMITS),
        cursor=page(request),
    )
    return page_reply(data, next_page, prev_page=prev_page)


async def archive(request: Request) -> JSONResponse:
    return reply(archive_object(session_or_404(request), services(request).store.put_session))


async def delete(request: Request) -> JSONResponse:
    session = session_or_404(request)
    await services(request).engine.delete_session(session["id"])
    return deleted_reply(session["id"], "session")


routes = [
    Route("/v1/sessions", create, methods=["POST"]),
    Route("/v1/sessions", list_, methods=["GET"]),
    Route("/v1/sessions/{session_id}", retrieve, methods=["GET"]),
    Route("/v1/sessions/{session_id}", update, methods=["POST"]),
    Route("/v1/sessions/{session_id}", delete, methods=["DELETE"]),
    Route("/v1/sessions/{session_id}/archive", archive, methods=["POST"]),
]
