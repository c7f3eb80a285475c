"""Searching the chat transcript and filtering it, against the embedded runtime: a long session
(written into the runtime's store) is opened in the chat, then searched with ctrl+f, / and n / N."""

from __future__ import annotations

from app.api.transcript_blocks import AgentMessageBlock, ThinkingBlock, ToolCallBlock, UserMessageBlock
from app.tui.chat.composer import Composer
from app.tui.chat.tool_call import ToolCall
from app.tui.chat.transcript_view import TranscriptView
from tests.tui.chat_support import ChatApp, blocks_of, open_chat, settled, start
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.search_support import (
    bar_of,
    count_text,
    current_marked,
    long_history,
    search,
    seed_history,
)


def long_session(
    seed, first_question: str = "Where does the albatross nest?", last_answer: str = "The albatross nests on islands."
) -> dict:
    session = seed.session(seed.environment(), seed.agent(), title="Long")
    seed_history(seed, session, long_history(first_question, last_answer))
    return session


async def opened_long(pilot, chat) -> TranscriptView:
    view = chat.query_one(TranscriptView)
    await wait_for(pilot, lambda: view.earlier > 100 and view.block_widgets, "the long history in the view")
    return view


async def test_a_match_far_up_is_found_counted_and_revealed_on_n_and_N_goes_back(settings, seed):
    async with open_chat(settings, long_session(seed)) as (pilot, chat):
        view = await opened_long(pilot, chat)
        first_question = blocks_of(chat, UserMessageBlock)[0]
        last_answer = blocks_of(chat, AgentMessageBlock)[-1]
        assert view.widget_for(first_question.id) is None  # far outside the mounted window

        await search(pilot, chat, "ALBATROSS")
        await wait_for(pilot, lambda: count_text(chat) == "1/2", "the count")
        assert current_marked(view) == [last_answer.id]  # the newest match first

        await pilot.press("ctrl+up")  # into the transcript, the search still open
        assert view.has_focus and bar_of(chat).active
        await pilot.press("n")
        await wait_for(pilot, lambda: count_text(chat) == "2/2", "the next (older) match")
        await wait_for(pilot, lambda: current_marked(view) == [first_question.id], "the first question mounted")
        await wait_for(pilot, lambda: "Where does the albatross nest?" in screen_text(pilot.app), "it on screen")
        assert view.newer > 0  # the window moved up there

        await pilot.press("N")
        await wait_for(pilot, lambda: count_text(chat) == "1/2", "back to the newer match")
        await wait_for(pilot, lambda: "The albatross nests on islands." in screen_text(pilot.app), "it on screen")
        await pilot.press("n", "n")  # round from the oldest back to the newest
        await wait_for(pilot, lambda: count_text(chat) == "1/2", "round at the end")


async def test_matches_in_tool_output_input_and_thinking_are_found_and_shown(settings, seed):
    async with open_chat(settings, long_session(seed)) as (pilot, chat):
        view = await opened_long(pilot, chat)
        await search(pilot, chat, "report-003")  # in the output of the third turn's bash call
        await wait_for(pilot, lambda: count_text(chat) == "1/1", "one match")
        call = next(b for b in blocks_of(chat, ToolCallBlock) if b.input == {"command": "ls dir3"})
        await wait_for(pilot, lambda: current_marked(view) == [call.id], "the call mounted and marked")
        widget = view.widget_for(call.id)
        assert isinstance(widget, ToolCall) and widget.expanded  # its output shows
        await wait_for(pilot, lambda: "report-003.md" in screen_text(pilot.app), "the matched output on screen")

        bar = bar_of(chat)
        bar.query_one("#search-input").value = "ls dir59"  # in a command: the input of a call
        calls = [b for b in blocks_of(chat, ToolCallBlock) if b.input == {"command": "ls dir59"}]
        await wait_for(pilot, lambda: current_marked(view) == [calls[0].id], "the command found")
        assert count_text(chat) == "1/1"

        bar.query_one("#search-input").value = "thought"  # thinking blocks say what they show
        await wait_for(pilot, lambda: count_text(chat) == f"1/{len(blocks_of(chat, ThinkingBlock))}", "every thinking")
        assert count_text(chat) == "1/60"

        bar.query_one("#search-input").value = "no such words anywhere"
        await wait_for(pilot, lambda: count_text(chat) == "no match", "no match")
        assert not view.query(".-match")


async def test_escape_closes_the_search_clears_the_marks_and_keeps_the_place(settings, seed):
    async with open_chat(settings, long_session(seed)) as (pilot, chat):
        view = await opened_long(pilot, chat)
        await search(pilot, chat, "albatross")
        await wait_for(pilot, lambda: count_text(chat) == "1/2", "the count")
        await pilot.press("up")  # the older match, far up
        await wait_for(pilot, lambda: count_text(chat) == "2/2" and view.newer > 0, "the window moved up")
        await wait_for(pilot, lambda: "Where does the albatross nest?" in screen_text(pilot.app), "it on screen")
        await wait_for(pilot, lambda: not pilot.app.animator.is_being_animated(view, "scroll_y"), "the scroll settled")
        await pilot.pause()
        place = (view.earlier, view.scroll_y)
        assert view.query(".-match")

        await pilot.press("escape")
        bar = bar_of(chat)
        await wait_for(pilot, lambda: not bar.active, "the bar closed")
        assert not view.query(".-match") and not view.query(".-current-match")
        await pilot.pause()
        assert (view.earlier, view.scroll_y) == place
        assert "Where does the albatross nest?" in screen_text(pilot.app)
        assert chat.query_one(Composer).has_focus  # back where the search was opened from


async def test_new_output_is_counted_while_the_search_is_open_and_the_view_stays(settings, seed):
    session = long_session(seed)
    async with open_chat(settings, session) as (pilot, chat):
        view = await opened_long(pilot, chat)
        await search(pilot, chat, "albatross")
        await wait_for(pilot, lambda: count_text(chat) == "1/2", "the count")
        await pilot.press("up")  # the older match, far up: the view leaves the end
        await wait_for(pilot, lambda: count_text(chat) == "2/2" and view.newer > 0, "the window moved up")
        place = view.earlier

        # Another client sends to the session: its message and the agent's echo of it match too.
        message = {"type": "user.message", "content": [{"type": "text", "text": "albatross again"}]}
        await pilot.app.backend.client.sessions.events.send(session["id"], [message])
        await wait_for(pilot, lambda: count_text(chat) == "4/4", "the new matches counted, the current one kept")
        assert view.earlier == place  # the view stayed on the current match


async def test_slash_searches_from_the_transcript_and_types_a_slash_in_the_composer(settings, seed):
    async with open_chat(settings, long_session(seed)) as (pilot, chat):
        await opened_long(pilot, chat)
        composer = chat.query_one(Composer)
        await pilot.press("slash")
        assert composer.text == "/" and not bar_of(chat).active
        await pilot.press("ctrl+up", "slash")
        bar = bar_of(chat)
        await wait_for(pilot, lambda: bar.active and bar.has_focus_within, "the bar open from the transcript")
        await pilot.press(*"islands")
        await wait_for(pilot, lambda: count_text(chat) == "1/1", "the count")
        await pilot.press("escape")
        await wait_for(pilot, lambda: chat.query_one(TranscriptView).has_focus, "back in the transcript")


async def test_the_filter_shows_one_kind_of_block_then_all_again(settings, seed):
    async with open_chat(settings, long_session(seed)) as (pilot, chat):
        view = await opened_long(pilot, chat)
        every = {b.id for b in chat.transcript}

        def shown_kinds() -> set[type]:
            return {type(chat.transcript.get(widget.block_id)) for widget in view.block_widgets}

        view.focus()
        await pilot.press("f")
        await wait_for(pilot, lambda: shown_kinds() == {UserMessageBlock, AgentMessageBlock}, "messages only")
        messages = len(blocks_of(chat, UserMessageBlock)) + len(blocks_of(chat, AgentMessageBlock))
        assert view.earlier + len(view.block_widgets) == messages  # the count is of messages
        assert "messages only" in screen_text(pilot.app)

        await pilot.press("f")
        await wait_for(pilot, lambda: shown_kinds() == {ToolCallBlock}, "tool calls only")
        assert "tool calls only" in screen_text(pilot.app)

        # The search looks only at what the filter shows, and says so.
        await search(pilot, chat, "albatross")
        await wait_for(pilot, lambda: count_text(chat) == "no match", "no tool call mentions it")
        bar_of(chat).query_one("#search-input").value = "report-060"
        await wait_for(pilot, lambda: count_text(chat) == "1/1 in tool calls", "found among the calls")

        await pilot.press("ctrl+up", "f", "f")  # errors only (there are none), then all again
        await wait_for(pilot, lambda: view.only == "all" and view.block_widgets, "all again")
        await wait_for(pilot, lambda: len(shown_kinds()) > 3, "every kind shown again")
        assert view.earlier + len(view.block_widgets) == len(every)
        assert "only ·" not in screen_text(pilot.app)


def test_snapshot_of_the_search_bar_with_a_highlighted_match(snap_compare, settings, seed):
    session = seed.session(seed.environment(), seed.agent(), title="Short")
    history = long_history(
        "Where does the albatross nest?", "The albatross nests on islands; **albatross** chicks wait."
    )
    seed_history(seed, session, history[-18:])  # three turns: every block mounted, the look fixed

    async def run_before(pilot) -> None:
        chat = await start(pilot, session)
        await settled(pilot, chat)
        await search(pilot, chat, "albatross")
        await wait_for(pilot, lambda: count_text(chat) == "1/2", "the count")
        await settled(pilot, chat)

    assert snap_compare(ChatApp(settings), terminal_size=TERMINAL, run_before=run_before)


async def test_double_clicking_the_search_bar_selects_its_text_and_the_search_goes_on(settings, seed):
    async with open_chat(settings, long_session(seed)) as (pilot, chat):
        await opened_long(pilot, chat)
        bar = await search(pilot, chat, "albatross")
        await wait_for(pilot, lambda: count_text(chat) == "1/2", "the count")
        await pilot.click(bar, offset=(0, 0), times=2)  # on the bar's own padding, not a child
        await pilot.pause()
        assert bar in pilot.app.screen.selections
        assert bar.active and count_text(chat) == "1/2"
