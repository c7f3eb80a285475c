"""Render agentdeck's main screens as SVGs with Textual's own export, from a real embedded runtime.

    python3 screenshots/render.py            # writes screenshots/*.svg

Each screen is driven the way a person would (keys and clicks through ``App.run_test``) against
an embedded runtime in a temporary data dir, so what the README shows is what the app shows.
The app runs with no API key, so it starts its own runtime (on a data dir seeded beforehand)
and its header says so; the runtime's key is never on screen.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from app.config import resolve_settings  # noqa: E402
from app.runtime.runtime import start_in_thread  # noqa: E402
from app.tui.app import AgentDeckApp  # noqa: E402

SIZE = (140, 42)
OUT = Path(__file__).resolve().parent


def seed(base_url: str, key: str) -> dict[str, dict]:
    """An environment, three agents (one that asks before bash, one that coordinates another) and
    four sessions."""
    http = httpx.Client(base_url=base_url, headers={"x-api-key": key}, timeout=30)

    def post(path: str, body: dict) -> dict:
        reply = http.post(path, json=body)
        reply.raise_for_status()
        return reply.json()

    env = post(
        "/v1/environments", {"name": "python-dev", "config": {"type": "cloud", "networking": {"type": "unrestricted"}}}
    )
    post(
        "/v1/environments",
        {
            "name": "docs-site",
            "config": {"type": "cloud", "networking": {"type": "limited", "allowed_hosts": ["pypi.org"]}},
        },
    )
    helper = post(
        "/v1/agents",
        {"name": "repo-helper", "model": "claude-sonnet-4-6", "tools": [{"type": "agent_toolset_20260401"}]},
    )
    careful = post(
        "/v1/agents",
        {
            "name": "careful",
            "model": "claude-opus-4-8",
            "tools": [
                {
                    "type": "agent_toolset_20260401",
                    "configs": [{"name": "bash", "permission_policy": {"type": "always_ask"}}],
                }
            ],
        },
    )
    lead = post(
        "/v1/agents",
        {
            "name": "lead",
            "model": "claude-sonnet-4-6",
            "multiagent": {"type": "coordinator", "agents": [{"type": "agent", "id": helper["id"]}]},
        },
    )
    team = post("/v1/vaults", {"display_name": "Team keys", "metadata": {"team": "platform"}})
    for name, url in (
        ("GitHub MCP", "https://api.githubcopilot.com/mcp/"),
        ("Docs search", "https://docs.example.com/mcp"),
    ):
        auth = {"type": "static_bearer", "mcp_server_url": url, "token": "never-shown-token"}
        post(f"/v1/vaults/{team['id']}/credentials", {"auth": auth, "display_name": name})
    post("/v1/vaults", {"display_name": "Personal"})
    sessions = {
        "multi": post("/v1/sessions", {"agent": lead["id"], "environment_id": env["id"], "title": "Delegate a count"}),
        "approval": post(
            "/v1/sessions", {"agent": careful["id"], "environment_id": env["id"], "title": "Clean up build artefacts"}
        ),
        "tools": post(
            "/v1/sessions", {"agent": helper["id"], "environment_id": env["id"], "title": "Count the Python files"}
        ),
        "chat": post("/v1/sessions", {"agent": helper["id"], "environment_id": env["id"], "title": "Explain the feed"}),
    }
    http.close()
    return sessions


async def until(pilot, check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    """Let the app run until ``check()`` holds (a hang guard, not a timing)."""
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


async def settle(app: AgentDeckApp, pilot) -> None:
    """The chat shows every block, and the sessions list has caught up with the server."""
    main = app.main_screen
    view = main.chat.query_one("TranscriptView")

    def shown() -> bool:
        return view.up_to_date and {w.block_id for w in view.block_widgets} == {b.id for b in main.chat.transcript}

    await until(pilot, shown, "the whole transcript on screen")
    main.sessions.refresh_sessions()
    await until(pilot, lambda: all(s.status != "running" for s in main.sessions.listed), "the sessions list")


async def shoot(settings, name: str, scene: Callable[[AgentDeckApp, object], Awaitable[None]]) -> None:
    app = AgentDeckApp(settings)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.backend is not None, "the backend")
        await scene(app, pilot)
        await settle(app, pilot)
        await pilot.pause(0.3)
        app.save_screenshot(str(OUT / f"{name}.svg"))
    print(f"wrote screenshots/{name}.svg")


async def open_and_send(app, pilot, session: dict, text: str, stop_reason: str) -> None:
    """Open ``session``, type ``text`` in the composer, send it, wait until the turn pauses."""
    from app.tui.messages import SessionOpened

    app.main_screen.sessions.post_message(SessionOpened(session["id"]))
    await pilot.pause(0.5)
    await pilot.press(*text)
    await pilot.press("enter")
    summary = lambda: app.main_screen.chat.transcript.summary  # noqa: E731
    await until(pilot, lambda: summary().status == "idle" and summary().stop_reason == stop_reason, stop_reason)
    await settle(app, pilot)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        running = start_in_thread(data_dir / "runtime", pace=0.0)  # the store the app's own runtime opens
        try:
            sessions = seed(running.base_url, running.api_key)
        finally:
            running.stop()
        # No API key: each app starts its embedded runtime on that data dir, as a newcomer's does.
        settings = resolve_settings(data_dir=data_dir, config_path=Path(tmp) / "config.toml", environ={})

        async def chat(app, pilot):
            await open_and_send(app, pilot, sessions["chat"], "/long 1", "end_turn")

        async def tool(app, pilot):
            await open_and_send(app, pilot, sessions["tools"], "!ls -la /usr/lib/python3*/json", "end_turn")
            app.main_screen.chat.query_one("#chat-transcript").focus()
            await pilot.press("K")
            await pilot.press("enter")

        async def approval(app, pilot):
            await open_and_send(
                app, pilot, sessions["approval"], "!rm -rf build/ dist/ && echo cleaned", "requires_action"
            )

        async def new_session(app, pilot):
            app.main_screen.sessions.focus()
            await pilot.press("n")
            await until(pilot, lambda: type(app.screen).__name__ == "SessionFormScreen", "the form")

        async def multi_agent(app, pilot):
            await open_and_send(
                app, pilot, sessions["multi"], "/delegate repo-helper !ls /usr/lib/python3*/json | wc -l", "end_turn"
            )

        async def search(app, pilot):
            await open_and_send(app, pilot, sessions["chat"], "/long 2", "end_turn")
            await pilot.press("ctrl+f", *"stream")
            await pilot.press("enter")

        async def inspector(app, pilot):
            await open_and_send(app, pilot, sessions["tools"], "!ls /usr/lib/python3*/json", "end_turn")
            app.main_screen.chat.query_one("#chat-transcript").focus()
            await pilot.press("K", "i")
            await until(pilot, lambda: type(app.screen).__name__ == "EventInspector", "the inspector")

        async def session_info(app, pilot):
            await open_and_send(app, pilot, sessions["tools"], "!ls /usr/lib/python3*/json | wc -l", "end_turn")
            await pilot.press("f2")
            await until(pilot, lambda: type(app.screen).__name__ == "SessionInfoScreen", "session info")

        async def vaults(app, pilot):
            await pilot.press("f5")
            await until(pilot, lambda: type(app.screen).__name__ == "VaultsScreen", "the vaults")
            await pilot.pause(0.5)
            await pilot.press("down", "v")  # the newest first: "Team keys" is second
            await until(pilot, lambda: type(app.screen).__name__ == "CredentialsScreen", "the credentials")

        scenes = (
            ("chat", chat),
            ("tool_call", tool),
            ("permission", approval),
            ("new_session", new_session),
            ("multi_agent", multi_agent),
            ("search", search),
            ("inspector", inspector),
            ("session_info", session_info),
            ("vaults", vaults),
        )
        for name, scene in scenes:
            await shoot(settings, name, scene)


if __name__ == "__main__":
    asyncio.run(main())
