"""``agentdeck serve``: run the embedded runtime in the foreground until interrupted."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import signal
import sys
from pathlib import Path

from app.runtime.discovery import RuntimeLock, find_running
from app.runtime.runtime import Runtime, bind_socket, socket_base_url
from app.runtime.server import DEFAULT_MAX_BODY


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


SERVER_KEY_ENV = "AGENTDECK_SERVER_KEY"


def server_key(flag: str | None, key_file: str | None) -> str | None:
    """The key clients must send: ``--api-key``, else ``--api-key-file``, else
    ``$AGENTDECK_SERVER_KEY``; None means generate one. ValueError says what is wrong."""
    if flag and key_file:
        raise ValueError("give --api-key or --api-key-file, not both")
    if key_file:
        try:
            key = Path(key_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(
                f"cannot read --api-key-file {key_file}: {getattr(exc, 'strerror', None) or exc}"
            ) from None
        if not key or any(c.isspace() for c in key):
            raise ValueError(f"--api-key-file {key_file} must hold one key on one line")
        return key
    return flag or os.environ.get(SERVER_KEY_ENV) or None


def serve_forever(
    *,
    data_dir: Path,
    host: str,
    port: int,
    api_key: str | None,
    model: str,
    pace: float,
    max_body: int | None = None,
    allowed_hosts: tuple[str, ...] = (),
) -> int:
    """Bind, print the base URL (and the key if it was generated), serve until Ctrl-C; the exit code.

    ``data_dir`` is the runtime folder: while serving, this process holds its lock and publishes
    its discovery record there (see :mod:`app.runtime.discovery`); a runtime already running on
    it is reported instead. ``max_body`` is the largest request body (None: the default).
    Requests are answered for the loopback names, ``allowed_hosts`` and the address bound
    (unless it is a wildcard)."""
    try:
        lock = RuntimeLock.acquire(data_dir)
    except OSError as exc:
        print(f"agentdeck: cannot use {data_dir}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if lock is None:
        running = find_running(data_dir)
        where = f" at {running.url} (pid {running.pid})" if running else ""
        print(f"agentdeck: the embedded runtime of {data_dir} is already running{where}", file=sys.stderr)
        return 2
    with lock:
        try:
            sock = bind_socket(host, port)
        except OSError as exc:
            print(f"agentdeck: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        try:
            bound = () if host in ("0.0.0.0", "::", "") else (host,)
            runtime = Runtime(
                data_dir,
                api_key=api_key,
                brain=model,
                pace=pace,
                max_body=max_body or DEFAULT_MAX_BODY,
                allowed_hosts=(*bound, *allowed_hosts),
            )
        except (ValueError, OSError) as exc:
            sock.close()
            print(f"agentdeck: {exc}", file=sys.stderr)
            return 2
        bound_host = sock.getsockname()[0]
        base_url = socket_base_url(sock)

        def announce() -> None:
            record = lock.publish(base_url, runtime.api_key)
            print(f"agentdeck runtime serving at {base_url} (model: {model}, data: {data_dir})", flush=True)
            if api_key is None:
                print(f"generated API key: {runtime.api_key}", flush=True)
            print(f"key file: {record.key_path} (agentdeck runtime shows how to connect)", flush=True)
            if not runtime.sandbox.active:
                print(f"warning: tools unsandboxed: {runtime.sandbox.reason}", file=sys.stderr, flush=True)
            if not is_loopback(bound_host):
                print(f"warning: {bound_host} is reachable from other machines", file=sys.stderr, flush=True)

        signal.signal(signal.SIGTERM, _interrupt)  # uvicorn re-raises it once it has stopped serving
        try:
            asyncio.run(runtime.serve(sock, started=announce))
        except KeyboardInterrupt:
            pass
        return 0


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends ``agentdeck serve`` as Ctrl-C does: the runtime shuts down and withdraws its record."""
    raise KeyboardInterrupt
