"""Snapshots of the sessions pane and the new session form (fixed terminal, frozen clock).

Update with ``pytest tests/tui/test_snapshots_sessions.py --snapshot-update`` after a deliberate change.
"""

from __future__ import annotations

from textual.widgets import Input, TextArea

from app.tui.screens.session_form import NEW
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for
from tests.tui.sessions_support import PaneApp, frozen_clock, open_form


def steady_cursors(app) -> None:
    """No blinking cursors in a snapshot."""
    for widget in app.screen.query(Input).results():
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea).results():
        widget.cursor_blink = False


def test_sessions_pane(snap_compare, settings, seed) -> None:
    dev, ops = seed.environment("dev"), seed.environment("ops")
    helper, reviewer = seed.agent("helper"), seed.agent("reviewer-with-a-long-name", ask=("bash",))
    first = seed.session(dev, helper, "Fix the login bug")
    second = seed.session(dev, reviewer, "Review PR #42 [draft]")
    third = seed.session(ops, helper, "A rather long title that is clipped at the pane's edge")
    seed.say(second, "!ls")
    seed.wait_until_idle(second, "requires_action")
    app = PaneApp(settings, clock=frozen_clock(first, second, third), poll_interval=60)

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: len(app.pane.rows) == 3, what="three rows")

    assert snap_compare(app, terminal_size=TERMINAL, run_before=run_before)


def test_new_session_form_with_an_existing_agent(snap_compare, settings, seed) -> None:
    env = seed.environment("dev")
    agent = seed.agent("reviewer", ask=("bash",))
    earlier = seed.session(env, agent, "Earlier work")
    app = PaneApp(settings, clock=frozen_clock(earlier), poll_interval=60)

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.pane.rows, what="the row")
        await open_form(pilot)
        steady_cursors(app)

    assert snap_compare(app, terminal_size=TERMINAL, run_before=run_before)


def test_new_session_form_defining_an_agent_with_a_bad_field(snap_compare, settings, seed) -> None:
    seed.environment("dev")
    seed.agent("reviewer")
    app = PaneApp(settings, poll_interval=60)

    async def run_before(pilot) -> None:
        form = await open_form(pilot)
        form.query_one("#agent").value = NEW
        # The new agent's fields, their selects composed (setting one before that raised NoMatches now and then).
        await wait_for(pilot, lambda: form.query("#system") and form.query("#policy-bash #label"), what="the fields")
        form.query_one("#title").value = "Nightly triage"
        form.query_one("#system").text = "You triage issues [carefully]."
        form.query_one("#policy-bash").value = "always_ask"
        form.query_one("#tool-web_search").value = False
        form.query_one("#repo-url").value = "https://github.com/acme/tools"
        form.query_one("#repo-token").value = "ghp_secret_never_shown"
        form.query_one("#metadata").text = "team=infra\noops"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form.query_one("#session-form-error").display, what="the error")
        steady_cursors(app)

    assert snap_compare(app, terminal_size=TERMINAL, run_before=run_before)
