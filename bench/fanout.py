"""Fan-out: 100 live subscribers on one session of ``agentdeck serve`` while a long answer streams.

The runtime runs in its own process (as a user runs it); this process opens N streams with deltas,
sends a few turns (a long markdown answer, a bash call, a short reply) and checks that every
subscriber received every event and every delta. Delivery latency is measured on persisted events:
the time a subscriber parsed the event minus its server ``processed_at`` (same machine clock, ms
resolution).

Deltas carry no server time, so they are timed against a probe: one more subscriber, alone in a
process of its own (a plain httpx stream, no parsing beyond ``json.loads``), that notes when each
delta arrived. A delta's latency is the time a subscriber parsed it minus the time the probe got
it (deltas are matched by message id and position). The probe's own lag is shown too, on the
persisted events, against ``processed_at``: what the delta figures leave out.

Meanwhile a poller, also in a process of its own, sends a small ``GET /v1/environments`` every
50 ms over one keep-alive connection and times each reply: how responsive the server stays for
everything else while it fans out (the goal: p99 under 100 ms with 250 subscribers).

The default pace is the runtime's own default (``--pace 0.02``, as a live chat streams; the
README's flat-out figures use ``--pace 0.002 --sections 20``).

    python3 bench/fanout.py [--subscribers 100] [--sections 6] [--pace 0.02]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.api.client import AgentClient  # noqa: E402

KEY = "sk-fanout-bench"
TURNS = ["/long {sections}", "!ls -la /usr/bin | head -50", "thanks, that was quick"]


def start_server(data_dir: str, pace: float) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "--data-dir",
            data_dir,
            "serve",
            "--port",
            "0",
            "--api-key",
            KEY,
            "--pace",
            str(pace),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    match = re.search(r"serving at (http://\S+)", process.stdout.readline())
    if not match:
        process.kill()
        sys.exit("the runtime did not start")
    return process, match.group(1)


def epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def probe(base_url: str, session_id: str, turns: int) -> None:
    """The probe subscriber (``--probe``): prints ``ready`` once subscribed, then, after ``turns``
    turns, one JSON line: when each delta arrived, and its own latency on persisted events."""
    import json

    arrived: dict[str, float] = {}
    seen: dict[str, int] = {}
    latencies: list[float] = []
    ended = 0
    with httpx.Client(timeout=httpx.Timeout(10, read=None)) as http:
        url = f"{base_url}/v1/sessions/{session_id}/events/stream"
        params = {"event_deltas[]": "agent.message"}
        with http.stream("GET", url, params=params, headers={"x-api-key": KEY}) as response:
            response.raise_for_status()
            print("ready", flush=True)
            for line in response.iter_lines():
                if not line.startswith("data:"):
                    continue
                at = time.time()
                frame = json.loads(line[5:])
                kind = frame["type"]
                if kind == "event_delta":
                    position = seen.get(frame["event_id"], 0)
                    seen[frame["event_id"]] = position + 1
                    arrived[f"{frame['event_id']}:{position}"] = at
                elif kind not in ("event_start", "ping"):
                    latencies.append(at - epoch(frame["processed_at"]))
                    ended += kind == "session.status_idle"
                    if ended == turns:
                        break
    print(json.dumps({"deltas": arrived, "latencies": latencies}), flush=True)


def poll(base_url: str) -> None:
    """The poller (``--poll``): prints ``ready``, then GETs the environments every 50 ms until its
    stdin closes, then prints one JSON line: each reply's time in seconds."""
    import threading

    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    times: list[float] = []
    with httpx.Client(base_url=base_url, headers={"x-api-key": KEY}, timeout=30) as http:
        http.get("/v1/environments").raise_for_status()
        print("ready", flush=True)
        while not stop.is_set():
            start = time.perf_counter()
            http.get("/v1/environments").raise_for_status()
            took = time.perf_counter() - start
            times.append(took)
            stop.wait(max(0.0, 0.05 - took))
    print(json.dumps(times), flush=True)


async def subscribe(client: AgentClient, session_id: str, turns: int, opened: asyncio.Event, counter: list[int]):
    """Follow the stream until ``turns`` turns ended; (persisted ids, delta arrivals, latencies)."""
    ids, deltas, latencies, ended = [], [], [], 0
    seen: dict[str, int] = {}
    async with client.sessions.events.stream(session_id, event_deltas=["agent.message", "agent.thinking"]) as stream:
        counter[0] += 1
        if counter[0] == counter[1]:
            opened.set()
        async for item in stream:
            if item.type == "event_delta":
                position = seen.get(item.event_id, 0)
                seen[item.event_id] = position + 1
                deltas.append((f"{item.event_id}:{position}", time.time()))
                continue
            if item.type == "event_start":
                continue
            latencies.append(time.time() - epoch(item.processed_at))
            ids.append(item.id)
            if item.type == "session.status_idle":
                ended += 1
                if ended == turns:
                    break
    return ids, deltas, latencies


async def run(base_url: str, subscribers: int, sections: int, pace: float) -> None:
    http = httpx.AsyncClient(limits=httpx.Limits(max_connections=subscribers + 10))
    async with AgentClient(KEY, base_url=base_url, http_client=http, max_retries=0) as client:
        env = await client.environments.create(
            name="fanout", config={"type": "cloud", "networking": {"type": "unrestricted"}}
        )
        agent = await client.agents.create(
            name="fanout", model="claude-sonnet-4-6", tools=[{"type": "agent_toolset_20260401"}]
        )
        session = await client.sessions.create(agent=agent.id, environment_id=env.id, title="fanout")
        prober = subprocess.Popen(
            [sys.executable, __file__, "--probe", base_url, session.id, str(len(TURNS))],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            start_new_session=True,
        )
        poller: subprocess.Popen | None = None
        try:
            try:
                ready = await asyncio.wait_for(asyncio.to_thread(prober.stdout.readline), 60)
            except TimeoutError:
                ready = ""
            if ready.strip() != "ready":
                prober.kill()
                sys.exit("FAIL: the probe subscriber did not start")
            opened, counter = asyncio.Event(), [0, subscribers]
            tasks = [
                asyncio.create_task(subscribe(client, session.id, len(TURNS), opened, counter))
                for _ in range(subscribers)
            ]
            await asyncio.wait_for(opened.wait(), 60)
            poller = subprocess.Popen(
                [sys.executable, __file__, "--poll", base_url],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
                start_new_session=True,
            )
            if (await asyncio.to_thread(poller.stdout.readline)).strip() != "ready":
                sys.exit("FAIL: the poller did not start")
            start = time.perf_counter()
            for text in TURNS:
                await client.sessions.events.send(
                    session.id,
                    [{"type": "user.message", "content": [{"type": "text", "text": text.format(sections=sections)}]}],
                )
                while (await client.sessions.retrieve(session.id)).status != "idle":
                    await asyncio.sleep(0.05)
            results = await asyncio.gather(*tasks)
            elapsed = time.perf_counter() - start
            polled, _ = await asyncio.to_thread(poller.communicate, "", 60)
            history = [e.id async for e in client.sessions.events.list(session.id)]
            try:
                out, _ = await asyncio.to_thread(prober.communicate, timeout=60)
            except subprocess.TimeoutExpired:
                prober.kill()
                sys.exit("FAIL: the probe subscriber did not see the turns end")
        finally:
            for child in (prober, poller):
                if child is not None and child.poll() is None:  # a failure above: no child outlives the bench
                    child.kill()
                    child.wait(10)
    await http.aclose()
    probed = json.loads(out.strip().splitlines()[-1])
    reference: dict[str, float] = probed["deltas"]
    delta_counts = {len(deltas) for _, deltas, _ in results}
    complete = sum(ids == history for ids, _, _ in results)
    frames = sum(len(ids) + len(deltas) for ids, deltas, _ in results)
    latencies = sorted(x for _, _, lat in results for x in lat)
    delta_latencies = sorted(at - reference[key] for _, deltas, _ in results for key, at in deltas if key in reference)
    unmatched = sum(key not in reference for _, deltas, _ in results for key, _ in deltas)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    d50 = statistics.median(delta_latencies) * 1000
    d99 = delta_latencies[int(len(delta_latencies) * 0.99) - 1] * 1000
    own = sorted(probed["latencies"])
    gets = sorted(json.loads(polled.strip().splitlines()[-1]))
    g99 = gets[max(int(len(gets) * 0.99) - 1, 0)] * 1000
    print(
        f"subscribers      : {subscribers}, turns: {len(TURNS)} "
        f"({len(history)} persisted events, {max(delta_counts)} deltas each)"
    )
    print(
        f"complete streams : {complete}/{subscribers} got every persisted event in order; "
        f"delta counts seen: {sorted(delta_counts)}"
    )
    print(f"events delivered : {frames:,} frames in {elapsed:.2f} s = {frames / elapsed:,.0f} events/s")
    print(f"delivery latency : p50 {p50:.1f} ms, p99 {p99:.1f} ms (persisted events, {len(latencies):,} samples)")
    print(
        f"delta latency    : p50 {d50:.1f} ms, p99 {d99:.1f} ms after the probe got them "
        f"({len(delta_latencies):,} samples); "
        f"the probe trails processed_at by p50 {statistics.median(own) * 1000:.1f} ms, max {own[-1] * 1000:.1f} ms"
    )
    print(
        f"concurrent GET   : p50 {statistics.median(gets) * 1000:.1f} ms, p99 {g99:.1f} ms, "
        f"max {gets[-1] * 1000:.1f} ms "
        f"({len(gets)} GET /v1/environments, one every 50 ms while streaming)"
    )
    if complete != subscribers or len(delta_counts) != 1 or unmatched or len(reference) != max(delta_counts):
        sys.exit(f"FAIL: some subscriber missed events or deltas ({unmatched} deltas the probe never saw)")
    print(
        f"fan-out to {subscribers} subscribers at pace {pace:g}: OK, every event and delta delivered in order "
        f"(events p99 {p99:.0f} ms, deltas p99 {d99:.0f} ms, concurrent GET p99 {g99:.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--sections", type=int, default=6)
    parser.add_argument("--pace", type=float, default=0.02, help="the runtime's default, a live chat's pace")
    parser.add_argument("--probe", nargs=3, metavar=("URL", "SESSION", "TURNS"), help=argparse.SUPPRESS)
    parser.add_argument("--poll", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe[0], args.probe[1], int(args.probe[2]))
        return
    if args.poll:
        poll(args.poll)
        return
    with tempfile.TemporaryDirectory() as data_dir:
        server, base_url = start_server(data_dir, args.pace)
        try:
            asyncio.run(run(base_url, args.subscribers, args.sections, args.pace))
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
