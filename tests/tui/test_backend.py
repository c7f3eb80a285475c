"""What the header says about the backend: an embedded runtime whose tools run unsandboxed says so,
and one this app attached to (another process runs it) says whose it is."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys

import pytest

from app.api.client import AgentClient
from app.config import Secret
from app.runtime.discovery import attach_or_start
from app.tui.backend import Backend

HAVE_BWRAP = sys.platform.startswith("linux") and shutil.which("bwrap") is not None


def backend_for(embedded) -> Backend:
    return Backend(
        AgentClient(Secret(embedded.api_key), base_url=embedded.base_url), embedded.base_url, embedded=embedded
    )


@pytest.mark.parametrize(
    "sandbox",
    [pytest.param(True, marks=pytest.mark.skipif(not HAVE_BWRAP, reason="bubblewrap is not installed")), False],
)
async def test_the_label_says_when_the_embedded_runtimes_tools_are_unsandboxed(tmp_path, sandbox):
    embedded = await asyncio.to_thread(attach_or_start, tmp_path / "runtime", pace=0.0, sandbox=sandbox)
    backend = backend_for(embedded)
    try:
        assert backend.label.startswith(f"embedded runtime (no API key) · {embedded.base_url}")
        assert backend.label.endswith(" · tools unsandboxed") != sandbox
    finally:
        await backend.aclose()


async def test_a_second_app_attaches_to_the_running_runtime_and_leaves_it_running(tmp_path):
    first = await asyncio.to_thread(attach_or_start, tmp_path / "runtime", pace=0.0, sandbox=False)
    try:
        second = backend_for(await asyncio.to_thread(attach_or_start, tmp_path / "runtime"))
        assert second.base_url == first.base_url
        assert second.label == f"embedded runtime (no API key, pid {os.getpid()}) · {first.base_url}"
        await second.aclose()
        async with AgentClient(Secret(first.api_key), base_url=first.base_url) as client:
            assert [e async for e in client.environments.list()] == []  # still serving
    finally:
        await asyncio.to_thread(first.stop)
    assert not (tmp_path / "runtime" / "runtime.json").exists()
