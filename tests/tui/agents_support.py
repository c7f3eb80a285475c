"""The whole app against the test runtime, opened on the Agents (f4) or Skills (f7) screen."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot

from app.tui.app import AgentDeckApp
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for

SKILL_MD = "---\nname: pdf-tools\ndescription: Fill PDF forms.\n---\n\nUse pdftk.\n"


@asynccontextmanager
async def on_screen(settings, key: str, shows: str) -> AsyncIterator[Pilot]:
    """The app, connected, after ``key`` opened a screen that shows ``shows``."""
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.backend is not None, "the backend")
        await pilot.press(key)
        await wait_for(pilot, lambda: shows in screen_text(app), shows)
        yield pilot


def agent(seed, agent_id: str) -> dict:
    return seed.http.get(f"/v1/agents/{agent_id}").json()


def upload_skill(seed, folder: str = "pdf-tools", skill_md: str = SKILL_MD) -> dict:
    files = [("files[]", (f"{folder}/SKILL.md", skill_md.encode(), "text/markdown"))]
    reply = seed.http.post("/v1/skills", files=files)
    reply.raise_for_status()
    return reply.json()


def make_skill_folder(root, name: str = "pdf-tools", skill_md: str = SKILL_MD):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(skill_md)
    return folder
