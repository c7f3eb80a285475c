"""Clone a ``github_repository`` session resource into the workspace with git (reference §4.4).

The repository lands at its ``mount_path`` (default ``/workspace/<repo-name>``), mapped into the
workspace like every agent path (see :mod:`app.runtime.tools.workspace`): a shallow clone of the
default branch or of ``checkout.name``, or a fetch of ``checkout.sha`` then a detached checkout.

The ``authorization_token`` reaches git only through its environment (``GIT_CONFIG_*`` setting an
``http.extraHeader``): never on a command line, in the URL, or in ``.git/config``, and it is
scrubbed from every message. git runs with prompts off, no system or user config, and a minimal
environment. A failure never raises: the outcome carries the ``session.error`` error object of
the matching repository kind (§5.4, always ``retrying``), so the session can report it and go on.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from app.runtime.tools.base import ToolError
from app.runtime.tools.process import run_in_group
from app.runtime.tools.workspace import VIRTUAL_ROOT, resolve

CLONE_TIMEOUT = 300.0
ALLOWED_SCHEMES = ("https", "http", "file")

#: (error type, phrases in git's output that mean it), checked in this order.
_KINDS = (
    (
        "repository_checkout_error",
        ("remote branch", "couldn't find remote ref", "not our ref", "did not match any", "reference is not a tree"),
    ),
    (
        "repository_authentication_error",
        ("authentication failed", "could not read username", "could not read password", "returned error: 401"),
    ),
    ("repository_forbidden_error", ("returned error: 403", "permission denied")),
    (
        "repository_not_found_error",
        ("repository not found", "does not appear to be a git repository", "returned error: 404", "not found"),
    ),
)
_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/@\s]+@", re.I)
_SHA = re.compile(r"[0-9a-fA-F]{4,40}")


@dataclass
class RepoOutcome:
    """``error``: the ``session.error`` error object (``None`` when the clone landed)."""

    url: str
    mount_path: str
    error: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class _Failed(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def classify(output: str) -> str:
    """The repository error type git's output points to (``repository_clone_error`` if none)."""
    lowered = output.lower()
    for kind, phrases in _KINDS:
        if any(phrase in lowered for phrase in phrases):
            return kind
    return "repository_clone_error"


def _scrubber(token: str | None) -> Callable[[str], str]:
    secrets = [s for s in (token, token and _basic(token)) if s]

    def scrub(text: str) -> str:
        for secret in secrets:
            text = text.replace(secret, "***")
        return _USERINFO.sub(r"\1***@", text)

    return scrub


def _basic(token: str) -> str:
    return base64.b64encode(f"x-access-token:{token}".encode()).decode()


def _git_env(workspace: Path, token: str | None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workspace),
        "LC_ALL": "C",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    if token:
        env |= {
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "http.extraHeader",
            "GIT_CONFIG_VALUE_0": f"Authorization: Basic {_basic(token)}",
        }
    return env


def _summary(output: str) -> str:
    """git's own explanation: its fatal/error lines, else its last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("fatal:", "error:", "remote:"))]
    return " ".join(errors or lines[-1:]) or "git gave no reason"


async def _git(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    """Run one git command; raise :class:`_Failed` with git's reason when it fails."""
    outcome = await run_in_group(["git", *args], cwd=cwd, env=env, timeout=CLONE_TIMEOUT, max_output=10_000)
    if outcome.timed_out:
        raise _Failed("repository_clone_error", f"git {args[0]} timed out after {CLONE_TIMEOUT:g}s")
    if outcome.exit_code:
        raise _Failed(classify(outcome.output), _summary(outcome.output))


async def _fetch_commit(url: str, sha: str, dest: Path, env: dict[str, str]) -> None:
    """Shallow-fetch ``sha`` if the server allows it, else fetch everything; then check it out."""
    await _git(["init", "-q", str(dest)], dest.parent, env)
    await _git(["remote", "add", "origin", url], dest, env)
    try:
        await _git(["fetch", "-q", "--depth", "1", "origin", sha], dest, env)
        target = "FETCH_HEAD"
    except _Failed as exc:
        if exc.kind != "repository_checkout_error":
            raise
        await _git(["fetch", "-q", "origin"], dest, env)
        target = sha
    try:
        await _git(["rev-parse", "-q", "--verify", f"{target}^{{commit}}"], dest, env)
    except _Failed:
        raise _Failed("repository_checkout_error", f"commit {sha} is not in the repository") from None
    await _git(["checkout", "-q", "--detach", target], dest, env)


def _target(resource: dict[str, Any], workspace: Path) -> tuple[str, str, Path]:
    """The URL, the mount path as the agent sees it, and the real directory to clone into."""
    url = resource.get("url")
    if not isinstance(url, str) or urlsplit(url).scheme.lower() not in ALLOWED_SCHEMES:
        raise _Failed("repository_clone_error", f"url must be one of {', '.join(ALLOWED_SCHEMES)}: {url!r}")
    name = PurePosixPath(urlsplit(url).path.rstrip("/")).name.removesuffix(".git")
    mount_path = resource.get("mount_path") or f"{VIRTUAL_ROOT}/{name}"
    if not isinstance(mount_path, str):
        raise _Failed("repository_clone_error", "mount_path must be a string")
    if not name and not resource.get("mount_path"):
        raise _Failed("repository_clone_error", f"cannot tell the repository name from {url}; give a mount_path")
    try:
        dest = resolve(workspace, mount_path)
    except ToolError as exc:
        raise _Failed("repository_clone_error", f"mount_path: {exc}") from None
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise _Failed("repository_clone_error", f"mount_path {mount_path} already exists and is not empty")
    return url, mount_path, dest


async def _clone(url: str, checkout: dict[str, Any], dest: Path, env: dict[str, str]) -> None:
    """A shallow clone of the default branch or of ``checkout``'s branch, or a commit checkout."""
    kind = checkout.get("type")
    if kind == "commit":
        sha = checkout.get("sha") or ""
        if not isinstance(sha, str) or not _SHA.fullmatch(sha):
            raise _Failed("repository_checkout_error", f"checkout.sha is not a commit hash: {sha!r}")
        await _fetch_commit(url, sha, dest, env)
    elif kind in (None, "branch"):
        branch: list[str] = []
        if kind == "branch":
            name = checkout.get("name")
            if not (isinstance(name, str) and name):
                raise _Failed("repository_checkout_error", "checkout.name is required for a branch checkout")
            branch = ["--branch", name]
        await _git(["clone", "-q", "--depth", "1", *branch, "--", url, str(dest)], dest.parent, env)
    else:
        raise _Failed("repository_checkout_error", f"checkout.type must be branch or commit, not {kind!r}")


async def clone_repository(resource: dict[str, Any], token: str | None, workspace: Path) -> RepoOutcome:
    """Clone ``resource`` into ``workspace`` (with ``token``, the repository's stored secret);
    on failure the outcome's ``error`` says why."""
    scrub = _scrubber(token)
    url = str(resource.get("url"))
    outcome = RepoOutcome(url=scrub(url), mount_path=str(resource.get("mount_path") or ""))
    dest = None
    done = False
    try:
        url, outcome.mount_path, dest = _target(resource, workspace)
        dest.parent.mkdir(parents=True, exist_ok=True)
        await _clone(url, resource.get("checkout") or {}, dest, _git_env(workspace, token))
        done = True
    except (_Failed, OSError) as exc:  # OSError: git is missing, or the mount directory cannot be made
        kind = exc.kind if isinstance(exc, _Failed) else "repository_clone_error"
        reason = exc if isinstance(exc, _Failed) else exc.strerror or exc
        outcome.error = {
            "type": kind,
            "message": scrub(f"could not clone {outcome.url} into {outcome.mount_path or 'the workspace'}: {reason}"),
            "retry_status": {"type": "retrying"},
            "repository_url": outcome.url,
        }
    finally:
        if not done and dest is not None and dest.exists():
            shutil.rmtree(dest, ignore_errors=True)
    return outcome
