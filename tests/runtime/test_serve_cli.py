"""``agentdeck serve`` as a user runs it: it prints where it listens and the key it generated."""

from __future__ import annotations

import re
import socket
import subprocess
from pathlib import Path

import httpx

from tests.runtime.serve_support import serve_process


def serve(tmp_path: Path, *args: str) -> subprocess.Popen:
    """``agentdeck serve`` on ``tmp_path`` with an Anthropic key of the user's in its environment."""
    return serve_process(
        tmp_path, *args, env={"HOME": str(tmp_path), "ANTHROPIC_API_KEY": "sk-ant-real-key-never-served"}
    )


def test_serve_prints_its_url_and_generated_key_and_answers_with_it(tmp_path):
    process = serve(tmp_path, "--port", "0")
    try:
        banner = process.stdout.readline() + process.stdout.readline()
        url = re.search(r"serving at (http://127\.0\.0\.1:\d+)", banner).group(1)
        key = re.search(r"generated API key: (\S+)", banner).group(1)
        assert "sk-ant-real-key" not in banner, "the user's own Anthropic key is not the server's key"
        reply = httpx.get(f"{url}/v1/environments", headers={"x-api-key": key})
        assert reply.status_code == 200 and reply.json() == {"data": [], "next_page": None}
        assert httpx.get(f"{url}/v1/environments").status_code == 401
    finally:
        process.terminate()
        process.wait(10)
    assert (tmp_path / "runtime" / "runtime.sqlite3").exists()


def test_a_busy_port_and_a_bad_model_are_one_clear_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        busy = serve(tmp_path, "--port", port)
        _, err = busy.communicate(timeout=30)
    assert busy.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err
    bad = serve(tmp_path, "--port", "0", "--model", "replay:/no/such/file.jsonl")
    _, err = bad.communicate(timeout=30)
    assert bad.returncode == 2 and "Traceback" not in err and "file.jsonl" in err
