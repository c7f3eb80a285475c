"""Full garbage collections at moments the user is not typing.

Python's collector walks every tracked object in a full (oldest-generation) collection: with a
long answer's rendered lines in memory that took 50-120 ms, a stall the user sees, every few
seconds while an answer streamed. :class:`QuietCollector` changes when that happens, not what is
collected:

- :meth:`~QuietCollector.start` (once the app is up) freezes what is alive then (modules, classes,
  the app's long-lived widgets), so later collections do not walk it again. It does not collect
  first: a full collection then takes some 30-50 ms, just as the lists load, and finds next to
  nothing (the automatic collector ran all through the imports);
- the automatic collector keeps collecting the young generations (cheap, and they hold most of the
  garbage) but no longer starts full collections itself;
- once ``BACKLOG`` young collections have piled up since the last full one (Python's own default
  trigger), a full collection is due: it runs when the user has not pressed a key or clicked for
  ``QUIET`` seconds, or at once when ``MAX_BACKLOG`` have piled up.

Nothing runs while nothing allocates: the one-shot timer is armed by the collections themselves.
"""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any

from textual.app import App

#: Seconds without a key or a click before a due full collection runs.
QUIET = 1.5
#: Young-generation collections since the last full one that make another due.
BACKLOG = 10
#: ... and the number after which it runs even while the user is busy.
MAX_BACKLOG = 1000
#: The oldest generation's threshold while the collector is in charge: never reached.
_NEVER = 1 << 30


class QuietCollector:
    """Defers the full garbage collections of ``app``'s process to pauses in the user's activity."""

    #: The app's event loop (set by :meth:`start`, before any collection calls back).
    _loop: asyncio.AbstractEventLoop

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._due = False
        self._last_activity = float("-inf")
        self._threshold: tuple[int, int, int] | None = None

    @property
    def started(self) -> bool:
        return self._threshold is not None

    @staticmethod
    def backlog() -> int:
        """Young-generation collections since the last full one."""
        return gc.get_count()[2]

    def start(self) -> None:
        """Freeze what is alive and take the full collections over from Python."""
        if self.started:
            return
        self._loop = asyncio.get_running_loop()
        gc.freeze()
        self._threshold = gc.get_threshold()
        young, middle, _ = self._threshold
        gc.set_threshold(young, middle, _NEVER)
        gc.callbacks.append(self._collected)

    def stop(self) -> None:
        """Give the full collections back to Python (what was frozen stays out of them)."""
        if self._threshold is not None:
            gc.callbacks.remove(self._collected)
            gc.set_threshold(*self._threshold)
            self._threshold = None

    def user_active(self) -> None:
        """The user pressed a key or clicked: a due full collection waits for a pause."""
        self._last_activity = time.monotonic()
        if self.started and self.backlog() >= MAX_BACKLOG:
            self._collect()

    def _collected(self, phase: str, info: dict[str, int]) -> None:
        """A gc callback (on any thread): arm the timer the first time a full collection is due."""
        if phase == "stop" and not self._due and self.backlog() >= BACKLOG:
            self._due = True
            self._loop.call_soon_threadsafe(self._wait, QUIET)

    def _wait(self, seconds: float) -> None:
        self._app.set_timer(seconds, self._quiet, name="quiet collector")

    def _quiet(self) -> None:
        """Collect now if the user has been quiet long enough, else wait for the rest of the pause."""
        if not self.started:
            return
        idle = time.monotonic() - self._last_activity
        if idle < QUIET:
            self._wait(QUIET - idle)
        else:
            self._collect()

    def _collect(self) -> None:
        gc.collect()
        self._due = False
