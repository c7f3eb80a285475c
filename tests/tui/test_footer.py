"""The footer: rebuilt when the keys it shows change, left alone when they do not."""

from __future__ import annotations

from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.sessions_support import listing


def footer_keys(app) -> list:
    """The footer's key widgets (new ones each time it is rebuilt)."""
    return list(app.screen.query("FooterKey"))


async def test_the_footer_is_rebuilt_only_when_its_keys_change(settings, seed) -> None:
    environment, agent = seed.environment(), seed.agent()
    seed.session(environment, agent, "Fix the login bug")
    async with listing(settings, 1) as (app, pilot):
        await pilot.press("slash")
        await wait_for(pilot, lambda: "esc Clear filter" in screen_text(app), "the filter's keys")
        assert "n New" not in screen_text(app)
        shown = footer_keys(app)
        await pilot.press("l", "o", "g")  # each keystroke asks the footer to refresh
        await pilot.pause()
        assert footer_keys(app) == shown  # the same widgets: not rebuilt
        await pilot.press("escape")  # the list's keys again
        await wait_for(pilot, lambda: "n New" in screen_text(app), "the list's keys")
