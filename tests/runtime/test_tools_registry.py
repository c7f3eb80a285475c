"""The registry turns every failure into an error result the agent can read, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.runtime.tools import ToolContext, ToolRegistry, ToolResult


@pytest.fixture
def ctx(tmp_path: Path) -> ToolContext:
    return ToolContext(workspace=tmp_path / "fresh")


async def test_every_agent_toolset_tool_but_web_search_is_built_in():
    assert sorted(ToolRegistry().names) == ["bash", "edit", "glob", "grep", "read", "web_fetch", "write"]


@pytest.mark.parametrize(
    "name, input, phrase",
    [
        ("teleport", {}, "unknown tool 'teleport'"),
        ("web_search", {"query": "x"}, "web_search is not available"),
        ("read", "a.txt", "must be a JSON object"),
        ("read", {}, "file_path: Field required"),
        ("grep", {"pattern": ["x"]}, "pattern:"),
        ("read", {"file_path": "a", "view_range": [1]}, "view_range"),
    ],
)
async def test_bad_calls_become_error_results(ctx, name, input, phrase):
    result = await ToolRegistry().run(name, input, ctx)
    assert isinstance(result, ToolResult) and result.is_error
    assert phrase in result.content[0]["text"]


async def test_results_are_wire_text_blocks_and_the_workspace_is_created(ctx):
    result = await ToolRegistry().run("bash", {"command": "echo ok"}, ctx)
    assert result == ToolResult([{"type": "text", "text": "ok\n"}], False)
    assert ctx.workspace.is_dir()
