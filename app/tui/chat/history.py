"""What the user sent in each session, kept across restarts for the composer's up / down recall.

One small JSON file per session (a list of strings, oldest first, at most :data:`LIMIT`) under
``<data dir>/history/``, written atomically and readable by the user alone. A file that cannot be
read is reported once (the caller shows the reason) and counts as empty; the next message sent
replaces it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

#: Entries kept per session (the oldest go first).
LIMIT = 200
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")


class SentHistory:
    """The sent messages of every session, one file each in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._reported: set[Path] = set()

    def path(self, session_id: str) -> Path:
        """The session's file: named after its id, or a digest of an id unfit for a file name."""
        name = session_id if _SAFE_NAME.fullmatch(session_id) else hashlib.sha256(session_id.encode()).hexdigest()
        return self.directory / f"{name}.json"

    def load(self, session_id: str) -> tuple[list[str], str | None]:
        """The session's entries, oldest first, and a one-line problem the first time its file is unusable."""
        path = self.path(session_id)
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return [], None
        except (OSError, ValueError) as exc:
            return [], self._report(path, str(exc))
        if not isinstance(entries, list) or not all(isinstance(entry, str) for entry in entries):
            return [], self._report(path, "unexpected content")
        return entries[-LIMIT:], None

    def add(self, session_id: str, text: str) -> None:
        """Append ``text`` to the session's entries (unless it repeats the last one) and write them."""
        entries, _ = self.load(session_id)
        if entries[-1:] != [text]:
            self._save(session_id, [*entries, text])

    def _save(self, session_id: str, entries: list[str]) -> None:
        """Write the newest :data:`LIMIT` entries atomically (a crash mid-write leaves the previous file)."""
        path = self.path(session_id)
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        # Only the user may read what they typed (0600 whatever the umask).
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as file:
            json.dump(entries[-LIMIT:], file, ensure_ascii=False)
        os.replace(partial, path)
        self._reported.discard(path)

    def _report(self, path: Path, reason: str) -> str | None:
        if path in self._reported:
            return None
        self._reported.add(path)
        return f"ignored the message history in {path}: {reason}"
