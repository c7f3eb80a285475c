"""SkillsScreen: the workspace's skills; upload one from a folder, upload new versions, delete.

Opened with ``f7`` or "Skills" in the command palette. ``n`` uploads a folder as a new skill,
``u`` uploads it again as a new version of the highlighted skill, ``v`` lists its versions
(``d`` there deletes one), ``d`` deletes the highlighted skill after a confirmation. Attach skills
to an agent in the agent editor (``f4``). Everything from the server is shown as plain text.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from app.api.errors import AgentAPIError
from app.api.models import SkillInfo, SkillVersion
from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.skill_upload import SkillUploadForm
from app.tui.skipped import skipped_note
from app.tui.widgets.footer import Footer


def _when(stamp: str) -> str:
    return stamp[:19].replace("T", " ")


class SkillVersionsScreen(ModalScreen[None]):
    """The versions of ``skill``, newest first; ``d`` deletes the highlighted one (confirmed)."""

    BINDINGS = [
        Binding("d", "delete", "Delete version", id="skill_versions.delete"),
        Binding("escape", "close", "Close", id="skill_versions.close"),
    ]

    def __init__(self, skill: SkillInfo) -> None:
        super().__init__()
        self.skill = skill
        self.versions: list[SkillVersion] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="skill-versions", classes="dialog"):
            yield Static(Content(f"Versions of {self.skill.display_name}"), classes="dialog-title")
            table = DataTable(id="skill-versions-table", cursor_type="row")
            table.add_columns("version", "uploaded", "name", "description")
            yield table
            yield Static(id="skill-versions-status", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    @work(exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        status = self.query_one("#skill-versions-status", Static)
        try:
            self.versions = [v async for v in self.app.backend.client.skills.versions.list(self.skill.id)]
        except AgentAPIError as exc:
            status.update(Content(f"Could not list versions: {exc}"))
            return
        table = self.query_one(DataTable)
        table.clear()
        for version in self.versions:
            table.add_row(*map(Text, (version.id, _when(version.created_at), version.name, version.description)))
        status.update(Content(f"{len(self.versions)} versions; the newest is the one agents use unless pinned"))
        table.focus()

    def action_delete(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if not 0 <= row < len(self.versions):
            return
        version = self.versions[row]

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(version)

        self.app.push_screen(ConfirmScreen(f"Delete version {version.id}?", yes="Delete"), answered)

    @work(exit_on_error=False)
    async def _delete(self, version: SkillVersion) -> None:
        try:
            await self.app.backend.client.skills.versions.delete(self.skill.id, version.id)
        except AgentAPIError as exc:
            self.notify(f"Could not delete the version: {exc}", severity="error", markup=False)
            return
        self.notify(f"Deleted version {version.id}.", markup=False)
        self._load()

    def action_close(self) -> None:
        self.dismiss(None)


class SkillsScreen(Screen[None]):
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

    def __init__(self) -> None:
        super().__init__()
        self.skills: list[SkillInfo] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="skills-pane", classes="pane") as pane:
            pane.border_title = "Skills"
            table = DataTable(id="skills-table", cursor_type="row", zebra_stripes=True)
            table.add_columns("name", "source", "latest version", "updated", "id")
            yield table
            yield Static(id="skills-status", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    @property
    def selected(self) -> SkillInfo | None:
        row = self.query_one(DataTable).cursor_row
        return self.skills[row] if self.skills and 0 <= row < len(self.skills) else None

    @work(exclusive=True, group="skills-load", exit_on_error=False)
    async def action_reload(self) -> None:
        status = self.query_one("#skills-status", Static)
        listing = self.app.backend.client.skills.list()
        try:
            skills = [skill async for skill in listing]
        except AgentAPIError as exc:
            status.update(Content(f"Could not list skills: {exc}"))
            return
        if note := skipped_note("skill", listing.skipped):
            self.notify(note, severity="warning", markup=False)
        self.skills = skills
        table = self.query_one(DataTable)
        table.clear()
        for skill in skills:
            cells = (skill.display_name, skill.source.type, skill.latest_version_id, _when(skill.updated_at), skill.id)
            table.add_row(*map(Text, cells))
        empty = "No skills yet: n uploads a folder that holds a SKILL.md."
        status.update(Content(empty if not skills else f"{len(skills)} skills"))
        table.focus()

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
        if skill is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(skill)

        question = f"Delete skill {skill.display_name} and all its versions? Agents that use it lose it."
        self.app.push_screen(ConfirmScreen(question, yes="Delete"), answered)

    @work(exit_on_error=False)
    async def _delete(self, skill: SkillInfo) -> None:
        try:
            await self.app.backend.client.skills.delete(skill.id)
        except AgentAPIError as exc:
            self.notify(f"Could not delete {skill.display_name}: {exc}", severity="error", markup=False)
            return
        self.notify(f"Deleted skill {skill.display_name}.", markup=False)
        self.action_reload()

    def action_close(self) -> None:
        self.dismiss(None)
