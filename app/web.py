"""``agentdeck web``: the full-screen app in a web browser, served by textual-serve.

Each browser tab runs its own ``agentdeck`` process with the global flags given here (an API key
given with ``--api-key`` goes to it through the environment, never its command line). With no API
key, this process keeps the data dir's embedded runtime up for as long as it serves (attaching to
a running one, else starting it), so every tab finds and shares it.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from app.config import Settings

#: Global flags passed through to the app each tab runs, by their argparse dest.
PASSED_FLAGS = {
    "base_url": "--base-url",
    "workspace_id": "--workspace-id",
    "data_dir": "--data-dir",
    "config": "--config",
}


def app_command(args: argparse.Namespace) -> str:
    """The shell command that runs the app with the global flags of ``args`` (never the key)."""
    parts = [sys.executable, "-m", "app"]
    for dest, flag in PASSED_FLAGS.items():
        if value := getattr(args, dest, None):
            parts += [flag, str(value)]
    return shlex.join(parts)


def serve_web(settings: Settings, args: argparse.Namespace) -> int:
    """Serve the app on ``args.host:args.port`` until Ctrl-C; the exit code."""
    try:
        from textual_serve.server import Server
    except ImportError:
        print("agentdeck: agentdeck web needs textual-serve: pip install textual-serve", file=sys.stderr)
        return 2
    from app.runtime.discovery import RuntimeBusy, attach_or_start, runtime_folder
    from app.runtime.serve import is_loopback

    if args.api_key:
        os.environ["ANTHROPIC_API_KEY"] = args.api_key  # the tabs' processes inherit it
    embedded = None
    if settings.uses_embedded_runtime:
        try:
            embedded = attach_or_start(runtime_folder(settings.data_dir))
        except (RuntimeBusy, RuntimeError, OSError, ValueError) as exc:
            print(f"agentdeck: cannot reach the embedded runtime: {exc}", file=sys.stderr)
            return 2
    if not is_loopback(args.host):
        print(f"warning: {args.host} is reachable from other machines, and the app has your data", file=sys.stderr)
    try:
        Server(app_command(args), host=args.host, port=args.port, title="agentdeck").serve()
    except OSError as exc:
        print(f"agentdeck: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        if embedded is not None:
            embedded.stop()
    return 0
