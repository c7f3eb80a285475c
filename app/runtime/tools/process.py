"""Run a command in its own process group, with a timeout, a cap on its output, and no leftovers.

The command gets its own session (so its own process group), stdin closed, stdout and stderr
combined. When it ends, times out or the awaiting task is cancelled, the whole group is sent
SIGTERM, then SIGKILL: nothing it started outlives it, including background jobs.
"""

from __future__ import annotations

import asyncio
import codecs
import os
import signal
from asyncio.subprocess import DEVNULL, PIPE, STDOUT, Process, SubprocessStreamProtocol
from dataclasses import dataclass
from pathlib import Path

from app.runtime.tools.base import HeadTail

#: How long the group gets between SIGTERM and SIGKILL, and how long leftover output may drain.
GRACE = 0.5


@dataclass
class ProcessOutcome:
    """``exit_code`` is None when the command timed out (negative: killed by that signal)."""

    exit_code: int | None
    output: str
    timed_out: bool


class _ExitAware(SubprocessStreamProtocol):
    """Signals the leader's exit even while background children still hold its output pipe."""

    def __init__(self, limit: int, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(limit=limit, loop=loop)
        self.exited: asyncio.Future[None] = loop.create_future()

    def process_exited(self) -> None:
        super().process_exited()
        if not self.exited.done():
            self.exited.set_result(None)


def _signal_group(pgid: int, sig: int) -> bool:
    """Send ``sig`` to the group; False when no member is left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # the group id was reused by someone else's process: not ours
        return False
    return True


async def _end_group(proc: Process, protocol: _ExitAware) -> None:
    """SIGTERM the group, give it :data:`GRACE`, then SIGKILL whatever is left."""
    try:
        if _signal_group(proc.pid, signal.SIGTERM) and not protocol.exited.done():
            await asyncio.wait([protocol.exited], timeout=GRACE)
    finally:
        _signal_group(proc.pid, signal.SIGKILL)


async def run_in_group(
    argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float, max_output: int
) -> ProcessOutcome:
    """Run ``argv`` to completion (or ``timeout`` seconds); its output keeps head and tail."""
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.subprocess_exec(
        lambda: _ExitAware(limit=2**16, loop=loop),
        *argv,
        cwd=cwd,
        env=env,
        stdin=DEVNULL,
        stdout=PIPE,
        stderr=STDOUT,
        start_new_session=True,
    )
    proc = Process(transport, protocol, loop)
    output = HeadTail(max_output)

    async def pump() -> None:
        assert proc.stdout is not None, "the process was started with stdout=PIPE"
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while chunk := await proc.stdout.read(2**16):
            output.add(decoder.decode(chunk))
        output.add(decoder.decode(b"", final=True))

    reader = asyncio.create_task(pump())
    timed_out = False
    try:
        done, _ = await asyncio.wait([protocol.exited], timeout=timeout)
        timed_out = not done
        if done:  # background jobs may still hold the pipe open: let their output drain briefly
            await asyncio.wait([reader], timeout=GRACE)
    finally:
        try:
            await _end_group(proc, protocol)
            await asyncio.wait([protocol.exited, reader], timeout=GRACE)
        finally:
            reader.cancel()
            transport.close()
    return ProcessOutcome(None if timed_out else proc.returncode, output.text(), timed_out)
