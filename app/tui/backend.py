"""Which Agent API the app talks to: the real one (an API key is configured) or the embedded runtime.

The TUI always talks HTTP. With no API key, :meth:`Backend.connect` attaches to the embedded runtime
of the data dir when another process runs it, else starts it on an ephemeral loopback port (and
publishes it for other processes to find), and points the client at it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.api.client import AgentClient, client_for
from app.config import Secret, Settings

if TYPE_CHECKING:  # the runtime is imported only when there is no API key
    from app.runtime.discovery import Embedded


@dataclass
class Backend:
    """A connected client plus what the header should say about it."""

    client: AgentClient
    base_url: str
    embedded: Embedded | None = None  # with no API key

    @property
    def label(self) -> str:
        """One line for the header; never contains the key."""
        if self.embedded is None:
            return f"Agent API · {self.base_url}"
        running = self.embedded.running
        if running is None:  # attached to another process's runtime
            return f"embedded runtime (no API key, pid {self.embedded.record.pid}) · {self.base_url}"
        label = f"embedded runtime (no API key) · {self.base_url}"
        return label if running.runtime.sandbox.active else f"{label} · tools unsandboxed"

    @classmethod
    async def connect(cls, settings: Settings) -> Backend:
        """Use the configured API, or start the embedded runtime when no key is configured."""
        if not settings.uses_embedded_runtime:
            return cls(
                await asyncio.to_thread(client_for, settings), settings.base_url
            )  # its pool's TLS set-up is slow
        from app.runtime.discovery import attach_or_start, runtime_folder  # only imported when it is needed

        embedded = await asyncio.to_thread(attach_or_start, runtime_folder(settings.data_dir))
        client = AgentClient(Secret(embedded.api_key), base_url=embedded.base_url)
        return cls(client, embedded.base_url, embedded=embedded)

    async def aclose(self) -> None:
        """Close the client, then stop the embedded runtime if we started it."""
        await self.client.aclose()
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)
