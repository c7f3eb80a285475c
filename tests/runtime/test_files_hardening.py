"""File tools under attack, mostly over loopback HTTP against the whole runtime: a catastrophic
regex, FIFOs, a stuck file system and a directory swapped for a link mid-call never hang the
server nor reach outside the workspace, and a repository token never lands in it."""

from __future__ import annotations

import base64
import os
import shutil
import threading
from pathlib import Path

import pytest

from app.runtime.tools import ToolContext, ToolRegistry, base, files
from tests.runtime.sdk_support import run_turn, tool_output, toolset_session
from tests.runtime.test_engine_repos import git_repo


@pytest.fixture
def session(live_sdk):
    return toolset_session(live_sdk, "hard")


def tool_result(live_sdk, session_id: str, text: str) -> tuple[str, bool]:
    """Run one turn; its tool result (text, is_error)."""
    return tool_output(run_turn(live_sdk, session_id, text))


def workspace(live_runtime, session) -> Path:
    return live_runtime.runtime.engine.workspace(session.id)


@pytest.mark.timeout(60)
def test_a_catastrophic_regex_matches_in_linear_time(live_sdk, session):
    assert tool_result(live_sdk, session.id, f"/write line.txt {'a' * 40}!") == (
        "Created /workspace/line.txt (41 characters)",
        False,
    )
    assert tool_result(live_sdk, session.id, "/grep (a+)+$") == ("No matches for (a+)+$", False)
    assert tool_result(live_sdk, session.id, "/grep ^(a+)+!$") == (f"/workspace/line.txt:1:{'a' * 40}!", False)


def test_a_pattern_re2_cannot_run_is_a_clear_tool_error(live_sdk, session):
    tool_result(live_sdk, session.id, "/write twice.txt abab")
    for pattern in [r"(ab)\1", "a(?=b)", "(?<!x)a"]:
        text, is_error = tool_result(live_sdk, session.id, f"/grep '{pattern}'")
        assert is_error and "pattern: invalid regular expression" in text and "backreferences or lookaround" in text


@pytest.mark.timeout(90)
def test_fifos_are_refused_and_never_tie_up_the_server(live_sdk, live_runtime, session):
    tool_result(live_sdk, session.id, "/write notes.txt needle")
    os.mkfifo(workspace(live_runtime, session) / "pipe")
    # more than asyncio's shared thread pool holds: a stuck one each would leave none
    for _ in range(min(32, (os.cpu_count() or 1) + 4) + 1):
        for command in ["/write pipe x", "/read pipe", "/edit pipe a => b"]:
            text, is_error = tool_result(live_sdk, session.id, command)
            assert is_error and text.startswith("/workspace/pipe is a FIFO"), text
    assert tool_result(live_sdk, session.id, "/grep needle") == ("/workspace/notes.txt:1:needle", False)
    assert tool_result(live_sdk, session.id, "/glob *") == ("/workspace/notes.txt", False)
    live_sdk.beta.sessions.delete(session.id)


@pytest.mark.timeout(90)
def test_a_stuck_file_call_is_given_up_and_the_next_one_runs(live_sdk, live_runtime, session, monkeypatch):
    tool_result(live_sdk, session.id, "/write a.txt hello")
    release = threading.Event()

    def stuck(*args, **kwargs):
        release.wait()
        raise OSError("released")

    monkeypatch.setattr(base, "FILE_TOOL_TIMEOUT", 0.2)
    monkeypatch.setattr(files, "read_text", stuck)
    try:
        for _ in range(min(32, (os.cpu_count() or 1) + 4) + 1):
            text, is_error = tool_result(live_sdk, session.id, "/read a.txt")
            assert is_error and "gave up after 0.2s" in text and "cancelled" in text
        assert tool_result(live_sdk, session.id, "/write b.txt still here") == (
            "Created /workspace/b.txt (10 characters)",
            False,
        )
        assert tool_result(live_sdk, session.id, "/grep still") == ("/workspace/b.txt:1:still here", False)
        live_sdk.beta.sessions.delete(session.id)
    finally:
        release.set()


class Swapper:
    """Swaps ``ws/d`` between a real directory and a link to ``outside`` until stopped."""

    def __init__(self, ws: Path, outside: Path) -> None:
        self.ws, self.outside = ws, outside
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        d, away = self.ws / "d", self.ws / "d.away"
        while not self.stop.is_set():
            os.rename(d, away)
            try:
                os.symlink(self.outside, d)
                os.unlink(d)
            except FileExistsError:  # write made d anew while it was away
                pass
            while True:
                try:
                    os.rename(away, d)
                    break
                except OSError:  # d made anew, and written to: drop it
                    shutil.rmtree(d, ignore_errors=True)

    def __enter__(self) -> Swapper:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def arena(root: Path) -> tuple[Path, Path]:
    """A workspace with ``d/f.txt`` inside, and ``outside/f.txt`` (a secret) next to it."""
    ws, outside = root / "ws", root / "outside"
    (ws / "d").mkdir(parents=True)
    outside.mkdir()
    (ws / "d" / "f.txt").write_text("inside\n")
    (outside / "f.txt").write_text("SECRET outside\n")
    return ws, outside


async def test_a_directory_swapped_for_a_link_never_leads_a_tool_out(tmp_path):
    ws, outside = arena(tmp_path)
    ctx, tools = ToolContext(workspace=ws), ToolRegistry()
    seen: list[str] = []
    with Swapper(ws, outside):
        for i in range(300):
            for name, input in [
                ("write", {"file_path": f"d/w{i}.txt", "content": "written"}),
                ("read", {"file_path": "d/f.txt"}),
                ("edit", {"file_path": "d/f.txt", "old_string": "SECRET", "new_string": "pwned"}),
                ("grep", {"pattern": "SECRET", "path": "d"}),
            ]:
                result = await tools.run(name, input, ctx)
                seen.append(result.content[0]["text"])
    assert sorted(p.name for p in outside.iterdir()) == ["f.txt"]
    assert (outside / "f.txt").read_text() == "SECRET outside\n"
    assert not any("SECRET outside" in text for text in seen)
    assert len(list((ws / "d").glob("w*.txt"))) > 0


def test_the_swap_race_over_http(live_sdk, live_runtime, session):
    tool_result(live_sdk, session.id, "/write d/f.txt inside")
    ws = workspace(live_runtime, session)
    outside = live_runtime.runtime.data_dir / "outside"
    outside.mkdir()
    (outside / "f.txt").write_text("SECRET outside\n")
    results = []
    with Swapper(ws, outside):
        for i in range(60):
            results.append(tool_result(live_sdk, session.id, f"/write d/w{i}.txt written"))
            results.append(tool_result(live_sdk, session.id, "/read d/f.txt"))
    assert sorted(p.name for p in outside.iterdir()) == ["f.txt"]
    assert not any("SECRET outside" in text for text, _ in results)


def test_a_repository_token_lands_nowhere_in_the_workspace(live_sdk, live_runtime, tmp_path):
    token = "ghp_TOKENatRESTnever0123456789abcdef"
    source = git_repo(tmp_path / "source")
    repo = {
        "type": "github_repository",
        "url": f"file://{source}",
        "authorization_token": token,
        "mount_path": "/workspace/demo",
    }
    session = toolset_session(live_sdk, "repo", resources=[repo])
    assert tool_result(live_sdk, session.id, "/read demo/hello.py") == ("     1\tprint('hello')", False)
    secrets = [token.encode(), base64.b64encode(f"x-access-token:{token}".encode())]
    for path in workspace(live_runtime, session).rglob("*"):
        if path.is_file():
            assert not any(secret in path.read_bytes() for secret in secrets), path
    text, is_error = tool_result(live_sdk, session.id, f"/grep {token[:12]} {live_runtime.runtime.data_dir}")
    assert is_error and "outside the workspace" in text


def test_a_file_name_that_is_not_utf8_is_listed_not_fatal(live_sdk, live_runtime, session):
    root = workspace(live_runtime, session)
    root.mkdir(parents=True, exist_ok=True)
    (root / os.fsdecode(b"\xffbad.txt")).write_text("needle\n")
    assert tool_result(live_sdk, session.id, "/glob *") == ("/workspace/\\xffbad.txt", False)
    assert tool_result(live_sdk, session.id, "/grep needle") == ("/workspace/\\xffbad.txt:1:needle", False)


def test_a_write_or_edit_given_up_changes_nothing(tmp_path):
    """The caller of a call given up was told it did not happen: it must not happen later."""
    ctx = ToolContext(workspace=tmp_path)
    (tmp_path / "f.txt").write_text("before\n")
    given_up = base.Deadline(30)
    given_up.abandoned = True
    for run, args in (
        (files.write, files.WriteInput(file_path="f.txt", content="after\n")),
        (files.write, files.WriteInput(file_path="new.txt", content="after\n")),
        (files.edit, files.EditInput(file_path="f.txt", old_string="before", new_string="after")),
    ):
        with pytest.raises(base.ToolError, match="gave up"):
            run(args, ctx, given_up)
    assert (tmp_path / "f.txt").read_text() == "before\n" and not (tmp_path / "new.txt").exists()
