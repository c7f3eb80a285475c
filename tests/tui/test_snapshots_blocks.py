"""Snapshots of the transcript: an expanded tool call with a diff, and one of every block kind."""

from __future__ import annotations

from app.tui.chat.tool_call import ToolCall
from tests.event_builders import Events
from tests.tui.blocks_support import TranscriptApp, delegation, mixed
from tests.tui.pilot_support import wait_for

TERMINAL = (120, 40)


async def at_the_end(pilot) -> None:
    """Once the transcript has taken every event, scroll it to its end."""
    await wait_for(pilot, lambda: pilot.app.settled, "the transcript")
    pilot.app.view.scroll_end(animate=False)
    await pilot.pause()


def test_expanded_tool_call_with_a_diff(snap_compare):
    events = Events()
    edit = {
        "file_path": "app/tui/chat/view.py",
        "old_string": "def open_session(self, session_id):\n    self.load(session_id)\n    return None\n",
        "new_string": "def open_session(self, session_id: str) -> None:\n    self.load(session_id)\n",
    }
    app = TranscriptApp(
        events.user("Add type hints to open_session"),
        events.message("I'll update the signature."),
        *events.tool("read", {"file_path": "app/tui/chat/view.py"}, "     1\tdef open_session(self, session_id):\n"),
        *events.tool("edit", edit, "Edited app/tui/chat/view.py (lines 1-2)"),
        *events.tool("bash", {"command": "python -m pytest -q tests/tui"}, "....\n4 passed in 1.20s\n"),
    )

    async def expand(pilot) -> None:
        await wait_for(pilot, lambda: app.settled, "the transcript")
        for call in app.view.query(ToolCall):
            if call.block.name in ("edit", "bash"):
                call.toggle()
        await pilot.pause()
        await at_the_end(pilot)

    assert snap_compare(app, terminal_size=TERMINAL, run_before=expand)


def test_mixed_transcript(snap_compare):
    app = TranscriptApp(*mixed(Events()))
    assert snap_compare(app, terminal_size=TERMINAL, run_before=at_the_end)


def test_delegation_and_outcome_evaluation_transcript(snap_compare):
    app = TranscriptApp(*delegation(Events()))
    assert snap_compare(app, terminal_size=TERMINAL, run_before=at_the_end)
