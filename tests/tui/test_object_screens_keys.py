"""The screens of the account's objects open with their function keys from anywhere, the chat's
composer included (a TextArea, which keeps f6 and f7 for itself unless the app's keys come first)."""

from __future__ import annotations

import pytest

from app.tui.app import AgentDeckApp
from app.tui.screens.agents import AgentsScreen
from app.tui.screens.files import FilesScreen
from app.tui.screens.memory_stores import MemoryStoresScreen
from app.tui.screens.skills import SkillsScreen
from app.tui.screens.vaults import VaultsScreen
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for

SCREENS = [
    ("f3", FilesScreen),
    ("f4", AgentsScreen),
    ("f5", VaultsScreen),
    ("f6", MemoryStoresScreen),
    ("f7", SkillsScreen),
]


@pytest.mark.parametrize(("key", "screen"), SCREENS, ids=[key for key, _ in SCREENS])
async def test_a_function_key_opens_its_screen_from_the_composer(settings, key, screen):
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.backend is not None, "the backend")
        composer = app.main_screen.chat.query_one("#chat-composer")
        composer.focus()
        await wait_for(pilot, lambda: composer.has_focus, "the composer focused")
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, screen), f"{key} opening {screen.__name__}")
        assert composer.text == ""


async def test_one_object_screen_takes_the_place_of_another_so_escape_leads_home(settings):
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.backend is not None, "the backend")
        for key, screen in SCREENS:
            await pilot.press(key)
            await wait_for(
                pilot, lambda screen=screen: isinstance(app.screen, screen), f"{key} opening {screen.__name__}"
            )
        assert len(app.screen_stack) == 2  # the main screen and the last one opened
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main_screen, "back on the main screen")
