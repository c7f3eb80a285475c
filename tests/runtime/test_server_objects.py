"""Environments, agents, sessions, threads and resources over real HTTP, through the official SDK's
strict models and our own AgentClient."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import anthropic
import httpx
import pytest

from app.api.client import AgentClient
from app.api.errors import APIStatusError
from app.runtime.log import SessionLog
from app.runtime.server import create_app
from app.runtime.store import Store
from tests.runtime.conftest import API_KEY, EchoEngine, serve_app

TOKEN = "ghp_SECRETtoken1234567890"
ASK = {"type": "always_ask"}
TOOLSET = {"type": "agent_toolset_20260401", "configs": [{"name": "write", "permission_policy": ASK}]}
LIMITED = {"type": "cloud", "networking": {"type": "limited", "allowed_hosts": ["pypi.org"]}}


@contextmanager
def refused(error: type[anthropic.APIStatusError], error_code: str) -> Iterator[None]:
    """The block raises ``error`` whose body carries ``details.error_code == error_code``."""
    with pytest.raises(error) as caught:
        yield
    assert caught.value.body["error"]["details"]["error_code"] == error_code


def make_agent(sdk, **fields):
    return sdk.beta.agents.create(**{"name": "helper", "model": "claude-sonnet-4-6", "tools": [TOOLSET], **fields})


def make_session(sdk, **fields):
    env = sdk.beta.environments.create(name="box")
    agent = make_agent(sdk)
    return sdk.beta.sessions.create(agent=agent.id, environment_id=env.id, **fields)


# ----------------------------------------------------------------------------- environments


def test_environment_round_trip(sdk):
    env = sdk.beta.environments.create(name="py", config=LIMITED, description="d", metadata={"team": "tui"})
    assert env.config.networking.allowed_hosts == ["pypi.org"]
    assert env.config.networking.allow_package_managers is False
    assert env.config.packages.pip == []
    assert sdk.beta.environments.retrieve(env.id) == env
    plain = sdk.beta.environments.create(name="open")
    assert plain.config.type == "cloud" and plain.config.networking.type == "unrestricted"


def test_environment_update_patches_and_preserves(sdk):
    env = sdk.beta.environments.create(
        name="py",
        config={
            **LIMITED,
            "packages": {"pip": ["rich"]},
            "networking": {**LIMITED["networking"], "allow_package_managers": True},
        },
        metadata={"keep": "1", "drop": "2", "blank": "3"},
    )
    updated = sdk.beta.environments.update(
        env.id,
        name="py2",
        config={"type": "cloud", "networking": {"type": "limited", "allowed_hosts": ["example.com"]}},
        metadata={"drop": None, "blank": "", "new": "4"},
    )
    assert updated.name == "py2"
    assert updated.metadata == {"keep": "1", "new": "4"}
    assert updated.config.networking.allowed_hosts == ["example.com"]
    assert updated.config.networking.allow_package_managers is True  # omitted sub-field kept
    assert updated.config.packages.pip == ["rich"]
    assert sdk.beta.environments.retrieve(env.id).name == "py2"


def test_environment_config_type_cannot_change(sdk):
    env = sdk.beta.environments.create(name="py")
    with refused(anthropic.BadRequestError, "invalid_config_type_change"):
        sdk.beta.environments.update(env.id, config={"type": "self_hosted"})


def test_environment_archive_list_delete(sdk):
    kept = sdk.beta.environments.create(name="kept")
    gone = sdk.beta.environments.create(name="gone")
    archived = sdk.beta.environments.archive(gone.id)
    assert archived.archived_at is not None
    assert [e.id for e in sdk.beta.environments.list()] == [kept.id]
    assert {e.id for e in sdk.beta.environments.list(include_archived=True)} == {kept.id, gone.id}
    with refused(anthropic.BadRequestError, "environment_archived"):
        sdk.beta.environments.update(gone.id, name="again")
    deleted = sdk.beta.environments.delete(kept.id)
    assert (deleted.id, deleted.type) == (kept.id, "environment_deleted")
    with refused(anthropic.NotFoundError, "environment_not_found"):
        sdk.beta.environments.retrieve(kept.id)


def test_pagination_follows_next_page(sdk):
    made = [sdk.beta.environments.create(name=f"e{i}").id for i in range(5)]
    first = sdk.beta.environments.list(limit=2)
    assert len(first.data) == 2 and first.next_page
    assert [e.id for e in sdk.beta.environments.list(limit=2)] == list(reversed(made))  # auto-paging
    last = sdk.beta.environments.list(limit=2, page=first.next_page)
    last = sdk.beta.environments.list(limit=2, page=last.next_page)
    assert len(last.data) == 1 and last.next_page is None


# ----------------------------------------------------------------------------- agents


def test_agent_create_resolves_defaults(sdk):
    agent = make_agent(
        sdk,
        model={"id": "claude-opus-4-8", "effort": "high"},
        skills=[{"type": "anthropic", "skill_id": "xlsx"}],
        mcp_servers=[{"type": "url", "name": "linear", "url": "https://mcp.linear.app/sse"}],
        tools=[TOOLSET, {"type": "mcp_toolset", "mcp_server_name": "linear"}],
        metadata={"owner": "me"},
    )
    assert agent.version == 1
    assert agent.model.id == "claude-opus-4-8" and agent.model.effort.type == "high"
    toolset, mcp = agent.tools
    assert toolset.default_config.permission_policy.type == "always_allow"
    assert toolset.configs[0].type == "write" and toolset.configs[0].permission_policy.type == "always_ask"
    assert mcp.default_config.permission_policy.type == "always_ask"
    assert agent.skills[0].version == "latest"
    assert agent.execution_identity.type == "service_account"
    assert sdk.beta.agents.retrieve(agent.id) == agent


def test_agent_refuses_an_mcp_toolset_without_its_server(sdk):
    with pytest.raises(anthropic.BadRequestError) as caught:
        make_agent(sdk, tools=[{"type": "mcp_toolset", "mcp_server_name": "nowhere"}])
    assert "nowhere" in caught.value.message


def test_agent_versions_only_grow_on_change(sdk):
    agent = make_agent(sdk, system="be brief", metadata={"a": "1"})
    same = sdk.beta.agents.update(agent.id, version=1, name="helper")
    assert same.version == 1
    v2 = sdk.beta.agents.update(agent.id, version=1, system="", metadata={"a": None, "b": "2"})
    assert (v2.version, v2.system, v2.metadata) == (2, None, {"b": "2"})
    v3 = sdk.beta.agents.update(agent.id, tools=[])
    assert v3.version == 3 and v3.tools == []
    assert sdk.beta.agents.retrieve(agent.id, version=1).system == "be brief"
    assert [a.version for a in sdk.beta.agents.versions.list(agent.id)] == [3, 2, 1]
    with pytest.raises(anthropic.NotFoundError):
        sdk.beta.agents.retrieve(agent.id, version=9)


def test_agent_version_conflict_is_not_retried(tmp_path):
    store = Store(tmp_path / "runtime.sqlite3")
    log = SessionLog(store)
    app = create_app(store=store, log=log, engine=EchoEngine(log), api_key=API_KEY)
    seen = []

    async def counting(scope, receive, send):
        if scope["type"] == "http":
            seen.append((scope["method"], scope["path"]))
        await app(scope, receive, send)

    with serve_app(counting) as base_url:
        sdk = anthropic.Anthropic(api_key=API_KEY, base_url=base_url, _strict_response_validation=True)
        agent = make_agent(sdk)
        sdk.beta.agents.update(agent.id, version=1, name="renamed")
        seen.clear()
        with pytest.raises(anthropic.ConflictError) as caught:
            sdk.beta.agents.update(agent.id, version=1, name="stale")
        assert caught.value.response.headers["x-should-retry"] == "false"
        assert seen == [("POST", f"/v1/agents/{agent.id}")]
        assert sdk.beta.agents.retrieve(agent.id).name == "renamed"
    store.close()


def test_agent_archive_hides_it(sdk):
    kept, gone = make_agent(sdk), make_agent(sdk)
    assert sdk.beta.agents.archive(gone.id).archived_at is not None
    assert [a.id for a in sdk.beta.agents.list()] == [kept.id]
    assert len(list(sdk.beta.agents.list(include_archived=True))) == 2


# ----------------------------------------------------------------------------- sessions


def test_session_create_snapshots_the_agent(sdk):
    env = sdk.beta.environments.create(name="box")
    agent = make_agent(sdk, system="v1 system")
    session = sdk.beta.sessions.create(
        agent=agent.id, environment_id=env.id, title="First", metadata={"client": "tests"}
    )
    sdk.beta.agents.update(agent.id, system="v2 system")
    assert session.status == "idle" and session.title == "First"
    assert (session.agent.id, session.agent.version, session.agent.system) == (agent.id, 1, "v1 system")
    assert sdk.beta.sessions.retrieve(session.id) == session

    pinned = sdk.beta.sessions.create(agent={"type": "agent", "id": agent.id, "version": 1}, environment_id=env.id)
    assert pinned.agent.system == "v1 system"
    latest = sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
    assert (latest.agent.version, latest.agent.system) == (2, "v2 system")
    custom = {"type": "custom", "name": "open_in_editor", "description": "Open", "input_schema": {"type": "object"}}
    overrides = {"system": None, "tools": [custom], "model": "claude-opus-4-8"}
    overridden = sdk.beta.sessions.create(
        agent={"type": "agent_with_overrides", "id": agent.id, **overrides},
        environment_id=env.id,
    )
    assert overridden.agent.system is None and overridden.agent.model.id == "claude-opus-4-8"
    assert [t.type for t in overridden.agent.tools] == ["custom"]


def test_session_needs_a_live_environment_and_agent(sdk):
    env = sdk.beta.environments.create(name="box")
    agent = make_agent(sdk)
    sdk.beta.environments.archive(env.id)
    with refused(anthropic.BadRequestError, "environment_archived"):
        sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
    with refused(anthropic.NotFoundError, "environment_not_found"):
        sdk.beta.sessions.create(agent=agent.id, environment_id="env_missing")
    live = sdk.beta.environments.create(name="live")
    with refused(anthropic.NotFoundError, "agent_not_found"):
        sdk.beta.sessions.create(agent="agent_missing", environment_id=live.id)


def test_session_update_emits_session_updated(sdk):
    session = make_session(sdk, title="Old", metadata={"a": "1", "b": "2"})
    updated = sdk.beta.sessions.update(session.id, title="New", metadata={"a": None, "c": "3"})
    assert (updated.title, updated.metadata) == ("New", {"b": "2", "c": "3"})
    events = list(sdk.beta.sessions.events.list(session.id))
    assert [e.type for e in events] == ["session.updated"]
    assert (events[0].title, events[0].metadata) == ("New", {"b": "2", "c": "3"})
    assert sdk.beta.sessions.update(session.id, title="New").updated_at == updated.updated_at


def test_session_list_filters_and_pages(sdk):
    env = sdk.beta.environments.create(name="box")
    first, second = make_agent(sdk), make_agent(sdk)
    made = [sdk.beta.sessions.create(agent=first.id, environment_id=env.id) for _ in range(3)]
    other = sdk.beta.sessions.create(agent=second.id, environment_id=env.id)
    sdk.beta.agents.update(first.id, name="v2")
    newer = sdk.beta.sessions.create(agent=first.id, environment_id=env.id)

    ids = lambda **kw: [s.id for s in sdk.beta.sessions.list(**kw)]  # noqa: E731
    everything = [newer.id, other.id, *reversed([s.id for s in made])]
    assert ids() == everything
    assert ids(order="asc") == list(reversed(everything))
    assert ids(agent_id=first.id, agent_version=1) == [s.id for s in reversed(made)]
    assert ids(agent_id=second.id) == [other.id]
    assert ids(statuses=["idle"]) == everything and ids(statuses=["running"]) == []
    assert ids(created_at_gt=other.created_at) == [newer.id]
    assert ids(created_at_lte=made[1].created_at, order="asc") == [made[0].id, made[1].id]
    page1 = sdk.beta.sessions.list(limit=2)
    assert page1.prev_page is None and page1.next_page
    page2 = sdk.beta.sessions.list(limit=2, page=page1.next_page)
    assert [s.id for s in page2.data] == everything[2:4] and page2.prev_page
    back = sdk.beta.sessions.list(limit=2, page=page2.prev_page)
    assert [s.id for s in back.data] == everything[:2]
    sdk.beta.sessions.archive(other.id)
    assert other.id not in ids() and other.id in ids(include_archived=True)


def test_session_delete_answers_and_forgets(sdk):
    session = make_session(sdk)
    deleted = sdk.beta.sessions.delete(session.id)
    assert (deleted.id, deleted.type) == (session.id, "session_deleted")
    with refused(anthropic.NotFoundError, "session_not_found"):
        sdk.beta.sessions.retrieve(session.id)


def test_initial_events_are_sent_in_order(sdk):
    session = make_session(
        sdk,
        initial_events=[
            {"type": "user.message", "content": [{"type": "text", "text": "one"}]},
            {"type": "user.message", "content": [{"type": "text", "text": "two"}]},
        ],
    )
    texts = [e.content[0].text for e in sdk.beta.sessions.events.list(session.id)]
    assert texts == ["one", "two"]
    with pytest.raises(anthropic.BadRequestError):
        make_session(sdk, initial_events=[{"type": "user.interrupt"}])


# ----------------------------------------------------------------------------- threads and resources


def test_primary_thread_mirrors_the_session(sdk, served):
    session = make_session(sdk)
    (thread,) = sdk.beta.sessions.threads.list(session.id)
    assert thread.parent_thread_id is None and thread.session_id == session.id
    assert thread.agent.id == session.agent.id and thread.status == "idle"
    assert sdk.beta.sessions.threads.retrieve(thread.id, session_id=session.id) == thread
    served.store.put_session({**served.store.get_session(session.id), "status": "running"})
    assert sdk.beta.sessions.threads.retrieve(thread.id, session_id=session.id).status == "running"
    assert list(sdk.beta.sessions.threads.list(session.id, statuses=["idle"])) == []
    with refused(anthropic.NotFoundError, "thread_not_found"):
        sdk.beta.sessions.threads.retrieve("sthr_missing", session_id=session.id)


def test_github_token_never_comes_back(served, sdk):
    repo = {
        "type": "github_repository",
        "url": "https://github.com/acme/widgets.git",
        "authorization_token": TOKEN,
        "checkout": {"type": "branch", "name": "main"},
    }
    file_id = sdk.beta.files.upload(file=("a.txt", b"a", "text/plain")).id
    upload = {"type": "file", "file_id": file_id}
    session = make_session(sdk, resources=[repo, upload])
    github, file = session.resources
    assert (github.mount_path, github.checkout.name) == ("/workspace/widgets", "main")
    assert file.mount_path == f"/mnt/session/uploads/{file_id}"
    assert served.store.resource_secret(session.id, github.id) == TOKEN

    headers = {"x-api-key": API_KEY}
    again = {"agent": session.agent.id, "environment_id": session.environment_id, "resources": [repo]}
    bodies = [httpx.post(f"{served.base_url}/v1/sessions", headers=headers, timeout=10, json=again).text]
    for path in (
        f"/v1/sessions/{session.id}",
        "/v1/sessions",
        f"/v1/sessions/{session.id}/resources",
        f"/v1/sessions/{session.id}/resources/{github.id}",
        f"/v1/sessions/{session.id}/events",
        f"/v1/sessions/{session.id}/threads",
    ):
        bodies.append(httpx.get(served.base_url + path, headers=headers, timeout=10).text)
    assert all(TOKEN not in body and "authorization_token" not in body for body in bodies)
    assert [r.id for r in sdk.beta.sessions.resources.list(session.id)] == [github.id, file.id]
    assert sdk.beta.sessions.resources.retrieve(file.id, session_id=session.id).file_id == file_id
    with pytest.raises(anthropic.NotFoundError):
        sdk.beta.sessions.resources.retrieve("sesrsc_missing", session_id=session.id)


# ----------------------------------------------------------------------------- our client, async SDK, restarts


async def test_async_sdk_and_agent_client_agree(served):
    async with served.async_sdk() as sdk, AgentClient(API_KEY, base_url=served.base_url) as ours:
        env = await ours.environments.create(name="box", config=LIMITED)
        agent = await sdk.beta.agents.create(name="helper", model="claude-sonnet-4-6", tools=[TOOLSET])
        session = await ours.sessions.create(agent=agent.id, environment_id=env.id, title="mine")
        seen = await sdk.beta.sessions.retrieve(session.id)
        assert (seen.title, seen.environment_id) == ("mine", env.id)
        assert [s.id async for s in ours.sessions.list()] == [session.id]
        assert [a.id async for a in sdk.beta.agents.list()] == [agent.id]
        with pytest.raises(APIStatusError) as caught:
            await ours.sessions.retrieve("sesn_missing")
        assert caught.value.status_code == 404 and caught.value.request_id.startswith("req_")


def test_objects_survive_a_restart(tmp_path):
    path = tmp_path / "runtime.sqlite3"

    def serve():
        store = Store(path)
        log = SessionLog(store)
        return store, create_app(store=store, log=log, engine=EchoEngine(log), api_key=API_KEY)

    store, app = serve()
    with serve_app(app) as base_url:
        sdk = anthropic.Anthropic(api_key=API_KEY, base_url=base_url, _strict_response_validation=True)
        session = make_session(sdk, title="kept")
        hello = {"type": "user.message", "content": [{"type": "text", "text": "hi"}]}
        sdk.beta.sessions.events.send(session.id, events=[hello])
    store.close()

    store, app = serve()
    with serve_app(app) as base_url:
        sdk = anthropic.Anthropic(api_key=API_KEY, base_url=base_url, _strict_response_validation=True)
        assert sdk.beta.sessions.retrieve(session.id) == session
        assert [e.type for e in sdk.beta.sessions.events.list(session.id)] == ["user.message"]
        assert sdk.beta.agents.retrieve(session.agent.id).name == "helper"
    store.close()
