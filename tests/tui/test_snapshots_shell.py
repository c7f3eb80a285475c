"""Snapshots of the shell's screens in the assembled app: the help screen and the environment form.

The header would show the test runtime's ephemeral port, so ``run_before`` pins it to a fixed
label once the app is connected; everything else on screen is deterministic.
"""

from __future__ import annotations

from textual.widgets import Input

from app.tui.app import AgentDeckApp
from app.tui.screens.environment_form import EnvironmentForm
from app.tui.screens.help import HelpScreen
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for

HEADER = "Agent API · http://127.0.0.1:8760"


async def ready(pilot) -> None:
    """Connected, environments and (no) sessions listed, header pinned."""
    app = pilot.app
    await wait_for(pilot, lambda: app.backend is not None, "the backend")
    await wait_for(pilot, lambda: "dev-[sandbox]" in screen_text(app), "the environments")
    await wait_for(pilot, lambda: "No sessions yet" in screen_text(app), "the sessions")
    app.sub_title = HEADER


def test_help_screen(snap_compare, settings, seed):
    seed.environment("dev-[sandbox]")

    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help screen")

    assert snap_compare(AgentDeckApp(settings), terminal_size=TERMINAL, run_before=run_before)


def test_environment_form_with_field_errors(snap_compare, settings, seed):
    seed.environment("dev-[sandbox]")

    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("shift+tab", "n")  # focus starts on the sessions; the environments are above
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, EnvironmentForm), "the form")
        form = pilot.app.screen
        form.query_one("#env-description", Input).value = "shared [team] sandbox"
        await pilot.click("#net-limited")
        form.query_one("#env-hosts", Input).value = "pypi.org https://github.com/"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "a name is required" in screen_text(pilot.app), "the errors")

    assert snap_compare(AgentDeckApp(settings), terminal_size=TERMINAL, run_before=run_before)
