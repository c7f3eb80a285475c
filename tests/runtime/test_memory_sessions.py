"""Memory stores attached to sessions, driven by the official SDK (strict) against the whole
embedded runtime: the offline model's ``/remember`` and ``/recall`` go through the memory tool, and
a second session recalls what the first remembered."""

from __future__ import annotations

import anthropic
import pytest

from tests.runtime.test_conformance_sdk import TOOLSET, final, start_turn, types


@pytest.fixture
def memory_setup(live_sdk):
    env = live_sdk.beta.environments.create(name="box")
    agent = live_sdk.beta.agents.create(name="helper", model="claude-sonnet-4-6", tools=[TOOLSET])
    store = live_sdk.beta.memory_stores.create(name="Team Notes!", description="facts about the team")
    return env, agent, store


def session_with(live_sdk, env, agent, store, **attachment):
    resource = {"type": "memory_store", "memory_store_id": store.id, **attachment}
    return live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id, resources=[resource])


def test_the_store_is_mounted_with_its_name_and_description(live_sdk, memory_setup):
    env, agent, store = memory_setup
    session = session_with(live_sdk, env, agent, store, instructions="keep it short")
    mounted = session.resources[0]
    assert (mounted.type, mounted.memory_store_id, mounted.mount_path) == (
        "memory_store",
        store.id,
        "/mnt/memory/team-notes",
    )
    assert (mounted.name, mounted.access, mounted.instructions) == ("Team Notes!", "read_write", "keep it short")
    assert [r.memory_store_id for r in live_sdk.beta.sessions.resources.list(session.id)] == [store.id]
    assert [s.id for s in live_sdk.beta.sessions.list(memory_store_id=store.id)] == [session.id]


def test_a_second_session_recalls_what_the_first_remembered(live_sdk, memory_setup):
    env, agent, store = memory_setup
    first = session_with(live_sdk, env, agent, store)
    _, events = start_turn(live_sdk, first.id, "/remember Ana takes her tea without sugar")
    use = final(events, "agent.tool_use")
    assert (use.name, use.input["command"]) == ("memory", "create")
    assert "I'll remember that" in final(events, "agent.message").content[0].text

    [memory] = live_sdk.beta.memory_stores.memories.list(store.id, view="full")
    assert memory.content == "Ana takes her tea without sugar"
    [version] = live_sdk.beta.memory_stores.memory_versions.list(store.id)
    assert version.created_by.type == "session_actor" and version.created_by.session_id == first.id
    assert [v.id for v in live_sdk.beta.memory_stores.memory_versions.list(store.id, session_id=first.id)] == [
        version.id
    ]
    assert list(live_sdk.beta.memory_stores.memory_versions.list(store.id, api_key_id="apikey_other")) == []

    second = session_with(live_sdk, env, agent, store)
    _, events = start_turn(live_sdk, second.id, "/recall how does Ana take her tea?")
    assert final(events, "agent.tool_use").input == {"command": "search", "query": "how does Ana take her tea?"}
    answer = final(events, "agent.message").content[0].text
    assert "Ana takes her tea without sugar" in answer and "/mnt/memory/team-notes/remembered/" in answer


def test_recall_with_nothing_stored_says_so_and_remember_without_a_store_explains(live_sdk, memory_setup):
    env, agent, store = memory_setup
    session = session_with(live_sdk, env, agent, store)
    _, events = start_turn(live_sdk, session.id, "/recall birthdays")
    assert "I don't remember anything about *birthdays*" in final(events, "agent.message").content[0].text

    bare = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
    _, events = start_turn(live_sdk, bare.id, "/remember something")
    assert "agent.tool_use" not in types(events)
    assert "No writable memory store" in final(events, "agent.message").content[0].text


def test_a_read_only_store_refuses_the_memory_tool_writes(live_sdk, memory_setup):
    env, agent, store = memory_setup
    session = session_with(live_sdk, env, agent, store, access="read_only")
    _, events = start_turn(live_sdk, session.id, "/remember nope")
    assert "No writable memory store" in final(events, "agent.message").content[0].text
    assert list(live_sdk.beta.memory_stores.memories.list(store.id)) == []


def test_an_archived_or_missing_store_cannot_be_attached(live_sdk, memory_setup):
    env, agent, store = memory_setup
    live_sdk.beta.memory_stores.archive(store.id)
    with pytest.raises(anthropic.BadRequestError, match="archived"):
        session_with(live_sdk, env, agent, store)
    with pytest.raises(anthropic.NotFoundError):
        live_sdk.beta.sessions.create(
            agent=agent.id,
            environment_id=env.id,
            resources=[{"type": "memory_store", "memory_store_id": "memstore_missing"}],
        )
