"""The glob and grep tools: find files by name and lines by regex, inside the workspace only.

Both start from ``path`` (default: the workspace root) and never leave the workspace: they do
not descend into symbolically linked directories, skip files whose links point outside, and
skip ``.git`` directories while recursing. glob lists matching files sorted by path (``**``
matches any number of directories; an absolute pattern such as ``/workspace/src/*.py`` is
allowed); grep searches text files with a Python regular expression and prints
``/workspace/file:line:text``. Both stop after a fixed number of results and say so.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from app.runtime.tools.base import Tool, ToolContext, ToolError, ToolInput, ToolResult, cap_text
from app.runtime.tools.files import MAX_FILE_BYTES, is_binary, split_lines
from app.runtime.tools.workspace import display, inside, resolve

MAX_GLOB_RESULTS = 1000
MAX_GREP_MATCHES = 500
MAX_MATCH_CHARS = 500
SKIP_DIRS = frozenset({".git"})


class GlobInput(ToolInput):
    pattern: str
    path: str | None = None


class GrepInput(ToolInput):
    pattern: str
    path: str | None = None


def _magic(segment: str) -> bool:
    return any(c in segment for c in "*?[")


def _entries(directory: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(directory) as it:
            return list(it)
    except OSError:  # vanished, not a directory, or unreadable: nothing to match there
        return []


def _matches(root: Path, directory: Path, segments: list[str]) -> Iterator[Path]:
    """Paths under ``directory`` matching ``segments``; only descends into directories inside root."""
    if not segments:
        yield directory
        return
    segment, rest = segments[0], segments[1:]
    if segment == "**":
        yield from _matches(root, directory, rest)
        for entry in _entries(directory):
            if entry.name not in SKIP_DIRS and entry.is_dir(follow_symlinks=False):
                yield from _matches(root, Path(entry.path), segments)
        return
    if _magic(segment):
        candidates = [Path(e.path) for e in _entries(directory) if fnmatchcase(e.name, segment)]
    else:
        candidates = [directory / segment]
    for candidate in candidates:
        if rest and not (candidate.is_dir() and inside(root, Path(os.path.realpath(candidate)))):
            continue
        yield from _matches(root, candidate, rest)


def _split_pattern(ctx: ToolContext, pattern: str, path: str | None) -> tuple[Path, list[str]]:
    """The directory to start from and the pattern's segments below it."""
    parts = [p for p in PurePosixPath(pattern).parts if p != "."]
    if ".." in parts:
        raise ToolError("pattern: '..' is not allowed; glob only searches inside the workspace")
    if pattern.startswith("/"):
        literal = 0
        while literal < len(parts) and not _magic(parts[literal]):
            literal += 1
        return resolve(ctx.workspace, str(PurePosixPath(*parts[:literal]))), parts[literal:]
    return resolve(ctx.workspace, path or "."), parts


def glob_files(ctx: ToolContext, pattern: str, path: str | None) -> str:
    base, segments = _split_pattern(ctx, pattern, path)
    root = Path(os.path.realpath(ctx.workspace))
    found = sorted(
        {
            display(ctx.workspace, p)
            for p in _matches(root, base, segments)
            if p.is_file() and inside(root, Path(os.path.realpath(p)))
        }
    )
    if not found:
        return f"No files match {pattern}"
    text = "\n".join(found[:MAX_GLOB_RESULTS])
    if len(found) > MAX_GLOB_RESULTS:
        text += f"\n[showing the first {MAX_GLOB_RESULTS} of {len(found)} files; narrow the pattern]"
    return text


def _text_files(root: Path, start: Path) -> Iterator[Path]:
    """Files under ``start`` (or ``start`` itself), sorted, never through a link out of root."""
    if not start.is_dir():
        yield start
        return
    for directory, dirnames, filenames in os.walk(start):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            path = Path(directory, name)
            if inside(root, Path(os.path.realpath(path))):
                yield path


def _lines_of(path: Path) -> list[str]:
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return []
        data = path.read_bytes()
    except OSError:
        return []
    return [] if is_binary(data) else split_lines(data.decode("utf-8", errors="replace"))


def grep_files(ctx: ToolContext, pattern: str, path: str | None) -> str:
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise ToolError(f"pattern: invalid regular expression: {exc}") from None
    start = resolve(ctx.workspace, path or ".")
    if not start.exists():
        raise ToolError(f"path: {display(ctx.workspace, start)} does not exist")
    root = Path(os.path.realpath(ctx.workspace))
    hits: list[str] = []
    for file in _text_files(root, start):
        for number, line in enumerate(_lines_of(file), start=1):
            if regex.search(line):
                if len(hits) == MAX_GREP_MATCHES:
                    hits.append(f"[stopped after {MAX_GREP_MATCHES} matches; narrow the pattern or path]")
                    return "\n".join(hits)
                hits.append(f"{display(ctx.workspace, file)}:{number}:{line[:MAX_MATCH_CHARS]}")
    return "\n".join(hits) if hits else f"No matches for {pattern}"


async def run_glob(args: GlobInput, ctx: ToolContext) -> ToolResult:
    if not args.pattern:
        raise ToolError("pattern: must not be empty")
    return ToolResult.text(cap_text(await asyncio.to_thread(glob_files, ctx, args.pattern, args.path), ctx.max_output))


async def run_grep(args: GrepInput, ctx: ToolContext) -> ToolResult:
    if not args.pattern:
        raise ToolError("pattern: must not be empty")
    return ToolResult.text(cap_text(await asyncio.to_thread(grep_files, ctx, args.pattern, args.path), ctx.max_output))


GLOB = Tool("glob", GlobInput, run_glob)
GREP = Tool("grep", GrepInput, run_grep)
