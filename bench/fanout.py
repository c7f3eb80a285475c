"""Fan-out: 100 live subscribers on one session of ``agentdeck serve`` while a long answer streams.

The runtime runs in its own process (as a user runs it); this process opens N streams with deltas,
sends a few turns (a long markdown answer, a bash call, a short reply) and checks that every
subscriber received every event. Delivery latency is measured on persisted events: the time a
subscriber parsed the event minus its server ``processed_at`` (same machine clock, ms resolution).

    python3 bench/fanout.py [--subscribers 100] [--sections 20] [--pace 0.002]
"""

from __future__ import annotations

import argparse
import asyncio
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
        [sys.executable, "-m", "app", "--data-dir", data_dir, "serve", "--port", "0", "--api-key", KEY, "--pace", str(pace)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    match = re.search(r"serving at (http://\S+)", process.stdout.readline())
    if not match:
        process.kill()
        sys.exit("the runtime did not start")
    return process, match.group(1)


def epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


async def subscribe(client: AgentClient, session_id: str, turns: int, opened: asyncio.Event, counter: list[int]):
    """Follow the stream until ``turns`` turns ended; (persisted ids, delta count, latencies)."""
    ids, deltas, latencies, ended = [], 0, [], 0
    async with client.sessions.events.stream(session_id, event_deltas=["agent.message", "agent.thinking"]) as stream:
        counter[0] += 1
        if counter[0] == counter[1]:
            opened.set()
        async for item in stream:
            if item.type in ("event_start", "event_delta"):
                deltas += item.type == "event_delta"
                continue
            latencies.append(time.time() - epoch(item.processed_at))
            ids.append(item.id)
            if item.type == "session.status_idle":
                ended += 1
                if ended == turns:
                    break
    return ids, deltas, latencies


async def run(base_url: str, subscribers: int, sections: int) -> None:
    http = httpx.AsyncClient(limits=httpx.Limits(max_connections=subscribers + 10))
    async with AgentClient(KEY, base_url=base_url, http_client=http, max_retries=0) as client:
        env = await client.environments.create(name="fanout", config={"type": "cloud", "networking": {"type": "unrestricted"}})
        agent = await client.agents.create(name="fanout", model="claude-sonnet-4-6", tools=[{"type": "agent_toolset_20260401"}])
        session = await client.sessions.create(agent=agent.id, environment_id=env.id, title="fanout")
        opened, counter = asyncio.Event(), [0, subscribers]
        tasks = [asyncio.create_task(subscribe(client, session.id, len(TURNS), opened, counter)) for _ in range(subscribers)]
        await asyncio.wait_for(opened.wait(), 60)
        start = time.perf_counter()
        for text in TURNS:
            await client.sessions.events.send(session.id, [{"type": "user.message", "content": [{"type": "text", "text": text.format(sections=sections)}]}])
            while (await client.sessions.retrieve(session.id)).status != "idle":
                await asyncio.sleep(0.05)
        results = await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
        history = [e.id async for e in client.sessions.events.list(session.id)]
    await http.aclose()
    delta_counts = {deltas for _, deltas, _ in results}
    complete = sum(ids == history for ids, _, _ in results)
    frames = sum(len(ids) + deltas for ids, deltas, _ in results)
    latencies = sorted(x for _, _, lat in results for x in lat)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"subscribers      : {subscribers}, turns: {len(TURNS)} ({len(history)} persisted events, {max(delta_counts)} deltas each)")
    print(f"complete streams : {complete}/{subscribers} got every persisted event in order; delta counts seen: {sorted(delta_counts)}")
    print(f"events delivered : {frames:,} frames in {elapsed:.2f} s = {frames / elapsed:,.0f} events/s")
    print(f"delivery latency : p50 {p50:.1f} ms, p99 {p99:.1f} ms (persisted events, {len(latencies):,} samples)")
    if complete != subscribers or len(delta_counts) != 1:
        sys.exit("FAIL: some subscriber missed events")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--sections", type=int, default=20)
    parser.add_argument("--pace", type=float, default=0.002)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        server, base_url = start_server(data_dir, args.pace)
        try:
            asyncio.run(run(base_url, args.subscribers, args.sections))
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
