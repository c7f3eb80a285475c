"""What every built-in tool shares: the context it runs in, its result, and its error."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable

from pydantic import BaseModel, ConfigDict

from app.runtime.tools.sandbox import Sandbox


@dataclass
class ToolContext:
    """Where and how a tool runs.

    ``workspace`` is the session's workspace directory (shown to the agent as ``/workspace``);
    ``networking`` is the environment's ``config.networking`` (``{"type": "unrestricted"}`` or
    ``{"type": "limited", "allowed_hosts": [...]}``); ``bash_timeout`` is the default bash timeout
    in seconds; ``max_output`` caps the text of any one result, in characters; ``sandbox`` is
    where processes run (by default directly, under the limits only).
    """

    workspace: Path
    networking: dict = field(default_factory=lambda: {"type": "unrestricted"})
    bash_timeout: float = 120
    max_output: int = 30_000
    sandbox: Sandbox = field(default_factory=Sandbox)


@dataclass
class ToolResult:
    """A tool's output as wire content blocks (what ``agent.tool_result.content`` carries)."""

    content: list[dict]
    is_error: bool = False

    @classmethod
    def text(cls, text: str, *, is_error: bool = False) -> "ToolResult":
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

    def add(self, text: str) -> "HeadTail":
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


def cap_text(text: str, limit: int) -> str:
    """Keep the head and tail of ``text`` within ``limit`` characters, marking what was cut."""
    return HeadTail(limit).add(text).text()
