"""Snapshot of the session info screen over the sessions pane (a stored session: fixed ids, times
and usage, so nothing on screen depends on the clock).

Update with ``pytest tests/tui/test_snapshots_session_info.py --snapshot-update`` after a deliberate change.
"""

from __future__ import annotations

from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.session_info_support import CREATED, stored_session
from tests.tui.sessions_support import PaneApp, frozen_clock


def test_session_info_screen(snap_compare, settings, seed) -> None:
    stored_session(seed)
    app = PaneApp(settings, clock=frozen_clock({"created_at": CREATED}), poll_interval=60)

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.pane.rows, what="the row")
        await pilot.press("I")
        await wait_for(pilot, lambda: "median" in screen_text(app), what="the tool statistics")

    assert snap_compare(app, terminal_size=TERMINAL, run_before=run_before)
