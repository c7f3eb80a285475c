"""The files screen (f3): upload from a path (a missing file is said in the form), save to a path,
delete after confirmation, against the embedded runtime over loopback."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input, Static

from app.tui.paths import complete
from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.files import FilesScreen, size_label
from app.tui.screens.one_field_form import OneFieldForm
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.test_app import RecordingApp, connected


async def open_files(pilot) -> FilesScreen:
    await connected(pilot)
    await pilot.press("f3")
    return await wait_for(pilot, lambda: isinstance(pilot.app.screen, FilesScreen) and pilot.app.screen, "files")


async def fill_path(pilot, text: str) -> OneFieldForm:
    form = await wait_for(pilot, lambda: isinstance(pilot.app.screen, OneFieldForm) and pilot.app.screen, "the form")
    form.query_one("#value-field", Input).value = text
    await pilot.press("enter")
    await pilot.pause()
    return form


def form_error(form: OneFieldForm) -> str:
    return str(form.query_one("#value-field-error", Static).content)


async def test_upload_save_and_delete(settings, runtime, tmp_path):
    local = tmp_path / "notes [b]old.txt"
    local.write_text("remember the milk\n")
    app = RecordingApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = await open_files(pilot)
        await wait_for(pilot, lambda: "No files yet" in screen_text(app), "the empty list")

        await pilot.press("n")
        form = await fill_path(pilot, str(tmp_path / "missing.txt"))
        assert app.screen is form and form_error(form) == f"no such file: {tmp_path / 'missing.txt'}"
        await fill_path(pilot, str(local))
        await wait_for(pilot, lambda: len(screen.items) == 1, "the uploaded file")
        assert "notes [b]old.txt" in screen_text(app) and "18 B" in screen_text(app)
        file_id = screen.items[0].id
        assert runtime.runtime.store.get_file(file_id)["filename"] == "notes [b]old.txt"

        await pilot.press("s")
        form = await fill_path(pilot, str(tmp_path / "out" / "x"))
        assert form_error(form) == f"no such folder: {tmp_path / 'out'}"
        await fill_path(pilot, str(tmp_path))
        assert form_error(form).endswith("already exists: pick another name")  # never overwritten
        saved = tmp_path / "copy.txt"
        await fill_path(pilot, str(saved))
        await wait_for(pilot, lambda: saved.exists(), "the saved copy")
        assert saved.read_text() == "remember the milk\n"

        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: screen.items == [], "the file to go")
        assert runtime.runtime.store.get_file(file_id) is None
        assert ("information", "Deleted notes [b]old.txt") in app.notices


async def test_the_palette_opens_files(settings):
    app = RecordingApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        await pilot.press("ctrl+p")
        palette = await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen, "palette")
        palette.query_one(Input).value = "Files"
        await wait_for(pilot, lambda: "f3" in screen_text(app), "the Files command")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FilesScreen), "the files screen")


def test_paths_complete_from_their_folder(tmp_path):
    (tmp_path / "report.md").write_text("x")
    (tmp_path / "reports").mkdir()
    (tmp_path / ".hidden").write_text("x")
    assert complete(f"{tmp_path}/rep") == f"{tmp_path}/report.md"
    assert complete(f"{tmp_path}/reports") == f"{tmp_path}/reports/"
    assert complete(f"{tmp_path}/.h") == f"{tmp_path}/.hidden"
    assert complete(f"{tmp_path}/zzz") is None
    assert complete(f"{tmp_path}/nowhere/x") is None


def test_sizes_read_as_people_say_them():
    assert [size_label(n) for n in (18, 4300, 12 * 1024 * 1024)] == ["18 B", "4.2 KB", "12.0 MB"]
