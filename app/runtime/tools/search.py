"""The glob and grep tools: find files by name and lines by regex, inside the workspace only.

Both start from ``path`` (default: the workspace root) and never leave the workspace: they walk
directory descriptors (see :mod:`.workspace`), do not descend into symbolically linked
directories, skip files whose links point outside and files that are not regular (FIFOs,
devices), and skip ``.git`` directories while recursing. Both run off the event loop with a
deadline (see :func:`.base.off_loop`). glob lists matching files sorted by path (``**``
matches any number of directories; an absolute pattern such as ``/workspace/src/*.py`` is
allowed); grep searches text files with an RE2 regular expression (linear-time matching, so no
pattern can stall the server; no backreferences or lookaround) and prints
``/workspace/file:line:text``. Both stop after a fixed number of results and say so.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

import re2

from app.runtime.tools.base import Deadline, Tool, ToolContext, ToolError, ToolInput, ToolResult, cap_text, off_loop
from app.runtime.tools.files import MAX_FILE_BYTES, is_binary, read_fd, split_lines
from app.runtime.tools.workspace import Located, inside, locate, shown

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


def _names(dir_fd: int) -> list[str]:
    try:
        return sorted(os.listdir(dir_fd))
    except OSError:  # unreadable: nothing to match there
        return []


def _subdir(dir_fd: int, name: str) -> int | None:
    """A descriptor of the real (not linked) directory ``name`` in ``dir_fd``, or None."""
    try:
        return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError:
        return None


def _matches(
    ctx: ToolContext, dir_fd: int, parts: tuple[str, ...], segments: list[str], deadline: Deadline
) -> Iterator[tuple[str, ...]]:
    """Paths below the directory ``dir_fd`` (at ``parts``) matching ``segments``; ``**`` descends
    only into real directories, a named segment follows links that stay inside the workspace."""
    deadline.check()
    if not segments:
        yield parts
        return
    segment, rest = segments[0], segments[1:]
    if segment == "**":
        yield from _matches(ctx, dir_fd, parts, rest, deadline)
        for name in _names(dir_fd):
            if name in SKIP_DIRS or (child := _subdir(dir_fd, name)) is None:
                continue
            with _closing(child):
                yield from _matches(ctx, child, (*parts, name), segments, deadline)
        return
    names = [n for n in _names(dir_fd) if fnmatchcase(n, segment)] if _magic(segment) else [segment]
    for name in names:
        if not rest:
            yield (*parts, name)
            continue
        try:
            with locate(ctx.workspace, inside((*parts, name))) as loc:
                child = loc.open_dir()
        except (ToolError, OSError):  # missing, not a directory, or leads out
            continue
        with _closing(child):
            yield from _matches(ctx, child, (*parts, name), rest, deadline)


@contextmanager
def _closing(fd: int) -> Iterator[int]:
    try:
        yield fd
    finally:
        os.close(fd)


def _is_file(ctx: ToolContext, parts: tuple[str, ...]) -> bool:
    """Whether ``parts`` is a regular file, following links only while they stay inside."""
    try:
        with locate(ctx.workspace, inside(parts)) as loc:
            return loc.stat is not None and stat.S_ISREG(loc.stat.st_mode)
    except (ToolError, OSError):
        return False


def _start(ctx: ToolContext, pattern: str, path: str | None) -> tuple[str, list[str]]:
    """The path to start from and the pattern's segments below it."""
    parts = [p for p in PurePosixPath(pattern).parts if p != "."]
    if ".." in parts:
        raise ToolError("pattern: '..' is not allowed; glob only searches inside the workspace")
    if pattern.startswith("/"):
        literal = 0
        while literal < len(parts) and not _magic(parts[literal]):
            literal += 1
        return str(PurePosixPath(*parts[:literal])), parts[literal:]
    return path or ".", parts


def glob_files(ctx: ToolContext, pattern: str, path: str | None, deadline: Deadline) -> str:
    base, segments = _start(ctx, pattern, path)
    with locate(ctx.workspace, base) as loc:
        if not segments:
            candidates = [loc.parts]
        elif loc.is_dir:
            with _closing(loc.open_dir()) as top:
                candidates = list(_matches(ctx, top, loc.parts, segments, deadline))
        else:
            candidates = []
    found = sorted({shown(p) for p in candidates if _is_file(ctx, p)})
    if not found:
        return f"No files match {pattern}"
    text = "\n".join(found[:MAX_GLOB_RESULTS])
    if len(found) > MAX_GLOB_RESULTS:
        text += f"\n[showing the first {MAX_GLOB_RESULTS} of {len(found)} files; narrow the pattern]"
    return text


def _file_bytes(ctx: ToolContext, dir_fd: int, parts: tuple[str, ...], deadline: Deadline) -> bytes | None:
    """The contents of the regular file ``parts`` (last part in ``dir_fd``); None to skip it:
    too large, special, unreadable, or a link that leads out."""
    name = parts[-1]
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        if stat.S_ISLNK(st.st_mode):
            with locate(ctx.workspace, inside(parts)) as loc:
                fd = loc.open_file()
        elif stat.S_ISREG(st.st_mode) and st.st_size <= MAX_FILE_BYTES:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                return None
        else:
            return None
        return read_fd(fd, shown(parts), deadline)
    except (ToolError, OSError):
        return None


def _text_files(ctx: ToolContext, loc: Located, deadline: Deadline) -> Iterator[tuple[tuple[str, ...], bytes]]:
    """Each file under ``loc`` (or ``loc`` itself) with its bytes, sorted; never through a link out."""
    if not loc.is_dir:
        data = read_fd(loc.open_file(), loc.shown, deadline)
        yield loc.parts, data
        return
    with _closing(loc.open_dir()) as top:
        for dirpath, dirnames, filenames, dir_fd in os.fwalk(".", dir_fd=top):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            below = tuple(p for p in dirpath.split("/") if p != ".")
            for name in sorted(filenames):
                deadline.check()
                content = _file_bytes(ctx, dir_fd, (*loc.parts, *below, name), deadline)
                if content is not None:
                    yield (*loc.parts, *below, name), content


def compile_pattern(pattern: str) -> re2._Regexp:
    """``pattern`` as an RE2 regex: matching takes time linear in the text, whatever the pattern."""
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ToolError(
            f"pattern: invalid regular expression: {reason} (grep uses RE2 syntax, which runs in linear time "
            "and has no backreferences or lookaround)"
        ) from None


def grep_files(ctx: ToolContext, pattern: str, path: str | None, deadline: Deadline) -> str:
    regex = compile_pattern(pattern)
    hits: list[str] = []
    with locate(ctx.workspace, path or ".") as start:
        if not start.exists:
            raise ToolError(f"path: {start.shown} does not exist")
        for parts, data in _text_files(ctx, start, deadline):
            if is_binary(data):
                continue
            for number, line in enumerate(split_lines(data.decode("utf-8", errors="replace")), start=1):
                if number % 1000 == 0:
                    deadline.check()
                if regex.search(line):
                    if len(hits) == MAX_GREP_MATCHES:
                        hits.append(f"[stopped after {MAX_GREP_MATCHES} matches; narrow the pattern or path]")
                        return "\n".join(hits)
                    hits.append(f"{shown(parts)}:{number}:{line[:MAX_MATCH_CHARS]}")
    return "\n".join(hits) if hits else f"No matches for {pattern}"


async def run_glob(args: GlobInput, ctx: ToolContext) -> ToolResult:
    if not args.pattern:
        raise ToolError("pattern: must not be empty")
    return ToolResult.text(cap_text(await off_loop(glob_files, ctx, args.pattern, args.path), ctx.max_output))


async def run_grep(args: GrepInput, ctx: ToolContext) -> ToolResult:
    if not args.pattern:
        raise ToolError("pattern: must not be empty")
    return ToolResult.text(cap_text(await off_loop(grep_files, ctx, args.pattern, args.path), ctx.max_output))


GLOB = Tool("glob", GlobInput, run_glob)
GREP = Tool("grep", GrepInput, run_grep)
