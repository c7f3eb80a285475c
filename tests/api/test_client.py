"""AgentClient over real HTTP on loopback: endpoints, headers, pagination, errors, retries, streams, secrets."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from datetime import UTC, datetime
from urllib.parse import unquote

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from app import __version__
from app.api.client import AgentClient
from app.api.errors import (
    AgentAPIError,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OverloadedError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    UnprocessableEntityError,
)
from app.api.models import (
    Agent,
    DeletedObject,
    Environment,
    EventDeltaEvent,
    Session,
    SessionThread,
    TextBlock,
    UnreadableEvent,
    UserMessageParams,
)
from app.api.retry import backoff, retry_delay
from app.config import Secret
from tests.conftest import EXAMPLES, load_example

KEY = "sk-ant-api03-SECRET-do-not-leak-0123456789"
ENV = load_example("environment.json")
AGENT = load_example("agent.json")
SESSION = load_example("session.json")
EVENTS_PAGE = load_example("events_page.json")
RESOURCE = SESSION["resources"][0]
THREAD = {
    "type": "session_thread",
    "id": "sthr_1",
    "session_id": "sesn_1",
    "parent_thread_id": None,
    "agent": {"type": "advisor", "model": "claude-opus-4-8"},
    "status": "idle",
    "created_at": "2026-05-02T09:20:11.204Z",
    "updated_at": "2026-05-02T09:21:49.904Z",
}
TURN = (EXAMPLES / "turn_stream.sse").read_bytes()


def reply(payload, status: int = 200, headers: dict | None = None):
    """A handler that always answers ``payload`` as JSON."""

    async def handler(request: Request) -> Response:
        return JSONResponse(payload, status, headers=headers)

    return handler


def sequence_of(*responses):
    """A handler answering each request with the next response, or with what the next factory
    builds (streams cannot be replayed); the last one repeats."""
    queue = list(responses)

    async def handler(request: Request) -> Response:
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        return item if isinstance(item, Response) else item()

    return handler


def error_body(kind: str, message: str, code: str | None = None, request_id: str | None = None) -> dict:
    error = {"type": kind, "message": message}
    if code:
        error["details"] = {"error_code": code}
    body = {"type": "error", "error": error}
    if request_id:
        body["request_id"] = request_id
    return body


def page(*items, next_page=None) -> dict:
    return {"data": list(items), "next_page": next_page}


async def first(paginator):
    async for item in paginator:
        return item


@pytest.fixture
async def client(server):
    async with AgentClient(KEY, base_url=server.base_url) as c:
        yield c


# --- endpoints --------------------------------------------------------------------------------------

T0 = "2026-05-01T00:00:00Z"
T1 = datetime(2026, 5, 2, 12, 30, tzinfo=UTC)
MESSAGE = UserMessageParams(content=[TextBlock(text="hi")])

# (name, call, reply, method, path, query, body, result type)
ENDPOINTS = [
    (
        "env create",
        lambda c: c.environments.create({"name": "py"}, config={"type": "cloud"}),
        ENV,
        "POST",
        "/v1/environments",
        [],
        {"name": "py", "config": {"type": "cloud"}},
        Environment,
    ),
    (
        "env retrieve",
        lambda c: c.environments.retrieve("env_1"),
        ENV,
        "GET",
        "/v1/environments/env_1",
        [],
        None,
        Environment,
    ),
    (
        "env update",
        lambda c: c.environments.update("env_1", description=None, metadata={"a": "b"}),
        ENV,
        "POST",
        "/v1/environments/env_1",
        [],
        {"description": None, "metadata": {"a": "b"}},
        Environment,
    ),
    (
        "env list",
        lambda c: first(c.environments.list(include_archived=True, limit=5)),
        page(ENV),
        "GET",
        "/v1/environments",
        [("include_archived", "true"), ("limit", "5")],
        None,
        Environment,
    ),
    (
        "env archive",
        lambda c: c.environments.archive("env_1"),
        ENV,
        "POST",
        "/v1/environments/env_1/archive",
        [],
        None,
        Environment,
    ),
    (
        "env delete",
        lambda c: c.environments.delete("env_1"),
        {"id": "env_1", "type": "environment_deleted"},
        "DELETE",
        "/v1/environments/env_1",
        [],
        None,
        DeletedObject,
    ),
    (
        "agent create",
        lambda c: c.agents.create(name="helper", model="claude-sonnet-4-6"),
        AGENT,
        "POST",
        "/v1/agents",
        [],
        {"name": "helper", "model": "claude-sonnet-4-6"},
        Agent,
    ),
    (
        "agent retrieve",
        lambda c: c.agents.retrieve("agent_1", version=2),
        AGENT,
        "GET",
        "/v1/agents/agent_1",
        [("version", "2")],
        None,
        Agent,
    ),
    (
        "agent update",
        lambda c: c.agents.update("agent_1", version=3, system=None),
        AGENT,
        "POST",
        "/v1/agents/agent_1",
        [],
        {"version": 3, "system": None},
        Agent,
    ),
    (
        "agent list",
        lambda c: first(c.agents.list(created_at_gte=T0, created_at_lte=T1, include_archived=False, limit=20)),
        page(AGENT),
        "GET",
        "/v1/agents",
        [
            ("created_at[gte]", T0),
            ("created_at[lte]", "2026-05-02T12:30:00Z"),
            ("include_archived", "false"),
            ("limit", "20"),
        ],
        None,
        Agent,
    ),
    (
        "agent archive",
        lambda c: c.agents.archive("agent_1"),
        AGENT,
        "POST",
        "/v1/agents/agent_1/archive",
        [],
        None,
        Agent,
    ),
    (
        "agent versions",
        lambda c: first(c.agents.versions("agent_1", limit=2)),
        page(AGENT),
        "GET",
        "/v1/agents/agent_1/versions",
        [("limit", "2")],
        None,
        Agent,
    ),
    (
        "session create",
        lambda c: c.sessions.create(agent="agent_1", environment_id="env_1", title="t"),
        SESSION,
        "POST",
        "/v1/sessions",
        [],
        {"agent": "agent_1", "environment_id": "env_1", "title": "t"},
        Session,
    ),
    (
        "session retrieve",
        lambda c: c.sessions.retrieve("sesn_1"),
        SESSION,
        "GET",
        "/v1/sessions/sesn_1",
        [],
        None,
        Session,
    ),
    (
        "session update",
        lambda c: c.sessions.update("sesn_1", title="new"),
        SESSION,
        "POST",
        "/v1/sessions/sesn_1",
        [],
        {"title": "new"},
        Session,
    ),
    (
        "session list",
        lambda c: first(
            c.sessions.list(
                agent_id="agent_1",
                agent_version=3,
                statuses=["idle", "running"],
                created_at_gt=T0,
                created_at_gte=T0,
                created_at_lt=T1,
                created_at_lte=T1,
                include_archived=True,
                order="asc",
                limit=10,
            )
        ),
        page(SESSION),
        "GET",
        "/v1/sessions",
        [
            ("agent_id", "agent_1"),
            ("agent_version", "3"),
            ("statuses[]", "idle"),
            ("statuses[]", "running"),
            ("created_at[gt]", T0),
            ("created_at[gte]", T0),
            ("created_at[lt]", "2026-05-02T12:30:00Z"),
            ("created_at[lte]", "2026-05-02T12:30:00Z"),
            ("include_archived", "true"),
            ("order", "asc"),
            ("limit", "10"),
        ],
        None,
        Session,
    ),
    (
        "session archive",
        lambda c: c.sessions.archive("sesn_1"),
        SESSION,
        "POST",
        "/v1/sessions/sesn_1/archive",
        [],
        None,
        Session,
    ),
    (
        "session delete",
        lambda c: c.sessions.delete("sesn_1"),
        {"id": "sesn_1", "type": "session_deleted"},
        "DELETE",
        "/v1/sessions/sesn_1",
        [],
        None,
        DeletedObject,
    ),
    (
        "events list",
        lambda c: first(
            c.sessions.events.list(
                "sesn_1", types=["agent.message", "user.message"], created_at_gte=T0, order="desc", limit=50
            )
        ),
        EVENTS_PAGE,
        "GET",
        "/v1/sessions/sesn_1/events",
        [
            ("types[]", "agent.message"),
            ("types[]", "user.message"),
            ("created_at[gte]", T0),
            ("order", "desc"),
            ("limit", "50"),
        ],
        None,
        None,
    ),
    (
        "events send",
        lambda c: c.sessions.events.send("sesn_1", [MESSAGE, {"type": "user.interrupt"}]),
        {"data": [EVENTS_PAGE["data"][0]]},
        "POST",
        "/v1/sessions/sesn_1/events",
        [],
        {"events": [{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}, {"type": "user.interrupt"}]},
        list,
    ),
    (
        "threads list",
        lambda c: first(c.sessions.threads.list("sesn_1", statuses="running", limit=3)),
        page(THREAD),
        "GET",
        "/v1/sessions/sesn_1/threads",
        [("statuses[]", "running"), ("limit", "3")],
        None,
        SessionThread,
    ),
    (
        "threads retrieve",
        lambda c: c.sessions.threads.retrieve("sesn_1", "sthr_1"),
        THREAD,
        "GET",
        "/v1/sessions/sesn_1/threads/sthr_1",
        [],
        None,
        SessionThread,
    ),
    (
        "threads archive",
        lambda c: c.sessions.threads.archive("sesn_1", "sthr_1"),
        THREAD,
        "POST",
        "/v1/sessions/sesn_1/threads/sthr_1/archive",
        [],
        None,
        SessionThread,
    ),
    (
        "threads events",
        lambda c: first(c.sessions.threads.events("sesn_1", "sthr_1", limit=7)),
        EVENTS_PAGE,
        "GET",
        "/v1/sessions/sesn_1/threads/sthr_1/events",
        [("limit", "7")],
        None,
        None,
    ),
    (
        "resources list",
        lambda c: first(c.sessions.resources.list("sesn_1", limit=1000)),
        page(RESOURCE),
        "GET",
        "/v1/sessions/sesn_1/resources",
        [("limit", "1000")],
        None,
        None,
    ),
    (
        "resources retrieve",
        lambda c: c.sessions.resources.retrieve("sesn_1", RESOURCE["id"]),
        RESOURCE,
        "GET",
        f"/v1/sessions/sesn_1/resources/{RESOURCE['id']}",
        [],
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    "call, payload, method, path, query, body, result_type", [e[1:] for e in ENDPOINTS], ids=[e[0] for e in ENDPOINTS]
)
async def test_every_endpoint_sends_the_right_request_and_returns_a_typed_model(
    server, client, call, payload, method, path, query, body, result_type
):
    server.handler = reply(payload)
    result = await call(client)
    (seen,) = server.requests
    assert (seen.method, seen.path, seen.query) == (method, path, query)
    assert (json.loads(seen.body) if seen.body else None) == body
    if result_type is not None:
        assert isinstance(result, result_type)
    if result_type is list:
        assert result[0].id == EVENTS_PAGE["data"][0]["id"]
    elif isinstance(payload, dict) and "data" not in payload:
        assert result.to_wire() == payload  # typed, and nothing lost
    else:
        expected = payload["data"][0]
        assert (result.type, getattr(result, "id", None)) == (expected["type"], expected.get("id"))


async def test_every_request_carries_the_documented_headers(server):
    server.handler = reply(ENV)
    async with AgentClient(KEY, base_url=server.base_url, workspace_id="wrkspc_1") as client:
        await client.environments.retrieve("env_1")
    async with AgentClient(Secret(KEY), base_url=server.base_url) as client:  # the config's masked key works too
        await client.environments.retrieve("env_1")
    with_workspace, without = (r.headers for r in server.requests)
    assert without["x-api-key"] == KEY
    assert with_workspace["x-api-key"] == KEY
    assert with_workspace["anthropic-version"] == "2023-06-01"
    assert with_workspace["anthropic-beta"] == "managed-agents-2026-04-01"
    assert with_workspace["user-agent"] == f"agentdeck/{__version__}"
    assert with_workspace["accept"] == "application/json"
    assert with_workspace["anthropic-workspace-id"] == "wrkspc_1"
    assert "anthropic-workspace-id" not in without and "authorization" not in without


# --- pagination -------------------------------------------------------------------------------------


async def test_lists_follow_next_page_across_three_pages_keeping_the_other_params(server, client):
    pages = {
        None: page(dict(SESSION, id="s1"), next_page="c2"),
        "c2": page(dict(SESSION, id="s2"), dict(SESSION, id="s3"), next_page="c3"),
        "c3": page(dict(SESSION, id="s4"), next_page=None),
    }

    async def handler(request: Request) -> Response:
        return JSONResponse(pages[request.query_params.get("page")])

    server.handler = handler
    ids = [s.id async for s in client.sessions.list(statuses=["idle"], limit=2)]
    assert ids == ["s1", "s2", "s3", "s4"]
    assert [r.query for r in server.requests] == [
        [("statuses[]", "idle"), ("limit", "2")],
        [("statuses[]", "idle"), ("limit", "2"), ("page", "c2")],
        [("statuses[]", "idle"), ("limit", "2"), ("page", "c3")],
    ]
    sizes = [len(p.data) async for p in client.sessions.list(statuses=["idle"], limit=2).pages()]
    assert sizes == [1, 2, 1]
    server.requests.clear()
    first = await client.sessions.list(limit=2).page()
    assert ([s.id for s in first.data], first.next_page, len(server.requests)) == (["s1"], "c2", 1)


async def test_a_cursor_that_repeats_ends_the_list(server, client):
    """A server that hands back the cursor of the page just read cannot loop the client forever."""
    pages = {None: page(dict(SESSION, id="s1"), next_page="c2"), "c2": page(dict(SESSION, id="s2"), next_page="c2")}

    async def handler(request: Request) -> Response:
        return JSONResponse(pages[request.query_params.get("page")])

    server.handler = handler
    assert [s.id async for s in client.sessions.list()] == ["s1", "s2"]
    assert [dict(r.query).get("page") for r in server.requests] == [None, "c2"]


async def test_an_empty_cursor_ends_the_list(server, client):
    server.handler = reply(page(ENV, next_page=""))
    assert len([e async for e in client.environments.list()]) == 1
    assert len(server.requests) == 1


# --- unreadable items -------------------------------------------------------------------------------


def unreadable_copy(event: dict) -> dict:
    """``event`` with a body its models reject (a known type, so never an UnknownEvent)."""
    return {**event, "processed_at": 12345} if event["type"] == "agent.tool_use" else {**event, "content": "text"}


async def test_an_events_page_with_one_unreadable_event_gives_every_other_in_order(server, client):
    data = [dict(event) for event in EVENTS_PAGE["data"]]
    bad_index = next(i for i, e in enumerate(data) if e["type"] == "agent.tool_use")
    data[bad_index] = unreadable_copy(data[bad_index])
    pages = {None: page(*data[:6], next_page="c2"), "c2": page(*data[6:])}

    async def handler(request: Request) -> Response:
        return JSONResponse(pages[request.query_params.get("page")])

    server.handler = handler
    history = client.sessions.events.list("sesn_1", limit=6)
    items = [item async for item in history]
    assert [(i.type, i.id) for i in items] == [(e["type"], e["id"]) for e in data]
    unreadable = items[bad_index]
    assert isinstance(unreadable, UnreadableEvent)
    assert unreadable.error == "agent.tool_use.processed_at: Input should be a valid string"
    assert json.loads(unreadable.raw) == data[bad_index]
    assert not any(isinstance(i, UnreadableEvent) for i in items[:bad_index] + items[bad_index + 1 :])
    assert history.skipped == []  # events are never skipped: they stand in place

    server.handler = reply(page(unreadable_copy(data[9]), data[10]))
    thread_items = [item async for item in client.sessions.threads.events("sesn_1", "sthr_1")]
    assert [type(i).__name__ for i in thread_items] == ["UnreadableEvent", "SpanModelRequestEndEvent"]


async def test_a_sessions_page_with_one_unreadable_session_gives_the_others_and_says_so(server, client):
    broken = {**dict(SESSION, id="s2"), "agent": {**SESSION["agent"], "model": 7}}
    pages = {
        None: page(dict(SESSION, id="s1"), broken, dict(SESSION, id="s3"), next_page="c2"),
        "c2": page({"type": "session", "title": 7}, dict(SESSION, id="s4")),
    }

    async def handler(request: Request) -> Response:
        return JSONResponse(pages[request.query_params.get("page")])

    server.handler = handler
    sessions = client.sessions.list()
    assert [s.id async for s in sessions] == ["s1", "s3", "s4"]
    assert [(item.id, item.raw) for item in sessions.skipped] == [("s2", broken), (None, pages["c2"]["data"][0])]
    assert sessions.skipped[0].error == "agent.model: Input should be a valid dictionary or instance of ModelConfig"

    first = await sessions.page()
    assert [s.id for s in first.data] == ["s1", "s3"] and first.next_page == "c2"
    assert [item.id for item in first.skipped] == ["s2"]
    assert sessions.skipped == first.skipped  # the latest walk: the first page only


async def test_one_unreadable_echo_does_not_hide_the_others(server, client):
    echo = {"type": "user.message", "id": "sevt_1", "processed_at": None, "content": [{"type": "text", "text": "hi"}]}
    server.handler = reply(page({**echo, "content": None}, dict(echo, id="sevt_2")))
    bad, good = await client.sessions.events.send("sesn_1", [MESSAGE, MESSAGE])
    assert isinstance(bad, UnreadableEvent) and bad.id == "sevt_1"
    assert good.text == "hi"


@pytest.mark.parametrize(
    "payload", [{"data": "nothing"}, {"data": [ENV], "next_page": 7}, [ENV]], ids=["data", "cursor", "array"]
)
async def test_a_reply_that_is_not_a_list_is_a_clear_error(server, client, payload):
    server.handler = reply(payload)
    with pytest.raises(APIResponseValidationError, match="unexpected reply to GET /v1/environments"):
        [e async for e in client.environments.list()]


async def test_retrieving_an_unreadable_object_is_a_clear_error(server, client):
    server.handler = reply({**SESSION, "agent": {**SESSION["agent"], "model": 7}})
    with pytest.raises(APIResponseValidationError) as caught:
        await client.sessions.retrieve("sesn_1")
    assert str(caught.value) == "unexpected reply to GET /v1/sessions/sesn_1: agent.model: Input should be an object"
    assert isinstance(caught.value, AgentAPIError)


# --- errors -----------------------------------------------------------------------------------------

ERRORS = [
    (400, "invalid_request_error", "environment_archived", BadRequestError),
    (401, "authentication_error", None, AuthenticationError),
    (403, "permission_error", "api_key_scope_missing", PermissionDeniedError),
    (404, "not_found_error", "environment_not_found", NotFoundError),
    (409, "conflict_error", "version_mismatch", ConflictError),
    (422, "invalid_request_error", "invalid_metadata", UnprocessableEntityError),
    (429, "rate_limit_error", None, RateLimitError),
    (500, "api_error", None, InternalServerError),
    (529, "overloaded_error", None, OverloadedError),
]


@pytest.mark.parametrize("status, kind, code, exc_type", ERRORS, ids=[str(e[0]) for e in ERRORS])
async def test_error_replies_map_to_typed_exceptions(server, status, kind, code, exc_type):
    server.handler = reply(
        error_body(kind, "it went wrong", code, request_id="req_body"), status, headers={"request-id": "req_header"}
    )
    async with AgentClient(KEY, base_url=server.base_url, max_retries=0) as client:
        with pytest.raises(exc_type) as caught:
            await client.environments.retrieve("env_1")
    err = caught.value
    assert (err.status_code, err.error_type, err.error_code, err.message) == (status, kind, code, "it went wrong")
    assert err.request_id == "req_header"
    assert str(status) in str(err) and "req_header" in str(err) and "it went wrong" in str(err)


async def test_the_body_request_id_is_used_when_the_header_is_missing(server, client):
    server.handler = reply(error_body("not_found_error", "no such env", "environment_not_found", "req_body"), 404)
    with pytest.raises(NotFoundError) as caught:
        await client.environments.retrieve("env_nope")
    assert caught.value.request_id == "req_body" and caught.value.error_code == "environment_not_found"


async def test_a_non_json_error_still_gives_a_clear_message(server):
    server.handler = sequence_of(Response("<html>Bad Gateway</html>", 502, headers={"request-id": "req_gw"}))
    async with AgentClient(KEY, base_url=server.base_url, max_retries=0) as client:
        with pytest.raises(InternalServerError) as caught:
            await client.sessions.retrieve("sesn_1")
    err = caught.value
    assert err.status_code == 502 and err.request_id == "req_gw" and err.error_type is None
    assert "502" in str(err) and "Bad Gateway" in str(err)


async def test_a_success_with_an_unexpected_body_is_a_clear_error(server, client):
    server.handler = sequence_of(Response("not json", 200))
    with pytest.raises(APIResponseValidationError, match="GET /v1/sessions/sesn_1"):
        await client.sessions.retrieve("sesn_1")


# --- retries ----------------------------------------------------------------------------------------


async def test_retry_after_ms_is_waited_for_before_retrying(server, client):
    server.handler = sequence_of(
        JSONResponse(error_body("overloaded_error", "busy"), 529, headers={"retry-after-ms": "300"}), JSONResponse(ENV)
    )
    start = time.monotonic()
    env = await client.environments.retrieve("env_1")
    assert time.monotonic() - start >= 0.25  # a lower bound only
    assert env.id == ENV["id"] and len(server.requests) == 2


async def test_retry_after_seconds_is_waited_for_before_retrying(server, client):
    server.handler = sequence_of(
        JSONResponse(error_body("rate_limit_error", "slow down"), 429, headers={"retry-after": "1"}), JSONResponse(ENV)
    )
    start = time.monotonic()
    await client.environments.retrieve("env_1")
    assert time.monotonic() - start >= 0.9
    assert len(server.requests) == 2


def test_retry_after_as_an_http_date_and_the_default_backoff():
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 28 <= retry_delay(0, {"retry-after": future}) <= 30.5
    assert retry_delay(0, {"retry-after": "3600"}) is None  # too long: give up rather than hang
    for n, cap in [(0, 0.5), (1, 1.0), (2, 2.0), (5, 8.0), (9, 8.0)]:
        assert 0.75 * cap <= retry_delay(n, {}) <= cap
        assert 0.75 * cap <= backoff(n) <= cap


#: Errors a read gives up on: (status, error type, headers, exception, requests made).
GIVE_UPS = [
    pytest.param(429, "rate_limit_error", {"retry-after": "3600"}, RateLimitError, 1, id="retry-after-over-a-minute"),
    pytest.param(503, "api_error", {"retry-after-ms": "10"}, ServiceUnavailableError, 3, id="max-retries-reached"),
    pytest.param(500, "api_error", {"x-should-retry": "false"}, InternalServerError, 1, id="x-should-retry-false"),
    pytest.param(404, "not_found_error", None, NotFoundError, 1, id="plain-4xx"),
]


@pytest.mark.parametrize("status, kind, headers, exc_type, requests", GIVE_UPS)
async def test_a_read_stops_retrying_and_surfaces_the_error(server, client, status, kind, headers, exc_type, requests):
    server.handler = reply(error_body(kind, "no"), status, headers=headers)
    with pytest.raises(exc_type):
        await client.environments.retrieve("env_1")
    assert len(server.requests) == requests


async def test_x_should_retry_true_retries_even_a_400(server, client):
    server.handler = sequence_of(
        JSONResponse(
            error_body("invalid_request_error", "hm"), 400, headers={"x-should-retry": "true", "retry-after-ms": "10"}
        ),
        JSONResponse(ENV),
    )
    await client.environments.retrieve("env_1")
    assert len(server.requests) == 2


async def test_sending_events_is_not_retried_after_a_500_without_x_should_retry(server, client):
    server.handler = reply(error_body("api_error", "hiccup"), 500)
    with pytest.raises(InternalServerError):
        await client.sessions.events.send("sesn_1", MESSAGE)
    assert len(server.requests) == 1


async def test_sending_events_is_retried_when_the_server_says_so(server, client):
    server.handler = sequence_of(
        JSONResponse(
            error_body("overloaded_error", "busy"), 529, headers={"x-should-retry": "true", "retry-after-ms": "10"}
        ),
        JSONResponse({"data": [EVENTS_PAGE["data"][0]]}),
    )
    (event,) = await client.sessions.events.send("sesn_1", MESSAGE)
    assert event.type == "user.message" and len(server.requests) == 2


def slow_then(payload, delay: float):
    """A handler that stalls on its first request (past the client's read timeout), then answers."""
    calls = []

    async def handler(request: Request) -> Response:
        calls.append(1)
        if len(calls) == 1:
            await asyncio.sleep(delay)
        return JSONResponse(payload)

    return handler


async def test_sending_events_is_not_retried_after_a_read_timeout(server):
    server.handler = slow_then({"data": []}, 1.5)
    async with AgentClient(KEY, base_url=server.base_url, timeout=0.3) as client:
        with pytest.raises(APITimeoutError):
            await client.sessions.events.send("sesn_1", MESSAGE)
    assert len(server.requests) == 1


async def test_reads_are_retried_after_a_read_timeout(server):
    server.handler = slow_then(ENV, 1.5)
    async with AgentClient(KEY, base_url=server.base_url, timeout=0.3) as client:
        env = await client.environments.retrieve("env_1")
    assert env.id == ENV["id"] and len(server.requests) == 2


class CountingTransport(httpx.AsyncHTTPTransport):
    """A real transport that counts the attempts it is asked to make."""

    attempts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        return await super().handle_async_request(request)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_a_refused_connection_is_retried_even_for_sending_events():
    transport = CountingTransport()
    async with httpx.AsyncClient(transport=transport) as http:
        client = AgentClient(KEY, base_url=f"http://127.0.0.1:{closed_port()}", max_retries=1, http_client=http)
        with pytest.raises(APIConnectionError) as caught:
            await client.sessions.events.send("sesn_1", MESSAGE)
    assert transport.attempts == 2
    assert not isinstance(caught.value, APITimeoutError)


# --- streaming --------------------------------------------------------------------------------------


def sse_response(data: bytes, sizes=(7, 13, 97, 1, 251), fail_after: bool = False) -> StreamingResponse:
    async def body():
        i = n = 0
        while i < len(data):
            size = sizes[n % len(sizes)]
            yield data[i : i + size]
            i, n = i + size, n + 1
            await asyncio.sleep(0)
        if fail_after:
            raise RuntimeError("connection dropped")  # uvicorn aborts the connection mid-body

    return StreamingResponse(body(), headers={"content-type": "text/event-stream", "request-id": "req_sse"})


def turn_types() -> list[str]:
    return [
        json.loads(line[6:])["type"] for line in TURN.split(b"\n") if line.startswith(b"data: ") and b"ping" not in line
    ]


async def test_the_stream_yields_typed_events_from_odd_chunks(server, client):
    server.handler = sequence_of(lambda: sse_response(TURN))
    async with client.sessions.events.stream("sesn_1", event_deltas=["agent.message", "agent.thinking"]) as stream:
        items = [item async for item in stream]
    assert [i.type for i in items] == turn_types()
    assert not any(isinstance(i, UnreadableEvent) for i in items)
    text = "".join(i.delta.content.text for i in items if isinstance(i, EventDeltaEvent))
    assert text == next(i for i in items if i.type == "agent.message").content[0].text
    (seen,) = server.requests
    assert (seen.method, seen.path) == ("GET", "/v1/sessions/sesn_1/events/stream")
    assert seen.query == [("event_deltas[]", "agent.message"), ("event_deltas[]", "agent.thinking")]
    assert seen.headers["x-api-key"] == KEY


async def test_a_thread_stream_uses_the_path_ending_in_stream(server, client):
    server.handler = sequence_of(lambda: sse_response(TURN))
    async with client.sessions.threads.stream("sesn_1", "sthr_1", event_deltas=["agent.message"]) as stream:
        assert len([i async for i in stream]) == len(turn_types())
    assert server.requests[0].path == "/v1/sessions/sesn_1/threads/sthr_1/stream"


async def test_an_error_frame_raises_after_the_events_before_it(server, client):
    error = json.dumps(error_body("overloaded_error", "Overloaded")).encode()
    head = TURN.split(b"\n\n")[0] + b"\n\n"
    server.handler = sequence_of(lambda: sse_response(head + b"event: error\ndata: " + error + b"\n\n"))
    seen = []
    async with client.sessions.events.stream("sesn_1") as stream:
        with pytest.raises(OverloadedError) as caught:
            async for item in stream:
                seen.append(item.type)
    assert seen == ["user.message"]
    assert caught.value.request_id == "req_sse" and caught.value.message == "Overloaded"


async def test_a_dropped_connection_raises_api_connection_error(server, client):
    half = TURN[: len(TURN) // 2]
    server.handler = sequence_of(lambda: sse_response(half, fail_after=True))
    seen = []
    async with client.sessions.events.stream("sesn_1") as stream:
        with pytest.raises(APIConnectionError):
            async for item in stream:
                seen.append(item)
    assert seen  # the events before the break were delivered


async def test_opening_a_stream_is_retried_before_any_bytes_arrive(server, client):
    server.handler = sequence_of(
        JSONResponse(error_body("overloaded_error", "busy"), 529, headers={"retry-after-ms": "10"}),
        lambda: sse_response(TURN),
    )
    async with client.sessions.events.stream("sesn_1") as stream:
        assert len([i async for i in stream]) == len(turn_types())
    assert len(server.requests) == 2


async def test_a_stream_that_cannot_open_raises_the_typed_error(server, client):
    server.handler = reply(error_body("not_found_error", "no session", request_id="req_x"), 404)
    with pytest.raises(NotFoundError) as caught:
        async with client.sessions.events.stream("sesn_missing"):
            pass
    assert caught.value.request_id == "req_x"


# --- secrets and bad input --------------------------------------------------------------------------


async def test_the_key_never_shows_in_reprs_logs_or_errors(server, caplog):
    caplog.set_level(logging.DEBUG)
    server.handler = sequence_of(
        JSONResponse(error_body("overloaded_error", "busy"), 529, headers={"retry-after-ms": "10"}),
        JSONResponse(error_body("authentication_error", "bad key"), 401),
    )
    async with AgentClient(KEY, base_url=server.base_url) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.environments.retrieve("env_1")
        texts = [
            repr(client),
            repr(client.sessions.events.stream("s")),
            repr(client.sessions.list()),
            str(caught.value),
        ]
    assert "retry" in caplog.text  # the retry was logged ...
    for text in [*texts, repr(caught.value), caplog.text]:
        assert KEY not in text and "SECRET" not in text  # ... without the key


async def test_bad_input_gives_clear_errors(server, client, monkeypatch):
    with pytest.raises(ValueError, match="non-empty string"):
        await client.sessions.retrieve("")
    with pytest.raises(ValueError, match="at least one event"):
        await client.sessions.events.send("sesn_1", [])
    with pytest.raises(ValueError, match="base_url"):
        AgentClient(KEY, base_url="ftp://example.com")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(AgentAPIError, match="API key"):
        AgentClient()
    assert server.requests == []


async def test_ids_are_percent_encoded_into_the_path(server, client):
    server.handler = reply(SESSION)
    await client.sessions.retrieve("sesn 1?x")
    assert unquote(server.requests[0].path) == "/v1/sessions/sesn 1?x" and server.requests[0].query == []


async def test_an_api_status_error_is_an_agent_api_error():
    assert issubclass(APIStatusError, AgentAPIError) and issubclass(APIConnectionError, AgentAPIError)
    assert issubclass(OverloadedError, InternalServerError)
