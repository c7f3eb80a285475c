"""The embedded runtime of a data dir, reachable from other processes: a lock, a record, a key file.

The process running the runtime on a runtime folder (``<data dir>/runtime``: its database and
workspaces) holds an exclusive ``flock`` on ``runtime.lock`` there for as long as it runs, so two
processes never open the same database at once. Once serving it writes ``runtime.json`` (URL and
pid) and, apart, ``runtime.key`` (its API key, mode 0600), and removes both when it stops. A record
whose process is gone, or that does not answer with its key, is stale: ignored, then replaced.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:  # the runtime module is imported only when this process starts one
    from app.runtime.runtime import RunningRuntime

LOCK_NAME = "runtime.lock"
RECORD_NAME = "runtime.json"
KEY_NAME = "runtime.key"


def runtime_folder(data_dir: Path) -> Path:
    """Where the embedded runtime of ``data_dir`` keeps its database, workspaces and record."""
    return Path(data_dir) / "runtime"


class RuntimeBusy(Exception):
    """Another process runs this folder's runtime but it does not answer; the message says which."""


@dataclass(frozen=True)
class Record:
    """Where a running embedded runtime listens, which process runs it, and where its key is."""

    url: str
    pid: int
    key_path: Path

    def key(self) -> str:
        """The runtime's API key, read from its 0600 file."""
        return self.key_path.read_text(encoding="utf-8").strip()


def read_record(folder: Path) -> Record | None:
    """The record in ``folder`` as written, or None when there is none or it is unreadable."""
    try:
        data = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("url"), str) or not isinstance(data.get("pid"), int):
        return None
    return Record(data["url"], data["pid"], folder / KEY_NAME)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return pid > 0


def answers(record: Record, timeout: float = 3.0) -> bool:
    """Whether the runtime at ``record.url`` accepts its key (a one-item list of environments)."""
    try:
        reply = httpx.get(
            f"{record.url}/v1/environments", params={"limit": 1}, headers={"x-api-key": record.key()}, timeout=timeout
        )
    except (OSError, httpx.HTTPError):
        return False
    return reply.status_code == 200


def find_running(folder: Path) -> Record | None:
    """The live runtime of ``folder``: its record, when its process is alive and it answers."""
    record = read_record(folder)
    if record is None or not _alive(record.pid) or not answers(record):
        return None
    return record


class RuntimeLock:
    """The exclusive right to run the runtime of one folder, held until :meth:`release`."""

    def __init__(self, folder: Path, fd: int) -> None:
        self.folder = folder
        self._fd = fd

    @classmethod
    def acquire(cls, folder: Path) -> RuntimeLock | None:
        """Take the folder's lock (making the folder, owner-only), or None if another process has it."""
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return cls(folder, fd)

    def publish(self, url: str, api_key: str) -> Record:
        """Write the key (0600) then the record, replacing a stale one."""
        key_path = self.folder / KEY_NAME
        key_path.unlink(missing_ok=True)
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(api_key + "\n")
        staged = self.folder / f".{RECORD_NAME}.tmp"
        staged.write_text(json.dumps({"url": url, "pid": os.getpid()}) + "\n", encoding="utf-8")
        staged.replace(self.folder / RECORD_NAME)
        return Record(url, os.getpid(), key_path)

    def __enter__(self) -> RuntimeLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def release(self) -> None:
        """Remove the record and the key, then let go of the lock."""
        for name in (RECORD_NAME, KEY_NAME):
            (self.folder / name).unlink(missing_ok=True)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)


@dataclass
class Embedded:
    """The embedded runtime a client talks to: one already running (``record``), or one this
    process started (``running``, stopped by :meth:`stop`)."""

    base_url: str
    api_key: str = field(repr=False)
    record: Record
    running: RunningRuntime | None = None
    lock: RuntimeLock | None = None

    @property
    def started_here(self) -> bool:
        return self.running is not None

    def stop(self) -> None:
        """Stop the runtime if this process started it, then withdraw its record; attached: nothing."""
        if self.running is not None:
            self.running.stop()
        if self.lock is not None:
            self.lock.release()


def attach_or_start(folder: Path, *, wait: float = 15.0, **options: Any) -> Embedded:
    """Attach to ``folder``'s running runtime, else start one in a thread of this process.

    ``options`` go to :func:`~app.runtime.runtime.start_in_thread`. Raises :class:`RuntimeBusy` when
    another process holds the lock and still does not answer after ``wait`` seconds."""
    from app.runtime.runtime import start_in_thread

    deadline = time.monotonic() + wait
    while True:
        if (record := find_running(folder)) is not None:
            return Embedded(record.url, record.key(), record)
        if (lock := RuntimeLock.acquire(folder)) is not None:
            running = None
            try:
                running = start_in_thread(folder, **options)
                record = lock.publish(running.base_url, running.api_key)
            except BaseException:
                if running is not None:
                    running.stop()
                lock.release()
                raise
            return Embedded(running.base_url, running.api_key, record, running, lock)
        if time.monotonic() > deadline:
            raise RuntimeBusy(f"another process holds the embedded runtime of {folder} but it does not answer")
        time.sleep(0.1)
