"""The bash tool: ``bash -c <command>`` in the workspace, in a clean environment.

Each call is a fresh shell (no state carries over between calls, so ``restart`` has nothing to
reset and just says so). The command runs with the workspace as its working directory and HOME,
and an environment of PATH, HOME, LANG, TERM and MNT_SESSION, plus the variables of the session's
``environment_variable`` credentials (which cannot replace those five): none of the server's own
variables (API keys, tokens) are passed to it. It runs in the context's sandbox (see
:mod:`.sandbox`), where the workspace's ``mnt/session`` folder is ``/mnt/session``, as the file
tools show it; without one there is no ``/mnt/session``, and MNT_SESSION names the folder (in the
sandbox it is ``/mnt/session``). Without a sandbox the command can still read what the server's
user can, the server's ``/proc`` entries included. A non-zero exit, a timeout or a kill makes an
error result.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field

from app.runtime.tools.base import Tool, ToolContext, ToolError, ToolInput, ToolResult
from app.runtime.tools.process import run_in_group
from app.runtime.tools.workspace import SESSION_ROOT, resolve

#: The longest timeout a call may ask for, in milliseconds.
MAX_TIMEOUT_MS = 600_000
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class BashInput(ToolInput):
    command: str | None = None
    timeout_ms: int | None = Field(default=None, gt=0, le=MAX_TIMEOUT_MS)
    restart: bool = False


def tool_env(ctx: ToolContext, session_dir: Path | None) -> dict[str, str]:
    """The whole environment a command sees."""
    env = {
        **ctx.env,
        "PATH": os.environ.get("PATH") or DEFAULT_PATH,
        "HOME": str(ctx.workspace),
        "LANG": "C.UTF-8",
        "TERM": "dumb",
    }
    if session_dir is not None:
        env["MNT_SESSION"] = str(SESSION_ROOT if ctx.sandbox.active else session_dir)
    return env


def session_folder(workspace: Path) -> Path | None:
    """The workspace's ``mnt/session`` folder, with ``uploads`` and ``outputs`` in it, made if
    missing (resolved inside the workspace: a link there cannot lead it out). None when it cannot
    be (``mnt`` made a link out, say): the command then runs without it, and can repair it."""
    try:
        for sub in ("uploads", "outputs"):
            resolve(workspace, str(SESSION_ROOT / sub)).mkdir(exist_ok=True)
        return resolve(workspace, str(SESSION_ROOT))
    except (ToolError, OSError):
        return None


async def run_bash(args: BashInput, ctx: ToolContext) -> ToolResult:
    if args.command is None:
        if args.restart:
            return ToolResult.text("bash restarted (every command runs in a fresh shell)")
        raise ToolError("command: required unless restart is true")
    timeout = args.timeout_ms / 1000 if args.timeout_ms else ctx.bash_timeout
    session_dir = session_folder(ctx.workspace)
    argv = ["bash", "-c", args.command]
    outcome = await run_in_group(
        ctx.sandbox.command(argv, workspace=ctx.workspace, networking=ctx.networking, session_dir=session_dir),
        cwd=ctx.workspace,
        env=tool_env(ctx, session_dir),
        timeout=timeout,
        max_output=ctx.max_output,
    )
    text = outcome.output
    if outcome.timed_out:
        return ToolResult.text(_append(text, f"Command timed out after {timeout:g}s"), is_error=True)
    if outcome.exit_code:
        code = outcome.exit_code
        status = f"exit code {code}" if code > 0 else f"exit code {128 - code} (killed by signal {-code})"
        return ToolResult.text(_append(text, status), is_error=True)
    return ToolResult.text(text or "(no output)")


def _append(output: str, status: str) -> str:
    """The output, then the status on a line of its own."""
    if not output:
        return status
    return f"{output}\n{status}" if not output.endswith("\n") else f"{output}{status}"


BASH = Tool("bash", BashInput, run_bash)
