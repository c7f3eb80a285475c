"""Shared pieces of the search tests: a long session written into the runtime's store, and the search bar's state."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from app.tui.chat.search_bar import SearchBar
from app.tui.chat.transcript_view import TranscriptView
from app.tui.chat.view import ChatView
from tests.event_builders import Events
from tests.tui.pilot_support import wait_for

#: Turns of the long session: each is a question, thinking, a bash call, an answer and an idle (6
#: events, 5 blocks), so the oldest turns are far outside the 50 blocks the view mounts.
TURNS = 60


def long_history(first_question: str, last_answer: str) -> list[dict[str, Any]]:
    """The wire events of ``TURNS`` turns; the first question and the last answer say what is given."""
    events = Events()
    out: list[dict[str, Any]] = []
    for turn in range(1, TURNS + 1):
        question = first_question if turn == 1 else f"question {turn}"
        answer = last_answer if turn == TURNS else f"Answer {turn}: one file listed."
        out += [
            events.user(question),
            events.make("agent.thinking"),
            *events.tool("bash", {"command": f"ls dir{turn}"}, f"file{turn}.txt\nreport-{turn:03d}.md\n"),
            events.message(answer),
            events.make("session.status_idle", stop_reason={"type": "end_turn"}),
        ]
    return out


def seed_history(seed: Any, session: dict, events: list[dict[str, Any]]) -> None:
    """Append ``events`` to ``session``'s log in the runtime's store, as if it had run them."""
    store = seed.runtime.runtime.store
    for event in events:
        store.append_event(session["id"], event)


def bar_of(chat: ChatView) -> SearchBar:
    return chat.query_one(SearchBar)


def count_text(chat: ChatView) -> str:
    """What the bar's count says ("1/2", "no match")."""
    return str(chat.query_one("#search-count").content)


async def search(pilot: Pilot, chat: ChatView, query: str) -> SearchBar:
    """Open the search with ctrl+f and type ``query``."""
    await pilot.press("ctrl+f")
    bar = bar_of(chat)
    await wait_for(pilot, lambda: bar.active and bar.has_focus_within, "the search bar open")
    await pilot.press(*query)
    await wait_for(pilot, lambda: bar.text == query, f"{query!r} typed")
    return bar


def current_marked(view: TranscriptView) -> list[str]:
    """The block ids of the mounted widgets marked as the current match."""
    return [widget.block_id for widget in view.query(".-current-match")]
