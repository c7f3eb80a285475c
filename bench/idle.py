"""What an idle agentdeck costs: CPU seconds, bytes written to the terminal, memory.

Runs ``python3 -m app`` (no API key: it starts its embedded runtime, in the same process) in a
real pseudo-terminal of 120x40 on a data dir seeded with ``--sessions`` idle sessions (written
straight into the runtime's store, so seeding is cheap). After ``--warmup`` seconds (start-up, the
first poll) it measures for ``--seconds``: the process's CPU time (every thread, from /proc), the
bytes it wrote to the terminal, and its resident memory at the end. No session is open, nothing
runs: an idle app should use next to no CPU and write nothing.

    python3 bench/idle.py [--sessions 5000] [--warmup 15] [--seconds 60]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.runtime import resolve  # noqa: E402
from app.runtime.ids import now  # noqa: E402
from app.runtime.routes.sessions import put_new_session  # noqa: E402
from app.runtime.runtime import start_in_thread  # noqa: E402

SIZE = (120, 40)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def seed(runtime_dir: Path, sessions: int) -> None:
    """An environment, an agent, and ``sessions`` idle sessions in the runtime at ``runtime_dir``."""
    running = start_in_thread(runtime_dir, api_key="sk-bench")
    try:
        http = httpx.Client(base_url=running.base_url, headers={"x-api-key": "sk-bench"})
        env = http.post("/v1/environments", json={"name": "bench", "config": {"type": "cloud"}}).json()
        agent = http.post("/v1/agents", json={"name": "helper", "model": "claude-sonnet-4-6"}).json()
        store = running.runtime.store
        snapshot = resolve.snapshot(store.get_agent(agent["id"]))
        for number in range(sessions):
            put_new_session(store, env["id"], snapshot, now(), title=f"session {number}")
    finally:
        running.stop()


def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of ``pid``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def drain(master: int, until: float) -> int:
    """Read what the app writes until ``until`` (monotonic); the byte count."""
    total = 0
    while (left := until - time.monotonic()) > 0:
        if select.select([master], [], [], left)[0]:
            try:
                total += len(os.read(master, 65536))
            except OSError:
                break
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=0)
    parser.add_argument("--warmup", type=float, default=15.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        seed(data / "runtime", args.sessions)
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        env = {
            "PATH": os.environ["PATH"],
            "HOME": tmp,
            "TERM": "xterm-256color",
            "AGENTDECK_CONFIG": str(Path(tmp) / "none.toml"),
        }
        command = [sys.executable, "-m", "app", "--data-dir", str(data)]
        process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True)
        os.close(slave)
        try:
            start_bytes = drain(master, time.monotonic() + args.warmup)
            start_cpu = cpu_seconds(process.pid)
            written = drain(master, time.monotonic() + args.seconds)
            cpu = cpu_seconds(process.pid) - start_cpu
            memory = rss_mb(process.pid)
            os.write(master, b"\x11")  # ctrl+q
            drain(master, time.monotonic() + 3)
        finally:
            process.kill()
            process.wait()
            os.close(master)
    print(
        f"{args.sessions} sessions: start-up {start_cpu:.2f} s CPU, {start_bytes / 1024:.0f} KB in {args.warmup:.0f} s; "
        f"then idle for {args.seconds:.0f} s: {cpu:.2f} s CPU ({100 * cpu / args.seconds:.2f}%), "
        f"{written / 1024:.1f} KB written; RSS {memory:.0f} MB"
    )


if __name__ == "__main__":
    main()
