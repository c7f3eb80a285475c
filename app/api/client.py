"""``AgentClient``: one async client for every core call of the Claude Agent API.

Bodies are given as a params model, a dict, keyword fields, or a mix (keywords win); ``None`` in a
keyword is sent as ``null`` (which clears a field on update). Replies come back as typed models,
lists as :class:`~app.api.pagination.AsyncPaginator`, live events as
:class:`~app.api.streaming.EventStream`. An event this client cannot read arrives as an
:class:`~app.api.models.UnreadableEvent` in its place; an unreadable item of any other list is left
out and reported in the paginator's ``skipped``.
"""

from __future__ import annotations

import asyncio
import builtins
import mimetypes
import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TypeVar, Unpack, overload

from app.api.encoding import array, body, jsonable, path, query, sequence
from app.api.errors import AgentAPIError
from app.api.http import BETA, FILES_BETA, HTTPTransport, Query, TransportOptions, parse_json
from app.api.models import (
    Agent,
    AgentCreateParams,
    AgentUpdateParams,
    Credential,
    CredentialCreateParams,
    CredentialUpdateParams,
    CredentialValidation,
    DeletedObject,
    Environment,
    EnvironmentCreateParams,
    EnvironmentUpdateParams,
    FileMetadata,
    FileResource,
    Memory,
    MemoryListItem,
    MemoryStore,
    MemoryStoreCreateParams,
    MemoryStoreUpdateParams,
    MemoryVersion,
    Session,
    SessionCreateParams,
    SessionEvent,
    SessionResource,
    SessionThread,
    SessionUpdateParams,
    SkillInfo,
    SkillVersion,
    UnreadableEvent,
    Vault,
    VaultCreateParams,
    VaultUpdateParams,
)
from app.api.pagination import AsyncPaginator, StandIn, parse_page
from app.api.sse import StreamItem
from app.api.streaming import EventStream
from app.config import Secret, Settings

Timestamp = str | datetime
Order = Literal["asc", "desc"]
DeltaType = Literal["agent.message", "agent.thinking"]
T = TypeVar("T")


class _Resource:
    """Shared request helpers of the resource groups."""

    def __init__(self, transport: HTTPTransport) -> None:
        self._transport = transport

    @overload
    async def _get(self, url: str, tp: type[T], params: Query | None = None) -> T: ...
    @overload
    async def _get(self, url: str, tp: object, params: Query | None = None) -> Any: ...
    async def _get(self, url: str, tp: object, params: Query | None = None) -> Any:
        return parse_json(await self._transport.send("GET", url, params=params), tp)

    @overload
    async def _post(self, url: str, tp: type[T], json: Any = None, *, replay_safe: bool = True) -> T: ...
    @overload
    async def _post(self, url: str, tp: object, json: Any = None, *, replay_safe: bool = True) -> Any: ...
    async def _post(self, url: str, tp: object, json: Any = None, *, replay_safe: bool = True) -> Any:
        return parse_json(await self._transport.send("POST", url, json=json, replay_safe=replay_safe), tp)

    async def _delete(self, url: str) -> DeletedObject:
        return parse_json(await self._transport.send("DELETE", url), DeletedObject)

    def _list(self, url: str, item_type: object, params: Query, stand_in: StandIn | None = None) -> AsyncPaginator[Any]:
        return AsyncPaginator(self._transport, url, params, item_type, stand_in=stand_in)

    def _events(self, url: str, params: Query) -> AsyncPaginator[StreamItem]:
        return self._list(url, SessionEvent, params, UnreadableEvent.of)


class Environments(_Resource):
    """``/v1/environments``."""

    async def create(
        self, params: EnvironmentCreateParams | Mapping[str, Any] | None = None, /, **fields: Any
    ) -> Environment:
        return await self._post("/v1/environments", Environment, body(params, fields))

    async def retrieve(self, environment_id: str) -> Environment:
        return await self._get(path("/v1/environments/{}", environment_id), Environment)

    async def update(
        self, environment_id: str, params: EnvironmentUpdateParams | Mapping[str, Any] | None = None, /, **fields: Any
    ) -> Environment:
        return await self._post(path("/v1/environments/{}", environment_id), Environment, body(params, fields))

    def list(self, *, include_archived: bool | None = None, limit: int | None = None) -> AsyncPaginator[Environment]:
        return self._list("/v1/environments", Environment, query(include_archived=include_archived, limit=limit))

    async def archive(self, environment_id: str) -> Environment:
        return await self._post(path("/v1/environments/{}/archive", environment_id), Environment)

    async def delete(self, environment_id: str) -> DeletedObject:
        return await self._delete(path("/v1/environments/{}", environment_id))


class Agents(_Resource):
    """``/v1/agents`` (versioned; agents are archived, never deleted)."""

    async def create(self, params: AgentCreateParams | Mapping[str, Any] | None = None, /, **fields: Any) -> Agent:
        return await self._post("/v1/agents", Agent, body(params, fields))

    async def retrieve(self, agent_id: str, *, version: int | None = None) -> Agent:
        return await self._get(path("/v1/agents/{}", agent_id), Agent, query(version=version))

    async def update(
        self, agent_id: str, params: AgentUpdateParams | Mapping[str, Any] | None = None, /, **fields: Any
    ) -> Agent:
        """Pass ``version=<the version you last saw>`` for an optimistic-concurrency check."""
        return await self._post(path("/v1/agents/{}", agent_id), Agent, body(params, fields))

    def list(
        self,
        *,
        created_at_gte: Timestamp | None = None,
        created_at_lte: Timestamp | None = None,
        include_archived: bool | None = None,
        limit: int | None = None,
    ) -> AsyncPaginator[Agent]:
        params = query(
            created_at_gte=created_at_gte, created_at_lte=created_at_lte, include_archived=include_archived, limit=limit
        )
        return self._list("/v1/agents", Agent, params)

    async def archive(self, agent_id: str) -> Agent:
        return await self._post(path("/v1/agents/{}/archive", agent_id), Agent)

    def versions(self, agent_id: str, *, limit: int | None = None) -> AsyncPaginator[Agent]:
        return self._list(path("/v1/agents/{}/versions", agent_id), Agent, query(limit=limit))


class SessionEvents(_Resource):
    """``/v1/sessions/{id}/events``: history, sending input, and the live stream."""

    def list(
        self,
        session_id: str,
        *,
        types: Sequence[str] | None = None,
        created_at_gt: Timestamp | None = None,
        created_at_gte: Timestamp | None = None,
        created_at_lt: Timestamp | None = None,
        created_at_lte: Timestamp | None = None,
        order: Order | None = None,
        limit: int | None = None,
    ) -> AsyncPaginator[StreamItem]:
        """History (ascending by ``processed_at`` unless ``order="desc"``); dates compare with ``processed_at``."""
        params = query(
            types=array(types),
            created_at_gt=created_at_gt,
            created_at_gte=created_at_gte,
            created_at_lt=created_at_lt,
            created_at_lte=created_at_lte,
            order=order,
            limit=limit,
        )
        return self._events(path("/v1/sessions/{}/events", session_id), params)

    async def send(self, session_id: str, events: Any) -> builtins.list[StreamItem]:
        """Send one input event or several (models or dicts); returns them as the server accepted them.

        Never retried in a way that could post the same input twice: only when the connection
        could not even be made, or when the server answers ``x-should-retry: true``.
        """
        payload = [jsonable(event) for event in sequence(events)]
        if not payload:
            raise ValueError("send() needs at least one event")
        url = path("/v1/sessions/{}/events", session_id)
        response = await self._transport.send("POST", url, json={"events": payload}, replay_safe=False)
        return parse_page(response, SessionEvent, UnreadableEvent.of).data

    def stream(self, session_id: str, *, event_deltas: Sequence[DeltaType] = ()) -> EventStream:
        """Live events (``async with ... as s: async for item in s``); ``event_deltas`` opts in to previews."""
        params = query(event_deltas=array(event_deltas))
        return EventStream(self._transport, path("/v1/sessions/{}/events/stream", session_id), params)


class SessionThreads(_Resource):
    """``/v1/sessions/{id}/threads``: the primary thread and the child threads of multi-agent sessions."""

    def list(
        self, session_id: str, *, statuses: Sequence[str] | None = None, limit: int | None = None
    ) -> AsyncPaginator[SessionThread]:
        params = query(statuses=array(statuses), limit=limit)
        return self._list(path("/v1/sessions/{}/threads", session_id), SessionThread, params)

    async def retrieve(self, session_id: str, thread_id: str) -> SessionThread:
        return await self._get(path("/v1/sessions/{}/threads/{}", session_id, thread_id), SessionThread)

    async def archive(self, session_id: str, thread_id: str) -> SessionThread:
        """Archive a thread; the reply has ``archived_at`` set."""
        return await self._post(path("/v1/sessions/{}/threads/{}/archive", session_id, thread_id), SessionThread)

    def events(self, session_id: str, thread_id: str, *, limit: int | None = None) -> AsyncPaginator[StreamItem]:
        return self._events(path("/v1/sessions/{}/threads/{}/events", session_id, thread_id), query(limit=limit))

    def stream(self, session_id: str, thread_id: str, *, event_deltas: Sequence[DeltaType] = ()) -> EventStream:
        params = query(event_deltas=array(event_deltas))
        return EventStream(self._transport, path("/v1/sessions/{}/threads/{}/stream", session_id, thread_id), params)


class SessionResources(_Resource):
    """``/v1/sessions/{id}/resources``: repositories, files and memory stores mounted in a session."""

    def list(self, session_id: str, *, limit: int | None = None) -> AsyncPaginator[SessionResource]:
        return self._list(path("/v1/sessions/{}/resources", session_id), SessionResource, query(limit=limit))

    async def retrieve(self, session_id: str, resource_id: str) -> SessionResource:
        resource: SessionResource = await self._get(
            path("/v1/sessions/{}/resources/{}", session_id, resource_id), SessionResource
        )
        return resource

    async def add(self, session_id: str, file_id: str, *, mount_path: str | None = None) -> FileResource:
        """Mount a file in the session (default ``/mnt/session/uploads/<file_id>``)."""
        payload = body({"type": "file", "file_id": file_id}, {"mount_path": mount_path} if mount_path else {})
        return await self._post(path("/v1/sessions/{}/resources", session_id), FileResource, payload, replay_safe=False)

    async def update(self, session_id: str, resource_id: str, *, authorization_token: str) -> SessionResource:
        """Give a repository a new token (write-only: never returned)."""
        url = path("/v1/sessions/{}/resources/{}", session_id, resource_id)
        token = {"authorization_token": authorization_token}
        resource: SessionResource = await self._post(url, SessionResource, token)
        return resource

    async def delete(self, session_id: str, resource_id: str) -> DeletedObject:
        return await self._delete(path("/v1/sessions/{}/resources/{}", session_id, resource_id))


class Sessions(_Resource):
    """``/v1/sessions``, with ``.events``, ``.threads`` and ``.resources`` beneath."""

    def __init__(self, transport: HTTPTransport) -> None:
        super().__init__(transport)
        self.events = SessionEvents(transport)
        self.threads = SessionThreads(transport)
        self.resources = SessionResources(transport)

    async def create(self, params: SessionCreateParams | Mapping[str, Any] | None = None, /, **fields: Any) -> Session:
        return await self._post("/v1/sessions", Session, body(params, fields))

    async def retrieve(self, session_id: str) -> Session:
        return await self._get(path("/v1/sessions/{}", session_id), Session)

    async def update(
        self, session_id: str, params: SessionUpdateParams | Mapping[str, Any] | None = None, /, **fields: Any
    ) -> Session:
        return await self._post(path("/v1/sessions/{}", session_id), Session, body(params, fields))

    def list(
        self,
        *,
        agent_id: str | None = None,
        agent_version: int | None = None,
        deployment_id: str | None = None,
        memory_store_id: str | None = None,
        statuses: Sequence[str] | None = None,
        created_at_gt: Timestamp | None = None,
        created_at_gte: Timestamp | None = None,
        created_at_lt: Timestamp | None = None,
        created_at_lte: Timestamp | None = None,
        include_archived: bool | None = None,
        order: Order | None = None,
        limit: int | None = None,
    ) -> AsyncPaginator[Session]:
        """Sessions, newest first unless ``order="asc"``; ``agent_version`` needs ``agent_id``."""
        params = query(
            agent_id=agent_id,
            agent_version=agent_version,
            deployment_id=deployment_id,
            memory_store_id=memory_store_id,
            statuses=array(statuses),
            created_at_gt=created_at_gt,
            created_at_gte=created_at_gte,
            created_at_lt=created_at_lt,
            created_at_lte=created_at_lte,
            include_archived=include_archived,
            order=order,
            limit=limit,
        )
        return self._list("/v1/sessions", Session, params)

    async def archive(self, session_id: str) -> Session:
        return await self._post(path("/v1/sessions/{}/archive", session_id), Session)

    async def delete(self, session_id: str) -> DeletedObject:
        return await self._delete(path("/v1/sessions/{}", session_id))


class VaultCredentials(_Resource):
    """``/v1/vaults/{id}/credentials``: secrets for MCP servers and hosts (write-only: never returned)."""

    async def create(
        self, vault_id: str, params: CredentialCreateParams | Mapping[str, Any] | None = None, /, **fields: Any
    ) -> Credential:
        return await self._post(path("/v1/vaults/{}/credentials", vault_id), Credential, body(params, fields))

    async def retrieve(self, vault_id: str, credential_id: str) -> Credential:
        return await self._get(path("/v1/vaults/{}/credentials/{}", vault_id, credential_id), Credential)

    async def update(
        self,
        vault_id: str,
        credential_id: str,
        params: CredentialUpdateParams | Mapping[str, Any] | None = None,
        /,
        **fields: Any,
    ) -> Credential:
        url = path("/v1/vaults/{}/credentials/{}", vault_id, credential_id)
        return await self._post(url, Credential, body(params, fields))

    def list(
        self, vault_id: str, *, include_archived: bool | None = None, limit: int | None = None
    ) -> AsyncPaginator[Credential]:
        params = query(include_archived=include_archived, limit=limit)
        return self._list(path("/v1/vaults/{}/credentials", vault_id), Credential, params)

    async def archive(self, vault_id: str, credential_id: str) -> Credential:
        return await self._post(path("/v1/vaults/{}/credentials/{}/archive", vault_id, credential_id), Credential)

    async def delete(self, vault_id: str, credential_id: str) -> DeletedObject:
        return await self._delete(path("/v1/vaults/{}/credentials/{}", vault_id, credential_id))

    async def mcp_oauth_validate(self, vault_id: str, credential_id: str) -> CredentialValidation:
        """Probe an ``mcp_oauth`` credential against its MCP server."""
        url = path("/v1/vaults/{}/credentials/{}/mcp_oauth_validate", vault_id, credential_id)
        return await self._post(url, CredentialValidation)


class Vaults(_Resource):
    """``/v1/vaults``, with ``.credentials`` beneath."""

    def __init__(self, transport: HTTPTransport) -> None:
        super().__init__(transport)
        self.credentials = VaultCredentials(transport)

    async def create(self, params: VaultCreateParams | Mapping[str, Any] | None = None, /, **fields: Any) -> Vault:
        return await self._post("/v1/vaults", Vault, body(params, fields))

    async def retrieve(self, vault_id: str) -> Vault:
        return await self._get(path("/v1/vaults/{}", vault_id), Vault)

    async def update(
        self, vault_id: str, params: VaultUpdateParams | Mapping[str, Any] | None = None, /, **fields: Any
    ) -> Vault:
        return await self._post(path("/v1/vaults/{}", vault_id), Vault, body(params, fields))

    def list(self, *, include_archived: bool | None = None, limit: int | None = None) -> AsyncPaginator[Vault]:
        return self._list("/v1/vaults", Vault, query(include_archived=include_archived, limit=limit))

    async def archive(self, vault_id: str) -> Vault:
        return await self._post(path("/v1/vaults/{}/archive", vault_id), Vault)

    async def delete(self, vault_id: str) -> DeletedObject:
        return await self._delete(path("/v1/vaults/{}", vault_id))


#: Files of a skill upload: ``(path inside the upload such as "my-skill/SKILL.md", content)``.
SkillFiles = Sequence[tuple[str, bytes]]


def _multipart(files: SkillFiles) -> builtins.list[tuple[str, tuple[str, bytes, str]]]:
    return [("files[]", (name, content, "application/octet-stream")) for name, content in files]


class SkillVersions(_Resource):
    """``/v1/skills/{skill_id}/versions``: each upload of a skill's files."""

    async def create(self, skill_id: str, files: SkillFiles) -> SkillVersion:
        """Upload new files (under the skill's folder name): they become its latest version."""
        response = await self._transport.send(
            "POST", path("/v1/skills/{}/versions", skill_id), files=_multipart(files), replay_safe=False
        )
        return parse_json(response, SkillVersion)

    async def retrieve(self, skill_id: str, version_id: str) -> SkillVersion:
        return await self._get(path("/v1/skills/{}/versions/{}", skill_id, version_id), SkillVersion)

    def list(self, skill_id: str, *, limit: int | None = None) -> AsyncPaginator[SkillVersion]:
        return self._list(path("/v1/skills/{}/versions", skill_id), SkillVersion, query(limit=limit))

    async def delete(self, skill_id: str, version_id: str) -> DeletedObject:
        return await self._delete(path("/v1/skills/{}/versions/{}", skill_id, version_id))

    async def download(self, skill_id: str, version_id: str) -> bytes:
        """The version's files as a zip archive."""
        response = await self._transport.send("GET", path("/v1/skills/{}/versions/{}/content", skill_id, version_id))
        return response.content


class Skills(_Resource):
    """``/v1/skills``: custom skills, uploaded as files under one folder with a SKILL.md."""

    def __init__(self, transport: HTTPTransport) -> None:
        super().__init__(transport)
        self.versions = SkillVersions(transport)

    async def create(self, files: SkillFiles, *, display_name: str | None = None) -> SkillInfo:
        data = {"display_name": display_name} if display_name else None
        response = await self._transport.send(
            "POST", "/v1/skills", files=_multipart(files), data=data, replay_safe=False
        )
        return parse_json(response, SkillInfo)

    async def retrieve(self, skill_id: str) -> SkillInfo:
        return await self._get(path("/v1/skills/{}", skill_id), SkillInfo)

    def list(self, *, source: str | None = None, limit: int | None = None) -> AsyncPaginator[SkillInfo]:
        return self._list("/v1/skills", SkillInfo, query(source=source, limit=limit))

    async def delete(self, skill_id: str) -> DeletedObject:
        return await self._delete(path("/v1/skills/{}", skill_id))


MEMORY_BETA = "agent-memory-2026-07-22"
MemoryView = Literal["basic", "full"]


class Memories(_Resource):
    """``/v1/memory_stores/{id}/memories``: the text documents of a store, by path."""

    async def create(
        self, memory_store_id: str, *, path: str, content: str | None, view: MemoryView | None = None
    ) -> Memory:
        url = _store_path("/memories", memory_store_id)
        return await self._post(url + _view(view), Memory, {"path": path, "content": content}, replay_safe=False)

    async def retrieve(self, memory_id: str, *, memory_store_id: str, view: MemoryView | None = None) -> Memory:
        return await self._get(_store_path("/memories/{}", memory_store_id, memory_id), Memory, query(view=view))

    async def update(
        self,
        memory_id: str,
        *,
        memory_store_id: str,
        content: str | None = None,
        path: str | None = None,
        expected_sha256: str | None = None,
        view: MemoryView | None = None,
    ) -> Memory:
        """A new ``content`` and/or ``path``; ``expected_sha256`` applies it only to that content."""
        fields: dict[str, Any] = {"content": content, "path": path}
        if expected_sha256 is not None:
            fields["precondition"] = {"type": "content_sha256", "content_sha256": expected_sha256}
        url = _store_path("/memories/{}", memory_store_id, memory_id) + _view(view)
        return await self._post(url, Memory, {k: v for k, v in fields.items() if v is not None})

    def list(
        self,
        memory_store_id: str,
        *,
        path_prefix: str | None = None,
        depth: int | None = None,
        view: MemoryView | None = None,
        limit: int | None = None,
    ) -> AsyncPaginator[Any]:
        """Memories by path; with ``depth`` deeper ones fold into :class:`MemoryPrefix` items."""
        params = query(path_prefix=path_prefix, depth=depth, view=view, limit=limit)
        return self._list(_store_path("/memories", memory_store_id), MemoryListItem, params)

    async def delete(
        self, memory_id: str, *, memory_store_id: str, expected_content_sha256: str | None = None
    ) -> DeletedObject:
        url = _store_path("/memories/{}", memory_store_id, memory_id)
        params = query(expected_content_sha256=expected_content_sha256)
        return parse_json(await self._transport.send("DELETE", url, params=params), DeletedObject)


class MemoryVersions(_Resource):
    """``/v1/memory_stores/{id}/memory_versions``: every change of the store's memories."""

    def list(
        self,
        memory_store_id: str,
        *,
        memory_id: str | None = None,
        operation: str | None = None,
        session_id: str | None = None,
        api_key_id: str | None = None,
        service_account_id: str | None = None,
        created_at_gte: Timestamp | None = None,
        created_at_lte: Timestamp | None = None,
        view: MemoryView | None = None,
        limit: int | None = None,
    ) -> AsyncPaginator[MemoryVersion]:
        """Newest first; ``session_id``, ``api_key_id`` or ``service_account_id`` pick who wrote them."""
        params = query(
            memory_id=memory_id,
            operation=operation,
            session_id=session_id,
            api_key_id=api_key_id,
            service_account_id=service_account_id,
            created_at_gte=created_at_gte,
            created_at_lte=created_at_lte,
            view=view,
            limit=limit,
        )
        return self._list(_store_path("/memory_versions", memory_store_id), MemoryVersion, params)

    async def retrieve(
        self, memory_version_id: str, *, memory_store_id: str, view: MemoryView | None = None
    ) -> MemoryVersion:
        url = _store_path("/memory_versions/{}", memory_store_id, memory_version_id)
        return await self._get(url, MemoryVersion, query(view=view))

    async def redact(self, memory_version_id: str, *, memory_store_id: str) -> MemoryVersion:
        """Blank the version's content and path for good (who and when stay)."""
        url = _store_path("/memory_versions/{}/redact", memory_store_id, memory_version_id)
        return await self._post(url, MemoryVersion)


class MemoryStores(_Resource):
    """``/v1/memory_stores``, with ``.memories`` and ``.memory_versions`` beneath."""

    def __init__(self, transport: HTTPTransport) -> None:
        beta = transport.with_beta(MEMORY_BETA)
        super().__init__(beta)
        self.memories = Memories(beta)
        self.memory_versions = MemoryVersions(beta)

    async def create(
        self, params: MemoryStoreCreateParams | Mapping[str, Any] | None = None, /, **fields: Any
    ) -> MemoryStore:
        return await self._post("/v1/memory_stores", MemoryStore, body(params, fields), replay_safe=False)

    async def retrieve(self, memory_store_id: str) -> MemoryStore:
        return await self._get(_store_path("", memory_store_id), MemoryStore)

    async def update(
        self, memory_store_id: str, params: MemoryStoreUpdateParams | Mapping[str, Any] | None = None, /, **fields: Any
    ) -> MemoryStore:
        return await self._post(_store_path("", memory_store_id), MemoryStore, body(params, fields))

    def list(
        self,
        *,
        include_archived: bool | None = None,
        created_at_gte: Timestamp | None = None,
        created_at_lte: Timestamp | None = None,
        limit: int | None = None,
    ) -> AsyncPaginator[MemoryStore]:
        params = query(
            include_archived=include_archived, created_at_gte=created_at_gte, created_at_lte=created_at_lte, limit=limit
        )
        return self._list("/v1/memory_stores", MemoryStore, params)

    async def archive(self, memory_store_id: str) -> MemoryStore:
        return await self._post(_store_path("/archive", memory_store_id), MemoryStore)

    async def delete(self, memory_store_id: str) -> DeletedObject:
        return await self._delete(_store_path("", memory_store_id))


def _store_path(tail: str, memory_store_id: str, *ids: str) -> str:
    return path("/v1/memory_stores/{}" + tail, memory_store_id, *ids)


def _view(view: MemoryView | None) -> str:
    """``view`` of a POST, which goes in the query string."""
    return f"?view={view}" if view else ""


class Files(_Resource):
    """``/v1/files``: uploads, and the files sessions write under ``/mnt/session/outputs``.

    Sent with the files beta next to the client's own."""

    def __init__(self, transport: HTTPTransport) -> None:
        super().__init__(transport.with_beta(f"{BETA},{FILES_BETA}"))

    async def upload(
        self, file: Path | str, *, filename: str | None = None, mime_type: str | None = None
    ) -> FileMetadata:
        """Upload the local file at ``file`` (its name unless ``filename`` is given; the type
        guessed from the name unless ``mime_type`` is)."""
        local = Path(file)
        content = await asyncio.to_thread(local.read_bytes)
        name = filename or local.name
        part = (name, content, mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream")
        response = await self._transport.send("POST", "/v1/files", files={"file": part}, replay_safe=False)
        return parse_json(response, FileMetadata)

    def list(self, *, scope_id: str | None = None, limit: int | None = None) -> AsyncPaginator[FileMetadata]:
        """Every file, newest first; ``scope_id`` (a session id) only what that session wrote."""
        params = query(scope_id=scope_id, limit=limit)
        return self._list("/v1/files", FileMetadata, params)

    async def retrieve_metadata(self, file_id: str) -> FileMetadata:
        return await self._get(path("/v1/files/{}", file_id), FileMetadata)

    async def download(self, file_id: str) -> bytes:
        response = await self._transport.send("GET", path("/v1/files/{}/content", file_id))
        return response.content

    async def delete(self, file_id: str) -> DeletedObject:
        return await self._delete(path("/v1/files/{}", file_id))


class AgentClient:
    """The Agent API client. Use ``async with AgentClient(key) as client`` (or ``await client.aclose()``).

    ``api_key`` (a string or :class:`app.config.Secret`) falls back to ``$ANTHROPIC_API_KEY``. The
    keywords are :class:`~app.api.http.HTTPTransport`'s: ``base_url``, ``workspace_id``,
    ``max_retries`` (2), ``timeout`` (600 s, 5 s to connect) and ``http_client``, a connection pool
    to share, which :meth:`aclose` then leaves open.
    """

    def __init__(self, api_key: str | Secret | None = None, **options: Unpack[TransportOptions]) -> None:
        key = api_key.reveal() if isinstance(api_key, Secret) else api_key or os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise AgentAPIError("no API key: pass api_key or set ANTHROPIC_API_KEY")
        self._transport = HTTPTransport(key, **options)
        self.environments = Environments(self._transport)
        self.agents = Agents(self._transport)
        self.sessions = Sessions(self._transport)
        self.vaults = Vaults(self._transport)
        self.skills = Skills(self._transport)
        self.memory_stores = MemoryStores(self._transport)
        self.files = Files(self._transport)

    def __repr__(self) -> str:
        t = self._transport
        return f"AgentClient(base_url={t.base_url!r}, workspace_id={t.workspace_id!r}, max_retries={t.max_retries})"

    async def aclose(self) -> None:
        """Release the connection pool."""
        await self._transport.aclose()

    async def __aenter__(self) -> AgentClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


def client_for(settings: Settings) -> AgentClient:
    """The client for ``settings``' API key (``$ANTHROPIC_API_KEY`` when unset), base URL and workspace."""
    return AgentClient(settings.api_key, base_url=settings.base_url, workspace_id=settings.workspace_id)
