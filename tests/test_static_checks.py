"""The static checks run with the tests: ruff (lint and format) and mypy, configured in
pyproject.toml, report nothing. Their own output is the failure message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECKS = {
    "ruff lint": [sys.executable, "-m", "ruff", "check", "app", "bench", "screenshots", "tests"],
    "ruff format": [sys.executable, "-m", "ruff", "format", "--check", "app", "bench", "screenshots", "tests"],
    "mypy": [sys.executable, "-m", "mypy"],
}


@pytest.mark.parametrize("name", CHECKS)
def test_the_static_check_reports_nothing(name: str) -> None:
    done = subprocess.run(CHECKS[name], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, f"{name} found problems:\n{done.stdout}{done.stderr}"
