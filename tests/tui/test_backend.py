"""What the header says about the backend: an embedded runtime whose tools run unsandboxed says so."""

from __future__ import annotations

import asyncio
import shutil
import sys

import pytest

from app.api.client import AgentClient
from app.config import Secret
from app.runtime.runtime import start_in_thread
from app.tui.backend import Backend

HAVE_BWRAP = sys.platform.startswith("linux") and shutil.which("bwrap") is not None


@pytest.mark.parametrize(
    "sandbox",
    [pytest.param(True, marks=pytest.mark.skipif(not HAVE_BWRAP, reason="bubblewrap is not installed")), False],
)
async def test_the_label_says_when_the_embedded_runtimes_tools_are_unsandboxed(tmp_path, sandbox):
    running = await asyncio.to_thread(start_in_thread, tmp_path / "runtime", pace=0.0, sandbox=sandbox)
    backend = Backend(AgentClient(Secret(running.api_key), base_url=running.base_url), running.base_url, embedded=running)
    try:
        assert backend.label.startswith(f"embedded runtime (no API key) · {running.base_url}")
        assert backend.label.endswith(" · tools unsandboxed") != sandbox
    finally:
        await backend.aclose()

