"""The embedded runtime from outside: ``agentdeck runtime``, and ``watch``/``export`` with no API key
attach to the data dir's running runtime (started as the TUI starts it), or start their own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.runtime.discovery import RuntimeBusy, RuntimeLock, attach_or_start, read_record, runtime_folder
from tests.tui.conftest import Seed

ROOT = Path(__file__).resolve().parent.parent


def agentdeck(data_dir: Path, *args: str, **options) -> subprocess.CompletedProcess:
    """Run ``agentdeck`` with no API key anywhere, on ``data_dir``."""
    return subprocess.run(
        command(data_dir, *args),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=no_key_env(data_dir),
        timeout=120,
        **options,
    )


def spawn(data_dir: Path, *args: str) -> subprocess.Popen:
    """Start ``agentdeck`` as :func:`agentdeck` runs it; its output and errors piped, as text."""
    return subprocess.Popen(
        command(data_dir, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=no_key_env(data_dir),
    )


def command(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "app", "--data-dir", str(data_dir), *args]


def no_key_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL")}
    return {**env, "HOME": str(data_dir.parent), "AGENTDECK_CONFIG": str(data_dir.parent / "none.toml")}


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def embedded(data_dir) -> Iterator:
    """The data dir's runtime, started with the code the TUI runs when it has no API key."""
    running = attach_or_start(runtime_folder(data_dir), pace=0.0, sandbox=False)
    yield running
    running.stop()


def finished_turn(runtime, text: str = "!echo attached") -> tuple[str, list[dict]]:
    """A session with one finished turn; its id and its events as the API lists them."""
    seed = Seed(runtime)
    try:
        session = seed.session(seed.environment(), seed.agent())
        seed.say(session, text)
        seed.wait_until_idle(session, "end_turn")
        events = seed.http.get(f"/v1/sessions/{session['id']}/events", params={"limit": 1000}).json()["data"]
    finally:
        seed.http.close()
    return session["id"], events


def test_runtime_prints_its_url_and_key_file_and_the_printed_curl_works(embedded, data_dir):
    shown = agentdeck(data_dir, "runtime")
    assert shown.returncode == 0, shown.stderr
    key_file = runtime_folder(data_dir) / "runtime.key"
    assert embedded.base_url in shown.stdout and str(key_file) in shown.stdout
    assert embedded.api_key not in shown.stdout + shown.stderr
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    curl = next(line.strip() for line in shown.stdout.splitlines() if line.strip().startswith("curl "))
    listed = subprocess.run(["bash", "-c", curl], capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(listed.stdout)["data"] == []
    assert embedded.api_key in agentdeck(data_dir, "runtime", "--show-key").stdout


def test_runtime_with_none_running_says_how_to_start_one(data_dir):
    shown = agentdeck(data_dir, "runtime")
    assert shown.returncode == 1 and "No embedded runtime is running" in shown.stdout
    assert "agentdeck serve" in shown.stdout and "Traceback" not in shown.stderr


def test_export_with_no_key_attaches_to_the_running_runtime_and_keeps_every_event(embedded, data_dir):
    session_id, events = finished_turn(embedded)
    exported = agentdeck(data_dir, "export", session_id, "--format", "json")
    assert exported.returncode == 0, exported.stderr
    assert f"using the embedded runtime at {embedded.base_url}" in exported.stderr
    assert json.loads(exported.stdout) == events
    lines = agentdeck(data_dir, "export", session_id, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == events
    markdown = agentdeck(data_dir, "export", session_id).stdout
    assert "!echo attached" in markdown and "### Tool call: bash [ok" in markdown
    assert '"command": "echo attached"' in markdown and "\nattached\n" in markdown
    assert embedded.base_url == read_record(runtime_folder(data_dir)).url, "the attached runtime still runs"


def test_watch_with_no_key_attaches_and_prints_the_session(embedded, data_dir):
    session_id, _ = finished_turn(embedded, "!echo watched")
    watching = spawn(data_dir, "watch", session_id)
    try:
        lines = []
        while not any(line.startswith("· idle (end_turn)") for line in lines):
            line = watching.stdout.readline()
            assert line, watching.stderr.read()
            lines.append(line)
    finally:
        watching.terminate()
        watching.wait(10)
    assert "› !echo watched\n" in lines and any(line.startswith("⚙ bash") for line in lines)


def test_export_starts_a_runtime_when_none_runs_and_withdraws_it_after(data_dir, tmp_path):
    first = attach_or_start(runtime_folder(data_dir), pace=0.0, sandbox=False)
    try:
        session_id, events = finished_turn(first)
    finally:
        first.stop()
    out = tmp_path / "out.jsonl"
    exported = agentdeck(data_dir, "export", session_id, "--format", "jsonl", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "started the embedded runtime" in exported.stderr
    assert [json.loads(line) for line in out.read_text().splitlines()] == events
    assert read_record(runtime_folder(data_dir)) is None and not (runtime_folder(data_dir) / "runtime.key").exists()


def test_a_stale_record_is_ignored_and_replaced(data_dir):
    folder = runtime_folder(data_dir)
    folder.mkdir(parents=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    (folder / "runtime.json").write_text(json.dumps({"url": "http://127.0.0.1:9", "pid": dead.pid}))
    (folder / "runtime.key").write_text("sk-agentdeck-stale\n")
    assert agentdeck(data_dir, "runtime").returncode == 1
    running = attach_or_start(folder, pace=0.0, sandbox=False)
    try:
        assert running.started_here
        record = read_record(folder)
        assert (record.url, record.pid) == (running.base_url, os.getpid())
        assert record.key() == running.api_key != "sk-agentdeck-stale"
        assert httpx.get(f"{record.url}/v1/sessions", headers={"x-api-key": record.key()}).status_code == 200
    finally:
        running.stop()


def test_two_runtimes_never_share_a_database(embedded, data_dir):
    serve = agentdeck(data_dir, "serve", "--port", "0")
    assert serve.returncode == 2 and f"already running at {embedded.base_url}" in serve.stderr
    held = RuntimeLock.acquire(runtime_folder(data_dir / "other"))
    try:  # a lock held by a runtime that has not published yet (or never answers): no second one
        with pytest.raises(RuntimeBusy, match="does not answer"):
            attach_or_start(runtime_folder(data_dir / "other"), wait=0.0)
    finally:
        held.release()


def test_a_missing_session_is_one_clear_line(embedded, data_dir):
    exported = agentdeck(data_dir, "export", "sesn_missing")
    assert exported.returncode == 1 and "cannot export sesn_missing" in exported.stderr
    assert "Traceback" not in exported.stderr and exported.stdout == ""
    assert re.search(r"not.found|does not exist", exported.stderr)


def test_a_runtime_started_by_serve_is_found_and_withdrawn_when_it_stops(data_dir):
    serving = spawn(data_dir, "serve", "--port", "0", "--pace", "0")
    try:
        url = re.search(r"serving at (\S+)", serving.stdout.readline()).group(1)
        shown = agentdeck(data_dir, "runtime")
        assert shown.returncode == 0 and f"embedded runtime: {url} (pid {serving.pid}" in shown.stdout
        attached = attach_or_start(runtime_folder(data_dir))
        assert not attached.started_here and repr(attached).count(attached.api_key) == 0
        session_id, events = finished_turn(attached)
        assert json.loads(agentdeck(data_dir, "export", session_id, "--format", "json").stdout) == events
    finally:
        serving.terminate()
        serving.wait(30)
    assert serving.returncode == 0 and read_record(runtime_folder(data_dir)) is None
    assert agentdeck(data_dir, "runtime").returncode == 1
