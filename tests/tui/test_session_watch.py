"""Listing and polling sessions against the embedded runtime: pages on demand, polls that cost the
same whatever the account's size, attention when a session settles.

Requests are counted with an httpx event hook on the client's own connection pool: every request
the watch makes goes over real loopback HTTP to the runtime.
"""

from __future__ import annotations

import time

import httpx
import pytest

from app.api.client import AgentClient
from app.api.session_watch import APPROVAL, FINISHED, PAGE_SIZE, SessionWatch, older, poll, relist
from app.config import Secret


class Counted:
    """An AgentClient whose requests are counted."""

    def __init__(self, runtime) -> None:
        self.requests: list[str] = []

        async def count(request: httpx.Request) -> None:
            self.requests.append(f"{request.method} {request.url.path}")

        self.http = httpx.AsyncClient(event_hooks={"request": [count]})
        self.client = AgentClient(Secret(runtime.api_key), base_url=runtime.base_url, http_client=self.http)

    def take(self) -> list[str]:
        """The requests made since the last call."""
        made, self.requests = self.requests, []
        return made


@pytest.fixture
async def counted(runtime):
    counted = Counted(runtime)
    yield counted
    await counted.http.aclose()


@pytest.fixture
def place(seed) -> tuple[dict, dict]:
    """An environment and an agent that may ask before bash runs."""
    return seed.environment("dev"), seed.agent("asker", ask=("bash",))


async def listed(counted: Counted, watch: SessionWatch, *, archived: bool = False, open_session: str | None = None):
    """The pane's first listing, or a relisting of the pages loaded so far, taken into ``watch``."""
    pages = max(watch.pages, 1)
    return watch.apply(
        await relist(counted.client, include_archived=archived, pages=pages, known=watch.checks), open_session
    )


async def polled(counted: Counted, watch: SessionWatch, *, open_session: str | None = None):
    listing = await poll(
        counted.client, include_archived=False, sessions=watch.sessions, active=set(watch.active), known=watch.checks
    )
    return watch.apply(listing, open_session)


async def paged(counted: Counted, watch: SessionWatch):
    listing = await older(
        counted.client, include_archived=False, floor=watch.floor, listed=watch.ids, known=watch.checks
    )
    return watch.apply(listing, None)


def wait_for_status(seed, session: dict, status: str) -> None:
    """Block until the server reports ``status`` for ``session`` (a hang guard, not a timing)."""
    deadline = time.monotonic() + 15
    while seed.http.get(f"/v1/sessions/{session['id']}").json()["status"] != status:
        if time.monotonic() > deadline:
            raise AssertionError(f"the session never became {status}")
        time.sleep(0.02)


def titles(watch: SessionWatch) -> list[str]:
    return [s.title for s in watch.sessions]


def newest_first(count: int) -> list[str]:
    return [f"session {n}" for n in reversed(range(count))]


@pytest.mark.parametrize("accounts", [50, 5000])
async def test_a_poll_costs_the_same_whatever_the_number_of_sessions(counted, seed, place, accounts):
    sessions = seed.sessions(*place, accounts)
    watch = SessionWatch()
    await listed(counted, watch)
    first = counted.take()
    assert len(watch.sessions) == min(accounts, PAGE_SIZE)
    # The newest page, the active sessions when there are more, one idle look-up per session listed.
    assert len(first) <= 2 + PAGE_SIZE
    for _ in range(3):
        await polled(counted, watch)
        assert counted.take() == ["GET /v1/sessions"] * (2 if accounts > PAGE_SIZE else 1)

    newest = sessions[-1]
    seed.say(newest, "!echo hi")  # asks first: the session ends its turn needing approval
    seed.wait_until_idle(newest, "requires_action")
    update = await polled(counted, watch)
    assert [(kind, s.title) for kind, s in update.raised] == [(APPROVAL, newest["title"])]
    lookups = [r for r in counted.take() if r.endswith("/events")]
    assert lookups == [f"GET /v1/sessions/{newest['id']}/events"]  # only the session whose turn ended


async def test_older_pages_load_on_demand_until_there_are_none(counted, seed, place):
    seed.sessions(*place, 2 * PAGE_SIZE + 3)
    watch = SessionWatch()
    await listed(counted, watch)
    assert titles(watch) == newest_first(2 * PAGE_SIZE + 3)[:PAGE_SIZE] and watch.more
    await paged(counted, watch)
    assert titles(watch) == newest_first(2 * PAGE_SIZE + 3)[: 2 * PAGE_SIZE] and watch.more
    counted.take()
    await paged(counted, watch)
    assert titles(watch) == newest_first(2 * PAGE_SIZE + 3) and not watch.more
    assert counted.take()[0] == "GET /v1/sessions"  # one page, then the idle look-ups of its sessions
    await listed(counted, watch)  # R lists again every page loaded
    assert titles(watch) == newest_first(2 * PAGE_SIZE + 3) and watch.pages == 3


async def test_a_poll_adds_new_sessions_and_keeps_the_older_pages(counted, seed, place):
    seed.sessions(*place, PAGE_SIZE + 1)
    watch = SessionWatch()
    await listed(counted, watch)
    await paged(counted, watch)
    latest = seed.session(*place, "latest")
    update = await polled(counted, watch)
    assert update.reordered and titles(watch) == ["latest", *newest_first(PAGE_SIZE + 1)]
    assert watch.get(latest["id"]) is not None and not update.raised  # a new session wants no attention


async def test_an_old_session_that_runs_and_finishes_is_followed(counted, seed, place):
    environment, _ = place
    oldest, *_ = seed.sessions(environment, seed.agent("plain"), PAGE_SIZE + 5)
    watch = SessionWatch()
    await listed(counted, watch)
    assert watch.get(oldest["id"]) is None  # not on the newest page
    seed.say(oldest, "!sleep 1")
    wait_for_status(seed, oldest, "running")
    await polled(counted, watch)
    assert watch.get(oldest["id"]).status == "running"  # found among the active sessions
    wait_for_status(seed, oldest, "idle")
    counted.take()
    update = await polled(counted, watch)
    assert watch.get(oldest["id"]).status == "idle"  # retrieved: it was active last time
    assert [(kind, s.title) for kind, s in update.raised] == [(FINISHED, "session 0")]
    assert f"GET /v1/sessions/{oldest['id']}" in counted.take()


async def test_the_open_session_raises_no_attention(counted, seed, place):
    (session,) = seed.sessions(*place, 1)
    watch = SessionWatch()
    await listed(counted, watch)
    seed.say(session, "!echo hi")
    seed.wait_until_idle(session, "requires_action")
    update = await polled(counted, watch, open_session=session["id"])
    assert update.raised == [] and watch.needs_approval(watch.get(session["id"]))


async def test_sessions_archived_or_deleted_elsewhere_leave_the_list(counted, seed, place):
    oldest, *_, newest = seed.sessions(*place, PAGE_SIZE + 3)  # still two pages after losing two
    watch = SessionWatch()
    await listed(counted, watch)
    await paged(counted, watch)
    seed.post(f"/v1/sessions/{newest['id']}/archive")
    assert seed.http.delete(f"/v1/sessions/{oldest['id']}").status_code == 200
    await polled(counted, watch)
    assert watch.get(newest["id"]) is None  # within the newest page: seen gone at once
    assert watch.get(oldest["id"]) is not None  # an older page: polls do not list it again
    await listed(counted, watch)  # R
    assert watch.get(oldest["id"]) is None and len(watch.sessions) == PAGE_SIZE + 1


async def test_a_session_deleted_while_running_leaves_the_list(counted, seed, place):
    environment, _ = place
    session, *_ = seed.sessions(environment, seed.agent("plain"), PAGE_SIZE + 1)
    watch = SessionWatch()
    await listed(counted, watch)
    seed.say(session, "!sleep 2")
    wait_for_status(seed, session, "running")
    await polled(counted, watch)
    seed.http.post(f"/v1/sessions/{session['id']}/events", json={"events": [{"type": "user.interrupt"}]})
    wait_for_status(seed, session, "idle")
    assert seed.http.delete(f"/v1/sessions/{session['id']}").status_code == 200
    await polled(counted, watch)
    assert watch.get(session["id"]) is None and not watch.active
