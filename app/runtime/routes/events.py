"""``/v1/sessions/{id}/events``: history, sending input, and the live stream (reference §3.4)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.api.models import SendEventsParams
from app.runtime.errors import RouteError
from app.runtime.routes.params import (
    EVENT_LIMITS,
    created_at,
    limit,
    one_of,
    order,
    page,
    query_list,
    read_body,
    reply,
    services,
    session_or_404,
    stored_page_reply,
)
from app.runtime.sse import DELTA_TYPES, STREAM_HEADERS, PreviewFilter, stream_response


async def list_(request: Request) -> Response:
    """Oldest first unless ``order=desc``; ``created_at[...]`` bounds compare with ``processed_at``."""
    session = session_or_404(request)
    data, next_page = services(request).store.list_events(
        session["id"],
        types=query_list(request, "types"),
        created_at=created_at(request),
        order=order(request, "asc"),
        limit=limit(request, EVENT_LIMITS),
        cursor=page(request),
        decode=False,
    )
    return stored_page_reply(data, next_page)


async def send(request: Request) -> JSONResponse:
    """Hand the input events to the engine; reply with their echoes."""
    params, _ = await read_body(request, SendEventsParams)
    session = session_or_404(request)
    if not params.events:
        raise RouteError.invalid_request("events: at least one event is needed")
    echoes = await services(request).engine.send(session["id"], [event.to_wire() for event in params.events])
    return reply({"data": echoes})


def open_stream(request: Request, session_id: str) -> Response:
    """Subscribe now (live events only, no replay) and stream with this request's ``event_deltas``;
    a ``HEAD`` gets the stream's headers only, without subscribing."""
    deltas = one_of(request, "event_deltas", DELTA_TYPES)
    if request.method == "HEAD":
        return Response(media_type="text/event-stream", headers=STREAM_HEADERS)
    svc = services(request)
    subscription = svc.log.subscribe(session_id, PreviewFilter(deltas).admits)
    return stream_response(subscription, svc.heartbeat, svc.encoder)


async def stream(request: Request) -> Response:
    return open_stream(request, session_or_404(request)["id"])


routes = [
    Route("/v1/sessions/{session_id}/events", list_, methods=["GET"]),
    Route("/v1/sessions/{session_id}/events", send, methods=["POST"]),
    Route("/v1/sessions/{session_id}/events/stream", stream, methods=["GET"]),
]
