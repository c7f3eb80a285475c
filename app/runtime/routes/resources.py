"""``/v1/sessions/{id}/resources``: what is mounted in a session (reference §3.5): list, retrieve,
add (a file), update (a repository's new token), delete.

Repository tokens are stored apart from the resource and never come back. The session's own
``resources`` list follows every change.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.api.models import FileResourceParams, ResourceUpdateParams
from app.runtime.errors import RouteError, found
from app.runtime.ids import now
from app.runtime.routes.params import (
    EVENT_LIMITS,
    deleted_reply,
    limit,
    page,
    page_reply,
    read_body,
    reply,
    services,
    session_or_404,
)
from app.runtime.routes.sessions import new_resource


def _resource(request: Request, session: dict[str, Any]) -> dict[str, Any]:
    resource_id = request.path_params["resource_id"]
    return found(services(request).store.get_resource(session["id"], resource_id), "session_resource", resource_id)


def _save_session_resources(request: Request, session: dict[str, Any], resources: list[dict[str, Any]]) -> None:
    services(request).store.put_session({**session, "resources": resources, "updated_at": now()})


async def list_(request: Request) -> JSONResponse:
    """Everything unless ``limit`` says otherwise (at most 1000 a page)."""
    session = session_or_404(request)
    data, next_page = services(request).store.list_resources(
        session["id"], limit=limit(request, EVENT_LIMITS), cursor=page(request)
    )
    return page_reply(data, next_page)


async def retrieve(request: Request) -> JSONResponse:
    session = session_or_404(request)
    return reply(_resource(request, session))


async def add(request: Request) -> JSONResponse:
    """Only files can be added to a running session."""
    session = session_or_404(request)
    params, raw = await read_body(request, FileResourceParams)
    store = services(request).store
    found(store.get_file(params.file_id), "file", params.file_id)
    resource, _ = new_resource({**raw, "type": "file"}, now())
    if any(r.get("mount_path") == resource["mount_path"] for r in session["resources"]):
        raise RouteError.invalid_request(f"mount_path {resource['mount_path']} is already used by a resource")
    store.put_resource(session["id"], resource)
    _save_session_resources(request, session, [*session["resources"], resource])
    return reply(resource)


async def update(request: Request) -> JSONResponse:
    """A repository's new ``authorization_token``: stored, never returned."""
    session = session_or_404(request)
    resource = _resource(request, session)
    params, _ = await read_body(request, ResourceUpdateParams)
    if resource["type"] != "github_repository":
        kind = resource["type"]
        raise RouteError.invalid_request(f"only a github_repository resource has a token to update, not {kind}")
    if not params.authorization_token:
        raise RouteError.invalid_request("authorization_token must not be empty")
    changed = {**resource, "updated_at": now()}
    services(request).store.put_resource(session["id"], changed, secret=params.authorization_token)
    _save_session_resources(
        request, session, [changed if r.get("id") == changed["id"] else r for r in session["resources"]]
    )
    return reply(changed)


async def delete(request: Request) -> JSONResponse:
    session = session_or_404(request)
    resource = _resource(request, session)
    services(request).store.delete_resource(session["id"], resource["id"])
    _save_session_resources(request, session, [r for r in session["resources"] if r.get("id") != resource["id"]])
    return deleted_reply(resource["id"], "session_resource")


routes = [
    Route("/v1/sessions/{session_id}/resources", list_, methods=["GET"]),
    Route("/v1/sessions/{session_id}/resources", add, methods=["POST"]),
    Route("/v1/sessions/{session_id}/resources/{resource_id}", retrieve, methods=["GET"]),
    Route("/v1/sessions/{session_id}/resources/{resource_id}", update, methods=["POST"]),
    Route("/v1/sessions/{session_id}/resources/{resource_id}", delete, methods=["DELETE"]),
]
