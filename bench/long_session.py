"""Open sessions of 100 and 10,000 events in the chat transcript view: time to first paint and
memory growth, plus what scrolling through the long one costs.

Each size runs in its own fresh process (so memory figures do not mix): an app hosting only the
``TranscriptView`` starts; then the clock starts, and the generated history (bench/session_events.py:
turns of a question, thinking, three bash calls and a markdown answer) is read as the feed reads
it: the newest page (1,000 events) is parsed from wire JSON with ``parse_event`` and folded into a
``Transcript`` from its first whole turn, the view ``load``s it, and the clock stops once the
screen has been painted (messages are drawn as they are laid out). Time to first paint is given
with and without the folding (the view's own part starts at ``load``); then the rest of the
history is folded and handed to the view as earlier history (the time it takes is shown). Memory
growth is the process's resident set size after that minus before the history was generated.
Then it pages through the history: 20 page-ups (paging earlier blocks in when they reach the top)
and 3 "load earlier" pages, CPU time each.

Then the same two sizes through the real app, from the outside (``--parts tui``, see
``bench/ptyapp.py``): for each size an ``agentdeck serve`` (its own process, default pace) holds one
session whose events were written into its database before it started (generated turns of the same
shape: a question, thinking, three bash calls with their results, a markdown answer of about 600
characters, usage, idle; the last answer ends with a unique sentence). Each measurement is a fresh
``python3 -m app --base-url URL --api-key KEY`` in a pseudo-terminal of 120x40 (the bench plays
the terminal): once the sessions pane lists the session, the bench presses ``enter`` on it and
times until the first chunk of output that contains the last answer's final sentence (the newest
block, on screen). Rounds alternate the sizes (one warm-up each, not counted); medians. Goal: the
10,000-event session opens in <= 2x the time of the 100-event one (the last line).

    python3 bench/long_session.py [--parts inproc,tui] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = (100, 10_000)
#: Events a history page holds (the feed's ``limit``): the newest page is read first.
PAGE = 1000


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 2**20


async def measure(size: int) -> dict:
    from session_events import history
    from textual.app import App, ComposeResult
    from textual.widget import Widget

    from app.api.feed_state import EarlierEvents
    from app.api.models.events import parse_event
    from app.api.transcript import Transcript
    from app.styles import styles_dir
    from app.tui.chat.transcript_view import TranscriptView

    class TranscriptApp(App):
        CSS_PATH = [str(styles_dir() / "blocks.tcss")]

        def compose(self) -> ComposeResult:
            yield TranscriptView()

    async def painted(widget: Widget) -> None:
        done = asyncio.Event()
        widget.call_after_refresh(done.set)
        await done.wait()

    app = TranscriptApp()
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(TranscriptView)
        await pilot.pause()
        before = rss_mb()
        wire = [json.dumps(event) for event in history(size)]

        start = time.perf_counter()
        events = [parse_event(json.loads(raw)) for raw in wire[-PAGE:]]  # the newest page, as the feed reads it
        turn = next(i for i, event in enumerate(events) if event.type == "user.message")
        transcript = Transcript(events[turn:])
        folded = time.perf_counter()
        await view.load(transcript)
        await painted(view)
        first_paint = time.perf_counter() - start
        older = [parse_event(json.loads(raw)) for raw in wire[: len(wire) - PAGE + turn]]
        if older:
            view.apply(transcript, transcript.apply_feed([EarlierEvents(tuple(older))]))
            await painted(view)
        rest = time.perf_counter() - start - first_paint
        growth = rss_mb() - before

        cpu = time.process_time()
        for _ in range(20):
            view.action_page_up()
            await painted(view)
            while view.is_paging:
                await asyncio.sleep(0.005)
        page_up = (time.process_time() - cpu) / 20
        cpu = time.process_time()
        for _ in range(3):
            earlier = view.earlier
            view.action_load_earlier()
            while earlier and view.earlier == earlier or view.is_paging:
                await asyncio.sleep(0.005)
            await painted(view)
        load_earlier = (time.process_time() - cpu) / 3
        return {
            "events": len(wire),
            "blocks": len(transcript),
            "mounted": len(view.block_widgets),
            "fold_s": folded - start,
            "first_paint_s": first_paint,
            "view_paint_s": first_paint - (folded - start),
            "rest_s": rest,
            "rss_growth_mb": growth,
            "page_up_ms": page_up * 1000,
            "load_earlier_ms": load_earlier * 1000,
        }


def open_in_tui(server, client_dir: Path, title: str, last_words: str) -> float:
    """A fresh app in a pty against ``server``: seconds from ``enter`` on the session to its newest
    block (``last_words``) on screen."""
    from ptyapp import KEY_ENTER, Terminal, app_command, wait_ready

    with Terminal(app_command(client_dir, base_url=server.base_url, api_key=server.api_key), 120, 40) as term:
        wait_ready(term, 120, expect=title)
        term.settle(0.5)
        newest = term.watch(last_words)
        sent = term.send(KEY_ENTER)
        term._wait(newest.found, 300, f"the newest block of {title!r} on screen")
        return newest.at - sent


def tui(rounds: int) -> None:
    import statistics
    import tempfile

    from ptyapp import BenchError, Server, history_events, seed_account, seed_history

    try:
        with tempfile.TemporaryDirectory(prefix="bench-long-") as tmp:
            servers, counts, times = {}, {}, {size: [] for size in SIZES}
            try:
                for size in SIZES:
                    data = Path(tmp) / f"runtime-{size}"
                    session = seed_account(data, title=f"{size} events")
                    events = history_events(size, f"The end of the {size}-event session.")
                    seed_history(data, session["id"], events)
                    counts[size] = len(events)
                    servers[size] = Server(data).start()
                for round_ in range(rounds + 1):  # round 0 warms up
                    for size in SIZES:
                        took = open_in_tui(
                            servers[size],
                            Path(tmp) / f"client-{size}-{round_}",
                            f"{size} events",
                            f"The end of the {size}-event session.",
                        )
                        if round_:
                            times[size].append(took)
            finally:
                for server in servers.values():
                    server.stop()
    except BenchError as exc:
        sys.exit(f"long_session: FAILED: {exc}")
    medians = {size: statistics.median(times[size]) for size in SIZES}
    print(
        "through the TUI (pty 120x40, agentdeck serve over HTTP): "
        f"enter on the session -> its newest block on screen, medians of {rounds}"
    )
    for size in SIZES:
        shown = ", ".join(f"{t:.2f}" for t in times[size])
        print(f"  {counts[size]:>6,} events: {medians[size]:6.2f} s  ({shown})")
    small, large = medians[SIZES[0]], medians[SIZES[-1]]
    ratio = large / small
    print(
        f"goal open {SIZES[-1]:,} events <= 2x {SIZES[0]} events through the TUI: "
        f"{'OK' if ratio <= 2 else 'FAIL'} ({ratio:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--one", type=int, help="measure one size in this process and print JSON")
    parser.add_argument(
        "--parts", default="inproc,tui", help="inproc (the transcript view alone), tui (the real app in a pty)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the tui part")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(measure(args.one))))
        return
    parts = {part.strip() for part in args.parts.split(",")}
    if "inproc" in parts:
        inproc()
    if "tui" in parts:
        tui(args.rounds)


def inproc() -> None:
    results = {}
    for size in SIZES:
        out = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True)
        results[size] = json.loads(out.stdout.strip().splitlines()[-1])
    for r in results.values():
        print(
            f"{r['events']:>6,} events ({r['blocks']:,} blocks, {r['mounted']} mounted): first paint "
            f"{r['first_paint_s']:.2f} s (folding {r['fold_s']:.2f} s, view {r['view_paint_s']:.2f} s), "
            f"the earlier history {r['rest_s']:.2f} s more, memory +{r['rss_growth_mb']:.1f} MB; "
            f"page up {r['page_up_ms']:.0f} ms CPU, load earlier {r['load_earlier_ms']:.0f} ms CPU"
        )
    small, large = results[SIZES[0]], results[SIZES[-1]]
    print(
        f"time to first paint: {large['first_paint_s'] / small['first_paint_s']:.2f}x with folding, "
        f"{large['view_paint_s'] / small['view_paint_s']:.2f}x the view alone (target <= 2x)"
    )
    print(f"memory growth for {SIZES[-1]:,} events: {large['rss_growth_mb']:.1f} MB (target < 60 MB)")


if __name__ == "__main__":
    main()
