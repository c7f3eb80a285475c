"""ctrl+e in a real pseudo-terminal: the app hands the terminal to ``$EDITOR`` and takes it back
with the edited text in the composer."""

from __future__ import annotations

import os

from tests.tui.test_terminal import Terminal


def test_ctrl_e_hands_the_terminal_to_the_editor_and_takes_it_back(tmp_path):
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
        assert terminal.shows("No sessions yet"), terminal.seen[-2000:]
        os.write(terminal.master, b"n")
        assert terminal.shows("Create"), terminal.seen[-2000:]
        os.write(terminal.master, b"\x13")  # ctrl+s: create the session; the chat opens on it
        assert terminal.shows("Message the agent"), terminal.seen[-2000:]
        os.write(terminal.master, b"hello")
        assert terminal.shows("hello")
        os.write(terminal.master, b"\x05")  # ctrl+e
        assert terminal.shows("FAKE-EDITOR-RUNNING"), terminal.seen[-2000:]
        assert terminal.shows("rewritten in the editor"), terminal.seen[-3000:]
        os.write(terminal.master, b" and typed after")  # the app reads the keyboard again
        assert terminal.shows("and typed after"), terminal.seen[-3000:]
    finally:
        terminal.close()
