"""One vocabulary of status glyphs for the sessions list, the chat header and tool calls: a glyph,
a label and a theme colour per status, so a status looks the same wherever it shows."""

from __future__ import annotations

#: Session status (plus "needs approval", which the API reports as idle + requires_action).
SESSION = {
    "idle": ("○", "idle", "$text-muted"),
    "running": ("●", "running", "$success"),
    "needs_approval": ("◆", "needs approval", "$warning"),
    "needs_result": ("◆", "waiting for your tool result", "$warning"),
    "rescheduling": ("↻", "rescheduling", "$warning"),
    "terminated": ("✕", "terminated", "$error"),
    "deleted": ("✕", "deleted", "$error"),
}

#: Tool call states (app.api.transcript_blocks ToolCallBlock.state / CustomToolCallBlock.state).
TOOL = {
    "running": ("●", "running", "$accent"),
    "pending": ("◆", "waiting for your result", "$warning"),
    "awaiting_approval": ("◆", "needs approval", "$warning"),
    "ok": ("✓", "ok", "$success"),
    "failed": ("✕", "failed", "$error"),
    "denied": ("⊘", "denied", "$error"),
    "interrupted": ("◌", "interrupted", "$text-muted"),
}

#: The live connection of the open chat, when it is not live (glyph, colour variable; the header's
#: details line says what it means).
CONNECTION = {
    "connecting": ("…", "$text-muted"),
    "reconnecting": ("⚡", "$warning"),
    "closed": ("⊘", "$error"),
}

#: Frames of the "running" spinner, for widgets that animate it.
SPINNER = "◐◓◑◒"


def shown_status(status: str, needs_approval: bool) -> str:
    """The :data:`SESSION` key for an API status: ``needs_approval`` for idle + requires_action."""
    return "needs_approval" if status == "idle" and needs_approval else status


def session_glyph(status: str) -> tuple[str, str, str]:
    """(glyph, label, colour variable) for a session status; unknown ones show as themselves."""
    return SESSION.get(status, ("?", status, "$text-muted"))


def tool_glyph(state: str) -> tuple[str, str, str]:
    """(glyph, label, colour variable) for a tool call state."""
    return TOOL.get(state, ("?", state, "$text-muted"))
