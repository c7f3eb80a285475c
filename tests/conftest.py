"""Shared fixtures: a loopback HTTP server per test and the example files of the protocol reference."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.loopback import LoopbackServer

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

EXAMPLES = Path(__file__).resolve().parent / "examples"


@pytest.fixture
def server():
    """A scriptable HTTP server on 127.0.0.1; set ``server.handler`` in the test."""
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def examples() -> Path:
    """The folder of example payloads (a copy of shared/api/examples kept in the repo)."""
    return EXAMPLES


def load_example(name: str):
    """Parse one JSON example file."""
    return json.loads((EXAMPLES / name).read_text())
