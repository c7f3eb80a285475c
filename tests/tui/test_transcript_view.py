"""TranscriptView: the window over a long transcript, following the bottom, tool keys, a real feed."""

from __future__ import annotations

from app.api.client import AgentClient
from app.api.feed import SessionFeed
from app.api.transcript import Transcript
from app.api.transcript_blocks import AgentMessageBlock
from app.config import Secret
from app.tui.chat import transcript_view
from app.tui.chat.blocks import AgentMessage
from app.tui.chat.tool_call import ToolCall
from tests.event_builders import Events
from tests.tui.blocks_support import TranscriptApp, fold, mixed
from tests.tui.pilot_support import screen_text, wait_for

SIZE = (120, 40)


def long_session(events: Events, count: int) -> list[dict]:
    """About ``count`` events in turns of a question, two tool calls, an answer and an idle."""
    out: list[dict] = []
    turn = 0
    while len(out) < count:
        turn += 1
        out += [
            events.user(f"question {turn}"),
            events.make("session.status_running"),
            *events.tool("bash", {"command": f"ls dir{turn}"}, f"file{turn}.txt\n"),
            *events.tool("read", {"file_path": f"file{turn}.txt"}, "     1\thello\n"),
            events.message(f"Answer **{turn}**: two files looked at."),
            events.make("session.status_idle", stop_reason={"type": "end_turn"}),
        ]
    return out[:count]


def ids(view) -> list[str]:
    return [widget.block_id for widget in view.block_widgets]


async def test_a_long_transcript_mounts_a_window_and_pages_earlier_blocks_in():
    transcript, _ = fold(long_session(Events(), 10_000))
    total = len(transcript)
    app = TranscriptApp(window=150, tail=60, page=40)
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        await view.load(transcript)
        await wait_for(pilot, lambda: "earlier blocks" in screen_text(app) or view.max_scroll_y > 0, "first paint")
        all_ids = [block.id for block in transcript]
        assert ids(view) == all_ids[-60:]
        assert view.earlier == total - 60 and view.newer == 0 and view.following
        assert len(view.query(".block")) == 60  # nothing else was mounted

        view.focus()
        await pilot.press("ctrl+home")  # chat.load_earlier
        await wait_for(pilot, lambda: len(view.block_widgets) == 100, "a page of earlier blocks")
        assert ids(view) == all_ids[-100:] and view.earlier == total - 100
        edge = view.query_one(".window-edge.-earlier")
        assert edge.display and f"▲ {view.earlier:,} earlier blocks" in str(edge.content)

        # Scrolling to the top pages the next ones in and keeps the view where it was.
        first = view.block_widgets[0]
        view.scroll_home(animate=False)
        await wait_for(pilot, lambda: len(view.block_widgets) == 140, "paged in by scrolling up")
        await wait_for(pilot, lambda: view.scroll_y > 0 and first.region.y <= view.region.y + 2, "place kept")
        assert not view.following

        # Past the window the newest blocks are unmounted; End brings them (and following) back.
        view.scroll_home(animate=False)
        edge = view.query_one(".window-edge.-newer")
        await wait_for(pilot, lambda: view.newer > 0 and edge.display, "newest unmounted past the window")
        assert len(view.block_widgets) <= 150 and ids(view) == all_ids[view.earlier : total - view.newer]
        assert f"▼ {view.newer:,} newer blocks" in str(edge.content)
        await pilot.press("end")  # chat.follow
        await wait_for(pilot, lambda: view.newer == 0 and view.following, "back at the end")
        assert ids(view) == all_ids[-60:]
        await wait_for(pilot, lambda: view.scroll_y == view.max_scroll_y, "at the bottom")


async def test_scrolling_down_pages_newer_blocks_back_in():
    transcript, _ = fold(long_session(Events(), 600))
    all_ids = [block.id for block in transcript]
    app = TranscriptApp(window=80, tail=40, page=30)
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        await view.load(transcript)
        view.focus()
        for _ in range(3):
            await pilot.press("ctrl+home")
            await pilot.pause()
        await wait_for(pilot, lambda: view.newer > 0, "newest unmounted")
        newer = view.newer
        view.scroll_end(animate=False)
        await wait_for(pilot, lambda: view.newer < newer, "paged in by scrolling down")
        assert len(view.block_widgets) <= 80 + 30
        assert ids(view) == all_ids[view.earlier : len(all_ids) - view.newer]


async def test_follows_new_output_until_scrolled_up_then_hints():
    events = Events()
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        for n in range(30):
            app.feed(events.user(f"message {n}"))
        await wait_for(pilot, lambda: len(view.block_widgets) == 30 and view.max_scroll_y > 0, "30 messages")
        await wait_for(pilot, lambda: view.scroll_y == view.max_scroll_y, "at the bottom")
        assert view.following
        app.feed(events.user("one more"))
        await wait_for(pilot, lambda: len(view.block_widgets) == 31, "one more")
        await wait_for(pilot, lambda: view.scroll_y == view.max_scroll_y and "one more" in screen_text(app), "followed")

        view.focus()
        await pilot.press("pageup")
        scrolling = lambda: app.animator.is_being_animated(view, "scroll_y")  # noqa: E731
        await wait_for(pilot, lambda: not view.following and not scrolling(), "scrolled up, and settled")
        where = view.scroll_y
        app.feed(events.user("while you were away"))
        await wait_for(pilot, lambda: "new output ↓" in screen_text(app), "the hint")
        assert view.scroll_y == where and "while you were away" not in screen_text(app)

        await pilot.press("end")
        await wait_for(pilot, lambda: view.following and "while you were away" in screen_text(app), "back to the end")
        await wait_for(pilot, lambda: "new output ↓" not in screen_text(app), "hint gone")
        app.feed(events.user("and followed again"))
        await wait_for(pilot, lambda: "and followed again" in screen_text(app), "followed again")


async def test_a_big_batch_or_a_full_window_mounts_only_what_fits():
    events = Events()
    app = TranscriptApp(window=50, tail=20, page=10)
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        app.feed(events.user("hello"))
        await wait_for(pilot, lambda: len(view.block_widgets) == 1, "first block")
        app.feed(*[events.user(f"history {n}") for n in range(300)])  # a backfill in one batch
        await wait_for(pilot, lambda: len(view.block_widgets) == 20, "only the newest mounted")
        assert view.earlier == 281 and view.following

        for n in range(40):  # live output while following: the tail slides
            app.feed(events.user(f"live {n}"))
        await wait_for(pilot, lambda: view.block_widgets[-1].block.text == "live 39", "live output")
        assert len(view.block_widgets) == 20

        view.focus()
        await pilot.press("pageup")
        await wait_for(pilot, lambda: not view.following, "scrolled up")
        mounted = len(view.block_widgets)
        app.feed(*[events.user(f"late {n}") for n in range(100)])
        await wait_for(pilot, lambda: view.newer > 0, "a window that stops growing")
        assert len(view.block_widgets) == max(mounted, 50)
        assert view.transcript.get(view.block_widgets[-1].block_id) is not None


async def test_tool_keys_select_and_toggle_calls():
    events = Events()
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        first = events.tool("bash", {"command": "echo one"}, "one")
        second = events.tool("bash", {"command": "echo two"}, "two")
        app.feed(*first, events.message("between"), *second)
        view = app.view
        await wait_for(pilot, lambda: len(view.query(ToolCall)) == 2, "two calls")
        one, two = view.widget_for(first[0]["id"]), view.widget_for(second[0]["id"])
        view.focus()
        await pilot.press("K")  # chat.previous_tool: the last call on screen
        assert two.has_class("-selected")
        await pilot.press("K")  # over the message between them
        assert one.has_class("-selected") and not two.has_class("-selected")
        await pilot.press("space")  # chat.toggle_tool
        await wait_for(pilot, lambda: one.expanded and one.size.height > 1, "first expanded")
        assert not two.expanded and two.body is None
        await pilot.press("J", "enter")
        await wait_for(pilot, lambda: two.expanded and two.size.height > 1, "second expanded")


async def test_j_and_k_walk_every_block_and_show_which_one_is_selected():
    app = TranscriptApp(*mixed(Events()))
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        await wait_for(pilot, lambda: len(view.block_widgets) == len(app.transcript), "every block")
        widgets = view.block_widgets
        backgrounds = {widget.block_id: widget.styles.background for widget in widgets}
        view.focus()
        walked = []
        for _ in widgets:
            await pilot.press("k")  # chat.previous_block
            [selected] = [w for w in widgets if w.has_class("-selected")]
            walked.append(selected)
            assert selected.styles.background != backgrounds[selected.block_id], type(selected).__name__
        assert walked == widgets[::-1], "every block, newest first"
        assert {type(w).__name__ for w in walked} >= {
            "UserMessage",
            "Thinking",
            "AgentMessage",
            "ToolCall",
            "StatusLine",
            "ErrorLine",
            "UsageLine",
            "EventLine",
        }
        await pilot.press("k")
        assert view.selected is widgets[0], "it stops at the first block"
        await pilot.press("j", "j", "j")  # chat.next_block: user message, status, thinking, the answer
        assert view.selected is widgets[3] and isinstance(widgets[3], AgentMessage)
        await pilot.press("enter")  # a message does not expand, and nothing else does instead
        await pilot.pause()
        assert not any(call.expanded for call in view.query(ToolCall))
        await pilot.press("j", "enter")  # the first tool call expands
        await wait_for(pilot, lambda: widgets[4].expanded, "the call expanded")


async def test_a_real_session_through_the_feed(runtime, seed):
    """The embedded runtime runs a bash call and answers; its feed drives the view."""
    session = seed.session(seed.environment(), seed.agent(), title="blocks")
    seed.say(session, "!printf 'alpha\\nlist[int] [/]\\n'")
    transcript = Transcript()
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        view.load(transcript)
        async with AgentClient(Secret(runtime.api_key), base_url=runtime.base_url) as client:
            async with SessionFeed(client, session["id"]) as feed:
                async for batch in feed:
                    view.apply(transcript, transcript.apply_feed(batch))
                    summary = transcript.summary
                    messages = [b for b in transcript if isinstance(b, AgentMessageBlock)]
                    if summary.status == "idle" and summary.stop_reason == "end_turn" and messages:
                        break
        calls = view.query(ToolCall)
        await wait_for(pilot, lambda: len(view.block_widgets) == len(transcript), "every block shown")
        assert len(set(ids(view))) == len(transcript)  # no duplicates
        [call] = calls
        assert call.has_class("-ok") and call.block.name == "bash"
        call.toggle()
        await wait_for(pilot, lambda: "list[int] [/]" in screen_text(app), "the output, literally")
        message = next(w for w in view.block_widgets if isinstance(w, AgentMessage))
        assert message.source == message.block.text != "" and not message.block.streaming
        await wait_for(pilot, lambda: "exited with code 0" in screen_text(app), "the answer")


async def test_j_and_k_start_from_what_is_on_screen_not_an_old_selection():
    events = Events()
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        calls = [events.tool("bash", {"command": f"echo {n}"}, f"{n}") for n in range(60)]
        app.feed(*[event for call in calls for event in call])
        view = app.view
        await wait_for(pilot, lambda: len(view.query(ToolCall)) == 50 and view.max_scroll_y > 0, "the calls")
        view.focus()
        first = view.block_widgets[0]
        view.select(first)  # an old selection, far above once the view is at the end
        view.scroll_end(animate=False)
        await wait_for(pilot, lambda: not view.window_region.overlaps(first.virtual_region), "the selection off screen")
        await pilot.press("k")
        selected = [w for w in view.query(ToolCall) if w.has_class("-selected")]
        assert selected and selected[0].block_id == calls[-1][0]["id"], "the last call on screen"
        await pilot.press("j")
        assert [w.block_id for w in view.query(ToolCall) if w.has_class("-selected")] == [calls[-1][0]["id"]]


async def test_expanding_the_last_tool_call_shows_its_output():
    events = Events()
    app = TranscriptApp()
    output = "".join(f"line {n}\n" for n in range(1, 16))
    async with app.run_test(size=SIZE) as pilot:
        app.feed(*[events.user(f"message {n}") for n in range(20)], *events.tool("bash", {"command": "seq"}, output))
        view = app.view
        await wait_for(pilot, lambda: len(view.query(ToolCall)) == 1 and view.max_scroll_y > 0, "the call")
        view.focus()
        view.scroll_to(y=view.max_scroll_y - 3, animate=False)  # a little above the end
        await wait_for(pilot, lambda: not view.following, "scrolled a little")
        await pilot.press("enter")  # the newest call
        await wait_for(pilot, lambda: "line 15" in screen_text(app), "its whole output on screen")
        rows = [row.split()[:3] for row in screen_text(app).splitlines()]
        assert ["▌", "line", "1"] in rows  # its first line too (not only "line 1" within "line 15")


async def test_a_run_whose_budget_went_on_mounting_still_draws_an_update(monkeypatch):
    monkeypatch.setattr(transcript_view, "BUDGET", 0.0)  # every run's budget is spent before its updates
    events = Events()
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        app.feed(events.user("go"), events.preview("sevt_a"))
        await wait_for(pilot, lambda: app.view.widget_for("sevt_a") is not None, "the preview")
        app.feed(events.delta("sevt_a", "the streamed words"))
        await wait_for(pilot, lambda: "the streamed words" in screen_text(app), "the update on screen")


async def test_earlier_history_goes_above_the_shown_blocks_and_pages_in():
    """A long session opens on its newest turn; the history before it arrives later and waits
    above, counted, until the user scrolls up to it."""
    events = Events()
    older = [events.user(f"old {n}") for n in range(30)]
    newer = [events.user(f"new {n}") for n in range(5)]
    app = TranscriptApp(*newer)
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        await wait_for(pilot, lambda: "new 4" in screen_text(app), "the newest blocks")
        app.feed_earlier(*older)
        await wait_for(pilot, lambda: "▲ 30 earlier blocks" in screen_text(app), "the earlier blocks counted")
        assert [w.block_id for w in view.block_widgets] == [e["id"] for e in newer] and view.following
        view.focus()
        await pilot.press("ctrl+home")  # chat.load_earlier
        await wait_for(pilot, lambda: view.earlier == 5 and not view.is_paging, "a page of earlier blocks")
        assert [w.block_id for w in view.block_widgets] == [e["id"] for e in older[5:] + newer]


async def test_k_past_the_first_block_of_the_window_pages_earlier_blocks_in():
    transcript, _ = fold(long_session(Events(), 300))
    app = TranscriptApp(window=150, tail=40, page=20)
    async with app.run_test(size=SIZE) as pilot:
        view = app.view
        await view.load(transcript)
        await wait_for(pilot, lambda: view.max_scroll_y > 0, "first paint")
        first = view.block_widgets[0]
        view.focus()
        view.select(first)
        await wait_for(pilot, lambda: view.window_region.overlaps(first.virtual_region), "the first block shown")
        await pilot.press("k")  # chat.previous_block, at the top of the window
        await wait_for(pilot, lambda: len(view.block_widgets) == 60 and not view.is_paging, "a page of earlier blocks")
        assert view.selected is first
        await pilot.press("k")
        all_ids = [block.id for block in transcript]
        assert view.selected.block_id == all_ids[all_ids.index(first.block_id) - 1]
