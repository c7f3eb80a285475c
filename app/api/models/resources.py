"""Session resources: repositories, files and memory stores mounted in the sandbox (reference §4.4)."""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from pydantic import Field

from app.api.models.base import Timestamp, WireModel
from app.api.models.unions import BY_TYPE, KNOWN_FIRST, Fallback, Tagged, tag_other_than


class Checkout(WireModel):
    """``{type: "branch", name}`` or ``{type: "commit", sha}``."""

    type: str
    name: str | None = None
    sha: str | None = None


class GitHubRepositoryResource(Tagged):
    type: Literal["github_repository"] = "github_repository"
    id: str
    url: str
    mount_path: str
    checkout: Checkout | None = None
    created_at: Timestamp
    updated_at: Timestamp


class FileResource(Tagged):
    type: Literal["file"] = "file"
    id: str
    file_id: str
    mount_path: str
    created_at: Timestamp
    updated_at: Timestamp


class MemoryStoreResource(Tagged):
    """A mounted memory store; unlike the others it has no ``id`` and no timestamps."""

    type: Literal["memory_store"] = "memory_store"
    memory_store_id: str
    access: str | None = None
    instructions: str | None = None
    name: str | None = None
    description: str | None = None
    mount_path: str | None = None


_KnownResource: TypeAlias = Annotated[GitHubRepositoryResource | FileResource | MemoryStoreResource, BY_TYPE]


class UnknownResource(Fallback):
    """A resource type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(_KnownResource)]


#: Any session resource, dispatched on ``type`` (unknown types parse as :class:`UnknownResource`).
SessionResource: TypeAlias = Annotated[_KnownResource | UnknownResource, KNOWN_FIRST]


class GitHubRepositoryResourceParams(Tagged):
    """``authorization_token`` (private repos) is write-only: it is never returned."""

    type: Literal["github_repository"] = "github_repository"
    url: str
    authorization_token: str | None = Field(default=None, repr=False)
    checkout: Checkout | None = None
    mount_path: str | None = None


class FileResourceParams(Tagged):
    """Also the body of ``POST /v1/sessions/{id}/resources`` (only files can be added later)."""

    type: Literal["file"] = "file"
    file_id: str
    mount_path: str | None = None


class MemoryStoreResourceParams(Tagged):
    """``access``: ``read_write`` (default) or ``read_only``."""

    type: Literal["memory_store"] = "memory_store"
    memory_store_id: str
    access: str | None = None
    instructions: str | None = None


#: A resource in ``resources`` of ``POST /v1/sessions``.
ResourceParams: TypeAlias = Annotated[
    GitHubRepositoryResourceParams | FileResourceParams | MemoryStoreResourceParams, BY_TYPE
]


class ResourceUpdateParams(WireModel):
    """The body of ``POST /v1/sessions/{id}/resources/{resource_id}``: a repository's new token
    (write-only: never returned)."""

    authorization_token: str = Field(repr=False)
