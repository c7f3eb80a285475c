"""SkillsScreen: the workspace's skills; upload one from a folder, upload new versions, delete.

Opened with ``f7`` or "Skills" in the command palette. ``n`` uploads a folder as a new skill,
``u`` uploads it again as a new version of the highlighted skill, ``v`` lists its versions (``s``
there saves one's files into a local folder, ``d`` deletes one), ``d`` deletes the highlighted
skill after a confirmation. Attach skills to an agent in the agent editor (``f4``). Everything
from the server is shown as plain text.
"""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

from textual import work
from textual.binding import Binding

from app.api.errors import AgentAPIError
from app.api.models import SkillInfo, SkillVersion
from app.api.pagination import AsyncPaginator
from app.tui.callbacks import no_result
from app.tui.format import when
from app.tui.paths import save_folder
from app.tui.screens.confirm import confirm
from app.tui.screens.object_screen import ObjectDialog, ObjectScreen
from app.tui.screens.one_field_form import OneFieldForm
from app.tui.screens.skill_upload import SkillUploadForm
from app.tui.skill_download import SkillSaveError, unpack


class SkillVersionsScreen(ObjectDialog[SkillVersion]):
    """The versions of ``skill``, newest first; ``s`` saves the highlighted one's files to a local
    folder, ``d`` deletes it (confirmed)."""

    BINDINGS = [
        Binding("s", "save", "Save files to…", id="skill_versions.save"),
        Binding("d", "delete", "Delete version", id="skill_versions.delete"),
        Binding("escape", "close", "Close", id="skill_versions.close"),
    ]

    BOX_ID = "skill-versions"
    TABLE_ID = "skill-versions-table"
    COLUMNS = ("version", "uploaded", "name", "description")
    KIND = "version"
    EMPTY = ""

    def __init__(self, skill: SkillInfo) -> None:
        super().__init__()
        self.skill = skill

    def heading(self) -> str:
        return f"Versions of {self.skill.display_name}"

    def listing(self) -> AsyncPaginator[SkillVersion]:
        return self.client.skills.versions.list(self.skill.id)

    def cells(self, version: SkillVersion) -> tuple[str, ...]:
        return version.id, when(version.created_at), version.name, version.description

    def action_save(self) -> None:
        version = self.selected
        if version is not None:
            form = OneFieldForm(
                f"Save version {version.id} of {version.name}",
                f"Save to (a folder; the files go in {version.name}/ inside it)",
                save_folder,
                value=f"{Path.cwd()}/",
                ok="Save",
            )
            self.app.push_screen(form, no_result(partial(self._save, version)))

    @work(group="skill-save", exit_on_error=False)
    async def _save(self, version: SkillVersion, folder: Path | None) -> None:
        if folder is None:
            return
        try:
            content = await self.client.skills.versions.download(self.skill.id, version.id)
            written = await asyncio.to_thread(unpack, content, folder)
        except (AgentAPIError, SkillSaveError) as exc:
            self.notify(f"Could not save version {version.id}: {exc}", severity="error", markup=False)
            return
        except OSError as exc:
            self.notify(f"Could not save version {version.id}: {exc.strerror or exc}", severity="error", markup=False)
            return
        count = len(written)
        self.notify(f"Saved {count} file{'' if count == 1 else 's'} of {version.name} to {folder}.", markup=False)

    def action_delete(self) -> None:
        version = self.selected
        if version is not None:
            confirm(self, f"Delete version {version.id}?", "Delete", lambda: self._delete(version))

    @work(exit_on_error=False)
    async def _delete(self, version: SkillVersion) -> None:
        call = self.client.skills.versions.delete(self.skill.id, version.id)
        await self.attempt(call, "Could not delete the version", lambda _: f"Deleted version {version.id}.")


class SkillsScreen(ObjectScreen[SkillInfo]):
    """The skills list (see the module docstring)."""

    BINDING_GROUP_TITLE = "Skills"
    BINDINGS = [
        Binding("n", "new", "New from folder", id="skills.new"),
        Binding("u", "new_version", "Upload version", id="skills.new_version"),
        Binding("v", "versions", "Versions", id="skills.versions"),
        Binding("d", "delete", "Delete", id="skills.delete"),
        Binding("r", "reload", "Reload", id="skills.reload"),
        Binding("escape", "close", "Back", id="skills.close"),
    ]

    BOX_ID = "skills-pane"
    TABLE_ID = "skills-table"
    COLUMNS = ("name", "source", "latest version", "updated", "id")
    KIND = "skill"
    EMPTY = "No skills yet: n uploads a folder that holds a SKILL.md."

    def listing(self) -> AsyncPaginator[SkillInfo]:
        return self.client.skills.list()

    def cells(self, skill: SkillInfo) -> tuple[str, ...]:
        return skill.display_name, skill.source.type, skill.latest_version_id, when(skill.updated_at), skill.id

    def action_new(self) -> None:
        self.app.push_screen(SkillUploadForm(), self._uploaded)

    def action_new_version(self) -> None:
        if self.selected is not None:
            self.app.push_screen(SkillUploadForm(self.selected), self._uploaded)

    def _uploaded(self, made: SkillInfo | SkillVersion | None) -> None:
        if isinstance(made, SkillInfo):
            self.notify(f"Uploaded skill {made.display_name}.", markup=False)
        elif made is not None:
            self.notify(f"Uploaded version {made.id} of {made.name}.", markup=False)
        if made is not None:
            self.action_reload()

    def action_versions(self) -> None:
        if self.selected is not None:
            self.app.push_screen(SkillVersionsScreen(self.selected))

    def action_delete(self) -> None:
        skill = self.selected
        if skill is not None:
            question = f"Delete skill {skill.display_name} and all its versions? Agents that use it lose it."
            confirm(self, question, "Delete", lambda: self._delete(skill))

    @work(exit_on_error=False)
    async def _delete(self, skill: SkillInfo) -> None:
        done = f"Deleted skill {skill.display_name}."
        await self.attempt(
            self.client.skills.delete(skill.id), f"Could not delete {skill.display_name}", lambda _: done
        )
