"""The path jail: how the agent's paths map onto the session's workspace directory.

The agent sees its workspace as ``/workspace``. A path given to a file tool may be

* relative: taken from the workspace root (``src/app.py``);
* absolute under ``/workspace``: ``/workspace/src/app.py`` maps to ``<dir>/src/app.py``;
* absolute under the workspace directory, as ``pwd`` prints it in bash or as ``$HOME`` names it
  (links in the data dir's path resolved or not), same meaning.

Anything else is refused. A path is resolved one component at a time from a descriptor of the
workspace directory: each directory is opened relative to the one before with ``O_NOFOLLOW``,
and a symbolic link is read and its target resolved the same way (an absolute target must lie
under one of the two roots above). ``..`` never climbs above the root. So ``../``,
``/etc/passwd`` and links that point out are refused, for reading and writing alike, and a
directory swapped for a link while a tool runs cannot lead it out: nothing is checked by name
and then opened by name again. Only regular files and directories are opened: FIFOs, sockets
and devices are refused (checked before opening, and with ``fstat`` after a non-blocking open).
Results show paths as ``/workspace/...``.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

from app.runtime.tools.base import ToolError

VIRTUAL_ROOT = PurePosixPath("/workspace")
#: Where session files are mounted (``uploads``) and written for download (``outputs``); kept in
#: the workspace as ``mnt/session``.
SESSION_ROOT = PurePosixPath("/mnt/session")
#: Symbolic links (and components that changed under us) followed in one path before giving up.
MAX_LINKS = 40
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class OutsideWorkspace(ToolError):
    """A path that leaves the workspace."""


def shown(parts: tuple[str, ...] | list[str]) -> str:
    """How the agent sees a path below the root: ``/workspace/...`` (bytes of a name that are not
    UTF-8 shown as ``\\xNN``, so the text can be stored and sent)."""
    text = str(VIRTUAL_ROOT.joinpath(*parts))
    return text if text.isascii() else os.fsencode(text).decode("utf-8", "backslashreplace")


def inside(parts: tuple[str, ...] | list[str]) -> str:
    """``parts`` as a path :func:`locate` takes (relative to the root, the names as they are)."""
    return "/".join(parts) or "."


def _roots(workspace: Path) -> tuple[str, ...]:
    """The workspace directory as written (what HOME names in bash) and with its links resolved."""
    return tuple(dict.fromkeys((os.path.realpath(workspace), os.path.abspath(workspace))))


def _below(path: PurePosixPath, roots: tuple[str, ...]) -> list[str] | None:
    """The parts of absolute ``path`` below ``/workspace`` or one of ``roots``; None if none."""
    if path.is_relative_to(SESSION_ROOT):
        return list(SESSION_ROOT.relative_to("/").parts) + list(path.relative_to(SESSION_ROOT).parts)
    for base in (VIRTUAL_ROOT, *map(PurePosixPath, roots)):
        if path.is_relative_to(base):
            return list(path.relative_to(base).parts)
    return None


def _components(text: str) -> list[str]:
    return [p for p in text.split("/") if p not in ("", ".")]


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device")):
        if test(mode):
            return name
    return "a device" if stat.S_ISBLK(mode) else "not a regular file"


class Located:
    """A path inside the workspace, held open: ``dir_fd`` is the directory holding it and
    ``name`` its last component (``None``: the path is that directory itself); ``parts`` is its
    path below the root and ``stat`` its ``lstat`` (``None`` when it does not exist yet)."""

    def __init__(self, dir_fd: int, name: str | None, parts: list[str], st: os.stat_result | None) -> None:
        self.dir_fd, self.name, self.parts, self.stat = dir_fd, name, tuple(parts), st

    def __enter__(self) -> Located:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.dir_fd)

    @property
    def shown(self) -> str:
        return shown(self.parts)

    @property
    def exists(self) -> bool:
        return self.name is None or self.stat is not None

    @property
    def is_dir(self) -> bool:
        return self.name is None or (self.stat is not None and stat.S_ISDIR(self.stat.st_mode))

    def open_dir(self) -> int:
        """A descriptor of this directory (the caller closes it)."""
        if self.name is None:
            return os.dup(self.dir_fd)
        if not self.is_dir:
            raise ToolError(f"{self.shown} is not a directory")
        try:
            return os.open(self.name, _DIR_FLAGS, dir_fd=self.dir_fd)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.ENOENT):
                raise self._changed() from None
            raise

    def open_file(self, flags: int = os.O_RDONLY) -> int:
        """A descriptor of this regular file (``O_CREAT`` in ``flags`` makes it if missing);
        directories, FIFOs, sockets and devices are refused."""
        if self.name is None or self.is_dir:  # no name: the path is the directory itself
            raise ToolError(f"{self.shown} is a directory (use glob or bash ls to list it)")
        if self.stat is None and not flags & os.O_CREAT:
            raise ToolError(f"{self.shown}: no such file")
        if self.stat is not None and not stat.S_ISREG(self.stat.st_mode):
            raise self._special(self.stat.st_mode)
        try:
            fd = os.open(self.name, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o666, dir_fd=self.dir_fd)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # a FIFO with no reader, put there since we looked
                raise self._special(stat.S_IFIFO) from None
            if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENOENT):
                raise self._changed() from None
            raise
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            os.close(fd)
            raise self._special(mode)
        os.set_blocking(fd, True)
        return fd

    def _special(self, mode: int) -> ToolError:
        return ToolError(f"{self.shown} is {_kind(mode)}; file tools only open regular files and directories")

    def _changed(self) -> ToolError:
        return ToolError(f"{self.shown} changed while it was being opened; try again")


def _relative(workspace: Path, raw: str) -> tuple[tuple[str, ...], list[str]]:
    """The roots (the real one first) and ``raw``'s components below them; refuses paths elsewhere."""
    if not raw or "\x00" in raw:
        raise ToolError("path must be a non-empty string without NUL characters")
    roots = _roots(workspace)
    path = PurePosixPath(raw)
    parts = _below(path, roots) if path.is_absolute() else _components(raw)
    if parts is None:
        raise OutsideWorkspace(f"{raw} is outside the workspace; only paths under {VIRTUAL_ROOT} are allowed")
    parts = [p for p in parts if p != "."]
    depth = 0
    for part in parts:  # climbing above the root as written is refused before looking at anything
        depth += -1 if part == ".." else 1
        if depth < 0:
            raise OutsideWorkspace(f"{raw} leads outside the workspace; only paths under {VIRTUAL_ROOT} are allowed")
    return roots, parts


def locate(workspace: Path, raw: str, *, make_dirs: bool = False) -> Located:
    """Resolve the agent's path inside ``workspace``, links followed while they stay inside.

    With ``make_dirs`` missing directories on the way are created (the last component is not).
    Use the result as a context manager: it holds a directory open.
    """
    roots, todo = _relative(workspace, raw)
    fds = [os.open(roots[0], _DIR_FLAGS & ~os.O_NOFOLLOW)]
    names: list[str] = []
    todo.reverse()
    turns = 0
    outside = OutsideWorkspace(f"{raw} leads outside the workspace; only paths under {VIRTUAL_ROOT} are allowed")
    try:
        while todo:
            name = todo.pop()
            if name == "..":
                if not names:
                    raise outside
                os.close(fds.pop())
                names.pop()
                continue
            try:
                st = os.stat(name, dir_fd=fds[-1], follow_symlinks=False)
            except FileNotFoundError:
                if not todo:
                    return Located(fds.pop(), name, [*names, name], None)
                if not make_dirs:
                    raise ToolError(f"{shown([*names, name])}: no such directory") from None
                try:
                    os.mkdir(name, dir_fd=fds[-1])
                except FileExistsError:
                    pass
                turns += 1
                todo.append(name)
                continue
            if stat.S_ISLNK(st.st_mode):
                turns += 1
                if turns > MAX_LINKS:
                    raise ToolError(f"{raw}: too many levels of symbolic links")
                target = os.readlink(name, dir_fd=fds[-1])
                if target.startswith("/"):
                    rest = _below(PurePosixPath(target), roots)
                    if rest is None:
                        raise outside
                    while len(fds) > 1:
                        os.close(fds.pop())
                    names.clear()
                    target = "/".join(rest)
                todo.extend(reversed(_components(target)))
                continue
            if not todo:
                return Located(fds.pop(), name, [*names, name], st)
            if not stat.S_ISDIR(st.st_mode):
                raise ToolError(f"{shown([*names, name])} is not a directory")
            try:
                fds.append(os.open(name, _DIR_FLAGS, dir_fd=fds[-1]))
            except OSError as exc:
                if exc.errno not in (errno.ELOOP, errno.ENOTDIR, errno.ENOENT):
                    raise
                turns += 1  # it changed since we looked: look again
                if turns > MAX_LINKS:
                    raise ToolError(f"{raw}: kept changing while being resolved") from None
                todo.append(name)
                continue
            names.append(name)
        return Located(fds.pop(), None, names, None)
    finally:
        for fd in fds:
            os.close(fd)


def resolve(workspace: Path, raw: str) -> Path:
    """The real path inside ``workspace`` the agent's path names now, for callers that must pass
    a path on (a repository's mount path, for git); makes the directories on the way, refuses
    paths that lead out."""
    Path(workspace).mkdir(parents=True, exist_ok=True)
    with locate(workspace, raw, make_dirs=True) as loc:
        return Path(os.path.realpath(workspace)).joinpath(*loc.parts)
