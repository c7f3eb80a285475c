"""``reopen_last_session``: the app remembers the session open in the chat and, when the config file
asks for it, opens it again at the next start (pilot tests of the whole app on loopback)."""

from __future__ import annotations

import dataclasses
import json

from app.tui.app import AgentDeckApp
from app.tui.state import STATE_FILE_NAME, UIState
from app.tui.widgets.sessions import SessionsPane
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for


async def open_in_a_first_run(settings, newest: dict, session: dict) -> None:
    """Run the app once and open ``session``, second in the sessions list after ``newest``, as a user would."""
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.backend is not None, "the backend")
        sessions = app.query_one(SessionsPane)
        await wait_for(pilot, lambda: sessions.selected_session_id == newest["id"], "the sessions, newest first")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.main_screen.chat.session_id == session["id"], "the chat")


async def settled(pilot) -> None:
    """The app is up, its lists are loaded and the look-up of the last session (started with the
    backend, when the setting is on) has finished."""
    app = pilot.app
    await wait_for(pilot, lambda: app.backend is not None, "the backend")
    await wait_for(pilot, lambda: app.query_one(SessionsPane).selected_session_id is not None, "the sessions")
    if reopening := [worker for worker in app.workers if worker.name == "reopen last session"]:
        await app.workers.wait_for_complete(reopening)
    await pilot.pause()


async def test_the_last_session_reopens_when_the_config_asks(settings, seed):
    environment, agent = seed.environment(), seed.agent()
    session = seed.session(environment, agent, "Pick me")
    newest = seed.session(environment, agent, "Newest")  # listed first: the one opened is not the obvious one
    await open_in_a_first_run(settings, newest, session)

    app = AgentDeckApp(dataclasses.replace(settings, reopen_last_session=True))
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.backend is not None, "the backend")
        await wait_for(pilot, lambda: app.main_screen.chat.session_id == session["id"], "the session reopened")
        assert app.focused.id == "chat-composer"


async def test_without_the_setting_no_session_opens(settings, seed):
    environment, agent = seed.environment(), seed.agent()
    session = seed.session(environment, agent)
    await open_in_a_first_run(settings, seed.session(environment, agent), session)

    app = AgentDeckApp(settings)  # reopen_last_session is off by default
    async with app.run_test(size=TERMINAL) as pilot:
        await settled(pilot)
        assert app.main_screen.chat.session_id is None


async def test_a_session_gone_since_is_a_quiet_note_and_forgotten(settings, seed):
    seed.session(seed.environment(), seed.agent())
    state_path = settings.data_dir / STATE_FILE_NAME
    UIState(last_session="sesn_gone_since").save(state_path)

    app = AgentDeckApp(dataclasses.replace(settings, reopen_last_session=True))
    async with app.run_test(size=TERMINAL) as pilot:
        await settled(pilot)
        notes = [(n.severity, str(n.message)) for n in app._notifications]
        assert len(notes) == 1 and notes[0][0] == "information" and "not reopened" in notes[0][1]
        assert app.main_screen.chat.session_id is None
    assert json.loads(state_path.read_text())["last_session"] is None
