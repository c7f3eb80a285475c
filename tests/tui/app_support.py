"""The base of the small test apps that host one part of the TUI against the test runtime.

:class:`ConnectedApp` connects like AgentDeckApp does: once mounted, ``backend`` is a real
``Backend`` to the settings' API (closed at unmount); ``connected`` is where a subclass starts its
widgets; every notification is also kept in ``notices``.
"""

from __future__ import annotations

from textual.app import App

from app.config import Settings
from app.styles import stylesheets
from app.tui.backend import Backend


class ConnectedApp(App[None]):
    """An app with the real stylesheets and a ``Backend`` to ``settings``' API."""

    CSS_PATH = stylesheets()

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.backend: Backend | None = None
        self.notices: list[str] = []

    async def on_mount(self) -> None:
        self.backend = await Backend.connect(self.settings)
        self.connected()

    def connected(self) -> None:
        """Called once ``backend`` is connected."""

    async def on_unmount(self) -> None:
        if self.backend is not None:
            await self.backend.aclose()

    def notify(self, message: str, **options) -> None:
        self.notices.append(message)
        super().notify(message, **options)
