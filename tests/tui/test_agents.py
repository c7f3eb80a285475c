"""The Agents screen (f4) and the agent editor against the embedded runtime over loopback."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Input, TextArea

from app.tui.app import AgentDeckApp
from app.tui.screens.agent_editor import AgentEditorScreen, CustomToolRow, McpServerRow
from app.tui.screens.agents import AgentsScreen
from app.tui.screens.skills import SkillsScreen
from tests.tui.agents_support import agent, on_screen, upload_skill
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.test_app import pick


async def open_editor(pilot) -> AgentEditorScreen:
    await pilot.press("enter")
    editor = await wait_for(pilot, lambda: isinstance(pilot.app.screen, AgentEditorScreen) and pilot.app.screen)
    await wait_for(pilot, lambda: editor.query_one("#agent-name", Input).value, "the agent's name in the form")
    return editor


async def press_button(pilot, editor: AgentEditorScreen, selector: str) -> None:
    editor.query_one(selector).focus()
    await pilot.press("enter")


async def saved(pilot, seed, agent_id: str, version: int) -> dict:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, AgentsScreen), "the editor to close")
    return await wait_for(pilot, lambda: (found := agent(seed, agent_id))["version"] == version and found)


async def test_f4_lists_agents_with_their_version_and_model_and_esc_goes_back(settings, seed):
    seed.agent("helper")
    async with on_screen(settings, "f4", "helper") as pilot:
        text = screen_text(pilot.app)
        assert "claude-sonnet-4-6" in text and "Agents" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, AgentsScreen), "the main screen")


async def test_the_editor_shows_the_agent_and_saving_a_new_name_makes_version_2(settings, seed):
    created = seed.agent("helper", ask=("bash",), custom=("lookup",))
    async with on_screen(settings, "f4", "helper") as pilot:
        editor = await open_editor(pilot)
        assert editor.query_one("#tool-bash", Checkbox).value
        assert str(editor.query_one("#policy-bash").value) == "always_ask"
        row = editor.query_one(CustomToolRow)
        assert row.query_one(f"#custom-name-{row.number}", Input).value == "lookup"
        editor.query_one("#agent-name", Input).value = "researcher"
        await pilot.press("ctrl+s")
        stored = await saved(pilot, seed, created["id"], 2)
        assert stored["name"] == "researcher"
        assert [t["type"] for t in stored["tools"]] == ["agent_toolset_20260401", "custom"]
        await wait_for(pilot, lambda: "researcher" in screen_text(pilot.app), "the list updated")


async def test_n_makes_a_new_agent_with_its_tools_in_the_editor_and_lists_it(settings, seed):
    async with on_screen(settings, "f4", "No agents yet: press n to create one.") as pilot:
        await pilot.press("n")
        editor = await wait_for(pilot, lambda: isinstance(pilot.app.screen, AgentEditorScreen) and pilot.app.screen)
        await wait_for(pilot, lambda: "New agent" in screen_text(pilot.app), "the editor's title")
        editor.query_one("#agent-name", Input).value = "researcher"
        editor.query_one("#tool-bash", Checkbox).value = False
        await press_button(pilot, editor, "#add-custom")
        row = (await wait_for(pilot, lambda: list(editor.query(CustomToolRow))))[0]
        row.query_one(f"#custom-name-{row.number}", Input).value = "lookup"
        row.query_one(f"#custom-description-{row.number}", Input).value = "Look a word up"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, AgentsScreen), "the editor to close")
        await wait_for(pilot, lambda: "researcher" in screen_text(pilot.app), "the new agent listed")
        [stored] = seed.http.get("/v1/agents").json()["data"]
        assert (stored["name"], stored["version"]) == ("researcher", 1)
        assert [t["type"] for t in stored["tools"]] == ["agent_toolset_20260401", "custom"]
        assert "bash" not in {c["name"] for c in stored["tools"][0]["configs"] if c["enabled"]}


async def test_a_custom_tool_and_an_mcp_server_are_added_in_the_form(settings, seed):
    created = seed.agent("helper")
    async with on_screen(settings, "f4", "helper") as pilot:
        editor = await open_editor(pilot)
        await press_button(pilot, editor, "#add-custom")
        row = (await wait_for(pilot, lambda: list(editor.query(CustomToolRow))))[0]
        n = row.number
        row.query_one(f"#custom-name-{n}", Input).value = "lookup"
        row.query_one(f"#custom-description-{n}", Input).value = "Look a word up"
        row.query_one(
            f"#custom-schema-{n}", TextArea
        ).text = '{"type": "object", "properties": {"word": {"type": "string"}}, "required": ["word"]}'
        await press_button(pilot, editor, "#add-mcp")
        server = (await wait_for(pilot, lambda: list(editor.query(McpServerRow))))[0]
        server.query_one(f"#mcp-name-{server.number}", Input).value = "docs"
        server.query_one(f"#mcp-url-{server.number}", Input).value = "https://example.com/mcp"
        await pilot.press("ctrl+s")
        stored = await saved(pilot, seed, created["id"], 2)
        assert stored["mcp_servers"] == [{"type": "url", "name": "docs", "url": "https://example.com/mcp"}]
        by_type = {t["type"]: t for t in stored["tools"]}
        assert by_type["mcp_toolset"]["mcp_server_name"] == "docs"
        assert by_type["custom"]["input_schema"]["required"] == ["word"]


async def test_a_bad_schema_shows_its_error_as_you_type_and_blocks_saving(settings, seed):
    created = seed.agent("helper", custom=("lookup",))
    async with on_screen(settings, "f4", "helper") as pilot:
        editor = await open_editor(pilot)
        row = editor.query_one(CustomToolRow)
        error = editor.query_one(f"#custom-schema-{row.number}-error")
        schema = row.query_one(TextArea)
        schema.text = '{"type": "object", "properties": {'
        await wait_for(pilot, lambda: error.display and "Not valid JSON" in screen_text(pilot.app), "the JSON error")
        schema.text = '{"type": "string"}'
        await wait_for(pilot, lambda: '"type": "object"' in str(error.render()), "the schema error")
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert isinstance(pilot.app.screen, AgentEditorScreen) and agent(seed, created["id"])["version"] == 1
        schema.text = '{"type": "object", "properties": {"q": {"type": "string"}}, "required": ["x"]}'
        await wait_for(pilot, lambda: "'x', which is not in" in screen_text(pilot.app), "the required error")
        schema.text = '{"type": "object", "properties": {}}'
        await wait_for(pilot, lambda: not error.display, "the error cleared")


async def test_a_version_conflict_says_so_keeps_the_edits_and_the_next_save_goes_on_top(settings, seed):
    created = seed.agent("helper")
    async with on_screen(settings, "f4", "helper") as pilot:
        editor = await open_editor(pilot)
        seed.post(f"/v1/agents/{created['id']}", {"description": "changed elsewhere"})
        editor.query_one("#agent-name", Input).value = "mine"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "someone saved version 2" in screen_text(pilot.app), "the conflict message")
        assert editor.query_one("#agent-name", Input).value == "mine"
        assert agent(seed, created["id"])["version"] == 2
        await pilot.press("ctrl+s")
        stored = await saved(pilot, seed, created["id"], 3)
        assert (stored["name"], stored["description"]) == ("mine", "changed elsewhere")


async def test_versions_show_a_diff_against_the_previous_and_a_marked_version(settings, seed):
    created = seed.agent("helper")
    seed.post(f"/v1/agents/{created['id']}", {"name": "renamed"})
    seed.post(f"/v1/agents/{created['id']}", {"system": "Be brief."})
    async with on_screen(settings, "f4", "renamed") as pilot:
        await pilot.press("v")
        await wait_for(pilot, lambda: "Changes from version 2 to version 3" in screen_text(pilot.app), "the diff")
        assert '+  "system": "Be brief."' in screen_text(pilot.app)
        await pilot.press("down", "down", "m", "up", "up")
        await wait_for(pilot, lambda: "Changes from version 1 to version 3, marked" in screen_text(pilot.app))
        text = screen_text(pilot.app)
        assert '-  "name": "helper",' in text and '+  "name": "renamed",' in text


async def test_archiving_asks_first_then_the_agent_leaves_the_list(settings, seed):
    created = seed.agent("helper")
    seed.agent("keeper")
    async with on_screen(settings, "f4", "helper") as pilot:
        await pilot.press("down")  # newest first: keeper, then helper
        await pilot.press("a")
        await wait_for(pilot, lambda: "Archive agent helper?" in screen_text(pilot.app), "the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: agent(seed, created["id"])["archived_at"] is not None, "the archive")
        await wait_for(pilot, lambda: "helper" not in screen_text(pilot.app).split("Archived")[0], "the list")


async def test_skills_are_picked_in_the_editor(settings, seed):
    created = seed.agent("helper")
    skill = upload_skill(seed)
    async with on_screen(settings, "f4", "helper") as pilot:
        editor = await open_editor(pilot)
        box = await wait_for(
            pilot, lambda: editor.query("#skill-0").first(Checkbox) if editor.query("#skill-0") else None
        )
        assert "pdf-tools" in screen_text(pilot.app)
        box.value = True
        await pilot.press("ctrl+s")
        stored = await saved(pilot, seed, created["id"], 2)
        assert stored["skills"] == [{"type": "custom", "skill_id": skill["id"], "version": "latest"}]


async def test_server_text_in_the_list_is_never_read_as_markup(settings, seed):
    seed.agent("[bold]x[/bold] [link=evil]")
    async with on_screen(settings, "f4", "[bold]x[/bold] [link=evil]") as pilot:
        assert isinstance(pilot.app.screen, AgentsScreen)


@pytest.mark.parametrize(
    ("query", "hit", "screen"), [("agents", "Agents", AgentsScreen), ("skills", "Skills", SkillsScreen)]
)
async def test_the_palette_opens_the_agents_and_skills_screens(settings, query, hit, screen):
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.backend is not None, "the backend")
        await pilot.press("ctrl+p")
        await pick(pilot, query, hit)
        await wait_for(pilot, lambda: isinstance(app.screen, screen), hit)


async def test_tab_goes_from_a_new_tools_name_to_its_description_and_ctrl_r_removes_the_row(settings, seed):
    seed.agent("helper")
    async with on_screen(settings, "f4", "helper") as pilot:
        editor = await open_editor(pilot)
        await press_button(pilot, editor, "#add-custom")
        row = (await wait_for(pilot, lambda: list(editor.query(CustomToolRow))))[0]
        await wait_for(pilot, lambda: editor.focused is row.query_one(f"#custom-name-{row.number}"), "the name focused")
        await pilot.press(*"lookup", "tab", *"Look up")
        assert row.query_one(f"#custom-description-{row.number}", Input).value == "Look up"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not editor.query(CustomToolRow), "the row removed")


async def test_escape_asks_before_it_drops_edits_and_closes_at_once_without_any(settings, seed):
    seed.agent("helper")
    async with on_screen(settings, "f4", "helper") as pilot:
        editor = await open_editor(pilot)
        await pilot.press("escape")  # nothing changed
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, AgentsScreen), "the editor closed")
        editor = await open_editor(pilot)
        await pilot.press("end", *" two")
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Discard your changes" in screen_text(pilot.app), "the question")
        await pilot.press("n")
        await wait_for(pilot, lambda: pilot.app.screen is editor, "back in the editor")
        assert editor.query_one("#agent-name", Input).value == "helper two"
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, AgentsScreen), "the edits dropped")
