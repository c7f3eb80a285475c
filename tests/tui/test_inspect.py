"""Inspect, find and keep: the event inspector behind a block, the session events view, the copy keys."""

from __future__ import annotations

import json

import pytest
from textual.events import Click
from textual.widgets import Input, OptionList

from app.api.transcript_blocks import AgentMessageBlock
from app.tui.app import AgentDeckApp
from app.tui.chat.message import AgentMessage
from app.tui.chat.tool_call import ToolCall
from app.tui.chat.transcript_view import TranscriptView
from app.tui.screens.events import EventsScreen
from app.tui.screens.inspector import EventInspector
from tests.event_builders import Events
from tests.tui.blocks_support import INJECTION, TranscriptApp
from tests.tui.chat_support import answers, open_chat, say
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.test_app import connected, pick

SIZE = (120, 40)

ANSWER = """Here is the fix.

```python
def first():
    return 1
```

And the test:

```bash
pytest -q
```
"""


@pytest.fixture
def session(seed) -> dict:
    return seed.session(seed.environment(), seed.agent(), title="inspect")


def toasts(app) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_the_inspector_shows_the_events_behind_a_tool_call():
    events = Events()
    use, result = events.tool("bash", {"command": "echo one"}, "one")
    app = TranscriptApp(events.user("run it"), use, result, events.message("done"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.settled, "the transcript")
        app.view.focus()
        await pilot.press("K", "i")  # chat.previous_tool, chat.inspect
        screen = await wait_for(pilot, lambda: isinstance(app.screen, EventInspector) and app.screen, "the inspector")
        assert [event.id for event in screen.events] == [use["id"], result["id"]]
        text = screen_text(app)
        assert f"Events behind tool call {use['id']}" in text
        assert f"1/2 agent.tool_use · id {use['id']} · processed_at {use['processed_at']}" in text
        assert f"2/2 agent.tool_result · id {result['id']} · processed_at {result['processed_at']}" in text
        assert '"command": "echo one"' in text and "Streamed" not in text

        await pilot.press("c")  # inspector.copy
        assert json.loads(app.clipboard) == [use, result]
        assert "Copied the JSON of 2 events" in toasts(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, EventInspector), "closed")


async def test_the_inspector_says_how_a_message_streamed_and_shows_server_text_literally():
    events = Events()
    live, old = "sevt_live", events.message(INJECTION)
    app = TranscriptApp(old)
    async with app.run_test(size=SIZE) as pilot:
        app.feed(events.preview(live), *[events.delta(live, f"part {n} ") for n in range(7)])
        await wait_for(pilot, lambda: app.transcript.get(live) is not None and app.settled, "the streaming message")
        app.feed(events.final(live, "part 0 … part 6"))
        await wait_for(pilot, lambda: not app.transcript.get(live).streaming and app.settled, "the final message")
        app.view.focus()
        await pilot.press("i")  # nothing selected: the newest block
        await wait_for(pilot, lambda: isinstance(app.screen, EventInspector), "the inspector")
        assert "Streamed here: 7 deltas in" in screen_text(app)
        await pilot.press("escape", "k", "i")  # the message from before: it came whole
        await wait_for(pilot, lambda: isinstance(app.screen, EventInspector), "the inspector again")
        text = screen_text(app)
        assert "Not streamed here" in text and INJECTION in text


async def test_the_live_answer_of_a_real_session_streamed_in_deltas(settings, session):
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "hello there")
        await wait_for(pilot, lambda: any("hello there" in text for text in answers(chat)), "the answer")
        view = chat.query_one(TranscriptView)
        [answer] = [block for block in chat.transcript if isinstance(block, AgentMessageBlock)]
        deltas = chat.transcript.streamed(answer.id).deltas
        assert deltas > 1
        await wait_for(pilot, lambda: view.widget_for(answer.id) is not None, "the answer shown")
        view.focus()
        view.select(view.widget_for(answer.id))
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, EventInspector), "the inspector")
        assert f"Streamed here: {deltas:,} deltas in" in screen_text(pilot.app)
        assert settings.api_key.reveal() not in screen_text(pilot.app)
        await pilot.press("escape")
        await pilot.press("alt+y")  # chat.copy_session_id
        assert pilot.app.clipboard == session["id"]
        assert f"Copied the session id {session['id']}" in toasts(pilot.app)


async def test_the_copy_keys_copy_a_messages_markdown_a_calls_input_and_output_and_code_blocks():
    events = Events()
    use, result = events.tool("bash", {"command": "ls -1"}, "a.txt\nb.txt\n")
    message = events.message(ANSWER)
    app = TranscriptApp(events.user("fix it"), use, result, message, events.make("session.status_running"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.settled, "the transcript")
        view = app.view
        view.focus()
        await pilot.press("y")  # nothing selected: the newest block, a status line, as shown
        assert "running" in app.clipboard
        await pilot.press("k", "y")  # chat.copy: the message's markdown source
        assert app.clipboard == ANSWER
        assert "Copied message (markdown) (12 lines)" in toasts(app)
        await pilot.press("alt+c")  # chat.copy_code: the last code block
        assert app.clipboard == "pytest -q\n"
        assert "Copied code block 2/2 (bash) (1 line)" in toasts(app)
        await pilot.press("alt+c")  # again: the one before it
        assert app.clipboard == "def first():\n    return 1\n"
        await pilot.press("Y")  # a message has no output
        assert "No output to copy: select a tool call that has finished" in toasts(app)
        await pilot.press("K", "c")  # the tool call: its input as JSON
        assert json.loads(app.clipboard) == {"command": "ls -1"}
        assert "Copied input of bash (3 lines)" in toasts(app)
        await pilot.press("o")  # chat.copy_output
        assert app.clipboard == "a.txt\nb.txt\n"
        assert "Copied output of bash (2 lines)" in toasts(app)


async def test_copy_output_with_nothing_selected_takes_the_newest_finished_call():
    events = Events()
    first = events.tool("bash", {"command": "echo old"}, "old\n")
    app = TranscriptApp(*first, *events.tool("bash", {"command": "sleep 9"}), events.message("waiting"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.settled, "the transcript")
        app.view.focus()
        await pilot.press("Y")
        assert app.clipboard == "old\n" and app.view.selected is app.view.widget_for(first[0]["id"])


async def test_the_events_view_lists_filters_and_opens_an_event():
    events = Events()
    use, result = events.tool("bash", {"command": "echo one"}, "one")
    sent = [events.user("run it"), events.make("span.model_request_start"), use, result, events.message("done")]
    app = TranscriptApp(*sent)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.settled, "the transcript")
        app.view.focus()
        await pilot.press("e")  # chat.events
        screen = await wait_for(pilot, lambda: isinstance(app.screen, EventsScreen) and app.screen, "the events")
        await pilot.pause()
        assert [event.id for event in screen.shown] == [event["id"] for event in sent]
        text = screen_text(app)
        assert "5 events" in text and "span.model_request_start" in text and "09:00:03.000" in text
        assert 'bash {"command":"echo one"}' in text

        await pilot.press("slash")
        for key in "result":
            await pilot.press(key)
        await wait_for(pilot, lambda: [event.id for event in screen.shown] == [result["id"]], "filtered")
        assert "1 of 5 events" in screen_text(app)
        await pilot.press("enter")  # from the filter to the list, then open the row
        assert isinstance(app.focused, OptionList)
        await pilot.press("enter")
        inspector = await wait_for(pilot, lambda: isinstance(app.screen, EventInspector) and app.screen, "inspector")
        assert [event.id for event in inspector.events] == [result["id"]]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "back to the list")
        screen.query_one(Input).value = "no such thing"
        await wait_for(pilot, lambda: screen.shown == [], "nothing matches")
        assert "0 of 5 events" in screen_text(app)


def test_inspector_snapshot(snap_compare):
    events = Events()
    use, result = events.tool("read", {"file_path": "app/main.py"}, "     1\tdef main():\n     2\t    return 0\n")
    app = TranscriptApp(events.user("read main"), use, result, events.message("It returns 0."))

    async def inspect(pilot) -> None:
        await wait_for(pilot, lambda: app.settled, "the transcript")
        app.view.focus()
        await pilot.press("K", "i")
        await wait_for(pilot, lambda: isinstance(app.screen, EventInspector), "the inspector")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=inspect)


async def test_mouse_selection_in_a_message_copies_the_text_as_shown():
    events = Events()
    app = TranscriptApp(events.user("hello"), events.message("First line of the answer\n\nSecond **bold** line"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.settled, "the transcript")
        [message] = app.view.query(AgentMessage)
        left = message.styles.padding.left
        await pilot.mouse_down(message, offset=(left + 6, 0))  # from "line" on the first line ...
        await pilot.hover(message, offset=(left + 10, 2))  # ... to "bold" on the third
        await pilot.mouse_up(message, offset=(left + 10, 2))
        assert app.screen.get_selected_text() == "line of the answer\n\nSecond bold"
        selected = app.screen.get_component_rich_style("screen--selection").bgcolor
        assert selected in {segment.style.bgcolor for segment in message.render_line(0) if segment.style}
        await pilot.press("ctrl+c")  # Textual's copy of the selection
        assert app.clipboard == "line of the answer\n\nSecond bold"


async def test_the_command_palette_opens_the_session_events_of_the_open_chat(settings, session):
    app = AgentDeckApp(settings)
    async with app.run_test(size=SIZE) as pilot:
        await connected(pilot)
        chat = app.main_screen.chat
        await wait_for(pilot, lambda: chat.is_mounted, "the chat pane")
        chat.open_session(session["id"])
        await say(pilot, "hello")
        await wait_for(pilot, lambda: answers(chat), "the answer")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Transcript view: Session events" in titles
        await pilot.press("ctrl+p")
        await pick(pilot, "session events", "Transcript view: Session events")
        screen = await wait_for(pilot, lambda: isinstance(app.screen, EventsScreen) and app.screen, "the events")
        await wait_for(pilot, lambda: screen.shown, "its rows")
        assert [event.id for event in screen.shown] == [event.id for event in chat.transcript.events]
        assert {"user.message", "agent.message", "session.status_idle"} <= {event.type for event in screen.shown}


async def test_selecting_text_in_a_tool_call_with_the_mouse_does_not_collapse_it():
    events = Events()
    app = TranscriptApp(*events.tool("bash", {"command": "echo hello world"}, "hello world\n"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.settled, "the transcript")
        [call] = app.view.query(ToolCall)
        call.toggle()
        await wait_for(pilot, lambda: call.size.height > 1, "expanded")
        await pilot.mouse_down(call, offset=(4, 0))
        await pilot.hover(call, offset=(12, 0))
        await pilot.mouse_up(call, offset=(12, 0))
        assert app.screen.get_selected_text() == "bash  ech"
        # Textual reads a mouse up on the widget of the mouse down as a click, drag or not
        call.post_message(Click(call, 12, 0, 0, 0, 1, False, False, False))
        await pilot.pause()
        assert call.expanded
        await pilot.click(call, offset=(4, 0))  # a plain click still collapses it
        await wait_for(pilot, lambda: not call.expanded, "collapsed")
