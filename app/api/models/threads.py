"""Session threads: the primary thread and the child threads of multi-agent sessions (reference §3.6)."""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from app.api.models.agents import AgentDefinition, AgentSnapshot
from app.api.models.base import Timestamp, WireModel
from app.api.models.unions import BY_TYPE, KNOWN_FIRST, Fallback, Tagged, tag_other_than
from app.api.models.usage import SessionUsage


class AdvisorAgent(Tagged):
    """An advisor thread: just a model."""

    type: Literal["advisor"] = "advisor"
    model: str


class InlineAgent(AgentDefinition, Tagged):
    """An agent defined on the fly by its parent: no id, no version."""

    type: Literal["inline"] = "inline"


_KnownThreadAgent: TypeAlias = Annotated[AgentSnapshot | AdvisorAgent | InlineAgent, BY_TYPE]


class UnknownThreadAgent(Fallback):
    """A thread agent type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(_KnownThreadAgent)]


#: The agent a thread runs.
ThreadAgent: TypeAlias = Annotated[_KnownThreadAgent | UnknownThreadAgent, KNOWN_FIRST]


class ThreadStats(WireModel):
    active_seconds: float | None = None
    duration_seconds: float | None = None
    startup_seconds: float | None = None


class SessionThread(Tagged):
    """One thread of a session; ``parent_thread_id`` is ``None`` for the primary thread.

    ``status``: ``running``, ``idle``, ``rescheduling`` or ``terminated``.
    """

    type: Literal["session_thread"] = "session_thread"
    id: str
    session_id: str
    parent_thread_id: str | None = None
    agent: ThreadAgent
    status: str
    stats: ThreadStats | None = None
    usage: SessionUsage | None = None
    workflow_run_id: str | None = None
    created_at: Timestamp
    updated_at: Timestamp
    archived_at: Timestamp | None = None
