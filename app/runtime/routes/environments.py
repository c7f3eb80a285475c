"""``/v1/environments``: create, retrieve, update, list, archive, delete (reference §3.1)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.api.models import EnvironmentCreateParams, EnvironmentUpdateParams
from app.runtime import resolve
from app.runtime.errors import RouteError, found
from app.runtime.ids import new_id, new_object
from app.runtime.routes.params import (
    archive_object,
    delete_reply,
    object_page,
    read_body,
    reply,
    saved_reply,
    services,
)


def _environment(request: Request) -> dict[str, Any]:
    env_id = request.path_params["environment_id"]
    return found(services(request).store.get_environment(env_id), "environment", env_id)


async def create(request: Request) -> JSONResponse:
    params, raw = await read_body(request, EnvironmentCreateParams)
    fields = {
        "name": params.name,
        "description": params.description,
        "scope": params.scope or "organization",
        "config": resolve.environment_config(raw.get("config")),
        "metadata": resolve.patch_metadata({}, params.metadata or {}, empty_deletes=True),
    }
    env = new_object("environment", new_id("env"), fields)
    services(request).store.put_environment(env)
    return reply(env)


async def retrieve(request: Request) -> JSONResponse:
    return reply(_environment(request))


async def update(request: Request) -> JSONResponse:
    env = _environment(request)
    params, raw = await read_body(request, EnvironmentUpdateParams)
    if env["archived_at"] is not None:
        raise RouteError.invalid_request(f"environment {env['id']!r} is archived", "environment_archived")
    changed = dict(env)
    if raw.get("name") is not None:
        changed["name"] = params.name
    if "description" in raw:
        changed["description"] = params.description
    if raw.get("scope") is not None:
        changed["scope"] = params.scope
    if raw.get("config") is not None:
        changed["config"] = resolve.environment_config(raw["config"], env["config"])
    if params.metadata is not None:
        changed["metadata"] = resolve.patch_metadata(env["metadata"], params.metadata, empty_deletes=True)
    return saved_reply(changed, env, services(request).store.put_environment)


async def list_(request: Request) -> JSONResponse:
    return object_page(request, services(request).store.list_environments)


async def archive(request: Request) -> JSONResponse:
    return reply(archive_object(_environment(request), services(request).store.put_environment))


async def delete(request: Request) -> JSONResponse:
    """Deletes by id without reading the row first, so even an unreadable one can go; refused
    while sessions use it."""
    env_id = request.path_params["environment_id"]
    store = services(request).store
    in_use = store.sessions_using_environment(env_id)
    if in_use:
        raise RouteError.invalid_request(
            f"environment {env_id!r} is used by {in_use} session(s): delete them first, or archive the environment",
            "environment_in_use",
        )
    return delete_reply(env_id, "environment", store.delete_environment)


routes = [
    Route("/v1/environments", create, methods=["POST"]),
    Route("/v1/environments", list_, methods=["GET"]),
    Route("/v1/environments/{environment_id}", retrieve, methods=["GET"]),
    Route("/v1/environments/{environment_id}", update, methods=["POST"]),
    Route("/v1/environments/{environment_id}", delete, methods=["DELETE"]),
    Route("/v1/environments/{environment_id}/archive", archive, methods=["POST"]),
]
