"""The quiet collector: full garbage collections wait for a pause in the user's typing."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.app import App
from textual.pilot import Pilot

from app.tui import collector as quiet
from app.tui.collector import QuietCollector
from tests.tui.pilot_support import wait_for


def make_garbage(rounds: int) -> None:
    """Allocate cycles for about ``rounds`` collections of the middle generation (what the
    backlog counts)."""
    young, middle, _ = gc.get_threshold()
    for _ in range(rounds * young * middle):
        cycle: list = []
        cycle.append(cycle)


@asynccontextmanager
async def collecting() -> AsyncIterator[tuple[Pilot, QuietCollector]]:
    """A bare app with a started collector; the collector stopped and the heap unfrozen after the block."""
    collector = None
    try:
        async with App().run_test() as pilot:
            collector = QuietCollector(pilot.app)
            collector.start()
            yield pilot, collector
    finally:
        if collector is not None:
            collector.stop()
        gc.unfreeze()


async def test_full_collections_wait_until_the_user_pauses(monkeypatch):
    monkeypatch.setattr(quiet, "QUIET", 0.3)
    async with collecting() as (pilot, collector):
        frozen = gc.get_freeze_count()
        assert frozen > 0, "what is alive at start-up is frozen out of later collections"
        assert gc.get_threshold()[2] > 10**6, "Python no longer starts full collections itself"

        # The user types while garbage piles up: no full collection.
        for _ in range(6):
            collector.user_active()
            make_garbage(3)
            await pilot.pause(0.1)
        assert collector.backlog() >= quiet.BACKLOG, "due, but held back while the user types"

        # A pause: the due collection runs.
        await wait_for(pilot, lambda: collector.backlog() < quiet.BACKLOG, "the collection after the pause")
    assert gc.get_threshold()[2] <= 10**6, "stop gives the full collections back to Python"


async def test_a_user_who_never_pauses_still_gets_collections(monkeypatch):
    monkeypatch.setattr(quiet, "MAX_BACKLOG", 20)
    async with collecting() as (_, collector):
        make_garbage(40)
        assert collector.backlog() >= 20
        collector.user_active()
        assert collector.backlog() == 0, "past the cap the collection runs at once"
