"""Exporting from the app: x in the sessions pane or the transcript, or the palette, writes the
session as markdown and jsonl under the data dir and says where in a toast."""

from __future__ import annotations

import json

from app.tui.chat.transcript_view import TranscriptView
from app.tui.widgets.sessions import SessionTable
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for
from tests.tui.test_app import RecordingApp, connected, pick


def finished_session(seed, text: str = "!echo exported") -> tuple[dict, list[dict]]:
    session = seed.session(seed.environment(), seed.agent(), "To keep")
    seed.say(session, text)
    seed.wait_until_idle(session, "end_turn")
    return session, seed.http.get(f"/v1/sessions/{session['id']}/events").json()["data"]


async def highlighted(pilot, session: dict) -> None:
    """Connected, with ``session`` highlighted in the sessions pane."""
    await connected(pilot)
    sessions = pilot.app.main_screen.sessions
    await wait_for(pilot, lambda: sessions.selected_session_id == session["id"], "the session row")


async def exported(pilot, count: int) -> list[str]:
    """The paths of the ``count``-th export toast, once it is shown."""
    app = pilot.app
    done = await wait_for(pilot, lambda: [m for s, m in app.notices if "/exports/" in m or s == "error"][count - 1 :])
    assert "/exports/" in done[0], done
    return done[0].splitlines()


async def test_x_on_a_highlighted_session_writes_markdown_and_jsonl_and_toasts_the_paths(settings, seed):
    session, events = finished_session(seed)
    app = RecordingApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await highlighted(pilot, session)
        await pilot.press("x")
        markdown, jsonl = await exported(pilot, 1)
    exports = settings.data_dir / "exports"
    assert markdown.startswith(f"{exports}/{session['id']}-") and markdown.endswith(".md")
    assert jsonl.startswith(f"{exports}/{session['id']}-") and jsonl.endswith(".jsonl")
    text = open(markdown).read()
    assert text.startswith("# To keep\n") and "!echo exported" in text and "### Tool call: bash [ok" in text
    assert [json.loads(line) for line in open(jsonl)] == events


async def test_x_in_the_transcript_and_the_palette_export_the_open_session(settings, seed):
    other = seed.session(seed.environment("other"), seed.agent(), "Not this one")
    session, _ = finished_session(seed)
    app = RecordingApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await highlighted(pilot, session)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main_screen.chat.session_id == session["id"], "the open chat")
        app.main_screen.sessions.query_one(SessionTable).focus()
        await pilot.press("j")  # the highlight moves on; the chat keeps its session
        await highlighted(pilot, other)
        app.main_screen.chat.query_one(TranscriptView).focus()
        await pilot.press("x")
        first = await exported(pilot, 1)
        await pilot.press("ctrl+p")
        await pick(pilot, "export session", "Export session")
        second = await exported(pilot, 2)
    assert all(f"/exports/{session['id']}-" in path for path in first + second)


async def test_a_session_that_cannot_be_read_is_an_error_toast(settings, seed):
    app = RecordingApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await connected(pilot)
        app.action_export_session("sesn_missing")
        errors = await wait_for(pilot, lambda: [m for s, m in app.notices if s == "error"], "the error toast")
    assert errors[0].startswith("Could not export sesn_missing:")
    assert not (settings.data_dir / "exports").exists()
