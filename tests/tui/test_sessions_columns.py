"""The sessions pane's status, tokens and cost columns (and which go when it narrows), its order by
last activity, the filter on ids, and deleting a session (confirmed), against the embedded runtime."""

from __future__ import annotations

import time

import httpx

from app.api.models import Session
from app.tui import format
from app.tui.app import AgentDeckApp
from app.tui.screens.confirm import ConfirmScreen
from app.tui.widgets.session_rows import COLUMNS, layout, tokens_of
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.sessions_support import PaneApp, listing


class WidePaneApp(PaneApp):
    """The pane as wide as a wide left column would make it."""

    CSS = "#left { width: 80; }"


def row_keys(app: PaneApp) -> list[str]:
    return list(app.pane.rows)


def server_session(seed, session: dict) -> httpx.Response:
    return seed.http.get(f"/v1/sessions/{session['id']}")


def turns_done(seed, session: dict, turns: int) -> None:
    """Wait until the server has ended ``turns`` turns of ``session``."""
    for _ in range(500):
        idle = seed.http.get(f"/v1/sessions/{session['id']}/events", params={"types[]": "session.status_idle"})
        if len(idle.json()["data"]) >= turns:
            return
        time.sleep(0.02)
    raise AssertionError("the turn never ended")


def test_narrow_panes_drop_columns_rather_than_wrap() -> None:
    everything = sum(column.width + 2 for column in COLUMNS) + 12 + 2
    assert [c.key for c in layout(everything)[0]] == ["title", "status", "agent", "tokens", "cost", "age"]
    # The app's left column: 44 cells wide (42 inside, 41 beside the scrollbar), 32 below 110 columns.
    assert [c.key for c in layout(41)[0]] == ["title", "tokens", "cost", "age"]
    assert [c.key for c in layout(29)[0]] == ["title", "cost", "age"]
    assert [c.key for c in layout(10)[0]] == ["title"]
    for width in (29, 41, everything):
        columns, title = layout(width)
        assert title + 2 + sum(c.width + 2 for c in columns[1:]) == width  # the row fills the pane, no more


def test_counts_and_costs_fit_their_cells() -> None:
    assert [format.count(n) for n in (None, 0, 812, 4_230, 37_400, 1_540_000, 98_000_000)] == [
        "–",
        "0",
        "812",
        "4.2k",
        "37k",
        "1.5M",
        "98M",
    ]

    def cost(amount: str | None) -> str:
        usage = {"list_cost": {"amount": amount, "currency": "USD"}} if amount is not None else {}
        return format.cost(
            Session.model_validate(
                {
                    "id": "sesn_1",
                    "status": "idle",
                    "environment_id": "env_1",
                    "usage": usage,
                    "created_at": "2026-05-02T09:00:00Z",
                    "updated_at": "2026-05-02T09:00:00Z",
                    "agent": {"type": "agent", "id": "agent_1", "version": 1, "name": "a", "model": {"id": "m"}},
                }
            )
        )

    assert [cost(a) for a in (None, "0", "42", "1230", "12345", "2500000")] == [
        "–",
        "$0.00",
        "$0.42",
        "$12.30",
        "$123",
        "$25k",
    ]


async def test_a_wide_pane_shows_status_agent_tokens_and_cost(settings, seed) -> None:
    env, agent = seed.environment(), seed.agent("helper")
    busy = seed.session(env, agent, "busy")
    seed.session(env, agent, "quiet")
    seed.say(busy, "hello")
    turns_done(seed, busy, 1)
    tokens = format.count(tokens_of(Session.model_validate(server_session(seed, busy).json())))
    assert tokens != "–"  # the runtime reports the turn's usage
    app = WidePaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: len(row_keys(app)) == 2, what="two rows")
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Title" in line)
        for name in ("Status", "Agent", "Tokens", "Cost", "Age"):
            assert name in header
        busy_line = next(line for line in lines if "busy" in line)
        assert "idle" in busy_line and "helper" in busy_line and tokens in busy_line and "$0.00" in busy_line
        quiet_line = next(line for line in lines if "quiet" in line)
        assert quiet_line.count("–") == 2  # no usage reported yet
    async with listing(settings, 2) as (app, pilot):  # the app's 44-cell column: tokens and cost stay
        header = next(line for line in screen_text(app).splitlines() if "Title" in line)
        assert "Tokens" in header and "Cost" in header and "Status" not in header and "Agent" not in header


async def test_the_latest_activity_comes_first(settings, seed) -> None:
    env, agent = seed.environment(), seed.agent()
    first, second, third = (seed.session(env, agent, title) for title in ("first", "second", "third"))
    async with listing(settings, 3) as (app, pilot):
        assert row_keys(app) == [third["id"], second["id"], first["id"]]
        seed.say(first, "hello")  # the oldest session becomes the latest active
        await wait_for(pilot, lambda: row_keys(app)[0] == first["id"], what="the active session on top")
        assert row_keys(app) == [first["id"], third["id"], second["id"]]


async def test_the_filter_matches_ids_too(settings, seed) -> None:
    env, agent = seed.environment(), seed.agent()
    one, two = seed.session(env, agent, "alpha"), seed.session(env, agent, "beta")
    async with listing(settings, 2) as (app, pilot):
        await pilot.press("slash", *two["id"][-8:])
        await wait_for(pilot, lambda: row_keys(app) == [two["id"]], what="the session with that id")
        await pilot.press("escape", "slash", *"alp")
        await wait_for(pilot, lambda: row_keys(app) == [one["id"]], what="the session with that title")


async def test_delete_asks_first_and_cancel_keeps_the_session(settings, seed) -> None:
    session = seed.session(seed.environment(), seed.agent(), "keep me")
    async with listing(settings, 1) as (app, pilot):
        await pilot.press("d")
        confirm = await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen) and app.screen, what="confirm")
        assert "cannot be undone" in confirm.question and "archiving" in confirm.question
        assert [str(b.label) for b in confirm.query("Button")] == ["No", "Delete"]
        await pilot.press("n")
        await pilot.pause()
        assert row_keys(app) == [session["id"]]
        assert server_session(seed, session).status_code == 200


async def test_delete_confirmed_removes_the_session_here_and_on_the_server(settings, seed) -> None:
    env, agent = seed.environment(), seed.agent()
    kept, doomed = seed.session(env, agent, "kept"), seed.session(env, agent, "doomed [x]")
    async with listing(settings, 2) as (app, pilot):
        assert app.pane.selected_session_id == doomed["id"]
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: row_keys(app) == [kept["id"]], what="the row to go")
        assert "Deleted the session “doomed [x]”." in app.notices
        assert server_session(seed, doomed).status_code == 404
        await pilot.pause(0.5)  # polls that follow do not bring it back
        assert row_keys(app) == [kept["id"]]


async def test_a_failed_delete_says_why(settings, seed) -> None:
    session = seed.session(seed.environment(), seed.agent(), "gone already")
    async with listing(settings, 1) as (app, pilot):
        seed.http.delete(f"/v1/sessions/{session['id']}").raise_for_status()  # deleted elsewhere meanwhile
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: any("Could not delete the session" in n for n in app.notices), what="error")


async def test_deleting_the_open_session_tells_the_chat(settings, seed) -> None:
    session = seed.session(seed.environment(), seed.agent(), "open one")
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.backend is not None, what="the backend")
        sessions = app.main_screen.sessions
        await wait_for(pilot, lambda: sessions.selected_session_id == session["id"], what="the row")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main_screen.chat.session_id == session["id"], what="the chat")
        app.main_screen.focus_pane(sessions)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: "This session has been deleted" in screen_text(app), what="the chat says so")
        assert app.query_one("#chat-composer").disabled
