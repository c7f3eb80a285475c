"""The read, write and edit tools, confined to the workspace (see :mod:`.workspace`).

read numbers lines like ``cat -n``; without ``view_range`` it shows the first
:data:`MAX_LINES` lines, and it refuses binary files (a NUL byte in the first 8 KiB) and files
over :data:`MAX_FILE_BYTES`. Lines longer than :data:`MAX_LINE_CHARS` are cut. write creates
parent directories. Each runs off the event loop with a deadline (see
:func:`.base.off_loop`) and opens only regular files. edit replaces one unique ``old_string`` (or all of them with
``replace_all``) and reports which lines changed.
"""

from __future__ import annotations

import os

from pydantic import Field

from app.runtime.tools.base import Deadline, Tool, ToolContext, ToolError, ToolInput, ToolResult, cap_text, off_loop
from app.runtime.tools.workspace import Located, locate

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_LINES = 2000
MAX_LINE_CHARS = 2000
#: Lines of context shown around an edit.
CONTEXT_LINES = 2


class ReadInput(ToolInput):
    file_path: str
    view_range: list[int] | None = Field(default=None, min_length=2, max_length=2)


class WriteInput(ToolInput):
    file_path: str
    content: str


class EditInput(ToolInput):
    file_path: str
    old_string: str
    new_string: str
    replace_all: bool = False


def is_binary(data: bytes) -> bool:
    """The heuristic grep and read share: a NUL byte near the start."""
    return b"\0" in data[:8192]


def read_fd(fd: int, shown: str, deadline: Deadline) -> bytes:
    """All of an open regular file, refusing one over :data:`MAX_FILE_BYTES`; closes ``fd``."""
    with os.fdopen(fd, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise ToolError(f"{shown} is {size} bytes, over the {MAX_FILE_BYTES}-byte limit; use bash (head, sed -n)")
        chunks = []
        while chunk := f.read(1 << 20):
            deadline.check()
            chunks.append(chunk)
        return b"".join(chunks)


def read_text(loc: Located, deadline: Deadline, errors: str = "replace") -> str:
    """The text of an existing, text, not too large regular file; a clear ToolError otherwise.

    ``errors="strict"`` refuses bytes that are not UTF-8 (edit must not rewrite them).
    """
    data = read_fd(loc.open_file(), loc.shown, deadline)
    if is_binary(data):
        raise ToolError(f"{loc.shown} is a binary file; read shows text files only")
    try:
        return data.decode("utf-8", errors=errors)
    except UnicodeDecodeError:
        raise ToolError(f"{loc.shown} is not valid UTF-8; change it with bash instead") from None


def write_text(loc: Located, content: str, deadline: Deadline) -> bool:
    """Write ``content`` (UTF-8, newlines as given) over the file; True when it is new. Nothing is
    written once the call was given up (its caller was already told it did not happen)."""
    deadline.check()
    created = not loc.exists
    fd = loc.open_file(os.O_WRONLY | os.O_CREAT)
    with os.fdopen(fd, "wb") as f:
        f.truncate(0)
        f.write(content.encode("utf-8"))
    return created


def split_lines(text: str) -> list[str]:
    """Lines as ``cat -n`` counts them: split on newlines, no empty line after a final one."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def numbered(lines: list[str], first: int) -> str:
    """``cat -n`` style: right-aligned line number, a tab, the line (long lines cut)."""
    out = []
    for number, line in enumerate(lines, start=first):
        if len(line) > MAX_LINE_CHARS:
            line = line[:MAX_LINE_CHARS] + f" [... line cut at {MAX_LINE_CHARS} characters]"
        out.append(f"{number:>6}\t{line}")
    return "\n".join(out)


def read(args: ReadInput, ctx: ToolContext, deadline: Deadline) -> ToolResult:
    with locate(ctx.workspace, args.file_path) as loc:
        lines = split_lines(read_text(loc, deadline))
        shown = loc.shown
    if not lines:
        return ToolResult.text(f"{shown} is empty")
    if args.view_range is None:
        start, end = 1, min(len(lines), MAX_LINES)
    else:
        start, end = args.view_range
        end = len(lines) if end == -1 else end
        if start < 1 or end < start:
            raise ToolError("view_range: must be [start, end] with 1 <= start <= end, or end -1 for the last line")
        if start > len(lines):
            raise ToolError(f"view_range: start {start} is past the end of {shown} ({len(lines)} lines)")
        end = min(end, len(lines))
    text = numbered(lines[start - 1 : end], start)
    if args.view_range is None and end < len(lines):
        text += f"\n[showing lines 1-{end} of {len(lines)}; use view_range to see more]"
    return ToolResult.text(cap_text(text, ctx.max_output))


def write(args: WriteInput, ctx: ToolContext, deadline: Deadline) -> ToolResult:
    with locate(ctx.workspace, args.file_path, make_dirs=True) as loc:
        verb = "Created" if write_text(loc, args.content, deadline) else "Overwrote"
        return ToolResult.text(f"{verb} {loc.shown} ({len(args.content)} characters)")


def line_of(text: str, index: int) -> int:
    """1-based line number of character ``index``."""
    return text.count("\n", 0, index) + 1


def edit(args: EditInput, ctx: ToolContext, deadline: Deadline) -> ToolResult:
    if not args.old_string:
        raise ToolError("old_string: must not be empty (use write to create or replace a whole file)")
    if args.old_string == args.new_string:
        raise ToolError("new_string: is the same as old_string; nothing to change")
    with locate(ctx.workspace, args.file_path) as loc:
        shown = loc.shown
        text = read_text(loc, deadline, "strict")
        count = text.count(args.old_string)
        if count == 0:
            raise ToolError(f"old_string: not found in {shown}")
        if count > 1 and not args.replace_all:
            raise ToolError(
                f"old_string: found {count} times in {shown}; add surrounding context to make it unique, "
                "or set replace_all to replace every occurrence"
            )
        new_text, starts = _replace(text, args.old_string, args.new_string)
        write_text(loc, new_text, deadline)
    if count > 1:
        lines = ", ".join(str(line_of(new_text, i)) for i in starts)
        return ToolResult.text(f"Replaced {count} occurrences in {shown} (at lines {lines})")
    first = line_of(new_text, starts[0])
    last = first + args.new_string.count("\n")
    span = f"line {first}" if first == last else f"lines {first}-{last}"
    all_lines = split_lines(new_text)
    lo = max(1, first - CONTEXT_LINES)
    snippet = numbered(all_lines[lo - 1 : last + CONTEXT_LINES], lo)
    return ToolResult.text(cap_text(f"Edited {shown} ({span}); it now reads:\n{snippet}", ctx.max_output))


def _replace(text: str, old: str, new: str) -> tuple[str, list[int]]:
    """Replace every ``old``; also return where each replacement starts in the new text."""
    pieces = text.split(old)
    starts, pos = [], 0
    for piece in pieces[:-1]:
        pos += len(piece)
        starts.append(pos)
        pos += len(new)
    return new.join(pieces), starts


async def run_read(args: ReadInput, ctx: ToolContext) -> ToolResult:
    return await off_loop(read, args, ctx)


async def run_write(args: WriteInput, ctx: ToolContext) -> ToolResult:
    return await off_loop(write, args, ctx)


async def run_edit(args: EditInput, ctx: ToolContext) -> ToolResult:
    return await off_loop(edit, args, ctx)


READ = Tool("read", ReadInput, run_read)
WRITE = Tool("write", WriteInput, run_write)
EDIT = Tool("edit", EditInput, run_edit)
