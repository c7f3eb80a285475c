"""AgentEditorScreen: edit an agent, saving its next version; or, given none, make a new one.

The agent's name, model, system prompt, built-in tools and roster use the new session form's
:class:`~app.tui.screens.session_form.NewAgentFields`; below them come custom tools (name,
description and a JSON input schema, checked as you type), MCP servers (name and URL) and the
skills to attach. Saving sends the version the editor opened (the optimistic lock): when someone
saved another version meanwhile, the form says so and keeps everything typed, and saving again
writes over that newer version. Dismisses with the saved (or created) agent, or ``None`` when
cancelled.
"""

from __future__ import annotations

import itertools
from functools import partial
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from app.api.errors import AgentAPIError, ConflictError
from app.api.models import Agent, CustomTool, SkillInfo, UrlMcpServer
from app.tui.host import client_of
from app.tui.screens.agent_edit import (
    EMPTY_SCHEMA,
    agent_body,
    check_custom_tool,
    check_mcp_server,
    check_schema,
    custom_tools,
    mcp_servers,
    unique,
)
from app.tui.screens.confirm import confirm
from app.tui.screens.field_form import FieldForm
from app.tui.screens.session_form import NewAgentFields
from app.tui.screens.session_spec import InvalidField, can_be_delegated_to
from app.tui.skipped import skipped_note
from app.tui.widgets.dialog_buttons import dialog_buttons
from app.tui.widgets.footer import Footer
from app.tui.widgets.message_line import MessageLine

#: Row numbers of the editor's rows: never reused, so a removed row's ids stay unique.
_rows = itertools.count()


def _remove_button(button_id: str) -> Button:
    """A row's Remove button: clicked, or ``ctrl+r`` in the row; not a stop of ``tab``, which goes
    from a row's name on to its next field."""
    button = Button("Remove", id=button_id, classes="remove", compact=True)
    button.can_focus = False
    return button


def _error(field: str) -> MessageLine:
    return MessageLine(id=f"{field}-error", classes="field-error")


def _value(field: Widget) -> object:
    """What an ``Input``, ``Select`` or ``TextArea`` holds."""
    if isinstance(field, TextArea):
        return field.text
    assert isinstance(field, Input | Select), f"not a field: {field!r}"
    return field.value


def _row_of(node: Widget | None) -> EditorRow | None:
    """The custom tool or MCP server row that holds ``node``, if any."""
    chain = node.ancestors if node else []
    return next((n for n in chain if isinstance(n, EditorRow)), None)


class EditorRow(Vertical):
    """One row of a list in the editor (ids ``<PREFIX>-<part>-<number>``), headed by its name and
    a Remove button."""

    PREFIX = ""

    def __init__(self) -> None:
        self.number = next(_rows)
        super().__init__(classes="editor-row", id=f"{self.PREFIX}-{self.number}")

    def head(self, name: str, placeholder: str) -> ComposeResult:
        """The name field with the Remove button beside it, and the name's error line."""
        n = self.number
        with Horizontal(classes="row-head"):
            yield Input(name, placeholder=placeholder, id=f"{self.PREFIX}-name-{n}", compact=True)
            yield _remove_button(f"remove-{self.PREFIX}-{n}")
        yield _error(f"{self.PREFIX}-name-{n}")


class CustomToolRow(EditorRow):
    """One custom tool: name, description and input schema, each with its error line."""

    PREFIX = "custom"

    def __init__(self, tool: CustomTool | None = None) -> None:
        super().__init__()
        self.tool = tool

    def compose(self) -> ComposeResult:
        n, tool = self.number, self.tool
        schema = EMPTY_SCHEMA if tool is None else tool.input_schema.model_dump_json(indent=2, exclude_unset=True)
        yield from self.head(tool.name if tool else "", "tool name")
        description = tool.description if tool else ""
        yield Input(description, placeholder="what it does", id=f"custom-description-{n}", compact=True)
        yield _error(f"custom-description-{n}")
        yield TextArea(schema, id=f"custom-schema-{n}", compact=True, tab_behavior="indent")
        yield _error(f"custom-schema-{n}")

    @on(TextArea.Changed)
    def _schema_edited(self, event: TextArea.Changed) -> None:
        """Check the schema as it is typed (the screen would only clear the error line)."""
        event.stop()
        field = f"custom-schema-{self.number}"
        error = self.query_one(f"#{field}-error", MessageLine)
        try:
            check_schema(event.text_area.text, field)
        except InvalidField as exc:
            error.say(exc.message)
        else:
            error.say(None)

    def value(self) -> dict[str, Any]:
        n = self.number
        return check_custom_tool(
            n,
            self.query_one(f"#custom-name-{n}", Input).value,
            self.query_one(f"#custom-description-{n}", Input).value,
            self.query_one(f"#custom-schema-{n}", TextArea).text,
        )


class McpServerRow(EditorRow):
    """One MCP server: name and URL."""

    PREFIX = "mcp"

    def __init__(self, server: UrlMcpServer | None = None) -> None:
        super().__init__()
        self.server = server

    def compose(self) -> ComposeResult:
        n, server = self.number, self.server
        yield from self.head(server.name if server else "", "server name")
        url = server.url if server else ""
        yield Input(url, placeholder="https://example.com/mcp", id=f"mcp-url-{n}", compact=True)
        yield _error(f"mcp-url-{n}")

    def value(self) -> dict[str, Any]:
        n = self.number
        name, url = (self.query_one(f"#mcp-{part}-{n}", Input).value for part in ("name", "url"))
        return check_mcp_server(n, name, url)


class AgentEditorScreen(FieldForm["Agent | None"]):
    """Edit ``agent`` (create one when None); ``agents`` are the others it may coordinate."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="agent_editor.save"),
        Binding("escape", "cancel", "Cancel", id="agent_editor.cancel"),
        Binding("ctrl+r", "remove_row", "Remove this tool or server", id="agent_editor.remove_row"),
    ]

    def __init__(self, agent: Agent | None, agents: list[Agent]) -> None:
        super().__init__()
        self.agent = agent
        self.version = agent.version if agent else None
        self._roster = [a for a in agents if (agent is None or a.id != agent.id) and can_be_delegated_to(a)]
        self._skills: list[SkillInfo] = []
        self._busy = False
        self._pristine: tuple[Any, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="agent-editor", classes="form"):
            agent = self.agent
            title = f"Edit agent {agent.name} · version {agent.version}" if agent else "New agent"
            yield Static(Content(title), classes="dialog-title")
            with VerticalScroll(id="agent-editor-body"):
                yield NewAgentFields(self._roster, id="agent-fields")
                yield Label("Custom tools: run by this client; the input schema is JSON", classes="section")
                with Vertical(id="custom-tools"):
                    yield from (CustomToolRow(tool) for tool in custom_tools(self.agent))
                yield Button("Add custom tool", id="add-custom", compact=True)
                yield Label("MCP servers", classes="section")
                with Vertical(id="mcp-servers"):
                    yield from (McpServerRow(server) for server in mcp_servers(self.agent))
                yield Button("Add MCP server", id="add-mcp", compact=True)
                yield Label("Skills (mounted at .claude/skills in each session)", classes="section")
                yield Vertical(Static("loading…", classes="muted"), id="skills")
            yield MessageLine(id="agent-editor-error", classes="form-error")
            yield dialog_buttons("Save", "save", "cancel")
        yield Footer()

    def on_mount(self) -> None:
        if self.agent is not None:
            self.query_one(NewAgentFields).fill(self.agent)
        self.query_one("#agent-name").focus()
        self._load_skills()
        self.call_after_refresh(self._remember_pristine)

    def _remember_pristine(self) -> None:
        self._pristine = self._typed()

    def _typed(self) -> tuple[Any, ...]:
        """What the fields hold now (the skills' boxes apart: see :meth:`_skill_ids`)."""
        body = self.query_one("#agent-editor-body")
        fields = body.query("Input, TextArea, Select").exclude("#skills *")
        return tuple((field.id, _value(field)) for field in fields)

    @work(exit_on_error=False, group="agent-editor-skills")
    async def _load_skills(self) -> None:
        listing = client_of(self).skills.list()
        box = self.query_one("#skills", Vertical)
        try:
            self._skills = [skill async for skill in listing]
        except AgentAPIError as exc:
            await box.remove_children()
            await box.mount(Static(Content(f"Could not list skills: {exc}"), classes="muted"))
            return
        if note := skipped_note("skill", listing.skipped):
            self.notify(note, severity="warning", markup=False)
        attached = set(self._attached())
        await box.remove_children()
        if not self._skills:
            await box.mount(Static("No skills yet: add one on the Skills screen (f7).", classes="muted"))
        for number, skill in enumerate(self._skills):
            picked = skill.id in attached
            await box.mount(Checkbox(Content(skill.display_name), picked, id=f"skill-{number}", compact=True))

    def _attached(self) -> list[str]:
        """The ids of the skills the agent had when the editor opened."""
        return [sid for s in (self.agent.skills if self.agent else []) if (sid := getattr(s, "skill_id", None))]

    def _skill_ids(self) -> list[str]:
        """The picked skills; skills attached but not listed (another source) are kept."""
        listed = {skill.id for skill in self._skills}
        kept = [sid for sid in self._attached() if sid not in listed]
        picked = [s.id for n, s in enumerate(self._skills) if self.query_one(f"#skill-{n}", Checkbox).value]
        return kept + picked

    # ------------------------------------------------------------------ rows

    @on(Button.Pressed, "#add-custom")
    async def _add_custom(self) -> None:
        row = CustomToolRow()
        await self.query_one("#custom-tools").mount(row)
        row.query_one(f"#custom-name-{row.number}").focus()

    @on(Button.Pressed, "#add-mcp")
    async def _add_mcp(self) -> None:
        row = McpServerRow()
        await self.query_one("#mcp-servers").mount(row)
        row.query_one(f"#mcp-name-{row.number}").focus()

    @on(Button.Pressed, ".remove")
    async def _remove_row(self, event: Button.Pressed) -> None:
        event.stop()
        row = _row_of(event.button)
        if row is not None:
            await row.remove()

    async def action_remove_row(self) -> None:
        """Remove the custom tool or MCP server row that has the focus."""
        row = _row_of(self.focused)
        if row is None:
            self.notify("Put the cursor in a custom tool or an MCP server to remove it.", markup=False)
            return
        await row.remove()

    # ------------------------------------------------------------------ saving

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close; when something was changed, only after the user agrees to lose it."""
        changed = self._typed() != self._pristine or (
            self._skills and sorted(self._skill_ids()) != sorted(self._attached())
        )
        if not changed:
            self.dismiss(None)
            return
        confirm(self, "Discard your changes to this agent?", "Discard", partial(self.dismiss, None))

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self._busy:
            return
        try:
            body = self._read()
        except InvalidField as exc:
            self._field_error(exc)
            return
        self._message(None)
        self._busy = True
        self._save(body)

    def _read(self) -> dict[str, Any]:
        spec = self.query_one(NewAgentFields).spec()
        tools = unique([(row.number, row.value()) for row in self.query(CustomToolRow)], "custom-name", "custom tools")
        servers = unique([(row.number, row.value()) for row in self.query(McpServerRow)], "mcp-name", "MCP servers")
        return agent_body(self.agent, spec, tools, servers, self._skill_ids(), self.version)

    def _field_error(self, exc: InvalidField) -> None:
        """Show the error under its field when it has an error line, else in the message line."""
        field = exc.field
        errors = self.query(f"#{field}-error")
        if errors:
            errors.first(MessageLine).say(exc.message)
            self._message(None)
        else:
            self._message(exc.message)
        self.query_one(f"#{field}").focus()

    @work(exclusive=True, group="agent-editor-save", exit_on_error=False)
    async def _save(self, body: dict[str, Any]) -> None:
        agents = client_of(self).agents
        try:
            saved = await (agents.create(body) if self.agent is None else agents.update(self.agent.id, body))
        except ConflictError:
            assert self.agent is not None, "a new agent has no version to conflict with"
            await self._conflict(self.agent.id)
            return
        except AgentAPIError as exc:
            self._message(f"Not saved: {exc}")
            return
        finally:
            self._busy = False
        self.dismiss(saved)

    async def _conflict(self, agent_id: str) -> None:
        """Someone saved a newer version: say so, keep the edits, lock to that version next."""
        try:
            latest = await client_of(self).agents.retrieve(agent_id)
        except AgentAPIError as exc:
            self._message(f"Not saved: the agent changed meanwhile, and reading it again failed: {exc}")
            return
        opened = self.version
        self.version = latest.version
        self._message(
            f"Not saved: someone saved version {latest.version} of this agent after you opened version {opened}. "
            f"Your edits are still here: save again to make them version {latest.version + 1}, or cancel."
        )

    def _message(self, text: str | None) -> None:
        self.query_one("#agent-editor-error", MessageLine).say(text)
