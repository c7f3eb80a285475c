"""``agentdeck serve`` in a child process, as a user starts it from a shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def serve_process(data_dir: Path, *args: str, env: dict[str, str], **options: Any) -> subprocess.Popen:
    """``agentdeck --data-dir DATA_DIR serve ARGS`` run from the repository, with ``env`` over this
    process's environment; its output and errors piped, as text (``options`` go to ``Popen``)."""
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir), "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        **options,
    )
