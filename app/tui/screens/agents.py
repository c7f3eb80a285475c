"""AgentsScreen: every agent (not archived) with its version and model; edit, versions, archive.

Opened with ``f4`` or "Agents" in the command palette. Enter (or ``e``) opens the agent editor,
``v`` the version history with diffs, ``a`` archives the highlighted agent after a confirmation.
Everything from the server is shown as plain text.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from app.api.errors import AgentAPIError
from app.api.models import Agent
from app.tui.screens.agent_editor import AgentEditorScreen
from app.tui.screens.agent_versions import AgentVersionsScreen
from app.tui.screens.confirm import ConfirmScreen
from app.tui.skipped import skipped_note
from app.tui.widgets.footer import Footer


class AgentsScreen(Screen[None]):
    """The agents list (see the module docstring)."""

    BINDING_GROUP_TITLE = "Agents"
    BINDINGS = [
        Binding("enter,e", "edit", "Edit", id="agents.edit"),
        Binding("v", "versions", "Versions", id="agents.versions"),
        Binding("a", "archive", "Archive", id="agents.archive"),
        Binding("r", "reload", "Reload", id="agents.reload"),
        Binding("escape", "close", "Back", id="agents.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.agents: list[Agent] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="agents", classes="pane") as pane:
            pane.border_title = "Agents"
            table = DataTable(id="agents-table", cursor_type="row", zebra_stripes=True)
            table.add_columns("name", "version", "model", "tools", "id")
            yield table
            yield Static(id="agents-status", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    @property
    def table(self) -> DataTable:
        return self.query_one("#agents-table", DataTable)

    @property
    def selected(self) -> Agent | None:
        row = self.table.cursor_row
        return self.agents[row] if self.agents and 0 <= row < len(self.agents) else None

    @work(exclusive=True, group="agents-load", exit_on_error=False)
    async def action_reload(self, select: str | None = None) -> None:
        """List the agents again, keeping the highlight on ``select`` (else the current one)."""
        select = select or (self.selected.id if self.selected else None)
        status = self.query_one("#agents-status", Static)
        listing = self.app.backend.client.agents.list()
        try:
            agents = [agent async for agent in listing]
        except AgentAPIError as exc:
            status.update(Content(f"Could not list agents: {exc}"))
            return
        if note := skipped_note("agent", listing.skipped):
            self.notify(note, severity="warning", markup=False)
        self.agents = agents
        table = self.table
        table.clear()
        for agent in agents:
            tools = ", ".join(tool.type.removeprefix("agent_") for tool in agent.tools) or "none"
            table.add_row(*map(Text, (agent.name, str(agent.version), agent.model.id, tools, agent.id)))
        empty = "No agents yet: create one with a new session (n in the sessions pane)."
        status.update(Content(empty if not agents else f"{len(agents)} agents"))
        ids = [agent.id for agent in agents]
        if select in ids:
            table.move_cursor(row=ids.index(select))
        table.focus()

    def action_edit(self) -> None:
        agent = self.selected
        if agent is not None:
            self.app.push_screen(AgentEditorScreen(agent, self.agents), self._saved)

    def _saved(self, agent: Agent | None) -> None:
        if agent is not None:
            self.notify(f"Saved {agent.name} as version {agent.version}.", markup=False)
            self.action_reload(agent.id)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    def action_versions(self) -> None:
        agent = self.selected
        if agent is not None:
            self.app.push_screen(AgentVersionsScreen(agent.id, agent.name))

    def action_archive(self) -> None:
        agent = self.selected
        if agent is None:
            return
        question = f"Archive agent {agent.name}? New sessions cannot use it; existing ones keep running."

        def answered(yes: bool | None) -> None:
            if yes:
                self._archive(agent)

        self.app.push_screen(ConfirmScreen(question, yes="Archive"), answered)

    @work(exit_on_error=False)
    async def _archive(self, agent: Agent) -> None:
        try:
            await self.app.backend.client.agents.archive(agent.id)
        except AgentAPIError as exc:
            self.notify(f"Could not archive {agent.name}: {exc}", severity="error", markup=False)
            return
        self.notify(f"Archived {agent.name}.", markup=False)
        self.action_reload()

    def action_close(self) -> None:
        self.dismiss(None)
