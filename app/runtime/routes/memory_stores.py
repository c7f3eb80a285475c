"""``/v1/memory_stores``: stores (create, retrieve, update, list, archive, delete), their memories
(create, retrieve, update, list, delete) and memory versions (list, retrieve, redact)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.api.models import MemoryCreateParams, MemoryStoreCreateParams, MemoryStoreUpdateParams, MemoryUpdateParams
from app.runtime import memories, resolve
from app.runtime.errors import RouteError, found
from app.runtime.ids import new_id, new_object
from app.runtime.routes.params import (
    OBJECT_LIMITS,
    archive_object,
    created_at,
    delete_reply,
    deleted_reply,
    integer,
    limit,
    object_page,
    page,
    page_reply,
    read_body,
    reply,
    saved_reply,
    services,
)

_FULL_VIEW_LIMITS = (20, 20)
#: The actor filters of a memory version list.
_ACTOR_IDS = ("session_id", "api_key_id", "service_account_id")


def _store(request: Request) -> dict[str, Any]:
    store_id = request.path_params["memory_store_id"]
    return found(services(request).store.get_memory_store(store_id), "memory_store", store_id)


def _memory(request: Request) -> dict[str, Any]:
    memory_id = request.path_params["memory_id"]
    memory = services(request).store.get_memory(_store(request)["id"], memory_id)
    return found(memory, "memory", memory_id)


def _view(request: Request, default: str) -> str:
    value = request.query_params.get("view", default)
    if value not in ("basic", "full"):
        raise RouteError.invalid_request(f"view must be 'basic' or 'full', not {value!r}")
    return value


def _list_limit(request: Request, view: str) -> int:
    return limit(request, _FULL_VIEW_LIMITS if view == "full" else OBJECT_LIMITS)


def _check_store_fields(name: str | None, description: str | None) -> None:
    if name is not None and not (1 <= len(name) <= 255 and name.isprintable()):
        raise RouteError.invalid_request("name must be 1 to 255 characters without control characters")
    if description is not None and len(description) > 1024:
        raise RouteError.invalid_request("description is at most 1024 characters")


# ---------------------------------------------------------------------- stores


async def create_store(request: Request) -> JSONResponse:
    params, _ = await read_body(request, MemoryStoreCreateParams)
    _check_store_fields(params.name, params.description)
    resolve.check_metadata(params.metadata or {})
    fields = {"name": params.name, "description": params.description or "", "metadata": dict(params.metadata or {})}
    memory_store = new_object("memory_store", new_id("memstore"), fields)
    services(request).store.put_memory_store(memory_store)
    return reply(memory_store)


async def retrieve_store(request: Request) -> JSONResponse:
    return reply(_store(request))


async def update_store(request: Request) -> JSONResponse:
    params, raw = await read_body(request, MemoryStoreUpdateParams)
    memory_store = memories.writable_store(services(request).store, _store(request)["id"])
    _check_store_fields(params.name, params.description)
    changed = dict(memory_store)
    if params.name is not None:
        changed["name"] = params.name
    if "description" in raw:
        changed["description"] = params.description or ""
    if params.metadata is not None:
        changed["metadata"] = resolve.patch_metadata(memory_store["metadata"], params.metadata)
        resolve.check_metadata(changed["metadata"])
    return saved_reply(changed, memory_store, services(request).store.put_memory_store)


async def list_stores(request: Request) -> JSONResponse:
    return object_page(request, services(request).store.list_memory_stores, created_at=created_at(request))


async def archive_store(request: Request) -> JSONResponse:
    return reply(archive_object(_store(request), services(request).store.put_memory_store))


async def delete_store(request: Request) -> JSONResponse:
    store_id = request.path_params["memory_store_id"]
    return delete_reply(store_id, "memory_store", services(request).store.delete_memory_store)


# ---------------------------------------------------------------------- memories


async def create_memory(request: Request) -> JSONResponse:
    params, _ = await read_body(request, MemoryCreateParams)
    view = _view(request, "basic")
    store_id = _store(request)["id"]
    memory = memories.create(services(request).store, store_id, params.path, params.content or "", memories.API_ACTOR)
    return reply(memories.shown(memory, view))


async def retrieve_memory(request: Request) -> JSONResponse:
    return reply(memories.shown(_memory(request), _view(request, "full")))


async def update_memory(request: Request) -> JSONResponse:
    params, _ = await read_body(request, MemoryUpdateParams)
    view = _view(request, "basic")
    expected = params.precondition.content_sha256 if params.precondition else None
    memory = memories.update(
        services(request).store,
        _memory(request),
        path=params.path,
        content=params.content,
        actor=memories.API_ACTOR,
        expected_sha256=expected,
    )
    return reply(memories.shown(memory, view))


async def list_memories(request: Request) -> JSONResponse:
    view = _view(request, "basic")
    prefix = request.query_params.get("path_prefix", "/")
    if not prefix.startswith("/") or not prefix.endswith("/"):
        raise RouteError.invalid_request(f"path_prefix must start and end with '/', not {prefix[:80]!r}")
    depth = request.query_params.get("depth")
    depth_value = None if depth in (None, "0") else integer(request, "depth")
    data, next_page = services(request).store.list_memories(
        _store(request)["id"], prefix, depth_value, limit=_list_limit(request, view), cursor=page(request)
    )
    return page_reply([memories.shown(item, view) if item["type"] == "memory" else item for item in data], next_page)


async def delete_memory(request: Request) -> JSONResponse:
    memory = _memory(request)
    expected = request.query_params.get("expected_content_sha256")
    memories.delete(services(request).store, memory, memories.API_ACTOR, expected)
    return deleted_reply(memory["id"], "memory")


# ---------------------------------------------------------------------- memory versions


def _version(request: Request) -> dict[str, Any]:
    version_id = request.path_params["memory_version_id"]
    version = services(request).store.get_memory_version(_store(request)["id"], version_id)
    return found(version, "memory_version", version_id)


async def list_versions(request: Request) -> JSONResponse:
    view = _view(request, "basic")
    operation = request.query_params.get("operation")
    if operation not in (None, "created", "modified", "deleted"):
        raise RouteError.invalid_request(f"operation must be created, modified or deleted, not {operation!r}")
    data, next_page = services(request).store.list_memory_versions(
        _store(request)["id"],
        memory_id=request.query_params.get("memory_id"),
        operation=operation,
        created_by={key: request.query_params[key] for key in _ACTOR_IDS if key in request.query_params},
        created_at=created_at(request),
        limit=_list_limit(request, view),
        cursor=page(request),
    )
    return page_reply([memories.shown(v, view) for v in data], next_page)


async def retrieve_version(request: Request) -> JSONResponse:
    return reply(memories.shown(_version(request), _view(request, "full")))


async def redact_version(request: Request) -> JSONResponse:
    return reply(memories.redact(services(request).store, _version(request)))


_STORE = "/v1/memory_stores/{memory_store_id}"
routes = [
    Route("/v1/memory_stores", create_store, methods=["POST"]),
    Route("/v1/memory_stores", list_stores, methods=["GET"]),
    Route(_STORE, retrieve_store, methods=["GET"]),
    Route(_STORE, update_store, methods=["POST"]),
    Route(_STORE, delete_store, methods=["DELETE"]),
    Route(_STORE + "/archive", archive_store, methods=["POST"]),
    Route(_STORE + "/memories", create_memory, methods=["POST"]),
    Route(_STORE + "/memories", list_memories, methods=["GET"]),
    Route(_STORE + "/memories/{memory_id}", retrieve_memory, methods=["GET"]),
    Route(_STORE + "/memories/{memory_id}", update_memory, methods=["POST"]),
    Route(_STORE + "/memories/{memory_id}", delete_memory, methods=["DELETE"]),
    Route(_STORE + "/memory_versions", list_versions, methods=["GET"]),
    Route(_STORE + "/memory_versions/{memory_version_id}", retrieve_version, methods=["GET"]),
    Route(_STORE + "/memory_versions/{memory_version_id}/redact", redact_version, methods=["POST"]),
]
