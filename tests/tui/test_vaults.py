"""The Vaults screen (f5, palette "Vaults") in the real app against the embedded runtime over
loopback: list vaults and their credentials, add both (the token masked and never shown), archive
and delete after a confirmation."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from app.tui.app import AgentDeckApp
from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.vault_forms import CredentialForm, VaultForm
from app.tui.screens.vaults import VaultsScreen
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for

TOKEN = "tui-secret-token-9d1e"


async def open_vaults(pilot) -> VaultsScreen:
    await wait_for(pilot, lambda: pilot.app.backend is not None, "the backend")
    await pilot.press("f5")
    return await wait_for(pilot, lambda: isinstance(pilot.app.screen, VaultsScreen) and pilot.app.screen, "the screen")


async def test_f5_lists_vaults_and_the_credentials_of_the_highlighted_one(settings, seed):
    keys = seed.post("/v1/vaults", {"display_name": "Team [bold]keys"})
    seed.post("/v1/vaults", {"display_name": "Empty"})
    auth = {"type": "static_bearer", "mcp_server_url": "https://mcp.example.com/mcp", "token": TOKEN}
    seed.post(f"/v1/vaults/{keys['id']}/credentials", {"auth": auth, "display_name": "GitHub"})
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = await open_vaults(pilot)
        await wait_for(pilot, lambda: "Team [bold]keys" in screen_text(app), "the vaults, as plain text")
        vaults = screen.query_one("#vault-list", OptionList)
        vaults.highlighted = list(screen.vaults).index(keys["id"])
        await wait_for(pilot, lambda: "GitHub" in screen_text(app), "the credential")
        assert "https://mcp.example.com/mcp" in screen_text(app) and TOKEN not in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, VaultsScreen), "the screen to close")


async def test_the_palette_opens_the_vaults_screen(settings):
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: app.backend is not None, "the backend")
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Vaults" in titles
        await pilot.press("ctrl+p")
        await pilot.press(*"vaults")
        await wait_for(pilot, lambda: "Vaults" in screen_text(app), "the command")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, VaultsScreen), "the vaults screen")


async def test_add_a_vault_and_a_credential_whose_token_is_masked_and_never_shown(settings, seed):
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = await open_vaults(pilot)
        await wait_for(pilot, lambda: "No vault yet" in screen_text(app), "the empty list")
        await pilot.press("n")
        form = await wait_for(pilot, lambda: isinstance(app.screen, VaultForm) and app.screen, "the vault form")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "a name is required" in screen_text(app), "the field error")
        form.query_one("#vault-name", Input).value = "Prod keys"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and "Prod keys" in screen_text(app), "the new vault")

        await pilot.press("c")
        form = await wait_for(pilot, lambda: isinstance(app.screen, CredentialForm) and app.screen, "the form")
        form.query_one("#credential-url", Input).value = "ftp://nowhere"
        form.query_one("#credential-token", Input).value = TOKEN
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "an http:// or https:// URL" in screen_text(app), "the URL error")
        assert TOKEN not in screen_text(app)  # the token field is masked
        form.query_one("#credential-name", Input).value = "Docs MCP"
        form.query_one("#credential-url", Input).value = "https://docs.example.com/mcp"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and "Docs MCP" in screen_text(app), "the credential")
        assert "never shown again" in screen_text(app) and TOKEN not in screen_text(app)
        (vault,) = seed.http.get("/v1/vaults").json()["data"]
        (stored,) = seed.http.get(f"/v1/vaults/{vault['id']}/credentials").json()["data"]
        assert stored["auth"] == {"type": "static_bearer", "mcp_server_url": "https://docs.example.com/mcp"}


async def test_archive_and_delete_ask_first(settings, seed):
    vault = seed.post("/v1/vaults", {"display_name": "Old keys"})
    auth = {"type": "static_bearer", "mcp_server_url": "https://a.example.com/mcp", "token": TOKEN}
    seed.post(f"/v1/vaults/{vault['id']}/credentials", {"auth": auth, "display_name": "Stale"})
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = await open_vaults(pilot)
        await wait_for(pilot, lambda: "Stale" in screen_text(app), "the credential")
        screen.query_one("#credential-list", OptionList).focus()
        await pilot.press("d")
        await wait_for(pilot, lambda: "Delete credential 'Stale'?" in screen_text(app), "the confirmation")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen, "back")
        assert "Stale" in screen_text(app)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")
        await wait_for(pilot, lambda: "Stale" not in screen_text(app), "the credential gone")

        screen.query_one("#vault-list", OptionList).focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: "Archive vault 'Old keys'?" in screen_text(app), "the confirmation")
        await pilot.press("y")
        await wait_for(pilot, lambda: "No vault yet" in screen_text(app), "the archived vault hidden")
        await pilot.press("A")
        await wait_for(pilot, lambda: "archived" in screen_text(app) and "Old keys" in screen_text(app), "shown")
        await pilot.press("d")
        await wait_for(pilot, lambda: "Delete vault 'Old keys' and every credential in it?" in screen_text(app), "ask")
        await pilot.press("y")
        await wait_for(pilot, lambda: "Old keys" not in screen_text(app), "the vault gone")
        assert seed.http.get(f"/v1/vaults/{vault['id']}").status_code == 404


async def test_v_validates_an_oauth_credential_and_says_what_came_back(settings, seed):
    vault = seed.post("/v1/vaults", {"display_name": "OAuth keys"})
    oauth = {"type": "mcp_oauth", "mcp_server_url": "http://127.0.0.1:9/mcp", "access_token": TOKEN}
    seed.post(f"/v1/vaults/{vault['id']}/credentials", {"auth": oauth, "display_name": "Linear"})
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = await open_vaults(pilot)
        await wait_for(pilot, lambda: "Linear" in screen_text(app), "the credential")
        await pilot.press("v")
        await wait_for(pilot, lambda: "Validate applies to an OAuth credential" in screen_text(app), "the hint")
        screen.query_one("#credential-list", OptionList).focus()
        await pilot.press("v")
        await wait_for(pilot, lambda: "Linear: unknown; token refresh no_refresh_token" in screen_text(app), "result")
