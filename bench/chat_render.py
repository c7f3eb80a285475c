"""Stream a 20 KB markdown answer (5,000 deltas) plus 500 tool calls into the chat transcript view,
headless, and compare its CPU time with a naive chat showing the same events at the same rate.

The session is generated (bench/session_events.py): a question, 500 bash calls (a tool use and,
0.3 s later, its five-line result; 0.8 s per call), then the answer streamed as 5,000 deltas. A
simulated ``SessionFeed`` cuts it into the batches the chat would hand the screen, deltas inside a
batch coalesced. Like for like, both sides get the same batches and show every batch before taking
the next:

- agentdeck's ``TranscriptView``: the batch is folded into the ``Transcript``, the changes applied
  (coming back while it says updates are left), and the screen refreshed;
- the baseline, the straightforward Textual chat: a scroll view that follows the bottom, a
  ``Static`` per message and tool call (updated when its result comes) and the answer in one
  ``Markdown`` widget whose ``MarkdownStream`` gets the batch's new text as one write; the run
  waits until it is rendered and the screen refreshed.

Two rates:

- paced: the answer streams at 50 deltas a second and a batch is cut every 50 ms, as a live chat
  shows it (about 3,000 batches, deltas and tool calls);
- flat out: the deltas come as fast as the feed can read them, 50 to a batch (the answer in 100
  batches), every batch still shown: this is the rate a fast model pushes at the screen.

Everything runs in one process, one measurement after the other; CPU time is
``time.process_time``. The last line gives the worse of the two ratios.

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

from session_events import Session, feed_batches, markdown_answer  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.containers import VerticalScroll  # noqa: E402
from textual.widget import Widget  # noqa: E402
from textual.widgets import Markdown, Static  # noqa: E402

from app.api.feed_state import EventAdded, PreviewStarted, PreviewUpdated  # noqa: E402
from app.api.models import (  # noqa: E402
    AgentMessageEvent,
    AgentToolResultEvent,
    AgentToolUseEvent,
    UserMessageEvent,
)
from app.api.transcript import Transcript  # noqa: E402
from app.styles import styles_dir  # noqa: E402
from app.tui.chat.message import AgentMessage  # noqa: E402
from app.tui.chat.transcript_view import TranscriptView  # noqa: E402

SIZE = (120, 40)
DELTA_RATE = 50.0


class NaiveChatApp(App):
    """The baseline: the straightforward chat, a scroll view that follows the bottom with a
    ``Static`` per message and tool call and one ``Markdown`` per answer fed by a
    ``MarkdownStream``, everything kept mounted."""

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="log")

    def on_mount(self) -> None:
        self.query_one("#log").anchor()


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


async def bare(batches: list[list], answer: str) -> float:
    """CPU seconds for the naive chat to show every batch and the whole answer: the question and
    each tool call as a line (updated when its result comes), the answer's new text written to
    its ``MarkdownStream`` once per batch."""
    app = NaiveChatApp()
    async with app.run_test(size=SIZE):
        log = app.query_one("#log")
        await screen_updated(log)
        start = time.process_time()
        lines: dict[str, Static] = {}
        markdown, stream, written = None, None, ""
        for batch in batches:
            for change in batch:
                match change:
                    case EventAdded(event=UserMessageEvent() | AgentToolUseEvent() as event):
                        lines[event.id] = Static(f"{event.type} {event.to_wire()}", markup=False)
                        await log.mount(lines[event.id])
                    case EventAdded(event=AgentToolResultEvent() as event):
                        lines[event.tool_use_id].update(f"done: {event.text}")
                    case PreviewStarted():
                        markdown = Markdown()
                        await log.mount(markdown)
                        stream = Markdown.get_stream(markdown)
                    case PreviewUpdated(text=text) | EventAdded(event=AgentMessageEvent(text=text)):
                        await stream.write(text[len(written) :])
                        written = text
            if markdown is not None:
                await markdown_rendered(markdown, written)
            await screen_updated(log)
        await stream.stop()
        await markdown_rendered(markdown, answer)
        await screen_updated(log)
        return time.process_time() - start


async def view(batches: list[list], answer: str) -> tuple[float, dict]:
    """CPU seconds for the transcript view to show every batch and the whole answer."""
    app = TranscriptApp(TranscriptView())
    async with app.run_test(size=SIZE):
        transcript = Transcript()
        await app.view.load(transcript)
        await screen_updated(app.view)
        start = time.process_time()
        for batch in batches:
            changes = transcript.apply_feed(batch)
            while app.view.apply(transcript, changes):  # updates left for the next frame
                await screen_updated(app.view)
                changes = type(changes)()
            await screen_updated(app.view)
        spent = time.process_time() - start
        message = next(w for w in reversed(app.view.block_widgets) if isinstance(w, AgentMessage))
        assert message.source == answer and not message.block.streaming
        stats = {"blocks": len(transcript), "mounted": len(app.view.block_widgets)}
    return spent, stats


def flat_out(timeline: list[tuple[float, dict]], per_batch: int) -> list[list]:
    """The timeline's batches when events come as fast as they can be read: a batch is cut after
    every ``per_batch`` deltas (tool calls ride along with the deltas around them)."""
    clock, out = 0.0, []
    for _, event in timeline:
        if event["type"] == "event_delta":
            clock += 1 / per_batch
        out.append((clock, event))
    return [batch for _, batch in feed_batches(out, 1.0)]


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
    paced = [batch for _, batch in feed_batches(session.timeline)]
    fast = flat_out(session.timeline, 50)

    view_paced, stats = asyncio.run(view(paced, answer))
    bare_paced = asyncio.run(bare(paced, answer))
    view_fast, _ = asyncio.run(view(fast, answer))
    bare_fast = asyncio.run(bare(fast, answer))
    print(
        f"answer {len(answer):,} chars in {args.deltas:,} deltas; {args.tools} tool calls; "
        f"{len(paced):,} feed batches over {session.clock:.0f} s of simulated time ({len(fast)} flat out); "
        f"the view ends with {stats['mounted']} of {stats['blocks']} blocks mounted"
    )
    print("                      naive chat            TranscriptView")
    print(
        f"paced:                {bare_paced:10.2f} s CPU   {view_paced:10.2f} s CPU   "
        f"ratio {view_paced / bare_paced:.2f}x"
    )
    print(
        f"flat out:             {bare_fast:10.2f} s CPU   {view_fast:10.2f} s CPU   ratio {view_fast / bare_fast:.2f}x"
    )
    worst = max(view_paced / bare_paced, view_fast / bare_fast)
    print(f"ratio {worst:.2f}x (the worse of the two; goal <= 0.3x): {'met' if worst <= 0.3 else 'NOT met'}")


if __name__ == "__main__":
    main()
