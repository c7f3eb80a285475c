"""The runtime store: objects and events survive reopening, filters and cursors page correctly."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from app.runtime.ids import new_id, normalize_timestamp, now
from app.runtime.store import BadCursor, Store


def environment(**extra):
    stamp = now()
    return {
        "type": "environment",
        "id": new_id("env"),
        "name": "box",
        "config": {"type": "cloud", "networking": {"type": "unrestricted"}},
        "metadata": {},
        "created_at": stamp,
        "updated_at": stamp,
        "archived_at": None,
        **extra,
    }


def agent(agent_id=None, version=1, **extra):
    stamp = now()
    return {
        "type": "agent",
        "id": agent_id or new_id("agent"),
        "version": version,
        "name": "helper",
        "model": {"id": "claude-sonnet-4-6"},
        "created_at": stamp,
        "updated_at": stamp,
        "archived_at": None,
        **extra,
    }


def session(agent_obj, status="idle", **extra):
    stamp = now()
    return {
        "type": "session",
        "id": new_id("sesn"),
        "status": status,
        "environment_id": "env_x",
        "agent": {"type": "agent", "id": agent_obj["id"], "version": agent_obj["version"]},
        "created_at": stamp,
        "updated_at": stamp,
        "archived_at": None,
        **extra,
    }


def event(kind="agent.message", **extra):
    return {"type": kind, "id": new_id("sevt"), "processed_at": now(), **extra}


@pytest.fixture
def store(tmp_path):
    db = Store(tmp_path / "data" / "runtime.sqlite3")
    yield db
    db.close()


def collect(fetch, **kwargs):
    """Follow next cursors to the end; every page and the concatenation."""
    pages, cursor = [], None
    while True:
        data, cursor = fetch(cursor=cursor, **kwargs)[:2]
        pages.append(data)
        if cursor is None:
            return pages, [item for page in pages for item in page]


def test_everything_survives_reopening(tmp_path):
    path = tmp_path / "runtime.sqlite3"
    db = Store(path)
    env, ag = environment(), agent()
    ses = session(ag)
    db.put_environment(env)
    db.put_agent(ag)
    db.put_session(ses)
    events = [event("user.message"), event("agent.message")]
    for item in events:
        db.append_event(ses["id"], item)
    db.put_resource(ses["id"], {"type": "file", "id": "sesrsc_1", "file_id": "file_1"}, secret=None)
    db.close()

    again = Store(path)
    assert again.get_environment(env["id"]) == env
    assert again.get_agent(ag["id"]) == ag
    assert again.get_session(ses["id"]) == ses
    assert again.list_events(ses["id"])[0] == events
    assert again.get_resource(ses["id"], "sesrsc_1")["file_id"] == "file_1"
    again.close()


def test_journal_is_wal(store):
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_pages_cover_every_item_once_newest_first(store):
    envs = [environment(name=f"e{i}") for i in range(7)]
    for env in envs:
        store.put_environment(env)
    pages, items = collect(store.list_environments, limit=3)
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [e["id"] for e in items] == [e["id"] for e in reversed(envs)]


def test_archived_objects_hidden_unless_asked(store):
    live, gone = environment(), environment(archived_at=now())
    store.put_environment(live)
    store.put_environment(gone)
    assert [e["id"] for e in store.list_environments()[0]] == [live["id"]]
    assert len(store.list_environments(include_archived=True)[0]) == 2


def test_updating_keeps_the_list_position(store):
    first, second = environment(), environment()
    store.put_environment(first)
    store.put_environment(second)
    store.put_environment({**first, "name": "renamed"})
    assert [e["name"] for e in store.list_environments()[0]] == ["box", "renamed"]


def test_agent_versions_latest_and_by_number(store):
    v1 = agent()
    v2 = {**v1, "version": 2, "name": "helper v2"}
    store.put_agent(v1)
    store.put_agent(v2)
    assert store.get_agent(v1["id"])["version"] == 2
    assert store.get_agent(v1["id"], 1)["name"] == "helper"
    assert store.get_agent(v1["id"], 3) is None
    assert [a["version"] for a in store.list_agent_versions(v1["id"])[0]] == [2, 1]
    assert [a["version"] for a in store.list_agents()[0]] == [2]


def test_agents_filter_by_creation_time(store):
    early = agent()
    store.put_agent(early)
    late = agent()
    store.put_agent(late)
    bound = normalize_timestamp(late["created_at"])
    assert [a["id"] for a in store.list_agents(created_at={"gte": bound})[0]] == [late["id"]]
    assert [a["id"] for a in store.list_agents(created_at={"lt": bound})[0]] == [early["id"]]


def test_session_filters(store):
    a1, a2 = agent(), agent()
    idle = session(a1)
    running = session(a1, status="running")
    other = session(a2)
    archived = session(a1, archived_at=now())
    for item in (idle, running, other, archived):
        store.put_session(item)

    def ids(**kwargs):
        return [s["id"] for s in store.list_sessions(**kwargs)[0]]

    assert ids() == [other["id"], running["id"], idle["id"]]
    assert ids(order="asc") == [idle["id"], running["id"], other["id"]]
    assert ids(agent_id=a1["id"]) == [running["id"], idle["id"]]
    assert ids(agent_id=a1["id"], agent_version=2) == []
    assert ids(statuses=["running"]) == [running["id"]]
    assert ids(statuses=["running", "idle"]) == [other["id"], running["id"], idle["id"]]
    assert ids(created_at={"gt": running["created_at"]}) == [other["id"]]
    assert ids(include_archived=True)[0] == archived["id"]
    assert [s["id"] for s in store.sessions_with_status("running")] == [running["id"]]


def test_session_prev_page_walks_back(store):
    ag = agent()
    made = [session(ag) for _ in range(5)]
    for item in made:
        store.put_session(item)
    first, next1, prev1 = store.list_sessions(limit=2)
    assert prev1 is None
    second, next2, prev2 = store.list_sessions(limit=2, cursor=next1)
    third, next3, prev3 = store.list_sessions(limit=2, cursor=next2)
    assert next3 is None and len(third) == 1
    back, _, back_prev = store.list_sessions(limit=2, cursor=prev3)
    assert back == second
    assert store.list_sessions(limit=2, cursor=back_prev)[0] == first
    assert store.list_sessions(limit=2, cursor=prev2)[0] == first
    assert store.list_sessions(limit=2, cursor=prev2)[2] is None


def test_events_keep_delivery_order_and_filter(store):
    ses = "sesn_a"
    kinds = ("user.message", "session.status_running", "agent.message", "session.status_idle")
    made = [event(kind) for kind in kinds]
    for item in made:
        store.append_event(ses, item)
    store.append_event("sesn_other", event())
    assert store.list_events(ses)[0] == made
    assert store.list_events(ses, order="desc")[0] == list(reversed(made))
    assert store.list_events(ses, types=["agent.message"])[0] == [made[2]]
    window = {"gte": made[1]["processed_at"], "lt": made[3]["processed_at"]}
    assert store.list_events(ses, created_at=window)[0] == made[1:3]
    pages, items = collect(store.list_events, session_id=ses, limit=3)
    assert items == made and len(pages) == 2
    assert store.get_event(ses, made[2]["id"]) == made[2]


def test_processed_echo_moves_to_the_end(store):
    ses = "sesn_a"
    queued = event("user.message", processed_at=None)
    store.append_event(ses, event("session.status_running"))
    store.append_event(ses, queued)
    store.append_event(ses, event("session.status_idle"))
    processed = store.list_events(ses, created_at={"gte": "1970-01-01T00:00:00.000Z"})[0]
    assert [e["type"] for e in processed] == ["session.status_running", "session.status_idle"]
    store.update_event(ses, {**queued, "processed_at": now()})
    listed = store.list_events(ses)[0]
    assert [e["type"] for e in listed] == ["session.status_running", "session.status_idle", "user.message"]
    assert listed[-1]["processed_at"] is not None


def test_session_events_reads_the_whole_log_in_delivery_order(store):
    ses = "sesn_a"
    queued = event("user.message", processed_at=None)
    made = [event("session.status_running"), queued, *(event() for _ in range(1005))]
    for item in made:
        store.append_event(ses, item)
    store.append_event("sesn_other", event())
    assert store.session_events(ses) == made
    assert store.session_events(ses, processed_only=True) == [made[0], *made[2:]]
    store.update_event(ses, {**queued, "processed_at": "2026-01-01T00:00:00.000Z"})
    assert [e["id"] for e in store.session_events(ses, processed_only=True)] == [
        made[0]["id"],
        *(e["id"] for e in made[2:]),
        queued["id"],
    ]
    assert store.session_events("sesn_none") == []


def test_delete_session_takes_its_events_threads_and_resources(store):
    ag = agent()
    ses = session(ag)
    store.put_session(ses)
    store.append_event(ses["id"], event())
    store.put_thread({"type": "session_thread", "id": "sthr_1", "session_id": ses["id"], "status": "idle"})
    store.put_resource(ses["id"], {"type": "file", "id": "sesrsc_1"})
    assert store.delete_session(ses["id"]) is True
    assert store.get_session(ses["id"]) is None
    assert store.list_events(ses["id"])[0] == []
    assert store.get_thread(ses["id"], "sthr_1") is None
    assert store.get_resource(ses["id"], "sesrsc_1") is None
    assert store.delete_session(ses["id"]) is False


def test_resource_secret_is_kept_apart(store):
    ag = agent()
    ses = session(ag)
    store.put_session(ses)
    body = {"type": "github_repository", "id": "sesrsc_1", "url": "https://github.com/o/r"}
    store.put_resource(ses["id"], body, secret="ghp_secret")
    assert store.get_resource(ses["id"], "sesrsc_1") == body
    assert "ghp_secret" not in str(store.list_resources(ses["id"]))
    assert store.resource_secret(ses["id"], "sesrsc_1") == "ghp_secret"


@pytest.mark.parametrize("cursor", ["garbage!", "e30", "eyJsIjoic2Vzc2lvbnMiLCJrIjoxLCJmIjp0cnVlfQ"])
def test_foreign_cursors_are_refused(store, cursor):
    # the last one is a well-formed sessions cursor, which the environments list must not take
    with pytest.raises(BadCursor):
        store.list_environments(cursor=cursor)


def test_ids_and_times_increase():
    ids = [new_id("sevt") for _ in range(200)]
    stamps = [now() for _ in range(200)]
    assert ids == sorted(ids) and len(set(ids)) == 200
    assert stamps == sorted(stamps) and len(set(stamps)) == 200
    assert all(i.startswith("sevt_01") and len(i) == len("sevt_") + 24 for i in ids)
    assert normalize_timestamp("2026-05-01T02:00:00.5+02:00") == "2026-05-01T00:00:00.500Z"
    with pytest.raises(ValueError):
        normalize_timestamp("yesterday")


_WRITER = """
import sys
from pathlib import Path
from app.runtime.ids import new_id, now
from app.runtime.store import Store
store = Store(Path(sys.argv[1]))
while True:
    event = {"type": "agent.message", "id": new_id("sevt"), "processed_at": now()}
    store.append_event("sesn_killed", event)
    print(event["id"], flush=True)
"""


def test_every_appended_event_survives_sigkill(tmp_path):
    path = tmp_path / "runtime.sqlite3"
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        reported = [writer.stdout.readline().strip() for _ in range(300)]
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    db = Store(path)
    stored = {event["id"] for event in collect(db.list_events, session_id="sesn_killed")[1]}
    db.close()
    assert set(reported) <= stored
