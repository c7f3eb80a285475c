"""``@path`` in a message: a local file to upload and mount in the session as the message is sent.

A word starting with ``@`` is a path when what follows starts with ``/``, ``~`` or ``.`` or holds a
``/`` (``@./notes.txt``, ``@~/data.csv``, ``@src/app.py``); other words (``@alice``) are left as
they are. In the text sent, each path is replaced by where the file is mounted, so the agent (and
``/read @./notes.txt``) finds it.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.tui.fields import FieldError
from app.tui.paths import upload_source

_MENTION = re.compile(r"(?<!\S)@(\S+)")


def _is_path(word: str) -> bool:
    return word.startswith(("/", "~", ".")) or "/" in word


def mentioned_files(text: str) -> dict[str, Path]:
    """Each ``@path`` word of ``text`` (without the ``@``) and its local file, in order; a
    FieldError names the first one that is not a readable file."""
    found: dict[str, Path] = {}
    for word in _MENTION.findall(text):
        if _is_path(word) and word not in found:
            try:
                found[word] = upload_source(word)
            except FieldError as exc:
                raise FieldError(f"@{word}: {exc}") from None
    return found


def with_mounts(text: str, mounts: dict[str, str]) -> str:
    """``text`` with each ``@path`` word of ``mounts`` replaced by its mount path."""
    return _MENTION.sub(lambda m: mounts.get(m.group(1), m.group(0)), text)
