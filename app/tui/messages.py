"""Textual messages that cross panes (each pane posts them; the app routes them)."""

from __future__ import annotations

from textual.message import Message


class EnvironmentSelected(Message):
    """The environments pane's selection changed (``None`` means "all environments")."""

    def __init__(self, environment_id: str | None) -> None:
        super().__init__()
        self.environment_id = environment_id


class SessionOpened(Message):
    """Open this session in the chat view."""

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id


class SessionsChanged(Message):
    """Sessions were created, renamed or archived: lists should refresh. ``session_id`` is the
    session changed, when it is one (``None``: any of them may have)."""

    def __init__(self, session_id: str | None = None) -> None:
        super().__init__()
        self.session_id = session_id
