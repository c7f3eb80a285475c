"""The official SDK (strict response validation) uploads, lists, downloads and deletes files on the
embedded runtime, mounts one in a session where ``/read`` reads it, gets back what the agent wrote
under ``/mnt/session/outputs``, and adds, updates and deletes session resources."""

from __future__ import annotations

import anthropic
import pytest

from app.api.client import AgentClient
from app.api.errors import APIStatusError
from tests.runtime.test_conformance_sdk import TOOLSET, final, start_turn


@pytest.fixture
def made(live_sdk):
    """An environment and an agent with the built-in tools."""
    env = live_sdk.beta.environments.create(name="files")
    agent = live_sdk.beta.agents.create(name="reader", model="claude-sonnet-4-6", tools=[TOOLSET])
    return env, agent


def test_a_file_goes_up_comes_back_and_goes_away(live_sdk):
    uploaded = live_sdk.beta.files.upload(file=("notes.txt", b"line one\nline two\n", "text/plain"))
    assert uploaded.filename == "notes.txt" and uploaded.size_bytes == 18 and uploaded.mime_type == "text/plain"
    assert live_sdk.beta.files.retrieve_metadata(uploaded.id).id == uploaded.id
    assert [f.id for f in live_sdk.beta.files.list()] == [uploaded.id]
    assert live_sdk.beta.files.list(ids=[uploaded.id, "file_missing"]).data[0].id == uploaded.id
    assert live_sdk.beta.files.download(uploaded.id).read() == b"line one\nline two\n"
    assert live_sdk.beta.files.delete(uploaded.id).type == "file_deleted"
    assert list(live_sdk.beta.files.list()) == []
    with pytest.raises(anthropic.NotFoundError):
        live_sdk.beta.files.retrieve_metadata(uploaded.id)


def test_a_hostile_name_is_kept_as_metadata_only(live_sdk, live_runtime):
    uploaded = live_sdk.beta.files.upload(file=("../../etc/\x1bevil", b"x", "application/octet-stream"))
    assert uploaded.filename == "evil"
    stored = list((live_runtime.runtime.data_dir / "files").iterdir())
    assert [p.name for p in stored] == [uploaded.id]


def test_an_upload_that_is_not_multipart_is_refused(live_sdk):
    with pytest.raises(anthropic.BadRequestError, match="multipart"):
        live_sdk.post("/v1/files", body={"file": "nope"}, cast_to=object)


def test_a_mounted_file_is_read_and_outputs_come_back(live_sdk, made):
    env, agent = made
    uploaded = live_sdk.beta.files.upload(file=("data.csv", b"a,b\n1,2\n", "text/csv"))
    session = live_sdk.beta.sessions.create(
        agent=agent.id, environment_id=env.id, resources=[{"type": "file", "file_id": uploaded.id}]
    )
    mount = session.resources[0].mount_path
    stream, turn = start_turn(live_sdk, session.id, f"/read {mount}")
    stream.close()
    result = final(turn, "agent.tool_result")
    assert result.is_error is False and "1,2" in result.content[0].text

    stream, turn = start_turn(live_sdk, session.id, "/write /mnt/session/outputs/report.md # done")
    stream.close()
    outputs = list(live_sdk.beta.files.list(scope_id=session.id))
    assert [(f.filename, f.scope.id) for f in outputs] == [("report.md", session.id)]
    assert live_sdk.beta.files.download(outputs[0].id).read() == b"# done"


def test_a_file_added_later_is_mounted_at_the_next_turn(live_sdk, made):
    env, agent = made
    session = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
    uploaded = live_sdk.beta.files.upload(file=("later.txt", b"added later", "text/plain"))
    added = live_sdk.beta.sessions.resources.add(
        session.id, type="file", file_id=uploaded.id, mount_path="/workspace/later.txt"
    )
    assert added.file_id == uploaded.id and added.mount_path == "/workspace/later.txt"
    assert [r.id for r in live_sdk.beta.sessions.retrieve(session.id).resources] == [added.id]
    stream, turn = start_turn(live_sdk, session.id, "/read later.txt")
    stream.close()
    assert "added later" in final(turn, "agent.tool_result").content[0].text

    deleted = live_sdk.beta.sessions.resources.delete(added.id, session_id=session.id)
    assert deleted.type == "session_resource_deleted"
    assert list(live_sdk.beta.sessions.resources.list(session.id)) == []
    assert live_sdk.beta.sessions.retrieve(session.id).resources == []


def test_adding_a_missing_file_is_a_404(live_sdk, made):
    env, agent = made
    session = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
    with pytest.raises(anthropic.NotFoundError, match="file_nope"):
        live_sdk.beta.sessions.resources.add(session.id, type="file", file_id="file_nope")


def test_a_repository_token_is_replaced_and_never_returned(live_sdk, live_runtime, made):
    env, agent = made
    session = live_sdk.beta.sessions.create(
        agent=agent.id,
        environment_id=env.id,
        resources=[
            {"type": "github_repository", "url": "https://example.invalid/r.git", "authorization_token": "old-tok"}
        ],
    )
    repo = session.resources[0]
    updated = live_sdk.beta.sessions.resources.update(repo.id, session_id=session.id, authorization_token="new-tok")
    assert updated.id == repo.id and "new-tok" not in updated.model_dump_json()
    assert live_runtime.runtime.store.resource_secret(session.id, repo.id) == "new-tok"
    raw = live_sdk.beta.sessions.resources.with_raw_response.retrieve(repo.id, session_id=session.id)
    assert "tok" not in raw.text()


def test_only_a_repository_has_a_token_to_update(live_sdk, made):
    env, agent = made
    uploaded = live_sdk.beta.files.upload(file=("a.txt", b"a", "text/plain"))
    session = live_sdk.beta.sessions.create(
        agent=agent.id, environment_id=env.id, resources=[{"type": "file", "file_id": uploaded.id}]
    )
    with pytest.raises(anthropic.BadRequestError, match="github_repository"):
        live_sdk.beta.sessions.resources.update(session.resources[0].id, session_id=session.id, authorization_token="t")


async def test_agent_client_covers_files_and_session_resources(live_runtime, tmp_path):
    local = tmp_path / "brief.md"
    local.write_text("# brief\n")
    async with AgentClient(live_runtime.api_key, base_url=live_runtime.base_url) as client:
        uploaded = await client.files.upload(local)
        assert (uploaded.filename, uploaded.size_bytes, uploaded.mime_type) == ("brief.md", 8, "text/markdown")
        assert (await client.files.retrieve_metadata(uploaded.id)).filename == "brief.md"
        assert [f.id async for f in client.files.list()] == [uploaded.id]
        assert await client.files.download(uploaded.id) == b"# brief\n"

        env = await client.environments.create(name="box")
        agent = await client.agents.create(name="helper", model="claude-sonnet-4-6")
        session = await client.sessions.create(
            agent=agent.id,
            environment_id=env.id,
            resources=[
                {"type": "github_repository", "url": "https://example.invalid/r.git", "authorization_token": "a"}
            ],
        )
        repo = session.resources[0]
        added = await client.sessions.resources.add(session.id, uploaded.id, mount_path="/workspace/brief.md")
        assert (added.file_id, added.mount_path) == (uploaded.id, "/workspace/brief.md")
        updated = await client.sessions.resources.update(session.id, repo.id, authorization_token="b")
        assert updated.id == repo.id and live_runtime.runtime.store.resource_secret(session.id, repo.id) == "b"
        assert (await client.sessions.resources.delete(session.id, added.id)).type == "session_resource_deleted"
        assert [r.id async for r in client.sessions.resources.list(session.id)] == [repo.id]
        assert [f.id async for f in client.files.list(scope_id=session.id)] == []

        assert (await client.files.delete(uploaded.id)).type == "file_deleted"
        with pytest.raises(APIStatusError) as caught:
            await client.files.download(uploaded.id)
        assert caught.value.status_code == 404


def test_an_environment_in_use_is_not_deleted(live_sdk, made):
    env, agent = made
    session = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
    with pytest.raises(anthropic.BadRequestError, match="environment_in_use"):
        live_sdk.beta.environments.delete(env.id)
    live_sdk.beta.sessions.delete(session.id)
    assert live_sdk.beta.environments.delete(env.id).type == "environment_deleted"
