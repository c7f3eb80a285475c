"""Polling the sessions list against the embedded runtime: quick polls stay current, full ones prune.

Pages of two sessions stand in for the API's pages of a hundred, so three sessions already need a
second page and a quick poll sees only the newest page (plus what is running).
"""

from __future__ import annotations

import time

import pytest

from app.api.client import AgentClient
from app.config import Secret
from app.tui.widgets.session_rows import FINISHED
from app.tui.widgets.session_watch import FULL_EVERY, SessionWatch, fetch

PAGE = 2


@pytest.fixture
def three(seed) -> list[dict]:
    """Three sessions, oldest first."""
    env, agent = seed.environment("dev"), seed.agent()
    return [seed.session(env, agent, title) for title in ("oldest", "middle", "newest")]


@pytest.fixture
async def client(runtime):
    client = AgentClient(Secret(runtime.api_key), base_url=runtime.base_url)
    yield client
    await client.aclose()


def another(seed, three: list[dict]) -> dict:
    """A fourth session, "latest", like the others."""
    return seed.session({"id": three[0]["environment_id"]}, {"id": three[0]["agent"]["id"]}, "latest")


async def poll(client: AgentClient, watch: SessionWatch, *, list_all: bool = False, open_session: str | None = None):
    """One poll of the pane's kind (quick unless a full listing is due), taken into ``watch``."""
    previous = watch.merge_base(list_all=list_all)
    result = await fetch(client, include_archived=False, known=watch.checks, previous=previous, page_size=PAGE)
    raised = watch.apply(result, open_session)
    return result, raised


def wait_for_status(seed, session: dict, status: str) -> None:
    """Block until the server reports ``status`` for ``session`` (a hang guard, not a timing)."""
    deadline = time.monotonic() + 15
    while seed.http.get(f"/v1/sessions/{session['id']}").json()["status"] != status:
        if time.monotonic() > deadline:
            raise AssertionError(f"the session never became {status}")
        time.sleep(0.02)


def titles(watch: SessionWatch) -> list[str]:
    return [s.title for s in watch.sessions]


async def test_a_full_poll_lists_every_page_newest_first(client, three):
    watch = SessionWatch()
    result, _ = await poll(client, watch)
    assert result.complete and titles(watch) == ["newest", "middle", "oldest"]


async def test_a_quick_poll_keeps_older_sessions_and_adds_new_ones(client, seed, three):
    watch = SessionWatch()
    await poll(client, watch)
    latest = another(seed, three)
    result, _ = await poll(client, watch)
    assert not result.complete  # only the newest page was listed
    assert titles(watch) == ["latest", "newest", "middle", "oldest"]
    assert watch.get(latest["id"]) is not None


async def watch_it_run(client: AgentClient, seed, session: dict) -> SessionWatch:
    """A watch that polled once, then again while ``session`` runs a two-second bash call."""
    watch = SessionWatch()
    await poll(client, watch)
    seed.say(session, "!sleep 2")
    wait_for_status(seed, session, "running")
    await poll(client, watch)
    return watch


async def test_an_old_session_that_runs_and_finishes_is_followed_by_quick_polls(client, seed, three):
    oldest = three[0]
    watch = await watch_it_run(client, seed, oldest)
    assert watch.get(oldest["id"]).status == "running"  # found among the running sessions
    wait_for_status(seed, oldest, "idle")
    result, raised = await poll(client, watch)
    assert not result.complete and watch.get(oldest["id"]).status == "idle"  # looked up: it ran last time
    assert [(kind, s.title) for kind, s in raised] == [(FINISHED, "oldest")]


async def test_a_session_deleted_while_running_leaves_the_list(client, seed, three):
    oldest = three[0]
    watch = await watch_it_run(client, seed, oldest)
    seed.http.post(f"/v1/sessions/{oldest['id']}/events", json={"events": [{"type": "user.interrupt"}]})
    wait_for_status(seed, oldest, "idle")
    assert seed.http.delete(f"/v1/sessions/{oldest['id']}").status_code == 200
    await poll(client, watch)
    assert titles(watch) == ["newest", "middle"]


async def test_every_so_often_and_on_request_a_poll_lists_every_page(client, seed, three):
    another(seed, three)
    watch = SessionWatch()
    await poll(client, watch)
    seed.post(f"/v1/sessions/{three[0]['id']}/archive")  # elsewhere: quick polls cannot see it go
    for _ in range(FULL_EVERY):
        result, _ = await poll(client, watch)
        assert not result.complete and "oldest" in titles(watch)
    result, _ = await poll(client, watch)  # the full listing that was due
    assert result.complete and titles(watch) == ["latest", "newest", "middle"]
    seed.post(f"/v1/sessions/{three[1]['id']}/archive")
    result, _ = await poll(client, watch, list_all=True)  # R, or any change made in the app
    assert result.complete and titles(watch) == ["latest", "newest"]
