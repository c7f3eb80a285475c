"""Drive the engine in-process: a real store, session log and tool registry in a temp dir, one
session, and a subscription opened before anything is sent (what a stream client would see).

The ``harness`` and ``make_harness`` fixtures (in ``conftest.py``) build a :class:`Harness`;
``await h.turn(text)`` sends a message and returns every frame up to the idle that ends or pauses
the turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.runtime.brain import Brain, BrainReply, BrainRequest, make_brain
from app.runtime.engine import Engine
from app.runtime.ids import new_id, now
from app.runtime.log import SessionLog
from app.runtime.routes.sessions import put_new_session
from app.runtime.store import Store
from app.runtime.tools import ToolRegistry

#: Hang guard for waiting on an event: never a timing assertion.
GUARD = 20.0

ALLOW_ALL = [
    {
        "type": "agent_toolset_20260401",
        "default_config": {"enabled": True, "permission_policy": {"type": "always_allow"}},
    }
]


def toolset(default: str = "always_allow", **per_tool: str | bool) -> dict[str, Any]:
    """An agent toolset: ``bash="always_ask"`` sets a policy, ``read=False`` disables a tool."""
    configs = []
    for name, setting in per_tool.items():
        if isinstance(setting, bool):
            configs.append({"name": name, "type": name, "enabled": setting})
        else:
            configs.append({"name": name, "type": name, "permission_policy": {"type": setting}})
    defaults = {"enabled": True, "permission_policy": {"type": default}}
    return {"type": "agent_toolset_20260401", "default_config": defaults, "configs": configs}


def custom_tool(name: str) -> dict[str, Any]:
    schema = {"type": "object", "properties": {}}
    return {"type": "custom", "name": name, "description": f"the {name} tool", "input_schema": schema}


def text_of(event: dict[str, Any]) -> str:
    return "".join(block.get("text", "") for block in event.get("content") or [])


def types(frames: list[dict[str, Any]]) -> list[str]:
    return [frame["type"] for frame in frames]


def first(frames: list[dict[str, Any]], type_: str) -> dict[str, Any]:
    return next(frame for frame in frames if frame["type"] == type_)


def every(frames: list[dict[str, Any]], type_: str) -> list[dict[str, Any]]:
    return [frame for frame in frames if frame["type"] == type_]


def ends_turn(frame: dict[str, Any]) -> bool:
    """Whether a frame closes a turn (or pauses it on requires_action)."""
    return frame["type"] in ("session.status_idle", "session.status_terminated")


class ScriptedBrain:
    """A brain answering with ``script(request)``; waits on ``gate`` first when one is set."""

    def __init__(self, script: Callable[[BrainRequest], BrainReply]) -> None:
        self.script = script
        self.gate: asyncio.Event | None = None
        self.requests: list[BrainRequest] = []

    async def respond(self, request: BrainRequest) -> BrainReply:
        self.requests.append(request)
        if self.gate is not None:
            await self.gate.wait()
        return self.script(request)


class Harness:
    def __init__(
        self, root: Path, *, tools: list[dict[str, Any]], brain: Brain | None, budget: str | None, model: str
    ) -> None:
        self.root = root
        self.store = Store(root / "runtime.sqlite3")
        self.log = SessionLog(self.store)
        self.brain = brain
        self.engine = self._engine()
        stamp = now()
        self.environment = {
            "type": "environment",
            "id": new_id("env"),
            "name": "test",
            "description": None,
            "metadata": {},
            "config": {"type": "cloud", "networking": {"type": "unrestricted"}, "packages": {}},
            "created_at": stamp,
            "updated_at": stamp,
            "archived_at": None,
        }
        self.store.put_environment(self.environment)
        self.agent = {
            "type": "agent",
            "id": new_id("agent"),
            "version": 1,
            "name": "tester",
            "description": None,
            "system": "You are a test agent.",
            "model": {"id": model},
            "tools": tools,
            "mcp_servers": [],
            "skills": [],
            "execution_identity": None,
            "multiagent": None,
        }
        self.session_id = self.new_session(budget=budget)
        self.thread_id = self.engine.primary_thread(self.session_id)["id"]
        self.sub = self.log.subscribe(self.session_id)

    def _engine(self) -> Engine:
        factory = (lambda: self.brain) if self.brain is not None else (lambda: make_brain("offline"))
        workspaces = self.root / "workspaces"
        return Engine(self.store, self.log, factory, ToolRegistry(), workspace_root=workspaces, retry_delays=(0, 0, 0))

    def new_session(self, *, budget: str | None = None) -> str:
        limit = {"type": "limit", "max_list_cost": {"amount": budget, "currency": "USD"}} if budget else None
        return put_new_session(self.store, self.environment["id"], self.agent, now(), budget=limit)["id"]

    def restart(self) -> None:
        """A new engine on the same store, as after the runtime restarts."""
        self.engine = self._engine()

    @property
    def workspace(self) -> Path:
        return self.engine.workspace(self.session_id)

    def session(self) -> dict[str, Any]:
        return self.store.get_session(self.session_id)

    def stored(self) -> list[dict[str, Any]]:
        return self.store.session_events(self.session_id)

    async def send(self, *events: dict[str, Any]) -> list[dict[str, Any]]:
        return await self.engine.send(self.session_id, list(events))

    async def say(self, text: str) -> list[dict[str, Any]]:
        return await self.send(message(text))

    async def until(self, done: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        """Frames received up to and including the first for which ``done`` is true."""
        frames: list[dict[str, Any]] = []

        async def read() -> None:
            async for frame in self.sub:
                frames.append(frame)
                if done(frame):
                    return
            raise AssertionError(f"the stream ended before the awaited frame; got {types(frames)}")

        try:
            await asyncio.wait_for(read(), GUARD)
        except TimeoutError:
            raise AssertionError(f"no awaited frame within the hang guard; got {types(frames)}") from None
        return frames

    async def until_type(self, type_: str) -> list[dict[str, Any]]:
        return await self.until(lambda frame: frame["type"] == type_)

    async def until_idle(self) -> list[dict[str, Any]]:
        return await self.until(ends_turn)

    async def turn(self, text: str) -> list[dict[str, Any]]:
        """Send a message; every frame up to the idle (or termination) that follows."""
        await self.say(text)
        return await self.until_idle()

    async def close(self) -> None:
        await self.engine.shutdown()
        self.sub.close()
        self.store.close()


def message(text: str) -> dict[str, Any]:
    return {"type": "user.message", "content": [{"type": "text", "text": text}]}


def custom_result(custom_tool_use_id: str, text: str) -> dict[str, Any]:
    content = [{"type": "text", "text": text}]
    return {"type": "user.custom_tool_result", "custom_tool_use_id": custom_tool_use_id, "content": content}


def confirmation(tool_use_id: str, result: str, deny_message: str | None = None) -> dict[str, Any]:
    body = {"type": "user.tool_confirmation", "tool_use_id": tool_use_id, "result": result}
    if deny_message is not None:
        body["deny_message"] = deny_message
    return body
