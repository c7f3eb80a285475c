"""Stream a 20 KB markdown answer (5,000 deltas) plus 500 tool calls into the chat transcript view,
headless, and compare its CPU time with a bare ``MarkdownStream`` fed the same 5,000 deltas.

The session is generated (bench/session_events.py): a question, 500 bash calls (a tool use and,
0.3 s later, its five-line result; 0.8 s per call), then the answer streamed at 50 deltas a
second: 500 s of simulated time. A simulated ``SessionFeed`` cuts it into the batches it would
deliver every 50 ms (deltas inside a batch coalesced): 3,000 batches. Each batch is folded into
the ``Transcript`` and handed to ``TranscriptView.apply``; the baseline is one ``Markdown`` widget
whose ``MarkdownStream`` is written every delta. Both are measured two ways, like for like:

- paced (the figure that matters live): time is simulated, work is real, nothing sleeps. Before
  the next batch is due, the run waits until the screen has been updated and the streamed
  markdown rendered (a UI keeping up with the feed). The view runs on the simulated clock, so it
  coalesces exactly as it would live; the bare stream gets each batch's deltas, one write each.
- as fast as possible (DESIGN.md's measurement): batches (or deltas) handed over back to back,
  with one turn of the event loop in between; each side coalesces whatever piles up while it
  renders, the view on the wall clock.

Everything runs in one process, one measurement after the other; CPU time is
``time.process_time``.

    python3 bench/chat_render.py [--deltas N] [--tools N] [--size CHARS]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from session_events import Session, delta_batches, feed_batches, markdown_answer, split_deltas  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widget import Widget  # noqa: E402
from textual.widgets import Markdown  # noqa: E402

from app.api.transcript import Transcript  # noqa: E402
from app.styles import styles_dir  # noqa: E402
from app.tui.chat.message import AgentMessage  # noqa: E402
from app.tui.chat.transcript_view import TranscriptView  # noqa: E402

SIZE = (120, 40)
DELTA_RATE = 50.0


class MarkdownApp(App):
    def compose(self) -> ComposeResult:
        yield Markdown()


class SimulatedView(TranscriptView):
    """The view on simulated time: an update that is not due yet waits for a later batch (one
    comes every 50 simulated ms) instead of a wall-clock timer."""

    def _defer(self, wait: float) -> None:
        pass


class TranscriptApp(App):
    CSS_PATH = [str(styles_dir() / "blocks.tcss")]

    def __init__(self, view: TranscriptView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield self.view


async def screen_updated(widget: Widget) -> None:
    """Return once pending messages are processed and the screen has been refreshed."""
    done = asyncio.Event()
    widget.call_after_refresh(done.set)
    await done.wait()


async def markdown_rendered(markdown: Markdown, text: str) -> None:
    """Return once ``markdown`` holds ``text`` and has finished rendering it."""
    while markdown.source != text:
        await asyncio.sleep(0.001)
    async with markdown.lock:
        pass


async def bare(batches: list[list[str]], answer: str, *, paced: bool) -> float:
    """CPU seconds for a bare MarkdownStream to take every delta and show the whole answer."""
    app = MarkdownApp()
    async with app.run_test(size=SIZE):
        markdown = app.query_one(Markdown)
        await screen_updated(markdown)
        start = time.process_time()
        stream = Markdown.get_stream(markdown)
        written = ""
        for batch in batches:
            for delta in batch:
                await stream.write(delta)
            if paced:
                written += "".join(batch)
                await markdown_rendered(markdown, written)
                await screen_updated(markdown)
        await stream.stop()
        await markdown_rendered(markdown, answer)
        await screen_updated(markdown)
        return time.process_time() - start


async def view(batches: list[tuple[float, list]], answer: str, *, paced: bool) -> tuple[float, dict]:
    """CPU seconds for the transcript view to take every batch and show the whole answer."""
    app = TranscriptApp(SimulatedView() if paced else TranscriptView())
    async with app.run_test(size=SIZE):
        now = 0.0
        if paced:
            app.view.clock = lambda: now
        transcript = Transcript()
        await app.view.load(transcript)
        await screen_updated(app.view)
        start = time.process_time()
        for now, batch in batches:
            app.view.apply(transcript, transcript.apply_feed(batch))
            if paced:
                for message in [w for w in app.view.block_widgets[-2:] if isinstance(w, AgentMessage)]:
                    await message.caught_up()
                await screen_updated(app.view)
            else:
                await asyncio.sleep(0)
        app.view.flush()
        message = next(w for w in reversed(app.view.block_widgets) if isinstance(w, AgentMessage))
        while not message.settled:
            await asyncio.sleep(0.001)
        await message.caught_up()
        await screen_updated(app.view)
        spent = time.process_time() - start
        assert message.source == answer
        stats = {"blocks": len(transcript), "mounted": len(app.view.block_widgets)}
    return spent, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deltas", type=int, default=5000)
    parser.add_argument("--tools", type=int, default=500)
    parser.add_argument("--size", type=int, default=20_000, help="answer length in characters")
    args = parser.parse_args()

    answer = markdown_answer(args.size)
    session = Session()
    session.emit("user.message", content=[{"type": "text", "text": "Tidy every TODO, then summarise."}])
    session.emit("session.status_running", 0.1)
    for index in range(args.tools):
        session.tool_call(index)
    session.streamed_message(answer, args.deltas, DELTA_RATE)
    session.emit("session.status_idle", 0.1, stop_reason={"type": "end_turn"})
    ticks = list(feed_batches(session.timeline, empty=True))
    batches = [(when, batch) for when, batch in ticks if batch]
    per_batch = delta_batches(session.timeline)

    view_paced, stats = asyncio.run(view(ticks, answer, paced=True))
    bare_paced = asyncio.run(bare(per_batch, answer, paced=True))
    view_fast, _ = asyncio.run(view(batches, answer, paced=False))
    bare_fast = asyncio.run(bare([split_deltas(answer, args.deltas)], answer, paced=False))
    print(
        f"answer {len(answer):,} chars in {args.deltas:,} deltas; {args.tools} tool calls; "
        f"{len(batches):,} feed batches over {session.clock:.0f} s of simulated time; "
        f"the view ends with {stats['mounted']} of {stats['blocks']} blocks mounted"
    )
    print("                      bare MarkdownStream   TranscriptView (deltas + tool calls)")
    print(f"paced:                {bare_paced:10.2f} s CPU   {view_paced:10.2f} s CPU   "
          f"ratio {view_paced / bare_paced:.2f}x (target <= 0.5x)")
    print(f"as fast as possible:  {bare_fast:10.2f} s CPU   {view_fast:10.2f} s CPU   "
          f"ratio {view_fast / bare_fast:.2f}x (target <= 0.5x)")


if __name__ == "__main__":
    main()
