"""AgentsScreen: every agent (not archived) with its version and model; new, edit, versions, archive.

Opened with ``f4`` or "Agents" in the command palette. ``n`` opens the agent editor on a new agent;
enter (or ``e``) on the highlighted one, ``v`` its version history with diffs, and ``a`` archives it
after a confirmation.
Everything from the server is shown as plain text.
"""

from __future__ import annotations

from textual import on, work
from textual.binding import Binding
from textual.widgets import DataTable

from app.api.models import Agent
from app.api.pagination import AsyncPaginator
from app.tui.screens.agent_editor import AgentEditorScreen
from app.tui.screens.agent_versions import AgentVersionsScreen
from app.tui.screens.confirm import confirm
from app.tui.screens.object_screen import ObjectScreen


class AgentsScreen(ObjectScreen[Agent]):
    """The agents list (see the module docstring)."""

    BINDING_GROUP_TITLE = "Agents"
    BINDINGS = [
        Binding("n", "new", "New", id="agents.new"),
        Binding("e", "edit", "Edit", id="agents.edit"),
        Binding("v", "versions", "Versions", id="agents.versions"),
        Binding("a", "archive", "Archive", id="agents.archive"),
        Binding("r", "reload", "Reload", id="agents.reload"),
        Binding("escape", "close", "Back", id="agents.close"),
    ]

    BOX_ID = "agents"
    TABLE_ID = "agents-table"
    COLUMNS = ("name", "version", "model", "tools", "id")
    KIND = "agent"
    EMPTY = "No agents yet: press n to create one."

    def listing(self) -> AsyncPaginator[Agent]:
        return self.client.agents.list()

    def cells(self, agent: Agent) -> tuple[str, ...]:
        tools = ", ".join(tool.type.removeprefix("agent_") for tool in agent.tools) or "none"
        return agent.name, str(agent.version), agent.model.id, tools, agent.id

    def action_new(self) -> None:
        self.app.push_screen(AgentEditorScreen(None, self.items), self.saved)

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        agent = self.selected
        if agent is not None:
            self.app.push_screen(AgentEditorScreen(agent, self.items), self.saved)

    def saved_text(self, agent: Agent) -> str:
        return f"Saved {agent.name} as version {agent.version}."

    def action_versions(self) -> None:
        agent = self.selected
        if agent is not None:
            self.app.push_screen(AgentVersionsScreen(agent.id, agent.name))

    def action_archive(self) -> None:
        agent = self.selected
        if agent is not None:
            question = f"Archive agent {agent.name}? New sessions cannot use it; existing ones keep running."
            confirm(self, question, "Archive", lambda: self._archive(agent))

    @work(exit_on_error=False)
    async def _archive(self, agent: Agent) -> None:
        await self.attempt(
            self.client.agents.archive(agent.id), f"Could not archive {agent.name}", lambda _: f"Archived {agent.name}."
        )
