"""The runtime's HTTP guards, over real HTTP on loopback: body size limits, the Host allow-list,
relative redirects, HEAD on every route, and bounded stream backlogs."""

from __future__ import annotations

import re
import select
import socket
import time
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.routing import Route

from app.runtime.log import SessionLog
from app.runtime.routes import ROUTES
from app.runtime.server import create_app
from app.runtime.store import Store
from tests.runtime.conftest import API_KEY, EchoEngine, Served, serve_app
from tests.runtime.test_serve_cli import serve
from tests.runtime.test_server_errors import KEY, assert_envelope, call


@pytest.fixture
def guarded(tmp_path) -> Iterator[Served]:
    """The routes with a 1 MB body limit, ``deck.lan`` allowed besides loopback, and a backlog of 8 frames."""
    store = Store(tmp_path / "runtime.sqlite3")
    log = SessionLog(store, backlog=8)
    engine = EchoEngine(log)
    app = create_app(
        store=store,
        log=log,
        engine=engine,
        api_key=API_KEY,
        heartbeat=0.2,
        max_body=1_000_000,
        allowed_hosts=["Deck.LAN"],
    )
    with serve_app(app) as base_url:
        yield Served(base_url, API_KEY, store, log, engine)
    store.close()


def raw_exchange(base_url: str, head: str, chunks: Iterable[bytes] = ()) -> tuple[int, bytes]:
    """Send ``head`` then ``chunks`` until a response starts arriving; the status and the body of
    the response (by its Content-Length)."""
    url = urlsplit(base_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(head.encode())
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break
            sock.sendall(chunk)
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        headers, _, body = data.partition(b"\r\n\r\n")
        length = int(re.search(rb"content-length: (\d+)", headers, re.I).group(1))
        while len(body) < length:
            body += sock.recv(65536)
    return int(headers.split()[1]), body[:length]


def post_head(served: Served, extra: str) -> str:
    host = urlsplit(served.base_url).netloc
    return (
        f"POST /v1/environments HTTP/1.1\r\nHost: {host}\r\nx-api-key: {API_KEY}\r\n"
        f"content-type: application/json\r\n{extra}\r\n"
    )


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(served, guarded):
    status, body = raw_exchange(served.base_url, post_head(served, f"content-length: {50 * 2**20}\r\n"))
    assert status == 413 and b'"invalid_request_error"' in body and b"33554432 bytes" in body
    status, _ = raw_exchange(guarded.base_url, post_head(guarded, "content-length: 1000001\r\n"))
    assert status == 413
    assert call(served, "GET", "/v1/environments").status_code == 200


def test_a_chunked_body_is_counted_as_it_arrives(guarded):
    def chunks() -> Iterator[bytes]:
        for data in (b'{"name":"x","d":"', *[b"a" * 0x10000] * 200):  # 12.8 MB if it were all read
            yield b"%x\r\n%s\r\n" % (len(data), data)

    status, body = raw_exchange(guarded.base_url, post_head(guarded, "transfer-encoding: chunked\r\n"), chunks())
    assert status == 413 and b"larger than 1000000 bytes" in body
    assert call(guarded, "GET", "/v1/environments").json()["data"] == []


def test_a_body_within_the_limit_is_read(guarded):
    description = "d" * 990_000
    response = call(guarded, "POST", "/v1/environments", json={"name": "big", "description": description})
    assert response.status_code == 200 and response.json()["description"] == description


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:1", "127.0.0.1:8080", "[::1]:99", "deck.lan:4000", "DECK.lan"]
)
def test_allowed_hosts_are_answered(guarded, host):
    assert call(guarded, "GET", "/v1/agents", headers={**KEY, "host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example", "127.0.0.2", "deck.lan.evil", "[::2]:80"])
def test_other_hosts_are_misdirected(guarded, host):
    response = call(guarded, "GET", "/v1/agents", headers={**KEY, "host": host})
    assert host in assert_envelope(response, 421, "invalid_request_error")["error"]["message"]


def test_a_request_without_host_is_refused(guarded):
    url = urlsplit(guarded.base_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(f"GET /v1/agents HTTP/1.0\r\nx-api-key: {API_KEY}\r\n\r\n".encode())
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 400") and b"no Host header" in reply


def test_redirects_are_relative(guarded):
    response = call(guarded, "GET", "/v1/sessions/?limit=3", headers={**KEY, "host": "deck.lan:1"})
    assert response.status_code == 307 and response.headers["location"] == "/v1/sessions?limit=3"


def get_paths() -> list[str]:
    """The path of every route that answers GET (and so HEAD)."""
    return [route.path for route in ROUTES if isinstance(route, Route) and "GET" in route.methods]


def test_head_answers_every_route_with_headers_only(guarded, session_id_guarded):
    """HEAD on a stream route neither streams nor subscribes, and the connection stays usable."""
    session_id, ids = session_id_guarded
    with httpx.Client(base_url=guarded.base_url, headers=KEY, timeout=5) as client:
        for path in get_paths():
            url = path.format(**ids, session_id=session_id)
            head = client.head(url)
            get_status = client.get(url).status_code if not url.endswith("stream") else 200
            assert head.status_code == get_status and head.content == b"", url
            assert head.headers["request-id"].startswith("req_")
        assert (
            client.head(f"/v1/sessions/{session_id}/events/stream")
            .headers["content-type"]
            .startswith("text/event-stream")
        )
        assert client.get("/v1/environments").status_code == 200
    assert guarded.log.subscriber_count(session_id) == 0


@pytest.fixture
def session_id_guarded(guarded) -> tuple[str, dict[str, str]]:
    """A session on ``guarded``, and the ids that fill the other path parameters."""
    with guarded.sdk() as sdk:
        env = sdk.beta.environments.create(name="box").id
        agent = sdk.beta.agents.create(name="helper", model="claude-sonnet-4-6").id
        session = sdk.beta.sessions.create(agent=agent, environment_id=env).id
        thread = next(iter(sdk.beta.sessions.threads.list(session))).id
        skill = sdk.beta.skills.create(files=[("box/SKILL.md", b"# box\n", "text/markdown")])
        vault = sdk.beta.vaults.create(display_name="keys").id
        auth = {"type": "static_bearer", "mcp_server_url": "https://mcp.example.com/mcp", "token": "t"}
        credential = sdk.beta.vaults.credentials.create(vault, auth=auth).id
    ids = {"environment_id": env, "agent_id": agent, "thread_id": thread, "resource_id": "sesrsc_none"}
    ids.update(skill_id=skill.id, version=skill.latest_version_id)
    ids.update(
        memory_store_id="memstore_none", memory_id="mem_none", memory_version_id="memver_none", file_id="file_none"
    )
    ids.update(vault_id=vault, credential_id=credential)
    return session, ids


def test_the_flags_of_agentdeck_serve(tmp_path):
    process = serve(tmp_path, "--port", "0", "--api-key", API_KEY, "--max-body", "100", "--allow-host", "deck.lan")
    try:
        url = re.search(r"serving at (http://\S+)", process.stdout.readline()).group(1)
        port = urlsplit(url).port
        assert httpx.get(f"{url}/v1/agents", headers={**KEY, "host": f"deck.lan:{port}"}).status_code == 200
        assert httpx.get(f"{url}/v1/agents", headers={**KEY, "host": "evil.example"}).status_code == 421
        big = httpx.post(f"{url}/v1/environments", headers=KEY, json={"name": "x" * 200})
        assert big.status_code == 413
    finally:
        process.terminate()
        process.wait(10)


def test_a_stream_that_falls_behind_is_dropped_with_an_error_frame_and_can_reconnect(guarded, session_id_guarded):
    session_id, _ = session_id_guarded
    url = urlsplit(guarded.base_url)
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a reader that stops reading
        sock.connect((url.hostname, url.port))
        sock.sendall(
            f"GET /v1/sessions/{session_id}/events/stream HTTP/1.1\r\nHost: {url.netloc}\r\n"
            f"x-api-key: {API_KEY}\r\n\r\n".encode()
        )
        deadline = time.monotonic() + 10
        while guarded.log.subscriber_count(session_id) == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        text = "x" * 200_000
        message = {"type": "user.message", "content": [{"type": "text", "text": text}]}
        for _ in range(30):
            assert (
                call(guarded, "POST", f"/v1/sessions/{session_id}/events", json={"events": [message]}).status_code
                == 200
            )
        assert guarded.log.subscriber_count(session_id) == 0, "dropped as soon as it fell behind"
        sock.settimeout(10)
        received = b""
        while not received.endswith(b"\r\n0\r\n\r\n"):
            chunk = sock.recv(1 << 20)
            assert chunk, "the stream ended without its last chunk"
            received += chunk
    assert received.startswith(b"HTTP/1.1 200")
    assert b"event: error\r\ndata:" in received.replace(b"\n", b"\r\n") or b"event: error\ndata:" in received
    assert b'"overloaded_error"' in received[-1000:]
    history = call(guarded, "GET", f"/v1/sessions/{session_id}/events").json()["data"]
    assert len(history) == 30
    with httpx.stream(
        "GET", f"{guarded.base_url}/v1/sessions/{session_id}/events/stream", headers=KEY, timeout=5
    ) as again:
        assert again.status_code == 200 and guarded.log.subscriber_count(session_id) == 1
