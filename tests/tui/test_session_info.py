"""The session info screen against the embedded runtime: its sections, tool statistics, cost
against the budget, copying a row, and opening it from the sessions pane, the chat and the palette."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot

from app.api.models import Session
from app.tui.app import AgentDeckApp
from app.tui.chat.composer import Composer
from app.tui.chat.view import ChatView
from app.tui.screens.session_info import LOADING, SessionInfoScreen, cost_line
from tests.tui.chat_support import open_chat
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.session_info_support import AGENT_ID, ENV_ID, SESSION_ID, THREAD_ID, stored_session
from tests.tui.sessions_support import listing


async def info_shown(pilot, *, loaded: str = "median") -> SessionInfoScreen:
    """Wait for the info screen with its tool statistics in."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, SessionInfoScreen), what="the info screen")
    await wait_for(pilot, lambda: loaded in screen_text(app) and LOADING not in screen_text(app), what="the stats")
    return app.screen


async def test_info_from_the_sessions_pane_shows_every_section_and_per_tool_stats(settings, seed) -> None:
    stored_session(seed)
    async with listing(settings, 1) as (app, pilot):
        await pilot.press("I")
        await info_shown(pilot)
        text = screen_text(app)
        for shown in (
            SESSION_ID,
            ENV_ID,
            AGENT_ID,
            THREAD_ID,
            "Fix the login bug [urgent]",  # as typed, not read as markup
            "dev",
            "helper",
            "claude-sonnet-4-6",
            "https://github.com/acme/shop → /workspace/shop",
            "ticket",
            "ENG-42",
            "2026-05-02 09:00:00 UTC",
            "2026-05-02 09:12:30 UTC",
            "1m23s",
            "12m30s",
            "1,200",
            "3,400",
            "52,000",
            "800",
            "$0.42 of $25.00 (2%)",
            "3 calls · 1 failed · median 2.0s",
            "1 call · 0 failed · median 1.0s",
        ):
            assert shown in text, shown
        bash_line = next(line for line in text.splitlines() if "3 calls" in line)
        assert "bash" in bash_line
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionInfoScreen), what="closed")


async def test_c_copies_the_highlighted_row_with_the_clipboard(settings, seed) -> None:
    stored_session(seed)
    async with listing(settings, 1) as (app, pilot):
        copied: list[str] = []
        copy = app.copy_to_clipboard

        def capture(text: str) -> None:
            copied.append(text)
            copy(text)

        app.copy_to_clipboard = capture
        await pilot.press("I")
        await info_shown(pilot)
        await pilot.press("c")  # the first row: the session id
        await pilot.press("down", "enter")  # the next: the primary thread's
        assert copied == [SESSION_ID, THREAD_ID]
        assert f"Copied session id: {SESSION_ID}" in app.notices


def test_cost_against_the_budget_or_none() -> None:
    def session(cost: str, budget: dict | None) -> Session:
        return Session.model_validate(
            {
                "id": "sesn_1",
                "status": "idle",
                "environment_id": "env_1",
                "created_at": "2026-05-02T09:00:00Z",
                "updated_at": "2026-05-02T09:00:00Z",
                "agent": {
                    "type": "agent",
                    "id": "agent_1",
                    "version": 1,
                    "name": "a",
                    "model": {"id": "m"},
                    "tools": [],
                    "mcp_servers": [],
                    "skills": [],
                },
                "usage": {"list_cost": {"amount": cost, "currency": "USD"}},
                "budget": budget,
            }
        )

    limit = {"type": "limit", "max_list_cost": {"amount": "2500", "currency": "USD"}}
    assert cost_line(session("42", limit)) == "$0.42 of $25.00 (2%)"
    assert cost_line(session("2500", limit)) == "$25.00 of $25.00 (100%)"
    assert cost_line(session("42", None)) == "$0.42 · no budget"


async def test_a_session_that_is_gone_says_so_in_one_line(settings, seed) -> None:
    seed.session(seed.environment(), seed.agent())
    async with listing(settings, 1) as (app, pilot):
        app.push_screen(SessionInfoScreen("sesn_does_not_exist"))
        await wait_for(pilot, lambda: "Could not load the session" in screen_text(app), what="the error")
        assert "Traceback" not in screen_text(app)


@asynccontextmanager
async def chat_after(settings, seed, command: str) -> AsyncIterator[tuple[Pilot, ChatView, dict]]:
    """A chat open on a session whose one turn ran ``command`` with bash."""
    session = seed.session(seed.environment(), seed.agent("helper"))
    seed.say(session, command)
    seed.wait_until_idle(session, "end_turn")
    async with open_chat(settings, session) as (pilot, chat):
        await wait_for(pilot, lambda: any(getattr(b, "name", None) == "bash" for b in chat.transcript), what="the call")
        yield pilot, chat, session


async def test_f2_and_I_in_the_transcript_open_the_open_sessions_info(settings, seed) -> None:
    async with chat_after(settings, seed, "!false") as (pilot, chat, session):
        await pilot.press("I")  # typed in the composer, it is a letter
        assert chat.query_one(Composer).text == "I"
        await pilot.press("f2")
        await info_shown(pilot)
        assert "1 call · 1 failed" in screen_text(pilot.app) and session["id"] in screen_text(pilot.app)
        await pilot.press("f2")  # f2 closes it again
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, SessionInfoScreen), what="closed")
        await pilot.press("ctrl+up", "I")
        await info_shown(pilot)


async def test_the_palette_command_opens_the_highlighted_sessions_info(settings, seed) -> None:
    session = seed.session(seed.environment(), seed.agent())
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.backend is not None, what="the backend")
        await wait_for(pilot, lambda: app.main_screen.sessions.selected_session_id, what="the session row")
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Session info")
        command.callback()
        screen = await info_shown(pilot, loaded="no tool calls")
        assert screen.session_id == session["id"]


async def test_the_screen_follows_a_running_session(settings, seed) -> None:
    async with chat_after(settings, seed, "!true") as (pilot, _chat, session):
        await pilot.press("f2")
        await info_shown(pilot)
        assert "1 call · 0 failed" in screen_text(pilot.app)
        seed.say(session, "!false")  # from elsewhere, while the screen is open
        await wait_for(pilot, lambda: "2 calls · 1 failed" in screen_text(pilot.app), what="the new call counted")
