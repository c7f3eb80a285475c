"""Time to first paint of agentdeck's full-screen app vs a hello-world Textual app, in one run.

Each measurement is a fresh Python process (imports included) running the app headless at
120x40; the clock starts at the child's first line and stops when Textual reports the first
frame on screen (the ``Ready`` event). Two agentdeck cases:

- ``runtime running``: an embedded runtime already serves on loopback (started by this script,
  reached with its key), so the figure is the app's own cost;
- ``own runtime``: no API key and an empty data dir, so the app starts its embedded runtime
  itself (in a worker, after the first frame).

Also shown, not part of the ratio: when the environments list was loaded (runtime running) or the
backend connected (own runtime). Rounds alternate the three cases; medians are reported.

Then time to *usable* in a real terminal, from the outside: each app runs in a pseudo-terminal of
120x40 (``python3 -m app ...``, the bench playing the terminal, see ``bench/ptyapp.py``) and the
clock starts just before the process is spawned. The account holds one environment ("bench",
unrestricted networking) and one session ("startup-bench"), made over HTTP. Marks, each
the first chunk of output that contains the text:

- first paint: the environments pane's title ("Environments"); for the hello-world app (run
  normally, not headless) its "Hello, world";
- lists loaded: both the environment's row ("unrestricted") and the session's title are shown;
- usable: then ``n`` is typed at once, and the new-session form's title ("New session") shows:
  the panes take keys.

Cases: ``runtime running`` (``--base-url``/``--api-key`` of an ``agentdeck serve`` started by this
script) and ``own runtime`` (no key: the app starts its embedded runtime on a copy of a data dir
seeded the same way). Also timed: a process that only imports Textual and agentdeck's protocol
client, from spawn to exit (no pty), the floor under "lists loaded". Goal: usable <= 2x the
hello-world app's first paint in the pty (medians), in both cases; the last line says whether it
holds.

    python3 bench/startup.py [--rounds 5] [--parts headless,pty]
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # before any import: the child's clock starts here

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 40)
CASES = ("hello", "app", "app-own-runtime")
LABELS = {
    "hello": "hello-world Textual app",
    "app": "agentdeck, runtime running",
    "app-own-runtime": "agentdeck, own runtime",
}


# ----------------------------------------------------------------------------- child side


def child(case: str, base_url: str, api_key: str, data_dir: str) -> dict[str, float]:
    """Run one app headless; return seconds from T0 to first paint (and to usable, for agentdeck)."""
    marks: dict[str, float] = {}
    if case == "hello":
        from textual.app import App
        from textual.widgets import Static

        class Hello(App[None]):
            def compose(self):
                yield Static("Hello, world")

            def on_ready(self) -> None:
                marks["first_paint"] = time.perf_counter() - T0
                self.exit()

        Hello().run(headless=True, size=SIZE)
        return marks

    sys.path.insert(0, str(ROOT))
    from app.config import resolve_settings
    from app.tui.app import AgentDeckApp

    own = case == "app-own-runtime"
    settings = resolve_settings(
        api_key=None if own else api_key,
        base_url=None if own else base_url,
        data_dir=data_dir,
        config_path=Path(data_dir) / "none.toml",
        environ={},
    )

    class Timed(AgentDeckApp):
        def on_ready(self) -> None:  # runs after AgentDeckApp.on_ready (Textual calls both)
            marks["first_paint"] = time.perf_counter() - T0
            self.set_interval(0.005, self._usable)

        def _usable(self) -> None:
            listed = self.main_screen.environments.option_list.option_count > 0
            if self.backend is not None and (own or listed):
                marks["usable"] = time.perf_counter() - T0
                self.exit()

    Timed(settings).run(headless=True, size=SIZE)
    return marks


# ----------------------------------------------------------------------------- parent side


def measure(case: str, base_url: str, api_key: str) -> dict[str, float]:
    # Bytecode may be written (the warm-up round does it), as pip does when it installs agentdeck;
    # Textual's own is in site-packages already.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as data_dir:
        done = subprocess.run(
            [sys.executable, __file__, "--child", case, base_url, api_key, data_dir],
            capture_output=True,
            text=True,
            env=env,
        )
    marks = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
    if done.returncode or "first_paint" not in marks:
        raise SystemExit(f"{case} did not paint:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return marks


def hello_world() -> None:
    """The hello-world app, run normally (in the pty cases)."""
    from textual.app import App
    from textual.widgets import Static

    class Hello(App[None]):
        def compose(self):
            yield Static("Hello, world")

    Hello().run()


PTY_CASES = ("hello", "app", "app-own-runtime")
SESSION_TITLE = "startup-bench"  # short: the title column cuts longer ones


def measure_pty(case: str, server, seeded: Path) -> dict[str, float]:
    """One fresh process in a pty; seconds from spawn to first paint, lists loaded and usable."""
    from ptyapp import Terminal, app_command

    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        if case == "hello":
            command = [sys.executable, __file__, "--hello"]
            marks = {"first_paint": "Hello, world"}
        else:
            data = Path(tmp) / "client"
            if case == "app":
                command = app_command(data, base_url=server.base_url, api_key=server.api_key)
            else:
                shutil.copytree(seeded, data)  # a data dir whose embedded runtime is seeded
                command = app_command(data)
            marks = {"first_paint": "Environments", "environment": "unrestricted", "session": SESSION_TITLE}
        with Terminal(command, *SIZE) as term:
            watches = {name: term.watch(text, after=0.0) for name, text in marks.items()}
            result = {}
            for name, watch in watches.items():
                term._wait(watch.found, 120, f"{case}: {marks[name]!r} on screen")
                result[name] = watch.at - term.started_at
            if case != "hello":
                result["lists"] = max(result.pop("environment"), result.pop("session"))
                form = term.watch("New session")
                term.send("n")
                term._wait(form.found, 60, f"{case}: the new-session form after n")
                result["usable"] = form.at - term.started_at
    return result


def measure_imports() -> float:
    """Seconds from spawn to exit of a process that only imports Textual and agentdeck's protocol
    client (its models and the HTTP client): what lists loaded from the API cannot go below."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import textual.app, app.api.client"], cwd=ROOT, check=True)
    return time.perf_counter() - started


def run_pty(rounds: int) -> dict[str, dict[str, float]]:
    from ptyapp import Server, seed_account

    results: dict[str, list[dict[str, float]]] = {case: [] for case in (*PTY_CASES, "imports")}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        seeded = Path(tmp) / "seeded"
        seed_account(seeded, title=SESSION_TITLE)
        runtime = Path(tmp) / "runtime"
        shutil.copytree(seeded, runtime)
        with Server(runtime, pace=0.0) as server:
            for case in PTY_CASES:  # warm-up, not counted
                measure_pty(case, server, seeded)
            for _ in range(rounds):
                for case in PTY_CASES:
                    results[case].append(measure_pty(case, server, seeded))
                results["imports"].append({"exit": measure_imports()})
    return {
        case: {mark: statistics.median(r[mark] for r in runs) for mark in runs[0]} for case, runs in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--parts", default="headless,pty", help="which parts to run (default both)")
    parser.add_argument("--child", nargs=4, metavar=("CASE", "URL", "KEY", "DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--hello", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    if args.hello:
        hello_world()
        return
    parts = {part.strip() for part in args.parts.split(",")}
    if "headless" in parts:
        headless(args.rounds)
    if "pty" in parts:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from ptyapp import BenchError

        try:
            pty = run_pty(args.rounds)
        except BenchError as exc:
            sys.exit(f"startup: FAILED: {exc}")
        hello = pty["hello"]["first_paint"]
        print(
            f"time to usable in a pty {SIZE[0]}x{SIZE[1]} (fresh process each, from spawn), "
            f"medians of {args.rounds} rounds"
        )
        print(f"  {LABELS['hello']:<30} first paint {hello:6.3f} s")
        ratios = {}
        for case in ("app", "app-own-runtime"):
            r = pty[case]
            ratios[case] = r["usable"] / hello
            print(
                f"  {LABELS[case]:<30} first paint {r['first_paint']:6.3f} s, lists loaded {r['lists']:6.3f} s, "
                f"usable {r['usable']:6.3f} s = {ratios[case]:4.2f}x hello"
            )
        floor = pty["imports"]["exit"]
        print(
            f"  {'floor: imports only':<30} Textual and agentdeck's protocol client (models, httpx) imported "
            f"{floor:6.3f} s = {floor / hello:4.2f}x hello"
        )
        ok = all(ratio <= 2.0 for ratio in ratios.values())
        print(
            f"goal usable <= 2x hello-world first paint: {'OK' if ok else 'FAIL'} "
            f"({ratios['app']:.2f}x runtime running, {ratios['app-own-runtime']:.2f}x own runtime)"
        )


def headless(rounds: int) -> None:
    """The headless first-paint comparison (the original part of this bench)."""
    sys.path.insert(0, str(ROOT))
    from app.runtime.runtime import start_in_thread

    results: dict[str, list[dict[str, float]]] = {case: [] for case in CASES}
    with tempfile.TemporaryDirectory() as runtime_dir:
        running = start_in_thread(Path(runtime_dir), api_key="sk-bench-startup", pace=0.0)
        try:
            for case in CASES:  # warm the OS caches and write bytecode once, not counted
                measure(case, running.base_url, running.api_key)
            for _ in range(rounds):
                for case in CASES:
                    results[case].append(measure(case, running.base_url, running.api_key))
        finally:
            running.stop()

    def median(case: str, mark: str) -> float:
        return statistics.median(r[mark] for r in results[case])

    hello = median("hello", "first_paint")
    print(f"time to first paint, headless {SIZE[0]}x{SIZE[1]}, medians of {rounds} rounds (fresh process each)")
    print(f"  {LABELS['hello']:<30} {hello:6.3f} s")
    for case, usable in (("app", "environments listed"), ("app-own-runtime", "backend connected")):
        paint = median(case, "first_paint")
        print(
            f"  {LABELS[case]:<30} {paint:6.3f} s   {paint / hello:4.2f}x hello   "
            f"({usable} at {median(case, 'usable'):.3f} s)"
        )


if __name__ == "__main__":
    main()
