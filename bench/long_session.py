"""Open sessions of 100 and 10,000 events in the chat transcript view: time to first paint and
memory growth, plus what scrolling through the long one costs.

Each size runs in its own fresh process (so memory figures do not mix): an app hosting only the
``TranscriptView`` starts; then the clock starts, the generated history (bench/session_events.py:
turns of a question, thinking, three bash calls and a markdown answer) is parsed from wire JSON
with ``parse_event`` and folded into a ``Transcript`` as the feed's backfill would be, the view
``load``s it, and the clock stops once the screen has been painted (messages are drawn as they
are laid out). Time to first paint is given with and without the folding (the view's own part starts
at ``load``). Memory growth is the process's resident set size after that minus before the history
was generated. Then it pages through the history: 20 page-ups (paging earlier blocks in when they
reach the top) and 3 "load earlier" pages, CPU time each.

    python3 bench/long_session.py
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


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 2**20


async def measure(size: int) -> dict:
    from session_events import history
    from textual.app import App, ComposeResult
    from textual.widget import Widget

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
        transcript = Transcript(parse_event(json.loads(raw)) for raw in wire)
        folded = time.perf_counter()
        await view.load(transcript)
        await painted(view)
        first_paint = time.perf_counter() - start
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
            "rss_growth_mb": growth,
            "page_up_ms": page_up * 1000,
            "load_earlier_ms": load_earlier * 1000,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--one", type=int, help="measure one size in this process and print JSON")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(measure(args.one))))
        return
    results = {}
    for size in SIZES:
        out = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True)
        results[size] = json.loads(out.stdout.strip().splitlines()[-1])
    for size, r in results.items():
        print(
            f"{r['events']:>6,} events ({r['blocks']:,} blocks, {r['mounted']} mounted): first paint "
            f"{r['first_paint_s']:.2f} s (folding {r['fold_s']:.2f} s, view {r['view_paint_s']:.2f} s), "
            f"memory +{r['rss_growth_mb']:.1f} MB; "
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
