"""The embedded runtime, wired: store + session log + engine + tools behind the HTTP app.

``Runtime.serve()`` runs it until cancelled (``agentdeck serve``); ``start_in_thread()`` runs it
on an ephemeral loopback port in a background thread (the TUI with no API key, and the tests).
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn

from app.runtime.brain import make_brain
from app.runtime.engine import Engine
from app.runtime.log import SessionLog
from app.runtime.server import DEFAULT_MAX_BODY, create_app
from app.runtime.store import Store
from app.runtime.tools import ToolRegistry
from app.runtime.tools.sandbox import detect

LOOPBACK = "127.0.0.1"
DATABASE_NAME = "runtime.sqlite3"


def generate_api_key() -> str:
    """A fresh key for a runtime started without one."""
    return "sk-agentdeck-" + secrets.token_urlsafe(24)


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket (port 0 picks a free one); raises OSError with the reason.

    Made with ``IPPROTO_TCP`` explicitly: asyncio sets ``TCP_NODELAY`` on an accepted connection
    only when the socket says so, and without it Nagle plus delayed ACKs hold each small reply
    for about 40 ms."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def socket_base_url(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket (an IPv6 host in brackets)."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class _Server(uvicorn.Server):
    """uvicorn's server, waking once a second rather than ten times while idle (the TUI hosts it,
    and an idle app should cost nothing), and at once when asked to stop."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._stop = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def main_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 10) % 864000  # on_tick refreshes the Date header when counter % 10 == 0
            try:
                await asyncio.wait_for(self._stop.wait(), 1.0)
            except TimeoutError:
                pass

    def request_exit(self) -> None:
        """Stop serving (from any thread)."""
        self.should_exit = True
        if self._loop is not None:
            try:
                self._loop.call_soon_threadsafe(self._stop.set)
            except RuntimeError:  # the loop is closed: it has stopped already
                pass

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:  # Ctrl-C under ``agentdeck serve``
        super().handle_exit(sig, frame)
        self.request_exit()


class Runtime:
    """One local Agent API: its data lives under ``data_dir`` (SQLite database + workspaces).

    Tools run in bubblewrap when this machine offers it; ``sandbox=False`` does not even try
    (``self.sandbox`` says which, and why not)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        api_key: str | None = None,
        brain: str = "offline",
        pace: float = 0.02,
        heartbeat: float = 15.0,
        sandbox: bool = True,
        max_body: int = DEFAULT_MAX_BODY,
        allowed_hosts: tuple[str, ...] = (),
    ) -> None:
        self.data_dir = Path(data_dir)
        ours = not self.data_dir.exists() or (self.data_dir / DATABASE_NAME).exists()
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        if ours:  # owner-only whatever the umask (one made earlier too), but not a folder of the user's
            self.data_dir.chmod(0o700)
        self.api_key = api_key or generate_api_key()
        make_brain(brain)  # a bad model name fails here, at startup, not at the first turn
        self.sandbox = detect(sandbox)
        self.store = Store(self.data_dir / DATABASE_NAME)
        self.log = SessionLog(self.store)
        self.engine = Engine(
            self.store,
            self.log,
            lambda: make_brain(brain),
            ToolRegistry(),
            workspace_root=self.data_dir / "workspaces",
            pace=pace,
            sandbox=self.sandbox,
        )
        self.app = create_app(
            store=self.store,
            log=self.log,
            engine=self.engine,
            api_key=self.api_key,
            heartbeat=heartbeat,
            max_body=max_body,
            allowed_hosts=allowed_hosts,
        )
        #: The HTTP server while :meth:`serve` runs (its ``server_state`` holds the open connections).
        self.server: _Server | None = None

    def __repr__(self) -> str:
        return f"Runtime(data_dir={str(self.data_dir)!r})"

    async def serve(self, sock: socket.socket, *, started: Callable[[], None] | None = None) -> None:
        """Serve on ``sock`` until cancelled or told to exit; recovers interrupted sessions first."""
        await self.engine.recover()
        config = uvicorn.Config(
            self.app, interface="asgi3", lifespan="off", log_level="warning", timeout_graceful_shutdown=2
        )
        server = _Server(config)
        self.server = server
        serving = asyncio.ensure_future(server.serve(sockets=[sock]))
        try:
            while not server.started and not serving.done():
                await asyncio.sleep(0.01)
            if started is not None and server.started:
                started()
            await serving
        finally:
            server.should_exit = True
            await self.engine.shutdown()
            self.store.close()

    def request_exit(self) -> None:
        """Ask a serving runtime to stop (thread-safe)."""
        if self.server is not None:
            self.server.request_exit()


@dataclass
class RunningRuntime:
    """A runtime serving in a background thread; ``stop()`` shuts it down and waits."""

    runtime: Runtime
    base_url: str
    thread: threading.Thread

    @property
    def api_key(self) -> str:
        return self.runtime.api_key

    def stop(self, timeout: float = 10.0) -> None:
        self.runtime.request_exit()
        self.thread.join(timeout)


def start_in_thread(data_dir: Path, *, host: str = LOOPBACK, port: int = 0, **options: Any) -> RunningRuntime:
    """Start a runtime on ``host:port`` (an ephemeral loopback port by default) in a daemon thread."""
    runtime = Runtime(data_dir, **options)
    sock = bind_socket(host, port)
    ready = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(runtime.serve(sock, started=ready.set))
        except BaseException as exc:  # reported to the starting thread below
            failure.append(exc)
            ready.set()

    thread = threading.Thread(target=run, name="agentdeck-runtime", daemon=True)
    thread.start()
    if not ready.wait(30) or failure:
        raise RuntimeError(f"the embedded runtime did not start: {failure[0] if failure else 'timed out'}")
    return RunningRuntime(runtime, socket_base_url(sock), thread)
