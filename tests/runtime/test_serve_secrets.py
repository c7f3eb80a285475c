"""``agentdeck serve`` keeps its secrets: an owner-only data directory and database whatever the
umask, and a server key that can be given without showing in ``ps``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.runtime.serve_support import serve_process

ROOT = Path(__file__).resolve().parents[2]


def serve(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``agentdeck serve`` under umask 022 (the usual default)."""
    return serve_process(
        data_dir,
        "--port",
        "0",
        *args,
        env={"HOME": str(data_dir.parent), **(env or {})},
        preexec_fn=lambda: os.umask(0o022),
    )


def started(process: subprocess.Popen) -> tuple[str, str]:
    """The base URL and the banner it printed."""
    banner = process.stdout.readline() + process.stdout.readline()
    match = re.search(r"serving at (http://127\.0\.0\.1:\d+)", banner)
    assert match, banner + process.stderr.read()
    return match.group(1), banner


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(10)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_the_data_dir_and_database_are_owner_only_whatever_the_umask(tmp_path):
    data = tmp_path / "data" / "runtime"  # the runtime folder of data dir tmp_path/data
    data.mkdir(mode=0o755, parents=True)
    os.chmod(data, 0o755)  # as an older version left it, with its database
    (data / "runtime.sqlite3").touch(mode=0o644)
    os.chmod(data / "runtime.sqlite3", 0o644)
    mine = tmp_path / "mine"  # a folder of the user's given as the data dir keeps its mode
    mine.mkdir()
    os.chmod(mine, 0o755)
    process = serve(mine)
    try:
        started(process)  # the runtime is up: its data dir was set up
    finally:
        stop(process)
    assert mode(mine) == 0o755
    process = serve(data.parent)
    try:
        url, banner = started(process)
        key = re.search(r"generated API key: (\S+)", banner).group(1)
        created = httpx.post(
            f"{url}/v1/environments", headers={"x-api-key": key}, json={"name": "e", "config": {"type": "cloud"}}
        )
        assert created.status_code == 200, created.text
        assert mode(data) == 0o700
        files = sorted(p.name for p in data.iterdir() if p.name.startswith("runtime.sqlite3"))
        assert files == ["runtime.sqlite3", "runtime.sqlite3-shm", "runtime.sqlite3-wal"]
        assert {name: mode(data / name) for name in files} == dict.fromkeys(files, 0o600)
    finally:
        stop(process)


@pytest.mark.parametrize("how", ["environment", "file"])
def test_the_server_key_can_be_given_without_showing_in_ps(tmp_path, how):
    key = f"sk-agentdeck-from-{how}-0123456789"
    key_file = tmp_path / "server.key"
    key_file.write_text(key + "\n")
    args = ("--api-key-file", str(key_file)) if how == "file" else ()
    process = serve(tmp_path / "data", *args, env={"AGENTDECK_SERVER_KEY": key} if how == "environment" else {})
    try:
        url, banner = started(process)
        assert "generated API key" not in banner and key not in banner
        assert key not in Path(f"/proc/{process.pid}/cmdline").read_bytes().decode()
        assert httpx.get(f"{url}/v1/environments", headers={"x-api-key": key}).status_code == 200
        assert httpx.get(f"{url}/v1/environments", headers={"x-api-key": "wrong"}).status_code == 401
    finally:
        stop(process)


def test_a_bad_key_file_is_one_clear_line_and_help_warns_about_ps(tmp_path):
    for args, phrase in [
        (("--api-key-file", str(tmp_path / "missing.key")), "cannot read --api-key-file"),
        (("--api-key", "k", "--api-key-file", str(tmp_path / "missing.key")), "not both"),
    ]:
        process = serve(tmp_path / "data", *args)
        _, err = process.communicate(timeout=30)
        assert process.returncode == 2 and phrase in err and "Traceback" not in err, err
    shown = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--help"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert "shows in ps" in " ".join(shown.split()) and "--api-key-file" in shown and "AGENTDECK_SERVER_KEY" in shown
