"""github_repository resources are cloned with real git; failures become repository errors."""

from __future__ import annotations

import base64
import socket
import subprocess
from pathlib import Path

import pytest
from starlette.responses import PlainTextResponse

from app.runtime.repos import clone_repository

TOKEN = "ghp_Tok3nThatMustNeverLeak"


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def origin(tmp_path_factory) -> dict:
    """A bare repository with two commits on main and a feature branch; its URL and the shas."""
    root = tmp_path_factory.mktemp("origin")
    src = root / "src"
    src.mkdir()
    git("init", "-q", "-b", "main", cwd=src)
    (src / "README.md").write_text("v1\n")
    git("add", ".", cwd=src)
    git("commit", "-q", "-m", "one", cwd=src)
    first = git("rev-parse", "HEAD", cwd=src)
    (src / "README.md").write_text("v2\n")
    git("commit", "-q", "-am", "two", cwd=src)
    git("checkout", "-q", "-b", "feature", cwd=src)
    (src / "feature.txt").write_text("feature\n")
    git("add", ".", cwd=src)
    git("commit", "-q", "-m", "feature", cwd=src)
    git("checkout", "-q", "main", cwd=src)
    git("clone", "-q", "--bare", str(src), str(root / "demo.git"), cwd=root)
    return {"url": f"file://{root / 'demo.git'}", "first": first}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    return ws


def assert_no_token(outcome, workspace: Path) -> None:
    encoded = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert TOKEN not in repr(outcome) and encoded not in repr(outcome)
    for config in workspace.glob("**/.git/config"):
        assert TOKEN not in config.read_text() and encoded not in config.read_text()


async def test_clones_the_default_branch_into_workspace_repo_name(origin, workspace):
    outcome = await clone_repository({"type": "github_repository", "url": origin["url"]}, TOKEN, workspace)
    assert outcome.ok and outcome.error is None
    assert outcome.mount_path == "/workspace/demo"
    assert (workspace / "demo" / "README.md").read_text() == "v2\n"
    assert not (workspace / "demo" / "feature.txt").exists()
    assert_no_token(outcome, workspace)


async def test_checks_out_a_branch_at_a_mount_path(origin, workspace):
    resource = {
        "url": origin["url"],
        "checkout": {"type": "branch", "name": "feature"},
        "mount_path": "/workspace/src/proj",
    }
    outcome = await clone_repository(resource, TOKEN, workspace)
    assert outcome.ok
    assert (workspace / "src/proj/feature.txt").read_text() == "feature\n"
    assert_no_token(outcome, workspace)


@pytest.mark.parametrize("length", [40, 10])
async def test_checks_out_a_commit(origin, workspace, length):
    sha = origin["first"][:length]
    resource = {"url": origin["url"], "checkout": {"type": "commit", "sha": sha}}
    outcome = await clone_repository(resource, TOKEN, workspace)
    assert outcome.ok, outcome.error
    assert (workspace / "demo" / "README.md").read_text() == "v1\n"
    assert git("rev-parse", "HEAD", cwd=workspace / "demo") == origin["first"]
    assert_no_token(outcome, workspace)


@pytest.mark.parametrize(
    "checkout", [{"type": "branch", "name": "no-such-branch"}, {"type": "commit", "sha": "1234abcd" * 5}]
)
async def test_a_missing_branch_or_commit_is_a_checkout_error(origin, workspace, checkout):
    outcome = await clone_repository({"url": origin["url"], "checkout": checkout}, TOKEN, workspace)
    assert outcome.error["type"] == "repository_checkout_error"
    assert outcome.error["retry_status"] == {"type": "retrying"}
    assert not (workspace / "demo").exists()
    assert_no_token(outcome, workspace)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_an_unreachable_host_is_a_clone_error_without_the_token(workspace):
    url = f"https://x-access-token:{TOKEN}@127.0.0.1:{closed_port()}/acme/widgets.git"
    outcome = await clone_repository({"url": url}, TOKEN, workspace)
    assert not outcome.ok
    error = outcome.error
    assert error["type"] == "repository_clone_error"
    assert error["retry_status"] == {"type": "retrying"}
    assert "127.0.0.1" in error["message"] and "widgets" in error["message"]
    assert TOKEN not in error["message"] and TOKEN not in error["repository_url"]
    assert_no_token(outcome, workspace)
    assert list(workspace.iterdir()) == []


async def test_a_missing_repository_is_not_found(tmp_path, workspace):
    outcome = await clone_repository({"url": f"file://{tmp_path}/nothing.git"}, None, workspace)
    assert outcome.error["type"] == "repository_not_found_error"


async def test_the_token_goes_to_the_server_as_a_header_only(server, workspace):
    async def refuse(request):
        return PlainTextResponse("nope", status_code=401, headers={"www-authenticate": 'Basic realm="git"'})

    server.handler = refuse
    outcome = await clone_repository({"url": f"{server.base_url}/acme/private.git"}, TOKEN, workspace)
    assert outcome.error["type"] == "repository_authentication_error"
    assert_no_token(outcome, workspace)
    seen = server.requests[0]
    assert TOKEN not in seen.path and all(TOKEN not in v for _, v in seen.query)
    assert base64.b64decode(seen.headers["authorization"].split()[1]).decode() == f"x-access-token:{TOKEN}"


async def test_a_mount_path_outside_the_workspace_is_refused(origin, workspace, tmp_path):
    outcome = await clone_repository({"url": origin["url"], "mount_path": "/workspace/../escaped"}, None, workspace)
    assert outcome.error["type"] == "repository_clone_error" and "mount_path" in outcome.error["message"]
    assert not (tmp_path / "escaped").exists()
