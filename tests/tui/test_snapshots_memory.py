"""How a store's memories and a memory's dialog look (stores seeded with fixed times; the stores
screen itself is in test_snapshots_object_screens)."""

from __future__ import annotations

from app.runtime import memories
from app.tui.app import AgentDeckApp
from app.tui.screens.memory_stores import MemoriesScreen, MemoryScreen, MemoryStoresScreen
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for

STAMP = "2026-05-02T09:20:11.204Z"


def seeded(runtime) -> None:
    """Two stores (one archived) and two memories with a history, all at fixed times."""
    store = runtime.runtime.store
    for store_id, name, description, archived in (
        ("memstore_1", "Team notes", "who likes what", None),
        ("memstore_2", "Old project", "", STAMP),
    ):
        store.put_memory_store(
            {
                "type": "memory_store",
                "id": store_id,
                "name": name,
                "description": description,
                "metadata": {},
                "created_at": STAMP,
                "updated_at": STAMP,
                "archived_at": archived,
            }
        )
    for n, (path, versions) in enumerate(
        (("/people/ana.md", ["Ana likes tea", "Ana likes coffee"]), ("/todo.md", ["ship [the] release"]))
    ):
        memory = {"type": "memory", "id": f"mem_{n}", "memory_store_id": "memstore_1", "created_at": STAMP}
        for v, content in enumerate(versions):
            version_id = f"memver_{n}{v}abcdefgh"
            memory = {
                **memory,
                "path": path,
                "content": content,
                "content_sha256": memories.sha256(content),
                "content_size_bytes": len(content),
                "updated_at": STAMP,
                "memory_version_id": version_id,
            }
            operation = "modified" if v else "created"
            actor = memories.session_actor("sesn_01writer") if v else memories.API_ACTOR
            version = {
                "type": "memory_version",
                "id": version_id,
                "memory_id": memory["id"],
                "memory_store_id": "memstore_1",
                "operation": operation,
                "path": path,
                "content": content,
                "content_sha256": memory["content_sha256"],
                "content_size_bytes": len(content),
                "created_at": STAMP,
                "created_by": actor,
                "redacted_at": None,
                "redacted_by": None,
            }
            store.write_memory(memory, version, memory["id"])


async def stores_shown(pilot) -> MemoryStoresScreen:
    await wait_for(pilot, lambda: pilot.app.backend is not None, "the backend")
    await pilot.press("f6")
    screen = await wait_for(pilot, lambda: isinstance(pilot.app.screen, MemoryStoresScreen) and pilot.app.screen)
    await wait_for(pilot, lambda: len(screen.items) == 2, "the stores")
    return screen


async def memories_shown(pilot) -> MemoriesScreen:
    await stores_shown(pilot)
    await pilot.press("enter")
    dialog = await wait_for(pilot, lambda: isinstance(pilot.app.screen, MemoriesScreen) and pilot.app.screen)
    await wait_for(pilot, lambda: len(dialog.items) == 2, "the memories")
    return dialog


def test_the_memories_of_a_store(snap_compare, settings, runtime):
    seeded(runtime)
    assert snap_compare(AgentDeckApp(settings), terminal_size=TERMINAL, run_before=memories_shown)


def test_a_memory_with_its_versions_at_80x24(snap_compare, settings, runtime):
    """The dialog fits the terminal, and the content gets the room the versions leave."""
    seeded(runtime)

    async def run_before(pilot) -> None:
        await memories_shown(pilot)
        await pilot.press("v")
        dialog = await wait_for(pilot, lambda: isinstance(pilot.app.screen, MemoryScreen) and pilot.app.screen)
        await wait_for(pilot, lambda: dialog.query_one("#memory-versions").row_count == 2, "the versions")
        await pilot.pause()

    assert snap_compare(AgentDeckApp(settings), terminal_size=(80, 24), run_before=run_before)
