"""``agentdeck watch``: a session followed over loopback HTTP prints each settled block once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.config import resolve_settings
from app.watch import watch
from tests.conftest import EXAMPLES, load_example

SID = "sesn_011CaR7Q9wErT5yU3iOpA6sD"
KEY = "sk-ant-watch-SECRET-0123456789"
DELETED = (
    'event: session.deleted\ndata: {"type":"session.deleted","id":"sevt_gone",'
    '"processed_at":"2026-05-02T10:00:00.000Z"}\n\n'
)


def session_api(history: list[dict], stream: str):
    """Serve one session: its events list (one page) and a stream that sends ``stream`` then ends."""

    async def handler(request: Request) -> Response:
        path = request.url.path
        if path == f"/v1/sessions/{SID}/events/stream":
            return Response(stream, media_type="text/event-stream")
        if path == f"/v1/sessions/{SID}/events":
            return JSONResponse({"data": history, "next_page": None})
        return JSONResponse({"type": "error", "error": {"type": "not_found_error", "message": "no"}}, 404)

    return handler


async def follow(server, tmp_path) -> list[str]:
    settings = resolve_settings(api_key=KEY, base_url=server.base_url, config_path=tmp_path / "none.toml", environ={})
    lines: list[str] = []
    assert await watch(settings, SID, emit=lines.append) == 0
    return lines


EXPECTED_TURN = [
    "› How many Python files are in the repo, and which one is the largest?",
    "· running",
    "… thought",
]


async def test_history_prints_the_turn_in_order(server, tmp_path):
    server.handler = session_api(load_example("events_page.json")["data"], DELETED)
    lines = await follow(server, tmp_path)
    assert lines[:3] == EXPECTED_TURN
    tool = next(line for line in lines if line.startswith("⚙ bash"))
    assert "[ok 0.7s]" in tool and "│ 14" in tool and "./tui_demo/app.py" in tool
    answer = next(line for line in lines if line.startswith("There are **14** Python files"))
    assert lines.index(tool) < lines.index(answer)
    assert lines[-2:] == ["· idle (end_turn)", "· deleted"]
    assert len(lines) == len(set(lines)), "a block was printed twice"


async def test_the_live_stream_prints_the_same_as_history(server, tmp_path):
    server.handler = session_api(load_example("events_page.json")["data"], DELETED)
    from_history = await follow(server, tmp_path)
    server.handler = session_api([], (EXAMPLES / "turn_stream.sse").read_text() + DELETED)
    assert await follow(server, tmp_path) == from_history


async def test_a_missing_session_is_one_clear_line(server, tmp_path):
    server.handler = session_api([], DELETED)
    settings = resolve_settings(api_key=KEY, base_url=server.base_url, config_path=tmp_path / "x", environ={})
    lines: list[str] = []
    assert await watch(settings, "sesn_missing", emit=lines.append) == 1
    assert len(lines) == 1 and "does not exist" in lines[0] and KEY not in lines[0]


def test_watch_command_never_prints_the_key(server, tmp_path):
    server.handler = session_api(load_example("events_page.json")["data"], DELETED)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AGENTDECK_CONFIG": str(tmp_path / "none.toml"),
        "ANTHROPIC_API_KEY": KEY,
    }
    result = subprocess.run(
        [sys.executable, "-m", "app", "--base-url", server.base_url, "watch", SID],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "There are **14** Python files" in result.stdout
    assert KEY not in result.stdout + result.stderr
    assert server.requests and all(r.headers.get("x-api-key") == KEY for r in server.requests)


async def follow_plain(server, tmp_path, history: list[dict]) -> list[str]:
    server.handler = session_api(history, DELETED)
    return await follow(server, tmp_path)


async def test_an_unreadable_event_is_printed_for_what_it_is_and_the_rest_follows(server, tmp_path):
    history = load_example("events_page.json")["data"]
    odd = {"type": "session.error", "id": "sevt_odd", "processed_at": history[2]["processed_at"], "error": "boom"}
    server.handler = session_api([*history[:3], odd, *history[3:]], DELETED)
    lines = await follow(server, tmp_path)
    (unreadable,) = [line for line in lines if "unreadable" in line]
    assert unreadable.startswith("! unreadable event (session.error): session.error.error:") and '"boom"' in unreadable
    assert [line for line in lines if line != unreadable] == await follow_plain(server, tmp_path, history)
    assert lines.index(unreadable) < lines.index("· idle (end_turn)")
