"""Where tool processes run: inside bubblewrap when it works here, and under resource limits always.

With ``bwrap`` (Linux only) a command gets its own user, PID, IPC, UTS and cgroup namespaces, a
fresh ``/proc`` (the server's processes are invisible) and no capabilities. It sees ``/usr``, the
top-level library and binary directories and a few files of ``/etc`` read-only; a private ``/tmp``,
``/var/tmp`` and ``/dev``; and its session's workspace, writable at the same path it has outside
(and at ``/workspace``, where the file tools show it, so links made with either path work),
and its ``mnt/session`` folder at ``/mnt/session``, where session files are uploaded and outputs written.
The rest of its root is empty and read-only: not the data dir (database, other workspaces), not
any home directory. ``limited`` networking gets a network namespace of its own (no network at all,
not even the allowed hosts); ``unrestricted`` shares the host's. When the command exits, the
namespace's init dies and takes every process the command started with it, ``setsid`` included.

Without bubblewrap (not Linux, not installed, or failing its self-check) commands run directly.
Either way a command runs under :data:`MAX_CPU_SECONDS`, :data:`MAX_FILE_BYTES` and
:data:`MAX_PROCESSES` (set with ``ulimit`` in the child, never above the server's own hard limits).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: CPU seconds a tool process (and each of its children) may use.
MAX_CPU_SECONDS = 600
#: The largest file a tool process may write, in bytes.
MAX_FILE_BYTES = 4 * 2**30
#: Processes the user may have (``RLIMIT_NPROC`` counts all of the user's, only those in the
#: sandbox's user namespace on Linux 5.14 and later; root is exempt).
MAX_PROCESSES = 4096

#: Top-level directories bound read-only (or recreated as the links they are on merged-/usr systems).
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: What of ``/etc`` bash and common tools need: users, name resolution, certificates, libraries.
ETC_ENTRIES = (
    "alternatives",
    "ca-certificates",
    "ca-certificates.conf",
    "crypto-policies",
    "gai.conf",
    "group",
    "host.conf",
    "hosts",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "mime.types",
    "nsswitch.conf",
    "os-release",
    "passwd",
    "pki",
    "protocols",
    "resolv.conf",
    "services",
    "ssl",
    "timezone",
)
#: How long the start-up self-check may take, in seconds.
PROBE_TIMEOUT = 10


def limits_prefix() -> list[str]:
    """``bash -c 'ulimit ... && exec "$@"'``: runs the argv that follows under the limits."""
    flags = []
    for res, flag, value, unit in (
        (resource.RLIMIT_CPU, "-t", MAX_CPU_SECONDS, 1),
        (resource.RLIMIT_FSIZE, "-f", MAX_FILE_BYTES, 1024),
        (resource.RLIMIT_NPROC, "-u", MAX_PROCESSES, 1),
    ):
        hard = resource.getrlimit(res)[1]
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        flags.append(f"{flag} {value // unit}")
    return ["bash", "-c", f'ulimit {" ".join(flags)} && exec "$@"', "limits"]


@dataclass(frozen=True)
class Sandbox:
    """How tool processes run: inside ``bwrap`` (the path of bubblewrap) or, when it is None,
    directly; ``reason`` says why there is no sandbox."""

    bwrap: str | None = None
    reason: str = "no sandbox requested"

    @property
    def active(self) -> bool:
        return self.bwrap is not None

    def command(
        self, argv: list[str], *, workspace: Path, networking: dict[str, Any], session_dir: Path | None = None
    ) -> list[str]:
        """The argv that runs ``argv`` in ``workspace``, confined and under the limits;
        ``session_dir`` (a folder inside the workspace), when given, is shown at ``/mnt/session``."""
        limited = [*limits_prefix(), *argv]
        if self.bwrap is None:
            return limited
        return [self.bwrap, *self._arguments(workspace, networking, session_dir), "--", *limited]

    @staticmethod
    def _arguments(workspace: Path, networking: dict[str, Any], session_dir: Path | None) -> list[str]:
        args = ["--unshare-all", "--die-with-parent", "--cap-drop", "ALL"]
        if networking.get("type") != "limited":
            args.append("--share-net")
        for path in SYSTEM_DIRS:
            if os.path.islink(path):
                args += ["--symlink", os.readlink(path), path]
            else:
                args += ["--ro-bind-try", path, path]
        for name in ETC_ENTRIES:
            args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp"]
        real, given = os.path.realpath(workspace), os.path.abspath(workspace)
        for target in dict.fromkeys((real, given, "/workspace")):  # as pwd, HOME and the file tools name it
            args += ["--bind", real, target]
        if session_dir is not None:
            args += ["--bind", str(session_dir), "/mnt/session"]
        return [*args, "--remount-ro", "/", "--chdir", real]


#: Tool processes run directly: the default where no sandbox was asked for.
NO_SANDBOX = Sandbox()


def detect(enabled: bool = True) -> Sandbox:
    """The sandbox this machine offers: bubblewrap if it is on PATH and passes a trivial command
    (run once, with every namespace a session may need), else none with the reason."""
    if not enabled:
        return Sandbox(reason="sandbox turned off")
    if not sys.platform.startswith("linux"):
        return Sandbox(reason="bubblewrap needs Linux")
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return Sandbox(reason="bwrap not found (install bubblewrap)")
    candidate = Sandbox(bwrap, reason="")
    with tempfile.TemporaryDirectory(prefix="agentdeck-probe-") as workspace:
        argv = candidate.command(["true"], workspace=Path(workspace), networking={"type": "limited"})
        try:
            probe = subprocess.run(
                argv,
                env={"PATH": os.environ.get("PATH", os.defpath)},
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=PROBE_TIMEOUT,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return Sandbox(reason=f"bwrap failed its self-check: {exc}")
    if probe.returncode != 0:
        said = (probe.stderr.strip().splitlines() or [f"exit code {probe.returncode}"])[-1]
        return Sandbox(reason=f"bwrap failed its self-check: {said}")
    return candidate
