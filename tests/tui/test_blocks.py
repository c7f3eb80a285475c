"""Block widgets, one kind at a time, inside a TranscriptView fed real parsed events."""

from __future__ import annotations

from textual.content import Content

from app.api.transcript_blocks import CustomToolCallBlock, StatusBlock, ToolCallBlock
from app.tui.chat.blocks import AgentMessage, ErrorLine, EventLine, StatusLine, Thinking, UsageLine, UserMessage
from app.tui.chat.highlight import ADDED, REMOVED, language_for_path
from app.tui.chat.tool_call import OUTPUT_LINES, ToolCall, build_body, input_summary
from tests.event_builders import Events, evaluation_end, model_usage
from tests.tui.blocks_support import INJECTION, TranscriptApp, mixed
from tests.tui.pilot_support import screen_text, wait_for

SIZE = (120, 40)


def styles_of(content: Content, text: str) -> set[str]:
    """The styles of the spans covering the first occurrence of ``text`` in ``content``."""
    start = content.plain.index(text)
    return {str(span.style) for span in content.spans if span.start <= start < span.end}


async def test_each_block_kind_renders_its_key_content():
    events = Events()
    app = TranscriptApp()
    async with app.run_test(size=(120, 60)) as pilot:
        app.feed(*mixed(events))
        view = app.view
        await wait_for(pilot, lambda: len(view.block_widgets) == len(app.transcript), "every block mounted")
        kinds = {type(widget) for widget in view.block_widgets}
        assert kinds == {UserMessage, StatusLine, Thinking, AgentMessage, ToolCall, ErrorLine, UsageLine, EventLine}
        await wait_for(pilot, lambda: "First I read the file" in screen_text(app), "the markdown")
        text = screen_text(app)
        for expected in (
            "Tidy app/main.py please",
            "● running",
            "✻ thought",
            "Plan",
            "✓ bash",
            "ls app",
            "ok 1.0s",
            "edit",
            "app/main.py",
            "✕ read",
            "failed",
            "⊘ bash",
            "denied: Not on the build box",
            "create_issue via linear",
            "open_in_editor custom",
            "waiting for your result",
            "model_overloaded_error: Overloaded · retrying…",
            "in 1.9k · out 241 · cache read 4.1k",
            "◆ needs approval",
            "brand.new_event",
            '{"detail":{"note":"kept whole"}}',
            "and then the tests",
            "queued",
        ):
            assert expected in text, expected


async def test_server_strings_render_literally():
    events = Events()
    denied = events.tool("bash", {"command": f"echo '{INJECTION}'"}, permission="ask")
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        app.feed(
            events.user(INJECTION),
            events.message(f"The type is {INJECTION}."),
            *events.tool("grep", {"pattern": INJECTION}, f"hit: {INJECTION}"),
            *denied,
            events.deny(denied[0], INJECTION),
            events.make(
                "session.error",
                error={"type": "unknown_error", "message": INJECTION, "retry_status": {"type": "terminal"}},
            ),
            events.make("brand.new_event", note=INJECTION),
        )
        view = app.view
        await wait_for(pilot, lambda: "The type is" in screen_text(app), "the message")
        for call in view.query(ToolCall):
            call.toggle()
        await pilot.pause()
        text = screen_text(app)
        assert text.count(INJECTION) >= 7, text
        assert "The type is list[int] [/] [bold]." in text


async def test_streaming_message_grows_then_equals_the_final_text():
    events = Events()
    app = TranscriptApp()
    final = "# Title\n\nSome **bold** words and a list:\n\n- one\n- two\n\n```python\nprint('hi')\n```\n"
    pieces = [final[i : i + 7] for i in range(0, len(final), 7)]
    event_id = "sevt_streamed01"
    async with app.run_test(size=SIZE) as pilot:
        app.feed(events.user("go"), events.preview(event_id))
        view = app.view
        await wait_for(pilot, lambda: view.widget_for(event_id) is not None, "the preview")
        message = view.widget_for(event_id)
        assert isinstance(message, AgentMessage) and message.has_class("-streaming")
        seen = []
        for piece in pieces:
            app.feed(events.delta(event_id, piece))
            await pilot.pause()
            seen.append(message.source)
        await wait_for(pilot, lambda: message.source == final, "every delta, nothing doubled")
        assert any(0 < len(text) < len(final) for text in seen)  # it grew while streaming
        await wait_for(pilot, lambda: "print('hi')" in screen_text(app), "the streamed markdown on screen")
        assert "# Title" not in screen_text(app) and "**bold**" not in screen_text(app), "rendered, not raw"
        app.feed(events.final(event_id, final + "\nDone."))
        await wait_for(pilot, lambda: "Done." in screen_text(app), "the final text")
        assert message.source == final + "\nDone."
        assert not message.has_class("-streaming")
        assert view.widget_for(event_id) is message
        assert [w for w in view.block_widgets if isinstance(w, AgentMessage)] == [message]


async def test_preview_rewritten_or_dropped():
    events = Events()
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        app.feed(events.preview("sevt_a"), events.delta("sevt_a", "draft that will change"))
        view = app.view
        await wait_for(pilot, lambda: view.widget_for("sevt_a") is not None, "preview a")
        message = view.widget_for("sevt_a")
        await wait_for(pilot, lambda: "draft that will change" in screen_text(app), "the draft")
        app.feed(events.final("sevt_a", "Something else entirely."))
        await wait_for(pilot, lambda: "Something else entirely." in screen_text(app), "the rewritten final text")
        assert message.source == "Something else entirely." and "draft" not in screen_text(app)
        app.feed(events.preview("sevt_b"), events.delta("sevt_b", "lost"))
        await wait_for(pilot, lambda: view.widget_for("sevt_b") is not None, "preview b")
        dropped = view.widget_for("sevt_b")
        usage = {"input_tokens": 1, "output_tokens": 1, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
        app.feed(events.make("span.model_request_end", model_request_start_id="s", is_error=True, model_usage=usage))
        await wait_for(pilot, lambda: not dropped.is_attached, "the dropped preview removed")
        assert view.widget_for("sevt_b") is None
        assert [type(w).__name__ for w in view.block_widgets] == ["AgentMessage", "UsageLine"]


async def test_thinking_shows_progress_then_thought():
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        app.feed({"type": "event_start", "event": {"type": "agent.thinking", "id": "sevt_think01"}})
        await wait_for(pilot, lambda: "thinking…" in screen_text(app), "thinking")
        thinking = app.view.widget_for("sevt_think01")
        assert isinstance(thinking, Thinking) and thinking.animated
        app.feed({"type": "agent.thinking", "id": "sevt_think01", "processed_at": "2026-05-02T09:00:01.000Z"})
        await wait_for(pilot, lambda: "thought" in screen_text(app), "thought")
        assert thinking.has_class("-done") and not thinking.animated


async def test_queued_user_message_loses_its_marker_when_processed():
    events = Events()
    queued = events.user("later please", queued=True)
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        app.feed(queued)
        await wait_for(pilot, lambda: "queued" in screen_text(app), "queued marker")
        widget = app.view.widget_for(queued["id"])
        assert widget.has_class("-queued")
        app.feed({**queued, "processed_at": "2026-05-02T09:00:09.000Z"})
        await wait_for(pilot, lambda: "queued" not in screen_text(app), "marker gone")
        assert not widget.has_class("-queued")


async def test_tool_call_line_then_expanded_body_built_only_then():
    events = Events()
    output = "\n".join(f"row {n}" for n in range(OUTPUT_LINES + 15))
    use, result = events.tool("bash", {"command": "seq 1 35 | sed 's/^/row /'"}, output)
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        app.feed(use)
        view = app.view
        await wait_for(pilot, lambda: view.widget_for(use["id"]) is not None, "the call")
        call = view.widget_for(use["id"])
        assert isinstance(call, ToolCall) and call.has_class("-running")
        app.feed(result)
        await wait_for(pilot, lambda: call.has_class("-ok") and call.size.height == 1, "the result")
        assert call.body is None and not call.children
        line = screen_text(app)
        assert "✓ bash" in line and "seq 1 35" in line and "ok 1.0s" in line
        view.focus()
        await pilot.press("enter")  # the newest call when none is selected
        await wait_for(pilot, lambda: call.expanded and call.size.height > 1, "expanded")
        assert call.has_class("-expanded") and call.has_class("-selected")
        assert call.body is not None
        assert "$text-success" in styles_of(call.body, "'s/^/row /'")  # bash highlighted: the quoted string
        assert "row 0" in call.body.plain and f"row {OUTPUT_LINES - 1}" in call.body.plain
        assert f"row {OUTPUT_LINES}\n" not in call.body.plain and "… +15 lines" in call.body.plain
        await pilot.press("m")  # the whole output
        await wait_for(pilot, lambda: call.full and f"row {OUTPUT_LINES + 14}" in call.body.plain, "all lines")
        await pilot.press("enter")
        await wait_for(pilot, lambda: call.size.height == 1, "collapsed again")


async def test_tool_call_toggles_on_click_and_cap_line_shows_everything():
    events = Events()
    output = "\n".join(f"line {n}" for n in range(OUTPUT_LINES + 5))
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        calls = events.tool("bash", {"command": "cat log"}, output)
        app.feed(*calls)
        view = app.view
        await wait_for(pilot, lambda: view.widget_for(calls[0]["id"]) is not None, "the call")
        call = view.widget_for(calls[0]["id"])
        await wait_for(pilot, lambda: call.size.height == 1, "laid out")
        await pilot.click(call)
        await wait_for(pilot, lambda: call.expanded and call.size.height > 1, "expanded by click")
        await pilot.click(call, offset=(5, call.size.height - 1))
        await wait_for(pilot, lambda: call.full, "show all by clicking the cap line")
        assert "… +" not in call.body.plain


def test_edit_and_write_show_a_diff_and_read_the_file_language():
    events = Events()
    edit_use, _ = events.tool(
        "edit", {"file_path": "app/main.py", "old_string": "x = 1\ny = 2\n", "new_string": "x = 1\ny = 3\n"}, "ok"
    )
    transcript_block = ToolCallBlock("e1", "edit", input=edit_use["input"], result=[{"type": "text", "text": "ok"}])
    body, capped = build_body(transcript_block)
    assert not capped
    assert "-y = 2" in body.plain and "+y = 3" in body.plain and " x = 1" in body.plain
    assert REMOVED in styles_of(body, "-y = 2") and ADDED in styles_of(body, "+y = 3")

    write = ToolCallBlock("w1", "write", input={"file_path": "notes.md", "content": "# Notes\nhello\n"})
    body, _ = build_body(write)
    assert "+# Notes" in body.plain and ADDED in styles_of(body, "+hello")
    long_write = ToolCallBlock("w2", "write", input={"file_path": "big.txt", "content": "x\n" * 100})
    body, capped = build_body(long_write)
    assert capped and body.plain.count("+x") == OUTPUT_LINES - 3 and "… +" in body.plain  # 3 diff header lines
    body, capped = build_body(long_write, None)
    assert not capped and body.plain.count("+x") == 100

    listing = "     1\tdef f(x):\n     2\t    return x\n"
    read = ToolCallBlock("r1", "read", input={"file_path": "app/f.py"}, result=[{"type": "text", "text": listing}])
    body, _ = build_body(read)
    assert "def f(x):" in body.plain and "\t" not in body.plain
    assert styles_of(body, "def") - {"$text"}  # python keywords are coloured
    assert language_for_path("app/f.py") == "python" and language_for_path("Makefile") == "make"
    assert language_for_path("notes.unknownext") == "text"


def test_input_summaries_say_what_the_call_does():
    def block(name, data, **extra):
        return ToolCallBlock("t", name, input=data, **extra)

    assert input_summary(block("bash", {"command": "ls -la\n  | wc -l"})) == "ls -la | wc -l"
    assert input_summary(block("read", {"file_path": "a.py"})) == "a.py"
    assert input_summary(block("grep", {"pattern": "TODO", "path": "src"})) == "TODO in src"
    assert input_summary(block("web_fetch", {"url": "https://example.com"})) == "https://example.com"
    assert input_summary(block("create_issue", {"title": "x"}, mcp_server="linear")) == '{"title":"x"}'
    custom = CustomToolCallBlock("c", "pick", input={"n": 1})
    body, _ = build_body(custom)
    assert "waiting for your result" in body.plain and '"n": 1' in body.plain


async def test_failed_denied_and_pending_calls_look_different():
    events = Events()
    failed = events.tool("read", {"file_path": "nope"}, "nope: no such file", is_error=True)
    denied = events.tool("bash", {"command": "rm -rf /"}, permission="ask")
    waiting = events.tool("bash", {"command": "make deploy"}, permission="ask")
    interrupted = events.tool("bash", {"command": "sleep 30"})
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        app.feed(*failed, *denied, events.deny(denied[0], None), *waiting)
        view = app.view
        await wait_for(pilot, lambda: len(view.query(ToolCall)) == 3, "three calls")
        calls = {call.block_id: call for call in view.query(ToolCall)}
        assert calls[failed[0]["id"]].has_class("-failed")
        assert calls[denied[0]["id"]].has_class("-denied")
        assert calls[waiting[0]["id"]].has_class("-awaiting_approval")
        await wait_for(
            pilot, lambda: all(word in screen_text(app) for word in ("failed", "denied", "needs approval")), "states"
        )
        calls[denied[0]["id"]].toggle()
        await pilot.pause()
        assert "denied by the permission policy" in calls[denied[0]["id"]].body.plain
        app.feed(*interrupted, events.make("session.status_idle", stop_reason={"type": "end_turn"}))
        await wait_for(pilot, lambda: view.widget_for(interrupted[0]["id"]) is not None, "the last call")
        await wait_for(pilot, lambda: view.widget_for(interrupted[0]["id"]).has_class("-interrupted"), "interrupted")


def test_a_status_line_keeps_only_its_current_status_class():
    waiting = StatusBlock("sevt_1", "idle", stop_reason="requires_action")
    line = StatusLine(waiting)
    line.describe(waiting)
    assert line.has_class("-needs_approval") and not line.has_class("-idle")
    line.describe(StatusBlock("sevt_1", "terminated"))
    assert line.has_class("-terminated") and not line.has_class("-needs_approval")


async def test_delegation_outcomes_and_workflows_render_as_readable_widgets_not_json():
    from app.tui.chat.blocks import (
        CompactionLine,
        OutcomeEvaluation,
        OutcomeLine,
        SessionUpdatedLine,
        ThreadMessage,
        WorkflowRunLine,
    )
    from tests.tui.blocks_support import delegation

    app = TranscriptApp()
    async with app.run_test(size=(120, 60)) as pilot:
        app.feed(*delegation(Events()))
        view = app.view
        await wait_for(pilot, lambda: len(view.block_widgets) == len(app.transcript), "every block mounted")
        kinds = {type(widget) for widget in view.block_widgets}
        assert {
            ThreadMessage,
            OutcomeLine,
            OutcomeEvaluation,
            WorkflowRunLine,
            CompactionLine,
            SessionUpdatedLine,
        } <= kinds
        assert EventLine not in kinds
        await wait_for(pilot, lambda: "← helper:" in screen_text(app), "the answer")
        text = screen_text(app)
        for expected in (
            "→ helper: Find the commit that fixed resize and its version.",  # markdown rendered, not raw
            "← helper: Commit a1b2c3, released in 2.4.1:",
            "fixes SIGWINCH",
            "◎ outcome A CHANGELOG entry for the resize fix · up to 3 evaluations",
            "rubric: Mentions the bug, the fix and the version.",
            "↻ outcome evaluation 1/3 · needs revision",
            "The entry does not say what the bug was.",
            "✓ outcome evaluation 2/3 · satisfied",
            "Names the bug, the fix and 2.4.1.",
            "⋯ context compacted",
            "⚙ workflow release-notes · phase 1/2 collect · running",
            "✎ session updated · title “CHANGELOG for 2.4.1”",
        ):
            assert expected in text, expected
        assert "**" not in text and '{"' not in text and "to_session_thread_id" not in text
        (sent, received) = view.query(ThreadMessage)
        assert sent.has_class("-sent") and received.has_class("-received")
        verdicts = [w for w in view.query(OutcomeEvaluation)]
        assert [w.has_class("-needs_revision") for w in verdicts] == [True, False]
        assert verdicts[1].has_class("-satisfied")


async def test_an_evaluation_in_progress_animates_then_shows_its_verdict():
    from app.tui.chat.blocks import OutcomeEvaluation

    events = Events()
    start = events.make("span.outcome_evaluation_start", outcome_id="outc_1", iteration=0)
    app = TranscriptApp()
    async with app.run_test(size=SIZE) as pilot:
        app.feed(start)
        widget = await wait_for(pilot, lambda: next(iter(app.view.query(OutcomeEvaluation)), None), "the widget")
        assert widget.animated and widget.has_class("-evaluating")
        await wait_for(pilot, lambda: "outcome evaluation 1 · evaluating…" in screen_text(app), "evaluating")
        app.feed(
            events.make(
                "span.outcome_evaluation_end",
                **evaluation_end(start["id"], 0, "failed", INJECTION, outcome_id="outc_1", usage=model_usage(1, 1)),
            )
        )
        await wait_for(
            pilot,
            lambda: "✕ outcome evaluation 1 · failed" in screen_text(app) and INJECTION in screen_text(app),
            "the verdict and its explanation drawn",
        )
        assert not widget.animated and widget.has_class("-failed")


async def test_the_header_shows_the_latest_outcome_and_the_updated_title_and_agent():
    from textual.app import App, ComposeResult

    from app.api.models import parse_event
    from app.api.transcript import Transcript
    from app.tui.chat.header import ChatHeader, SessionInfo
    from tests.event_samples import OUTPUT_EVENTS
    from tests.tui.blocks_support import delegation

    class HeaderApp(App):
        def compose(self) -> ComposeResult:
            yield ChatHeader()

    events = delegation(Events())
    transcript = Transcript(parse_event(e) for e in events[:8])  # up to the first evaluation's start
    app = HeaderApp()
    async with app.run_test(size=SIZE) as pilot:
        header = app.query_one(ChatHeader)
        header.info = SessionInfo("sesn_1", "Old title", "running", "claude-opus-4-8", "dev-env")
        header.summary = transcript.summary
        await wait_for(pilot, lambda: "outcome evaluation 1/3 evaluating…" in screen_text(app), "evaluating")
        assert "Old title" in screen_text(app)

        transcript.apply_many(parse_event(e) for e in events[8:])
        agent = OUTPUT_EVENTS["session.updated"]["agent"]
        transcript.apply(parse_event({**events[-1], "id": "sevt_agent", "title": None, "agent": agent}))
        header.summary = transcript.summary
        expected = "outcome ✓ satisfied (evaluation 2/3)"
        await wait_for(pilot, lambda: expected in screen_text(app), "the verdict")
        text = screen_text(app)
        assert "CHANGELOG for 2.4.1" in text and "Old title" not in text
        assert f"{agent['name']} · {agent['model']['id']} · dev-env" in text


def test_a_calls_duration_shows_once_it_takes_a_second_or_more():
    def header(started: str, finished: str) -> str:
        block = ToolCallBlock(
            "t",
            "bash",
            input={"command": "make"},
            result=[{"type": "text", "text": "done"}],
            started_at=started,
            finished_at=finished,
        )
        return ToolCall(block).header(80).plain

    assert header("2026-05-02T10:00:00.000Z", "2026-05-02T10:00:00.300Z").endswith("ok")
    assert header("2026-05-02T10:00:00.000Z", "2026-05-02T10:00:02.500Z").endswith("ok 2.5s")
