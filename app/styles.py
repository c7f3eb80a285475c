"""Locate the TCSS files: inside the package when installed from a wheel, at the repo top in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """The folder holding the ``*.tcss`` files (``app/styles`` in a wheel, ``styles/`` in a checkout)."""
    for candidate in (_PACKAGE / "styles", _PACKAGE.parent / "styles"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("agentdeck's styles/ folder is missing from this installation")
