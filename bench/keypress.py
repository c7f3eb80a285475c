"""Keypress-to-screen latency of agentdeck in a real terminal: idle, while a long answer streams at
live pace, and while one streams flat out.

The app runs as ``python3 -m app --base-url URL --api-key KEY`` in a pseudo-terminal of 120x40
(``--sizes 120x40,80x24`` for more), against ``agentdeck serve`` in its own process (the runtime is
remote for the app, as the real API is; it runs at a lower CPU priority, so that when it streams
flat out it does not take the app's core on a two-core machine). The bench is the terminal: it
answers Textual's query for synchronized output, so each frame arrives wrapped in ``CSI ? 2026 h``
.. ``CSI ? 2026 l`` and frames can be counted. It opens a new chat (``n``, ``ctrl+s``), and types
into the composer, one key every 50-100 ms (uniformly jittered), characters that nothing else on
the screen ever contains: Canadian syllabics (U+1401..U+166C), each one different from the 30
before it. The latency of a key is the time from writing it to the pty to the first chunk of output
that contains that character (the frame that shows it; the char is found in the raw output, no
terminal model is needed for the timing). After 30 keys the bench waits for every pending key to
show (a key not shown within 30 s is counted as lost, and fails the goal), erases the line with 30
backspaces (not timed) and waits until a pyte model of the screen shows no marker left before
typing on. A message is sent from an empty composer, and typing starts once the composer is empty
again (the server took the text; what is typed before then would stay in the composer with it).

Cases (``idle`` then ``live`` in one app process and chat, against a runtime at live pace; ``flat``
in a second app process against a runtime at pace 0):

- ``idle``: a chat open, nothing streaming (``--keys`` keys);
- ``live``: after sending ``/long 100`` (``--sections``), with the runtime at its default pace
  (``--pace 0.02`` s between deltas: about 8,000 word deltas, some 85 s); keys are typed
  from the send until the answer's last word ("time.") is on screen, so they cover the whole
  answer (the chat's "turn ended" line can show before the last words do);
- ``flat``: the same against a runtime at ``--pace 0``, from the send until the last word is on
  screen (repeated, each time in a new chat, until ``--keys`` keys were timed, at most 5 answers).

Also reported while the answer streams: screen updates (synchronized frames) per second and bytes
written per second. Goal: p99 < 50 ms in all three cases (the last line says whether it holds).

    python3 bench/keypress.py [--keys 150] [--sections 100] [--sizes 120x40] [--cases idle,live,flat]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ptyapp import (  # noqa: E402
    COMPOSER_PLACEHOLDER,
    KEY_BACKSPACE,
    BenchError,
    Server,
    Terminal,
    app_command,
    leave_chat,
    new_chat,
    percentile,
    summary_ms,
    wait_ready,
)

MARKERS = [chr(code) for code in range(0x1401, 0x166D)]  # 620 single-width characters
MARKERS_SET = frozenset(MARKERS)
LINE = 30  # keys typed before the line is erased
#: The last word of a /long answer: nothing else in it or around it on screen has "time.". (The
#: chat's "turn ended" status line can show before the last words of the answer do.)
END_OF_ANSWER = "time."
TIMEOUT = 60.0
KEY_TIMEOUT = 30.0  # a key not on screen after this long is counted as lost


@dataclass
class Typist:
    """Types marker characters into the focused composer and times each one to the screen."""

    term: Terminal
    spacing: tuple[float, float]
    latencies: list[float] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)
    lost: list[float] = field(default_factory=list)  # send times of keys that never showed
    _next: int = 0
    _pending: list = field(default_factory=list)

    def key(self) -> None:
        char = MARKERS[self._next % len(MARKERS)]
        self._next += 1
        watch = self.term.watch(char)
        sent = self.term.send(char)
        self._pending.append((sent, watch))
        if len(self._pending) == LINE:
            self.erase()
        time.sleep(random.uniform(*self.spacing))

    def collect(self) -> None:
        """Wait for every key typed so far to be on screen; record their latencies (a key not
        shown after ``KEY_TIMEOUT`` seconds is counted as lost)."""
        for sent, watch in self._pending:
            if watch.found.wait(max(0.0, sent + KEY_TIMEOUT - time.perf_counter())):
                self.latencies.append(watch.at - sent)
                self.sent_at.append(sent)
            else:
                self.lost.append(sent)
            self.term.unwatch(watch)
            if not self.term.alive():
                raise BenchError(f"the app exited:\n{self.term.tail()}")

    def erase(self) -> None:
        """Collect, then erase the line (untimed) and wait until no marker is left on the screen
        (with a terminal model: keys typed after the backspaces must not be erased by them)."""
        self.collect()
        typed = len(self._pending)
        self._pending.clear()
        for _ in range(3):
            if not typed:
                return
            mark = self.term.send(KEY_BACKSPACE * typed)
            try:
                self.term.wait_screen(no_markers, 30, "the typed line to be erased", after=mark)
                return
            except BenchError:
                typed = sum(ch in MARKERS_SET for line in self.term.lines() for ch in line)
        raise BenchError(f"the typed line could not be erased; the screen shows:\n{self.term.text()}")

    def since(self, start: float, end: float) -> list[float]:
        return [lat for sent, lat in zip(self.sent_at, self.latencies, strict=True) if start <= sent <= end]

    def lost_since(self, start: float, end: float) -> int:
        return sum(start <= sent <= end for sent in self.lost)


def no_markers(lines: list[str]) -> bool:
    return not any(ch in MARKERS_SET for line in lines for ch in line)


def composer_empty(lines: list[str]) -> bool:
    return any(COMPOSER_PLACEHOLDER in line for line in lines)


def send_message(term: Terminal, text: str) -> float:
    """Send ``text`` from the empty composer; return once the composer is empty again (the server
    took it; anything typed before then would stay in the composer with it)."""
    term.wait_screen(composer_empty, TIMEOUT, "the composer to be empty before sending")
    sent = term.send(text + "\r")
    try:  # the text shows in the composer first (unless it went out within one frame)
        typed = term.wait_screen(lambda lines: not composer_empty(lines), 5, "the message in the composer", after=sent)
    except BenchError:
        typed = sent
    term.wait_screen(composer_empty, TIMEOUT, "the composer to empty after sending", after=typed)
    return sent


def stream_case(term: Terminal, typist: Typist, sections: int, min_keys: int, max_turns: int) -> dict:
    """Send ``/long N`` (repeatedly, up to ``max_turns``, until ``min_keys`` keys were timed while
    answers streamed); type all along. Latencies, frames and bytes during the streaming."""
    latencies: list[float] = []
    lost = 0
    frames = 0
    nbytes = 0
    streaming = 0.0
    turns = 0
    while turns < max_turns and (turns == 0 or len(latencies) < min_keys):
        typist.erase()
        if turns:  # each answer in a new chat, so the last word seen can only be this answer's
            leave_chat(term)
            new_chat(term)
        turns += 1
        end = term.watch(END_OF_ANSWER)
        start = send_message(term, f"/long {sections}")
        deadline = start + 60 + sections * 30
        while not end.found.is_set():
            if time.perf_counter() > deadline or not term.alive():
                raise BenchError(f"the answer did not end on screen in time; the screen shows:\n{term.text()}")
            typist.key()
        typist.erase()
        term.unwatch(end)
        latencies += typist.since(start, end.at)
        lost += typist.lost_since(start, end.at)
        frames += term.frames_between(start, end.at)
        nbytes += term.bytes_between(start, end.at)
        streaming += end.at - start
    return {
        "latencies": latencies,
        "lost": lost,
        "frames": frames,
        "bytes": nbytes,
        "seconds": streaming,
        "turns": turns,
    }


def run_size(cols: int, rows: int, cases: list[str], args: argparse.Namespace) -> dict[str, dict]:
    results: dict[str, dict] = {}
    groups = [
        ("live", args.pace, [c for c in ("idle", "live") if c in cases]),
        ("flat", 0.0, ["flat"] if "flat" in cases else []),
    ]
    for _, pace, group in groups:
        if not group:
            continue
        with tempfile.TemporaryDirectory(prefix="bench-keypress-") as tmp:
            with (
                Server(Path(tmp) / "runtime", pace=pace) as server,
                Terminal(
                    app_command(Path(tmp) / "client", base_url=server.base_url, api_key=server.api_key), cols, rows
                ) as term,
            ):
                wait_ready(term)
                new_chat(term)
                typist = Typist(term, (args.min_spacing, args.max_spacing))
                for case in group:
                    if case == "idle":
                        typist.erase()
                        term.settle(0.5)
                        first, lost = len(typist.latencies), len(typist.lost)
                        while (
                            len(typist.latencies) - first + len(typist.lost) - lost + len(typist._pending) < args.keys
                        ):
                            typist.key()
                        typist.erase()
                        results[case] = {"latencies": typist.latencies[first:], "lost": len(typist.lost) - lost}
                    else:
                        results[case] = stream_case(term, typist, args.sections, args.keys, 1 if case == "live" else 5)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=150, help="keys timed per case at least (default 150)")
    parser.add_argument("--sections", type=int, default=100, help="sections of the /long answer (default 100)")
    parser.add_argument("--pace", type=float, default=0.02, help="the live runtime's pace (default 0.02 s)")
    parser.add_argument("--sizes", default="120x40", help="terminal sizes, comma-separated (default 120x40)")
    parser.add_argument("--cases", default="idle,live,flat")
    parser.add_argument("--min-spacing", type=float, default=0.05)
    parser.add_argument("--max-spacing", type=float, default=0.10)
    args = parser.parse_args()
    cases = [case.strip() for case in args.cases.split(",") if case.strip()]
    worst: dict[str, float] = {}
    labels = {
        "idle": "idle, chat open",
        "live": f"/long {args.sections} at pace {args.pace:g}",
        "flat": f"/long {args.sections} flat out",
    }
    try:
        for size in args.sizes.split(","):
            cols, rows = (int(n) for n in size.lower().split("x"))
            results = run_size(cols, rows, cases, args)
            print(
                f"keypress -> screen, pty {cols}x{rows}, "
                f"keys every {args.min_spacing * 1000:.0f}-{args.max_spacing * 1000:.0f} ms"
            )
            for case in cases:
                r = results[case]
                print(
                    f"  {labels[case]:<26} {summary_ms(r['latencies'])}"
                    + (f", {r['lost']} key(s) never shown" if r["lost"] else "")
                )
                if case != "idle":
                    print(
                        f"  {'':<26} streaming {r['seconds']:.1f} s ({r['turns']} answer(s)): "
                        f"{r['frames'] / r['seconds']:.1f} screen updates/s, "
                        f"{r['bytes'] / r['seconds'] / 1024:.0f} KB/s written"
                    )
                p99 = percentile(r["latencies"], 99) if not r["lost"] else float("inf")
                worst[case] = max(worst.get(case, 0.0), p99)
    except BenchError as exc:
        sys.exit(f"keypress: FAILED: {exc}")
    verdict = "OK" if all(p99 < 0.050 for p99 in worst.values()) else "FAIL"
    shown = ", ".join(
        f"{case} {p99 * 1000:.0f} ms" if p99 != float("inf") else f"{case} keys lost" for case, p99 in worst.items()
    )
    print(f"goal keypress p99 < 50 ms in every case: {verdict} ({shown})")


if __name__ == "__main__":
    main()
