"""Custom skills through the official SDK (strict response validation) against the runtime over
loopback: uploads, versions, downloads, deletes, and an agent's skills mounted into its session."""

from __future__ import annotations

import io
import zipfile

import anthropic
import httpx
import pytest

from app.api.client import AgentClient
from app.api.errors import NotFoundError
from app.api.skill_folder import SkillFolderError, read_skill_folder
from tests.runtime.conftest import API_KEY
from tests.runtime.test_conformance_sdk import start_turn

SKILL_MD = b"---\nname: pdf-tools\ndescription: Fill and merge PDF forms.\n---\n\nUse pdftk.\n"


def upload(*files: tuple[str, bytes]) -> list[tuple[str, bytes, str]]:
    return [(name, content, "application/octet-stream") for name, content in files]


def test_a_skill_uploads_lists_and_comes_back(sdk):
    skill = sdk.beta.skills.create(
        files=upload(("pdf-tools/SKILL.md", SKILL_MD), ("pdf-tools/scripts/fill.py", b"print('fill')\n"))
    )
    assert skill.display_name == "pdf-tools" and skill.source.type == "custom" and skill.id.startswith("skill_")
    assert sdk.beta.skills.retrieve(skill.id) == skill
    assert [s.id for s in sdk.beta.skills.list()] == [skill.id]
    assert [s.id for s in sdk.beta.skills.list(source="anthropic")] == []
    version = sdk.beta.skills.versions.retrieve(skill.latest_version_id, skill_id=skill.id)
    assert (version.name, version.description) == ("pdf-tools", "Fill and merge PDF forms.")


def test_a_display_name_is_kept(sdk):
    skill = sdk.beta.skills.create(display_name="PDF helpers", files=upload(("pdf-tools/SKILL.md", SKILL_MD)))
    assert skill.display_name == "PDF helpers"


def test_new_versions_become_latest_and_download_as_zip(sdk):
    skill = sdk.beta.skills.create(files=upload(("pdf-tools/SKILL.md", SKILL_MD)))
    newer = sdk.beta.skills.versions.create(
        skill.id, files=upload(("pdf-tools/SKILL.md", SKILL_MD + b"v2\n"), ("pdf-tools/notes.txt", b"notes"))
    )
    assert sdk.beta.skills.retrieve(skill.id).latest_version_id == newer.id
    assert [v.id for v in sdk.beta.skills.versions.list(skill.id)] == [newer.id, skill.latest_version_id]
    content = sdk.beta.skills.versions.download(newer.id, skill_id=skill.id).read()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == ["pdf-tools/SKILL.md", "pdf-tools/notes.txt"]
        assert archive.read("pdf-tools/SKILL.md").endswith(b"v2\n")


def test_deleting_the_latest_version_falls_back_and_the_last_one_is_kept(sdk):
    skill = sdk.beta.skills.create(files=upload(("pdf-tools/SKILL.md", SKILL_MD)))
    newer = sdk.beta.skills.versions.create(skill.id, files=upload(("pdf-tools/SKILL.md", SKILL_MD)))
    deleted = sdk.beta.skills.versions.delete(newer.id, skill_id=skill.id)
    assert (deleted.id, deleted.type) == (newer.id, "skill_version_deleted")
    assert sdk.beta.skills.retrieve(skill.id).latest_version_id == skill.latest_version_id
    with pytest.raises(anthropic.BadRequestError, match="only version"):
        sdk.beta.skills.versions.delete(skill.latest_version_id, skill_id=skill.id)


def test_deleting_a_skill_removes_it_and_its_versions(sdk):
    skill = sdk.beta.skills.create(files=upload(("pdf-tools/SKILL.md", SKILL_MD)))
    assert sdk.beta.skills.delete(skill.id).type == "skill_deleted"
    with pytest.raises(anthropic.NotFoundError):
        sdk.beta.skills.retrieve(skill.id)
    with pytest.raises(anthropic.NotFoundError):
        sdk.beta.skills.versions.retrieve(skill.latest_version_id, skill_id=skill.id)


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ([("SKILL.md", SKILL_MD)], "relative path inside"),
        ([("a/SKILL.md", SKILL_MD), ("b/x.txt", b"")], "one top-level directory"),
        ([("pdf-tools/README.md", b"hi")], "SKILL.md is missing"),
        ([("pdf-tools/SKILL.md", b"---\nname: Not Kebab\n---\n")], "kebab-case"),
        ([("../SKILL.md", SKILL_MD)], "relative path inside"),
    ],
)
def test_a_bad_upload_is_refused_with_the_reason_and_nothing_is_stored(sdk, files, problem):
    with pytest.raises(anthropic.BadRequestError, match=problem):
        sdk.beta.skills.create(files=upload(*files))
    assert list(sdk.beta.skills.list()) == []


def test_a_new_version_must_keep_the_skill_name(sdk):
    skill = sdk.beta.skills.create(files=upload(("pdf-tools/SKILL.md", SKILL_MD)))
    with pytest.raises(anthropic.BadRequestError, match="named 'pdf-tools'"):
        sdk.beta.skills.versions.create(skill.id, files=upload(("other/SKILL.md", b"# other\n")))


def test_an_agents_skills_are_mounted_into_its_session_workspace(live_sdk):
    skill = live_sdk.beta.skills.create(
        files=upload(("pdf-tools/SKILL.md", SKILL_MD), ("pdf-tools/scripts/fill.py", b"print('fill')\n"))
    )
    env = live_sdk.beta.environments.create(name="box")
    agent = live_sdk.beta.agents.create(
        name="helper",
        model="claude-sonnet-4-6",
        tools=[{"type": "agent_toolset_20260401"}],
        skills=[{"type": "custom", "skill_id": skill.id}],
    )
    assert agent.skills[0].version == "latest"
    session = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
    stream, events = start_turn(live_sdk, session.id, "/read .claude/skills/pdf-tools/scripts/fill.py")
    stream.close()
    result = next(e for e in events if e.type == "agent.tool_result")
    assert "print('fill')" in str(result.content)


def test_an_anthropic_skill_is_named_unavailable_and_the_session_goes_on(live_sdk):
    env = live_sdk.beta.environments.create(name="box")
    agent = live_sdk.beta.agents.create(
        name="helper", model="claude-sonnet-4-6", skills=[{"type": "anthropic", "skill_id": "xlsx"}]
    )
    assert (agent.skills[0].type, agent.skills[0].skill_id) == ("anthropic", "xlsx")
    session = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
    stream, events = start_turn(live_sdk, session.id, "hello")
    stream.close()
    error = next(e for e in events if e.type == "session.error").error
    assert "'xlsx' (anthropic) is not available in the embedded runtime" in error.message
    assert error.retry_status.type == "exhausted"
    assert any(e.type == "agent.message" for e in events) and events[-1].stop_reason.type == "end_turn"
    stream, events = start_turn(live_sdk, session.id, "again")
    stream.close()
    assert not [e for e in events if e.type == "session.error"]  # said once, on the first turn


async def test_our_client_uploads_a_folder_and_manages_its_versions(served, tmp_path):
    folder = tmp_path / "pdf-tools"
    (folder / "scripts").mkdir(parents=True)
    (folder / "SKILL.md").write_bytes(SKILL_MD)
    (folder / "scripts" / "fill.py").write_text("print('fill')\n")
    async with AgentClient(API_KEY, base_url=served.base_url) as client:
        skill = await client.skills.create(read_skill_folder(folder), display_name="PDF")
        assert (skill.display_name, skill.source.type) == ("PDF", "custom")
        assert await client.skills.retrieve(skill.id) == skill
        assert [s.id async for s in client.skills.list()] == [skill.id]
        (folder / "SKILL.md").write_bytes(SKILL_MD + b"v2\n")
        newer = await client.skills.versions.create(skill.id, read_skill_folder(folder))
        assert [v.id async for v in client.skills.versions.list(skill.id)] == [newer.id, skill.latest_version_id]
        assert (await client.skills.versions.retrieve(skill.id, newer.id)).description == "Fill and merge PDF forms."
        with zipfile.ZipFile(io.BytesIO(await client.skills.versions.download(skill.id, newer.id))) as archive:
            assert sorted(archive.namelist()) == ["pdf-tools/SKILL.md", "pdf-tools/scripts/fill.py"]
        assert (await client.skills.versions.delete(skill.id, newer.id)).type == "skill_version_deleted"
        assert (await client.skills.delete(skill.id)).type == "skill_deleted"
        with pytest.raises(NotFoundError):
            await client.skills.retrieve(skill.id)


def test_a_folder_without_skill_md_is_refused_before_any_upload(tmp_path):
    with pytest.raises(SkillFolderError, match="has no SKILL.md"):
        read_skill_folder(tmp_path)
    with pytest.raises(SkillFolderError, match="is not a folder"):
        read_skill_folder(tmp_path / "missing")


def test_a_link_in_the_workspace_never_leads_the_mount_out(live_sdk, live_runtime, tmp_path):
    skill = live_sdk.beta.skills.create(files=upload(("pdf-tools/SKILL.md", SKILL_MD)))
    env = live_sdk.beta.environments.create(name="box")
    agent = live_sdk.beta.agents.create(
        name="helper", model="claude-sonnet-4-6", skills=[{"type": "custom", "skill_id": skill.id}]
    )
    session = live_sdk.beta.sessions.create(agent=agent.id, environment_id=env.id)
    outside = tmp_path / "outside"
    outside.mkdir()
    workspace = live_runtime.runtime.engine.workspace(session.id)
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / ".claude").symlink_to(outside)
    stream, events = start_turn(live_sdk, session.id, "hello")
    stream.close()
    assert events[-1].type == "session.status_idle"
    assert list(outside.iterdir()) == []


def test_a_body_that_is_not_multipart_is_refused(served):
    headers = {"x-api-key": API_KEY}
    reply = httpx.post(f"{served.base_url}/v1/skills", headers=headers, json={"files": []})
    assert reply.status_code == 400 and "multipart/form-data" in reply.json()["error"]["message"]
    broken = {**headers, "content-type": "multipart/form-data; boundary=x"}
    reply = httpx.post(f"{served.base_url}/v1/skills", headers=broken, content=b"--x\r\nnot a part")
    assert reply.status_code == 400 and reply.json()["error"]["type"] == "invalid_request_error"
