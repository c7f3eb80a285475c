"""`python -m app` in a real pseudo-terminal: it paints, says it runs its own runtime, quits on q,
and once idle writes nothing to the terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.tui.conftest import TERMINAL


class Terminal:
    """The app with no API key (it starts its embedded runtime) in a pseudo-terminal of TERMINAL size."""

    def __init__(self, home: Path, **extra_env: str) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", TERMINAL[1], TERMINAL[0], 0, 0))
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(home),
            "TERM": "xterm-256color",
            "AGENTDECK_CONFIG": str(home / "none.toml"),
            "AGENTDECK_DATA_DIR": str(home / "data"),
            **extra_env,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app"], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.seen = b""

    def read(self, seconds: float) -> bytes:
        """What the app writes within ``seconds`` (less if it exits)."""
        got = b""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0 and self.process.poll() is None:
            if select.select([self.master], [], [], min(left, 0.2))[0]:
                try:
                    got += os.read(self.master, 65536)
                except OSError:  # the terminal closed: the app is gone
                    break
        self.seen += got
        return got

    def shows(self, text: str, timeout: float = 60) -> bool:
        """Read until the screen (escape sequences removed) has shown ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            self.read(0.2)
            if text in re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", self.seen).decode("utf-8", "replace"):
                return True
        return False

    def settle(self, quiet: float, timeout: float = 30) -> None:
        """Read until the app has written nothing for ``quiet`` seconds (a hang guard, not a timing)."""
        deadline = time.monotonic() + timeout
        while self.read(quiet):
            assert time.monotonic() < deadline, "the app never stopped writing"

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


def test_agentdeck_with_no_command_opens_the_app_in_a_terminal(tmp_path):
    terminal = Terminal(tmp_path)
    try:
        assert terminal.shows("embedded runtime (no API key)"), terminal.seen[-2000:]
        assert terminal.shows("Environments") and terminal.shows("Sessions")
        os.write(terminal.master, b"q")
        terminal.read(10)  # keep reading: a full terminal would block the app's exit
        assert terminal.process.wait(timeout=30) == 0
    finally:
        terminal.close()


def test_an_idle_app_writes_nothing_to_its_terminal(tmp_path):
    """No session open, nothing running: polls go on, but nothing on screen changes, so nothing is drawn."""
    terminal = Terminal(tmp_path)
    try:
        for text in ("No environments yet", "No sessions yet"):  # start-up done: both lists loaded
            assert terminal.shows(text), terminal.seen[-2000:]
        terminal.settle(quiet=2)
        written = terminal.read(6)  # the sessions list was polled meanwhile
        assert written == b"", written[-2000:]
    finally:
        terminal.close()
