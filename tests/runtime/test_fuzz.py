"""Fuzzing every route of the embedded runtime over real HTTP: random JSON bodies (valid requests
with one field replaced, non-standard numbers, deep nesting, huge integers, lone surrogates,
junk), random ids and random query strings, with every method of each route (HEAD too). No reply
is a 5xx, every error is the §2.2 envelope, and the lists still answer afterwards.

The runtime is the real one (offline model, real engine); no generated text starts with ``!`` or
``/``, so no message asks the offline model to run a tool.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from app.runtime.routes import ROUTES
from app.runtime.runtime import start_in_thread
from tests.runtime.conftest import API_KEY

KEY = {"x-api-key": API_KEY}
MESSAGE = {"type": "user.message", "content": [{"type": "text", "text": "hello"}]}
QUERY_NAMES = [
    "limit",
    "page",
    "order",
    "include_archived",
    "created_at[gte]",
    "created_at[lt]",
    "agent_id",
    "agent_version",
    "statuses[]",
    "event_deltas[]",
    "types[]",
    "version",
    "deployment_id",
    "memory_store_id",
    "x",
]
FIELD_NAMES = ["name", "type", "id", "version", "metadata", "config", "tools", "model", "content", "events", "text"]


def _safe(text: str) -> bool:
    return not text.lstrip().startswith(("!", "/"))


texts = st.text(max_size=12).filter(_safe)
odd_texts = st.text(st.characters(categories=["Cs", "Co", "Cc", "So"]), min_size=1, max_size=4)  # lone surrogates too
leaves = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | texts | odd_texts
values = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(FIELD_NAMES) | texts, children, max_size=4)
    ),
    max_leaves=12,
)
specials = st.sampled_from(
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b'{"name":' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"name":"x","metadata":{"k":NaN}}',
        b'{"name":"x","config":{"type":"cloud","n":-Infinity}}',
        b'{"name":"\\ud800"}',
        b'{"version":99999999999999999999999}',
        b'{"name":"\xed\xa0\x80"}',
        b"\xff\xfe\x00",
    ]
)


def _paths(obj: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path to a value in ``obj`` (dict keys and list indexes)."""
    yield prefix
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for key, child in items:
        yield from _paths(child, (*prefix, key))


def _replaced(template: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(template))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


def bodies(templates: list[dict[str, Any]]) -> st.SearchStrategy[bytes]:
    """Valid ``templates`` with one value replaced, random JSON (NaN and huge numbers included), specials, junk."""
    mutated = st.sampled_from(templates).flatmap(
        lambda template: st.tuples(st.sampled_from(list(_paths(template))), values).map(
            lambda pair: _replaced(template, *pair)
        )
    )
    return st.one_of(
        st.sampled_from(templates).map(json.dumps),
        mutated.map(json.dumps),
        values.map(json.dumps),
        specials,
        st.binary(max_size=40),
    ).map(lambda body: body if isinstance(body, bytes) else body.encode())


@pytest.fixture(scope="module")
def running(tmp_path_factory) -> Iterator[str]:
    """The runtime serving; its base URL."""
    runtime = start_in_thread(tmp_path_factory.mktemp("fuzz"), api_key=API_KEY, pace=0.0, heartbeat=0.5)
    yield runtime.base_url
    runtime.stop()


def make_objects(client: httpx.Client) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Objects to aim at: ids to use in general, and others for DELETE (so the rest stay)."""
    env, spare_env = (client.post("/v1/environments", json={"name": "box"}).json()["id"] for _ in range(2))
    agent = client.post("/v1/agents", json={"name": "a", "model": "claude-sonnet-4-6", "tools": []}).json()["id"]
    session, spare = (
        client.post("/v1/sessions", json={"environment_id": env, "agent": agent, "initial_events": [MESSAGE]}).json()[
            "id"
        ]
        for _ in range(2)
    )
    thread = client.get(f"/v1/sessions/{session}/threads").json()["data"][0]["id"]
    ids = {
        "environment_id": [env],
        "agent_id": [agent],
        "session_id": [session],
        "thread_id": [thread],
        "resource_id": ["sesrsc_none"],
    }
    return ids, {**ids, "environment_id": [spare_env], "session_id": [spare]}


def templates(ids: dict[str, list[str]]) -> dict[str, list[dict[str, Any]]]:
    """Valid bodies per POST route (path template), to mutate; ``{}`` for the rest."""
    env, agent = ids["environment_id"][0], ids["agent_id"][0]
    tool = {"type": "custom", "name": "t", "description": "d", "input_schema": {"type": "object"}}
    return {
        "/v1/environments": [{"name": "e", "config": {"type": "cloud"}, "metadata": {"k": "v"}}],
        "/v1/environments/{environment_id}": [{"name": "e2", "description": "d", "metadata": {"k": ""}}],
        "/v1/agents": [{"name": "a", "model": {"id": "claude-sonnet-4-6"}, "tools": [tool], "metadata": {"k": "v"}}],
        "/v1/agents/{agent_id}": [{"name": "b", "system": "s", "model": "claude-sonnet-4-6"}],
        "/v1/sessions": [
            {"environment_id": env, "agent": agent, "title": "t", "metadata": {"k": "v"}},
            {"environment_id": env, "agent": {"type": "agent_with_overrides", "id": agent, "tools": [tool]}},
        ],
        "/v1/sessions/{session_id}": [{"title": "t", "metadata": {"k": "v"}, "agent": {"tools": []}}],
        "/v1/sessions/{session_id}/events": [{"events": [MESSAGE]}, {"events": [{"type": "user.interrupt"}]}],
    }


GROUPS = ["environments", "agents", "sessions", "events", "threads", "resources"]


def group_of(path: str) -> str:
    parts = path.split("/")
    return parts[4] if len(parts) > 4 and parts[4] in GROUPS else parts[2]


def endpoints(group: str) -> list[tuple[str, str]]:
    """(method, path template) of every route in ``group``, from the app's routes."""
    found = [
        (method, route.path)
        for route in ROUTES
        if isinstance(route, Route) and group_of(route.path) == group
        for method in sorted(route.methods)
    ]
    assert found, group
    return found


def assert_well_formed(response: httpx.Response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
    if response.request.method == "HEAD":
        assert response.content == b"", what
    elif response.status_code >= 400:
        body = response.json()
        assert body["type"] == "error", what
        assert isinstance(body["error"]["type"], str) and isinstance(body["error"]["message"], str), what
        assert body["request_id"] == response.headers["request-id"], what


@pytest.mark.parametrize("group", GROUPS)
def test_no_input_breaks_a_route(running, group):
    junk_ids = texts | odd_texts
    queries = st.lists(
        st.tuples(st.sampled_from(QUERY_NAMES), texts | st.integers(-(2**70), 2**70).map(str)), max_size=4
    )

    with httpx.Client(base_url=running, headers=KEY, timeout=10) as client:
        ids, spare_ids = make_objects(client)
        valid = templates(ids)
        request = st.sampled_from(endpoints(group)).flatmap(
            lambda endpoint: st.tuples(st.just(endpoint), st.data(), queries, bodies(valid.get(endpoint[1], [{}])))
        )

        @settings(max_examples=200, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
        @given(request)
        def one(drawn):
            (method, template), data, query, body = drawn
            path = template
            aimed = spare_ids if method == "DELETE" else ids
            for name, known in aimed.items():
                if "{" + name + "}" in path:
                    chosen = data.draw(st.sampled_from(known) | st.sampled_from(known) | junk_ids, label=name)
                    path = path.replace("{" + name + "}", quote(chosen.encode("utf-8", "surrogatepass"), safe=""))
            url = path + ("?" + urlencode(query) if query else "")
            what = f"{method} {url} {body[:80]!r}"
            content = body if method == "POST" else None
            if path.endswith("/stream") and method == "GET":
                with client.stream(method, url) as response:
                    if response.status_code != 200:
                        response.read()
                        assert_well_formed(response, what)
                return
            assert_well_formed(client.request(method, url, content=content), what)

        one()
        for path in ("/v1/environments", "/v1/agents", "/v1/sessions"):
            assert client.get(path).status_code == 200, path
