"""A small app around SessionsPane for the sessions tests, ways to run it and open its form, a frozen clock.

The app connects a real ``Backend`` (the test runtime over loopback) like AgentDeckApp does, and
records the messages the pane posts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.pilot import Pilot

from app.api.models import parse_time
from app.tui.messages import SessionOpened, SessionsChanged
from app.tui.screens.session_form import SessionFormScreen
from app.tui.widgets.footer import Footer
from app.tui.widgets.sessions import SessionsPane
from tests.tui.app_support import ConnectedApp
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for


class PaneApp(ConnectedApp):
    """Only the sessions stylesheet (so these tests and snapshots do not follow other panes' styles)."""

    CSS = "#left { width: 44; }"

    def __init__(self, settings, *, clock: Callable[[], datetime] | None = None, poll_interval: float = 0.2) -> None:
        super().__init__(settings)
        self.clock = clock
        self.poll_interval = poll_interval
        self.opened: list[str] = []
        self.changes = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield SessionsPane(id="sessions", clock=self.clock, poll_interval=self.poll_interval)
        yield Footer()

    def connected(self) -> None:
        pane = self.query_one(SessionsPane)
        pane.refresh_sessions()  # as MainScreen.connected does
        pane.query_one("SessionTable").focus()

    def on_session_opened(self, message: SessionOpened) -> None:
        self.opened.append(message.session_id)

    def on_sessions_changed(self, message: SessionsChanged) -> None:
        self.changes += 1

    @property
    def pane(self) -> SessionsPane:
        return self.query_one(SessionsPane)


@asynccontextmanager
async def listing(settings, rows: int, **options) -> AsyncIterator[tuple[PaneApp, Pilot]]:
    """Run a PaneApp (made with ``options``) on the test terminal until it lists ``rows`` sessions."""
    app = PaneApp(settings, **options)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: len(app.pane.rows) == rows, what=f"{rows} session rows")
        yield app, pilot


async def open_form(pilot: Pilot) -> SessionFormScreen:
    """Press n in the pane and wait for the new session form, its choices loaded."""
    await pilot.press("n")
    form = await wait_for(
        pilot,
        lambda: isinstance(pilot.app.screen, SessionFormScreen) and pilot.app.screen._loaded and pilot.app.screen,
        what="the form",
    )
    await pilot.pause()
    return form


def frozen_clock(*sessions: dict, after: timedelta = timedelta(minutes=5)) -> Callable[[], datetime]:
    """A clock stopped ``after`` the newest of ``sessions`` was created (ages then read e.g. "5m")."""
    moment = max(parse_time(s["created_at"]) for s in sessions) + after
    return lambda: moment
