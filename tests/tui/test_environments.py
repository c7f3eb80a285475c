"""EnvironmentsPane and its form, against the embedded runtime over loopback (pilot tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList, TextArea

from app.config import Settings
from app.tui.fields import FieldError, metadata_patch, parse_hosts, parse_metadata
from app.tui.messages import EnvironmentSelected
from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.environment_form import EnvironmentForm
from app.tui.widgets.environments import ALL, EnvironmentsPane
from tests.tui.app_support import ConnectedApp
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for


class PaneApp(ConnectedApp):
    """Only the environments pane, connected like the real app; records EnvironmentSelected and notifications."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.selected: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield EnvironmentsPane(id="environments")

    def connected(self) -> None:
        self.pane.reload()
        self.pane.option_list.focus()

    def on_environment_selected(self, message: EnvironmentSelected) -> None:
        self.selected.append(message.environment_id)

    @property
    def pane(self) -> EnvironmentsPane:
        return self.query_one(EnvironmentsPane)

    def option_ids(self) -> list[str]:
        return [option.id for option in self.pane.option_list.options]


def server_environment(runtime, environment_id: str) -> dict:
    reply = httpx.get(f"{runtime.base_url}/v1/environments/{environment_id}", headers={"x-api-key": runtime.api_key})
    reply.raise_for_status()
    return reply.json()


async def loaded(pilot, count: int) -> None:
    """Wait until the list shows ``count`` environments after "All environments"."""
    await wait_for(pilot, lambda: len(pilot.app.option_ids()) == count + 1, f"{count} environments in the list")


@asynccontextmanager
async def listing(settings: Settings, count: int) -> AsyncIterator[tuple[PaneApp, Pilot]]:
    """Run a PaneApp on the test terminal until it lists ``count`` environments; yield it and its pilot."""
    app = PaneApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await loaded(pilot, count)
        yield app, pilot


async def select(pilot, environment_id: str) -> None:
    options = pilot.app.pane.option_list
    options.highlighted = options.get_option_index(environment_id)
    await pilot.pause()


async def press_for(pilot, key: str, screen: type[Screen]) -> Screen:
    """Press ``key`` and wait until it opens a ``screen``; return that screen."""
    await pilot.press(key)
    return await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen) and pilot.app.screen, screen.__name__)


async def test_lists_every_environment_markup_safe(settings, seed):
    odd = seed.environment("list[int] [/]")
    limited = seed.environment("prod", type="limited", allowed_hosts=["pypi.org"])
    async with listing(settings, 2) as (app, pilot):
        assert app.option_ids() == [ALL, limited["id"], odd["id"]]  # newest first, as the server lists them
        text = screen_text(app)
        assert "All environments" in text
        assert "list[int] [/]" in text and "unrestricted" in text
        assert "prod" in text and "limited" in text
        await pilot.press("j", "j")
        assert app.selected == [limited["id"], odd["id"]]
        await pilot.press("k", "k")
        assert app.selected[-2:] == [limited["id"], None]


async def test_create_from_the_form(settings, runtime):
    async with listing(settings, 0) as (app, pilot):
        assert app.option_ids() == [ALL]
        assert "No environments yet." in screen_text(app)
        form = await press_for(pilot, "n", EnvironmentForm)
        form.query_one("#env-name", Input).value = "team-[dev]"
        form.query_one("#env-description", Input).value = "shared sandbox"
        await pilot.click("#net-limited")
        form.query_one("#env-hosts", Input).value = "pypi.org, *.github.com  example.com"
        await pilot.click("#env-package-managers")
        form.query_one("#env-metadata", TextArea).text = "owner = ana\nteam=core"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, EnvironmentForm), "the form to close")
        await loaded(pilot, 1)
        created = app.option_ids()[1]
        assert app.pane.highlighted.id == created
        assert "team-[dev]" in screen_text(app)
        body = server_environment(runtime, created)
        assert body["name"] == "team-[dev]" and body["description"] == "shared sandbox"
        assert body["metadata"] == {"owner": "ana", "team": "core"}
        net = body["config"]["networking"]
        assert net["type"] == "limited"
        assert net["allowed_hosts"] == ["pypi.org", "*.github.com", "example.com"]
        assert net["allow_package_managers"] is True


async def test_bad_fields_keep_the_text_and_say_why(settings):
    async with listing(settings, 0) as (app, pilot):
        form = await press_for(pilot, "n", EnvironmentForm)
        await pilot.click("#net-limited")
        form.query_one("#env-description", Input).value = "keep me"
        form.query_one("#env-hosts", Input).value = "https://pypi.org/simple"
        form.query_one("#env-metadata", TextArea).text = "owner=ana\nno equals sign"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EnvironmentForm)
        text = screen_text(app)
        assert "a name is required" in text
        assert "give a host name such as example.com" in text
        assert "Line 2: write key=value" in text
        assert form.query_one("#env-description", Input).value == "keep me"
        assert form.query_one("#env-hosts", Input).value == "https://pypi.org/simple"
        assert form.query_one("#env-metadata", TextArea).text == "owner=ana\nno equals sign"
        assert app.focused is form.query_one("#env-name")
        # Fixing the fields saves.
        await pilot.press(*"fixed")
        assert "a name is required" not in screen_text(app)
        form.query_one("#env-hosts", Input).value = "pypi.org"
        form.query_one("#env-metadata", TextArea).text = "owner=ana"
        await pilot.pause()  # the errors went away: let the layout settle before clicking
        await pilot.click("#form-save")
        await loaded(pilot, 1)
        assert app.pane.highlighted.name == "fixed"


async def test_edit_description_and_metadata_patch(settings, seed, runtime):
    env = seed.post(
        "/v1/environments",
        {"name": "dev", "description": "old", "metadata": {"owner": "ana", "drop": "me"}, "config": {"type": "cloud"}},
    )
    async with listing(settings, 1) as (app, pilot):
        await select(pilot, env["id"])
        form = await press_for(pilot, "e", EnvironmentForm)
        assert not form.query("#env-name")  # the name is not edited here
        assert form.query_one("#env-metadata", TextArea).text == "owner=ana\ndrop=me"
        form.query_one("#env-metadata", TextArea).text = "owner=bo\nteam=core"
        form.query_one("#env-description", Input).value = "new words"
        assert app.focused is form.query_one("#env-description")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, EnvironmentForm), "the form to close")
        body = server_environment(runtime, env["id"])
        assert body["description"] == "new words"
        assert body["metadata"] == {"owner": "bo", "team": "core"}
        assert app.pane.highlighted.metadata == {"owner": "bo", "team": "core"}


async def test_an_api_error_is_shown_in_the_form_and_nothing_is_lost(settings, seed):
    env = seed.environment("dev")
    async with listing(settings, 1) as (app, pilot):
        seed.post(f"/v1/environments/{env['id']}/archive")  # behind the app's back: the edit will be refused
        await select(pilot, env["id"])
        form = await press_for(pilot, "e", EnvironmentForm)
        form.query_one("#env-description", Input).value = "typed with care"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "environment_archived" in screen_text(app), "the API error in the form")
        assert isinstance(app.screen, EnvironmentForm)
        assert "Not saved: 400 invalid_request_error" in screen_text(app)
        assert form.query_one("#env-description", Input).value == "typed with care"
        assert not form.query_one("#form-save").disabled


async def test_archive_after_confirmation_and_show_archived(settings, seed, runtime):
    keep = seed.environment("keep")
    drop = seed.environment("drop")
    async with listing(settings, 2) as (app, pilot):
        await select(pilot, drop["id"])
        await press_for(pilot, "a", ConfirmScreen)
        assert "Archive environment drop?" in screen_text(app)
        await pilot.press("n")  # no: nothing happens
        await pilot.pause()
        assert drop["id"] in app.option_ids()
        await press_for(pilot, "a", ConfirmScreen)
        await pilot.press("y")
        await wait_for(pilot, lambda: drop["id"] not in app.option_ids(), "the archived row to leave")
        assert server_environment(runtime, drop["id"])["archived_at"] is not None
        assert app.option_ids() == [ALL, keep["id"]]
        await pilot.press("A")  # show archived
        assert drop["id"] in app.option_ids()
        assert "archived" in screen_text(app)
        await select(pilot, drop["id"])
        await pilot.press("a")  # already archived: says so, asks nothing
        await wait_for(pilot, lambda: "drop is archived: it cannot be changed." in app.notices, "the notice")
        assert not isinstance(app.screen, ConfirmScreen)


async def test_edit_or_archive_on_all_environments_says_what_to_do(settings, seed):
    seed.environment("dev")
    async with listing(settings, 1) as (app, pilot):
        assert app.pane.option_list.highlighted_option.id == ALL
        await pilot.press("e", "a")
        await wait_for(pilot, lambda: len(app.notices) == 2, "two hints")
        assert app.notices == [
            "Pick an environment to edit: “All environments” is not one.",
            "Pick an environment to archive: “All environments” is not one.",
        ]
        assert app.screen is app.screen_stack[0]  # no form, no question


async def test_edit_networking_and_allowed_hosts(settings, seed, runtime):
    env = seed.environment("prod", type="limited", allowed_hosts=["pypi.org"])
    open_env = seed.environment("dev")
    async with listing(settings, 2) as (app, pilot):
        await select(pilot, env["id"])
        form = await press_for(pilot, "e", EnvironmentForm)
        assert form.query_one("#net-limited").value and form.query_one("#env-hosts", Input).value == "pypi.org"
        form.query_one("#env-hosts", Input).value = "pypi.org, *.github.com"
        await pilot.click("#env-package-managers")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, EnvironmentForm), "the form to close")
        net = server_environment(runtime, env["id"])["config"]["networking"]
        assert net["type"] == "limited" and net["allowed_hosts"] == ["pypi.org", "*.github.com"]
        assert net["allow_package_managers"] is True

        await select(pilot, open_env["id"])
        form = await press_for(pilot, "e", EnvironmentForm)
        assert form.query_one("#net-unrestricted").value and form.query_one("#env-limited").disabled
        await pilot.click("#net-limited")
        form.query_one("#env-hosts", Input).value = "example.com"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, EnvironmentForm), "the form to close")
        net = server_environment(runtime, open_env["id"])["config"]["networking"]
        assert net["type"] == "limited" and net["allowed_hosts"] == ["example.com"]
        assert "limited" in str(app.pane.option_list.get_option(open_env["id"]).prompt)


async def test_filter_by_name(settings, seed):
    for name in ("ana-dev", "ana-prod", "bo-dev"):
        seed.environment(name)
    async with listing(settings, 3) as (app, pilot):
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"ANA")
        names = [str(option.prompt).split()[0] for option in app.pane.option_list.options[1:]]
        assert sorted(names) == ["ana-dev", "ana-prod"]
        await pilot.press("enter")  # back to the list, filter kept
        assert isinstance(app.focused, OptionList)
        assert len(app.option_ids()) == 3
        await pilot.press("escape")
        assert len(app.option_ids()) == 4
        assert not app.pane.query_one("#environments-filter").display
        await pilot.press("slash", "enter")  # opened, then nothing typed: the line goes away, as in the sessions pane
        assert isinstance(app.focused, OptionList)
        assert not app.pane.query_one("#environments-filter").display


async def test_refresh_picks_up_new_environments(settings, seed):
    seed.environment("first")
    async with listing(settings, 1) as (app, pilot):
        seed.environment("second")
        await pilot.press("R")
        await loaded(pilot, 2)


def test_metadata_lines():
    assert parse_metadata("a=1\n\n b = two words \nc=") == {"a": "1", "b": "two words", "c": ""}
    assert parse_metadata("url=https://x.test/?q=1") == {"url": "https://x.test/?q=1"}
    with pytest.raises(FieldError, match="Line 2: write key=value"):
        parse_metadata("a=1\njust words")
    with pytest.raises(FieldError, match="the key 'a' is given twice"):
        parse_metadata("a=1\na=2")
    with pytest.raises(FieldError, match="Line 1"):
        parse_metadata("=value")
    assert metadata_patch({"a": "1", "b": "2"}, {"a": "1", "c": "3"}) == {"c": "3", "b": None}


def test_hosts():
    assert parse_hosts(" pypi.org,*.github.com\nexample.com ,, 10.0.0.1 ") == [
        "pypi.org",
        "*.github.com",
        "example.com",
        "10.0.0.1",
    ]
    assert parse_hosts("") == []
    for bad, why in [("http://x.org", "not a URL"), ("x.org:443", "without a port"), ("bad_host!", "not a valid host")]:
        with pytest.raises(FieldError, match=why):
            parse_hosts(bad)


async def test_an_unreadable_environment_is_skipped_and_said_and_the_others_listed(settings, seed, runtime):
    good = seed.environment("dev")
    odd = {**server_environment(runtime, good["id"]), "id": "env_from_the_future", "name": None}  # name is required
    runtime.runtime.store.put_environment(odd)
    async with listing(settings, 1) as (app, pilot):
        assert app.option_ids() == [ALL, good["id"]]
        await wait_for(pilot, lambda: any("unreadable" in n for n in app.notices), "the note")
        assert [n for n in app.notices if "unreadable" in n] == [
            "1 unreadable environment skipped (env_from_the_future: name: Input should be a valid string)"
        ]


async def test_delete_after_confirmation_and_a_refusal_is_said(settings, seed, runtime):
    used = seed.environment("used")
    seed.session(used, seed.agent())
    spare = seed.environment("spare")
    async with listing(settings, 2) as (app, pilot):
        await select(pilot, spare["id"])
        await press_for(pilot, "d", ConfirmScreen)
        assert "Delete environment spare for good?" in screen_text(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: spare["id"] not in app.option_ids(), "the deleted row to leave")
        assert "Deleted environment spare" in app.notices
        missing = httpx.get(f"{runtime.base_url}/v1/environments/{spare['id']}", headers={"x-api-key": runtime.api_key})
        assert missing.status_code == 404

        await select(pilot, used["id"])
        await press_for(pilot, "d", ConfirmScreen)
        await pilot.press("y")
        await wait_for(pilot, lambda: any("Could not delete used" in n for n in app.notices), "the refusal")
        assert any("used by 1 session(s)" in n for n in app.notices)
        assert used["id"] in app.option_ids()
