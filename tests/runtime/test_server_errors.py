"""Error envelopes, request ids, authentication and bad input, over real HTTP."""

from __future__ import annotations

import anthropic
import httpx
import pytest

from app.runtime.log import SessionLog
from app.runtime.server import create_app
from app.runtime.store import Store
from tests.runtime.conftest import API_KEY, serve_app

KEY = {"x-api-key": API_KEY}


def call(served, method, path, **kwargs):
    kwargs.setdefault("headers", KEY)
    return httpx.request(method, served.base_url + path, timeout=10, **kwargs)


def assert_envelope(response, status, error_type, error_code=None):
    """The §2.2 body, with the same request id in the body and the header."""
    assert response.status_code == status
    body = response.json()
    assert body["type"] == "error" and body["error"]["type"] == error_type
    assert body["error"]["message"]
    assert body["request_id"] == response.headers["request-id"]
    assert body["request_id"].startswith("req_")
    if error_code is not None:
        assert body["error"]["details"] == {"error_code": error_code}
    assert "Traceback" not in response.text
    return body


def test_missing_session_is_a_not_found_error_with_request_id(sdk):
    with pytest.raises(anthropic.NotFoundError) as caught:
        sdk.beta.sessions.retrieve("sesn_nope")
    error = caught.value
    assert error.request_id and error.request_id == error.response.headers["request-id"]
    assert error.body["error"]["details"]["error_code"] == "session_not_found"
    assert error.response.headers["x-should-retry"] == "false"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/sessions/sesn_nope/events",
        "/v1/sessions/sesn_nope/events/stream",
        "/v1/sessions/sesn_nope/threads",
        "/v1/sessions/sesn_nope/resources",
        "/v1/agents/agent_nope",
        "/v1/environments/env_nope",
    ],
)
def test_every_missing_object_is_a_404_envelope(served, path):
    kind = path.split("/")[2].removesuffix("s")
    assert_envelope(call(served, "GET", path), 404, "not_found_error", f"{kind}_not_found")


def test_bad_body_is_a_bad_request_naming_the_field(sdk, session_id):
    with pytest.raises(anthropic.BadRequestError) as caught:
        sdk.beta.sessions.events.send(session_id, events=[{"type": "user.message"}])
    assert "events.0" in caught.value.message and "content" in caught.value.message
    assert caught.value.response.headers["x-should-retry"] == "false"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"config": {"type": "cloud"}}', "name"),
        (b'{"name": "x", "config": {"type": "moon"}}', "config"),
    ],
)
def test_malformed_bodies(served, body, expected):
    headers = {**KEY, "content-type": "application/json"}
    response = call(served, "POST", "/v1/environments", content=body, headers=headers)
    assert expected in assert_envelope(response, 400, "invalid_request_error")["error"]["message"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "limit=many",
        "order=sideways",
        "page=not-a-cursor",
        "statuses[]=asleep",
        "created_at[gte]=yesterday",
        "include_archived=perhaps",
        "agent_version=2",
    ],
)
def test_bad_query_parameters(served, query):
    assert_envelope(call(served, "GET", f"/v1/sessions?{query}"), 400, "invalid_request_error")


def test_a_cursor_from_another_list_is_refused(served, sdk):
    for i in range(3):
        sdk.beta.environments.create(name=f"e{i}")
    cursor = sdk.beta.environments.list(limit=1).next_page
    assert_envelope(call(served, "GET", f"/v1/agents?page={cursor}"), 400, "invalid_request_error")


def test_missing_or_wrong_key_is_refused(served):
    sdk = anthropic.Anthropic(api_key="sk-wrong", base_url=served.base_url, _strict_response_validation=True)
    with pytest.raises(anthropic.AuthenticationError) as caught:
        sdk.beta.environments.list()
    assert caught.value.request_id
    assert_envelope(call(served, "GET", "/v1/environments", headers={}), 401, "authentication_error")
    basic = call(served, "GET", "/v1/environments", headers={"authorization": "Basic " + API_KEY})
    assert_envelope(basic, 401, "authentication_error")
    wrong = call(served, "GET", "/v1/nowhere", headers={"x-api-key": API_KEY + "x"})
    assert_envelope(wrong, 401, "authentication_error")


def test_either_auth_header_and_any_version_work(served):
    for headers in (
        {"x-api-key": API_KEY, "anthropic-version": "2023-06-01"},
        {"authorization": f"Bearer {API_KEY}", "anthropic-version": "2026-10-21", "x-stainless-lang": "python"},
        {"x-api-key": API_KEY, "anthropic-version": "1999-12-31", "anthropic-beta": "something-else"},
    ):
        response = call(served, "GET", "/v1/environments", headers=headers)
        assert response.status_code == 200
        assert response.headers["request-id"].startswith("req_")
        assert "x-should-retry" not in response.headers


def test_unknown_routes_and_methods_use_the_envelope(served):
    assert_envelope(call(served, "GET", "/v1/nowhere"), 404, "not_found_error")
    assert_envelope(call(served, "DELETE", "/v1/agents/agent_x"), 405, "invalid_request_error")
    assert_envelope(call(served, "PATCH", "/v1/sessions/sesn_x"), 405, "invalid_request_error")


def test_request_ids_are_unique(served):
    ids = {call(served, "GET", "/v1/agents").headers["request-id"] for _ in range(5)}
    assert len(ids) == 5


class _BrokenEngine:
    async def send(self, session_id, events):
        raise RuntimeError("engine exploded with sk-do-not-leak")

    async def delete_session(self, session_id):
        raise KeyError(session_id)


def test_unexpected_exceptions_become_a_500_envelope(tmp_path, caplog):
    store = Store(tmp_path / "runtime.sqlite3")
    app = create_app(store=store, log=SessionLog(store), engine=_BrokenEngine(), api_key=API_KEY)
    with serve_app(app) as base_url:
        sdk = anthropic.Anthropic(api_key=API_KEY, base_url=base_url, _strict_response_validation=True)
        env = sdk.beta.environments.create(name="box")
        agent = sdk.beta.agents.create(name="helper", model="claude-sonnet-4-6")
        session = sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
        message = {"events": [{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}]}
        response = httpx.post(f"{base_url}/v1/sessions/{session.id}/events", json=message, headers=KEY, timeout=10)
        body = assert_envelope(response, 500, "api_error")
        assert "sk-do-not-leak" not in response.text and "RuntimeError" not in response.text
        assert "x-should-retry" not in response.headers  # transient: the client may retry
        response = httpx.delete(f"{base_url}/v1/sessions/{session.id}", headers=KEY, timeout=10)
        assert_envelope(response, 500, "api_error")
    assert body["request_id"] in caplog.text
    store.close()
