"""The tool sandbox, end to end over loopback HTTP: what a ``!command`` can see and leave behind.

With bubblewrap, bash sees no secret of the server, not the data dir, not another session, and
nothing it starts outlives its call; ``limited`` networking has no network. Without it (forced with
``Runtime(sandbox=False)``, or bwrap off PATH for ``agentdeck serve``) the runtime says so, and the
resource limits still apply.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anthropic
import pytest

from app.runtime.runtime import start_in_thread
from app.runtime.tools.sandbox import MAX_CPU_SECONDS, MAX_FILE_BYTES, MAX_PROCESSES
from tests.runtime.conftest import API_KEY
from tests.runtime.sdk_support import run_turn, tool_output
from tests.runtime.serve_support import serve_process

HAVE_BWRAP = sys.platform.startswith("linux") and shutil.which("bwrap") is not None
needs_bwrap = pytest.mark.skipif(not HAVE_BWRAP, reason="bubblewrap is not installed (apt-get install -y bubblewrap)")
SERVER_KEY = "sk-agentdeck-server-key-on-the-command-line"
ANTHROPIC_KEY = "sk-ant-key-in-the-server-environment"
UNRESTRICTED = {"type": "unrestricted"}


class Client:
    """The SDK pointed at a runtime, with sessions that run ``!commands``."""

    def __init__(self, base_url: str, api_key: str) -> None:
        self.sdk = anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=30)
        self.agent = self.sdk.beta.agents.create(
            name="box", model="claude-sonnet-4-6", tools=[{"type": "agent_toolset_20260401"}]
        )

    def session(self, networking: dict = UNRESTRICTED) -> str:
        env = self.sdk.beta.environments.create(name="box", config={"type": "cloud", "networking": networking})
        return self.sdk.beta.sessions.create(agent=self.agent.id, environment_id=env.id).id

    def run(self, session_id: str, command: str) -> tuple[str, bool]:
        """Run ``command`` with bash in the session; its output and whether it failed."""
        return tool_output(run_turn(self.sdk, session_id, f"!{command}"))


def runtime(tmp_path: Path, *, sandbox: bool) -> Iterator[tuple[object, Client]]:
    running = start_in_thread(tmp_path / "data", api_key=API_KEY, pace=0.0, heartbeat=0.5, sandbox=sandbox)
    try:
        yield running, Client(running.base_url, API_KEY)
    finally:
        running.stop()


@pytest.fixture
def sandboxed(tmp_path):
    yield from runtime(tmp_path, sandbox=True)


@pytest.fixture
def unsandboxed(tmp_path):
    yield from runtime(tmp_path, sandbox=False)


def serve(tmp_path: Path, path: str) -> tuple[subprocess.Popen, str]:
    """``agentdeck serve`` with the key on its command line and an Anthropic key in its
    environment, ``path`` as its PATH; the process and the first line of its banner."""
    env = {"HOME": str(tmp_path), "PATH": path, "ANTHROPIC_API_KEY": ANTHROPIC_KEY}
    process = serve_process(tmp_path / "data", "--port", "0", "--api-key", SERVER_KEY, env=env)
    return process, process.stdout.readline()


def stop(process: subprocess.Popen) -> str:
    """Stop the server; what it wrote to stderr."""
    process.terminate()
    return process.communicate(timeout=10)[1]


def sleepers(argument: str) -> list[int]:
    """Pids of ``sleep <argument>`` processes anywhere on the machine."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes() == f"sleep\0{argument}\0".encode():
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def eventually(predicate) -> bool:
    for _ in range(500):
        if predicate():
            return True
        time.sleep(0.02)
    return False


@needs_bwrap
def test_bash_sees_no_secret_of_the_server(tmp_path):
    process, banner = serve(tmp_path, os.environ["PATH"])
    try:
        client = Client(re.search(r"serving at (\S+)", banner).group(1), SERVER_KEY)
        command = "cat /proc/1/cmdline /proc/1/environ /proc/$PPID/cmdline /proc/$PPID/environ; env; ls /proc"
        text, _ = client.run(client.session(), command)
    finally:
        err = stop(process)
    assert "HOME=" in text and "cmdline" in text
    for secret in (SERVER_KEY, ANTHROPIC_KEY, "ANTHROPIC_API_KEY", "AGENTDECK_"):
        assert secret not in text
    assert "unsandboxed" not in err


@needs_bwrap
def test_the_data_dir_is_not_mounted(sandboxed):
    running, client = sandboxed
    session = client.session()
    assert client.run(session, "ls -a ../..") == (".\n..\nworkspaces\n", False)
    database = running.runtime.data_dir.resolve() / "runtime.sqlite3"
    text, is_error = client.run(session, f"cat ../../runtime.sqlite3 {database}")
    assert is_error and text.count("No such file") == 2 and "SQLite" not in text


@needs_bwrap
def test_another_sessions_workspace_is_unreachable(sandboxed):
    running, client = sandboxed
    first, second = client.session(), client.session()
    assert client.run(first, "echo mine > secret.txt") == ("(no output)", False)
    other = running.runtime.engine.workspace(first).resolve()
    text, is_error = client.run(second, f"ls ..; cat {other}/secret.txt ../{first}/secret.txt")
    assert is_error and "mine" not in text
    assert text.splitlines()[0] == second, "the workspaces dir holds this session's workspace only"


@needs_bwrap
def test_the_workspace_is_writable_at_its_own_path_and_the_system_is_not(sandboxed):
    running, client = sandboxed
    session = client.session()
    text, is_error = client.run(
        session, "pwd; echo hi > made.txt; touch /usr/x /etc/x /x 2>&1 | grep -c 'Read-only\\|denied'"
    )
    workspace = running.runtime.engine.workspace(session).resolve()
    assert not is_error and text.splitlines() == [str(workspace), "3"]
    assert (workspace / "made.txt").read_text() == "hi\n"


@needs_bwrap
def test_the_workspace_is_also_at_workspace_as_the_file_tools_show_it(sandboxed):
    running, client = sandboxed
    session = client.session()
    text, is_error = client.run(session, "echo hi > made.txt; ln -s /workspace/made.txt link; cat link")
    assert not is_error and text.strip() == "hi"


@needs_bwrap
def test_setsid_does_not_outlive_the_call(sandboxed):
    _, client = sandboxed
    # the sleep's argument is computed so that no command line but the sleep's own matches it
    command = (
        "setsid sleep $((4000 + 542)) & until grep -qszx '454[2]' /proc/[0-9]*/cmdline; do sleep 0.05; done; "
        "echo running"
    )
    try:
        assert client.run(client.session(), command) == ("running\n", False)
        assert eventually(lambda: not sleepers("4542")), "the setsid'd sleep is still running"
    finally:
        for pid in sleepers("4542"):
            os.kill(pid, 9)


@needs_bwrap
def test_limited_networking_has_no_network_and_unrestricted_does(sandboxed):
    _, client = sandboxed
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        connect = f"exec 3<>/dev/tcp/127.0.0.1/{listener.getsockname()[1]} && echo connected"
        assert client.run(client.session(UNRESTRICTED), connect) == ("connected\n", False)
        text, is_error = client.run(client.session({"type": "limited", "allowed_hosts": ["127.0.0.1"]}), connect)
    assert is_error and "connected" not in text


@pytest.mark.parametrize(
    "fake_bwrap, reason",
    [(None, "bwrap not found"), ("echo 'bwrap: No permissions to create new namespace' >&2; exit 1", "No permissions")],
)
def test_serve_says_when_tools_run_unsandboxed(tmp_path, fake_bwrap, reason):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if fake_bwrap is not None:
        (bin_dir / "bwrap").write_text(f"#!/bin/sh\n{fake_bwrap}\n")
        (bin_dir / "bwrap").chmod(0o755)
    process, banner = serve(tmp_path, str(bin_dir))
    err = stop(process)
    assert "serving at" in banner
    assert err.count("tools unsandboxed") == 1 and reason in err


def within_host(res: int, value: int) -> int:
    hard = resource.getrlimit(res)[1]
    return value if hard == resource.RLIM_INFINITY else min(value, hard)


@pytest.mark.parametrize("mode", [pytest.param("sandboxed", marks=needs_bwrap), "unsandboxed"])
def test_resource_limits_apply_with_and_without_the_sandbox(request, mode):
    running, client = request.getfixturevalue(mode)
    assert running.runtime.sandbox.active == (mode == "sandboxed")
    session = client.session()
    text, _ = client.run(session, "ulimit -t; ulimit -f; ulimit -u")
    limits = [
        (resource.RLIMIT_CPU, MAX_CPU_SECONDS, 1),
        (resource.RLIMIT_FSIZE, MAX_FILE_BYTES, 1024),
        (resource.RLIMIT_NPROC, MAX_PROCESSES, 1),
    ]
    expected = [str(within_host(res, value) // unit) for res, value, unit in limits]
    assert text.split() == expected, "our limits, or the machine's hard limits where lower"
    beyond = MAX_FILE_BYTES // 2**20  # a sparse write just past the limit: nothing big lands on disk
    text, is_error = client.run(session, f"dd if=/dev/zero of=big bs=1M count=1 seek={beyond}")
    assert is_error and "exit code 153" in text, "killed by SIGXFSZ"
    assert (running.runtime.engine.workspace(session) / "big").stat().st_size <= MAX_FILE_BYTES
