"""Pilot helpers of the shell's tests: wait on a condition, read the screen as text.

(tests/tui/chat_support.py holds the same two helpers for the chat tests; they belong in conftest.py.)
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

#: Hang guard for conditions that normally hold within a few frames.
PATIENCE = 20.0


async def wait_for(pilot: Pilot, condition: Callable[[], object], what: str, timeout: float = PATIENCE) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds (a hang guard only)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n--- screen ---\n{screen_text(pilot.app)}")
        await pilot.pause(0.05)


def screen_text(app: App) -> str:
    """What the terminal shows right now (the top screen over the ones below), as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()
