"""``/v1/files``: upload (multipart), list, metadata, download, delete.

The body limit of the whole runtime (``--max-body``) is the largest upload. ``scope_id`` lists
the files a session wrote under ``/mnt/session/outputs``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

from app.runtime import file_store
from app.runtime.errors import RouteError, found
from app.runtime.routes.params import deleted_reply, limit, page, page_reply, query_list, reply, services

FILE_LIMITS = (20, 1000)
MAX_IDS = 100


def _file(request: Request) -> dict[str, Any]:
    file_id = request.path_params["file_id"]
    return found(services(request).store.get_file(file_id), "file", file_id)


async def upload(request: Request) -> JSONResponse:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise RouteError.invalid_request("upload a file as multipart/form-data with a 'file' part")
    async with request.form(max_files=1, max_fields=8) as form:  # a malformed body: a 400
        part = form.get("file")
        if not isinstance(part, UploadFile):
            raise RouteError.invalid_request("file: a file part is required")
        if form.get("expires_in_seconds") is not None:
            raise RouteError.invalid_request("expires_in_seconds: files of this runtime do not expire")
        store = services(request).store
        obj = await asyncio.to_thread(file_store.save_upload, store, part.file, part.filename, part.content_type)
    return reply(obj)


async def list_(request: Request) -> JSONResponse:
    store = services(request).store
    ids = list(dict.fromkeys(query_list(request, "ids")))
    if ids:
        if len(ids) > MAX_IDS:
            raise RouteError.invalid_request(f"ids allows at most {MAX_IDS} ids")
        if page(request) or request.query_params.get("limit"):
            raise RouteError.invalid_request("ids cannot be combined with page or limit")
        return page_reply([obj for file_id in ids if (obj := store.get_file(file_id))], None)
    data, next_page = store.list_files(
        scope_id=request.query_params.get("scope_id"), limit=limit(request, FILE_LIMITS), cursor=page(request)
    )
    return page_reply(data, next_page)


async def retrieve(request: Request) -> JSONResponse:
    return reply(_file(request))


async def download(request: Request) -> FileResponse:
    obj = _file(request)
    path = file_store.content_path(services(request).store, obj["id"])
    if not path.is_file():
        found(None, "file", obj["id"])
    return FileResponse(path, media_type=obj["mime_type"], filename=obj["filename"])


async def delete(request: Request) -> JSONResponse:
    file_id = request.path_params["file_id"]
    if not await asyncio.to_thread(file_store.remove, services(request).store, file_id):
        found(None, "file", file_id)
    return deleted_reply(file_id, "file")


routes = [
    Route("/v1/files", upload, methods=["POST"]),
    Route("/v1/files", list_, methods=["GET"]),
    Route("/v1/files/{file_id}", retrieve, methods=["GET"]),
    Route("/v1/files/{file_id}", delete, methods=["DELETE"]),
    Route("/v1/files/{file_id}/content", download, methods=["GET"]),
]
