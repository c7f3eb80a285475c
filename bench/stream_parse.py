"""Parse a 50,000-event SSE capture into typed events: agentdeck's client vs the official SDK.

Both clients read the same bytes, in the same 16 KiB chunks, through an in-memory transport (no
sockets), so the figure is the cost of SSE decoding plus building typed events. The SDK
(`anthropic==2.10.0`, the test extra) is only imported here, never by the product.

    python3 bench/stream_parse.py [--events N] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sse_capture import capture  # noqa: E402

CHUNK = 16 * 1024
SESSION = "sesn_bench"
DELTAS = ["agent.message", "agent.thinking"]


def _chunks(data: bytes):
    async def gen():
        for i in range(0, len(data), CHUNK):
            yield data[i : i + CHUNK]

    return gen()


async def parse_with_agentdeck(data: bytes) -> int:
    """Stream the capture through ``AgentClient`` and count the typed events it yields."""
    import httpx

    from app.api.client import AgentClient

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=_chunks(data))

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AgentClient("bench-key", base_url="http://bench.invalid", max_retries=0, http_client=http) as client:
        count = 0
        async with client.sessions.events.stream(SESSION, event_deltas=DELTAS) as stream:
            async for _ in stream:
                count += 1
        return count


async def parse_with_sdk(data: bytes) -> int:
    """Stream the capture through the official SDK's ``AsyncStream`` and count its events."""
    import httpx2
    from anthropic import AsyncAnthropic

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=_chunks(data))

    http = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
    client = AsyncAnthropic(api_key="bench-key", base_url="http://bench.invalid", max_retries=0, http_client=http)
    count = 0
    stream = await client.beta.sessions.events.stream(SESSION, event_deltas=DELTAS)
    async for _ in stream:
        count += 1
    await client.close()
    return count


def best_time(parse, data: bytes, rounds: int) -> tuple[float, int]:
    """The fastest of ``rounds`` runs (the least disturbed by a noisy machine) and the event count."""
    best, count = float("inf"), 0
    for _ in range(rounds):
        start = time.perf_counter()
        count = asyncio.run(parse(data))
        best = min(best, time.perf_counter() - start)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = capture(args.events)
    ours, n_ours = best_time(parse_with_agentdeck, data, args.rounds)
    sdk, n_sdk = best_time(parse_with_sdk, data, args.rounds)
    if n_ours != n_sdk:
        sys.exit(f"event counts differ: agentdeck {n_ours}, SDK {n_sdk}")
    print(f"capture: {args.events:,} events, {len(data) / 1e6:.1f} MB, best of {args.rounds}")
    print(f"agentdeck : {ours:6.2f} s  {n_ours / ours:10,.0f} events/s")
    print(f"SDK 2.10.0: {sdk:6.2f} s  {n_sdk / sdk:10,.0f} events/s")
    print(f"ratio     : agentdeck parses {sdk / ours:.1f}x as fast as the SDK (target >= 1.5x)")


if __name__ == "__main__":
    main()
