"""Our own client's memory store calls against the runtime over loopback HTTP: every method, the
family's beta header, and the typed models that come back."""

from __future__ import annotations

import pytest
from starlette.responses import JSONResponse

from app.api.client import AgentClient
from app.api.errors import ConflictError
from app.api.models import Memory, MemoryPrefix, MemoryStore, MemoryVersion
from tests.runtime.conftest import API_KEY


@pytest.fixture
async def client(served):
    async with AgentClient(API_KEY, base_url=served.base_url) as ours:
        yield ours


async def test_stores_round_trip_through_every_call(client):
    stores = client.memory_stores
    made = await stores.create(name="Notes", description="what we know")
    assert isinstance(made, MemoryStore) and made.description == "what we know"
    assert (await stores.retrieve(made.id)).name == "Notes"
    assert (await stores.update(made.id, name="Facts")).name == "Facts"
    assert [s.id async for s in stores.list()] == [made.id]
    assert (await stores.archive(made.id)).archived_at is not None
    assert [s.id async for s in stores.list()] == []
    assert [s.id async for s in stores.list(include_archived=True)] == [made.id]
    assert [s.id async for s in stores.list(include_archived=True, created_at_gte=made.created_at)] == [made.id]
    assert [s.id async for s in stores.list(include_archived=True, created_at_lte="2000-01-01T00:00:00Z")] == []
    assert (await stores.delete(made.id)).type == "memory_store_deleted"


async def test_memories_and_versions_round_trip_through_every_call(client):
    store_id = (await client.memory_stores.create(name="Notes")).id
    memories, versions = client.memory_stores.memories, client.memory_stores.memory_versions
    made = await memories.create(store_id, path="/a/b.md", content="one")
    assert isinstance(made, Memory) and made.content is None
    full = await memories.create(store_id, path="/top.md", content="top", view="full")
    assert full.content == "top"
    assert (await memories.retrieve(made.id, memory_store_id=store_id)).content == "one"

    listed = [item async for item in memories.list(store_id, depth=1)]
    assert [(type(i), i.path) for i in listed] == [(MemoryPrefix, "/a/"), (Memory, "/top.md")]

    changed = await memories.update(
        made.id, memory_store_id=store_id, content="two", expected_sha256=made.content_sha256
    )
    with pytest.raises(ConflictError):
        await memories.update(made.id, memory_store_id=store_id, content="three", expected_sha256=made.content_sha256)
    with pytest.raises(ConflictError):
        await memories.delete(made.id, memory_store_id=store_id, expected_content_sha256=made.content_sha256)
    await memories.delete(made.id, memory_store_id=store_id, expected_content_sha256=changed.content_sha256)

    history = [v async for v in versions.list(store_id, memory_id=made.id, view="full")]
    assert all(isinstance(v, MemoryVersion) for v in history)
    assert [(v.operation, v.content) for v in history] == [("deleted", None), ("modified", "two"), ("created", "one")]
    by_api = versions.list(store_id, api_key_id="apikey_embedded_runtime", operation="created", memory_id=made.id)
    assert [v.operation async for v in by_api] == ["created"]
    assert [v async for v in versions.list(store_id, session_id="sesn_none")] == []
    first = await versions.retrieve(history[-1].id, memory_store_id=store_id)
    assert first.content == "one" and first.created_by.type == "api_actor"
    redacted = await versions.redact(first.id, memory_store_id=store_id)
    assert redacted.redacted_at is not None and redacted.content is None


async def test_memory_calls_send_the_memory_beta_header_and_the_others_keep_theirs(server):
    store = {
        "type": "memory_store",
        "id": "memstore_1",
        "name": "x",
        "description": "",
        "metadata": {},
        "created_at": "2026-05-02T09:20:11Z",
        "updated_at": "2026-05-02T09:20:11Z",
        "archived_at": None,
    }

    async def handler(request):
        listing = request.url.path.endswith(("/memories", "/sessions"))
        return JSONResponse({"data": [], "next_page": None} if listing else store)

    server.handler = handler
    async with AgentClient(API_KEY, base_url=server.base_url) as ours:
        await ours.memory_stores.retrieve("memstore_1")
        [item async for item in ours.memory_stores.memories.list("memstore_1")]
        [item async for item in ours.sessions.list()]
    betas = [r.headers["anthropic-beta"] for r in server.requests]
    assert betas == ["agent-memory-2026-07-22", "agent-memory-2026-07-22", "managed-agents-2026-04-01"]
    assert all(r.headers["x-api-key"] == API_KEY for r in server.requests)
