"""The new session form's memory store picker, against the embedded runtime over loopback."""

from __future__ import annotations

from textual.widgets import Select

from app.tui.screens.session_form import SessionFormScreen
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for
from tests.tui.sessions_support import PaneApp, open_form


async def test_a_picked_memory_store_is_attached_to_the_new_session(settings, seed) -> None:
    seed.environment("dev")
    seed.agent("helper")
    store = seed.post("/v1/memory_stores", {"name": "Team [notes]"})
    seed.post("/v1/memory_stores/" + seed.post("/v1/memory_stores", {"name": "old"})["id"] + "/archive")
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        form = await open_form(pilot)
        picker = form.query_one("#memory-store", Select)
        await wait_for(pilot, lambda: picker._options[1:], what="the stores")
        assert [value for _, value in picker._options[1:]] == [store["id"]]  # archived ones are not offered
        assert picker.selection is None  # none unless picked
        picker.value = store["id"]
        form.query_one("#title").value = "remembers"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionFormScreen), what="the form to close")

    sessions = seed.http.get("/v1/sessions").json()["data"]
    [session] = [s for s in sessions if s["title"] == "remembers"]
    [resource] = session["resources"]
    assert (resource["type"], resource["memory_store_id"], resource["mount_path"]) == (
        "memory_store",
        store["id"],
        "/mnt/memory/team-notes",
    )
