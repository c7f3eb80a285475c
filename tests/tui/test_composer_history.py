"""The composer's memory in the chat: sent messages per session across restarts, drafts across
switches, and a broken history file (pilot tests against the embedded runtime)."""

from __future__ import annotations

import json

import pytest

from app.tui.chat.composer import Composer
from app.tui.chat.history import LIMIT, SentHistory
from app.tui.screens.history_search import HistorySearchScreen
from tests.tui.chat_support import ChatApp, answers, open_chat, say, start
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for


@pytest.fixture
def two_sessions(seed) -> tuple[dict, dict]:
    environment, agent = seed.environment(), seed.agent()
    return seed.session(environment, agent, "first"), seed.session(environment, agent, "second")


def history_file(settings, session: dict):
    return settings.data_dir / "history" / f"{session['id']}.json"


def toasts(app) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_sent_messages_are_recalled_after_a_restart(settings, two_sessions):
    session, other = two_sessions
    async with open_chat(settings, session) as (pilot, chat):
        for text in ("hello [bold]", "two\nlines"):
            await say(pilot, text)
            await wait_for(pilot, lambda: chat.query_one(Composer).text == "", "the message taken")
        await wait_for(pilot, lambda: len(answers(chat)) == 2, "both answers")

    async with open_chat(settings, session) as (pilot, chat):  # a new app, the same data dir
        composer = chat.query_one(Composer)
        await pilot.press("up")
        assert composer.text == "two\nlines"
        await pilot.press("up", "up")  # the first line of the entry, then the one before
        assert composer.text == "hello [bold]"
        await pilot.press("down", "down")
        assert composer.text == ""

    async with open_chat(settings, other) as (pilot, chat):  # each session has its own
        await pilot.press("up")
        assert chat.query_one(Composer).text == ""


async def test_a_draft_waits_in_its_session_while_another_is_open(settings, two_sessions):
    first, second = two_sessions
    async with open_chat(settings, first) as (pilot, chat):
        composer = chat.query_one(Composer)
        await pilot.press(*"half typed")
        chat.open_session(second["id"])
        assert composer.text == ""
        await pilot.press(*"other")
        chat.open_session(first["id"])
        assert composer.text == "half typed"
        chat.open_session(second["id"])
        assert composer.text == "other"


async def test_a_broken_history_file_is_reported_once_and_replaced_by_the_next_message(settings, two_sessions):
    session, other = two_sessions
    path = history_file(settings, session)
    path.parent.mkdir(parents=True)
    path.write_text('["half a list', encoding="utf-8")
    async with ChatApp(settings).run_test(size=TERMINAL) as pilot:
        chat = await start(pilot, session)
        composer = chat.query_one(Composer)
        await wait_for(pilot, lambda: toasts(pilot.app), "the warning")
        assert len(toasts(pilot.app)) == 1 and "ignored the message history" in toasts(pilot.app)[0]
        await pilot.press("up")
        assert composer.text == ""
        chat.open_session(other["id"])
        chat.open_session(session["id"])
        await pilot.pause()
        assert len(toasts(pilot.app)) == 1  # once, not at every visit

        await say(pilot, "fresh start")
        await wait_for(pilot, lambda: composer.text == "", "the message taken")
    assert json.loads(path.read_text(encoding="utf-8")) == ["fresh start"]
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_history_keeps_the_newest_entries_and_no_repeats(tmp_path):
    history = SentHistory(tmp_path / "history")
    for n in range(LIMIT + 5):
        history.add("sesn_1", f"message {n}")
    history.add("sesn_1", f"message {LIMIT + 4}")
    entries, problem = history.load("sesn_1")
    assert problem is None and len(entries) == LIMIT
    assert entries[0] == "message 5" and entries[-1] == f"message {LIMIT + 4}"
    history.add("../escape", "odd id")  # an id unfit for a file name stays inside the directory
    assert [path.parent for path in (tmp_path / "history").iterdir()] == [tmp_path / "history"] * 2
    assert history.load("../escape") == (["odd id"], None)


def test_the_search_of_sent_messages(snap_compare, settings, seed):
    session = seed.session(seed.environment(), seed.agent(), "Release work")
    history = SentHistory(settings.data_dir / "history")
    for text in ("deploy the app to staging", "!make test\n!make lint", "write the [release] notes", "Deploy again"):
        history.add(session["id"], text)

    async def run_before(pilot) -> None:
        await start(pilot, session)
        await pilot.press("ctrl+r", *"deploy")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HistorySearchScreen), "the search")

    assert snap_compare(ChatApp(settings), terminal_size=TERMINAL, run_before=run_before)
