"""The memory tool against a real store: each command of ``memory_20250818`` (and ``search``) on the
session's mounted stores, with its errors as results the agent reads."""

from __future__ import annotations

import pytest

from app.runtime import memories
from app.runtime.store import Store
from app.runtime.tools import memory as memory_tool

MOUNT = "/mnt/memory/notes"


@pytest.fixture
def store(tmp_path):
    db = Store(tmp_path / "runtime.sqlite3")
    db.put_memory_store(
        {
            "type": "memory_store",
            "id": "memstore_1",
            "name": "notes",
            "description": "",
            "metadata": {},
            "created_at": "t",
            "updated_at": "t",
            "archived_at": None,
        }
    )
    yield db
    db.close()


def session(access: str = "read_write") -> dict:
    mount = {"type": "memory_store", "memory_store_id": "memstore_1", "mount_path": MOUNT, "access": access}
    return {"id": "sesn_1", "resources": [mount]}


async def call(store, access="read_write", **input):
    result = await memory_tool.run(store, session(access), input)
    return result.content[0]["text"], result.is_error


async def test_create_view_edit_insert_rename_and_delete(store):
    assert await call(store, command="create", path=f"{MOUNT}/a/todo.md", file_text="buy milk\nfix bike") == (
        f"saved {MOUNT}/a/todo.md",
        False,
    )
    assert (await call(store, command="view", path=MOUNT))[0] == f"17\t{MOUNT}/a/todo.md"
    await call(store, command="str_replace", path=f"{MOUNT}/a/todo.md", old_str="milk", new_str="tea")
    await call(store, command="insert", path=f"{MOUNT}/a/todo.md", insert_line=1, insert_text="call Bo")
    text, _ = await call(store, command="view", path=f"{MOUNT}/a/todo.md")
    assert text == "     1\tbuy tea\n     2\tcall Bo\n     3\tfix bike"
    await call(store, command="rename", old_path=f"{MOUNT}/a/todo.md", new_path=f"{MOUNT}/done.md")
    assert store.memory_at("memstore_1", "/done.md")["content"] == "buy tea\ncall Bo\nfix bike"
    assert (await call(store, command="delete", path=f"{MOUNT}/done.md"))[1] is False
    assert store.memories_under("memstore_1") == []
    history = store.list_memory_versions("memstore_1")[0]
    assert [v["operation"] for v in history] == ["deleted", "modified", "modified", "modified", "created"]
    assert {v["created_by"]["session_id"] for v in history} == {"sesn_1"}


async def test_search_ranks_lines_with_more_of_the_words_first(store):
    memories.create(store, "memstore_1", "/people.md", "Ana likes tea\nBo likes coffee", memories.API_ACTOR)
    text, failed = await call(store, command="search", query="what does Ana like with tea")
    assert not failed and text.splitlines() == [
        f"{MOUNT}/people.md: Ana likes tea",
        f"{MOUNT}/people.md: Bo likes coffee",
    ]
    assert await call(store, command="search", query="bicycles") == ("no memories match", False)


@pytest.mark.parametrize(
    ("input", "problem"),
    [
        ({"command": "create", "path": "/etc/passwd", "file_text": "x"}, "not in a memory store"),
        ({"command": "view", "path": f"{MOUNT}/missing.md"}, "nothing at"),
        ({"command": "str_replace", "path": f"{MOUNT}/missing.md", "old_str": "a", "new_str": "b"}, "no memory at"),
        ({"command": "create", "path": f"{MOUNT}/../x.md", "file_text": "x"}, "segment"),
        ({"command": "fly"}, "unknown command"),
        ({"command": "create", "path": f"{MOUNT}/x.md"}, "file_text: a string is required"),
    ],
)
async def test_bad_calls_come_back_as_errors_the_agent_reads(store, input, problem):
    text, failed = await call(store, **input)
    assert failed and problem in text


async def test_a_read_only_mount_refuses_writes_but_reads(store):
    memories.create(store, "memstore_1", "/a.md", "hello", memories.API_ACTOR)
    assert await call(store, "read_only", command="create", path=f"{MOUNT}/b.md", file_text="x") == (
        f"{MOUNT} is read-only",
        True,
    )
    assert (await call(store, "read_only", command="view", path=f"{MOUNT}/a.md"))[0] == "     1\thello"
