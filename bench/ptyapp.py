"""Shared plumbing for the benches that measure agentdeck from the outside, as a user meets it.

Nothing here imports the app's TUI or its API client: the app runs as a child process in a real
pseudo-terminal (``python3 -m app ...``), the bench reads what it writes to the terminal and types
keys into it, and talks to the runtime over HTTP with httpx. The only app code used is the
runtime's store and id helpers, to seed a data dir cheaply *before* a runtime opens it.

- :class:`Terminal` runs a command in a pty of a given size and plays the terminal: a reader
  thread timestamps every chunk of output (``time.perf_counter``), answers Textual's query for
  synchronized output (DECRQM ``CSI ? 2026 $ p``) so that every frame it paints is wrapped in
  ``CSI ? 2026 h`` .. ``CSI ? 2026 l`` and can be counted, and watches for strings (cheap live
  waits). A pyte screen is fed from the recorded chunks on demand, so "is X on screen, and since
  when" is answered after the fact without slowing the app down while it is being timed.
- :class:`Server` runs ``agentdeck serve`` in its own process and gives an httpx client for it.
- :func:`seed_account`, :func:`seed_sessions` and :func:`seed_history` fill a runtime data dir.

Every child process is started in its own session (process group) and ended by that id;
temporary dirs are removed by their owners (``tempfile.TemporaryDirectory``).
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

try:
    import pyte  # the terminal screen model: the bench extra, pip install '.[bench]'
except ImportError:  # pragma: no cover - said once, clearly, before any process is started
    raise SystemExit("these benches need pyte, a terminal screen model: python3 -m pip install '.[bench]'") from None

ROOT = Path(__file__).resolve().parent.parent
SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
_SYNC_QUERY = b"\x1b[?2026$p"
_SYNC_REPLY = b"\x1b[?2026;2$y"  # "supported, currently reset": Textual then wraps every frame
_CARRY = 64  # bytes kept from the previous chunk so a sequence cut in two is still found


class BenchError(RuntimeError):
    """A bench could not do what it needed (the app did not show something in time...)."""


def fail(message: str) -> None:
    raise BenchError(message)


# ----------------------------------------------------------------------------- statistics


def percentile(values: Iterable[float], q: float) -> float:
    """The ``q``-th percentile (0..100) by nearest rank; nan for no values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), -(-len(ordered) * q // 100)))
    return ordered[int(rank) - 1]


def summary_ms(values: list[float]) -> str:
    """``p50 .. p90 .. p99 .. max`` of seconds, shown in milliseconds."""
    if not values:
        return "no samples"
    return (
        f"p50 {percentile(values, 50) * 1000:7.1f}  p90 {percentile(values, 90) * 1000:7.1f}  "
        f"p99 {percentile(values, 99) * 1000:7.1f}  max {max(values) * 1000:7.1f} ms  (n={len(values)})"
    )


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# ----------------------------------------------------------------------------- environment


def child_env(**extra: str) -> dict[str, str]:
    """The environment for an app child: a plain xterm, no inherited API settings or size hints."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ANTHROPIC_", "AGENTDECK_", "TEXTUAL"))
        and name not in ("COLUMNS", "LINES", "NO_COLOR", "PYTHONDONTWRITEBYTECODE", "TERM_PROGRAM")
    }
    env.update(TERM="xterm-256color", COLORTERM="truecolor", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def app_command(data_dir: Path, *, base_url: str | None = None, api_key: str | None = None) -> list[str]:
    """``python3 -m app`` with its own data dir and no config file; against ``base_url`` when given
    (else the app starts its embedded runtime)."""
    command = [sys.executable, "-m", "app", "--data-dir", str(data_dir), "--config", str(Path(data_dir) / "none.toml")]
    if base_url:
        command += ["--base-url", base_url, "--api-key", api_key or ""]
    return command


def kill_group(process: subprocess.Popen, grace: float = 5.0) -> None:
    """End a child started with ``start_new_session``: SIGTERM to its group, SIGKILL if it lingers."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # anything left in its group (tool subprocesses...)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        pass


# ----------------------------------------------------------------------------- the terminal


@dataclass
class Chunk:
    at: float  # perf_counter when the read returned
    data: bytes


@dataclass
class _Watch:
    needle: bytes
    after: float
    found: threading.Event = field(default_factory=threading.Event)
    at: float | None = None


class Terminal:
    """``command`` running in a pty of ``cols`` x ``rows``; this object is its terminal.

    ``chunks`` is everything the app wrote, timestamped; ``frames`` the times of the synchronized
    frames it finished (``CSI ? 2026 l``). Use as a context manager (the child is ended on exit).
    """

    def __init__(
        self,
        command: list[str],
        cols: int = 120,
        rows: int = 40,
        *,
        env: dict[str, str] | None = None,
        answer_sync: bool = True,
    ) -> None:
        self.command = command
        self.cols, self.rows = cols, rows
        self.env = env if env is not None else child_env()
        self.env.update(COLUMNS=str(cols), LINES=str(rows))
        self.answer_sync = answer_sync
        self.chunks: list[Chunk] = []
        self.frames: list[float] = []
        self.nbytes = 0
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self._master = -1
        self._lock = threading.Lock()
        self._watches: list[_Watch] = []
        self._reader: threading.Thread | None = None
        self._closed = threading.Event()
        self._screen = None
        self._stream = None
        self._fed = 0  # chunks fed to the pyte screen so far

    # -- life cycle

    def start(self) -> Terminal:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        self._master = master

        def controlling_tty() -> None:  # after setsid (start_new_session): the pty becomes ours
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(
            self.command,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            preexec_fn=controlling_tty,
            close_fds=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()
        return self

    def close(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                try:
                    self.send(b"\x11")  # ctrl+q: let the app restore the terminal and stop its runtime
                    self.process.wait(5)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            kill_group(self.process)
        self._closed.set()
        if self._reader is not None:
            self._reader.join(5)
        if self._master >= 0:
            os.close(self._master)
            self._master = -1

    def __enter__(self) -> Terminal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # -- output

    def _read(self) -> None:
        carry = b""
        while not self._closed.is_set():
            try:
                ready, _, _ = select.select([self._master], [], [], 0.2)
                if not ready:
                    continue
                data = os.read(self._master, 1 << 16)
            except OSError:  # EIO once the child closed the pty
                return
            if not data:
                return
            at = time.perf_counter()
            scan = carry + data
            if self.answer_sync and _SYNC_QUERY in scan:
                os.write(self._master, _SYNC_REPLY)
            ends = scan.count(SYNC_END) - carry.count(SYNC_END)
            with self._lock:
                self.chunks.append(Chunk(at, data))
                self.nbytes += len(data)
                self.frames.extend([at] * ends)
                for watch in self._watches:  # a match must end in the new data
                    start = max(0, len(carry) - len(watch.needle) + 1)
                    if watch.at is None and at >= watch.after and scan.find(watch.needle, start) >= 0:
                        watch.at = at
                        watch.found.set()
            carry = scan[-_CARRY:]

    def watch(self, text: str, after: float | None = None) -> _Watch:
        """Start watching the output for ``text`` (as written: one styled run) from now on."""
        watch = _Watch(text.encode(), time.perf_counter() if after is None else after)
        with self._lock:
            self._watches.append(watch)
        return watch

    def unwatch(self, watch: _Watch) -> None:
        with self._lock:
            if watch in self._watches:
                self._watches.remove(watch)

    def wait_output(self, text: str, timeout: float, what: str, after: float | None = None) -> float:
        """The time ``text`` appeared in the output (after ``after``, default now); BenchError on timeout."""
        watch = self.watch(text, after)
        try:
            self._wait(watch.found, timeout, what)
            assert watch.at is not None
            return watch.at
        finally:
            self.unwatch(watch)

    def _wait(self, event: threading.Event, timeout: float, what: str) -> None:
        deadline = time.perf_counter() + timeout
        while not event.wait(0.1):
            if not self.alive():
                fail(f"the app exited (code {self.process.returncode}) while waiting for {what}:\n{self.tail()}")
            if time.perf_counter() > deadline:
                fail(f"timed out after {timeout:.0f} s waiting for {what}; the screen shows:\n{self.text()}")

    def send(self, data: bytes | str) -> float:
        """Type ``data`` (bytes as a terminal sends them); the time it was written."""
        if isinstance(data, str):
            data = data.encode()
        at = time.perf_counter()
        os.write(self._master, data)
        return at

    def frames_between(self, start: float, end: float) -> int:
        with self._lock:
            return sum(start <= at <= end for at in self.frames)

    def bytes_between(self, start: float, end: float) -> int:
        with self._lock:
            return sum(len(c.data) for c in self.chunks if start <= c.at <= end)

    def tail(self, size: int = 3000) -> str:
        with self._lock:
            data = b"".join(c.data for c in self.chunks[-50:])
        return data[-size:].decode(errors="replace")

    # -- the screen (pyte, fed on demand from the recorded chunks)

    def _ensure_screen(self) -> None:
        if self._screen is None:
            self._screen = pyte.Screen(self.cols, self.rows)
            self._stream = pyte.ByteStream(self._screen)

    def _feed(self, chunk: Chunk) -> None:
        try:
            self._stream.feed(chunk.data)
        except Exception:  # pyte chokes on a sequence it does not know: the text is what matters
            pass

    def lines(self) -> list[str]:
        """The screen now (as the chunks recorded so far paint it), one string per row."""
        self._ensure_screen()
        with self._lock:
            pending = self.chunks[self._fed :]
            self._fed = len(self.chunks)
        for chunk in pending:
            self._feed(chunk)
        return list(self._screen.display)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines())

    def when(self, predicate: Callable[[list[str]], bool], after: float = 0.0) -> float | None:
        """Feed the recorded chunks; the time of the first chunk written after ``after`` once which
        ``predicate(screen lines)`` holds (None if it never does in what was recorded so far).
        When every chunk was fed already (an earlier wait read them), the screen as it stands
        answers, with the time of the last chunk: an idle app writes nothing more."""
        self._ensure_screen()
        while True:
            with self._lock:
                if self._fed >= len(self.chunks):
                    last = self.chunks[self._fed - 1].at if self._fed else None
                    break
                chunk = self.chunks[self._fed]
                self._fed += 1
            self._feed(chunk)
            if chunk.at >= after and predicate(self._screen.display):
                return chunk.at
        if last is not None and last >= after and predicate(self._screen.display):
            return last
        return None

    def wait_screen(
        self, predicate: Callable[[list[str]], bool], timeout: float, what: str, after: float = 0.0
    ) -> float:
        """Wait until ``predicate(screen lines)`` holds; the time of the chunk that made it so."""
        deadline = time.perf_counter() + timeout
        while True:
            at = self.when(predicate, after)
            if at is not None:
                return at
            if not self.alive():
                fail(f"the app exited (code {self.process.returncode}) while waiting for {what}:\n{self.tail()}")
            if time.perf_counter() > deadline:
                fail(f"timed out after {timeout:.0f} s waiting for {what}; the screen shows:\n{self.text()}")
            time.sleep(0.02)

    def wait_text(self, text: str, timeout: float, what: str, after: float = 0.0) -> float:
        return self.wait_screen(lambda lines: any(text in line for line in lines), timeout, what, after)

    def settle(self, quiet: float = 0.5, timeout: float = 3.0) -> None:
        """Wait until the app wrote nothing for ``quiet`` seconds, or ``timeout`` seconds at most
        (an app that keeps painting, a spinner or a clock, never goes quiet)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self._lock:
                last = self.chunks[-1].at if self.chunks else self.started_at
            if time.perf_counter() - last >= quiet:
                return
            time.sleep(0.05)


# ----------------------------------------------------------------------------- driving the app

KEY_ENTER = b"\r"
KEY_ESC = b"\x1b"
KEY_BACKSPACE = b"\x7f"
KEY_CTRL_S = b"\x13"

#: The sessions pane's hint when the list is empty, and the composer's placeholder (public text).
EMPTY_SESSIONS_HINT = "No sessions yet"
COMPOSER_PLACEHOLDER = "Message the agent"


def wait_ready(term: Terminal, timeout: float = 60.0, *, expect: str = EMPTY_SESSIONS_HINT) -> float:
    """Wait until the sessions pane shows ``expect`` (its empty hint, or a seeded title)."""
    return term.wait_text(expect, timeout, f"the sessions pane to show {expect!r}")


def new_chat(term: Terminal, timeout: float = 60.0) -> float:
    """From the sessions pane: ``n``, then ``ctrl+s`` in the form; wait for the open, empty chat
    (its header says "idle" and the composer's placeholder is shown). The time it showed."""
    mark = time.perf_counter()
    term.send(b"n")
    term.wait_text("New session", timeout, "the new-session form", after=mark)
    term.settle(0.3)
    mark = time.perf_counter()
    term.send(KEY_CTRL_S)
    at = term.wait_screen(
        lambda lines: (
            not any("New session" in line for line in lines)
            and any(COMPOSER_PLACEHOLDER in line for line in lines)
            and any("Untitled session" in line and "idle" in line for line in lines)
        ),
        timeout,
        "the new chat to open",
        after=mark,
    )
    term.settle(0.3)
    return at


def leave_chat(term: Terminal, timeout: float = 30.0) -> float:
    """``esc`` from the composer of an idle chat: back to the sessions pane, whose footer offers
    ``n New`` again. The time the footer showed it."""
    mark = time.perf_counter()
    term.send(KEY_ESC)
    at = term.wait_screen(
        lambda lines: "Open" in lines[-1] and " New" in lines[-1], timeout, "the chat to be left", after=mark
    )
    term.settle(0.3)
    return at


# ----------------------------------------------------------------------------- the runtime


class Server:
    """``agentdeck serve`` in its own process (its own process group) on a free loopback port."""

    def __init__(
        self, data_dir: Path, *, pace: float = 0.02, api_key: str = "sk-bench", model: str = "offline"
    ) -> None:
        self.data_dir = Path(data_dir)
        self.pace, self.api_key, self.model = pace, api_key, model
        self.process: subprocess.Popen | None = None
        self.base_url = ""
        self.http = None

    def start(self, timeout: float = 60.0) -> Server:
        import httpx

        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app",
                "serve",
                "--port",
                "0",
                "--data-dir",
                str(self.data_dir),
                "--api-key",
                self.api_key,
                "--pace",
                str(self.pace),
                "--model",
                self.model,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            env=child_env(),
            start_new_session=True,
            # The real API runs on other machines: at a lower priority the server does not take the
            # app's CPU on this one when it streams flat out (it still gets any core left idle).
            preexec_fn=lambda: os.nice(10),
        )
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        match = re.search(r"serving at (http://\S+)", line)
        if not match:
            kill_group(self.process)
            rest = self.process.stdout.read()[-2000:] if self.process.stdout else ""
            fail(f"agentdeck serve did not start: {line}{rest}")
        self.base_url = match.group(1)
        # Keep draining its output so the server never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        self.http = httpx.Client(base_url=self.base_url, headers={"x-api-key": self.api_key}, timeout=60)
        return self

    def _drain(self) -> None:
        for _ in self.process.stdout:
            pass

    def stop(self) -> None:
        if self.http is not None:
            self.http.close()
            self.http = None
        if self.process is not None:
            kill_group(self.process, grace=10)
            self.process = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- a few calls, straight HTTP

    def post(self, path: str, body: dict) -> dict:
        response = self.http.post(path, json=body)
        response.raise_for_status()
        return response.json()

    def get(self, path: str, **params: object) -> dict:
        response = self.http.get(path, params=params)
        response.raise_for_status()
        return response.json()

    def events(self, session_id: str) -> list[dict]:
        """Every event of the session, oldest first (follows the pages)."""
        events, page = [], None
        while True:
            params = {"limit": 1000, **({"page": page} if page else {})}
            body = self.get(f"/v1/sessions/{session_id}/events", **params)
            events += body["data"]
            page = body.get("next_page")
            if not page:
                return events

    def sessions(self) -> list[dict]:
        return self.get("/v1/sessions", limit=100)["data"]

    def create_account(self, title: str = "seed") -> dict:
        """An environment, an agent and one session, created over HTTP; the session's JSON."""
        env = self.post(
            "/v1/environments", {"name": "bench", "config": {"type": "cloud", "networking": {"type": "unrestricted"}}}
        )
        agent = self.post(
            "/v1/agents",
            {"name": "bench-agent", "model": "claude-sonnet-4-6", "tools": [{"type": "agent_toolset_20260401"}]},
        )
        return self.post("/v1/sessions", {"agent": agent["id"], "environment_id": env["id"], "title": title})


def parse_stamp(stamp: str) -> float:
    """Epoch seconds of a wire timestamp (``...Z``)."""
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def perf_offset() -> float:
    """``time.time() - time.perf_counter()``: add it to a perf_counter time to get epoch seconds."""
    return time.time() - time.perf_counter()


# ----------------------------------------------------------------------------- seeding a data dir


def seed_account(data_dir: Path, title: str = "seed") -> dict:
    """Create an environment, an agent and one session in ``data_dir`` through a short-lived
    ``agentdeck serve`` (so their JSON is exactly what the runtime makes); the session's JSON."""
    with Server(data_dir, pace=0) as server:
        return server.create_account(title)


def seed_sessions(data_dir: Path, template: dict, count: int, title: str = "seeded {n}") -> list[str]:
    """Add ``count`` idle sessions like ``template`` (same environment and agent) to the runtime
    database in ``data_dir`` (no runtime may be serving it); their ids, oldest first."""
    sys.path.insert(0, str(ROOT))
    from app.runtime.discovery import runtime_folder
    from app.runtime.ids import new_id, now
    from app.runtime.multiagent import new_thread
    from app.runtime.runtime import DATABASE_NAME
    from app.runtime.store import Store

    store = Store(runtime_folder(data_dir) / DATABASE_NAME)
    ids = []
    try:
        for n in range(1, count + 1):
            stamp = now()
            session = {
                **template,
                "id": new_id("sesn"),
                "title": title.format(n=n),
                "status": "idle",
                "created_at": stamp,
                "updated_at": stamp,
                "stats": {},
                "usage": {},
            }
            store.put_session(session)
            store.put_thread(new_thread(session["id"], session["agent"], None))  # its primary thread
            ids.append(session["id"])
    finally:
        store.close()
    return ids


_PROSE = (
    "The transcript keeps the session as data and shows only a window of it, so a long session "
    "costs no more to follow than a short one. Each block is its own piece of the screen. "
)


def _answer(turn: int) -> str:
    return (
        f"## Module {turn}\n\n{_PROSE}\n\n- item one, with `inline code`\n- item two, **bold** and *italic*\n\n"
        f"```python\ndef module_{turn}(x):\n    return x * {turn}\n```\n\n{_PROSE}"
    )


def history_events(count: int, last_words: str) -> list[dict]:
    """About ``count`` wire events of realistic turns (a question, thinking, three bash calls with
    their results, a markdown answer of about 600 characters, usage, idle), like
    ``session_events.history`` makes for the in-process bench; the last answer ends with
    ``last_words`` so the bench can tell when the newest block is on screen."""
    from datetime import datetime, timedelta

    clock = datetime(2026, 5, 2, 9, 0, tzinfo=UTC)
    tag = os.urandom(4).hex()
    events: list[dict] = []

    def emit(kind: str, after: float, **fields: object) -> dict:
        nonlocal clock
        clock += timedelta(seconds=after)
        stamp = clock.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        event = {"type": kind, "id": f"sevt_bench{tag}{len(events):07d}", **fields, "processed_at": stamp}
        events.append(event)
        return event

    turn = 0
    while True:
        turn += 1
        last = len(events) + 13 >= count
        emit("user.message", 5.0, content=[{"type": "text", "text": f"Question {turn}: what does module {turn} do?"}])
        emit("session.status_running", 0.1)
        start = emit("span.model_request_start", 0.01)
        emit("agent.thinking", 1.0)
        for call in range(3):
            use = emit(
                "agent.tool_use",
                0.5,
                name="bash",
                input={"command": f"grep -rn TODO src/module_{turn}_{call}.py"},
                evaluated_permission="allow",
            )
            output = "\n".join(
                f"src/module_{turn}_{call}.py:{line * 7}: # TODO tidy this up ({line})" for line in range(1, 6)
            )
            emit(
                "agent.tool_result",
                0.3,
                tool_use_id=use["id"],
                content=[{"type": "text", "text": output}],
                is_error=False,
            )
        answer = _answer(turn) + (f"\n\n{last_words}" if last else "")
        emit("agent.message", 2.0, content=[{"type": "text", "text": answer}])
        usage = {
            "input_tokens": 1200,
            "output_tokens": 350,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 9000,
        }
        emit("span.model_request_end", 0.1, model_request_start_id=start["id"], is_error=False, model_usage=usage)
        emit("session.status_idle", 0.1, stop_reason={"type": "end_turn"})
        if last:
            return events


def seed_history(data_dir: Path, session_id: str, events: list[dict]) -> None:
    """Append ``events`` to a session's log in the runtime database of ``data_dir`` (not serving)."""
    sys.path.insert(0, str(ROOT))
    from app.runtime.discovery import runtime_folder
    from app.runtime.runtime import DATABASE_NAME
    from app.runtime.store import Store

    store = Store(runtime_folder(data_dir) / DATABASE_NAME)
    try:
        for event in events:
            store.append_event(session_id, event)
    finally:
        store.close()


# ----------------------------------------------------------------------------- /proc


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` (all its threads) and of its live descendants, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for proc in [pid, *descendants(pid)]:
        try:
            with open(f"/proc/{proc}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[0] is state (field 3); utime, stime, cutime, cstime are fields 14..17
        total += sum(int(value) for value in fields[11:15]) / tick
    return total


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found
