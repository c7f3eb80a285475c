"""The top-level object screens share one look: a titled pane with the table, a status line under
it and the footer (files f3, agents f4, memory stores f6, skills f7), pinned at 80x24 with two
objects each at fixed ids and times.

Update with ``pytest tests/tui/test_snapshots_object_screens.py --snapshot-update`` after a
deliberate change, and look at each picture.
"""

from __future__ import annotations

import pytest

from app.runtime.file_store import content_path
from app.tui.app import AgentDeckApp
from app.tui.screens.agents import AgentsScreen
from app.tui.screens.files import FilesScreen
from app.tui.screens.memory_stores import MemoryStoresScreen
from app.tui.screens.skills import SkillsScreen
from tests.tui.agents_support import upload_skill
from tests.tui.pilot_support import wait_for
from tests.tui.test_snapshots_memory import seeded

SMALL = (80, 24)
STAMP = "2026-12-01T10:00:00Z"
FILES = [
    ("file_011CaRupload00000000001", "notes [b]old.txt", 18, "text/plain", None),
    ("file_011CaRoutput00000000002", "report.md", 4300, "text/markdown", "sesn_011CaRsession00000000001"),
]


def store_files(runtime) -> None:
    """An upload with markup in its name and a session's output, at fixed ids and times."""
    store = runtime.runtime.store
    for index, (file_id, name, size, mime, scope) in enumerate(FILES):
        content_path(store, file_id).write_bytes(b"x" * size)
        store.put_file(
            {
                "type": "file",
                "id": file_id,
                "filename": name,
                "mime_type": mime,
                "size_bytes": size,
                "created_at": f"2026-12-01T10:0{index}:00Z",
                "downloadable": True,
                "expires_at": None,
                "scope": {"type": "session", "id": scope} if scope else None,
            }
        )


def fixed_agents(seed, runtime) -> None:
    """Two agents with fixed ids and times (the ones the API made are archived, so not listed)."""
    for n, (name, custom) in enumerate((("helper", ("lookup",)), ("reviewer", ()))):
        made = seed.agent(name, custom=custom)
        fixed = {**made, "id": f"agent_011CaR{name}0000000{n}", "created_at": STAMP, "updated_at": STAMP}
        runtime.runtime.store.put_agent(fixed)
        seed.post(f"/v1/agents/{made['id']}/archive", {})


def fixed_skills(seed, runtime) -> None:
    """Two skills with fixed ids and times (the uploaded ones are deleted)."""
    for n, folder in enumerate(("pdf-tools", "release-notes")):
        made = upload_skill(seed, folder, f"---\nname: {folder}\ndescription: {folder} skill\n---\n")
        fixed = {
            **made,
            "id": f"skill_011CaR{n}",
            "latest_version_id": f"176{n}000000000000",
            "created_at": STAMP,
            "updated_at": STAMP,
        }
        runtime.runtime.store.put_skill(fixed)
        seed.http.delete(f"/v1/skills/{made['id']}").raise_for_status()


SCREENS = [
    ("f3", FilesScreen, lambda seed, runtime: store_files(runtime)),
    ("f4", AgentsScreen, fixed_agents),
    ("f6", MemoryStoresScreen, lambda seed, runtime: seeded(runtime)),
    ("f7", SkillsScreen, fixed_skills),
]


@pytest.mark.parametrize(("key", "screen", "objects"), SCREENS, ids=[screen.__name__ for _, screen, _ in SCREENS])
def test_object_screen_at_80x24(snap_compare, settings, seed, runtime, key, screen, objects) -> None:
    objects(seed, runtime)

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: pilot.app.backend is not None, "the backend")
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen) and len(pilot.app.screen.items) == 2)
        await pilot.pause()

    assert snap_compare(AgentDeckApp(settings), terminal_size=SMALL, run_before=run_before)
