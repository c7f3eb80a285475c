"""The chat view with a multi-agent session, against a scripted Agent API on loopback: a sub-agent's
tool call waits for approval; the prompt names the sub-agent and the confirmation carries the
child's tool use id."""

from __future__ import annotations

import asyncio
import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from app.tui.chat.header import ChatHeader
from app.tui.chat.permission import PermissionPrompt
from tests.conftest import load_example
from tests.tui.blocks_support import CHILD
from tests.tui.chat_support import ChatApp, start
from tests.tui.conftest import TERMINAL, settings_for
from tests.tui.pilot_support import screen_text, wait_for

SESSION = load_example("session.json")
ENV = load_example("environment.json")
SID = SESSION["id"]
CHILD_USE = "sevt_child_tool_use"


def _at(n: int) -> str:
    return f"2026-05-02T09:30:{n:02d}.000Z"


HISTORY = [
    {
        "type": "user.message",
        "id": "sevt_t0",
        "content": [{"type": "text", "text": "Run the tests via the helper"}],
        "processed_at": _at(0),
    },
    {"type": "session.status_running", "id": "sevt_t1", "processed_at": _at(1)},
    {
        "type": "session.thread_created",
        "id": "sevt_t2",
        "session_thread_id": CHILD,
        "agent_name": "test-runner",
        "processed_at": _at(2),
    },
    {
        "type": "agent.thread_message_sent",
        "id": "sevt_t3",
        "to_session_thread_id": CHILD,
        "content": [{"type": "text", "text": "Run `make test`."}],
        "processed_at": _at(3),
    },
    {
        "type": "agent.tool_use",
        "id": CHILD_USE,
        "name": "bash",
        "input": {"command": "make test"},
        "evaluated_permission": "ask",
        "session_thread_id": CHILD,
        "processed_at": _at(4),
    },
    {
        "type": "session.status_idle",
        "id": "sevt_t5",
        "stop_reason": {"type": "requires_action", "event_ids": [CHILD_USE]},
        "processed_at": _at(5),
    },
]


class ScriptedApi:
    """Just enough of the API for the chat view: the session, its environment, its history, a
    stream that stays open, and POST …/events (recorded)."""

    def __init__(self) -> None:
        self.sent: list[dict] = []

    async def handle(self, request: Request) -> Response:
        path = request.url.path
        if request.method == "GET" and path == f"/v1/sessions/{SID}":
            return JSONResponse(SESSION)
        if request.method == "GET" and path == f"/v1/environments/{SESSION['environment_id']}":
            return JSONResponse(ENV)
        if request.method == "GET" and path == f"/v1/sessions/{SID}/events":
            events = HISTORY[::-1] if request.query_params.get("order") == "desc" else HISTORY
            return JSONResponse({"data": events, "next_page": None})
        if request.method == "GET" and path == f"/v1/sessions/{SID}/events/stream":

            async def body():
                for _ in range(600):
                    yield b": ping\n\n"
                    await asyncio.sleep(0.05)

            return StreamingResponse(body(), media_type="text/event-stream")
        if request.method == "POST" and path == f"/v1/sessions/{SID}/events":
            sent = json.loads(await request.body())["events"]
            self.sent += sent
            echoes = [{**event, "id": f"sevt_echo{len(self.sent)}", "processed_at": None} for event in sent]
            return JSONResponse({"data": echoes})
        return JSONResponse({"type": "error", "error": {"type": "not_found_error", "message": path}}, 404)


async def test_a_sub_agents_tool_call_is_approved_from_the_prompt_with_the_childs_tool_use_id(server, tmp_path):
    api = ScriptedApi()
    server.handler = api.handle
    settings = settings_for(server.base_url, "sk-ant-test", tmp_path)
    async with ChatApp(settings).run_test(size=TERMINAL) as pilot:
        chat = await start(pilot, {"id": SID})
        prompt = chat.query_one(PermissionPrompt)
        await wait_for(pilot, lambda: prompt.display and prompt.approval is not None, "the prompt")
        assert prompt.approval.id == CHILD_USE and prompt.approval.agent_name == "test-runner"
        assert chat.query_one(ChatHeader).state == "needs_approval"
        await wait_for(
            pilot,
            lambda: "test-runner (sub-agent) · bash asks to run: make test" in screen_text(pilot.app),
            "the labelled prompt",
        )

        def delegated() -> bool:
            text = screen_text(pilot.app)
            return "→ test-runner: Run make test." in text and "test-runner ▸ bash" in text

        await wait_for(pilot, delegated, "the delegation and the sub-agent's call in the transcript")

        prompt.action_allow()
        await wait_for(pilot, lambda: api.sent, "the confirmation")
        assert api.sent == [{"type": "user.tool_confirmation", "tool_use_id": CHILD_USE, "result": "allow"}]
