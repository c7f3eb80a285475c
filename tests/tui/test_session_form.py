"""The new session form, driven through the sessions pane against the embedded runtime."""

from __future__ import annotations

import pytest

from app.tui.screens.session_form import NEW, SessionFormScreen
from app.tui.screens.session_spec import (
    InvalidField,
    check_agent,
    check_repo,
    parse_metadata,
)
from tests.tui.conftest import TERMINAL, settings_for
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.sessions_support import PaneApp, open_form

TOKEN = "ghp_ThisIsTheSecretToken0123456789"


def server_get(seed, path: str) -> dict:
    reply = seed.http.get(path)
    reply.raise_for_status()
    return reply.json()


def sessions_on_server(seed) -> list[dict]:
    return server_get(seed, "/v1/sessions")["data"]


def test_metadata_lines_and_repository_rules() -> None:
    assert parse_metadata("team = infra\n\nticket=42\n") == {"team": "infra", "ticket": "42"}
    for text, message in [
        ("no equals sign", "Line 1: write key=value (got 'no equals sign')."),
        ("a=1\na=2", "Line 2: the key 'a' is given twice."),
        ("\n".join(f"k{i}=v" for i in range(17)), "At most 16 metadata pairs (17 given)."),
    ]:
        with pytest.raises(InvalidField) as caught:
            parse_metadata(text)
        assert (caught.value.field, caught.value.message) == ("metadata", message)

    repo = check_repo("https://github.com/owner/repo", TOKEN, "commit", "abc1234", "/workspace/r")
    assert repo.body() == {
        "type": "github_repository",
        "url": "https://github.com/owner/repo",
        "authorization_token": TOKEN,
        "checkout": {"type": "commit", "sha": "abc1234"},
        "mount_path": "/workspace/r",
    }
    assert TOKEN not in repr(repo)
    assert check_repo("", "", "branch", "", "") is None
    for args, field in [
        (("github.com/owner/repo", "", "branch", "", ""), "repo-url"),
        (("", TOKEN, "branch", "", ""), "repo-url"),
        (("https://github.com/o/r", "", "commit", "main", ""), "repo-ref"),
        (("https://github.com/o/r", "", "branch", "main", "relative/path"), "repo-mount"),
    ]:
        with pytest.raises(InvalidField) as caught:
            check_repo(*args)
        assert caught.value.field == field
        assert TOKEN not in caught.value.message


async def test_create_a_session_with_an_existing_agent(settings, seed) -> None:
    dev, ops = seed.environment("dev"), seed.environment("ops")
    agent = seed.agent("helper", ask=("bash",))
    seed.session(dev, agent, "already here")
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.pane.rows, what="rows")
        app.pane.show_environment(ops["id"])
        form = await open_form(pilot)
        assert form.query_one("#environment").value == ops["id"]  # preselected from the pane
        assert form.query_one("#agent").value == agent["id"]
        text = screen_text(app)
        assert "claude-sonnet-4-6 · all built-in tools · asks first: bash" in text
        await pilot.press(*"Deploy [v2]")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionFormScreen), what="the form to close")

        created = [s for s in sessions_on_server(seed) if s["title"] == "Deploy [v2]"]
        assert len(created) == 1
        assert created[0]["environment_id"] == ops["id"] and created[0]["agent"]["id"] == agent["id"]
        assert app.opened == [created[0]["id"]]  # a new session opens
        assert list(app.pane.rows)[0] == created[0]["id"]
        assert app.pane.selected_session_id == created[0]["id"]


async def test_create_a_session_with_a_newly_defined_agent(settings, seed) -> None:
    env = seed.environment("dev")
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        form = await open_form(pilot)
        assert form.query_one("#agent").value == NEW  # no agents yet: define one
        assert form.query_one("#new-agent").display
        form.query_one("#title").value = "with a new agent"
        form.query_one("#agent-name").value = "reviewer"
        form.query_one("#model").value = "other"
        await pilot.pause()
        assert form.query_one("#model-id").display
        form.query_one("#model-id").value = "claude-test-model"
        form.query_one("#system").text = "Review carefully."
        form.query_one("#tool-web_search").value = False
        form.query_one("#policy-bash").value = "always_ask"
        form.query_one("#metadata").text = "team=infra\nticket = 42"
        await pilot.click("#create")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionFormScreen), what="the form to close")

        session = next(s for s in sessions_on_server(seed) if s["title"] == "with a new agent")
        assert session["environment_id"] == env["id"]
        assert session["metadata"] == {"team": "infra", "ticket": "42"}
        agent = server_get(seed, f"/v1/agents/{session['agent']['id']}")
        assert agent["name"] == "reviewer"
        assert agent["model"]["id"] == "claude-test-model"
        assert agent["system"] == "Review carefully."
        configs = {c["name"]: c for c in agent["tools"][0]["configs"]}
        assert configs["bash"]["permission_policy"]["type"] == "always_ask"
        assert configs["read"]["permission_policy"]["type"] == "always_allow"
        assert configs["web_search"]["enabled"] is False
        assert all(configs[name]["enabled"] for name in ("bash", "read", "write", "edit", "glob", "grep", "web_fetch"))


async def test_with_no_environment_the_form_creates_a_default_one(settings, seed) -> None:
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        form = await open_form(pilot)
        assert form.query_one("#environment").value == NEW
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionFormScreen), what="the form to close")
        environments = server_get(seed, "/v1/environments")["data"]
        assert [e["name"] for e in environments] == ["default"]
        (session,) = sessions_on_server(seed)
        assert session["environment_id"] == environments[0]["id"]
        assert session["agent"]["name"] == "assistant"


async def test_the_token_is_masked_and_never_on_screen(settings, seed) -> None:
    env, agent = seed.environment(), seed.agent()
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        form = await open_form(pilot)
        assert form.query_one("#repo-token").password
        form.query_one("#title").value = "private repo"
        form.query_one("#repo-url").value = "https://github.com/acme/private"
        form.query_one("#repo-token").focus()
        await pilot.press(*TOKEN)
        form.query_one("#repo-ref").value = "main"
        await pilot.pause()
        assert form.query_one("#repo-token").value == TOKEN
        assert TOKEN not in screen_text(app)
        assert TOKEN[:8] not in app.export_screenshot()
        assert "•" * 8 in screen_text(app)

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionFormScreen), what="the form to close")
        assert TOKEN not in screen_text(app)
        assert not any(TOKEN in notice for notice in app.notices)
        session = next(s for s in sessions_on_server(seed) if s["title"] == "private repo")
        (resource,) = session["resources"]
        assert resource["url"] == "https://github.com/acme/private"
        assert resource["checkout"] == {"type": "branch", "name": "main"}
        assert "authorization_token" not in resource
        assert session["environment_id"] == env["id"] and session["agent"]["id"] == agent["id"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("#metadata", "just words", "Line 1: write key=value (got 'just words')."),
        ("#repo-url", "not a url", "A repository URL looks like https://github.com/owner/repo."),
        ("#title", "t" * 300, "A title is at most 256 characters (this one has 300)."),
    ],
)
async def test_a_bad_field_is_shown_focused_and_nothing_typed_is_lost(settings, seed, field, value, message) -> None:
    seed.environment(), seed.agent()
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        form = await open_form(pilot)
        if field != "#title":
            form.query_one("#title").value = "keep this title"
        widget = form.query_one(field)
        if field == "#metadata":
            widget.text = value
        else:
            widget.value = value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SessionFormScreen)
        assert message in screen_text(app)
        assert widget.has_focus and widget.has_class("bad-field")
        assert (widget.text if field == "#metadata" else widget.value) == value
        if field != "#title":
            assert form.query_one("#title").value == "keep this title"
        assert sessions_on_server(seed) == []


async def test_a_custom_model_needs_an_id(settings, seed) -> None:
    seed.environment()
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        form = await open_form(pilot)
        form.query_one("#model").value = "other"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Type the model id" in screen_text(app)
        assert form.query_one("#model-id").has_focus


async def test_an_api_error_is_shown_inline_and_the_form_keeps_its_text(settings, seed) -> None:
    env, agent = seed.environment("doomed"), seed.agent()
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        app.pane.show_environment(env["id"])
        form = await open_form(pilot)
        seed.post(f"/v1/environments/{env['id']}/archive")  # archived after the form loaded it
        form.query_one("#title").value = "will fail"
        form.query_one("#metadata").text = "a=b"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form.query_one("#session-form-error").display, what="the error line")
        error = str(form.query_one("#session-form-error").content)
        assert error.startswith("400 invalid_request_error") and "archived" in error
        assert form.query_one("#environment").has_focus
        assert form.query_one("#title").value == "will fail"
        assert form.query_one("#metadata").text == "a=b"
        assert not form.query_one("#create").disabled
        assert agent["id"] and sessions_on_server(seed) == []


async def test_escape_cancels(settings, seed) -> None:
    seed.environment(), seed.agent()
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await open_form(pilot)
        await pilot.press("escape")
        assert not isinstance(app.screen, SessionFormScreen)
        assert app.opened == [] and sessions_on_server(seed) == []


async def test_once_loaded_the_choices_have_no_loading_entry(settings, seed) -> None:
    seed.environment("dev"), seed.agent("helper")
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        form = await open_form(pilot)
        form.query_one("#agent").focus()
        await pilot.press("enter")  # open the list of agents
        await wait_for(pilot, lambda: "Define a new agent…" in screen_text(app), what="the agents")
        assert "loading…" not in screen_text(app)


async def test_a_list_that_fails_says_which_one(runtime, tmp_path) -> None:
    app = PaneApp(settings_for(runtime.base_url, "sk-wrong", tmp_path))
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionFormScreen), what="the form")
        await wait_for(pilot, lambda: "Could not list environments: 401" in screen_text(app), what="the error")


async def test_an_unreadable_agent_is_left_out_of_the_choices_and_said(settings, seed) -> None:
    seed.environment("dev")
    agent = seed.agent("helper")
    odd = {**server_get(seed, f"/v1/agents/{agent['id']}"), "id": "agent_from_the_future", "version": "two"}
    seed.runtime.runtime.store.put_agent(odd)
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        form = await open_form(pilot)
        assert form.query_one("#agent").value == agent["id"], "the readable agent is offered"
        assert [n for n in app.notices if "unreadable" in n] == [
            "1 unreadable agent skipped (agent_from_the_future: version: Input should be a valid integer, "
            "unable to parse string as an integer)"
        ]


async def test_a_new_agent_becomes_a_coordinator_of_the_agents_picked_in_its_roster(settings, seed) -> None:
    env = seed.environment("dev")
    helper = seed.agent("helper", ask=("bash",))
    other = seed.agent("other")
    roster = {"type": "coordinator", "agents": [other["id"]]}
    lead = seed.post("/v1/agents", {"name": "old lead", "model": "claude-sonnet-4-6", "multiagent": roster})
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        form = await open_form(pilot)
        form.query_one("#agent").value = NEW
        fields = await wait_for(pilot, lambda: form.query("#new-agent") and form.query_one("#new-agent"), "new agent")
        await pilot.pause()
        names = [str(box.label) for box in fields.query("#roster Checkbox")]
        assert sorted(names) == ["helper", "other"]  # a coordinator is no roster member
        assert lead["id"] not in [a.id for a in fields.roster_agents]
        form.query_one("#title").value = "coordinated"
        form.query_one("#agent-name").value = "lead"
        box = next(b for b in fields.query("#roster Checkbox") if str(b.label) == "helper")
        box.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(f"#{box.id}")
        assert box.value and fields.roster() == [helper["id"]]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionFormScreen), what="the form to close")

        session = next(s for s in sessions_on_server(seed) if s["title"] == "coordinated")
        assert session["environment_id"] == env["id"]
        agent = server_get(seed, f"/v1/agents/{session['agent']['id']}")
        assert agent["name"] == "lead"
        assert agent["multiagent"]["type"] == "coordinator"
        assert [(a["type"], a["id"]) for a in agent["multiagent"]["agents"]] == [("agent", helper["id"])]


def test_an_agent_without_a_roster_is_no_coordinator() -> None:
    spec = check_agent("solo", "claude-sonnet-4-6", "", "", ())
    assert "multiagent" not in spec.body()
    many = [f"agent_{n}" for n in range(21)]
    with pytest.raises(InvalidField) as caught:
        check_agent("lead", "claude-sonnet-4-6", "", "", (), many)
    assert caught.value.field == "roster"


async def test_a_session_can_use_a_vault_picked_in_the_form(settings, seed) -> None:
    dev, agent = seed.environment("dev"), seed.agent("helper")
    vault = seed.post("/v1/vaults", {"display_name": "MCP keys"})
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        form = await open_form(pilot)
        picker = form.query_one("#vault")
        await wait_for(pilot, lambda: picker._options[1:], what="the vaults")
        assert picker.selection is None  # no vault unless one is picked
        picker.value = vault["id"]
        await pilot.press(*"with keys", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SessionFormScreen), what="the form to close")
        (created,) = [s for s in sessions_on_server(seed) if s["title"] == "with keys"]
        assert created["vault_ids"] == [vault["id"]] and created["environment_id"] == dev["id"]
        assert created["agent"]["id"] == agent["id"]
