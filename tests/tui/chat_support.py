"""Shared pieces of the chat tests: a tiny app around ChatView, waiting on conditions, screen text."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from rich.console import Console
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer

from app.config import Settings
from app.styles import styles_dir
from app.tui.backend import Backend

from app.tui.chat.view import ChatView

#: Generous hang guard for conditions that normally hold within a few flushes.
PATIENCE = 20.0


class ChatApp(App):
    """Only the chat view (plus a footer), connected to the settings' API like the real app."""

    CSS_PATH = sorted(str(path) for path in styles_dir().glob("*.tcss"))

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.backend: Backend | None = None

    def compose(self) -> ComposeResult:
        yield ChatView(id="chat")
        yield Footer()

    async def on_mount(self) -> None:
        self.backend = await Backend.connect(self.settings)

    async def on_unmount(self) -> None:
        if self.backend is not None:
            await self.backend.aclose()

    @property
    def chat(self) -> ChatView:
        return self.query_one(ChatView)


async def wait_for(pilot: Pilot, condition: Callable[[], object], what: str, timeout: float = PATIENCE) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds (a hang guard only)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n--- screen ---\n{screen_text(pilot.app)}")
        await pilot.pause(0.05)


def screen_text(app: App) -> str:
    """What the terminal shows right now, as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def blocks_of(chat: ChatView, kind: type) -> list:
    return [block for block in chat.transcript if isinstance(block, kind)]
