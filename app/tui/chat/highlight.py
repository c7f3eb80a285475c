"""Syntax highlighting for tool calls: pygments through Textual's theme-aware ``highlight``.

Everything here returns :class:`~textual.content.Content` built from plain strings (never markup),
so text from the server renders literally. Colours are theme variables, so they follow the theme.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from pygments.lexers import find_lexer_class_for_filename
from pygments.util import ClassNotFound
from rich.text import Text
from textual.content import Content
from textual.highlight import highlight

ADDED = "$text-success on $success-muted"
REMOVED = "$text-error on $error-muted"
HUNK = "$text-accent"
MUTED = "$text-muted"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: A line of the read tool's output: right-aligned line number, a tab, the text.
_NUMBERED = re.compile(r"^( *\d+)\t(.*)$")


def language_for_path(path: str | None) -> str:
    """The pygments language for a file name (``text`` when the name says nothing)."""
    if not path:
        return "text"
    try:
        lexer = find_lexer_class_for_filename(path)
    except ClassNotFound:
        lexer = None
    if lexer is None or not lexer.aliases:
        return "text"
    language: str = lexer.aliases[0]
    return language


def code(text: str, language: str) -> Content:
    """``text`` highlighted as ``language`` (plain when pygments does not know it)."""
    if not text:
        return Content("")
    return highlight(text, language=language)


def json_value(value: Any) -> Content:
    """A JSON value, pretty-printed and highlighted."""
    return code(json.dumps(value, indent=2, ensure_ascii=False, default=str), "json")


def compact_json(value: Any) -> str:
    """A JSON value on one line (for summaries and unknown events)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def terminal_output(text: str) -> Content:
    """Command output: ANSI colours kept when the output has them, plain text otherwise."""
    if _ANSI.search(text):
        return Content.from_rich_text(Text.from_ansi(text))
    return Content(text)


def file_listing(text: str, path: str | None) -> Content:
    """A file's text in its language; the read tool's line-number gutter is kept, dimmed."""
    lines = text.split("\n")
    matches = [_NUMBERED.match(line) for line in lines]
    numbered = [m for m in matches if m]
    if len(numbered) < max(1, len(lines) // 2):
        return code(text, language_for_path(path))
    body = code(
        "\n".join(m.group(2) if m else line for m, line in zip(matches, lines, strict=True)), language_for_path(path)
    )
    out: list[Content] = []
    # Highlighting drops trailing blank lines, so the highlighted lines may be fewer.
    for match, line, highlighted in zip(matches, lines, body.split("\n"), strict=False):
        if match:
            out.append(Content.assemble((match.group(1) + " ", MUTED), highlighted))
        else:
            out.append(Content.styled(line, MUTED))
    return Content("\n").join(out)


def diff(old: str, new: str, path: str | None = None, context: int = 3) -> Content:
    """A unified diff of ``old`` -> ``new``: removed lines on the error colour, added on success."""
    name = path or "file"
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), f"a/{name}", f"b/{name}", n=context, lineterm="")
    out: list[Content] = []
    for line in lines:
        if line.startswith(("---", "+++")):
            out.append(Content.styled(line, f"bold {MUTED}"))
        elif line.startswith("@@"):
            out.append(Content.styled(line, HUNK))
        elif line.startswith("+"):
            out.append(Content.styled(line, ADDED))
        elif line.startswith("-"):
            out.append(Content.styled(line, REMOVED))
        else:
            out.append(Content(line))
    return Content("\n").join(out)


def cap_lines(content: Content, limit: int | None) -> tuple[Content, int]:
    """The first ``limit`` lines of ``content`` and how many were left out (``None`` keeps all)."""
    lines = content.split("\n")
    if limit is None or len(lines) <= limit:
        return content, 0
    return Content("\n").join(lines[:limit]), len(lines) - limit


def cap_text(text: str, limit: int | None) -> tuple[str, int]:
    """Like :func:`cap_lines` for a plain string, so a long output is cut before it is highlighted."""
    if limit is None:
        return text, 0
    lines = text.split("\n", limit)
    if len(lines) <= limit:
        return text, 0
    return "\n".join(lines[:limit]), text.count("\n") + 1 - limit
