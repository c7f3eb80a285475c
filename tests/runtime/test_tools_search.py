"""glob and grep find files and lines in the workspace, and never through links out of it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.runtime.tools import ToolContext, ToolRegistry


@pytest.fixture
def ctx(tmp_path: Path) -> ToolContext:
    ws = tmp_path / "ws"
    for rel, text in {
        "README.md": "# demo\nTODO: docs\n",
        "src/app.py": "import os\n# TODO: fix\nprint('hi')\n",
        "src/util/helpers.py": "def helper():\n    return 42\n",
        "src/util/notes.txt": "nothing here\n",
        ".git/config": "TODO inside git\n",
    }.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)
    (ws / "logo.png").write_bytes(b"\x89PNG\0TODO\0")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.py").write_text("TODO: secret outside\n")
    os.symlink(outside, ws / "outlink")
    os.symlink(outside / "leak.py", ws / "leak_link.py")
    return ToolContext(workspace=ws)


async def run(ctx: ToolContext, name: str, **input):
    result = await ToolRegistry().run(name, input, ctx)
    return result.content[0]["text"], result.is_error


async def test_glob_lists_matching_files_sorted(ctx):
    text, is_error = await run(ctx, "glob", pattern="**/*.py")
    assert not is_error
    assert text.splitlines() == ["/workspace/src/app.py", "/workspace/src/util/helpers.py"]


async def test_glob_below_a_path_and_with_an_absolute_pattern(ctx):
    text, _ = await run(ctx, "glob", pattern="*", path="src/util")
    assert text.splitlines() == ["/workspace/src/util/helpers.py", "/workspace/src/util/notes.txt"]
    text, _ = await run(ctx, "glob", pattern="/workspace/src/*.py")
    assert text.splitlines() == ["/workspace/src/app.py"]


async def test_glob_does_not_follow_links_out(ctx):
    text, _ = await run(ctx, "glob", pattern="outlink/*.py")
    assert "leak" not in text
    text, _ = await run(ctx, "glob", pattern="*.py")
    assert "leak" not in text


async def test_glob_refuses_to_climb_out(ctx):
    for input in [{"pattern": "../*"}, {"pattern": "*", "path": "../outside"}, {"pattern": "/etc/*"}]:
        text, is_error = await run(ctx, "glob", **input)
        assert is_error and ("outside the workspace" in text or "'..'" in text), input


async def test_glob_with_no_match_says_so(ctx):
    text, is_error = await run(ctx, "glob", pattern="**/*.rs")
    assert not is_error and "No files match" in text


async def test_grep_prints_file_line_text_for_text_files(ctx):
    text, is_error = await run(ctx, "grep", pattern=r"TODO:?\s")
    assert not is_error
    assert text.splitlines() == ["/workspace/README.md:2:TODO: docs", "/workspace/src/app.py:2:# TODO: fix"]


async def test_grep_below_a_path_or_in_one_file(ctx):
    text, _ = await run(ctx, "grep", pattern="return", path="/workspace/src/util")
    assert text == "/workspace/src/util/helpers.py:2:    return 42"
    text, _ = await run(ctx, "grep", pattern="import", path="src/app.py")
    assert text == "/workspace/src/app.py:1:import os"


async def test_grep_never_reads_outside(ctx):
    text, _ = await run(ctx, "grep", pattern="secret outside")
    assert text == "No matches for secret outside"
    text, is_error = await run(ctx, "grep", pattern="secret", path="leak_link.py")
    assert is_error and "outside the workspace" in text


async def test_grep_reports_an_invalid_regex_clearly(ctx):
    text, is_error = await run(ctx, "grep", pattern="(unclosed")
    assert is_error and "pattern: invalid regular expression" in text


async def test_grep_stops_after_its_cap(ctx):
    (ctx.workspace / "many.txt").write_text("hit\n" * 2000)
    text, is_error = await run(ctx, "grep", pattern="hit", path="many.txt")
    assert not is_error
    assert text.count("many.txt:") == 500 and "stopped after 500 matches" in text
