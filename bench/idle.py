"""What agentdeck costs while nobody touches it: CPU and terminal output over a minute of idling.

The app runs as ``python3 -m app --data-dir D`` with no API key, so it starts its embedded
runtime, which serves from a thread of the app's own process, in a pseudo-terminal of 120x40
(the bench plays the terminal and answers Textual's query for synchronized output, as modern
terminals do). Each case is a fresh process and a fresh data dir:

- ``no session``: an empty account, the app just started (the sessions pane shows its empty hint);
- ``one session open``: a chat opened (``n``, ``ctrl+s``), one message sent and its reply shown;
- ``5,000 sessions``: 5,000 idle sessions seeded in the runtime's database before the app starts
  (one environment, agent and session made over HTTP by a short-lived ``agentdeck serve``, then
  copied through the runtime's store), no chat open (the newest one's title is on screen).

After setting the case up the bench waits ``--warmup`` seconds (10 by default), then measures over
``--seconds`` (60): the CPU time of the app's process (user + system, every thread: the UI, the
runtime, the workers) and of any descendants, from ``/proc/PID/stat``, as a share of one core;
and the bytes the app wrote to the terminal (and how many synchronized frames). Goal: < 0.5% CPU
and no output at all, in every case.

    python3 bench/idle.py [--seconds 60] [--warmup 10] [--sessions 5000] [--cases none,open,many]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ptyapp import (  # noqa: E402
    BenchError,
    Terminal,
    app_command,
    cpu_seconds,
    new_chat,
    seed_account,
    seed_sessions,
    wait_ready,
)

LAST_WORD = "understand."


def run_case(case: str, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-idle-") as tmp:
        data = Path(tmp)
        expect = None
        if case == "many":
            template = seed_account(data, title="seeded 0")  # the app's embedded runtime, seeded
            seed_sessions(data, template, args.sessions - 1)
            expect = f"seeded {args.sessions - 1}"
        with Terminal(app_command(data), 120, 40) as term:
            if expect:
                wait_ready(term, 120, expect=expect)
            else:
                wait_ready(term, 120)
            if case == "open":
                new_chat(term)
                sent = term.send("hello, idle bench\r")
                term.wait_text(LAST_WORD, 60, "the reply", after=sent)
            time.sleep(args.warmup)
            cpu0, bytes0, frames0, t0 = cpu_seconds(term.pid), term.nbytes, len(term.frames), time.perf_counter()
            time.sleep(args.seconds)
            cpu1, bytes1, frames1, t1 = cpu_seconds(term.pid), term.nbytes, len(term.frames), time.perf_counter()
            if not term.alive():
                raise BenchError(f"the app exited during the {case} case:\n{term.tail()}")
    return {
        "cpu": (cpu1 - cpu0) / (t1 - t0) * 100,
        "cpu_s": cpu1 - cpu0,
        "bytes": bytes1 - bytes0,
        "frames": frames1 - frames0,
        "seconds": t1 - t0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--cases", default="none,open,many")
    args = parser.parse_args()
    labels = {"none": "no session", "open": "one session open", "many": f"{args.sessions:,} sessions"}
    cases = [case.strip() for case in args.cases.split(",") if case.strip()]
    results = {}
    print(
        f"idle for {args.seconds:.0f} s (after {args.warmup:.0f} s warm-up), "
        "pty 120x40, embedded runtime in the app process"
    )
    try:
        for case in cases:
            r = results[case] = run_case(case, args)
            print(
                f"  {labels[case]:<18} CPU {r['cpu']:5.2f}% of a core ({r['cpu_s']:.2f} s), "
                f"{r['bytes']:,} bytes written ({r['bytes'] / r['seconds'] * 60 / 1024:.1f} KB/min), "
                f"{r['frames']} frames",
                flush=True,
            )
    except BenchError as exc:
        sys.exit(f"idle: FAILED: {exc}")
    ok = all(r["cpu"] < 0.5 and r["bytes"] == 0 for r in results.values())
    worst_cpu = max(r["cpu"] for r in results.values())
    most = max(r["bytes"] for r in results.values())
    print(
        f"goal idle < 0.5% CPU and no output in every case: {'OK' if ok else 'FAIL'} "
        f"(worst {worst_cpu:.2f}% CPU, {most:,} bytes)"
    )


if __name__ == "__main__":
    main()
