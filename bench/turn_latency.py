"""Turn latency of agentdeck in a real terminal: send -> reply fully shown, first turn of a new
session vs later turns; how far the screen trails the server's end of turn; and how often the
screen updates while a long answer streams.

The app runs as ``python3 -m app --base-url URL --api-key KEY`` in a pseudo-terminal (120x40 by
default) against ``agentdeck serve`` at its default pace (``--pace 0.02``) in its own process. The
bench plays the terminal (it answers Textual's query for synchronized output, so frames can be
counted) and keeps a pyte model of the screen.

For each of ``--sessions`` sessions it opens a new chat from the sessions pane (``n``,
``ctrl+s``), then sends ``--turns`` plain messages, each with a unique token, one after the other
(the next once the previous reply is shown and the app went quiet). The offline model answers a
plain message with a short markdown reply quoting it and ending in "...for everything I
understand."; the reply is *fully shown* at the first chunk of output after which the screen has
that last word below the last line holding the message's token. Latency = that time minus the
time the enter key was written to the pty.

- first turn (turn 1 of each new session) vs later turns (turns 2..): medians and p99, and the
  ratio of the medians. Goal: first <= 1.2x later.
- lag behind the server: the reply fully shown minus the ``processed_at`` of the turn's
  ``session.status_idle`` event (read over HTTP from the events list afterwards; same clock, ms
  resolution; negative when the text was on screen before the server stamped the end of turn).
  Goal: p99 < 300 ms.
- screen updates per second while ``/long N`` (``--sections``, 10 by default: about 800 word
  deltas) streams in a chat of its own: synchronized frames from the first frame showing a
  section heading to the frame showing the answer's last word ("time."), per second (the app
  never paints the answer's first lines: the transcript follows the end). Goal: >= 10.

The last line says whether all three goals hold.

    python3 bench/turn_latency.py [--sessions 5] [--turns 3] [--sections 10] [--size 120x40]
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
    Server,
    Terminal,
    app_command,
    leave_chat,
    median,
    new_chat,
    parse_stamp,
    percentile,
    perf_offset,
    summary_ms,
    wait_ready,
)

LAST_WORD = "understand."  # the last word of the offline model's reply to a plain message
LONG_LAST_WORD = "time."  # the last word of a /long answer (nothing else in it has "time.")
LONG_STARTED = "Section "  # a section heading: the answer is streaming on screen
TIMEOUT = 120.0


def reply_shown(token: str):
    """The screen shows the reply's last word below the last line that holds ``token``."""

    def check(lines: list[str]) -> bool:
        rows = [row for row, line in enumerate(lines) if token in line]
        return bool(rows) and any(LAST_WORD in line for line in lines[rows[-1] + 1 :])

    return check


def one_turn(term: Terminal, server: Server, session_id: str, text: str, token: str) -> tuple[float, float]:
    """Send ``text``; (seconds to the reply fully shown, lag of that behind the server's idle)."""
    term.settle(0.5)
    sent = term.send(text + "\r")
    shown = term.wait_screen(reply_shown(token), TIMEOUT, f"the reply to {token!r}", after=sent)
    offset = perf_offset()
    deadline = time.perf_counter() + 30
    while True:  # the server's end of this turn: the status_idle after our message
        events = server.events(session_id)
        ours = [i for i, e in enumerate(events) if e["type"] == "user.message" and token in str(e.get("content"))]
        idles = [e for e in events[ours[-1] + 1 :] if e["type"] == "session.status_idle"] if ours else []
        if idles:
            break
        if time.perf_counter() > deadline:
            raise BenchError(f"the server never ended the turn of {token!r}")
        time.sleep(0.1)
    lag = (shown + offset) - parse_stamp(idles[0]["processed_at"])
    term.settle(0.5)
    return shown - sent, lag


def newest_session(server: Server) -> str:
    return server.get("/v1/sessions", limit=1)["data"][0]["id"]


def stream_rate(term: Terminal, sections: int) -> tuple[float, float, int]:
    """In the open (new) chat, send ``/long N``; (screen updates/s, seconds streamed, frames)."""
    heading = term.watch(LONG_STARTED)
    end = term.watch(LONG_LAST_WORD)
    term.send(f"/long {sections}\r")
    term._wait(end.found, 60 + sections * 30, "the long answer's last word to show")
    term.unwatch(heading)
    term.unwatch(end)
    if heading.at is None:
        raise BenchError("no section heading of the long answer showed")
    seconds = end.at - heading.at
    frames = term.frames_between(heading.at, end.at)
    return frames / seconds if seconds > 0 else float("nan"), seconds, frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--turns", type=int, default=3, help="turns per session (the first and the later ones)")
    parser.add_argument("--sections", type=int, default=10, help="sections of the long answer for the update rate")
    parser.add_argument("--pace", type=float, default=0.02)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    if args.turns < 2:
        parser.error("--turns must be at least 2 (a first turn and a later one)")
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    first: list[float] = []
    later: list[float] = []
    lags: list[float] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-turns-") as tmp:
            with (
                Server(Path(tmp) / "runtime", pace=args.pace) as server,
                Terminal(
                    app_command(Path(tmp) / "client", base_url=server.base_url, api_key=server.api_key), cols, rows
                ) as term,
            ):
                wait_ready(term)
                for s in range(1, args.sessions + 1):
                    new_chat(term)
                    session_id = newest_session(server)
                    for t in range(1, args.turns + 1):
                        token = f"tok{s}x{t}q"
                        took, lag = one_turn(term, server, session_id, f"turn {t} of session {s}: {token}", token)
                        (first if t == 1 else later).append(took)
                        lags.append(lag)
                        print(
                            f"  session {s} turn {t}: reply shown {took:6.3f} s after enter, "
                            f"{lag * 1000:+7.0f} ms after the server's idle",
                            flush=True,
                        )
                    leave_chat(term)
                new_chat(term)
                rate, seconds, frames = stream_rate(term, args.sections)
    except BenchError as exc:
        sys.exit(f"turn_latency: FAILED: {exc}")

    ratio = median(first) / median(later)
    p99_lag = percentile(lags, 99)
    print(
        f"send -> reply fully shown, pty {cols}x{rows}, runtime pace {args.pace:g} "
        f"({args.sessions} sessions x {args.turns} turns)"
    )
    print(f"  first turn of a new session   median {median(first):6.3f} s   {summary_ms(first)}")
    print(f"  later turns                   median {median(later):6.3f} s   {summary_ms(later)}")
    print(f"  first / later (medians)       {ratio:.2f}x (goal <= 1.2x)")
    print(f"  shown after the server's idle {summary_ms(lags)} (goal p99 < 300 ms)")
    print(f"  /long {args.sections} streaming: {frames} screen updates in {seconds:.1f} s = {rate:.1f}/s (goal >= 10)")
    ok = ratio <= 1.2 and p99_lag < 0.300 and rate >= 10
    print(
        f"goal first <= 1.2x later, lag p99 < 300 ms, >= 10 updates/s: {'OK' if ok else 'FAIL'} "
        f"({ratio:.2f}x, {p99_lag * 1000:.0f} ms, {rate:.1f}/s)"
    )


if __name__ == "__main__":
    main()
