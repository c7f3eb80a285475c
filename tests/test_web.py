"""``agentdeck web``: the app served in a browser by textual-serve, on loopback, sharing the data
dir's embedded runtime with every tab."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import httpx

from app.cli import build_parser
from app.runtime.discovery import read_record, runtime_folder
from app.web import app_command
from tests.test_cli_runtime import no_key_env

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b(?:\[[0-9;?$]*[A-Za-z~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][A-Z0-9]|[=>])")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page(url: str, deadline: float) -> httpx.Response:
    """The index page, once the server answers."""
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def children(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


def wait_until(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited too long for {what}"
        time.sleep(0.05)


async def first_screen(url: str, until: str) -> str:
    """What the app a new tab starts draws, as plain text, up to the first ``until``."""
    drawn = ""
    async with aiohttp.ClientSession() as client, client.ws_connect(f"{url}/ws?width=100&height=30") as ws:
        async with asyncio.timeout(60):
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    drawn += message.data.decode("utf-8", "replace")
                    if until in ANSI.sub("", drawn):
                        break
        await ws.send_json(["stdin", "\x11"])  # ctrl+q
    return ANSI.sub("", drawn)


def test_web_serves_the_app_and_a_tab_shows_its_first_screen_on_the_shared_runtime(tmp_path):
    data_dir, port = tmp_path / "data", free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir), "web", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=no_key_env(data_dir),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        index = page(url, time.monotonic() + 60)
        assert index.status_code == 200 and f"{url.replace('http', 'ws')}/ws" in index.text
        record = read_record(runtime_folder(data_dir))
        assert record is not None and record.pid == server.pid, "web keeps the embedded runtime for its tabs"
        drawn = asyncio.run(first_screen(url, f"embedded runtime (no API key, pid {server.pid})"))
        assert "Environments" in drawn and "Sessions" in drawn and "Chat" in drawn
        assert record.key() not in drawn
        wait_until(lambda: not children(server.pid), "the closed tab's app to quit")
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert read_record(runtime_folder(data_dir)) is None, "the runtime stopped with the server"


def test_web_on_a_busy_port_is_one_clear_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "app", "--data-dir", str(tmp_path / "data"), "web", "--port", str(port)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=no_key_env(tmp_path / "data"),
            timeout=60,
        )
    assert result.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_each_tab_gets_the_global_flags_but_never_the_key_on_its_command_line():
    args = build_parser().parse_args(
        ["--api-key", "sk-ant-web-SECRET", "--base-url", "http://127.0.0.1:1", "--data-dir", "/tmp/d x", "web"]
    )
    command = app_command(args)
    assert "sk-ant-web-SECRET" not in command
    assert command.endswith("-m app --base-url http://127.0.0.1:1 --data-dir '/tmp/d x'")


def test_a_port_out_of_range_is_one_clear_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "app", "web", "--port", "99999"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=no_key_env(tmp_path / "data"),
        timeout=60,
    )
    assert result.returncode == 2 and "not a port number (0-65535): '99999'" in result.stderr
    assert "Traceback" not in result.stderr
