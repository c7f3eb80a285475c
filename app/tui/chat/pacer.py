"""The one throttle between a session's feed and the screen.

A :class:`Pacer` runs a piece of UI work when it is woken: at once when the last run was long
enough ago, else when :data:`INTERVAL` has passed since it (so the screen updates at most
``1 / INTERVAL`` times a second however fast events arrive). Work that ran out of its time budget
says so, and the pacer comes back at the next frame to finish it. :meth:`Pacer.hold` lets
something more urgent (a key the user typed) reach the screen first: the next run waits a frame.
No timer runs while nothing arrives.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer

#: The shortest time between two runs (20 screen updates a second at most).
INTERVAL = 1 / 20
#: How soon unfinished work comes back: the next frame.
FRAME = 1 / 30


class Pacer:
    """Runs ``work`` on ``owner``'s (a widget's or an app's) event loop when woken, at most every :data:`INTERVAL`
    seconds; ``work`` returns True when it has more to do at once."""

    def __init__(self, owner: MessagePump, work: Callable[[], bool]) -> None:
        self._owner = owner
        self._work = work
        self._timer: Timer | None = None
        self._last = float("-inf")
        #: No run before this time (see :meth:`hold`).
        self._held_until = float("-inf")

    def wake(self, *, urgent: bool = False) -> None:
        """There is something to do: run soon (a run already scheduled covers it). ``urgent``
        work (rare, and the user waits for it: a session's history is in) runs at once, whatever
        the interval."""
        if urgent:
            self.cancel()
            self._schedule(0.0)
        elif self._timer is None:
            self._schedule(max(0.0, self._last + INTERVAL - time.monotonic()))

    def hold(self) -> None:
        """Something the user did is on its way to the screen: the next run waits a frame, so that
        its screen update is not held up by this work (each call holds one frame from now)."""
        self._held_until = time.monotonic() + FRAME

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _schedule(self, delay: float) -> None:
        # Textual's timers divide by their delay: "at once" is the next turn of the loop.
        self._timer = self._owner.set_timer(max(delay, 0.001), self._run, name="pacer")

    def _run(self) -> None:
        self._timer = None
        now = time.monotonic()
        if now < self._held_until:
            self._schedule(self._held_until - now)
            return
        self._last = now
        if self._work():
            self._schedule(FRAME)
