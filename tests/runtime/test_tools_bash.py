"""The bash tool runs real commands in the workspace, and leaves nothing running behind it."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from app.runtime.tools import ToolContext, ToolRegistry


@pytest.fixture
def ctx(tmp_path: Path) -> ToolContext:
    return ToolContext(workspace=tmp_path / "ws")


async def bash(ctx: ToolContext, **input):
    result = await ToolRegistry().run("bash", input, ctx)
    return result.content[0]["text"], result.is_error


def gone(pid: int) -> bool:
    """No such process, or only a zombie waiting for a reaper."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


async def wait_until(predicate, what: str) -> None:
    for _ in range(500):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


async def test_runs_in_the_workspace_and_combines_stdout_and_stderr(ctx):
    text, is_error = await bash(ctx, command="pwd; echo out; echo err >&2; echo hi > made.txt")
    assert not is_error
    assert text.splitlines() == [str(ctx.workspace.resolve()), "out", "err"]
    assert (ctx.workspace / "made.txt").read_text() == "hi\n"


async def test_non_zero_exit_is_an_error_with_its_code_and_output(ctx):
    text, is_error = await bash(ctx, command="echo partial; exit 3")
    assert is_error
    assert "partial" in text and "exit code 3" in text


async def test_the_servers_secrets_do_not_reach_the_command(ctx, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-xyzzy")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_plugh")
    text, _ = await bash(ctx, command="env")
    assert "xyzzy" not in text and "plugh" not in text
    assert "ANTHROPIC_API_KEY" not in text and "GITHUB_TOKEN" not in text
    assert f"HOME={ctx.workspace}" in text


async def test_stdin_is_closed(ctx):
    text, is_error = await bash(ctx, command="cat; read line || echo eof")
    assert not is_error
    assert text == "eof\n"


async def test_timeout_kills_the_command_and_says_so(ctx):
    text, is_error = await bash(ctx, command="echo started; sleep 30 & echo $! > child.pid; wait", timeout_ms=300)
    assert is_error
    assert "started" in text and "timed out after 0.3s" in text
    await wait_until(lambda: gone(int((ctx.workspace / "child.pid").read_text())), "background sleep killed")


async def test_a_background_job_does_not_hold_the_tool_and_is_cleaned_up(ctx):
    text, is_error = await bash(ctx, command="sleep 30 & echo $! > bg.pid; echo done")
    assert (text, is_error) == ("done\n", False)
    await wait_until(lambda: gone(int((ctx.workspace / "bg.pid").read_text())), "background job ended")


async def test_cancelling_kills_the_whole_process_group(ctx):
    pids = ctx.workspace / "pids"
    registry = ToolRegistry()
    ctx.workspace.mkdir()
    task = asyncio.create_task(
        registry.run("bash", {"command": f"sleep 30 & echo $! > {pids}; echo $$ >> {pids}; sleep 30"}, ctx)
    )
    await wait_until(lambda: pids.exists() and len(pids.read_text().split()) == 2, "command started")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    child, shell = (int(p) for p in pids.read_text().split())
    await wait_until(lambda: gone(child) and gone(shell), "sleep 30 and its shell gone")


async def test_long_output_keeps_head_and_tail(tmp_path):
    ctx = ToolContext(workspace=tmp_path, max_output=1000)
    text, is_error = await bash(ctx, command="echo FIRST; seq 1 100000; echo LAST")
    assert not is_error
    assert text.startswith("FIRST\n") and text.rstrip().endswith("LAST")
    assert "characters omitted ...]" in text
    assert len(text) < 1100


async def test_restart_and_missing_command(ctx):
    text, is_error = await bash(ctx, restart=True)
    assert not is_error and "restarted" in text
    text, is_error = await bash(ctx)
    assert is_error and "command" in text


async def test_invalid_timeout_names_the_field(ctx):
    text, is_error = await bash(ctx, command="true", timeout_ms="soon")
    assert is_error and "timeout_ms" in text
