"""The path jail: whatever path the agent writes, a file tool lands inside the workspace or refuses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.runtime.tools.base import ToolError
from app.runtime.tools.workspace import locate, resolve


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    """A workspace with a link that stays inside (in) and links that leave (out, gone, a/up)."""
    root = tmp_path_factory.mktemp("jail")
    ws = root / "ws"
    (ws / "a" / "b").mkdir(parents=True)
    (root / "outside").mkdir()
    os.symlink(ws / "a", ws / "in")
    os.symlink(root / "outside", ws / "out")
    os.symlink(root / "outside" / "missing", ws / "gone")
    os.symlink("../../..", ws / "a" / "up")
    return ws


SEGMENTS = st.sampled_from(["..", ".", "a", "b", "in", "out", "gone", "up", "x", ""])
PREFIXES = st.sampled_from(["", "/workspace/", "/", "<real>/", "/workspace/../", "/tmp/"])


@settings(max_examples=400, deadline=None)
@given(prefix=PREFIXES, segments=st.lists(SEGMENTS, min_size=1, max_size=6))
def test_every_path_resolves_inside_the_workspace_or_is_refused(ws, prefix, segments):
    raw = prefix.replace("<real>", str(ws.resolve())) + "/".join(segments)
    root = ws.resolve()
    try:
        with locate(ws, raw) as loc:
            real, shown = root.joinpath(*loc.parts), loc.shown
    except ToolError:  # refused: outside, or not a path at all
        return
    assert Path(os.path.realpath(real)).is_relative_to(root)
    assert shown.startswith("/workspace")


def test_the_mapping(ws):
    root = ws.resolve()
    assert resolve(ws, "a/b") == root / "a/b"
    assert resolve(ws, "/workspace/a/b") == root / "a/b"
    assert resolve(ws, "/workspace") == root
    assert resolve(ws, "in/b") == root / "a/b"
    with locate(ws, "in/b") as loc:
        assert loc.shown == "/workspace/a/b"
    with locate(ws, "/workspace/a/..") as loc:
        assert loc.shown == "/workspace" and loc.name is None


def test_a_link_through_the_workspace_as_home_names_it_stays_inside(tmp_path):
    """HOME names the workspace as written; where the data dir's path holds a link, a link made
    with $HOME still resolves inside."""
    real = tmp_path / "real"
    (real / "ws").mkdir(parents=True)
    (tmp_path / "named").symlink_to(real)
    workspace = tmp_path / "named" / "ws"  # as the runtime (and HOME) name it
    (workspace / "data.txt").write_text("inside")
    (workspace / "via-home").symlink_to(workspace / "data.txt")
    with locate(workspace, "via-home") as loc:
        assert loc.parts == ("data.txt",)
