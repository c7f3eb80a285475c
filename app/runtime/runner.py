"""One session's turns: the model loop, tool calls, permission waits, errors and the status machine.

A :class:`SessionRunner` lives as long as its session is in memory; each turn runs as one asyncio
task. A turn emits ``session.status_running``, then model requests (``span.model_request_start``,
thinking, a message streamed as previews then the final event, tool uses, ``span.model_request_end``)
each followed by its tool calls, until a reply calls no tool; inputs queued meanwhile are then taken
up in the same turn; finally ``session.usage`` and ``session.status_idle``. Calls that need the
user (``always_ask``, custom tools) idle the session with ``requires_action`` while the task waits.

A coordinator's turn may delegate (``/delegate``): the message goes to a roster agent's child
thread, whose :class:`ThreadRunner` runs a turn in the thread's own log while the coordinator
waits, then the answer comes back as ``agent.thread_message_received``. A turn working on an
outcome (``user.define_outcome``) has each answer graded (``span.outcome_evaluation_*``, see
:mod:`app.runtime.outcomes`) and revised until satisfied or out of iterations.

Interrupts never cancel the task itself: only the awaits guarded by :meth:`SessionRunner._guard`
(the model, a tool, a pause, a wait for answers) are cancelled, so every event the turn emits is
whole and in order. Deleting the session or shutting down cancels the task outright.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from app.runtime import credential_env, file_store, mcp_tools, outcomes, skills
from app.runtime.brain import (
    RESULT_KEYS,
    USE_KINDS,
    Brain,
    BrainError,
    BrainReply,
    BrainRequest,
    ToolUse,
    model_usage,
)
from app.runtime.ids import new_id, now
from app.runtime.multiagent import new_thread, roster, thread_agent
from app.runtime.policy import Permission, evaluate, is_custom_tool, offered_tools
from app.runtime.repos import clone_repository
from app.runtime.tools import memory as memory_tool
from app.runtime.tools.base import ToolContext, ToolResult
from app.runtime.usage import UsageMeter

if TYPE_CHECKING:
    from app.runtime.engine import Engine

logger = logging.getLogger("agentdeck.runtime.engine")

T = TypeVar("T")

END_TURN = {"type": "end_turn"}
RETRIES_EXHAUSTED = {"type": "retries_exhausted"}
BUDGET_REACHED = {"type": "budget_reached"}
#: A turn that ends the session instead of idling it.
TERMINATED = {"type": "terminated"}

INTERRUPTED_TEXT = "Interrupted by the user before the tool finished."
CUT_SHORT_TEXT = "The runtime stopped before this tool finished."
_WORD = re.compile(r"\s*\S+\s*|\s+")


class Interrupted(Exception):
    """The user interrupted the turn."""


def model_id(agent: dict[str, Any]) -> str:
    model = agent.get("model")
    return model.get("id", "") if isinstance(model, dict) else str(model or "")


def answered_ids(events: list[dict[str, Any]]) -> set[str]:
    """Ids of the tool uses that got a result (``agent.*_tool_result`` or ``user.custom_tool_result``)."""
    return {event[key] for event in events if (key := RESULT_KEYS.get(event["type"])) and key in event}


def word_chunks(text: str) -> list[str]:
    """``text`` cut into words (each with the whitespace around it); they join back to ``text``."""
    return _WORD.findall(text)


def _seconds_since(timestamp: str) -> float:
    started = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    ended = datetime.fromisoformat(now().replace("Z", "+00:00"))
    return round(max((ended - started).total_seconds(), 0.0), 3)


class Call:
    """A tool call from its use event to its result. ``answer`` is the user's
    ``user.tool_confirmation`` (always_ask) or ``user.custom_tool_result`` (custom tool)."""

    def __init__(self, event: dict[str, Any], use: ToolUse, permission: Permission | None) -> None:
        self.event = event
        self.use = use
        self.permission = permission
        self.answer: dict[str, Any] | None = None
        self.done = False

    @property
    def id(self) -> str:
        event_id: str = self.event["id"]
        return event_id

    @property
    def custom(self) -> bool:
        return self.permission is None

    @property
    def allowed(self) -> bool:
        """A built-in or MCP call its permission lets run without asking."""
        return self.permission is not None and self.permission.evaluated == "allow"

    @property
    def needs_answer(self) -> bool:
        return self.permission is None or self.permission.evaluated == "ask"  # a custom call, or one to ask

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> Call:
        """Rebuild a call from its stored use event (a session resumed after a restart)."""
        kind = USE_KINDS.get(event["type"], "custom")
        use = ToolUse(event["name"], event.get("input") or {}, kind, event.get("mcp_server_name"))
        permission = None
        if kind != "custom":
            permission = Permission(event.get("evaluated_permission") or "deny", event.get("evaluation"))
        return cls(event, use, permission)


class SessionRunner:
    """The turns of one session. ``state``: ``idle``, ``running``, ``waiting`` (idle on
    ``requires_action`` while the turn waits for answers), ``ending`` (emitting its last events)
    or ``terminated``."""

    def __init__(self, engine: Engine, session_id: str) -> None:
        self.engine = engine
        #: The session, and the key of this runner's event log (the session's, or a child thread's).
        self.session_id = self.sid = session_id
        #: Child threads this (primary) runner delegated to, by thread id.
        self.children: dict[str, ThreadRunner] = {}
        self._interrupting = False
        self._evaluation: dict[str, Any] | None = None
        self.store = engine.store
        self.log = engine.log
        self.state = "idle"
        self.queue: list[dict[str, Any]] = []
        self.waiting: dict[str, Call] = {}
        self.task: asyncio.Task[None] | None = None
        #: Held while deciding whether an input is queued or starts a turn, and while a turn
        #: decides whether to take up the queue or end.
        self.inputs = asyncio.Lock()
        self._interrupt = asyncio.Event()
        self._answered = asyncio.Event()
        self._brain: Brain | None = None
        #: The agent's MCP servers' tools, listed at this runner's first model request.
        self._mcp_catalog: mcp_tools.Catalog | None = None
        self._calls: list[Call] = []
        self._span: dict[str, Any] | None = None
        self._span_usage = model_usage()
        self.meter = UsageMeter("")

    # ------------------------------------------------------------------ driven by the engine

    @property
    def busy(self) -> bool:
        """Whether a turn is open (running, or waiting on tool answers)."""
        return self.state in ("running", "waiting", "ending")

    def start(self, resume: list[Call] | None = None) -> None:
        """Run a turn: a fresh one, or (``resume``) one that waits on these calls since a restart."""
        self.state = "waiting" if resume else "running"
        if resume:
            self.waiting = {call.id: call for call in resume if call.needs_answer and call.answer is None}
        self.task = asyncio.create_task(self._turn(resume), name=f"turn {self.sid}")
        self.task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            logger.error("turn of %s could not finish", self.sid, exc_info=task.exception())
            self.state = "idle"

    def answer(self, call: Call, echo: dict[str, Any]) -> None:
        """Record the user's answer to a waiting call."""
        call.answer = echo
        self.waiting.pop(call.id, None)
        self._answered.set()

    def find_waiting(self, use_id: str) -> tuple[SessionRunner, Call] | None:
        """The runner (this one or a child thread's) whose call ``use_id`` waits for an answer."""
        for runner in (self, *self.children.values()):
            call = runner.waiting.get(use_id)
            if call is not None:
                return runner, call
        return None

    async def interrupt(self) -> None:
        """End the open turn (a running tool is killed), and every child thread's, and wait
        until it has gone idle."""
        if self.state in ("idle", "terminated"):
            return
        self._interrupting = True
        for child in list(self.children.values()):
            await child.interrupt()
        self._interrupt.set()
        await self.finished()

    async def finished(self) -> None:
        """Wait for the current turn's task, if any, to end."""
        if self.task is not None and not self.task.done():
            await asyncio.wait({self.task})

    async def cancel(self) -> None:
        """Stop the turn at once, emitting nothing more (session deleted, runtime shutting down)."""
        for child in list(self.children.values()):
            await child.cancel()
        if self.task is not None and not self.task.done():
            self.task.cancel()
            await asyncio.wait({self.task})

    # ------------------------------------------------------------------ the turn

    async def _turn(self, resume: list[Call] | None) -> None:
        session = self.store.get_session(self.session_id)
        if session is None:
            self.state = "idle"
            return
        self._start_meter(session)
        try:
            if resume:
                self._calls = resume
            else:
                first = (
                    self.primary and not self.store.list_events(self.sid, types=["session.status_running"], limit=1)[0]
                )
                await self._running()
                if first:
                    await self._clone_repositories()
                    workspace = self.engine.workspace(self.session_id)
                    for problem in await asyncio.to_thread(skills.mount, self.store, session["agent"], workspace):
                        await self._emit("session.error", error=problem)
                    await self._report_credentials(session)
                if self.primary:
                    await self._mount_files()
            stop = await self._work(resume)
        except Interrupted:
            await self._close_open_work(INTERRUPTED_TEXT)
            await self._outcome_interrupted()
            stop = END_TURN
        except Exception:  # a bug or a broken store: never leave the session running
            logger.exception("turn of %s failed", self.sid)
            await self._close_open_work(CUT_SHORT_TEXT)
            failure = BrainError("unknown_error", "The runtime failed while running this turn.")
            await self._emit("session.error", error=failure.to_wire())
            stop = RETRIES_EXHAUSTED
        await self._finish(stop)

    #: Whether this runs the session's primary thread.
    primary = True

    def _start_meter(self, session: dict[str, Any]) -> None:
        self.meter = UsageMeter(model_id(session["agent"]), session.get("usage"))

    def _agent(self, session: dict[str, Any]) -> dict[str, Any]:
        """The agent this runner's thread runs."""
        return session.get("agent") or {}

    async def _work(self, resume: list[Call] | None) -> dict[str, Any]:
        """Model requests and their tool calls until the turn ends; the stop reason."""
        rounds = 0
        if resume:
            await self._settle(resume, idle=True)
        while True:
            if self._over_budget():
                return BUDGET_REACHED
            reply = await self._model_request()
            if isinstance(reply, dict):
                return reply
            if reply.delegations:
                for name, message in reply.delegations:
                    await self._delegate(name, message)
                continue
            if reply.tool_uses:
                rounds += 1
                if rounds > self.engine.max_tool_rounds:
                    await self._close_open_work("Not run: the turn reached its limit of tool rounds.")
                    rounds_made = f"The turn made more than {self.engine.max_tool_rounds} rounds of tool calls."
                    limit = BrainError("tool_use_limit_reached_error", rounds_made)
                    await self._emit("session.error", error=limit.to_wire())
                    return RETRIES_EXHAUSTED
                await self._settle(self._calls, idle=False)
                continue
            if self.primary and await self._grade_outcome():
                continue
            async with self.inputs:
                if not self.queue:
                    self.state = "ending"
                    return END_TURN
                await self._dequeue()

    async def _clone_repositories(self) -> None:
        """On the session's first turn, clone its ``github_repository`` resources into the
        workspace; a failure is reported as a (``retrying``) ``session.error`` and the turn goes on."""
        resources, _ = self.store.list_resources(self.sid)
        for resource in resources:
            if resource.get("type") == "github_repository":
                token = self.store.resource_secret(self.sid, resource["id"])
                outcome = await self._guard(clone_repository(resource, token, self.engine.workspace(self.session_id)))
                if outcome.error is not None:
                    await self._emit("session.error", error=outcome.error)

    async def _mount_files(self) -> None:
        """Copy the session's ``file`` resources not mounted yet into the workspace; one that
        cannot be is reported as a (``retrying``) ``session.error`` and the turn goes on."""
        resources, _ = self.store.list_resources(self.sid)
        workspace = self.engine.workspace(self.session_id)
        for resource in resources:
            if resource.get("type") == "file":
                problem = await asyncio.to_thread(file_store.mount, self.store, resource, workspace)
                if problem is not None:
                    error = {"type": "unknown_error", "message": problem, "retry_status": {"type": "retrying"}}
                    await self._emit("session.error", error=error)

    def _over_budget(self) -> bool:
        session = self.store.get_session(self.session_id) or {}
        budget = session.get("budget") or {}
        limit = str((budget.get("max_list_cost") or {}).get("amount", ""))
        return limit.isdigit() and self.meter.cost_cents() >= int(limit)

    async def _finish(self, stop: dict[str, Any]) -> None:
        if self.state != "ending":  # interrupted or failed: flush what was queued
            async with self.inputs:
                self.state = "ending"
        await self._dequeue()  # flushed: the turn that would have taken them up is over
        if self.primary:
            workspace = self.engine.workspace(self.session_id)
            await asyncio.to_thread(file_store.collect_outputs, self.store, self.session_id, workspace)
        self._calls = []
        self.waiting.clear()
        if stop is TERMINATED:
            await self._terminated()
        else:
            await self._idle(stop)
        self._interrupt.clear()
        self._interrupting = False
        self.state = "terminated" if stop is TERMINATED else "idle"

    async def _dequeue(self) -> None:
        """Mark every queued input processed (taken up by the turn, or flushed as it ends)."""
        queued, self.queue = self.queue, []
        for echo in queued:
            await self.log.update(self.sid, {**echo, "processed_at": now()})
            if echo["type"] == "user.define_outcome" and self.state != "ending":
                self._set_outcome(echo["outcome_id"], result="running")

    # ------------------------------------------------------------------ one model request

    def _processed(self) -> list[dict[str, Any]]:
        """The log's processed events, less those still queued (a queued ``user.define_outcome``
        carries its ``processed_at`` from the start, as the API has it)."""
        queued = {echo["id"] for echo in self.queue}
        return [e for e in self.store.session_events(self.sid, processed_only=True) if e["id"] not in queued]

    def _request(self) -> BrainRequest:
        session = self.store.get_session(self.session_id) or {}
        agent = self._agent(session)
        tools = offered_tools(agent, self.engine.tools.names) + memory_tool.offered(session)
        return BrainRequest(session, agent, self._processed(), tools, self._mcp_catalog or {})

    async def _model_request(self) -> BrainReply | dict[str, Any]:
        """Ask the brain, retrying transient errors; the reply, or the stop reason of a failed turn."""
        if self._brain is None:
            self._brain = self.engine.brain_factory()
        if self._mcp_catalog is None:
            session = self.store.get_session(self.session_id) or {}
            listing = mcp_tools.catalog(self.store, self._agent(session), session, self._tool_context().networking)
            self._mcp_catalog = await self._guard(listing)
        delays = self.engine.retry_delays
        attempt = 0
        while True:
            request = self._request()
            self._span = await self._emit("span.model_request_start")
            self._span_usage = model_usage()
            try:
                reply = await self._guard(self._brain.respond(request))
            except BrainError as refused:
                reply = BrainReply(error=refused)
            except Interrupted:
                raise
            except Exception as exc:
                logger.exception("model of %s failed", self.sid)
                failure = BrainError("model_request_failed_error", f"The model failed: {type(exc).__name__}.")
                reply = BrainReply(error=failure)
            self._span_usage = dict(reply.usage)
            if reply.error is None:
                await self._speak(request.agent, reply)
                await self._end_span(reply.usage, is_error=False)
                return reply
            await self._end_span(reply.usage, is_error=True)
            error = reply.error
            if error.retry_status == "retrying" and attempt < len(delays):
                await self._emit("session.error", error=error.to_wire())
                await self._rescheduled()
                await self._pause(delays[attempt])
                attempt += 1
                await self._running()
                continue
            final = "terminal" if error.retry_status == "terminal" else "exhausted"
            await self._emit("session.error", error=error.to_wire(final))
            return TERMINATED if final == "terminal" else RETRIES_EXHAUSTED

    async def _end_span(self, usage: dict[str, int], *, is_error: bool) -> None:
        start, self._span = self._span, None
        if start is None:
            return
        usage = {**model_usage(), **usage}
        self.meter.add(usage)
        await self._emit(
            "span.model_request_end", model_request_start_id=start["id"], is_error=is_error, model_usage=usage
        )

    async def _speak(self, agent: dict[str, Any], reply: BrainReply) -> None:
        """Emit what the reply says: thinking, the message (previews first), the tool uses."""
        pace = self.engine.pace
        self._calls = []
        if reply.thinking:
            event_id = new_id("sevt")
            self.log.preview(self.sid, {"type": "event_start", "event": {"type": "agent.thinking", "id": event_id}})
            await self._pause(pace * 20)
            await self._emit("agent.thinking", id=event_id)
        if reply.text:
            event_id = new_id("sevt")
            self.log.preview(self.sid, {"type": "event_start", "event": {"type": "agent.message", "id": event_id}})
            for chunk in word_chunks(reply.text):
                await self._pause(pace)
                self.log.preview(
                    self.sid,
                    {
                        "type": "event_delta",
                        "event_id": event_id,
                        "delta": {"type": "content_delta", "index": 0, "content": {"type": "text", "text": chunk}},
                    },
                )
            await self._emit("agent.message", id=event_id, content=[{"type": "text", "text": reply.text}])
        for use in reply.tool_uses:
            await self._announce(agent, use)

    async def _announce(self, agent: dict[str, Any], use: ToolUse) -> None:
        """Emit a tool use with its evaluated permission; remember the call."""
        if use.kind == "custom" and is_custom_tool(agent, use.name):
            event = await self._emit("agent.custom_tool_use", name=use.name, input=use.input)
            call = Call(event, use, None)
        else:
            permission = evaluate(agent, use)
            fields: dict[str, Any] = {
                "name": use.name,
                "input": use.input,
                "evaluated_permission": permission.evaluated,
            }
            if permission.evaluation is not None:
                fields["evaluation"] = permission.evaluation
            if use.kind == "mcp":
                event = await self._emit("agent.mcp_tool_use", mcp_server_name=use.mcp_server_name, **fields)
            else:
                event = await self._emit("agent.tool_use", **fields)
            call = Call(event, use, permission)
        self._calls.append(call)
        if call.needs_answer:
            self.waiting[call.id] = call

    # ------------------------------------------------------------------ outcomes

    def _open_outcome(self) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]] | None:
        """The outcome this turn works on, unless graded to a final result: its define_outcome
        echo, the events since, and its evaluation ends so far."""
        events = self._processed()
        start = max(
            (i for i, e in enumerate(events) if e["type"] in ("user.message", "user.define_outcome")), default=-1
        )
        if start < 0 or events[start]["type"] != "user.define_outcome":
            return None
        outcome, since = events[start], events[start + 1 :]
        ends = [
            e
            for e in since
            if e["type"] == "span.outcome_evaluation_end" and e.get("outcome_id") == outcome["outcome_id"]
        ]
        if ends and ends[-1].get("result") in outcomes.TERMINAL:
            return None
        return outcome, since, ends

    def _set_outcome(self, outcome_id: str, **fields: Any) -> None:
        session = self.store.get_session(self.session_id)
        if session is None:
            return
        for entry in session.get("outcome_evaluations") or []:
            if entry.get("outcome_id") == outcome_id:
                entry.update(fields)
        self.store.put_session(session)

    async def _grade_outcome(self) -> bool:
        """Grade the answer to the open outcome, if any; whether the model must answer again (a
        revision, or the acknowledgment after the last iteration)."""
        open_outcome = self._open_outcome()
        if open_outcome is None:
            return False
        outcome, since, ends = open_outcome
        outcome_id, iteration = outcome["outcome_id"], len(ends)
        said = [e for e in since if e["type"] == "agent.message"]
        answer = "".join(b.get("text", "") for b in (said[-1]["content"] if said else []) if isinstance(b, dict))
        self._evaluation = await self._emit("span.outcome_evaluation_start", outcome_id=outcome_id, iteration=iteration)
        self._set_outcome(outcome_id, result="evaluating", iteration=iteration)
        await self._pause(self.engine.pace * 5)
        await self._emit("span.outcome_evaluation_ongoing", outcome_id=outcome_id, iteration=iteration)
        most = outcome.get("max_iterations") or outcomes.DEFAULT_MAX_ITERATIONS
        verdict = outcomes.grade(outcome.get("rubric") or {}, answer, iteration, most)
        self.meter.add(verdict.usage)
        start, self._evaluation = self._evaluation, None
        await self._emit(
            "span.outcome_evaluation_end",
            outcome_evaluation_start_id=start["id"],
            outcome_id=outcome_id,
            iteration=iteration,
            result=verdict.result,
            explanation=verdict.explanation,
            usage=verdict.usage,
        )
        final = verdict.result in outcomes.TERMINAL
        self._set_outcome(
            outcome_id,
            result=verdict.result if final else "running",
            iteration=iteration if final else iteration + 1,
            explanation=verdict.explanation,
            completed_at=now() if final else None,
        )
        return verdict.result in ("needs_revision", "max_iterations_reached")

    async def _outcome_interrupted(self) -> None:
        """An interrupt ends the open outcome (and its evaluation, if one was under way)."""
        open_outcome = self._open_outcome() if self.primary else None
        if open_outcome is None:
            return
        outcome_id = open_outcome[0]["outcome_id"]
        start, self._evaluation = self._evaluation, None
        explanation = "The user interrupted the work on this outcome."
        if start is not None:
            await self._emit(
                "span.outcome_evaluation_end",
                outcome_evaluation_start_id=start["id"],
                outcome_id=outcome_id,
                iteration=start["iteration"],
                result="interrupted",
                explanation=explanation,
                usage=model_usage(),
            )
        self._set_outcome(outcome_id, result="interrupted", explanation=explanation, completed_at=now())

    # ------------------------------------------------------------------ delegation (multi-agent)

    def _child_for(self, member: dict[str, Any]) -> tuple[ThreadRunner, bool]:
        """The child thread running roster ``member``: the live one, else a new one; and whether new."""
        for child in self.children.values():
            thread = self.store.get_thread(self.session_id, child.tid) or {}
            if child.name == member["name"] and thread.get("status") != "terminated" and not thread.get("archived_at"):
                return child, False
        primary = self.engine.primary_thread(self.session_id) or {}
        thread = new_thread(self.session_id, thread_agent(member), primary.get("id"))
        self.store.put_thread(thread)
        child = self.children[thread["id"]] = ThreadRunner(self, thread)
        return child, True

    async def _delegate(self, name: str, message: str) -> None:
        """Send ``message`` to the roster agent ``name`` in its child thread (spawned on first
        use), run the child's turn there, and take its answer back into this thread."""
        session = self.store.get_session(self.session_id) or {}
        member = next((agent for agent in roster(session.get("agent") or {}) if agent["name"] == name), None)
        if member is None:
            return
        child, new = self._child_for(member)
        if new:
            await self._emit(
                "session.thread_created", session_thread_id=child.tid, agent_name=name, workflow_run_id=None
            )
        content = [{"type": "text", "text": message}]
        await self._emit(
            "agent.thread_message_sent", to_session_thread_id=child.tid, to_agent_name=name, content=content
        )
        primary = self.engine.primary_thread(self.session_id) or {}
        await child._emit(
            "agent.thread_message_received", from_session_thread_id=primary.get("id", ""), content=content
        )
        child.start()
        assert child.task is not None, "start() made the turn's task"
        await self._guard(asyncio.shield(child.task))
        if self._interrupting:
            raise Interrupted
        if self.state == "waiting":  # the child waited on the user, then was interrupted alone
            self.state = "running"
            await self._running()
        answer = child.final_answer()
        await child._emit("agent.thread_message_sent", to_session_thread_id=primary.get("id", ""), content=answer)
        await self._emit(
            "agent.thread_message_received", from_session_thread_id=child.tid, from_agent_name=name, content=answer
        )

    # ------------------------------------------------------------------ tool calls

    async def _settle(self, calls: list[Call], *, idle: bool) -> None:
        """Run the allowed calls, refuse the disabled ones, wait for the answers the others need,
        then run what was allowed and report what was denied."""
        for call in calls:
            if call.done or call.needs_answer:
                continue
            if call.allowed:
                await self._execute(call)
            else:
                refusal = f"Tool {call.use.name!r} is not enabled for this agent."
                await self._result(call, ToolResult.text(refusal, is_error=True))
        pending = [call for call in calls if call.needs_answer and not call.done]
        if pending:
            await self._await_answers(pending, idle=idle)
        for call in pending:
            assert call.answer is not None, "_await_answers returns once every call is answered"
            if call.custom:
                call.done = True  # the user's custom_tool_result is the result
            elif call.answer["result"] == "allow":
                await self._execute(call)
            else:
                message = call.answer.get("deny_message")
                text = f"The user denied this tool call: {message}" if message else "The user denied this tool call."
                await self._result(call, ToolResult.text(text, is_error=True))
        self._calls = []

    async def _await_answers(self, pending: list[Call], *, idle: bool) -> None:
        """Idle with ``requires_action`` until every pending call is answered (announcing again
        what is left after each partial answer), then run again."""
        announced = {call.id for call in pending if call.answer is None} if idle else set()
        while True:
            self._answered.clear()
            unanswered = [call.id for call in pending if call.answer is None]
            if not unanswered:
                break
            if set(unanswered) != announced:
                self.state = "waiting"
                await self._idle({"type": "requires_action", "event_ids": unanswered})
                announced, idle = set(unanswered), True
            await self._guard(self._answered.wait())
        if idle:
            self.state = "running"
            await self._running()

    async def _execute(self, call: Call) -> None:
        use = call.use
        if use.result is not None:
            result = use.result
        elif use.kind == "mcp":
            session = self.store.get_session(self.session_id) or {}
            context = self._tool_context()
            result = await self._guard(mcp_tools.run(self.store, session, context.networking, use))
        elif use.name == memory_tool.NAME:
            result = await memory_tool.run(self.store, self.store.get_session(self.session_id) or {}, use.input)
        else:
            context = self._tool_context()
            result = await self._guard(self.engine.tools.run(use.name, use.input, context))
            result = credential_env.redact(result, context.env.values())
        self.meter.count_tool(use.name)
        await self._result(call, result)

    def _networking(self, session: dict[str, Any]) -> dict[str, Any]:
        environment = self.store.get_environment(session.get("environment_id") or "") or {}
        config = environment.get("config") or {}
        return config.get("networking") or {"type": "unrestricted"}

    def _tool_context(self) -> ToolContext:
        session = self.store.get_session(self.session_id) or {}
        networking = self._networking(session)
        env = credential_env.collect(self.store, session, networking).variables
        workspace = self.engine.workspace(self.session_id)
        return ToolContext(workspace=workspace, networking=networking, sandbox=self.engine.sandbox, env=env)

    async def _report_credentials(self, session: dict[str, Any]) -> None:
        """A ``session.error`` for each credential of the session's vaults its environment cannot use."""
        for error in credential_env.collect(self.store, session, self._networking(session)).errors:
            await self._emit("session.error", error=error)

    async def _result(self, call: Call, result: ToolResult) -> None:
        call.done = True
        body = {"content": result.content, "is_error": result.is_error}
        if call.use.kind == "mcp":
            await self._emit("agent.mcp_tool_result", mcp_tool_use_id=call.id, **body)
        else:
            await self._emit("agent.tool_result", tool_use_id=call.id, **body)

    async def _close_open_work(self, reason: str) -> None:
        """After an interrupt or failure: close the open span and give every unfinished
        built-in or MCP call an error result (custom calls belong to the client)."""
        if self._span is not None:
            await self._end_span(self._span_usage, is_error=True)
        for call in self._calls:
            if not call.done and not call.custom:
                await self._result(call, ToolResult.text(reason, is_error=True))
        self._calls = []

    # ------------------------------------------------------------------ interruptible waits

    async def _guard(self, awaitable: Awaitable[T]) -> T:
        """Await ``awaitable`` unless the user interrupts first: then cancel it (bash kills its
        process group) and raise :class:`Interrupted`."""
        if self._interrupt.is_set():
            if asyncio.iscoroutine(awaitable):
                awaitable.close()
            raise Interrupted
        work = asyncio.ensure_future(awaitable)
        stop = asyncio.ensure_future(self._interrupt.wait())
        try:
            await asyncio.wait({work, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            if not work.done():
                work.cancel()
                await asyncio.wait({work})
        if work.cancelled():
            raise Interrupted
        return work.result()

    async def _pause(self, seconds: float) -> None:
        """Sleep (or just yield, for 0 s); an interrupt cuts it short with :class:`Interrupted`."""
        if seconds > 0:
            try:
                await asyncio.wait_for(self._interrupt.wait(), seconds)
            except TimeoutError:
                pass
        else:
            await asyncio.sleep(0)
        if self._interrupt.is_set():
            raise Interrupted

    # ------------------------------------------------------------------ status and events

    async def _emit(self, type_: str, **fields: Any) -> dict[str, Any]:
        return await self.log.emit(self.sid, {"type": type_, **fields})

    def _save(self, status: str) -> dict[str, Any] | None:
        """Write ``status``, usage and stats to the session and its primary thread; the thread."""
        session = self.store.get_session(self.session_id)
        if session is None:
            return None
        stamp = now()
        stats = {
            "active_seconds": round(self.meter.active(), 3),
            "duration_seconds": _seconds_since(session["created_at"]),
        }
        session.update(status=status, updated_at=stamp, usage=self.meter.to_wire(), stats=stats)
        self.store.put_session(session)
        thread = self.engine.primary_thread(self.session_id)
        if thread is not None:
            thread.update(status=status, updated_at=stamp, usage=self.meter.to_wire(), stats=stats)
            self.store.put_thread(thread)
        return thread

    def _thread_fields(self, thread: dict[str, Any]) -> dict[str, Any]:
        return {"session_thread_id": thread["id"], "agent_name": (thread.get("agent") or {}).get("name", "")}

    async def _running(self) -> None:
        self.meter.start_active()
        thread = self._save("running")
        await self._emit("session.status_running")
        if thread is not None:
            await self._emit("session.thread_status_running", **self._thread_fields(thread))

    async def _rescheduled(self) -> None:
        thread = self._save("rescheduling")
        await self._emit("session.status_rescheduled")
        if thread is not None:
            await self._emit("session.thread_status_rescheduled", **self._thread_fields(thread))

    async def _usage(self) -> None:
        budget = (self.store.get_session(self.session_id) or {}).get("budget")
        extra = {"budget": budget} if budget else {}
        await self._emit("session.usage", usage=self.meter.to_wire(), **extra)

    async def _idle(self, stop_reason: dict[str, Any]) -> None:
        self.meter.stop_active()
        thread = self._save("idle")
        await self._usage()
        if thread is not None:
            await self._emit(
                "session.thread_status_idle", stop_reason=stop_reason, stop_details=None, **self._thread_fields(thread)
            )
        await self._emit("session.status_idle", stop_reason=stop_reason, stop_details=None)

    async def _terminated(self) -> None:
        self.meter.stop_active()
        thread = self._save("terminated")
        await self._usage()
        if thread is not None:
            await self._emit("session.thread_status_terminated", **self._thread_fields(thread))
        await self._emit("session.status_terminated")

    # ------------------------------------------------------------------ recovery

    async def cut_short(self) -> None:
        """After a crash: close what the dead turn left open and idle with ``retries_exhausted``."""
        session = self.store.get_session(self.session_id)
        if session is None:
            return
        self._start_meter(session)
        events = self.store.session_events(self.sid)
        answered = answered_ids(events)
        ended = {event.get("model_request_start_id") for event in events if event["type"] == "span.model_request_end"}
        for event in events:
            if event["type"] == "span.model_request_start" and event["id"] not in ended:
                self._span = event
                await self._end_span(model_usage(), is_error=True)
            elif self.primary and event["type"] in USE_KINDS and event.get("session_thread_id"):
                continue  # a child thread's call, cross-posted: its thread's log holds the rest
            elif event["type"] in ("agent.tool_use", "agent.mcp_tool_use") and event["id"] not in answered:
                await self._result(Call.from_event(event), ToolResult.text(CUT_SHORT_TEXT, is_error=True))
            elif event.get("processed_at") is None:
                await self.log.update(self.sid, {**event, "processed_at": now()})
        session = self.store.get_session(self.session_id) or {}
        for entry in session.get("outcome_evaluations") or []:
            if entry.get("result") not in outcomes.TERMINAL:
                self._set_outcome(
                    entry["outcome_id"], result="interrupted", explanation=CUT_SHORT_TEXT, completed_at=now()
                )
        cut = BrainError("unknown_error", "The runtime stopped while this session was running; its turn was cut short.")
        await self._emit("session.error", error=cut.to_wire())
        await self._idle(RETRIES_EXHAUSTED)

    def restore(self) -> list[Call]:
        """The calls an idle session still waits on (``requires_action``), rebuilt from its log."""
        events = self.store.session_events(self.sid, processed_only=True)
        statuses = [event for event in events if event["type"].startswith("session.status_")]
        if not statuses or (statuses[-1].get("stop_reason") or {}).get("type") != "requires_action":
            return []
        starts = [index for index, event in enumerate(events) if event["type"] == "span.model_request_start"]
        recent = events[starts[-1] :] if starts else events
        answered = answered_ids(events)
        confirmations = {event["tool_use_id"]: event for event in events if event["type"] == "user.tool_confirmation"}
        calls = []
        for event in recent:
            if event["type"] in USE_KINDS and event["id"] not in answered and not event.get("session_thread_id"):
                call = Call.from_event(event)
                call.answer = confirmations.get(call.id)
                calls.append(call)
        return calls


#: Use events a child thread marks with its ``session_thread_id``.
_THREAD_MARKED = ("agent.tool_use", "agent.mcp_tool_use", "agent.custom_tool_use")
NO_ANSWER_TEXT = "(the thread ended without an answer)"


class ThreadRunner(SessionRunner):
    """The turns of a child thread: its own event log (keyed by the thread id), status, usage and
    stats; status changes and calls that need the user are cross-posted to the session's log with
    ``session_thread_id``. Started by its parent's delegation, which waits for the turn to end."""

    primary = False

    @classmethod
    def adopt(cls, parent: SessionRunner) -> list[ThreadRunner]:
        """Runners for the parent session's stored child threads (after a restart), so that
        delegations reuse them; threads a crash left running are returned to be cut short."""
        threads, _ = parent.store.list_threads(parent.session_id)
        cut = []
        for thread in threads:
            if thread.get("parent_thread_id") is None or thread["id"] in parent.children:
                continue
            child = parent.children[thread["id"]] = cls(parent, thread)
            if thread.get("status") in ("running", "rescheduling"):
                cut.append(child)
        return cut

    def __init__(self, parent: SessionRunner, thread: dict[str, Any]) -> None:
        super().__init__(parent.engine, parent.session_id)
        self.parent = parent
        self.tid = self.sid = thread["id"]
        self.name = thread["agent"]["name"]

    def _thread(self) -> dict[str, Any]:
        return self.store.get_thread(self.session_id, self.tid) or {}

    def _start_meter(self, session: dict[str, Any]) -> None:
        thread = self._thread()
        self.meter = UsageMeter(model_id(thread.get("agent") or {}), thread.get("usage"))

    def _agent(self, session: dict[str, Any]) -> dict[str, Any]:
        return self._thread().get("agent") or {}

    def _over_budget(self) -> bool:
        return self.parent._over_budget()  # the session's budget, spent by all its threads

    def stopped_waiting(self) -> bool:
        """Whether the thread's log ends idle on ``requires_action`` (a wait a restart ended)."""
        statuses = [e for e in self.store.session_events(self.sid) if e["type"].startswith("session.thread_status_")]
        return bool(statuses) and (statuses[-1].get("stop_reason") or {}).get("type") == "requires_action"

    def final_answer(self) -> list[dict[str, Any]]:
        """The content of the thread's last message since its last delegated prompt."""
        events = self.store.session_events(self.sid, processed_only=True)
        start = max((i for i, e in enumerate(events) if e["type"] == "agent.thread_message_received"), default=-1)
        said = [e for e in events[start + 1 :] if e["type"] == "agent.message"]
        return said[-1]["content"] if said else [{"type": "text", "text": NO_ANSWER_TEXT}]

    async def _emit(self, type_: str, **fields: Any) -> dict[str, Any]:
        if type_ in _THREAD_MARKED:
            fields["session_thread_id"] = self.tid
        return await self.log.emit(self.sid, {"type": type_, **fields})

    async def _cross_post(self, event: dict[str, Any]) -> None:
        """Copy a thread event, id and all, to the session's log."""
        await self.log.emit(self.session_id, event)

    async def _announce(self, agent: dict[str, Any], use: ToolUse) -> None:
        await super()._announce(agent, use)
        call = self._calls[-1]
        if call.needs_answer:
            await self._cross_post(call.event)

    async def _end_span(self, usage: dict[str, int], *, is_error: bool) -> None:
        if self._span is not None:  # the session's usage counts its threads'
            self.parent.meter.add({**model_usage(), **usage})
        await super()._end_span(usage, is_error=is_error)

    def _save(self, status: str) -> dict[str, Any] | None:
        thread = self._thread()
        if not thread:
            return None
        stamp = now()
        stats = {
            "active_seconds": round(self.meter.active(), 3),
            "duration_seconds": _seconds_since(thread["created_at"]),
        }
        thread.update(status=status, updated_at=stamp, usage=self.meter.to_wire(), stats=stats)
        self.store.put_thread(thread)
        return thread

    async def _status(self, status: str, type_: str, **fields: Any) -> None:
        thread = self._save(status)
        event = await self._emit(type_, session_thread_id=self.tid, agent_name=self.name, **fields)
        await self._cross_post(event)
        del thread

    async def _running(self) -> None:
        self.meter.start_active()
        await self._status("running", "session.thread_status_running")
        if self.parent.state == "waiting":  # the session waited on this thread: it runs again
            self.parent.state = "running"
            await self.parent._running()

    async def _rescheduled(self) -> None:
        await self._status("rescheduling", "session.thread_status_rescheduled")

    async def _idle(self, stop_reason: dict[str, Any]) -> None:
        self.meter.stop_active()
        await self._status("idle", "session.thread_status_idle", stop_reason=stop_reason, stop_details=None)
        if stop_reason.get("type") == "requires_action":  # the session waits on this thread
            self.parent.state = "waiting"
            await self.parent._idle(stop_reason)

    async def _terminated(self) -> None:
        self.meter.stop_active()
        await self._status("terminated", "session.thread_status_terminated")
