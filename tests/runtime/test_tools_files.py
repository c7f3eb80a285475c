"""read, write and edit work on real files, and never outside the workspace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.runtime.tools import ToolContext, ToolRegistry


@pytest.fixture
def ctx(tmp_path: Path) -> ToolContext:
    (tmp_path / "ws").mkdir()
    return ToolContext(workspace=tmp_path / "ws")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file next to the workspace that no file tool may touch."""
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret\n")
    return secret


async def run(ctx: ToolContext, name: str, **input):
    result = await ToolRegistry().run(name, input, ctx)
    return result.content[0]["text"], result.is_error


async def test_read_numbers_lines_like_cat_n(ctx):
    (ctx.workspace / "a.txt").write_text("one\ntwo\nthree\n")
    text, is_error = await run(ctx, "read", file_path="a.txt")
    assert not is_error
    assert text == "     1\tone\n     2\ttwo\n     3\tthree"


async def test_read_view_range_is_one_based_and_inclusive(ctx):
    (ctx.workspace / "a.txt").write_text("".join(f"line {i}\n" for i in range(1, 11)))
    text, _ = await run(ctx, "read", file_path="/workspace/a.txt", view_range=[3, 4])
    assert text == "     3\tline 3\n     4\tline 4"
    text, _ = await run(ctx, "read", file_path="a.txt", view_range=[9, -1])
    assert text == "     9\tline 9\n    10\tline 10"
    text, is_error = await run(ctx, "read", file_path="a.txt", view_range=[20, 30])
    assert is_error and "view_range" in text and "10 lines" in text
    text, is_error = await run(ctx, "read", file_path="a.txt", view_range=[5, 2])
    assert is_error and "view_range" in text


async def test_read_shows_a_long_file_in_part_and_says_so(ctx):
    (ctx.workspace / "big.txt").write_text("x\n" * 5000)
    text, is_error = await run(ctx, "read", file_path="big.txt")
    assert not is_error
    assert "  2000\tx" in text and "  2001\t" not in text
    assert "of 5000" in text and "view_range" in text


async def test_read_refuses_binary_missing_and_directories(ctx):
    (ctx.workspace / "blob.bin").write_bytes(b"\x89PNG\0\0\x01")
    (ctx.workspace / "sub").mkdir()
    for path, phrase in [("blob.bin", "binary"), ("nope.txt", "no such file"), ("sub", "directory")]:
        text, is_error = await run(ctx, "read", file_path=path)
        assert is_error and phrase in text, (path, text)


async def test_write_creates_parent_directories_then_overwrites(ctx):
    text, is_error = await run(ctx, "write", file_path="/workspace/deep/er/new.py", content="print(1)\n")
    assert not is_error and "Created /workspace/deep/er/new.py" in text
    assert (ctx.workspace / "deep/er/new.py").read_text() == "print(1)\n"
    text, _ = await run(ctx, "write", file_path="deep/er/new.py", content="print(2)\n")
    assert "Overwrote" in text
    assert (ctx.workspace / "deep/er/new.py").read_text() == "print(2)\n"


async def test_edit_replaces_a_unique_string_and_shows_the_result(ctx):
    target = ctx.workspace / "app.py"
    target.write_text("a = 1\nb = 2\nc = 3\n")
    text, is_error = await run(ctx, "edit", file_path="app.py", old_string="b = 2", new_string="b = 20")
    assert not is_error
    assert target.read_text() == "a = 1\nb = 20\nc = 3\n"
    assert "/workspace/app.py" in text and "line 2" in text and "     2\tb = 20" in text


async def test_edit_refuses_missing_or_ambiguous_strings_unless_replace_all(ctx):
    target = ctx.workspace / "app.py"
    target.write_text("x = 1\nx = 1\n")
    text, is_error = await run(ctx, "edit", file_path="app.py", old_string="y", new_string="z")
    assert is_error and "not found" in text
    text, is_error = await run(ctx, "edit", file_path="app.py", old_string="x = 1", new_string="x = 2")
    assert is_error and "2 times" in text and "replace_all" in text
    assert target.read_text() == "x = 1\nx = 1\n"
    text, is_error = await run(
        ctx, "edit", file_path="app.py", old_string="x = 1", new_string="x = 2", replace_all=True
    )
    assert not is_error and "2 occurrences" in text
    assert target.read_text() == "x = 2\nx = 2\n"


async def test_invalid_input_names_the_field(ctx):
    text, is_error = await run(ctx, "write", file_path="a.txt")
    assert is_error and "content" in text
    text, is_error = await run(ctx, "read", file_path=7)
    assert is_error and "file_path" in text
    text, is_error = await run(ctx, "edit", file_path="a.txt", old_string="a", new_string="b", replace_all="yes")
    assert is_error and "replace_all" in text


@pytest.mark.parametrize("tool", ["read", "write", "edit"])
@pytest.mark.parametrize("path", ["../secret.txt", "/workspace/../secret.txt", "sub/../../secret.txt"])
async def test_file_tools_refuse_dot_dot(ctx, outside, tool, path):
    input = {"read": {}, "write": {"content": "pwned"}, "edit": {"old_string": "top", "new_string": "pwned"}}[tool]
    text, is_error = await run(ctx, tool, file_path=path, **input)
    assert is_error and "outside the workspace" in text
    assert outside.read_text() == "top secret\n"


@pytest.mark.parametrize("tool", ["read", "write", "edit"])
async def test_file_tools_refuse_absolute_paths_elsewhere(ctx, outside, tool):
    input = {"read": {}, "write": {"content": "pwned"}, "edit": {"old_string": "top", "new_string": "pwned"}}[tool]
    for path in ["/etc/passwd", str(outside)]:
        text, is_error = await run(ctx, tool, file_path=path, **input)
        assert is_error and "outside the workspace" in text, text
    assert outside.read_text() == "top secret\n"


async def test_symlinks_that_lead_out_are_refused(ctx, outside):
    os.symlink(outside, ctx.workspace / "link.txt")
    os.symlink(outside.parent, ctx.workspace / "linkdir")
    os.symlink(outside.parent / "not-yet.txt", ctx.workspace / "dangling.txt")
    for name, input in [
        ("read", {"file_path": "link.txt"}),
        ("read", {"file_path": "linkdir/secret.txt"}),
        ("write", {"file_path": "link.txt", "content": "pwned"}),
        ("write", {"file_path": "linkdir/new.txt", "content": "pwned"}),
        ("write", {"file_path": "dangling.txt", "content": "pwned"}),
        ("edit", {"file_path": "link.txt", "old_string": "top", "new_string": "pwned"}),
    ]:
        result = await ToolRegistry().run(name, input, ctx)
        assert result.is_error and "outside the workspace" in result.content[0]["text"], (name, input)
    assert outside.read_text() == "top secret\n"
    assert not (outside.parent / "new.txt").exists() and not (outside.parent / "not-yet.txt").exists()


async def test_links_within_the_workspace_and_its_real_path_are_fine(ctx):
    (ctx.workspace / "real.txt").write_text("hello\n")
    os.symlink(ctx.workspace / "real.txt", ctx.workspace / "alias.txt")
    text, is_error = await run(ctx, "read", file_path="alias.txt")
    assert (text, is_error) == ("     1\thello", False)
    text, is_error = await run(ctx, "read", file_path=str(ctx.workspace.resolve() / "real.txt"))
    assert (text, is_error) == ("     1\thello", False)
