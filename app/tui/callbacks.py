"""Callbacks for ``push_screen``: Textual wants one that returns None, and a ``@work`` method
returns its Worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec

P = ParamSpec("P")


def no_result(fn: Callable[P, object]) -> Callable[P, None]:
    """``fn`` as a callback that returns None (what ``fn`` returns, a Worker say, is dropped)."""

    def call(*args: P.args, **kwargs: P.kwargs) -> None:
        fn(*args, **kwargs)

    return call
