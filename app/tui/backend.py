"""Which Agent API the app talks to: the real one (an API key is configured) or the embedded runtime.

The TUI always talks HTTP. With no API key, :meth:`Backend.connect` starts the embedded runtime on
an ephemeral loopback port (state in the data dir) and points the client at it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.api.client import AgentClient, client_for
from app.config import Secret, Settings


@dataclass
class Backend:
    """A connected client plus what the header should say about it."""

    client: AgentClient
    base_url: str
    embedded: object | None = None  # app.runtime.runtime.RunningRuntime when we started one

    @property
    def label(self) -> str:
        """One line for the header; never contains the key."""
        if self.embedded is not None:
            label = f"embedded runtime (no API key) · {self.base_url}"
            return label if self.embedded.runtime.sandbox.active else f"{label} · tools unsandboxed"
        return f"Agent API · {self.base_url}"

    @classmethod
    async def connect(cls, settings: Settings) -> Backend:
        """Use the configured API, or start the embedded runtime when no key is configured."""
        if not settings.uses_embedded_runtime:
            return cls(client_for(settings), settings.base_url)
        from app.runtime.runtime import start_in_thread  # only imported when it is needed

        running = await asyncio.to_thread(start_in_thread, settings.data_dir / "runtime")
        client = AgentClient(Secret(running.api_key), base_url=running.base_url)
        return cls(client, running.base_url, embedded=running)

    async def aclose(self) -> None:
        """Close the client, then stop the embedded runtime if we started one."""
        await self.client.aclose()
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)
