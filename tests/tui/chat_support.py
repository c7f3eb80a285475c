"""Shared pieces of the chat tests: a tiny app around ChatView, opening a session in it, talking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from textual.app import ComposeResult
from textual.pilot import Pilot

from app.api.transcript_blocks import AgentMessageBlock
from app.config import Settings
from app.tui.chat.composer import Composer
from app.tui.chat.header import ChatHeader
from app.tui.chat.permission import PermissionPrompt
from app.tui.chat.transcript_view import TranscriptView
from app.tui.chat.view import ChatView
from app.tui.widgets.footer import Footer
from tests.tui.app_support import ConnectedApp
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for


class ChatApp(ConnectedApp):
    """Only the chat view (plus a footer), connected to the settings' API like the real app."""

    def compose(self) -> ComposeResult:
        yield ChatView(id="chat")
        yield Footer()

    @property
    def chat(self) -> ChatView:
        return self.query_one(ChatView)


def blocks_of(chat: ChatView, kind: type) -> list:
    """The blocks of ``kind`` in the chat's transcript, oldest first."""
    return [block for block in chat.transcript if isinstance(block, kind)]


def answers(chat: ChatView) -> list[str]:
    """The texts of the agent's finished messages, oldest first."""
    return [b.text for b in blocks_of(chat, AgentMessageBlock) if not b.streaming]


def connection_state(chat: ChatView) -> str | None:
    """The state of the open session's feed as the header shows it; None until the feed reports one
    (opening a session clears the previous one's)."""
    connection = chat.query_one(ChatHeader).connection
    return connection.state if connection is not None else None


async def start(pilot: Pilot, session: dict) -> ChatView:
    """Wait for the backend, open ``session`` and wait for its history to be in the view."""
    app = pilot.app
    await wait_for(pilot, lambda: app.backend is not None, "the backend")
    chat = app.chat
    chat.open_session(session["id"])
    chat.focus_composer()
    await wait_for(pilot, lambda: chat.query_one(ChatHeader).info.model is not None, "the session's details")
    await wait_for(pilot, lambda: connection_state(chat) == "live", "the live feed")
    return chat


@asynccontextmanager
async def open_chat(settings: Settings, session: dict, **run_options: Any) -> AsyncIterator[tuple[Pilot, ChatView]]:
    """Run a ChatApp on the test terminal with ``session`` open and live; yield its pilot and chat view."""
    async with ChatApp(settings).run_test(**{"size": TERMINAL, **run_options}) as pilot:
        yield pilot, await start(pilot, session)


async def say(pilot: Pilot, text: str) -> None:
    """Type ``text`` in the composer and send it with enter."""
    composer = pilot.app.query_one(Composer)
    composer.focus()
    composer.insert(text)
    await pilot.press("enter")


async def ask_to_run(pilot: Pilot, chat: ChatView, command: str) -> PermissionPrompt:
    """Send ``!command`` to an agent that asks before bash; wait until the prompt asks about it."""
    prompt = chat.query_one(PermissionPrompt)
    await say(pilot, f"!{command}")

    def asking() -> bool:
        return prompt.display and prompt.approval is not None and prompt.approval.input.get("command") == command

    await wait_for(pilot, asking, f"the prompt for {command!r}")
    return prompt


async def settled(pilot: Pilot, chat: ChatView) -> None:
    """Every block of the transcript shown (the session's, or a child thread's) is on screen and up
    to date, the footer's keys are refreshed, and the app has gone idle after drawing them."""
    view = chat.query_one(TranscriptView)

    def shown() -> bool:
        blocks = {w.block_id for w in view.block_widgets} == {b.id for b in view.transcript}
        return view.up_to_date and blocks and not chat.keys_waiting

    await wait_for(pilot, shown, "every block shown")
    await pilot.pause()
