"""Pilot tests of the chat view against the embedded runtime over loopback (offline model)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.widgets import Input

from app.api.feed import Connection
from app.api.transcript_blocks import CustomToolCallBlock, ToolCallBlock, UserMessageBlock
from app.runtime.runtime import DATABASE_NAME, start_in_thread
from app.runtime.store import Store
from app.tui.chat.composer import Composer
from app.tui.chat.header import ChatHeader, connection_note
from app.tui.chat.permission import PermissionPrompt
from app.tui.chat.tool_call import ToolCall
from app.tui.chat.transcript_view import TranscriptView
from app.tui.chat.view import ChatView
from app.tui.format import count
from tests.tui.chat_support import answers, ask_to_run, blocks_of, connection_state, open_chat, say, settled, start
from tests.tui.pilot_support import screen_text, wait_for


@pytest.fixture
def session(seed) -> dict:
    """A session in a fresh environment, its agent free to run every tool."""
    return seed.session(seed.environment(), seed.agent())


@pytest.fixture
def asking_session(seed) -> dict:
    """A session in a fresh environment whose agent asks before it runs bash."""
    return seed.session(seed.environment(), seed.agent(ask=("bash",)))


def tool_call(chat: ChatView, kind: type = ToolCallBlock) -> Any:
    calls = blocks_of(chat, kind)
    return calls[-1] if calls else None


def state(chat: ChatView, kind: type = ToolCallBlock) -> str | None:
    call = tool_call(chat, kind)
    return call.state if call is not None else None


def notice(chat: ChatView) -> str:
    widget = chat.query_one("#chat-notice")
    return str(widget.render()) if widget.display else ""


async def test_a_message_streams_its_answer_and_the_header_follows(settings, seed):
    env = seed.environment("dev box")
    session = seed.session(env, seed.agent(), title="Plans list[int] [/]")
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "hello [b]there[/b] list[int] [/]")
        await wait_for(pilot, lambda: any("offline model" in text for text in answers(chat)), "the answer")
        await wait_for(pilot, lambda: chat.query_one(ChatHeader).state == "idle", "idle")
        assert chat.query_one(Composer).text == ""
        verbatim = lambda: screen_text(pilot.app).count("hello [b]there[/b] list[int] [/]") == 2  # noqa: E731
        await wait_for(pilot, verbatim, "the message and its quote, verbatim")  # the view shows batches
        screen = screen_text(pilot.app)
        assert "Plans list[int] [/]" in screen and "claude-sonnet-4-6" in screen and "dev box" in screen
        summary = chat.transcript.summary
        assert summary.tokens.output_tokens > 0
        assert f"{summary.tokens.output_tokens} out" in screen and "cost $0.00" in screen


async def test_a_bang_command_shows_its_tool_call_running_then_ok_with_output(settings, session):
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "!sleep 1; echo hi from bash")
        await wait_for(pilot, lambda: state(chat) == "running", "the call running")
        assert chat.query_one(ChatHeader).state == "running"
        await wait_for(pilot, lambda: state(chat) == "ok", "the call ok")
        assert tool_call(chat).result_text.strip() == "hi from bash"
        await wait_for(pilot, lambda: "hi from bash" in screen_text(pilot.app), "the output on screen")


async def test_a_message_sent_while_the_agent_runs_is_queued_not_lost(settings, session):
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "/sleep 2")
        await wait_for(pilot, lambda: state(chat) == "running", "the long call")
        await say(pilot, "and after that?")
        await wait_for(pilot, lambda: blocks_of(chat, UserMessageBlock)[-1].text == "and after that?", "the echo")
        queued = blocks_of(chat, UserMessageBlock)[-1]
        assert queued.state == "queued" and chat.query_one(Composer).text == ""
        await wait_for(pilot, lambda: any("and after that?" in text for text in answers(chat)), "its answer")
        assert blocks_of(chat, UserMessageBlock)[-1].state == "processed"
        await wait_for(pilot, lambda: "queued: sent when" not in screen_text(pilot.app), "the marker gone")


async def test_approve_a_tool_by_key_and_by_clicking_allow(settings, asking_session):
    async with open_chat(settings, asking_session) as (pilot, chat):
        assert not chat.query_one(PermissionPrompt).display

        prompt = await ask_to_run(pilot, chat, "echo first")
        assert chat.query_one(ChatHeader).state == "needs_approval"
        assert "bash asks to run: echo first" in screen_text(pilot.app)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: state(chat) == "ok", "the approved call")
        assert tool_call(chat).confirmation == "allow" and "first" in tool_call(chat).result_text
        await wait_for(pilot, lambda: not prompt.display, "the prompt to go")

        await ask_to_run(pilot, chat, "echo second")
        await pilot.click("#prompt-allow")
        await wait_for(pilot, lambda: state(chat) == "ok" and "second" in tool_call(chat).result_text, "ok")
        await wait_for(pilot, lambda: not prompt.display, "the prompt to go")


async def test_deny_a_tool_with_a_message_by_key_and_without_one_by_clicking(settings, asking_session):
    async with open_chat(settings, asking_session) as (pilot, chat):
        prompt = await ask_to_run(pilot, chat, "rm -rf build")
        await pilot.press("ctrl+n")
        reason = prompt.query_one("#prompt-deny-message", Input)
        assert reason.display and reason.has_focus
        await pilot.press(*"not now", "enter")
        await wait_for(pilot, lambda: state(chat) == "denied", "the denial")
        assert tool_call(chat).deny_message == "not now"
        await wait_for(pilot, lambda: not prompt.display, "the prompt to go")
        assert chat.query_one(Composer).has_focus

        await ask_to_run(pilot, chat, "rm -rf dist")
        await pilot.click("#prompt-deny")
        await pilot.press("enter")  # with no message
        await wait_for(pilot, lambda: state(chat) == "denied" and "dist" in tool_call(chat).input["command"], "denied")
        assert tool_call(chat).deny_message is None


async def test_y_and_n_answer_when_the_prompt_has_focus_and_esc_cancels_the_deny_message(settings, asking_session):
    async with open_chat(settings, asking_session) as (pilot, chat):
        prompt = await ask_to_run(pilot, chat, "echo maybe")
        prompt.focus()
        await pilot.press("n")
        reason = prompt.query_one("#prompt-deny-message", Input)
        assert reason.display
        await pilot.press("escape")
        assert not reason.display and state(chat) == "awaiting_approval"
        await pilot.press("y")
        await wait_for(pilot, lambda: state(chat) == "ok", "the approved call")


async def test_esc_interrupts_a_running_agent_and_otherwise_leaves_the_composer(settings, session):
    left: list[ChatView.Left] = []

    def hook(message: object) -> None:
        if isinstance(message, ChatView.Left):
            left.append(message)

    async with open_chat(settings, session, message_hook=hook) as (pilot, chat):
        await say(pilot, "/sleep 30")
        await wait_for(pilot, lambda: state(chat) == "running", "the long call")
        assert chat.query_one(Composer).has_focus
        await wait_for(pilot, lambda: "esc Interrupt" in screen_text(pilot.app), "the footer's interrupt key")
        await pilot.press("escape")
        await wait_for(pilot, lambda: state(chat) in ("failed", "interrupted"), "the interrupted call")
        assert "Interrupted" in tool_call(chat).result_text
        await wait_for(pilot, lambda: chat.query_one(ChatHeader).state == "idle", "idle")
        await wait_for(pilot, lambda: "esc Leave chat" in screen_text(pilot.app), "the footer's leave key")
        assert chat.query_one(Composer).has_focus and not left  # the interrupt kept the focus

        await pilot.press("escape")
        assert pilot.app.focused is None and len({id(message) for message in left}) == 1


async def test_the_keyboard_reaches_the_transcript_and_page_keys_scroll_it_from_the_composer(settings, session):
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "!seq 1 40")
        await say(pilot, "/long 2")
        await wait_for(pilot, lambda: chat.query_one(ChatHeader).state == "idle" and len(answers(chat)) == 2, "answers")
        view, composer = chat.query_one(TranscriptView), chat.query_one(Composer)
        composer.insert("a draft")
        await pilot.press("pageup")
        await wait_for(pilot, lambda: not view.following, "the transcript scrolled up")
        assert composer.has_focus and composer.text == "a draft"
        for _ in range(40):
            if view.following:
                break
            await pilot.press("pagedown")
        assert view.following  # back at the end: it follows again

        await pilot.press("ctrl+up")
        assert view.has_focus
        await pilot.press("K", "enter")  # the newest tool call, expanded
        (call,) = view.query(ToolCall)
        assert call.expanded and "40" in screen_text(pilot.app)
        await pilot.press("ctrl+down")
        assert composer.has_focus and composer.text == "a draft"


async def test_reopening_a_session_shows_its_history_once(settings, seed):
    agent, env = seed.agent(), seed.environment()
    session = seed.session(env, agent, title="old one")
    other = seed.session(env, agent, title="other one")
    seed.say(session, "remember the milk")
    seed.wait_until_idle(session, "end_turn")  # the whole turn is history: the transcript no longer grows
    async with open_chat(settings, session) as (pilot, chat):
        await wait_for(pilot, lambda: any("remember the milk" in t for t in answers(chat)), "the history")
        first = [block.id for block in chat.transcript]
        for opened in (session, other, session, session):
            chat = await start(pilot, opened)
        await wait_for(pilot, lambda: [block.id for block in chat.transcript] == first, "the same history")
        await settled(pilot, chat)
        assert screen_text(pilot.app).count("remember the milk") == 2  # the message and its quote, once each
        assert "old one" in screen_text(pilot.app)


async def test_a_dropped_stream_recovers_without_duplicates_and_failed_sends_keep_their_text(
    settings, session, runtime
):
    port = int(runtime.base_url.rsplit(":", 1)[1])
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "before the outage")
        await wait_for(pilot, lambda: any("before the outage" in t for t in answers(chat)), "the first answer")

        await asyncio.to_thread(runtime.stop)
        await wait_for(pilot, lambda: connection_state(chat) == "reconnecting", "the reconnecting note")
        assert "reconnecting in" in screen_text(pilot.app)

        await say(pilot, "during the outage")
        await wait_for(pilot, lambda: "Message not sent" in notice(chat), "the failure")
        assert chat.query_one(Composer).text == "during the outage"
        assert any("Message not sent" in n.message for n in pilot.app._notifications)

        revived = await asyncio.to_thread(
            start_in_thread, runtime.runtime.data_dir, api_key=runtime.api_key, pace=0.0, heartbeat=1.0, port=port
        )
        try:
            await wait_for(pilot, lambda: connection_state(chat) == "live", "the feed back live")
            await pilot.press("enter")  # the text is still there: send it again
            await wait_for(pilot, lambda: any("during the outage" in t for t in answers(chat)), "the second answer")
            assert chat.query_one(Composer).text == "" and notice(chat) == ""
            ids = [block.id for block in chat.transcript]
            assert len(ids) == len(set(ids))
            users = [b.text for b in blocks_of(chat, UserMessageBlock)]
            assert users == ["before the outage", "during the outage"]
            await settled(pilot, chat)
            assert screen_text(pilot.app).count("before the outage") == 2
        finally:
            await asyncio.to_thread(revived.stop)


async def test_a_session_deleted_meanwhile_disables_the_composer_and_keeps_the_text(settings, seed, session):
    async with open_chat(settings, session) as (pilot, chat):
        composer = chat.query_one(Composer)
        composer.insert("anyone there?")
        seed.http.delete(f"/v1/sessions/{session['id']}").raise_for_status()
        await wait_for(pilot, lambda: "has been deleted" in notice(chat), "the reason")
        assert composer.disabled and composer.text == "anyone there?"
        await wait_for(pilot, lambda: "it takes no more messages" in screen_text(pilot.app), "the notice drawn")


async def test_a_terminated_or_archived_session_takes_no_more_messages_and_says_why(settings, seed, session):
    async with open_chat(settings, session) as (pilot, chat):
        composer = chat.query_one(Composer)
        await say(pilot, "/error terminal")
        await wait_for(pilot, lambda: "has ended" in notice(chat), "the reason")
        assert composer.disabled and chat.query_one(ChatHeader).state == "terminated"
        await wait_for(pilot, lambda: "terminated" in screen_text(pilot.app), "the state drawn")
    archived = seed.session(seed.environment(), seed.agent(), title="old")
    seed.http.post(f"/v1/sessions/{archived['id']}/archive").raise_for_status()
    async with open_chat(settings, archived) as (pilot, chat):
        await wait_for(pilot, lambda: "archived" in notice(chat), "the reason")
        assert chat.query_one(Composer).disabled
        await wait_for(pilot, lambda: "This session is archived" in screen_text(pilot.app), "the reason drawn")


async def test_a_custom_tool_is_answered_from_the_composer(settings, seed):
    session = seed.session(seed.environment(), seed.agent(custom=("lookup",)))
    async with open_chat(settings, session) as (pilot, chat):
        prompt = chat.query_one(PermissionPrompt)
        await say(pilot, '/custom lookup {"q": "milk"}')
        await wait_for(pilot, lambda: prompt.custom is not None, "the custom prompt")
        assert "custom tool lookup wants a result" in screen_text(pilot.app)
        assert "Result for lookup" in chat.query_one(Composer).placeholder
        header = screen_text(pilot.app).splitlines()[1]
        assert "waiting for your tool result" in header and "needs approval" not in header
        # the transcript's status line says the same
        await wait_for(
            pilot, lambda: screen_text(pilot.app).count("waiting for your tool result") >= 2, "the status line"
        )
        assert "needs approval" not in screen_text(pilot.app)
        await say(pilot, "2 litres")
        await wait_for(pilot, lambda: state(chat, CustomToolCallBlock) == "ok", "the answered call")
        assert tool_call(chat, CustomToolCallBlock).result_text == "2 litres"
        assert [b.text for b in blocks_of(chat, UserMessageBlock)] == ['/custom lookup {"q": "milk"}']
        await wait_for(pilot, lambda: not prompt.display, "the prompt to go")

        await say(pilot, "/custom lookup {}")
        await wait_for(pilot, lambda: prompt.custom is not None, "the second custom prompt")
        await pilot.press("ctrl+t")
        assert prompt.is_error
        await say(pilot, "lookup service is down")
        await wait_for(pilot, lambda: state(chat, CustomToolCallBlock) == "failed", "the error result")


async def test_an_unreadable_event_shows_as_such_and_the_chat_goes_on(settings, seed, session):
    # An event this client cannot read (the runtime never writes one: it goes straight into its store).
    bad = {"type": "agent.message", "id": "sevt_bad", "processed_at": session["created_at"], "content": "bad [/] list"}
    seed.runtime.runtime.store.append_event(session["id"], bad)
    async with open_chat(settings, session) as (pilot, chat):
        await wait_for(pilot, lambda: "unreadable event agent.message" in screen_text(pilot.app), "the block")
        assert "content" in screen_text(pilot.app)  # what could not be read
        chat.query_one(TranscriptView).focus()
        await pilot.press("enter")  # expanded: its raw JSON, laid out (its "[/]" is not markup)
        await wait_for(pilot, lambda: '"content": "bad [/] list"' in screen_text(pilot.app), "the raw event")
        await say(pilot, "still here?")
        await wait_for(pilot, lambda: any("still here?" in text for text in answers(chat)), "the answer")
        assert '"content": "bad [/] list"' in screen_text(pilot.app)


def test_the_header_counts_tokens_compactly_and_describes_the_connection():
    counts = (0, 999, 1_000, 9_999, 12_345, 99_999, 999_999, 4_100_000, 123_456_789)
    expected = ["0", "999", "1.0k", "10k", "12k", "100k", "1.0M", "4.1M", "123M"]
    assert [count(n) for n in counts] == expected
    assert connection_note(Connection("live")) is None
    assert connection_note(Connection("reconnecting", attempt=2, delay=2.0, error="boom")) == (
        "connection lost · reconnecting in 2s…"
    )
    assert connection_note(Connection("closed", error="gone")) == "not following (feed stopped)"


async def test_a_history_page_with_an_unreadable_event_shows_it_and_everything_around_it(settings, runtime, seed):
    """An event from a newer API that this client's models reject: shown for what it is, and
    every event before and after it arrives (the runtime's own log is given one, as if written by
    a newer server)."""
    session = seed.session(seed.environment(), seed.agent(), title="mixed history")
    seed.say(session, "before the odd one")
    seed.wait_until_idle(session, "end_turn")
    store = Store(runtime.runtime.data_dir / DATABASE_NAME)
    stamp = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    store.append_event(
        session["id"],
        {
            "type": "agent.message",
            "id": "sevt_newer",
            "processed_at": stamp,
            "content": {"type": "hologram", "text": "not a list"},
        },
    )
    store.append_event(
        session["id"],
        {
            "type": "agent.message",
            "id": "sevt_after",
            "processed_at": stamp,
            "content": [{"type": "text", "text": "and after the odd one"}],
        },
    )
    store.close()
    async with open_chat(settings, session) as (pilot, chat):
        await wait_for(pilot, lambda: "and after the odd one" in screen_text(pilot.app), "the event after it")
        text = screen_text(pilot.app)
        assert "unreadable event agent.message" in text and "before the odd one" in text
        assert connection_state(chat) == "live", "not retried as a connection error"


async def test_sending_while_scrolled_up_follows_the_new_turn(settings, session):
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "!seq 1 60")
        await wait_for(pilot, lambda: chat.query_one(ChatHeader).state == "idle" and answers(chat), "the answer")
        view = chat.query_one(TranscriptView)
        await pilot.press("pageup", "pageup")
        await wait_for(pilot, lambda: not view.following, "the transcript scrolled up")
        await say(pilot, "where did it go")
        await wait_for(pilot, lambda: "where did it go" in "".join(answers(chat)), "the reply")
        await wait_for(pilot, lambda: "for everything I understand" in screen_text(pilot.app), "the reply on screen")
        assert view.following and "new output" not in screen_text(pilot.app)


async def test_the_connection_shows_at_any_width(settings, session):
    """A glyph at the very start of the header says the stream is lost, however narrow the chat."""
    async with open_chat(settings, session, size=(40, 20)) as (pilot, chat):
        header = chat.query_one(ChatHeader)
        header.connection = Connection("reconnecting", attempt=1, delay=0.5, error="the stream ended")
        await pilot.pause()
        first = screen_text(pilot.app).splitlines()[1]
        assert first.lstrip("│ ").startswith("⚡"), first
        header.connection = Connection("live")
        await pilot.pause()
        assert "⚡" not in screen_text(pilot.app)
