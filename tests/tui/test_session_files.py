"""Session files from the chat: ``@path`` in a message uploads and mounts the file, ``/read`` reads
it; the resources screen (``R``) adds a file, gives a repository a new token (masked, never shown)
and detaches; against the embedded runtime over loopback."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from app.api.transcript_blocks import ToolCallBlock
from app.tui.chat.mentions import mentioned_files, with_mounts
from app.tui.fields import FieldError
from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.one_field_form import OneFieldForm
from app.tui.screens.resources import ResourcesScreen
from tests.tui.chat_support import blocks_of, open_chat, say
from tests.tui.pilot_support import screen_text, wait_for


def file_session(seed, **extra) -> dict:
    env, agent = seed.environment(), seed.agent()
    body = {"agent": agent["id"], "environment_id": env["id"], **extra}
    return seed.post("/v1/sessions", body)


async def test_at_path_attaches_the_file_and_read_reads_it(settings, seed, runtime, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("the answer is 42\n")
    session = file_session(seed)
    async with open_chat(settings, session) as (pilot, chat):
        notices, notify = [], pilot.app.notify
        monkeypatch.setattr(
            pilot.app, "notify", lambda message, **options: (notices.append(message), notify(message, **options))
        )
        await say(pilot, "/read @./notes.txt")

        def read_call():
            return next((b for b in blocks_of(chat, ToolCallBlock) if b.name == "read" and b.result), None)

        call = await wait_for(pilot, read_call, "the read call's result")
        assert "the answer is 42" in call.result_text and not call.is_error
        resources = runtime.runtime.store.list_resources(session["id"])[0]
        assert [r["type"] for r in resources] == ["file"]
        assert call.input["file_path"] == resources[0]["mount_path"]
        assert notices == [f"Attached notes.txt at {resources[0]['mount_path']}"]


async def test_a_missing_at_path_keeps_the_message(settings, seed, runtime):
    session = file_session(seed)
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "look at @./nowhere.txt")
        await wait_for(pilot, lambda: "no such file" in screen_text(pilot.app), "the problem")
        assert runtime.runtime.store.list_events(session["id"], types=["user.message"], limit=5)[0] == []


def test_mentions_are_paths_only():
    with pytest.raises(FieldError, match="@./missing"):
        mentioned_files("see @./missing and @alice")
    assert mentioned_files("hi @alice, mail me@example.org") == {}
    assert with_mounts("/read @./a.txt now", {"./a.txt": "/mnt/session/uploads/file_1"}) == (
        "/read /mnt/session/uploads/file_1 now"
    )


async def test_resources_screen_adds_rotates_and_detaches(settings, seed, runtime, tmp_path):
    repo = {
        "type": "github_repository",
        "url": "https://example.invalid/acme/widgets.git",
        "authorization_token": "old",
    }
    session = file_session(seed, resources=[repo])
    local = tmp_path / "data.csv"
    local.write_text("a,b\n")
    store = runtime.runtime.store
    async with open_chat(settings, session) as (pilot, chat):
        chat.action_focus_transcript()
        await pilot.press("R")
        screen = await wait_for(
            pilot, lambda: isinstance(pilot.app.screen, ResourcesScreen) and pilot.app.screen, "resources"
        )
        await wait_for(pilot, lambda: len(screen.items) == 1, "the repository")
        assert "https://example.invalid/acme/widgets.git" in screen_text(pilot.app)

        await pilot.press("t")
        form = await wait_for(pilot, lambda: isinstance(pilot.app.screen, OneFieldForm) and pilot.app.screen, "form")
        field = form.query_one("#value-field", Input)
        assert field.password  # typed masked
        field.value = "s3cret-new-token"
        await pilot.press("enter")
        repo_id = screen.items[0].id
        await wait_for(
            pilot, lambda: store.resource_secret(session["id"], repo_id) == "s3cret-new-token", "the new token"
        )
        assert "s3cret" not in screen_text(pilot.app)

        await pilot.press("a")
        form = await wait_for(pilot, lambda: isinstance(pilot.app.screen, OneFieldForm) and pilot.app.screen, "form")
        form.query_one("#value-field", Input).value = str(local)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(screen.items) == 2, "the added file")
        assert [r.type for r in screen.items] == ["github_repository", "file"]
        assert "/mnt/session/uploads/file_" in screen_text(pilot.app)

        await pilot.press("down", "d")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: len(screen.items) == 1, "the file to be detached")
        assert [r["type"] for r in store.list_resources(session["id"])[0]] == ["github_repository"]
