"""The threads strip of a multi-agent session, against the embedded runtime: a coordinator delegates
``!echo hi`` to its roster agent "helper"; the strip lists the helper's thread with its status, and
picking it shows the child's own transcript until escape goes back to the session's."""

from __future__ import annotations

from app.api.transcript_blocks import EventBlock, ToolCallBlock
from app.tui.chat.composer import Composer
from app.tui.chat.header import ChatHeader
from app.tui.chat.permission import PermissionPrompt
from app.tui.chat.threads import ThreadStrip
from app.tui.chat.transcript_view import TranscriptView
from tests.tui.chat_support import ChatApp, answers, open_chat, say, settled, start
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for


def coordinated_session(seed, title: str = "Delegation", ask: tuple[str, ...] = ()) -> dict:
    helper = seed.agent("helper", ask=ask)
    lead = seed.post(
        "/v1/agents",
        {
            "name": "lead",
            "model": "claude-sonnet-4-6",
            "tools": [{"type": "agent_toolset_20260401"}],
            "multiagent": {"type": "coordinator", "agents": [helper["id"]]},
        },
    )
    return seed.session(seed.environment("dev box"), lead, title=title)


async def delegated(pilot, chat) -> ThreadStrip:
    """Send the delegation and wait until the helper's thread is idle in the strip and the
    coordinator has answered."""
    await say(pilot, "/delegate helper !echo hi")
    strip = chat.query_one(ThreadStrip)

    def done() -> bool:
        chips = strip.chips
        return (
            strip.display
            and len(chips) == 2
            and chips[1].name == "helper"
            and chips[1].status == "idle"
            and chips[1].tokens is not None
            and any("helper` answered" in text for text in answers(chat))
            and chat.query_one(ChatHeader).state == "idle"
        )

    await wait_for(pilot, done, "the helper's thread idle in the strip")
    return strip


async def test_the_strip_lists_the_child_thread_and_shows_its_transcript(settings, seed):
    session = coordinated_session(seed)
    async with open_chat(settings, session) as (pilot, chat):
        strip = chat.query_one(ThreadStrip)
        assert not strip.display  # no child thread yet: the chat looks as usual
        strip = await delegated(pilot, chat)
        primary, child = strip.chips
        assert primary.primary and primary.name == "lead" and child.status == "idle"
        # the coordinator's own usage, as the threads list has it once its turn ended
        await wait_for(pilot, lambda: (strip.chips[0].tokens or 0) > 0, "the coordinator's tokens")
        await wait_for(pilot, lambda: "○ helper idle" in screen_text(pilot.app), "the helper's chip")
        assert "main · lead" in screen_text(pilot.app)

        view = chat.query_one(TranscriptView)
        view.focus()
        await pilot.press("right_square_bracket")  # the next thread: the helper's
        header = chat.query_one(ChatHeader)
        assert strip.selected == child.id and header.thread == "helper"

        def child_shown() -> bool:
            calls = [b for b in view.transcript if isinstance(b, ToolCallBlock)]
            text = screen_text(pilot.app)
            return (
                view.transcript is not chat.transcript
                and calls
                and calls[0].input == {"command": "echo hi"}
                and calls[0].state == "ok"
                and "echo hi" in text
                and "showing thread helper" in text
            )

        await wait_for(pilot, child_shown, "the helper's own transcript")
        call = next(b for b in view.transcript if isinstance(b, ToolCallBlock))
        assert "hi" in call.result_text
        await settled(pilot, chat)
        assert "hi" in screen_text(pilot.app).split("echo hi", 1)[1]  # the command's output under it

        await pilot.press("escape")  # back to the session's transcript
        assert strip.selected is None and header.thread is None
        await wait_for(pilot, lambda: view.transcript is chat.transcript, "the session's transcript")
        await wait_for(pilot, lambda: "helper answered:" in screen_text(pilot.app), "the coordinator's answer")
        assert "showing thread" not in screen_text(pilot.app)

        # a click on the helper's chip shows it again; the same key cycles back to main
        await pilot.click(ThreadStrip, offset=(strip._spans[1][0] + 3, 0))
        await wait_for(pilot, lambda: strip.selected == child.id and view.transcript is not chat.transcript, "clicked")
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: strip.selected is None and view.transcript is chat.transcript, "back to main")

        composer = chat.query_one(Composer)  # in the composer the bracket keys are text
        composer.focus()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert composer.text == "]" and strip.selected is None


async def test_escape_on_a_running_child_stops_only_that_thread(settings, seed):
    session = coordinated_session(seed, title="Long delegation")
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "/delegate helper !sleep 60")
        strip = chat.query_one(ThreadStrip)
        running = lambda: len(strip.chips) == 2 and strip.chips[1].status == "running"  # noqa: E731
        await wait_for(pilot, running, "the helper's thread running")
        child = strip.chips[1].id
        view = chat.query_one(TranscriptView)
        view.focus()
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: strip.selected == child, "the helper's transcript")
        await pilot.press("escape")  # the child runs: escape stops it, and only it
        await wait_for(pilot, lambda: strip.chips[1].status == "idle", "the helper's thread stopped")
        interrupts = [b for b in chat.transcript if isinstance(b, EventBlock) and b.type == "user.interrupt"]
        assert [b.raw.get("session_thread_id") for b in interrupts] == [child]
        assert strip.selected == child, "still showing the helper's transcript"
        await pilot.press("escape")  # now idle: escape goes back to main
        await wait_for(pilot, lambda: strip.selected is None, "back to main")


def test_chat_with_a_threads_strip(snap_compare, settings, seed):
    session = coordinated_session(seed, title="Delegation")

    async def run_before(pilot) -> None:
        chat = await start(pilot, session)
        await delegated(pilot, chat)
        await settled(pilot, chat)

    assert snap_compare(ChatApp(settings), terminal_size=TERMINAL, run_before=run_before)


def test_a_child_threads_own_transcript(snap_compare, settings, seed):
    session = coordinated_session(seed, title="Delegation")

    async def run_before(pilot) -> None:
        chat = await start(pilot, session)
        strip = await delegated(pilot, chat)
        view = chat.query_one(TranscriptView)
        view.focus()
        await pilot.press("right_square_bracket")
        await wait_for(
            pilot, lambda: strip.selected is not None and view.transcript is not chat.transcript, "the child"
        )
        await wait_for(pilot, lambda: any(isinstance(b, ToolCallBlock) for b in view.transcript), "its call")
        await settled(pilot, chat)

    assert snap_compare(ChatApp(settings), terminal_size=TERMINAL, run_before=run_before)


def test_a_delegated_call_awaiting_approval(snap_compare, settings, seed):
    session = coordinated_session(seed, title="Careful delegation", ask=("bash",))

    async def run_before(pilot) -> None:
        chat = await start(pilot, session)
        await say(pilot, "/delegate helper !echo hi")
        prompt = chat.query_one(PermissionPrompt)
        await wait_for(pilot, lambda: prompt.display and prompt.approval is not None, "the prompt")
        await settled(pilot, chat)

    assert snap_compare(ChatApp(settings), terminal_size=TERMINAL, run_before=run_before)
