"""The README's SDK coverage table tells the truth: it lists every Managed Agents method of the
official SDK, and each client method it names exists on :class:`~app.api.client.AgentClient`."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from anthropic import Anthropic

from app.api.client import AgentClient
from app.config import Secret

README = Path(__file__).resolve().parents[2] / "README.md"
#: The SDK's Managed Agents families (``client.beta.<family>``).
FAMILIES = ("environments", "agents", "sessions", "files", "vaults", "memory_stores", "skills")
ROW = re.compile(r"^\| `(beta\.[a-z_.]+)` \| (`[a-z_.]+`|—) \|")


def sdk_methods() -> set[str]:
    """Every public method under ``client.beta.<family>``, as ``beta.sessions.events.send``."""
    found: set[str] = set()

    def walk(resource: object, dotted: str) -> None:
        for name in dir(resource):
            if name.startswith("_") or name.startswith("with_"):
                continue
            member = getattr(resource, name)
            if inspect.ismethod(member):
                found.add(f"{dotted}.{name}")
            elif type(member).__module__.startswith("anthropic.resources"):
                walk(member, f"{dotted}.{name}")

    beta = Anthropic(api_key="unused").beta
    for family in FAMILIES:
        walk(getattr(beta, family), f"beta.{family}")
    return found


def coverage_rows() -> dict[str, str]:
    """SDK method -> the client method the README names for it (``—`` for none)."""
    section = README.read_text(encoding="utf-8").split("## SDK coverage", 1)[1].split("\n## ", 1)[0]
    return {m[1]: m[2].strip("`") for m in map(ROW.match, section.splitlines()) if m}


def test_the_table_lists_every_managed_agents_method_of_the_sdk():
    rows = coverage_rows()
    assert set(rows) == sdk_methods()


def test_every_client_method_the_table_names_exists():
    client = AgentClient(Secret("unused"), base_url="http://127.0.0.1:9")
    for sdk, ours in coverage_rows().items():
        if ours == "—":
            continue
        target: object = client
        for part in ours.split("."):
            target = getattr(target, part, None)
            assert target is not None, f"{sdk}: the README names client.{ours}, which does not exist"
        assert callable(target), f"{sdk}: client.{ours} is not a method"
