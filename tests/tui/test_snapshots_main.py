"""Snapshot of the assembled main screen: environments, sessions and an open chat, as a user sees them.

Everything on screen is deterministic: the offline model answers the same way every time, the
sessions' ages come from a frozen clock, and the header's ephemeral port is pinned once connected.
"""

from __future__ import annotations

from app.tui.app import AgentDeckApp
from tests.tui.chat_support import settled
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for
from tests.tui.sessions_support import frozen_clock

HEADER = "Agent API · http://127.0.0.1:8760"


def test_main_screen_with_an_open_chat(snap_compare, settings, seed) -> None:
    dev, ops = seed.environment("dev"), seed.environment("ops")
    helper, careful = seed.agent("helper"), seed.agent("careful", ask=("bash",))
    cleanup = seed.session(ops, careful, "Clean the build cache")
    seed.say(cleanup, "!rm -rf build/")
    seed.wait_until_idle(cleanup, "requires_action")  # its last activity before the others' (the list's order)
    older = seed.session(dev, helper, "Fix the login bug")
    chat = seed.session(dev, helper, "List the project files")
    seed.say(chat, "!ls -a")
    seed.wait_until_idle(chat, "end_turn")
    app = AgentDeckApp(settings, clock=frozen_clock(cleanup, older, chat))

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.backend is not None, "the backend")
        sessions = app.main_screen.sessions
        await wait_for(pilot, lambda: len(sessions.rows) == 3, "three session rows")
        await pilot.press("enter")  # the newest session is under the cursor
        view = app.main_screen.chat
        await wait_for(pilot, lambda: view.session_id == chat["id"] and view.query_one("ChatHeader").state == "idle")
        await wait_for(pilot, lambda: view.transcript and view.query_one("ChatHeader").info.model, "the history")
        await settled(pilot, view)
        app.sub_title = HEADER

    assert snap_compare(app, terminal_size=TERMINAL, run_before=run_before)
