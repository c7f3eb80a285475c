"""In a real pseudo-terminal: the last session reopens at start (``reopen_last_session``), and
ctrl+e hands the terminal to ``$EDITOR`` and takes it back with the edited text in the composer."""

from __future__ import annotations

import os

from app.runtime.runtime import start_in_thread
from app.tui.state import STATE_FILE_NAME, UIState
from tests.tui.conftest import Seed
from tests.tui.test_terminal import Terminal


def test_ctrl_e_hands_the_terminal_to_the_editor_and_takes_it_back(tmp_path):
    # A session in the runtime the app will start (its data dir), open when the app last ran.
    running = start_in_thread(tmp_path / "data" / "runtime", api_key="sk-seed", pace=0.0, heartbeat=1.0)
    seed = Seed(running)
    try:
        session = seed.session(seed.environment(), seed.agent(), "Edited")
    finally:
        seed.http.close()
        running.stop()
    UIState(last_session=session["id"]).save(tmp_path / "data" / STATE_FILE_NAME)
    (tmp_path / "none.toml").write_text("reopen_last_session = true\n", encoding="utf-8")
    editor = tmp_path / "editor.sh"
    editor.write_text(
        "#!/bin/sh\n"
        "test -t 0 && test -t 1 || exit 9\n"  # the editor has the terminal
        "printf 'FAKE-EDITOR-RUNNING'\n"
        "sed -i 's/hello/rewritten in the editor/' \"$1\"\n",
        encoding="utf-8",
    )
    editor.chmod(0o755)

    terminal = Terminal(tmp_path, EDITOR=str(editor))
    try:
        assert terminal.shows("tokens 0 in / 0 out"), terminal.seen[-2000:]  # the session reopened in the chat
        os.write(terminal.master, b"hello")
        assert terminal.shows("hello")
        os.write(terminal.master, b"\x05")  # ctrl+e
        assert terminal.shows("FAKE-EDITOR-RUNNING"), terminal.seen[-2000:]
        assert terminal.shows("rewritten in the editor"), terminal.seen[-3000:]
        os.write(terminal.master, b" and typed after")  # the app reads the keyboard again
        assert terminal.shows("and typed after"), terminal.seen[-3000:]
    finally:
        terminal.close()
