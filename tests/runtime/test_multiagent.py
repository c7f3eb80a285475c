"""Multi-agent: coordinator rosters and ``multiagent_20261001`` on agents (validated, resolved),
expanded in session snapshots; driven by the official SDK with strict response validation."""

from __future__ import annotations

import anthropic
import pytest

TOOLSET = {"type": "agent_toolset_20260401"}
MODEL = "claude-sonnet-4-6"


@pytest.fixture
def env(live_sdk):
    return live_sdk.beta.environments.create(
        name="open", config={"type": "cloud", "networking": {"type": "unrestricted"}}
    )


def test_a_coordinator_roster_resolves_to_versioned_references(live_sdk):
    helper = live_sdk.beta.agents.create(name="helper", model=MODEL, tools=[TOOLSET])
    helper = live_sdk.beta.agents.update(helper.id, version=1, description="v2")
    writer = live_sdk.beta.agents.create(name="writer", model=MODEL)
    lead = live_sdk.beta.agents.create(
        name="lead",
        model=MODEL,
        multiagent={
            "type": "coordinator",
            "agents": [helper.id, {"type": "agent", "id": writer.id, "version": 1}, {"type": "self"}],
        },
    )
    refs = [(a.type, a.id, a.version) for a in lead.multiagent.agents]
    assert refs == [("agent", helper.id, 2), ("agent", writer.id, 1), ("agent", lead.id, 1)]
    assert live_sdk.beta.agents.retrieve(lead.id).multiagent == lead.multiagent


def test_multiagent_20261001_resolves_every_member(live_sdk):
    helper = live_sdk.beta.agents.create(name="helper", model=MODEL)
    agent = live_sdk.beta.agents.create(
        name="lead",
        model=MODEL,
        multiagent={"type": "multiagent_20261001", "subagents": {"type": "enabled", "predefined_agents": [helper.id]}},
    )
    multi = agent.multiagent
    assert multi.type == "multiagent_20261001"
    assert multi.advisor.type == "disabled" and multi.workflows.type == "disabled"
    assert multi.subagents.type == "enabled" and multi.subagents.inline_agents.type == "disabled"
    assert [(r.id, r.version) for r in multi.subagents.predefined_agents] == [(helper.id, 1)]


def _refused(live_sdk, multiagent, agent_id=None):
    with pytest.raises(anthropic.BadRequestError) as caught:
        if agent_id is None:
            live_sdk.beta.agents.create(name="lead", model=MODEL, multiagent=multiagent)
        else:
            live_sdk.beta.agents.update(agent_id, version=1, multiagent=multiagent)
    return caught.value.body["error"]["message"]


def test_bad_rosters_are_refused_with_400(live_sdk):
    helper = live_sdk.beta.agents.create(name="helper", model=MODEL)
    nested = live_sdk.beta.agents.create(
        name="nested", model=MODEL, multiagent={"type": "coordinator", "agents": [helper.id]}
    )
    assert "no agent 'agent_missing'" in _refused(live_sdk, {"type": "coordinator", "agents": ["agent_missing"]})
    assert "version 9" in _refused(
        live_sdk, {"type": "coordinator", "agents": [{"type": "agent", "id": helper.id, "version": 9}]}
    )
    assert "multiagent settings itself" in _refused(live_sdk, {"type": "coordinator", "agents": [nested.id]})
    assert "between 1 and 20" in _refused(live_sdk, {"type": "coordinator", "agents": []})
    assert "between 1 and 20" in _refused(live_sdk, {"type": "coordinator", "agents": [helper.id] * 21})
    assert "listed twice" in _refused(live_sdk, {"type": "coordinator", "agents": [helper.id, helper.id]})
    assert "itself by id" in _refused(live_sdk, {"type": "coordinator", "agents": [helper.id]}, agent_id=helper.id)
    unknown = {"type": "multiagent_20261001", "subagents": {"type": "enabled", "predefined_agents": ["agent_nope"]}}
    assert "no agent 'agent_nope'" in _refused(live_sdk, unknown)


def test_a_session_snapshot_carries_the_rosters_full_definitions(live_sdk, env):
    helper = live_sdk.beta.agents.create(name="helper", model=MODEL, tools=[TOOLSET], system="I help.")
    lead = live_sdk.beta.agents.create(
        name="lead", model=MODEL, multiagent={"type": "coordinator", "agents": [helper.id, {"type": "self"}]}
    )
    session = live_sdk.beta.sessions.create(agent=lead.id, environment_id=env.id)
    first, own = session.agent.multiagent.agents
    assert (first.id, first.name, first.system, first.version) == (helper.id, "helper", "I help.", 1)
    assert first.tools[0].type == "agent_toolset_20260401"
    assert (own.id, own.name) == (lead.id, "lead")
