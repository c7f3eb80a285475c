"""Stream a 20 KB markdown answer (5,000 deltas) plus 500 tool calls into the chat transcript view,
headless, and compare its CPU time with a bare ``MarkdownStream`` fed the same 5,000 deltas.

The session is generated (bench/session_events.py): a question, 500 bash calls (a tool use and,
0.3 s later, its five-line result; 0.8 s per call), then the answer streamed at 50 deltas a
second: 500 s of simulated time. A simulated ``SessionFeed`` cuts it into the batches it would
deliver every 50 ms (deltas inside a batch coalesced): 3,000 non-empty batches.

Time is simulated, work is real, nothing sleeps. Each batch is folded into the ``Transcript`` and
handed to ``TranscriptView.apply`` with the view's clock set to the batch's simulated time, so the
view coalesces exactly as it would live (at most 12 screen updates per simulated second); before
the next batch the run waits until the screen has been updated and the streamed markdown
rendered (a UI keeping up with the feed). Two baselines get the same 5,000 deltas:

- bare, as fast as possible: one ``MarkdownStream.write`` per delta, back to back (DESIGN.md's
  measurement; the stream coalesces whatever piles up while it renders);
- bare, paced like the view: the deltas of each 50 ms batch written one by one, then the same
  wait for the screen before the next batch (what a bare stream costs in a live chat).

All three run in one process, one after the other; CPU time is ``time.process_time``.

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

    def compose(self) -> ComposeResult:
        yield SimulatedView()


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


async def bare_fast(deltas: list[str], answer: str) -> float:
    app = MarkdownApp()
    async with app.run_test(size=SIZE):
        markdown = app.query_one(Markdown)
        await screen_updated(markdown)
        start = time.process_time()
        stream = Markdown.get_stream(markdown)
        for delta in deltas:
            await stream.write(delta)
        await stream.stop()
        await markdown_rendered(markdown, answer)
        await screen_updated(markdown)
        return time.process_time() - start


async def bare_paced(batches: list[list[str]], answer: str) -> float:
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
            written += "".join(batch)
            await markdown_rendered(markdown, written)
            await screen_updated(markdown)
        await stream.stop()
        await markdown_rendered(markdown, answer)
        return time.process_time() - start


async def view_paced(batches: list[tuple[float, list]], answer: str) -> tuple[float, dict]:
    app = TranscriptApp()
    async with app.run_test(size=SIZE):
        view = app.query_one(SimulatedView)
        now = 0.0
        view.clock = lambda: now
        transcript = Transcript()
        await view.load(transcript)
        await screen_updated(view)
        start = time.process_time()
        for now, batch in batches:
            view.apply(transcript, transcript.apply_feed(batch))
            for message in [w for w in view.block_widgets[-2:] if isinstance(w, AgentMessage)]:
                await message.caught_up()
            await screen_updated(view)
        view.flush()
        message = next(w for w in reversed(view.block_widgets) if isinstance(w, AgentMessage))
        while not message.settled:
            await asyncio.sleep(0.001)
        await message.caught_up()
        await screen_updated(view)
        spent = time.process_time() - start
        assert message.source == answer
        stats = {"blocks": len(transcript), "mounted": len(view.block_widgets), "earlier": view.earlier}
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
    batches = list(feed_batches(session.timeline, empty=True))
    deltas = split_deltas(answer, args.deltas)

    view, stats = asyncio.run(view_paced(batches, answer))
    fast = asyncio.run(bare_fast(deltas, answer))
    paced = asyncio.run(bare_paced(delta_batches(session.timeline), answer))
    print(
        f"answer {len(answer):,} chars in {len(deltas):,} deltas; {args.tools} tool calls; "
        f"{sum(1 for _, batch in batches if batch):,} feed batches over {session.clock:.0f} s of simulated time"
    )
    print(f"bare MarkdownStream, as fast as possible:   {fast:6.2f} s CPU")
    print(f"bare MarkdownStream, paced like the view:   {paced:6.2f} s CPU")
    print(
        f"TranscriptView (deltas + tool calls):       {view:6.2f} s CPU "
        f"({stats['blocks']} blocks, {stats['mounted']} mounted, {stats['earlier']} paged out)"
    )
    print(f"ratio vs bare, as fast as possible: {view / fast:.2f}x (target <= 0.5x)")
    print(f"ratio vs bare, paced:               {view / paced:.2f}x")


if __name__ == "__main__":
    main()
