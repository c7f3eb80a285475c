"""What the app remembers between runs (the theme, the session open last), as a small JSON file in the data dir."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

STATE_FILE_NAME = "tui-state.json"


@dataclass
class UIState:
    """Remembered UI choices; a field is ``None`` until the user makes that choice."""

    theme: str | None = None
    #: The session open in the chat when the app last ran (reopened with ``reopen_last_session``).
    last_session: str | None = None

    @classmethod
    def load(cls, path: Path) -> tuple[UIState, str | None]:
        """The state in ``path`` and, when the file is unusable, a one-line reason (the state is then fresh)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(), None
        except (OSError, ValueError) as exc:
            return cls(), f"ignored the remembered UI state in {path}: {exc}"
        names = [field.name for field in fields(cls)]
        if not isinstance(data, dict) or not all(isinstance(data.get(name), str | None) for name in names):
            return cls(), f"ignored the remembered UI state in {path}: unexpected content"
        return cls(**{name: data.get(name) for name in names}), None

    def save(self, path: Path) -> None:
        """Write the state atomically (a crash mid-write leaves the previous file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        os.replace(partial, path)
