"""Bash in a session, through the official SDK (strict validation) over loopback with real bash:
``/mnt/session`` (uploads in, outputs out) with and without bubblewrap, and the variables of the
session's ``environment_variable`` credentials, whose values never reach an event or the log."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator

import anthropic
import pytest

from tests.runtime.conftest import strict_sdk
from tests.runtime.test_conformance_sdk import start_turn
from tests.runtime.test_sandbox import needs_bwrap, sandboxed, unsandboxed  # noqa: F401 (fixtures)

TOOLSET = {"type": "agent_toolset_20260401"}
SECRET = "sk-live-credential-value-4711"
UNRESTRICTED = {"type": "unrestricted"}


@pytest.fixture
def sandboxed_sdk(sandboxed) -> Iterator[anthropic.Anthropic]:  # noqa: F811 (the imported fixture)
    with strict_sdk(sandboxed[0]) as sdk:
        yield sdk


@pytest.fixture
def unsandboxed_sdk(unsandboxed) -> Iterator[anthropic.Anthropic]:  # noqa: F811 (the imported fixture)
    with strict_sdk(unsandboxed[0]) as sdk:
        yield sdk


def new_session(sdk: anthropic.Anthropic, networking: dict = UNRESTRICTED, **options) -> str:
    env = sdk.beta.environments.create(name="box", config={"type": "cloud", "networking": networking})
    agent = sdk.beta.agents.create(name="box", model="claude-sonnet-4-6", tools=[TOOLSET])
    return sdk.beta.sessions.create(agent=agent.id, environment_id=env.id, **options).id


def turn(sdk: anthropic.Anthropic, session_id: str, text: str) -> list:
    stream, events = start_turn(sdk, session_id, text)
    stream.close()
    return events


def bash(sdk: anthropic.Anthropic, session_id: str, command: str) -> tuple[str, bool]:
    """Run ``command`` with bash in the session: its output and whether it failed."""
    result = next(e for e in turn(sdk, session_id, f"!{command}") if e.type == "agent.tool_result")
    return result.content[0].text, bool(result.is_error)


def uploads_and_outputs(sdk: anthropic.Anthropic, folder: str) -> None:
    """An uploaded file is listed and read under ``folder``/uploads, and a file bash writes under
    ``folder``/outputs becomes a downloadable output file of the session."""
    uploaded = sdk.beta.files.upload(file=("data.csv", b"a,b\n1,2\n", "text/csv"))
    session_id = new_session(sdk, resources=[{"type": "file", "file_id": uploaded.id}])
    assert bash(sdk, session_id, f'ls "{folder}/uploads"') == (f"{uploaded.id}\n", False)
    assert bash(sdk, session_id, f'cat "{folder}/uploads/{uploaded.id}"') == ("a,b\n1,2\n", False)
    assert bash(sdk, session_id, f'echo made by bash > "{folder}/outputs/x.txt"') == ("(no output)", False)
    outputs = list(sdk.beta.files.list(scope_id=session_id))
    assert [f.filename for f in outputs] == ["x.txt"]
    assert sdk.beta.files.download(outputs[0].id).read() == b"made by bash\n"


@needs_bwrap
def test_sandboxed_bash_sees_the_session_files_at_mnt_session(sandboxed_sdk):
    uploads_and_outputs(sandboxed_sdk, "/mnt/session")
    vault_id, _ = vault_with(sandboxed_sdk)
    session_id = new_session(sandboxed_sdk, vault_ids=[vault_id])
    assert bash(sandboxed_sdk, session_id, "echo $MNT_SESSION ${SERVICE_KEY:+set}") == ("/mnt/session set\n", False)


@needs_bwrap
def test_a_link_that_leads_mnt_out_is_not_mounted_and_bash_can_repair_it(sandboxed_sdk):
    session_id = new_session(sandboxed_sdk)
    assert bash(sandboxed_sdk, session_id, "rm -r mnt && ln -s /etc mnt") == ("(no output)", False)
    text, _ = bash(sandboxed_sdk, session_id, "ls /mnt/session; echo ${MNT_SESSION:-unset}; rm mnt")
    assert "passwd" not in text and text.endswith("No such file or directory\nunset\n")
    assert bash(sandboxed_sdk, session_id, "ls /mnt/session") == ("outputs\nuploads\n", False)


def test_unsandboxed_bash_finds_the_session_files_through_mnt_session_variable(unsandboxed_sdk):
    uploads_and_outputs(unsandboxed_sdk, "$MNT_SESSION")
    session_id = new_session(unsandboxed_sdk)
    text, _ = bash(unsandboxed_sdk, session_id, 'echo "$MNT_SESSION"; pwd')
    folder, workspace = text.splitlines()
    assert folder == f"{workspace}/mnt/session"


def vault_with(sdk: anthropic.Anthropic, **auth) -> tuple[str, str]:
    """A vault holding one ``environment_variable`` credential: the vault's and credential's ids."""
    vault = sdk.beta.vaults.create(display_name="keys")
    auth = {"type": "environment_variable", "secret_name": "SERVICE_KEY", "secret_value": SECRET, **auth}
    auth.setdefault("networking", UNRESTRICTED)
    credential = sdk.beta.vaults.credentials.create(vault.id, auth=auth)
    return vault.id, credential.id


def test_bash_sees_the_credential_variable_and_no_event_or_log_shows_its_value(unsandboxed_sdk, caplog):
    caplog.set_level(logging.DEBUG)
    vault_id, _ = vault_with(unsandboxed_sdk)
    session_id = new_session(unsandboxed_sdk, vault_ids=[vault_id])
    assert bash(unsandboxed_sdk, session_id, "echo ${SERVICE_KEY:+set}") == ("set\n", False)
    digest = hashlib.sha256(SECRET.encode()).hexdigest()
    assert bash(unsandboxed_sdk, session_id, 'printf %s "$SERVICE_KEY" | sha256sum') == (f"{digest}  -\n", False)
    assert bash(unsandboxed_sdk, session_id, 'echo "key=$SERVICE_KEY"') == ("key=[secret]\n", False)
    events = unsandboxed_sdk.beta.sessions.events.list(session_id, limit=1000)
    assert SECRET not in events.to_json()
    logged = [
        r.getMessage() for r in caplog.records if not r.name.startswith("anthropic")
    ]  # the SDK logs what it sends
    assert logged and not any(SECRET in line for line in logged)


def test_a_name_that_cannot_be_a_variable_is_refused(unsandboxed_sdk):
    with pytest.raises(anthropic.BadRequestError, match="secret_name must be a variable name"):
        vault_with(unsandboxed_sdk, secret_name="SERVICE-KEY")


def test_a_session_without_the_vault_has_no_such_variable(unsandboxed_sdk):
    vault_with(unsandboxed_sdk)
    session_id = new_session(unsandboxed_sdk)
    assert bash(unsandboxed_sdk, session_id, "echo ${SERVICE_KEY:-unset}") == ("unset\n", False)


def test_a_credential_for_a_host_the_environment_cannot_reach_is_a_session_error(unsandboxed_sdk):
    networking = {"type": "limited", "allowed_hosts": ["api.stripe.com"]}
    vault_id, credential_id = vault_with(
        unsandboxed_sdk, networking={"type": "limited", "allowed_hosts": ["api.example.com"]}
    )
    session_id = new_session(unsandboxed_sdk, networking=networking, vault_ids=[vault_id])
    events = turn(unsandboxed_sdk, session_id, "!echo ${SERVICE_KEY:-unset}")
    error = next(e for e in events if e.type == "session.error").error
    assert (error.type, error.credential_id, error.vault_id) == (
        "credential_host_unreachable_error",
        credential_id,
        vault_id,
    )
    assert "SERVICE_KEY" in error.message and "api.example.com" in error.message
    result = next(e for e in events if e.type == "agent.tool_result")
    assert result.content[0].text == "unset\n"


def test_a_credential_for_an_allowed_host_is_set_in_a_limited_environment(unsandboxed_sdk):
    networking = {"type": "limited", "allowed_hosts": ["example.com"]}
    vault_id, _ = vault_with(unsandboxed_sdk, networking={"type": "limited", "allowed_hosts": ["api.example.com"]})
    session_id = new_session(unsandboxed_sdk, networking=networking, vault_ids=[vault_id])
    events = turn(unsandboxed_sdk, session_id, "!echo ${SERVICE_KEY:+set}")
    assert not [e for e in events if e.type == "session.error"]
    assert next(e for e in events if e.type == "agent.tool_result").content[0].text == "set\n"
