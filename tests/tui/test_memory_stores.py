"""The memory stores screen (f6), against the embedded runtime over loopback: stores, memories,
their versions, and the confirmations before anything is archived, deleted or redacted."""

from __future__ import annotations

from textual.widgets import DataTable, Input, TextArea

from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.memory_forms import MemoryForm, MemoryStoreForm
from app.tui.screens.memory_stores import MemoriesScreen, MemoryScreen, MemoryStoresScreen
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.test_app import RecordingApp


async def opened(pilot) -> MemoryStoresScreen:
    await wait_for(pilot, lambda: pilot.app.backend is not None, "the backend")
    await pilot.press("f6")
    return await wait_for(pilot, lambda: isinstance(pilot.app.screen, MemoryStoresScreen) and pilot.app.screen)


def rows(screen, table_id: str) -> int:
    return screen.query_one(table_id, DataTable).row_count


def shows(pilot, text: str):
    return wait_for(pilot, lambda: text in screen_text(pilot.app), repr(text))


def said(pilot, text: str):
    """Wait for a notification that holds ``text``."""
    return wait_for(pilot, lambda: any(text in notice for _, notice in pilot.app.notices), f"the notice {text!r}")


async def confirm(pilot) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen), "the confirmation")
    await pilot.press("y")


async def delete_the_last_row(pilot, screen, table_id: str) -> None:
    """Back on ``screen``: ``d``, confirmed, until its table ``table_id`` is empty; then ``esc``."""
    await wait_for(pilot, lambda: pilot.app.screen is screen, "the screen")
    await pilot.press("d")
    await confirm(pilot)
    await wait_for(pilot, lambda: rows(screen, table_id) == 0, f"{table_id} empty")
    await pilot.press("escape")


async def test_make_a_store_write_edit_and_delete_a_memory_then_archive_and_delete_the_store(settings, seed):
    app = RecordingApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = await opened(pilot)
        await shows(pilot, "No memory stores yet")

        await pilot.press("n")
        form = await wait_for(pilot, lambda: isinstance(app.screen, MemoryStoreForm) and app.screen)
        await pilot.press("ctrl+s")
        await shows(pilot, "a name is required")
        await pilot.press(*"Team [bold]notes")  # typed straight into the name: it has the focus
        await pilot.press("tab", *"who likes what")
        await pilot.press("ctrl+s")
        await said(pilot, "Saved Team [bold]notes.")
        assert "Team [bold]notes" in screen_text(app) and "who likes what" in screen_text(app)
        await pilot.press("e")
        form = await wait_for(pilot, lambda: isinstance(app.screen, MemoryStoreForm) and app.screen)
        assert form.query_one("#store-name", Input).value == "Team [bold]notes"
        form.query_one("#store-description", Input).value = "who drinks what"
        await pilot.press("ctrl+s")
        await shows(pilot, "who drinks what")

        await pilot.press("enter")
        memories = await wait_for(pilot, lambda: isinstance(app.screen, MemoriesScreen) and app.screen)
        await shows(pilot, "Memories of Team [bold]notes")
        await shows(pilot, "No memories yet")
        await pilot.press("n")
        form = await wait_for(pilot, lambda: isinstance(app.screen, MemoryForm) and app.screen)
        form.query_one("#memory-path", Input).value = "/people/ana.md"
        form.query_one("#memory-body", TextArea).text = "Ana likes tea"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: rows(memories, "#memories") == 1, "the new memory")
        await shows(pilot, "/people/ana.md")
        await shows(pilot, "1 memory")

        await pilot.press("e")
        form = await wait_for(pilot, lambda: isinstance(app.screen, MemoryForm) and app.screen)
        await wait_for(pilot, lambda: form.query_one("#memory-body", TextArea).text == "Ana likes tea")
        form.query_one("#memory-body", TextArea).text = "Ana likes coffee"
        await pilot.press("ctrl+s")
        await said(pilot, "Saved /people/ana.md.")

        await pilot.press("v")
        memory = await wait_for(pilot, lambda: isinstance(app.screen, MemoryScreen) and app.screen)
        await wait_for(pilot, lambda: rows(memory, "#memory-versions") == 2, "two versions")
        await shows(pilot, "Ana likes coffee")
        await pilot.press("x")
        await shows(pilot, "The current version can't be redacted")
        await pilot.press("down")
        await shows(pilot, "Ana likes tea")
        await pilot.press("x")
        await confirm(pilot)
        await shows(pilot, "(redacted")
        assert "Ana likes tea" not in screen_text(app)
        await pilot.press("escape")

        await delete_the_last_row(pilot, memories, "#memories")

        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("a")
        await confirm(pilot)
        await shows(pilot, "archived")
        await pilot.press("e")
        await shows(pilot, "Pick an active memory store first")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoriesScreen))
        await pilot.press("n")
        await said(pilot, "is archived: its memories can no longer change")
        assert not isinstance(app.screen, MemoryForm)
        await pilot.press("escape")
        await delete_the_last_row(pilot, screen, "#memory-stores")
        await wait_for(pilot, lambda: app.screen is app.main_screen, "back on the main screen")


async def test_a_cancelled_delete_keeps_the_store_and_the_palette_opens_the_screen(settings, seed):
    seed.post("/v1/memory_stores", {"name": "Keep me"})
    app = RecordingApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.backend is not None, "the backend")
        await pilot.press("ctrl+p")
        await pilot.press(*"Memory stores")
        await pilot.press("enter")
        screen = await wait_for(pilot, lambda: isinstance(app.screen, MemoryStoresScreen) and app.screen)
        await shows(pilot, "Keep me")
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("r")
        await shows(pilot, "Keep me")
        assert rows(screen, "#memory-stores") == 1
