"""Shared pieces of the chat tests: a tiny app around ChatView, and picking blocks out of its transcript."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer

from app.config import Settings
from app.styles import styles_dir
from app.tui.backend import Backend
from app.tui.chat.view import ChatView


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


def blocks_of(chat: ChatView, kind: type) -> list:
    """The blocks of ``kind`` in the chat's transcript, oldest first."""
    return [block for block in chat.transcript if isinstance(block, kind)]
