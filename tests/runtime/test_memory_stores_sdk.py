"""The official SDK (strict response validation) drives the runtime's memory stores, memories and
memory versions over loopback HTTP."""

from __future__ import annotations

import hashlib

import anthropic
import pytest


@pytest.fixture
def stores(sdk):
    return sdk.beta.memory_stores


def test_a_store_is_created_listed_updated_archived_and_deleted(stores):
    created = stores.create(name="Team notes", description="What we learned", metadata={"owner": "ana"})
    assert created.id.startswith("memstore_") and created.archived_at is None
    assert stores.retrieve(created.id).name == "Team notes"
    other = stores.create(name="Scratch")
    assert [s.id for s in stores.list()] == [created.id, other.id]

    updated = stores.update(created.id, name="Team memory", metadata={"owner": None, "team": "core"})
    assert (updated.name, updated.description, updated.metadata) == ("Team memory", "What we learned", {"team": "core"})

    archived = stores.archive(created.id)
    assert archived.archived_at is not None
    assert [s.id for s in stores.list()] == [other.id]
    assert {s.id for s in stores.list(include_archived=True)} == {created.id, other.id}
    with pytest.raises(anthropic.BadRequestError, match="archived"):
        stores.update(created.id, name="again")

    assert stores.delete(created.id).type == "memory_store_deleted"
    with pytest.raises(anthropic.NotFoundError):
        stores.retrieve(created.id)


def test_memories_are_written_read_moved_listed_by_folder_and_deleted(stores):
    store_id = stores.create(name="notes").id
    memories = stores.memories
    first = memories.create(store_id, path="/people/ana.md", content="Ana likes tea")
    assert first.content is None and first.content_sha256 == hashlib.sha256(b"Ana likes tea").hexdigest()
    memories.create(store_id, path="/people/team/bo.md", content="Bo")
    memories.create(store_id, path="/todo.md", content="ship it")

    assert memories.retrieve(first.id, memory_store_id=store_id).content == "Ana likes tea"
    assert [m.path for m in memories.list(store_id)] == ["/people/ana.md", "/people/team/bo.md", "/todo.md"]
    shallow = list(memories.list(store_id, depth=1))
    assert [(m.type, m.path) for m in shallow] == [("memory_prefix", "/people/"), ("memory", "/todo.md")]
    under = list(memories.list(store_id, path_prefix="/people/", view="full"))
    assert [m.content for m in under] == ["Ana likes tea", "Bo"]

    moved = memories.update(first.id, memory_store_id=store_id, path="/people/ana-k.md", content="Ana likes coffee")
    assert moved.id == first.id and moved.path == "/people/ana-k.md"
    with pytest.raises(anthropic.ConflictError):
        memories.update(
            first.id,
            memory_store_id=store_id,
            content="stale",
            precondition={"type": "content_sha256", "content_sha256": first.content_sha256},
        )
    with pytest.raises(anthropic.ConflictError):
        memories.create(store_id, path="/todo.md", content="twice")
    with pytest.raises(anthropic.BadRequestError, match="path"):
        memories.create(store_id, path="no-slash.md", content="x")

    assert memories.delete(first.id, memory_store_id=store_id).type == "memory_deleted"
    assert [m.path for m in memories.list(store_id)] == ["/people/team/bo.md", "/todo.md"]


def test_every_change_leaves_a_version_and_old_ones_can_be_redacted(stores):
    store_id = stores.create(name="audit").id
    memory = stores.memories.create(store_id, path="/secret.md", content="the code is 1234")
    stores.memories.update(memory.id, memory_store_id=store_id, content="no code here")
    stores.memories.delete(memory.id, memory_store_id=store_id)

    versions = list(stores.memory_versions.list(store_id, memory_id=memory.id))
    assert [v.operation for v in versions] == ["deleted", "modified", "created"]
    assert versions[2].created_by.type == "api_actor" and versions[2].content is None
    first = stores.memory_versions.retrieve(versions[2].id, memory_store_id=store_id)
    assert first.content == "the code is 1234"

    redacted = stores.memory_versions.redact(first.id, memory_store_id=store_id)
    assert redacted.redacted_at is not None and redacted.content is None and redacted.path is None
    again = stores.memory_versions.retrieve(first.id, memory_store_id=store_id)
    assert again.content is None and again.redacted_by is not None
    assert [v.operation for v in stores.memory_versions.list(store_id, operation="created")] == ["created"]


def test_the_current_version_cannot_be_redacted(stores):
    store_id = stores.create(name="live").id
    memory = stores.memories.create(store_id, path="/a.md", content="a")
    with pytest.raises(anthropic.BadRequestError, match="current"):
        stores.memory_versions.redact(memory.memory_version_id, memory_store_id=store_id)


def test_an_archived_store_is_read_only_but_can_be_deleted(stores):
    store_id = stores.create(name="old").id
    memory = stores.memories.create(store_id, path="/a.md", content="a")
    stores.archive(store_id)
    with pytest.raises(anthropic.BadRequestError, match="archived"):
        stores.memories.create(store_id, path="/b.md", content="b")
    assert stores.memories.retrieve(memory.id, memory_store_id=store_id).content == "a"
    stores.delete(store_id)
    with pytest.raises(anthropic.NotFoundError):
        stores.memories.retrieve(memory.id, memory_store_id=store_id)
