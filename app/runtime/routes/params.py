"""Reading requests and writing replies, shared by every route.

Bodies are strict JSON (:mod:`app.runtime.strict_json`) validated with the wire ``*Params`` models,
and query parameters are parsed strictly (integers within signed 64 bits): anything malformed
becomes a 400 ``invalid_request_error`` naming the offending field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.runtime import strict_json
from app.runtime.errors import RouteError, found
from app.runtime.ids import normalize_timestamp, now
from app.runtime.log import SessionLog
from app.runtime.sse import FrameEncoder
from app.runtime.store import Store

M = TypeVar("M", bound=BaseModel)

#: ``limit`` (default, maximum) per kind of list.
OBJECT_LIMITS = (20, 100)
EVENT_LIMITS = (1000, 1000)


@dataclass
class Services:
    """What the routes work with; kept on ``app.state.services``."""

    store: Store
    log: SessionLog
    engine: Any
    heartbeat: float
    encoder: FrameEncoder = field(default_factory=FrameEncoder)


def services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def describe(error: ValidationError) -> str:
    """A one-line account of what is wrong, naming the fields (``events.0.content: Field required``)."""
    parts = []
    for item in error.errors()[:3]:
        where = ".".join(str(part) for part in item["loc"]) or "body"
        parts.append(f"{where}: {item['msg']}")
    more = len(error.errors()) - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


async def read_body(request: Request, model: type[M]) -> tuple[M, dict[str, Any]]:
    """The JSON body validated with ``model``, and the raw object (to tell omitted from ``null``)."""
    raw_bytes = await request.body()
    try:
        raw = strict_json.loads(raw_bytes) if raw_bytes.strip() else {}
    except strict_json.JSONRefused as exc:
        raise RouteError.invalid_request(f"request body: {exc}") from None
    if not isinstance(raw, dict):
        raise RouteError.invalid_request("the request body must be a JSON object")
    try:
        return model.model_validate(raw), raw
    except ValidationError as exc:
        raise RouteError.invalid_request(describe(exc)) from None


def query_list(request: Request, name: str) -> list[str]:
    """A repeatable parameter, given as ``name[]=v`` or ``name=v``."""
    params = request.query_params
    return params.getlist(f"{name}[]") + params.getlist(name)


def flag(request: Request, name: str) -> bool:
    value = request.query_params.get(name)
    if value is None:
        return False
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise RouteError.invalid_request(f"{name} must be true or false, not {value!r}")


def integer(request: Request, name: str, *, maximum: int = strict_json.INT64_MAX) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    try:
        number = int(value) if len(value) <= 20 else None
    except ValueError:
        number = None
    if number is None:
        raise RouteError.invalid_request(f"{name} must be an integer, not {value[:40]!r}")
    if not 1 <= number <= maximum:
        raise RouteError.invalid_request(f"{name} must be between 1 and {maximum}, not {number}")
    return number


def limit(request: Request, limits: tuple[int, int]) -> int:
    default, maximum = limits
    value = integer(request, "limit", maximum=maximum)
    return default if value is None else value


def order(request: Request, default: str) -> str:
    value = request.query_params.get("order", default)
    if value not in ("asc", "desc"):
        raise RouteError.invalid_request(f"order must be 'asc' or 'desc', not {value!r}")
    return value


def page(request: Request) -> str | None:
    return request.query_params.get("page") or None


def created_at(request: Request) -> dict[str, str]:
    """``created_at[gt|gte|lt|lte]`` bounds, normalised for comparison with stored timestamps."""
    bounds = {}
    for op in ("gt", "gte", "lt", "lte"):
        value = request.query_params.get(f"created_at[{op}]")
        if value is not None:
            try:
                bounds[op] = normalize_timestamp(value)
            except ValueError:
                problem = f"created_at[{op}] must be an RFC 3339 timestamp, not {value!r}"
                raise RouteError.invalid_request(problem) from None
    return bounds


def one_of(request: Request, name: str, allowed: tuple[str, ...]) -> list[str]:
    values = query_list(request, name)
    for value in values:
        if value not in allowed:
            raise RouteError.invalid_request(f"{name} values must be among {', '.join(allowed)}, not {value!r}")
    return values


def archive_object(obj: dict[str, Any], put: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """``obj`` archived now and saved with ``put`` (archiving twice keeps the first time)."""
    if obj["archived_at"] is not None:
        return obj
    stamp = now()
    archived = {**obj, "archived_at": stamp, "updated_at": stamp}
    put(archived)
    return archived


def object_page(request: Request, listing: Callable[..., tuple[list[Any], str | None]], **filters: Any) -> JSONResponse:
    """One page of an archivable object list: ``include_archived``, ``limit`` and ``page`` read from
    the request and given to ``listing`` with ``filters`` (``created_at=`` where the API has it)."""
    data, next_page = listing(
        include_archived=flag(request, "include_archived"),
        limit=limit(request, OBJECT_LIMITS),
        cursor=page(request),
        **filters,
    )
    return page_reply(data, next_page)


def saved_reply(changed: dict[str, Any], before: dict[str, Any], put: Callable[[dict[str, Any]], None]) -> JSONResponse:
    """The reply to an update: ``changed``, saved with ``put`` and a new ``updated_at`` unless it
    equals ``before`` (an update that changes nothing leaves the object as it was)."""
    if changed != before:
        changed["updated_at"] = now()
        put(changed)
    return reply(changed)


def deleted_reply(object_id: str, kind: str) -> JSONResponse:
    """The reply to a delete: ``{"id": ..., "type": "<kind>_deleted"}``."""
    return reply({"id": object_id, "type": f"{kind}_deleted"})


def delete_reply(object_id: str, kind: str, delete: Callable[[str], bool]) -> JSONResponse:
    """Delete ``object_id`` with ``delete`` (whether there was one) and reply as the API does: a 404
    naming ``kind`` when there was none."""
    if not delete(object_id):
        found(None, kind, object_id)
    return deleted_reply(object_id, kind)


def reply(obj: Any) -> JSONResponse:
    return JSONResponse(obj)


def page_reply(data: list[Any], next_page: str | None, **extra: str | None) -> JSONResponse:
    """The list envelope ``{data, next_page}`` (sessions add ``prev_page``)."""
    return reply({"data": data, "next_page": next_page, **extra})


def stored_page_reply(items: list[str], next_page: str | None) -> Response:
    """The list envelope around items kept as JSON text, joined as they are (a page of history
    is the most common big reply: decoding and encoding it again cost more than the query)."""
    envelope = '{"data":[' + ",".join(items) + '],"next_page":' + json.dumps(next_page) + "}"
    return Response(envelope, media_type="application/json")


def session_or_404(request: Request) -> dict[str, Any]:
    """The session named by the ``session_id`` path parameter."""
    session_id = request.path_params["session_id"]
    return found(services(request).store.get_session(session_id), "session", session_id)
