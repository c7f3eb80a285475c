"""The ``agentdeck`` command line: global flags, then a subcommand."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app import __version__
from app.config import ConfigError, Settings, resolve_settings

DEFAULT_PORT = 8760


def build_parser() -> argparse.ArgumentParser:
    """Every flag and subcommand of ``agentdeck``."""
    parser = argparse.ArgumentParser(
        prog="agentdeck",
        description="A full-screen terminal client for Anthropic's Claude Agent API "
        "(environments, agents, sessions and their live event streams).",
        epilog="With no API key configured, agentdeck runs its own embedded runtime locally.",
    )
    parser.add_argument("--version", action="version", version=f"agentdeck {__version__}")
    parser.add_argument("--api-key", metavar="KEY", help="API key (else $ANTHROPIC_API_KEY, else the config file)")
    parser.add_argument(
        "--base-url", metavar="URL", help="API base URL (else $ANTHROPIC_BASE_URL, else the config file)"
    )
    parser.add_argument("--workspace-id", metavar="ID", help="anthropic-workspace-id for multi-workspace keys")
    parser.add_argument("--data-dir", metavar="DIR", help="where local state lives (else $AGENTDECK_DATA_DIR)")
    parser.add_argument(
        "--config", metavar="FILE", help="config file (else $AGENTDECK_CONFIG, else the platform default)"
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", description="With no command, the full-screen app starts."
    )
    commands.add_parser("config", help="show the resolved settings and where each came from (the key stays masked)")
    serve = commands.add_parser("serve", help="run the embedded runtime: a local Agent API server on loopback")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; anything else is exposed)"
    )
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)"
    )
    serve.add_argument(
        "--api-key",
        default=argparse.SUPPRESS,
        metavar="KEY",
        help="the key clients must send (default: --api-key-file, else $AGENTDECK_SERVER_KEY, else a generated "
        "one, printed); a key given here shows in ps to every user of the machine, so prefer those two",
    )
    serve.add_argument("--api-key-file", metavar="PATH", help="read the key clients must send from this file")
    serve.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="the data dir (the runtime keeps its database and workspaces in its runtime/ folder)",
    )
    serve.add_argument("--model", default="offline", metavar="NAME", help="'offline' (default) or 'replay:FILE.jsonl'")
    serve.add_argument(
        "--pace", type=float, default=0.02, metavar="SECONDS", help="delay between streamed text deltas (0 = instant)"
    )
    serve.add_argument(
        "--max-body",
        type=_positive,
        default=None,
        metavar="BYTES",
        help="largest request body accepted (default 32 MB)",
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests for this Host name (repeatable; loopback names always)",
    )
    watch = commands.add_parser("watch", help="follow a session live and print its transcript as plain text")
    watch.add_argument("session_id", metavar="SESSION_ID", help="the session to follow (sesn_...)")
    export = commands.add_parser(
        "export", help="write a session's transcript (markdown) or its raw events (json, jsonl)"
    )
    export.add_argument("session_id", metavar="SESSION_ID", help="the session to export (sesn_...)")
    export.add_argument("--format", choices=("markdown", "json", "jsonl"), default="markdown", help="default: markdown")
    export.add_argument("-o", "--output", default="-", metavar="FILE", help="file to write (default, or '-': stdout)")
    runtime = commands.add_parser("runtime", help="where the embedded runtime of the data dir is, and how to reach it")
    runtime.add_argument("--show-key", action="store_true", help="also print its API key")
    web = commands.add_parser("web", help="serve the full-screen app in a web browser (textual-serve)")
    web.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    web.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    return parser


def describe_settings(settings: Settings) -> str:
    """A human summary of the settings; the API key appears only masked."""
    key = settings.api_key.masked() if settings.api_key else "not set (the embedded runtime will be used)"
    rows = [
        ("api key", key, settings.sources.get("api_key")),
        ("base url", settings.base_url, settings.sources.get("base_url")),
        ("workspace", settings.workspace_id or "-", settings.sources.get("workspace_id")),
        ("data dir", str(settings.data_dir), settings.sources.get("data_dir")),
        ("config file", str(settings.config_path), "exists" if settings.config_path.exists() else "absent"),
        ("theme", settings.theme or "-", "config file" if settings.theme else "default"),
        ("reopen last", "on" if settings.reopen_last_session else "off", settings.sources.get("reopen_last_session")),
    ]
    lines = [f"{name:<12} {value}  [{source}]" for name, value, source in rows]
    lines += [f"{'key':<12} {binding} = {keys}  [config file]" for binding, keys in sorted(settings.keys.items())]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``agentdeck`` console script and of ``python -m app``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = resolve_settings(
            api_key=args.api_key,
            base_url=args.base_url,
            workspace_id=args.workspace_id,
            data_dir=args.data_dir,
            config_path=args.config,
        )
    except ConfigError as exc:
        print(f"agentdeck: {exc}", file=sys.stderr)
        return 2
    if args.command == "config":
        print(describe_settings(settings))
        return 0
    if args.command == "serve":
        return _serve(args, settings)
    if args.command == "watch":
        return _with_api(settings, lambda api: _watch(api, args.session_id))
    if args.command == "export":
        return _with_api(settings, lambda api: _export(api, args.session_id, args.format, args.output))
    if args.command == "runtime":
        return _runtime(settings, args.show_key)
    if args.command == "web":
        from app.web import serve_web

        return serve_web(settings, args)
    return _tui(settings)


def _tui(settings: Settings) -> int:
    """The full-screen app (no subcommand)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and "TEXTUAL_DRIVER" not in os.environ:  # web: textual-serve
        print("agentdeck: the full-screen app needs a terminal (see agentdeck --help for the others)", file=sys.stderr)
        return 2
    from app.tui.app import AgentDeckApp

    app = AgentDeckApp(settings, quiet_gc=True)
    app.run()
    return app.return_code or 0


def _positive(text: str) -> int:
    """A positive integer option value."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive number of bytes: {text!r}")
    return value


def _port(text: str) -> int:
    """A TCP port option value (0 picks a free one)."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {text!r}")
    return int(text)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from app.runtime.serve import serve_forever, server_key

    try:
        api_key = server_key(args.api_key, args.api_key_file)
    except ValueError as exc:
        print(f"agentdeck: {exc}", file=sys.stderr)
        return 2
    from app.runtime.discovery import runtime_folder

    return serve_forever(
        data_dir=runtime_folder(settings.data_dir),
        host=args.host,
        port=args.port,
        api_key=api_key,
        model=args.model,
        pace=args.pace,
        max_body=args.max_body,
        allowed_hosts=tuple(args.allow_host),
    )


def _with_api(settings: Settings, run: Callable[[Settings], int]) -> int:
    """``run`` against the configured API or, with no API key, the embedded runtime of the data
    dir: the one already running, else one started in this process for as long as ``run`` lasts."""
    if not settings.uses_embedded_runtime:
        return run(settings)
    from app.config import Secret
    from app.runtime.discovery import RuntimeBusy, attach_or_start, runtime_folder

    try:
        embedded = attach_or_start(runtime_folder(settings.data_dir))
    except (RuntimeBusy, RuntimeError, OSError, ValueError) as exc:
        print(f"agentdeck: cannot reach the embedded runtime: {exc}", file=sys.stderr)
        return 2
    how = "started the embedded runtime" if embedded.started_here else "using the embedded runtime"
    print(f"agentdeck: no API key: {how} at {embedded.base_url}", file=sys.stderr)
    try:
        return run(dataclasses.replace(settings, api_key=Secret(embedded.api_key), base_url=embedded.base_url))
    finally:
        embedded.stop()


def _watch(settings: Settings, session_id: str) -> int:
    import asyncio  # only here: --help, --version and config stay fast

    from app.watch import watch

    try:
        return asyncio.run(watch(settings, session_id))
    except KeyboardInterrupt:
        return 130


def _export(settings: Settings, session_id: str, fmt: str, output: str) -> int:
    import asyncio

    from app.api.client import client_for
    from app.api.errors import AgentAPIError
    from app.exports import export_session, write_private

    async def fetch() -> str:
        async with client_for(settings) as client:
            return await export_session(client, session_id, fmt)

    try:
        text = asyncio.run(fetch())
    except AgentAPIError as exc:
        print(f"agentdeck: cannot export {session_id}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    if output == "-":
        sys.stdout.write(text)
        return 0
    try:
        write_private(Path(output), text)
    except OSError as exc:
        print(f"agentdeck: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"agentdeck: wrote {output}", file=sys.stderr)
    return 0


def _runtime(settings: Settings, show_key: bool) -> int:
    from app.runtime.discovery import find_running, runtime_folder
    from app.runtime.snippets import describe_runtime

    folder = runtime_folder(settings.data_dir)
    record = find_running(folder)
    if record is None:
        print(
            f"No embedded runtime is running for {settings.data_dir}.\n"
            "Start one with `agentdeck serve` (foreground, port 8760), or open `agentdeck` with no API key."
        )
        return 1
    print(describe_runtime(record, folder, show_key=show_key))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
