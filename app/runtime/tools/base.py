"""What every built-in tool shares: the context it runs in, its result, and its error."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from app.runtime.tools.sandbox import Sandbox


@dataclass
class ToolContext:
    """Where and how a tool runs.

    ``workspace`` is the session's workspace directory (shown to the agent as ``/workspace``);
    ``networking`` is the environment's ``config.networking`` (``{"type": "unrestricted"}`` or
    ``{"type": "limited", "allowed_hosts": [...]}``); ``bash_timeout`` is the default bash timeout
    in seconds; ``max_output`` caps the text of any one result, in characters; ``sandbox`` is
    where processes run (by default directly, under the limits only); ``env`` holds the variables
    of the session's ``environment_variable`` credentials, added to bash's environment.
    """

    workspace: Path
    networking: dict[str, Any] = field(default_factory=lambda: {"type": "unrestricted"})
    bash_timeout: float = 120
    max_output: int = 30_000
    sandbox: Sandbox = field(default_factory=Sandbox)
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class ToolResult:
    """A tool's output as wire content blocks (what ``agent.tool_result.content`` carries)."""

    content: list[dict[str, Any]]
    is_error: bool = False

    @classmethod
    def text(cls, text: str, *, is_error: bool = False) -> ToolResult:
        return cls([{"type": "text", "text": text}], is_error)


class ToolError(Exception):
    """A failure the agent should read: becomes an ``is_error`` result with this message."""


class ToolInput(BaseModel):
    """Base of every tool's input model: strict types, unknown fields ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")


@dataclass(frozen=True)
class Tool:
    """A built-in tool: its name, the model its input must satisfy, and the coroutine that runs it."""

    name: str
    input_model: type[ToolInput]
    run: Callable[[Any, ToolContext], Awaitable[ToolResult]]


class HeadTail:
    """Accumulates text keeping only its first and last characters, within ``limit`` in all."""

    def __init__(self, limit: int) -> None:
        self._head_cap = limit // 2
        self._tail_cap = limit - self._head_cap
        self._head = ""
        self._tail = ""
        self._total = 0

    def add(self, text: str) -> HeadTail:
        self._total += len(text)
        room = self._head_cap - len(self._head)
        if room > 0:
            self._head += text[:room]
            text = text[room:]
        if text:
            self._tail = (self._tail + text)[-self._tail_cap :] if self._tail_cap else ""
        return self

    def text(self) -> str:
        omitted = self._total - len(self._head) - len(self._tail)
        if omitted <= 0:
            return self._head + self._tail
        return f"{self._head}\n[... {omitted} characters omitted ...]\n{self._tail}"


T = TypeVar("T")

#: Seconds a file tool (read, write, edit, glob, grep) may take before it is given up.
FILE_TOOL_TIMEOUT = 30.0


class Deadline:
    """When a call running off the event loop must stop; its loops call :meth:`check`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds
        self.abandoned = False

    def check(self) -> None:
        if self.abandoned or time.monotonic() > self._at:
            raise ToolError(f"gave up after {self.seconds:g}s")


async def off_loop(fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(*args, deadline)`` in a thread of its own, for at most :data:`FILE_TOOL_TIMEOUT`.

    Not asyncio's shared pool: a call stuck in the kernel cannot starve other calls, other
    sessions or shutdown (the thread is a daemon). At the deadline, or when the caller is
    cancelled, the call is abandoned: the caller gets a ToolError (or the cancellation) at once,
    and ``fn`` stops at its next ``deadline.check()``.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    deadline = Deadline(FILE_TOOL_TIMEOUT)

    def settle(result: Any, error: BaseException | None) -> None:
        if future.done():  # abandoned
            return
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)

    def work() -> None:
        outcome: tuple[Any, BaseException | None]
        try:
            outcome = (fn(*args, deadline), None)
        except BaseException as exc:  # handed to the awaiting coroutine
            outcome = (None, exc)
        try:
            loop.call_soon_threadsafe(settle, *outcome)
        except RuntimeError:  # the loop has closed: nobody is waiting
            pass

    threading.Thread(target=work, name=f"tool-{getattr(fn, '__name__', 'call')}", daemon=True).start()
    try:
        return await asyncio.wait_for(future, deadline.seconds)
    except TimeoutError:
        raise ToolError(
            f"gave up after {deadline.seconds:g}s: the file system did not answer (the call was cancelled)"
        ) from None
    finally:
        deadline.abandoned = True


def cap_text(text: str, limit: int) -> str:
    """Keep the head and tail of ``text`` within ``limit`` characters, marking what was cut."""
    return HeadTail(limit).add(text).text()
