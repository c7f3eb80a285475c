"""Editing a text in the user's editor: ``$EDITOR``, else ``$VISUAL``, else ``vi`` or ``nano``.

The caller hands the terminal over (``App.suspend()``) around :func:`edit_text`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

_FALLBACKS = ("vi", "nano")


class EditorError(Exception):
    """The text could not be edited; the message says why, for a toast."""


def editor_command(environ: Mapping[str, str]) -> list[str]:
    """The editor to run, as a command line (``$EDITOR`` may carry arguments, e.g. ``code --wait``)."""
    for variable in ("EDITOR", "VISUAL"):
        value = environ.get(variable, "").strip()
        if value:
            try:
                command = shlex.split(value)
            except ValueError as exc:
                raise EditorError(f"${variable} cannot be read as a command ({exc})") from None
            if command:
                return command
    for name in _FALLBACKS:
        if path := shutil.which(name, path=environ.get("PATH")):
            return [path]
    raise EditorError("No editor found: set $EDITOR (e.g. export EDITOR=nano)")


def edit_text(text: str) -> str:
    """Run the editor on a temporary file holding ``text`` and return what it holds after; an
    editor that cannot start or exits with an error raises :class:`EditorError`."""
    command = editor_command(os.environ)
    descriptor, name = tempfile.mkstemp(prefix="agentdeck-message-", suffix=".md")
    try:
        with open(descriptor, "w", encoding="utf-8") as file:
            file.write(text + "\n")  # a text file's last line ends with a newline
        try:
            status = subprocess.run([*command, name]).returncode
        except OSError as exc:
            raise EditorError(f"Could not start the editor {command[0]!r}: {exc.strerror or exc}") from None
        if status != 0:
            raise EditorError(f"The editor {command[0]!r} exited with status {status}")
        try:
            edited = Path(name).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise EditorError(f"Could not read the edited message back: {exc.strerror or exc}") from None
    finally:
        Path(name).unlink(missing_ok=True)
    return edited.removesuffix("\n")
