"""Snapshots of the chat view (fixed terminal size, offline model, nothing time-dependent on screen)."""

from __future__ import annotations

from tests.tui.chat_support import ChatApp, answers, ask_to_run, say, settled, start
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for


def test_chat_after_a_streamed_answer(snap_compare, settings, seed):
    session = seed.session(seed.environment("dev box"), seed.agent(), title="Release notes [draft]")

    async def run_before(pilot) -> None:
        chat = await start(pilot, session)
        await say(pilot, "Summarise list[int] [/] in one line")
        await wait_for(pilot, lambda: answers(chat) and chat.query_one("ChatHeader").state == "idle", "the answer")
        await settled(pilot, chat)

    assert snap_compare(ChatApp(settings), terminal_size=TERMINAL, run_before=run_before)


def test_chat_with_a_permission_prompt(snap_compare, settings, seed):
    session = seed.session(seed.environment("dev box"), seed.agent(ask=("bash",)), title="Cleanup")

    async def run_before(pilot) -> None:
        chat = await start(pilot, session)
        await ask_to_run(pilot, chat, "rm -rf build/")
        await settled(pilot, chat)

    assert snap_compare(ChatApp(settings), terminal_size=TERMINAL, run_before=run_before)
