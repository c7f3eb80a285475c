"""The embedded runtime in its thread: small replies leave at once (no Nagle delay); stopping it
ends the thread, and stopping it again is harmless."""

from __future__ import annotations

import socket

import httpx

from tests.runtime.conftest import API_KEY


def test_accepted_connections_have_tcp_nodelay(live_runtime):
    """Without TCP_NODELAY, Nagle plus the client's delayed ACK hold each small reply ~40 ms."""
    with httpx.Client(base_url=live_runtime.base_url, headers={"x-api-key": API_KEY}) as http:
        assert http.get("/v1/environments").status_code == 200  # keep-alive: the connection stays open
        connections = list(live_runtime.runtime.server.server_state.connections)
        sockets = [connection.transport.get_extra_info("socket") for connection in connections]
        assert sockets
        assert all(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for sock in sockets)


def test_stop_ends_the_thread_and_a_second_stop_is_harmless(tmp_path):
    from app.runtime.runtime import start_in_thread

    running = start_in_thread(tmp_path / "data", api_key=API_KEY)
    running.stop()
    assert not running.thread.is_alive()  # stop() waits for the thread: the server noticed
    running.stop()
