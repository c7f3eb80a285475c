"""A session's github_repository resources are cloned into its workspace on its first turn; a
clone that fails is reported as a retrying session.error and the turn goes on."""

from __future__ import annotations

import subprocess

from app.runtime.ids import new_id, now
from tests.runtime.engine_support import every, first, text_of


def git_repo(path):
    path.mkdir()
    env = {"HOME": str(path)}
    for role in ("AUTHOR", "COMMITTER"):
        env.update({f"GIT_{role}_NAME": "t", f"GIT_{role}_EMAIL": "t@example.com"})
    (path / "hello.py").write_text("print('hello')\n")
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "first"]):
        subprocess.run(["git", *args], cwd=path, env=env, check=True)
    return path


def add_repository(harness, url, mount_path):
    stamp = now()
    resource = {
        "type": "github_repository",
        "id": new_id("sesrsc"),
        "url": url,
        "mount_path": mount_path,
        "checkout": None,
        "created_at": stamp,
        "updated_at": stamp,
    }
    harness.store.put_resource(harness.session_id, resource, secret="ghp_secret_token")


async def test_repositories_are_cloned_on_the_first_turn_and_failures_reported(make_harness, tmp_path):
    harness = await make_harness()
    source = git_repo(tmp_path / "source")
    add_repository(harness, f"file://{source}", "/workspace/demo")
    add_repository(harness, f"file://{tmp_path / 'missing'}", "/workspace/missing")

    frames = await harness.turn("!cat demo/hello.py")
    assert text_of(first(frames, "agent.tool_result")).strip() == "print('hello')"
    (error,) = every(frames, "session.error")
    assert error["error"]["type"].startswith("repository_")
    assert error["error"]["retry_status"] == {"type": "retrying"}
    assert "ghp_secret_token" not in str(harness.stored())
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}

    frames = await harness.turn("again")  # later turns do not clone again
    assert "session.error" not in [frame["type"] for frame in frames]
