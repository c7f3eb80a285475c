"""Fixtures for runtime tests: serve any ASGI app on loopback, and a runtime server with an echo engine.

``serve_app(app)`` runs an app with uvicorn on 127.0.0.1 (ephemeral port) in a background thread
and yields its base URL; reuse it for any runtime app. The ``served`` fixture serves the real
routes over a fresh store with :class:`EchoEngine`, a test double of the engine that echoes inputs
through the session log; ``sdk`` is the official SDK pointed at it and ``session_id`` a new session
there. ``make_harness`` and ``harness`` drive the engine in-process (see
:mod:`tests.runtime.engine_support`).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import anthropic
import pytest
import uvicorn

from app.runtime.brain import Brain
from app.runtime.log import SessionLog
from app.runtime.server import create_app
from app.runtime.store import Store
from tests.runtime.engine_support import ALLOW_ALL, Harness

API_KEY = "sk-test-runtime-key"


@contextmanager
def serve_app(app: Any, lifespan: str = "off") -> Iterator[str]:
    """Serve ``app`` on an ephemeral loopback port until the block ends; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, interface="asgi3", log_level="warning", lifespan=lifespan, timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        server.force_exit = True
        thread.join(timeout=5)


class EchoEngine:
    """Test double of the engine: accepts input by echoing it (processed now), then plays the next
    scripted reply from ``replies`` (a list of frames: previews are published, events emitted), and
    deletes sessions the way the engine does (``session.deleted``, then the streams close)."""

    def __init__(self, log: SessionLog) -> None:
        self.log = log
        self.replies: list[list[dict[str, Any]]] = []

    async def send(self, session_id: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        echoes = [await self.log.emit(session_id, event) for event in events]
        for frame in self.replies.pop(0) if self.replies else []:
            if frame["type"] in ("event_start", "event_delta"):
                self.log.preview(session_id, frame)
            else:
                await self.log.emit(session_id, frame)
        return echoes

    async def delete_session(self, session_id: str) -> None:
        await self.log.emit(session_id, {"type": "session.deleted"})
        self.log.close_session(session_id)
        self.log.store.delete_session(session_id)


@dataclass
class Served:
    """A runtime app being served: where, with which key, and its parts."""

    base_url: str
    api_key: str
    store: Store
    log: SessionLog
    engine: EchoEngine

    def sdk(self, **options: Any) -> anthropic.Anthropic:
        """The official SDK pointed here, validating every response strictly."""
        return anthropic.Anthropic(
            api_key=self.api_key, base_url=self.base_url, _strict_response_validation=True, **options
        )

    def async_sdk(self, **options: Any) -> anthropic.AsyncAnthropic:
        return anthropic.AsyncAnthropic(
            api_key=self.api_key, base_url=self.base_url, _strict_response_validation=True, **options
        )


@pytest.fixture
def served(tmp_path) -> Iterator[Served]:
    """The real routes over a fresh store, an :class:`EchoEngine`, and a 0.2 s heartbeat."""
    store = Store(tmp_path / "runtime.sqlite3")
    log = SessionLog(store)
    engine = EchoEngine(log)
    app = create_app(store=store, log=log, engine=engine, api_key=API_KEY, heartbeat=0.2)
    with serve_app(app) as base_url:
        yield Served(base_url, API_KEY, store, log, engine)
    store.close()


@pytest.fixture
def sdk(served) -> Iterator[anthropic.Anthropic]:
    with served.sdk() as client:
        yield client


@pytest.fixture
def session_id(sdk) -> str:
    """A new session (environment ``box``, agent ``helper`` without tools); its id."""
    env = sdk.beta.environments.create(name="box")
    agent = sdk.beta.agents.create(name="helper", model="claude-sonnet-4-6")
    return sdk.beta.sessions.create(agent=agent.id, environment_id=env.id).id


@pytest.fixture
def live_runtime(tmp_path) -> Iterator[Any]:
    """The whole embedded runtime (real engine, offline model, real tools) on a loopback port."""
    from app.runtime.runtime import start_in_thread

    running = start_in_thread(tmp_path / "data", api_key=API_KEY, pace=0.0, heartbeat=0.5)
    yield running
    running.stop()


def strict_sdk(running: Any) -> anthropic.Anthropic:
    """The official SDK, validating every response strictly, against a running runtime."""
    return anthropic.Anthropic(
        api_key=running.api_key, base_url=running.base_url, _strict_response_validation=True, timeout=30
    )


@pytest.fixture
def live_sdk(live_runtime) -> Iterator[anthropic.Anthropic]:
    """:func:`strict_sdk` against :func:`live_runtime`."""
    with strict_sdk(live_runtime) as client:
        yield client


@pytest.fixture
async def make_harness(tmp_path):
    """Build harnesses: ``await make_harness(tools=..., brain=..., budget=..., model=...)``."""
    made: list[Harness] = []

    async def build(
        *,
        tools: list[dict[str, Any]] | None = None,
        brain: Brain | None = None,
        budget: str | None = None,
        model: str = "claude-sonnet-4-6",
    ) -> Harness:
        root = tmp_path / f"runtime{len(made)}"
        root.mkdir()
        harness = Harness(root, tools=ALLOW_ALL if tools is None else tools, brain=brain, budget=budget, model=model)
        made.append(harness)
        return harness

    yield build
    for harness in made:
        await harness.close()


@pytest.fixture
async def harness(make_harness):
    """The offline model, every built-in tool allowed."""
    return await make_harness()
