"""Durability: ``agentdeck serve`` killed with SIGKILL mid-turn loses nothing it had streamed, and
after a restart on the same data dir the cut-short session is idle and says why."""

from __future__ import annotations

import re
import signal
import subprocess
from pathlib import Path

import anthropic

from tests.runtime.serve_support import serve_process

KEY = "sk-durability-test-key"


def start_server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """``agentdeck serve`` on a free loopback port, with a slow stream so a turn lasts a while."""
    process = serve_process(data_dir, "--port", "0", "--api-key", KEY, "--pace", "0.05", env={"HOME": str(data_dir)})
    line = process.stdout.readline()
    match = re.search(r"serving at (http://\S+)", line)
    assert match, f"no base URL in {line!r}: {process.stderr.read() if process.poll() is not None else ''}"
    return process, match.group(1)


def test_sigkill_mid_turn_keeps_every_streamed_event(tmp_path):
    server, base_url = start_server(tmp_path)
    try:
        sdk = anthropic.Anthropic(api_key=KEY, base_url=base_url, max_retries=0, timeout=30)
        env = sdk.beta.environments.create(
            name="durable", config={"type": "cloud", "networking": {"type": "unrestricted"}}
        )
        agent = sdk.beta.agents.create(
            name="durable", model="claude-sonnet-4-6", tools=[{"type": "agent_toolset_20260401"}]
        )
        session = sdk.beta.sessions.create(agent=agent.id, environment_id=env.id, title="killed mid-turn")
        stream = sdk.beta.sessions.events.stream(session.id, event_deltas=["agent.message"])
        sdk.beta.sessions.events.send(
            session.id, events=[{"type": "user.message", "content": [{"type": "text", "text": "/long 12"}]}]
        )
        streamed, deltas = [], 0
        for event in stream:
            if event.type == "event_delta":
                deltas += 1
                if deltas == 25:  # well inside the long answer: the turn is running
                    break
            elif event.type != "event_start":
                streamed.append((event.id, event.type))
        server.send_signal(signal.SIGKILL)
        server.wait(10)
    finally:
        if server.poll() is None:
            server.kill()
    assert "agent.message" not in [kind for _, kind in streamed], "the kill came after the turn had finished"
    assert len(streamed) >= 4

    server, base_url = start_server(tmp_path)
    try:
        sdk = anthropic.Anthropic(api_key=KEY, base_url=base_url, max_retries=0, timeout=30)
        history = list(sdk.beta.sessions.events.list(session.id))
        ids = [e.id for e in history]
        assert ids[: len(streamed)] == [event_id for event_id, _ in streamed], (
            "an event that was streamed before the kill is missing"
        )
        assert sdk.beta.sessions.retrieve(session.id).status == "idle"
        errors = [e for e in history if e.type == "session.error"]
        assert errors and "cut short" in errors[-1].error.message
        assert history[-1].type == "session.status_idle"
        assert sdk.beta.sessions.retrieve(session.id).title == "killed mid-turn"
        assert [e.id for e in sdk.beta.environments.list()] == [env.id]
    finally:
        server.terminate()
        server.wait(10)
