"""Fixtures for TUI tests: a real embedded runtime on loopback and apps wired to it.

``runtime`` serves the whole embedded runtime (offline model, instant deltas) from a temp dir;
``settings`` points agentdeck at it with its key; ``seed`` creates objects through the real HTTP
API (sync SDK-free helper using our own client). Pilot tests then run the app with
``App.run_test()`` against that server: nothing is faked in-process.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config import Settings, resolve_settings

os.environ["TEXTUAL_ANIMATIONS"] = "none"

TERMINAL = (120, 40)


@pytest.fixture
def runtime(tmp_path) -> Iterator[Any]:
    """The embedded runtime serving on 127.0.0.1 (ephemeral port), deltas instant."""
    from app.runtime.runtime import start_in_thread

    running = start_in_thread(tmp_path / "runtime", api_key="sk-tui-tests", pace=0.0, heartbeat=1.0)
    yield running
    running.stop()


def settings_for(base_url: str, api_key: str, folder: Path) -> Settings:
    """Settings for the API at ``base_url`` with ``api_key``: no environment, data dir and config file in ``folder``."""
    return resolve_settings(
        api_key=api_key, base_url=base_url, data_dir=folder / "data", config_path=folder / "config.toml", environ={}
    )


@pytest.fixture
def settings(runtime, tmp_path):
    """Settings that point agentdeck at the test runtime (config file and data dir in tmp)."""
    return settings_for(runtime.base_url, runtime.api_key, tmp_path)


class Seed:
    """Create objects in the test runtime over plain HTTP, before the app starts (or, for many
    sessions at once, straight into its store)."""

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime
        self.http = httpx.Client(base_url=runtime.base_url, headers={"x-api-key": runtime.api_key}, timeout=30)

    def post(self, path: str, body: dict | None = None) -> dict:
        reply = self.http.post(path, json=body)
        reply.raise_for_status()
        return reply.json()

    def environment(self, name: str = "dev", **config: Any) -> dict:
        networking = config or {"type": "unrestricted"}
        return self.post("/v1/environments", {"name": name, "config": {"type": "cloud", "networking": networking}})

    def agent(self, name: str = "helper", *, ask: tuple[str, ...] = (), custom: tuple[str, ...] = ()) -> dict:
        toolset: dict[str, Any] = {"type": "agent_toolset_20260401"}
        if ask:
            toolset["configs"] = [{"name": tool, "permission_policy": {"type": "always_ask"}} for tool in ask]
        tools: list[dict[str, Any]] = [toolset]
        tools += [
            {
                "type": "custom",
                "name": c,
                "description": f"{c} tool",
                "input_schema": {"type": "object", "properties": {}},
            }
            for c in custom
        ]
        return self.post("/v1/agents", {"name": name, "model": "claude-sonnet-4-6", "tools": tools})

    def session(self, environment: dict, agent: dict, title: str = "First chat") -> dict:
        return self.post("/v1/sessions", {"agent": agent["id"], "environment_id": environment["id"], "title": title})

    def sessions(self, environment: dict, agent: dict, count: int) -> list[dict]:
        """``count`` idle sessions titled "session 0", "session 1"... (oldest first), written into the
        runtime's store (a second for five thousand) as the API would create them."""
        from app.runtime.ids import now
        from app.runtime.resolve import snapshot
        from app.runtime.routes.sessions import put_new_session

        store = self.runtime.runtime.store
        running = snapshot(store.get_agent(agent["id"]))
        return [put_new_session(store, environment["id"], running, now(), title=f"session {n}") for n in range(count)]

    def say(self, session: dict, text: str) -> list[dict]:
        body = {"events": [{"type": "user.message", "content": [{"type": "text", "text": text}]}]}
        return self.post(f"/v1/sessions/{session['id']}/events", body)["data"]

    def wait_until_idle(self, session: dict, stop_reason: str, timeout: float = 15.0) -> None:
        """Block until the server has ``session`` idle for ``stop_reason`` (e.g. "requires_action")."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self.http.get(f"/v1/sessions/{session['id']}/events", params={"types[]": "session.status_idle"})
            idle = reply.json()["data"]
            if idle and idle[-1]["stop_reason"]["type"] == stop_reason:
                return
            time.sleep(0.05)
        raise AssertionError(f"the session never went idle for {stop_reason}")


@pytest.fixture
def seed(runtime) -> Iterator[Seed]:
    seeder = Seed(runtime)
    yield seeder
    seeder.http.close()


def snapshot_dir() -> Path:
    return Path(__file__).parent / "__snapshots__"
