"""The engine: takes a session's input events and runs its turns, one asyncio task per busy session.

:meth:`Engine.send` validates a batch of input events, emits their echoes and wakes the session's
:class:`~app.runtime.runner.SessionRunner`: a message to an idle session starts a turn; one sent
while a turn is open is echoed with ``processed_at: null`` and taken up when the turn gets to it;
``user.interrupt`` ends the open turn before ``send`` returns; tool confirmations and custom tool
results answer the calls the turn waits on. The status machine itself lives in the runner.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from app.api.models.events import InputEvent
from app.runtime.brain import Brain
from app.runtime.errors import RouteError, found
from app.runtime.ids import new_id, now
from app.runtime.log import SessionLog
from app.runtime.runner import SessionRunner, ThreadRunner
from app.runtime.store import Store
from app.runtime.tools import ToolRegistry
from app.runtime.tools.sandbox import NO_SANDBOX, Sandbox

logger = logging.getLogger("agentdeck.runtime.engine")

#: Seconds to wait before each retry of a transient model error; one retry per entry.
DEFAULT_RETRY_DELAYS = (1.0, 2.0, 4.0)
#: Rounds of tool calls one turn may make before it ends with ``tool_use_limit_reached_error``.
MAX_TOOL_ROUNDS = 50

_INPUT: TypeAdapter[InputEvent] = TypeAdapter(InputEvent)
#: Fields the server sets on an echo, whatever the client sent.
_SERVER_FIELDS = ("id", "processed_at", "outcome_id")
#: Inputs a ``system.message`` may directly follow.
_SYSTEM_MESSAGE_FOLLOWS = ("user.message", "user.tool_result", "user.custom_tool_result")


def _parse(input_events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each input event validated and normalised to its wire form, without the fields the server
    sets; 400 naming the bad one."""
    bodies = []
    for index, event in enumerate(input_events):
        try:
            body = _INPUT.validate_python(event).to_wire()
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            raise RouteError.invalid_request(f"events[{index}]: {where}: {problem['msg']}") from None
        bodies.append({key: value for key, value in body.items() if key not in _SERVER_FIELDS})
    return bodies


class Engine:
    """Runs every session's turns. ``brain_factory()`` makes one brain per session (when its
    first turn needs it); ``tools`` runs built-in tools in ``workspace_root/<session id>``, their
    processes in ``sandbox``; ``pace`` is the delay in seconds before each streamed text delta
    (0 in tests)."""

    def __init__(
        self,
        store: Store,
        log: SessionLog,
        brain_factory: Callable[[], Brain],
        tools: ToolRegistry,
        *,
        workspace_root: Path,
        pace: float = 0.0,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        max_tool_rounds: int = MAX_TOOL_ROUNDS,
        sandbox: Sandbox = NO_SANDBOX,
    ) -> None:
        self.store = store
        self.log = log
        self.brain_factory = brain_factory
        self.tools = tools
        self.workspace_root = Path(workspace_root)
        self.pace = pace
        self.retry_delays = tuple(retry_delays)
        self.max_tool_rounds = max_tool_rounds
        self.sandbox = sandbox
        self._runners: dict[str, SessionRunner] = {}

    # ------------------------------------------------------------------ lookups

    def workspace(self, session_id: str) -> Path:
        """The session's workspace directory (the agent's ``/workspace``)."""
        return self.workspace_root / session_id

    def primary_thread(self, session_id: str) -> dict[str, Any] | None:
        threads, _ = self.store.list_threads(session_id, limit=1)
        return threads[0] if threads and threads[0].get("parent_thread_id") is None else None

    def _session(self, session_id: str) -> dict[str, Any]:
        return found(self.store.get_session(session_id), "session", session_id)

    def _runner(self, session: dict[str, Any]) -> SessionRunner:
        """The session's runner; a fresh one resumes a turn left waiting on tool answers."""
        runner = self._runners.get(session["id"])
        if runner is None:
            runner = self._runners[session["id"]] = SessionRunner(self, session["id"])
            ThreadRunner.adopt(runner)
            if session["status"] == "terminated":
                runner.state = "terminated"
            elif session["status"] == "idle":
                calls = runner.restore()
                if calls:
                    runner.start(resume=calls)
        return runner

    # ------------------------------------------------------------------ input

    async def send(self, session_id: str, input_events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Validate and take a batch of input events; their echoes, in order.

        Raises :class:`RouteError`: 404 for a missing session, 400 for a terminated one, a malformed
        event, a misplaced ``system.message``, or an answer to a call that is not waiting for one.
        """
        session = self._session(session_id)
        runner = self._runner(session)
        if runner.state == "terminated" or session["status"] == "terminated":
            raise RouteError.invalid_request(f"session {session_id!r} is terminated and accepts no more events")
        bodies = _parse(input_events)
        self._check(runner, bodies)
        echoes: list[dict[str, Any]] = []
        started = False
        try:
            for body in bodies:
                kind = body["type"]
                if kind == "user.interrupt":
                    echoes.append(await self.log.emit(session_id, body))
                    child = runner.children.get(body.get("session_thread_id") or "")
                    await (child.interrupt() if child is not None else runner.interrupt())
                elif kind in ("user.tool_confirmation", "user.custom_tool_result"):
                    found_call = runner.find_waiting(body.get("tool_use_id") or body.get("custom_tool_use_id") or "")
                    owner = found_call[0] if found_call is not None else runner
                    if owner is not runner:  # a child thread's call: routed there, and said so
                        body["session_thread_id"] = owner.sid
                    echo = await self.log.emit(session_id, body)
                    echoes.append(echo)
                    if owner is not runner:
                        await self.log.emit(owner.sid, echo)
                    if found_call is not None:
                        owner.answer(found_call[1], echo)
                else:
                    if kind == "user.define_outcome":
                        body["outcome_id"] = new_id("outc")
                        self._add_outcome(session_id, body, queued=runner.busy and not started)
                    async with runner.inputs:
                        if runner.state == "ending":
                            await runner.finished()
                        if runner.busy and not started:
                            # a queued outcome's echo has its processed_at (the SDK requires one)
                            queued_at = None if kind != "user.define_outcome" else now()
                            echo = await self.log.emit(session_id, {**body, "processed_at": queued_at})
                            runner.queue.append(echo)
                        else:
                            runner.state = "running"
                            started = True
                            echo = await self.log.emit(session_id, body)
                    echoes.append(echo)
        finally:
            if started:
                runner.start()
        return echoes

    def _add_outcome(self, session_id: str, body: dict[str, Any], *, queued: bool) -> None:
        """List a newly defined outcome in the session's ``outcome_evaluations``: ``pending``
        while queued, else ``running``."""
        session = self._session(session_id)
        entry = {
            "type": "outcome_evaluation",
            "outcome_id": body["outcome_id"],
            "description": body["description"],
            "result": "pending" if queued else "running",
            "iteration": 0,
            "explanation": None,
            "completed_at": None,
        }
        session["outcome_evaluations"] = [*(session.get("outcome_evaluations") or []), entry]
        self.store.put_session(session)

    @staticmethod
    def _check(runner: SessionRunner, bodies: list[dict[str, Any]]) -> None:
        """Refuse the whole batch if any event cannot be taken as it stands."""
        answered: set[str] = set()
        for index, body in enumerate(bodies):
            kind = body["type"]
            if kind == "user.interrupt" and body.get("session_thread_id"):
                thread_id = body["session_thread_id"]
                primary = runner.engine.primary_thread(runner.session_id) or {}
                if thread_id not in runner.children and thread_id != primary.get("id"):
                    raise RouteError.invalid_request(
                        f"events[{index}]: session_thread_id {thread_id!r} is not a thread of this session"
                    )
            if kind == "user.tool_confirmation":
                use_id = body["tool_use_id"]
                call = (runner.find_waiting(use_id) or (None, None))[1]
                if call is None or call.custom or use_id in answered:
                    raise RouteError.invalid_request(
                        f"events[{index}]: tool_use_id {use_id!r} is not a tool use waiting for confirmation"
                    )
                answered.add(use_id)
            elif kind == "user.custom_tool_result":
                use_id = body["custom_tool_use_id"]
                call = (runner.find_waiting(use_id) or (None, None))[1]
                if call is None or not call.custom or use_id in answered:
                    raise RouteError.invalid_request(
                        f"events[{index}]: custom_tool_use_id {use_id!r} "
                        "is not a custom tool use waiting for its result"
                    )
                answered.add(use_id)
            elif kind == "user.define_outcome" and not 1 <= body.get("max_iterations", 3) <= 20:
                raise RouteError.invalid_request(f"events[{index}]: max_iterations must be between 1 and 20")
            elif kind == "user.tool_result":
                raise RouteError.invalid_request(
                    f"events[{index}]: user.tool_result is only accepted by self_hosted environments; "
                    "this runtime runs the agent toolset itself"
                )
            elif kind == "system.message":
                if index != len(bodies) - 1 or index == 0 or bodies[index - 1]["type"] not in _SYSTEM_MESSAGE_FOLLOWS:
                    raise RouteError.invalid_request(
                        f"events[{index}]: a system.message must come last, directly after a user.message, "
                        "user.tool_result or user.custom_tool_result"
                    )

    # ------------------------------------------------------------------ lifecycle

    async def delete_session(self, session_id: str) -> None:
        """Stop the session's turn (killing its tools), emit ``session.deleted``, end its streams,
        and remove the session, its events and its workspace."""
        self._session(session_id)
        runner = self._runners.pop(session_id, None)
        if runner is not None:
            await runner.cancel()
        await self.log.emit(session_id, {"type": "session.deleted"})
        self.log.close_session(session_id)
        self.store.delete_session(session_id)
        await asyncio.to_thread(shutil.rmtree, self.workspace(session_id), True)

    async def recover(self) -> None:
        """At startup: a session left running or rescheduling by a crash comes back idle, with a
        ``session.error`` saying its turn was cut short."""
        for status in ("running", "rescheduling"):
            for session in self.store.sessions_with_status(status):
                runner = self._runners[session["id"]] = SessionRunner(self, session["id"])
                for child in ThreadRunner.adopt(runner):
                    await child.cut_short()
                await runner.cut_short()
        for session_id in self.store.sessions_with_child_threads():
            stored = self.store.get_session(session_id)
            if stored is None or stored["status"] != "idle" or session_id in self._runners:
                continue
            runner = self._runner(stored)
            waiting_children = [child for child in runner.children.values() if child.stopped_waiting()]
            if runner.state == "idle" and waiting_children:  # a child's wait for the user did not survive
                for child in waiting_children:
                    await child.cut_short()
                await runner.cut_short()

    async def shutdown(self) -> None:
        """Cancel every turn (their sessions are recovered at the next start)."""
        await asyncio.gather(*(runner.cancel() for runner in self._runners.values()))
