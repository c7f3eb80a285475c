"""SkillUploadForm: a local folder (with a SKILL.md) to upload as a new skill, or as a new version
of ``skill``. The folder is read and sent in a worker; a folder that cannot be used, or an error
from the API, shows under the folder field and nothing typed is lost. Dismisses with the new
skill or version, or ``None`` when cancelled."""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from app.api.errors import AgentAPIError
from app.api.models import SkillInfo, SkillVersion
from app.api.skill_folder import SkillFolderError, read_skill_folder
from app.tui.host import client_of
from app.tui.screens.field_form import FieldForm
from app.tui.widgets.dialog_buttons import dialog_buttons
from app.tui.widgets.footer import Footer
from app.tui.widgets.message_line import MessageLine


class SkillUploadForm(FieldForm["SkillInfo | SkillVersion | None"]):
    """Upload a folder: a new skill (``skill=None``) or a new version of ``skill``."""

    BINDINGS = [
        Binding("ctrl+s", "upload", "Upload", id="skill_upload.upload"),
        Binding("escape", "cancel", "Cancel", id="skill_upload.cancel"),
    ]

    def __init__(self, skill: SkillInfo | None = None) -> None:
        super().__init__()
        self.skill = skill
        self._busy = False

    def compose(self) -> ComposeResult:
        title = "New skill" if self.skill is None else f"New version of {self.skill.display_name}"
        with Vertical(id="skill-upload", classes="dialog form"):
            yield Static(Content(title), classes="dialog-title")
            yield Label("Folder (holds SKILL.md; every file in it is uploaded)")
            yield Input(placeholder="~/skills/my-skill", id="skill-folder", compact=True)
            yield MessageLine(id="skill-folder-error", classes="field-error")
            if self.skill is None:
                yield Label("Display name (optional: SKILL.md's name otherwise)")
                yield Input(id="skill-display-name", compact=True)
            yield dialog_buttons("Upload", "upload", "cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#skill-folder").focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#upload")
    @on(Input.Submitted)
    def action_upload(self) -> None:
        if not self._busy:
            self._busy = True
            self._upload(self.query_one("#skill-folder", Input).value.strip())

    @work(exclusive=True, exit_on_error=False)
    async def _upload(self, folder: str) -> None:
        client = client_of(self)
        error = self.query_one("#skill-folder-error", MessageLine)
        try:
            if not folder:
                raise SkillFolderError("Type the path of a folder that holds a SKILL.md.")
            files = await asyncio.to_thread(read_skill_folder, folder)
            made: SkillInfo | SkillVersion
            if self.skill is None:
                display_name = self.query_one("#skill-display-name", Input).value.strip() or None
                made = await client.skills.create(files, display_name=display_name)
            else:
                made = await client.skills.versions.create(self.skill.id, files)
        except (SkillFolderError, OSError, AgentAPIError) as exc:
            error.say(str(exc))
            self.query_one("#skill-folder").focus()
            return
        finally:
            self._busy = False
        self.dismiss(made)
