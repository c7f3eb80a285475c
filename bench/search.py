"""Search a 10,000-event session in the chat: from the last key of a query to its first match on
screen, through the real app in a pseudo-terminal.

An ``agentdeck serve`` (its own process) holds one session whose 10,000 events were written into
its database before it started (``ptyapp.history_events``: turns of a question "Question N: what
does module N do?", thinking, three bash calls with their results, a markdown answer, usage,
idle). A fresh ``python3 -m app`` in a 120x40 pty opens it (enter on it in the sessions pane),
then ``ctrl+f`` opens the search bar. Each query finds turn N's question alone, and is typed a key
at a time (every prefix searches and shows its own newest match, as a user sees it): ``question N:``
when longer numbers start with N (``question 12`` shows turn 129's question, the colon makes it
turn 12's), else ``question N`` with N ending in 1 (``question 38`` shows turn 389's, the ``1``
makes it 381's). The clock runs from that last key to the chunk of output that put turn N's question on
screen (the bench checks it was not there before): the window of mounted blocks moves there first
unless it is among the newest. The turns go from the very first one (the oldest block, as far up
as it gets) to a few before the end; ``ctrl+u`` clears the bar between queries. Goal: the first
match shown within 100 ms (p99) on 10,000 events.

    python3 bench/search.py [--events 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KEY_CTRL_F = b"\x06"
KEY_CTRL_U = b"\x15"
#: Seconds between the keys of a query, as a quick typist.
KEY_GAP = 0.05
GOAL_MS = 100.0


def targets(turns: int) -> list[int]:
    """The turns searched for: the first, spread through the session, and one near the end (those
    with no longer number starting with them end in 1, see :func:`query_for`)."""
    spread = (1, 2, turns // 16, turns // 4, turns // 2, 3 * turns // 4, turns - 20)
    return sorted({turn if turn * 10 <= turns else turn - turn % 10 + 1 for turn in spread})


def query_for(turn: int, turns: int) -> str:
    """A query whose last key narrows its newest match to turn ``turn``'s question."""
    return f"question {turn}:" if turn * 10 <= turns else f"question {turn}"


def run(events_count: int, rounds: int) -> dict[int, list[float]]:
    from ptyapp import (
        KEY_ENTER,
        BenchError,
        Server,
        Terminal,
        app_command,
        history_events,
        seed_account,
        seed_history,
        wait_ready,
    )

    last_words = f"The end of the {events_count:,}-event session."
    title = f"{events_count} events"
    times: dict[int, list[float]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
            data = Path(tmp) / "runtime"
            session = seed_account(data, title=title)
            events = history_events(events_count, last_words)
            seed_history(data, session["id"], events)
            turns = sum(event["type"] == "user.message" for event in events)
            with Server(data) as server:
                command = app_command(Path(tmp) / "client", base_url=server.base_url, api_key=server.api_key)
                with Terminal(command, 120, 40) as term:
                    wait_ready(term, 120, expect=title)
                    term.settle(0.5)
                    term.send(KEY_ENTER)
                    term.wait_text(last_words, 120, "the newest block of the session")
                    term.settle(0.5)
                    term.send(KEY_CTRL_F)
                    term.wait_text("Search the transcript", 30, "the search bar")
                    term.settle(0.3)
                    for round_ in range(rounds + 1):  # round 0 warms up
                        for turn in targets(turns):
                            took = search(term, turn, query_for(turn, turns))
                            if round_:
                                times.setdefault(turn, []).append(took)
    except BenchError as exc:
        sys.exit(f"search: FAILED: {exc}")
    print(f"{len(events):,} events, {turns:,} turns; queries typed a key every {KEY_GAP * 1000:.0f} ms")
    return times


def search(term, turn: int, query: str) -> float:
    """Clear the bar, type ``query`` and time its last key to turn ``turn``'s question on screen."""
    from ptyapp import fail

    term.send(KEY_CTRL_U)
    term.settle(0.3)
    for key in query[:-1]:
        term.send(key)
        time.sleep(KEY_GAP)
    term.settle(0.3)
    phrase = f"Question {turn}: what does module {turn} do?"
    if any(phrase in line for line in term.lines()):
        fail(f"turn {turn}'s question is on screen before the last key of {query!r}")
    sent = term.send(query[-1])
    shown = term.wait_screen(lambda lines: any(phrase in line for line in lines), 30, f"turn {turn} shown", after=sent)
    term.settle(0.2)
    return shown - sent


def main() -> None:
    from ptyapp import percentile, summary_ms

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds over every query (after one warm-up)")
    args = parser.parse_args()
    times = run(args.events, args.rounds)
    for turn, values in times.items():
        print(f"  turn {turn:>5}: {summary_ms(values)}")
    every = [value for values in times.values() for value in values]
    first = times[min(times)]
    print(f"the oldest turn (far up, not mounted): {summary_ms(first)}")
    print(f"every query:                           {summary_ms(every)}")
    p99 = percentile(every, 99) * 1000
    print(
        f"goal first match on screen within {GOAL_MS:.0f} ms (p99) on {args.events:,} events: "
        f"{'OK' if p99 <= GOAL_MS else 'FAIL'} (p50 {percentile(every, 50) * 1000:.1f} ms, p99 {p99:.1f} ms)"
    )


if __name__ == "__main__":
    main()
