"""``/v1/skills``: custom skills and their versions, uploaded as multipart files (the SDK's
``beta.skills``): create, retrieve, list, delete; versions create, retrieve, list, delete, download."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.runtime import skills
from app.runtime.errors import RouteError, found
from app.runtime.ids import new_id, now
from app.runtime.routes.params import delete_reply, deleted_reply, limit, page, page_reply, reply, services

#: ``limit`` (default, maximum) of skill lists, as the SDK documents them.
SKILL_LIMITS = (20, 1000)
MAX_FILES = 1000
MAX_DISPLAY_NAME = 255


async def _upload(request: Request) -> tuple[skills.Bundle, str | None]:
    """The checked files of a multipart upload, and its ``display_name`` if any."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise RouteError.invalid_request("upload the skill's files as multipart/form-data")
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=100)
    except (HTTPException, MultiPartException) as exc:
        problem = exc.detail if isinstance(exc, HTTPException) else exc.message
        raise RouteError.invalid_request(f"the multipart body cannot be read: {problem}") from None
    uploads = [item for key in ("files[]", "files") for item in form.getlist(key)]
    files = []
    for item in uploads:
        if not isinstance(item, UploadFile):
            raise RouteError.invalid_request("files: each entry must be a file")
        files.append((item.filename, await item.read()))
    field = form.get("display_name")
    display_name = field if isinstance(field, str) else None
    if field is not None and (display_name is None or len(display_name) > MAX_DISPLAY_NAME or "\n" in display_name):
        raise RouteError.invalid_request(f"display_name must be one line of at most {MAX_DISPLAY_NAME} characters")
    return skills.bundle(files), display_name or None


def _version(skill_id: str, bundle: skills.Bundle, stamp: str) -> dict[str, Any]:
    return {
        "type": "skill_version",
        "id": new_id("skillver"),
        "skill_id": skill_id,
        "name": bundle.name,
        "description": bundle.description,
        "created_at": stamp,
    }


def _skill(request: Request) -> dict[str, Any]:
    skill_id = request.path_params["skill_id"]
    return found(services(request).store.get_skill(skill_id), "skill", skill_id)


def _skill_version(request: Request) -> dict[str, Any]:
    skill = _skill(request)
    version_id = request.path_params["version"]
    return found(services(request).store.get_skill_version(skill["id"], version_id), "skill_version", version_id)


async def create(request: Request) -> JSONResponse:
    bundle, display_name = await _upload(request)
    stamp = now()
    skill_id = new_id("skill")
    version = _version(skill_id, bundle, stamp)
    skill = {
        "type": "skill",
        "id": skill_id,
        "display_name": display_name or bundle.name,
        "source": {"type": "custom"},
        "latest_version_id": version["id"],
        "created_at": stamp,
        "updated_at": stamp,
    }
    services(request).store.put_skill(skill, version, bundle.archive)
    return reply(skill)


async def retrieve(request: Request) -> JSONResponse:
    return reply(_skill(request))


async def list_(request: Request) -> JSONResponse:
    source = request.query_params.get("source") or None
    data, next_page = services(request).store.list_skills(
        source=source, limit=limit(request, SKILL_LIMITS), cursor=page(request)
    )
    return page_reply(data, next_page)


async def delete(request: Request) -> JSONResponse:
    """Deletes the skill with every version of it."""
    skill_id = request.path_params["skill_id"]
    return delete_reply(skill_id, "skill", services(request).store.delete_skill)


async def create_version(request: Request) -> JSONResponse:
    skill = _skill(request)
    bundle, _ = await _upload(request)
    latest = services(request).store.get_skill_version(skill["id"], skill["latest_version_id"])
    if latest is not None and bundle.name != latest["name"]:
        raise RouteError.invalid_request(f"this skill is named {latest['name']!r}; the upload is named {bundle.name!r}")
    stamp = now()
    version = _version(skill["id"], bundle, stamp)
    changed = {**skill, "latest_version_id": version["id"], "updated_at": stamp}
    services(request).store.put_skill(changed, version, bundle.archive)
    return reply(version)


async def retrieve_version(request: Request) -> JSONResponse:
    return reply(_skill_version(request))


async def list_versions(request: Request) -> JSONResponse:
    skill = _skill(request)
    data, next_page = services(request).store.list_skill_versions(
        skill["id"], limit=limit(request, SKILL_LIMITS), cursor=page(request)
    )
    return page_reply(data, next_page)


async def delete_version(request: Request) -> JSONResponse:
    """A skill keeps at least one version: deleting the last one is refused (delete the skill)."""
    version = _skill_version(request)
    store = services(request).store
    skill = _skill(request)
    rest = [v for v in store.list_skill_versions(skill["id"], limit=2)[0] if v["id"] != version["id"]]
    if not rest:
        raise RouteError.invalid_request(f"{version['id']!r} is the skill's only version: delete the skill instead")
    latest = rest[0]["id"] if skill["latest_version_id"] == version["id"] else skill["latest_version_id"]
    store.delete_skill_version({**skill, "latest_version_id": latest, "updated_at": now()}, version["id"])
    return deleted_reply(version["id"], "skill_version")


async def download(request: Request) -> Response:
    version = _skill_version(request)
    archive = services(request).store.skill_archive(version["skill_id"], version["id"])
    headers = {"content-disposition": f'attachment; filename="{version["name"]}.zip"'}
    return Response(archive, media_type="application/zip", headers=headers)


routes = [
    Route("/v1/skills", create, methods=["POST"]),
    Route("/v1/skills", list_, methods=["GET"]),
    Route("/v1/skills/{skill_id}", retrieve, methods=["GET"]),
    Route("/v1/skills/{skill_id}", delete, methods=["DELETE"]),
    Route("/v1/skills/{skill_id}/versions", create_version, methods=["POST"]),
    Route("/v1/skills/{skill_id}/versions", list_versions, methods=["GET"]),
    Route("/v1/skills/{skill_id}/versions/{version}", retrieve_version, methods=["GET"]),
    Route("/v1/skills/{skill_id}/versions/{version}", delete_version, methods=["DELETE"]),
    Route("/v1/skills/{skill_id}/versions/{version}/content", download, methods=["GET"]),
]
