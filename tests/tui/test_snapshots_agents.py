"""The agent editor's look: the agent's fields, a custom tool with its schema, an MCP server,
the skills to pick, and a schema error under its field (snapshot)."""

from __future__ import annotations

from textual.widgets import TextArea

from app.tui.app import AgentDeckApp
from app.tui.screens.agent_editor import AgentEditorScreen, CustomToolRow
from tests.tui.agents_support import upload_skill
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for


def test_agent_editor(snap_compare, settings, seed) -> None:
    created = seed.agent("helper", ask=("bash",), custom=("lookup",))
    seed.post(
        f"/v1/agents/{created['id']}",
        {
            "mcp_servers": [{"type": "url", "name": "docs", "url": "https://example.com/mcp"}],
            "tools": [*created["tools"], {"type": "mcp_toolset", "mcp_server_name": "docs"}],
        },
    )
    upload_skill(seed)
    app = AgentDeckApp(settings)

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.backend is not None, "the backend")
        await pilot.press("f4")
        await wait_for(pilot, lambda: "helper" in screen_text(app), "the agents")
        await pilot.press("enter")
        editor = await wait_for(pilot, lambda: isinstance(app.screen, AgentEditorScreen) and app.screen)
        await wait_for(pilot, lambda: editor.query("#skill-0"), "the skills")
        editor.query_one(CustomToolRow).query_one(TextArea).text = '{"type": "object", "properties": []}'
        await wait_for(pilot, lambda: "maps each parameter" in screen_text(app), "the schema error")
        editor.query_one("#agent-name").focus()

    assert snap_compare(app, terminal_size=TERMINAL, run_before=run_before)
