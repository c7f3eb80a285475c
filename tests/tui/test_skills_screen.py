"""The Skills screen (f7): upload a folder, new versions, versions list, deletes; against the
embedded runtime over loopback."""

from __future__ import annotations

from textual.widgets import Input, Static

from app.tui.screens.one_field_form import OneFieldForm
from app.tui.screens.skill_upload import SkillUploadForm
from app.tui.screens.skills import SkillsScreen, SkillVersionsScreen
from tests.tui.agents_support import SKILL_MD, make_skill_folder, on_screen, upload_skill
from tests.tui.pilot_support import screen_text, wait_for


def skills(seed) -> list[dict]:
    return seed.http.get("/v1/skills").json()["data"]


def folder_error(form: SkillUploadForm) -> str:
    return str(form.query_one("#skill-folder-error", Static).render())


async def upload_form(pilot, key: str) -> SkillUploadForm:
    await pilot.press(key)
    return await wait_for(pilot, lambda: isinstance(pilot.app.screen, SkillUploadForm) and pilot.app.screen)


async def test_n_uploads_a_folder_as_a_new_skill(settings, seed, tmp_path):
    folder = make_skill_folder(tmp_path / "local")
    (folder / "scripts").mkdir()
    (folder / "scripts" / "fill.py").write_text("print('fill')\n")
    async with on_screen(settings, "f7", "No skills yet") as pilot:
        form = await upload_form(pilot, "n")
        form.query_one("#skill-display-name", Input).value = "PDF helpers"
        form.query_one("#skill-folder", Input).value = str(folder)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SkillsScreen), "the form to close")
        await wait_for(pilot, lambda: "PDF helpers" in screen_text(pilot.app), "the new skill listed")
        [stored] = skills(seed)
        assert stored["display_name"] == "PDF helpers"
        archive = seed.http.get(f"/v1/skills/{stored['id']}/versions/{stored['latest_version_id']}/content").content
        assert b"pdf-tools/scripts/fill.py" in archive


async def test_a_folder_that_cannot_be_a_skill_is_refused_under_the_field(settings, seed, tmp_path):
    async with on_screen(settings, "f7", "No skills yet") as pilot:
        form = await upload_form(pilot, "n")
        form.query_one("#skill-folder", Input).value = str(tmp_path)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "has no SKILL.md" in folder_error(form), "the folder error")
        bad = make_skill_folder(tmp_path / "bad", "Bad Name", "---\nname: Not Kebab\n---\n")
        form.query_one("#skill-folder", Input).value = str(bad)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "must be kebab-case" in folder_error(form), "the API's error")
        assert form.query_one("#skill-folder-error").display
        assert isinstance(pilot.app.screen, SkillUploadForm) and form.query_one("#skill-folder", Input).value == str(
            bad
        )
        assert skills(seed) == []


async def test_u_uploads_a_new_version_and_v_lists_and_deletes_versions(settings, seed, tmp_path):
    skill = upload_skill(seed)
    folder = make_skill_folder(tmp_path, skill_md=SKILL_MD.replace("Fill PDF forms.", "Fill and sign PDF forms."))
    async with on_screen(settings, "f7", "pdf-tools") as pilot:
        form = await upload_form(pilot, "u")
        form.query_one("#skill-folder", Input).value = str(folder)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SkillsScreen), "the form to close")
        await wait_for(pilot, lambda: skills(seed)[0]["latest_version_id"] != skill["latest_version_id"])
        await pilot.press("v")
        await wait_for(pilot, lambda: "Fill and sign PDF forms." in screen_text(pilot.app), "the versions")
        assert isinstance(pilot.app.screen, SkillVersionsScreen) and "2 versions" in screen_text(pilot.app)
        await pilot.press("d")
        await wait_for(pilot, lambda: "Delete version" in screen_text(pilot.app), "the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: len(pilot.app.screen.items) == 1, "one version left")
        assert "1 version " in screen_text(pilot.app)
        assert skills(seed)[0]["latest_version_id"] == skill["latest_version_id"]


async def test_d_deletes_a_skill_after_asking(settings, seed):
    upload_skill(seed)
    async with on_screen(settings, "f7", "pdf-tools") as pilot:
        await pilot.press("d")
        await wait_for(pilot, lambda: "Delete skill pdf-tools" in screen_text(pilot.app), "the question")
        await pilot.press("n")
        assert len(skills(seed)) == 1
        await pilot.press("d")
        await wait_for(pilot, lambda: "Delete skill pdf-tools" in screen_text(pilot.app), "the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: "No skills yet" in screen_text(pilot.app), "the empty list")
        assert skills(seed) == []


def upload_two_files(seed) -> dict:
    files = [
        ("files[]", ("pdf-tools/SKILL.md", SKILL_MD.encode(), "text/markdown")),
        ("files[]", ("pdf-tools/scripts/fill.py", b"print('fill')\n", "text/x-python")),
    ]
    reply = seed.http.post("/v1/skills", files=files)
    reply.raise_for_status()
    return reply.json()


def toasts(app) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def save_form(pilot) -> OneFieldForm:
    await pilot.press("v")
    await wait_for(pilot, lambda: "1 version" in screen_text(pilot.app), "the versions")
    await pilot.press("s")
    return await wait_for(pilot, lambda: isinstance(pilot.app.screen, OneFieldForm) and pilot.app.screen, "the form")


async def test_s_in_the_versions_saves_a_versions_files_into_a_folder(settings, seed, tmp_path):
    upload_two_files(seed)
    async with on_screen(settings, "f7", "pdf-tools") as pilot:
        form = await save_form(pilot)
        form.query_one("#value-field", Input).value = str(tmp_path)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("Saved 2 files" in t for t in toasts(pilot.app)), "the saved toast")
        assert isinstance(pilot.app.screen, SkillVersionsScreen)
    assert (tmp_path / "pdf-tools" / "SKILL.md").read_text() == SKILL_MD
    assert (tmp_path / "pdf-tools" / "scripts" / "fill.py").read_text() == "print('fill')\n"


async def test_saving_never_overwrites_and_a_missing_folder_is_said_under_the_field(settings, seed, tmp_path):
    upload_two_files(seed)
    (tmp_path / "pdf-tools").mkdir()
    (tmp_path / "pdf-tools" / "SKILL.md").write_text("mine")
    async with on_screen(settings, "f7", "pdf-tools") as pilot:
        form = await save_form(pilot)
        form.query_one("#value-field", Input).value = str(tmp_path / "missing")
        await pilot.press("enter")
        error = form.query_one("#value-field-error", Static)
        await wait_for(pilot, lambda: "no such folder" in str(error.render()), "the folder error")
        form.query_one("#value-field", Input).value = str(tmp_path)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("already exists" in t for t in toasts(pilot.app)), "the refusal")
    assert (tmp_path / "pdf-tools" / "SKILL.md").read_text() == "mine"
    assert not (tmp_path / "pdf-tools" / "scripts").exists()
