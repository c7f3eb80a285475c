"""``/v1/sessions/{id}/resources``: what is mounted in a session (reference §3.5).

Repository tokens are stored apart from the resource and never come back.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.runtime.errors import found
from app.runtime.routes.params import EVENT_LIMITS, limit, page, page_reply, reply, services, session_or_404


async def list_(request: Request) -> JSONResponse:
    """Everything unless ``limit`` says otherwise (at most 1000 a page)."""
    session = session_or_404(request)
    data, next_page = services(request).store.list_resources(
        session["id"], limit=limit(request, EVENT_LIMITS), cursor=page(request)
    )
    return page_reply(data, next_page)


async def retrieve(request: Request) -> JSONResponse:
    session = session_or_404(request)
    resource_id = request.path_params["resource_id"]
    resource = services(request).store.get_resource(session["id"], resource_id)
    return reply(found(resource, "session_resource", resource_id))


routes = [
    Route("/v1/sessions/{session_id}/resources", list_, methods=["GET"]),
    Route("/v1/sessions/{session_id}/resources/{resource_id}", retrieve, methods=["GET"]),
]
