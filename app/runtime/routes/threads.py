"""``/v1/sessions/{id}/threads``: the session's threads (reference §3.6).

Every session has its primary thread, created with the session: its status, usage and stats are
the session's, and its events are the session's events. Child threads (a coordinator's
delegations) keep their own status, usage, stats and event log.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.runtime.errors import found
from app.runtime.routes.events import open_stream
from app.runtime.routes.params import (
    EVENT_LIMITS,
    archive_object,
    limit,
    one_of,
    page,
    page_reply,
    reply,
    services,
    session_or_404,
    stored_page_reply,
)
from app.runtime.routes.sessions import STATUSES


def _as_served(thread: dict[str, Any], session: dict[str, Any]) -> dict[str, Any]:
    """A primary thread mirrors its session's status, usage and stats."""
    if thread["parent_thread_id"] is not None:
        return thread
    stats = {key: session["stats"][key] for key in ("active_seconds", "duration_seconds") if key in session["stats"]}
    return {
        **thread,
        "status": session["status"],
        "usage": session["usage"],
        "stats": stats,
        "updated_at": max(thread["updated_at"], session["updated_at"]),
    }


def _thread(request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    session = session_or_404(request)
    thread_id = request.path_params["thread_id"]
    thread = services(request).store.get_thread(session["id"], thread_id)
    return found(thread, "thread", thread_id), session


async def list_(request: Request) -> JSONResponse:
    """Forward pages; ``statuses`` filters the threads of each page."""
    session = session_or_404(request)
    statuses = one_of(request, "statuses", STATUSES)
    threads, next_page = services(request).store.list_threads(
        session["id"], limit=limit(request, EVENT_LIMITS), cursor=page(request)
    )
    served = [_as_served(thread, session) for thread in threads]
    return page_reply([t for t in served if not statuses or t["status"] in statuses], next_page)


async def retrieve(request: Request) -> JSONResponse:
    thread, session = _thread(request)
    return reply(_as_served(thread, session))


async def archive(request: Request) -> JSONResponse:
    thread, session = _thread(request)
    return reply(_as_served(archive_object(thread, services(request).store.put_thread), session))


def _log_key(thread: dict[str, Any], session: dict[str, Any]) -> str:
    """The event log of a thread: the session's for the primary, its own for a child."""
    key: str = session["id"] if thread["parent_thread_id"] is None else thread["id"]
    return key


async def events(request: Request) -> Response:
    thread, session = _thread(request)
    data, next_page = services(request).store.list_events(
        _log_key(thread, session), limit=limit(request, EVENT_LIMITS), cursor=page(request), decode=False
    )
    return stored_page_reply(data, next_page)


async def stream(request: Request) -> Response:
    thread, session = _thread(request)
    return open_stream(request, _log_key(thread, session))


routes = [
    Route("/v1/sessions/{session_id}/threads", list_, methods=["GET"]),
    Route("/v1/sessions/{session_id}/threads/{thread_id}", retrieve, methods=["GET"]),
    Route("/v1/sessions/{session_id}/threads/{thread_id}/archive", archive, methods=["POST"]),
    Route("/v1/sessions/{session_id}/threads/{thread_id}/events", events, methods=["GET"]),
    Route("/v1/sessions/{session_id}/threads/{thread_id}/stream", stream, methods=["GET"]),
]
