"""Pilot helpers every TUI test shares: wait until a condition holds, read the screen as text.

The one copy of these helpers for tests/tui (the per-area ``*_support`` modules hold only their apps
and data builders): import ``wait_for``, ``screen_text`` and ``PATIENCE`` from here.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable
from typing import TypeVar

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

#: Hang guard for conditions that normally hold within a few frames (never a timing assertion).
PATIENCE = 20.0

T = TypeVar("T")


async def wait_for(pilot: Pilot, condition: Callable[[], T], what: str = "condition", timeout: float = PATIENCE) -> T:
    """Let the app run until ``condition()`` is truthy and return its value; fail after ``timeout`` s.

    Between checks the app runs for one frame's time: a plain sleep, not ``pilot.pause``, which at
    every check also waits for each widget on screen to answer a message (a fifth of the TUI
    suite's time went there)."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n--- screen ---\n{screen_text(pilot.app)}")
        await asyncio.sleep(0.02)
    return value


def screen_text(app: App) -> str:
    """What the terminal shows right now (the top screen over the ones below), as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()
