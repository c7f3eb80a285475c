"""TranscriptView: a session's transcript as a window of block widgets over the Transcript data.

The :class:`~app.api.transcript.Transcript` stays the data. Every layout of the screen costs time
for every mounted widget, so the view mounts widgets for a window of consecutive blocks only: the
newest ``tail`` while it follows the end (fewer when the newest ones already fill
``KEEP_SCREENS`` screens), up to ``window`` while the user pages through the history. Scrolling
to the top pages older blocks in (``page`` at a time; the view keeps its place), scrolling to the
bottom of a window that stops short of the end pages newer ones in, and blocks that fall out of
the window are unmounted.

:meth:`TranscriptView.apply` shows a batch's changes at once, within a time budget: removals and
additions first, then updates in place until ``BUDGET`` seconds have gone, one at least (an
agent's message draws a burst of text over several frames); what is left waits for the next
frame (``apply`` says so, and the caller comes back). A message laid out at a new width with lines left to draw posts
:class:`~app.tui.chat.message.AgentMessage.Pending` and becomes due the same way. A block whose widget is off screen
is not redrawn while it changes: once it scrolls into view the view posts
:class:`TranscriptView.Behind`, and the next :meth:`~TranscriptView.apply` draws it.

It follows the bottom while new output arrives (Textual's scroll anchor) until the user scrolls
up; then a "new output" line shows, and End (``chat.follow``) jumps back and follows again.

``j`` / ``k`` select any block, ``J`` / ``K`` tool calls only (starting from what is on screen);
on the selected block (the newest when none is), ``i`` opens the event inspector, ``y`` copies its
text, ``Y`` a tool call's output and ``alt+c`` a message's code blocks; ``e`` lists the session's
events.

A filter (``f``, ``chat.filter``: all, messages, tool calls, errors; see
:mod:`app.api.transcript_search`) narrows the order itself: blocks it does not admit are never
mounted nor counted, and a line at the top says what is shown. :meth:`TranscriptView.reveal` moves
the window to any block and scrolls it into view; :meth:`TranscriptView.mark` highlights a
search's matches in the mounted blocks (and in those mounted later).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Container, Iterable, Iterator, Sequence
from typing import Protocol, cast

from textual import events, on
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from app.api.transcript import Changes, Transcript
from app.api.transcript_blocks import Block
from app.api.transcript_search import Filter, admits, next_filter
from app.tui.chat.block_text import Copied, block_text, code_blocks, message_markdown, tool_output
from app.tui.chat.blocks import block_widget
from app.tui.chat.expandable import Expandable
from app.tui.chat.marks import Marked
from app.tui.chat.message import AgentMessage
from app.tui.host import deck
from app.tui.screens.events import EventsScreen
from app.tui.screens.inspector import EventInspector, stream_note
from app.tui.textual_private import anchor_released, follow_again

#: Spinner frame rate of thinking blocks and running tool calls.
TICK_SECONDS = 0.25
#: Seconds of updates in place one :meth:`TranscriptView.apply` may spend (less than a frame).
BUDGET = 0.006
#: While following the end, blocks beyond this many screens of height are unmounted (but never
#: fewer than ``MIN_TAIL`` blocks are kept): every layout walks every mounted widget, and a long
#: answer streaming in lays the screen out again and again.
KEEP_SCREENS = 3
MIN_TAIL = 10
#: Frames a revealed block is kept in view while the blocks around it are drawn.
REVEAL_FRAMES = 30
#: What the line at the top says while a filter is on.
FILTER_LABELS = {"messages": "messages only", "tools": "tool calls only", "errors": "errors only"}


def _completed() -> AwaitComplete:
    """An AwaitComplete with nothing to wait for (an empty gather is already done), as
    ``AwaitComplete.nothing()`` but typed: Textual leaves that one unannotated."""
    return AwaitComplete()


class BlockWidget(Protocol):
    """What every block widget has besides being a Widget (see :func:`~app.tui.chat.blocks.block_widget`)."""

    block_id: str
    block: Block

    def update_block(self, block: Block) -> None: ...


class Animated(Protocol):
    """A block widget that shows progress: ``tick`` draws the next frame while ``animated``."""

    @property
    def animated(self) -> bool: ...

    def tick(self, frame: int) -> None: ...


class _Edge(Static):
    """A clickable line: "▲ N earlier blocks", "▼ N newer blocks", "new output ↓"."""

    def __init__(self, on_press: Callable[[], object], *, classes: str) -> None:
        super().__init__(classes=classes)
        self._on_press = on_press
        self._count = 0
        self.display = False

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self._on_press()

    def show_count(self, count: int, template: str) -> None:
        """Shown while ``count`` > 0, saying ``template`` with it. Rewritten only when the count
        changes, without a layout (the CSS fixes the line's height at 1): this runs on every flush."""
        self.display = count > 0
        if count and count != self._count:
            self._count = count
            self.update(Content(template.format(count)), layout=False)


class TranscriptView(VerticalScroll):
    """The chat transcript: :meth:`load` a session's transcript, then :meth:`apply` the changes of
    every feed batch."""

    class Behind(Message):
        """Blocks that scrolled into view are due to be drawn: call :meth:`apply` again."""

    class Filtered(Message):
        """The filter changed (a search should look again)."""

    BINDINGS = [
        Binding("end,ctrl+end", "follow", "Latest", id="chat.follow"),
        Binding("ctrl+home", "load_earlier", "Earlier", id="chat.load_earlier"),
        Binding("j", "select_block(1)", "Next block", id="chat.next_block"),
        Binding("k", "select_block(-1)", "Prev block", id="chat.previous_block"),
        Binding("J", "select_tool(1)", "Next tool", id="chat.next_tool", show=False),
        Binding("K", "select_tool(-1)", "Prev tool", id="chat.previous_tool", show=False),
        Binding("enter,space", "toggle_tool", "Expand", id="chat.toggle_tool"),
        Binding("m", "tool_output", "All output", id="chat.tool_output"),
        Binding("f", "cycle_filter", "Filter", id="chat.filter"),
        Binding("i", "inspect", "Inspect", id="chat.inspect"),
        Binding("e", "events", "Session events", id="chat.events"),
        Binding("y,c", "copy_block", "Copy", id="chat.copy"),
        Binding("Y,o", "copy_output", "Copy output", id="chat.copy_output", show=False),
        Binding("alt+c", "copy_code", "Copy code block", id="chat.copy_code", show=False),
        Binding("x", "export", "Export", id="chat.export", show=False),
    ]

    def __init__(
        self,
        *,
        window: int = 150,
        tail: int = 50,
        page: int = 25,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        #: Most block widgets mounted while paging through the history.
        self.window = window
        #: Block widgets kept while following the end (and mounted when a transcript is opened).
        self.tail = tail
        #: Blocks mounted by one page of "load earlier" / "load newer".
        self.page = page
        self.transcript: Transcript | None = None
        #: Every block id of the transcript the filter admits, in order; the window is ``_order[_start:_end]``.
        self._order: list[str] = []
        self._start = 0
        self._end = 0
        #: The mounted block widgets (see :class:`BlockWidget`) by block id.
        self._widgets: dict[str, Widget] = {}
        #: The selected block widget (the one the block keys act on).
        self._selected: Widget | None = None
        #: The message whose code blocks ``alt+c`` went through last, and the one it copied.
        self._code_at: tuple[str, int] | None = None
        #: Output arrived while the user was scrolled up.
        self._unseen = False
        self._paging = False
        #: Bumped whenever the whole window is replaced: a paging step begun before is void.
        self._generation = 0
        self._frame = 0
        #: Blocks changed but not redrawn yet: over budget (``_due``), or off screen (``_stale``).
        self._due: dict[str, None] = {}
        self._stale: set[str] = set()
        self._earlier = _Edge(self.action_load_earlier, classes="window-edge -earlier")
        self._newer = _Edge(self.action_follow, classes="window-edge -newer")
        self._hint = _Edge(self.action_follow, classes="new-output")
        self._only: Filter = "all"
        self._filter_line = _Edge(self.action_cycle_filter, classes="filter-line")
        #: The search marks: the query (lowered), the blocks it matches and the current match's block.
        self._needle = ""
        self._matched: Container[str] = ()
        self._current: str | None = None

    def compose(self) -> Iterator[Widget]:
        yield self._earlier
        yield self._newer
        yield self._hint
        yield self._filter_line

    def on_mount(self) -> None:
        self._hint.update(Content("new output ↓"))
        self.anchor()
        self._ticker = self.set_interval(TICK_SECONDS, self._tick, pause=True)

    # What is shown

    @property
    def following(self) -> bool:
        """The view sticks to the newest output (the user has not scrolled away)."""
        return self.is_anchored and not anchor_released(self)

    @property
    def earlier(self) -> int:
        """Blocks before the window (not mounted)."""
        return self._start

    @property
    def newer(self) -> int:
        """Blocks after the window (not mounted)."""
        return len(self._order) - self._end

    @property
    def is_paging(self) -> bool:
        """Earlier or newer blocks are being mounted."""
        return self._paging

    @property
    def block_widgets(self) -> list[Widget]:
        """The mounted block widgets, in transcript order."""
        window = self._order[self._start : self._end]
        return [self._widgets[block_id] for block_id in window if block_id in self._widgets]

    def widget_for(self, block_id: str) -> Widget | None:
        """The mounted widget of a block, or None when the block is outside the window."""
        return self._widgets.get(block_id)

    @property
    def up_to_date(self) -> bool:
        """Every change handed to the view is on screen (off-screen blocks wait to be seen)."""
        return not self._due

    # Feeding it

    def load(self, transcript: Transcript) -> AwaitComplete:
        """Show ``transcript`` from scratch (a session being opened): its newest blocks, following."""
        self.transcript = transcript
        self._due.clear()
        self._stale.clear()
        self._order = self._admitted(block.id for block in transcript)
        return self._jump(len(self._order), follow=True)

    def apply(self, transcript: Transcript, changes: Changes) -> bool:
        """Show one feed batch's changes (a transcript other than the one shown is loaded instead):
        removals, then earlier history (not mounted: "load earlier" pages it in), then additions
        (appended), then updates in place while the budget lasts.
        True when updates are left for the next frame (call :meth:`apply` again, even with no
        changes)."""
        started = time.perf_counter()
        if transcript is not self.transcript:
            self.load(transcript)
            return False
        with self.app.batch_update():
            gone = [widget for block_id in changes.removed if (widget := self._forget(block_id)) is not None]
            if gone:
                self.remove_children(gone)
            earlier = self._admitted(changes.earlier)
            if earlier:  # older history: before the window, which keeps its place
                self._order[:0] = earlier
                self._start += len(earlier)
                self._end += len(earlier)
            at_end = self._end == len(self._order)
            added = self._admitted(changes.added)
            self._order += added
            if at_end and added:
                self._grow()
            self._due.update(dict.fromkeys(block_id for block_id in changes.updated if block_id in self._widgets))
            self._redraw(started)
            self._fit_tail()
            if (changes.added or changes.updated) and not self.following:
                self._unseen = True
            self._refresh_chrome()
        return bool(self._due)

    def _fit_tail(self) -> None:
        """While following, unmount the oldest blocks beyond ``KEEP_SCREENS`` screens of height."""
        if not self.following or self._paging or self._end - self._start <= MIN_TAIL:
            return
        budget = self.scrollable_content_region.height * KEEP_SCREENS
        widgets = self.block_widgets
        height = 0
        for kept, widget in enumerate(reversed(widgets), start=1):
            height += widget.outer_size.height or 1
            if height >= budget and kept >= MIN_TAIL:
                self._trim(kept, keep_end=True)
                return

    def _redraw(self, started: float) -> None:
        """Bring the due widgets up to date, in order, until the budget is spent (at least one,
        however long mounting took; a message draws a burst of text over several frames);
        off-screen ones are set aside until they scroll into view."""
        assert self.transcript is not None
        deadline = started + BUDGET
        window = self.window_region
        for block_id in list(self._due):
            widget = self._widgets.get(block_id)
            block = self.transcript.get(block_id)
            if widget is None or block is None:
                del self._due[block_id]
                continue
            region = widget.virtual_region
            if region.height and not window.overlaps(region):
                del self._due[block_id]
                self._stale.add(block_id)
                continue
            drawn = cast(BlockWidget, widget)  # every widget of the window is a block's
            if drawn.block is not block:
                drawn.update_block(block)
            if not isinstance(widget, AgentMessage) or widget.advance(deadline):
                del self._due[block_id]
            if time.perf_counter() > deadline:
                return

    def _show_stale(self) -> None:
        """The set-aside blocks now on screen are due again (the chat is told to come back)."""
        if not self._stale or self.transcript is None:
            return
        window = self.window_region
        for block_id in list(self._stale):
            widget = self._widgets.get(block_id)
            if widget is None:
                self._stale.discard(block_id)
            elif window.overlaps(widget.virtual_region):
                self._stale.discard(block_id)
                self._due[block_id] = None
        if self._due:
            self.post_message(self.Behind())

    def _forget(self, block_id: str) -> Widget | None:
        """Take a removed block out of the order; its widget, when it was mounted."""
        for index in range(len(self._order) - 1, -1, -1):  # removals are nearly always recent
            if self._order[index] == block_id:
                break
        else:
            return None
        del self._order[index]
        if index < self._start:
            self._start -= 1
        if index < self._end:
            self._end -= 1
        return self._forget_widget(block_id)

    def _forget_widget(self, block_id: str) -> Widget | None:
        widget = self._widgets.pop(block_id, None)
        self._due.pop(block_id, None)
        self._stale.discard(block_id)
        if widget is not None and widget is self._selected:
            self._selected = None
        return widget

    def _grow(self) -> AwaitComplete:
        """Blocks were appended while the window reached the end: mount what belongs in it."""
        total = len(self._order)
        if self.following:
            if total - self._end >= self.tail:
                return self._jump(total, follow=True)
            mount = self._mount(self._order[self._end : total], before=self._newer)
            self._end = total
            return AwaitComplete(mount, self._trim(self.tail, keep_end=True))
        new_end = min(total, self._end + max(0, self.window - (self._end - self._start)))
        mount = self._mount(self._order[self._end : new_end], before=self._newer)
        self._end = new_end
        return AwaitComplete(mount)

    # The window

    def _build(self, block_ids: Iterable[str]) -> list[Widget]:
        assert self.transcript is not None
        widgets = []
        for block_id in block_ids:
            block = self.transcript.get(block_id)
            if block is not None:
                widgets.append(widget := block_widget(block))
                self._widgets[block_id] = widget
                self._mark(widget)
        return widgets

    def _mount(
        self, block_ids: list[str], *, before: Widget | None = None, after: Widget | None = None
    ) -> Awaitable[None]:
        widgets = self._build(block_ids)
        return self.mount_all(widgets, before=before, after=after) if widgets else _completed()

    def _unmount(self, block_ids: list[str]) -> Awaitable[None]:
        widgets = [widget for block_id in block_ids if (widget := self._forget_widget(block_id)) is not None]
        return self.remove_children(widgets) if widgets else _completed()

    def _trim(self, size: int, *, keep_end: bool) -> Awaitable[None]:
        """Unmount blocks beyond ``size``: the oldest when ``keep_end``, else the newest."""
        excess = (self._end - self._start) - size
        if excess <= 0:
            return _completed()
        if keep_end:
            dropped = self._order[self._start : self._start + excess]
            self._start += excess
        else:
            dropped = self._order[self._end - excess : self._end]
            self._end -= excess
        return self._unmount(dropped)

    def _jump(self, end: int, *, follow: bool, size: int | None = None) -> AwaitComplete:
        """Replace the whole window with the ``size`` (default ``tail``) blocks before ``end``."""
        self.workers.cancel_group(self, "paging")
        self._paging = False
        self._generation += 1
        self._selected = None
        old = list(self._widgets.values())
        self._widgets.clear()
        self._due.clear()
        self._stale.clear()
        self._start, self._end = max(0, end - (size or self.tail)), end
        with self.app.batch_update():
            removed = self.remove_children(old) if old else _completed()
            mounted = self._mount(self._order[self._start : end], before=self._newer)
            if follow:
                self._unseen = False
                self.anchor()
            self._refresh_chrome()
        return AwaitComplete(removed, mounted)

    async def _keep_place(self, widget: Widget, top: int) -> None:
        """Once the layout has caught up, scroll so ``widget`` is ``top`` rows below the viewport top."""
        done = asyncio.Event()
        generation = self._generation

        def restore() -> None:
            if widget.is_attached and generation == self._generation:
                self.scroll_to(y=widget.virtual_region.y - top, animate=False, immediate=True, release_anchor=False)
            done.set()

        self.call_after_refresh(restore)
        await done.wait()

    async def _page_earlier(self) -> None:
        if self._start == 0:
            return
        shown = self.block_widgets
        anchor = shown[0] if shown else self._newer
        top = anchor.virtual_region.y - round(self.scroll_y)
        start = max(0, self._start - self.page)
        ids = self._order[start : self._start]
        self._start = start
        mounted = self._mount(ids, after=self._earlier)
        trimmed = self._trim(self.window, keep_end=False)
        self._refresh_chrome()
        await mounted
        await trimmed
        await self._keep_place(anchor, top)

    async def _page_newer(self) -> None:
        if self._end == len(self._order):
            return
        end = min(len(self._order), self._end + self.page)
        ids = self._order[self._end : end]
        self._end = end
        mounted = self._mount(ids, before=self._newer)
        self._refresh_chrome()
        await mounted
        excess = (self._end - self._start) - self.window
        if excess > 0:
            keeper = self._widgets.get(self._order[self._start + excess]) or self._newer
            top = keeper.virtual_region.y - round(self.scroll_y)
            trimmed = self._trim(self.window, keep_end=True)
            self._refresh_chrome()
            await trimmed
            await self._keep_place(keeper, top)

    def _start_paging(self, page: Callable[[], Awaitable[None]]) -> None:
        """Run one paging step in a worker (it waits for screen refreshes, which this widget's
        own message loop must stay free to deliver); one at a time."""
        if self._paging:
            return
        self._paging = True

        async def run() -> None:
            try:
                await page()
            finally:
                self._paging = False

        self.run_worker(run(), group="paging", exit_on_error=False)

    def _refresh_chrome(self) -> None:
        """Edge lines, the follow mode and the "new output" line after the window changed."""
        self._earlier.show_count(self._start, "▲ {:,} earlier blocks: scroll up to load more")
        newer = self.newer
        self._newer.show_count(newer, "▼ {:,} newer blocks: scroll down, or End for the latest")
        if newer:
            if self.is_anchored:
                self.anchor(False)  # the bottom of this window is not the end
        elif not self.is_anchored:
            follow_again(self)  # once the user reaches the bottom
        if self.following:
            self._unseen = False
        self._hint.display = self._unseen and not self.following
        self._animate_if_needed()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self.is_mounted:
            return
        if not self._paging and not self.following:
            if new_value < old_value and new_value <= 0 and self._start > 0:
                self._start_paging(self._page_earlier)
            elif new_value > old_value and new_value >= self.max_scroll_y and self.newer:
                self._start_paging(self._page_newer)
        if self.following:
            self._unseen = False
        self._hint.display = self._unseen and not self.following
        self._show_stale()

    # Animation

    def _animate_if_needed(self) -> None:
        if self.app.animation_level == "none":
            return
        if any(getattr(widget, "animated", False) for widget in self._widgets.values()):
            self._ticker.resume()
        else:
            self._ticker.pause()

    def _tick(self) -> None:
        self._frame += 1
        animated = [cast(Animated, widget) for widget in self._widgets.values() if getattr(widget, "animated", False)]
        for widget in animated:
            widget.tick(self._frame)
        if not animated:
            self._ticker.pause()

    # Actions

    def action_follow(self) -> None:
        """Jump to the newest output and follow it."""
        if self.newer:
            self._jump(len(self._order), follow=True)
        else:
            self._unseen = False
            self.anchor()
            self._refresh_chrome()

    def action_load_earlier(self) -> None:
        """Mount a page of earlier blocks and scroll up to them."""

        async def load() -> None:
            before = self._start
            await self._page_earlier()
            first = self._widgets.get(self._order[self._start]) if before else None
            if first is not None:
                self.scroll_to_widget(first, animate=False, top=True)

        self._start_paging(load)

    def _tool_calls(self) -> list[Expandable]:
        """The expandable blocks in the window: tool calls and unreadable events."""
        return [widget for widget in self.block_widgets if isinstance(widget, Expandable)]

    @property
    def selected(self) -> Widget | None:
        """The selected block widget, if any."""
        return self._selected

    def select(self, widget: Widget | None, *, scroll: bool = True) -> None:
        """Make ``widget`` (a block widget) the one the block keys act on."""
        if self._selected is not None:
            self._selected.remove_class("-selected")
        self._selected = widget
        if widget is not None:
            widget.add_class("-selected")
            if scroll:
                self.scroll_to_widget(widget, animate=False)

    def action_select_block(self, step: int) -> None:
        """Select the next (1) or previous (-1) block, of any kind (see :meth:`_step`)."""
        self._step(self.block_widgets, step)

    def action_select_tool(self, step: int) -> None:
        """Select the next (1) or previous (-1) tool call (see :meth:`_step`)."""
        self._step(self._tool_calls(), step)

    def _step(self, calls: Sequence[Widget], step: int) -> None:
        """Select the next (1) or previous (-1) of ``calls``: from the selected one while it is one
        of them on screen, else from what is on screen (the first shown for next, the last for
        previous). A step past either end of the window pages the blocks beyond it in (the next
        press goes on into them)."""
        if not calls:
            return
        window = self.window_region

        def on_screen(call: Widget) -> bool:  # one not laid out yet counts as on screen
            region = call.virtual_region
            return not region.height or window.overlaps(region)

        if self._selected is not None and self._selected in calls and on_screen(self._selected):
            wanted = calls.index(self._selected) + step
            if wanted < 0 and self._start > 0:  # past the window: page the blocks before it in
                self._start_paging(self._page_earlier)
            elif wanted >= len(calls) and self.newer:
                self._start_paging(self._page_newer)
            index = max(0, min(len(calls) - 1, wanted))
        else:
            shown = [call for call in calls if on_screen(call)]
            if shown:
                nearest = shown[-1 if step < 0 else 0]
            elif step > 0:  # nothing on screen: the first call below it, else the last one
                nearest = next((call for call in calls if call.virtual_region.y >= window.bottom), calls[-1])
            else:  # the last call above it, else the first one
                nearest = next((call for call in reversed(calls) if call.virtual_region.bottom <= window.y), calls[0])
            index = calls.index(nearest)
        self.select(calls[index])

    def _target_tool(self) -> Expandable | None:
        """The selected block when it expands (the newest tool call when nothing is selected)."""
        if self._selected is None:
            calls = self._tool_calls()
            self.select(calls[-1] if calls else None)
        return self._selected if isinstance(self._selected, Expandable) else None

    def _reveal(self, tool_call: Expandable) -> None:
        """Once its new size is laid out, scroll an expanded call into view (its top first, when
        it is taller than the view)."""
        if tool_call.expanded:
            self.call_after_refresh(self.scroll_to_widget, tool_call, animate=False)

    def action_toggle_tool(self) -> None:
        """Expand or collapse the selected tool call (the newest one when none is selected)."""
        if (tool_call := self._target_tool()) is not None:
            tool_call.toggle()
            self._reveal(tool_call)

    def action_export(self) -> None:
        """Export the open session (markdown and jsonl under the data dir)."""
        deck(self).action_export_session()

    def action_tool_output(self) -> None:
        """Show the whole result of the selected tool call."""
        if (tool_call := self._target_tool()) is not None:
            tool_call.show_all()
            self._reveal(tool_call)

    @on(AgentMessage.Pending)
    def _pending(self, message: AgentMessage.Pending) -> None:
        """A message laid out at a new width has lines left to draw: it is due at the next frame."""
        message.stop()
        block_id = message.message.block_id
        if self._widgets.get(block_id) is message.message:
            self._due[block_id] = None
            self.post_message(self.Behind())

    @on(Expandable.Toggled)
    def _clicked(self, message: Expandable.Toggled) -> None:
        self.select(message.widget, scroll=False)

    # Inspect and copy

    def _target(self, wanted: Callable[[Block], bool] = lambda block: True) -> Block | None:
        """The selected block; when none is, the newest block shown that is ``wanted`` (selected
        then, so the user sees which one the key acted on)."""
        if self.transcript is None:
            return None
        if self._selected is None:
            shown = (w for w in reversed(self.block_widgets) if wanted(cast(BlockWidget, w).block))
            self.select(next(shown, None), scroll=False)
        if self._selected is None:
            return None
        return self.transcript.get(cast(BlockWidget, self._selected).block_id)

    def action_inspect(self) -> None:
        """Open the event inspector on the events behind the selected block."""
        block = self._target()
        if block is None or self.transcript is None:
            self.app.bell()
            return
        kind = re.sub(r"(?<!^)(?=[A-Z])", " ", type(block).__name__.removesuffix("Block")).lower()
        note = stream_note(block, self.transcript.streamed(block.id))
        self.app.push_screen(
            EventInspector(f"Events behind {kind} {block.id}", self.transcript.events_of(block.id), note)
        )

    def action_events(self) -> None:
        """List the session's raw events (those the transcript has folded)."""
        if self.transcript is None:
            self.app.bell()
            return
        self.app.push_screen(EventsScreen("Session events", self.transcript.events))

    def _copy(self, copied: Copied | None, nothing: str) -> None:
        """Put ``copied`` on the clipboard with a toast saying what it was (``nothing`` when None)."""
        if copied is None:
            self.notify(nothing, severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(copied.text)
        lines = len(copied.text.splitlines()) or 1
        self.notify(f"Copied {copied.what} ({lines} line{'s' if lines != 1 else ''})", markup=False)

    def action_copy_block(self) -> None:
        """Copy the selected block's text: a message's markdown, a tool call's input as JSON, an
        event's JSON, else the block's line as shown."""
        block = self._target()
        copied = block_text(block) if block is not None else None
        if copied is None and self._selected is not None:
            copied = Copied("line", str(self._selected.render()))
        self._copy(copied, "Nothing to copy")

    def action_copy_output(self) -> None:
        """Copy the selected tool call's output (the newest finished call's when none is selected)."""
        block = self._target(lambda block: tool_output(block) is not None)
        self._copy(tool_output(block), "No output to copy: select a tool call that has finished")

    def action_copy_code(self) -> None:
        """Copy a code block of the selected message (the newest message with one when none is
        selected): its last one, then the one before it at each press, round again."""
        block = self._target(lambda block: bool(code_blocks(message_markdown(block) or "")))
        markdown = message_markdown(block) if block is not None else None
        codes = code_blocks(markdown) if markdown else []
        if block is None or not codes:
            self._copy(None, "No code block in this block")
            return
        at = self._code_at
        index = (at[1] - 1) % len(codes) if at is not None and at[0] == block.id else len(codes) - 1
        self._code_at = (block.id, index)
        language, text = codes[index]
        what = f"code block {index + 1}/{len(codes)}" + (f" ({language})" if language else "")
        self._copy(Copied(what, text), "")

    # Filter, search marks, reveal

    @property
    def only(self) -> Filter:
        """The filter on: ``all``, ``messages``, ``tools`` or ``errors``."""
        return self._only

    def _admitted(self, block_ids: Iterable[str]) -> list[str]:
        """The ids of ``block_ids`` whose blocks the filter admits."""
        if self._only == "all" or self.transcript is None:
            return list(block_ids)
        get = self.transcript.get
        only = self._only
        return [block_id for block_id in block_ids if (block := get(block_id)) is not None and admits(only, block)]

    def set_filter(self, only: Filter) -> AwaitComplete:
        """Show only the blocks ``only`` admits (``all``: every block), from the newest, following."""
        self._only = only
        self._filter_line.display = only != "all"
        if only != "all":
            self._filter_line.update(Content(f"⧩ {FILTER_LABELS[only]} · f: next filter"))
        self.post_message(self.Filtered())
        if self.transcript is None:
            return _completed()
        self._due.clear()
        self._stale.clear()
        self._order = self._admitted(block.id for block in self.transcript)
        return self._jump(len(self._order), follow=True)

    def action_cycle_filter(self) -> None:
        """Show all blocks, then messages only, tool calls only, errors only, and all again."""
        self.set_filter(next_filter(self._only))

    def mark(self, needle: str, matched: Container[str], current: str | None) -> None:
        """Highlight ``needle`` (lowered; "" clears the marks) in the blocks ``matched``, strongly in
        ``current``: the mounted widgets now (only those on screen are drawn again), the others as
        they are mounted."""
        self._needle, self._matched, self._current = needle, matched, current
        for widget in self._widgets.values():
            self._mark(widget)

    def _mark(self, widget: Widget) -> None:
        if isinstance(widget, Marked):
            block_id = cast(BlockWidget, widget).block_id
            hit = bool(self._needle) and block_id in self._matched
            widget.set_marks(self._needle if hit else "", current=hit and block_id == self._current)

    def reveal(self, block_id: str, *, expand: bool = False) -> bool:
        """Bring block ``block_id`` on screen: a block out of the window is mounted with a page of
        blocks after it (the window moves there) and shown at the top, as a pager shows a match; a
        mounted one is scrolled to the middle. With ``expand``, a collapsed tool call is expanded,
        all of it. False when the view does not show that block (unknown, or filtered out)."""
        jump_to = None
        if block_id not in self._widgets:
            try:
                index = self._order.index(block_id)
            except ValueError:
                return False
            jump_to = min(len(self._order), index + self.page)
        self.run_worker(self._bring(block_id, jump_to, expand), group="reveal", exclusive=True, exit_on_error=False)
        return True

    async def _bring(self, block_id: str, jump_to: int | None, expand: bool) -> None:
        """Mount the block (the window moves to ``jump_to``) and keep it in view while the blocks
        around it are drawn (messages laid out anew draw over several frames, and grow), until the
        view is up to date or the user scrolls."""
        at_top = False
        if jump_to is not None:
            jumped = self._jump(jump_to, follow=False, size=self.page)
            at_top = self._order[self._start] == block_id
            if at_top:  # its place is known before the layout: the first frame shows it
                self.scroll_to(y=1 if self._start else 0, animate=False, immediate=True)
            await jumped
        widget = self._widgets.get(block_id)
        if expand and isinstance(widget, Expandable) and not widget.full:
            widget.show_all()
        elif jump_to is None and widget is not None and widget.virtual_region.height and self.up_to_date:
            self._into_view(widget)  # laid out as it is: no need to wait for a frame
            return
        for _ in range(REVEAL_FRAMES):
            await self._next_frame()
            widget = self._widgets.get(block_id)
            if widget is None or not widget.is_attached:
                return
            self._into_view(widget, top=at_top)
            if self.up_to_date:
                return
            placed = self.scroll_y
            await self._next_frame()
            if self.scroll_y != placed:
                return  # the user scrolled away

    async def _next_frame(self) -> None:
        done = asyncio.Event()
        self.call_after_refresh(done.set)
        await done.wait()

    def _into_view(self, widget: Widget, *, top: bool = False) -> None:
        """Scroll ``widget`` to the middle of the view, or to its top (also when it is taller)."""
        top = top or widget.outer_size.height >= self.scrollable_content_region.height
        self.scroll_to_widget(widget, animate=False, center=not top, top=top, immediate=True)
