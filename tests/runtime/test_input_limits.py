"""Bad input is refused with a 400 and never stored; an unreadable stored row never breaks a list.

Over real HTTP against the runtime's routes (the ``served`` fixture), and the store's own writes.
"""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
import tracemalloc

import httpx
import pytest

from app.runtime import strict_json
from app.runtime.store import Store
from tests.runtime.test_server_errors import KEY, assert_envelope, call

JSON = {**KEY, "content-type": "application/json"}
CUSTOM_TOOL = '{"type":"custom","name":"t","description":"d","input_schema":{"type":"object","maximum":%s}}'


def post(served, path: str, text: str) -> httpx.Response:
    return call(served, "POST", path, content=text.encode("utf-8", "surrogatepass"), headers=JSON)


def refused(response: httpx.Response, problem: str) -> None:
    message = assert_envelope(response, 400, "invalid_request_error")["error"]["message"]
    assert problem in message


def lists_answer(served) -> None:
    for path in ("/v1/environments", "/v1/agents", "/v1/sessions"):
        assert call(served, "GET", path).status_code == 200, path


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_standard_numbers_are_refused_and_not_stored(served, sdk, constant):
    env = sdk.beta.environments.create(name="box").id
    agent = sdk.beta.agents.create(name="a", model="claude-sonnet-4-6")
    refused(post(served, "/v1/environments", '{"name":"x","metadata":{"k":%s}}' % constant), constant)
    refused(post(served, "/v1/environments", '{"name":"x","config":{"type":"cloud","x":%s}}' % constant), constant)
    refused(post(served, "/v1/agents", '{"name":"a","model":"m","tools":[%s]}' % (CUSTOM_TOOL % constant)), constant)
    refused(post(served, f"/v1/agents/{agent.id}", '{"version":1,"model":{"id":"m","speed":%s}}' % constant), constant)
    override = '{"type":"agent_with_overrides","id":"%s","tools":[%s]}' % (agent.id, CUSTOM_TOOL % constant)
    refused(post(served, "/v1/sessions", '{"environment_id":"%s","agent":%s}' % (env, override)), constant)
    refused(post(served, "/v1/environments", '{"name":"x","metadata":{"k":1e999}}'), "out of range")
    lists_answer(served)
    assert [e.id for e in sdk.beta.environments.list()] == [env]
    assert sdk.beta.agents.retrieve(agent.id).version == 1
    assert list(sdk.beta.sessions.list()) == []


def test_reading_a_body_takes_memory_in_proportion_to_it():
    """A wide body is checked without per-element bookkeeping: a 1.2 MB one once took 220 MB on
    top of its parse (a 32 MB one, gigabytes), now a few times its size in all."""
    body = json.dumps({"k" * 1000: [0] * 200_000, "d": [{"x": "y"}] * 50_000}).encode()
    tracemalloc.start()
    try:
        strict_json.loads(body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30 * len(body)


def test_deep_nesting_is_refused(served):
    for depth in (65, 1000, 100_000):
        refused(post(served, "/v1/environments", '{"name":"x","config":' + "[" * depth + "]" * depth + "}"), "deep")
    assert (
        post(served, "/v1/environments", '{"name":"x","metadata":{"k":' + "[" * 60 + "]" * 60 + "}}").status_code == 400
    )
    lists_answer(served)


def test_integers_outside_64_bits_are_refused(served, sdk):
    agent = sdk.beta.agents.create(name="a", model="claude-sonnet-4-6").id
    refused(post(served, f"/v1/agents/{agent}", '{"version":%d,"name":"b"}' % 2**63), "64-bit")
    refused(post(served, "/v1/environments", '{"name":"x","metadata":{"k":-%d}}' % (2**63 + 1)), "64-bit")
    refused(call(served, "GET", f"/v1/agents/{agent}?version={2**63}"), "version")
    refused(call(served, "GET", f"/v1/agents/{agent}?version={'9' * 5000}"), "version")
    refused(call(served, "GET", f"/v1/sessions?agent_id={agent}&agent_version={2**64}"), "agent_version")
    assert call(served, "GET", f"/v1/agents/{agent}?version={2**63 - 1}").status_code == 404
    lists_answer(served)


@pytest.mark.parametrize("key", [2**63, -(2**70), 1e400])
def test_crafted_cursors_out_of_range_are_refused(served, key):
    for kind, path in (("environments", "/v1/environments"), ("sessions", "/v1/sessions")):
        raw = json.dumps({"l": kind, "k": key, "f": True}).encode()
        cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        refused(call(served, "GET", f"{path}?page={cursor}"), "cursor")
    deep = base64.urlsafe_b64encode(b"[" * 5000).decode()
    refused(call(served, "GET", f"/v1/agents?page={deep}"), "cursor")


def test_lone_surrogates_are_refused(served, sdk):
    agent = sdk.beta.agents.create(name="a", model="claude-sonnet-4-6").id
    refused(post(served, "/v1/environments", '{"name":"\\ud800"}'), "surrogate")
    refused(post(served, "/v1/environments", '{"name":"x","metadata":{"\\udfff":"v"}}'), "surrogate")
    refused(post(served, f"/v1/agents/{agent}", '{"version":1,"system":"ok \\udc00"}'), "surrogate")
    refused(post(served, "/v1/environments", '{"name":"\ud800"}'), "UTF-8")  # encoded, not escaped
    assert post(served, "/v1/environments", '{"name":"\\ud83d\\ude00"}').json()["name"] == "\U0001f600"
    lists_answer(served)


def _write_rows(served, table: str, rows: list[tuple[str, str]]) -> None:
    """Rows written straight into the database, as an older version could have left them."""
    with sqlite3.connect(served.store.path) as db:
        db.executemany(f"INSERT INTO {table} (id, archived, body) VALUES (?, 0, ?)", rows)


def test_an_unreadable_stored_row_is_skipped_and_logged(served, sdk, caplog):
    good = sdk.beta.environments.create(name="good").id
    _write_rows(
        served, "environments", [("env_nan", '{"type":"environment","id":"env_nan","x":NaN}'), ("env_cut", '{"type":')]
    )
    newer = sdk.beta.environments.create(name="newer").id
    with caplog.at_level(logging.WARNING, logger="agentdeck.runtime.store"):
        assert [e.id for e in sdk.beta.environments.list()] == [newer, good]
        assert_envelope(call(served, "GET", "/v1/environments/env_nan"), 404, "not_found_error")
    assert "unreadable row" in caplog.text and "environments" in caplog.text
    response = call(served, "DELETE", "/v1/environments/env_nan")
    assert response.status_code == 200 and response.json() == {"id": "env_nan", "type": "environment_deleted"}
    assert_envelope(call(served, "DELETE", "/v1/environments/env_nan"), 404, "not_found_error", "environment_not_found")


def test_an_unreadable_stored_event_is_skipped_in_history(served, sdk, session_id):
    message = {"type": "user.message", "content": [{"type": "text", "text": "NaN and Infinity are words"}]}
    sdk.beta.sessions.events.send(session_id, events=[message])
    with sqlite3.connect(served.store.path) as db:
        db.execute(
            "INSERT INTO events (session_id, seq, id, type, body) VALUES (?, 99, 'sevt_bad', 'x', ?)",
            (session_id, '{"type":"x","id":"sevt_bad","v":NaN}'),
        )
    response = call(served, "GET", f"/v1/sessions/{session_id}/events")
    assert response.status_code == 200
    assert [event["type"] for event in response.json()["data"]] == ["user.message"]


def test_the_store_refuses_to_write_a_non_standard_number(tmp_path):
    store = Store(tmp_path / "runtime.sqlite3")
    env = {"type": "environment", "id": "env_x", "archived_at": None, "config": {"n": float("nan")}}
    with pytest.raises(ValueError):
        store.put_environment(env)
    assert store.list_environments() == ([], None)
    store.close()
