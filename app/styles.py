"""The TCSS files, in one list: inside the package when installed from a wheel, at the repo top in a
checkout. The app and every test app load them from :func:`stylesheets`."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """The folder holding the ``*.tcss`` files (``app/styles`` in a wheel, ``styles/`` in a checkout)."""
    for candidate in (_PACKAGE / "styles", _PACKAGE.parent / "styles"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("agentdeck's styles/ folder is missing from this installation")


#: The first frame's stylesheet (the panes' frames and placeholders); the others load with the panes.
FIRST = "app.tcss"


def stylesheets() -> list[Path]:
    """Every ``*.tcss`` file, :data:`FIRST` first: the app loads the first before its first frame and
    the rest with its panes; a test's app loads them all at once."""
    return sorted(styles_dir().glob("*.tcss"), key=lambda path: (path.name != FIRST, path.name))
