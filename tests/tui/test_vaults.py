"""The Vaults screen (f5, palette "Vaults") in the real app against the embedded runtime over
loopback: a full screen listing the vaults, each vault's credentials over it (enter); add, edit,
archive and delete both (after a confirmation), and a secret is typed masked and never shown."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from app.tui.app import AgentDeckApp
from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.vault_credentials import CredentialsScreen
from app.tui.screens.vault_forms import CredentialEditForm, CredentialForm, VaultForm
from app.tui.screens.vaults import VaultsScreen
from tests.runtime.mcp_support import TOKEN as MCP_TOKEN
from tests.runtime.mcp_support import glossary_server
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for

TOKEN = "tui-secret-token-9d1e"


async def open_vaults(pilot) -> VaultsScreen:
    await wait_for(pilot, lambda: pilot.app.backend is not None, "the backend")
    await pilot.press("f5")
    return await wait_for(pilot, lambda: isinstance(pilot.app.screen, VaultsScreen) and pilot.app.screen, "the screen")


async def open_credentials(pilot, name: str) -> CredentialsScreen:
    """On the Vaults screen: highlight vault ``name`` and open its credentials."""
    screen = await wait_for(pilot, lambda: isinstance(pilot.app.screen, VaultsScreen) and pilot.app.screen, "vaults")
    await wait_for(pilot, lambda: name in [v.display_name for v in screen.items], f"vault {name}")
    screen.query_one("#vaults-table").move_cursor(row=[v.display_name for v in screen.items].index(name))
    await pilot.press("enter")
    return await wait_for(pilot, lambda: isinstance(pilot.app.screen, CredentialsScreen) and pilot.app.screen, "creds")


async def test_f5_lists_vaults_and_enter_shows_the_credentials_of_the_highlighted_one(settings, seed):
    keys = seed.post("/v1/vaults", {"display_name": "Team [bold]keys", "metadata": {"team": "[red]ops"}})
    seed.post("/v1/vaults", {"display_name": "Empty"})
    auth = {"type": "static_bearer", "mcp_server_url": "https://mcp.example.com/mcp", "token": TOKEN}
    seed.post(f"/v1/vaults/{keys['id']}/credentials", {"auth": auth, "display_name": "GitHub"})
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = await open_vaults(pilot)
        await wait_for(pilot, lambda: "Team [bold]keys" in screen_text(app), "the vaults, as plain text")
        assert "team=[red]ops" in screen_text(app) and "2 vaults" in screen_text(app)
        await open_credentials(pilot, "Team [bold]keys")
        await wait_for(pilot, lambda: "GitHub" in screen_text(app), "the credential")
        assert "https://mcp.example.com/mcp" in screen_text(app) and TOKEN not in screen_text(app)
        assert "Credentials of Team [bold]keys" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "back on the vaults")
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
        await wait_for(pilot, lambda: app.screen is screen and "never shown again" in screen_text(app), "added")
        await open_credentials(pilot, "Prod keys")
        await wait_for(pilot, lambda: "Docs MCP" in screen_text(app), "the credential")
        assert TOKEN not in screen_text(app)
        (vault,) = seed.http.get("/v1/vaults").json()["data"]
        (stored,) = seed.http.get(f"/v1/vaults/{vault['id']}/credentials").json()["data"]
        assert stored["auth"] == {"type": "static_bearer", "mcp_server_url": "https://docs.example.com/mcp"}


async def test_e_edits_a_vaults_name_and_metadata(settings, seed):
    vault = seed.post("/v1/vaults", {"display_name": "Old name", "metadata": {"team": "ops", "gone": "x"}})
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = await open_vaults(pilot)
        await wait_for(pilot, lambda: "Old name" in screen_text(app), "the vault")
        await pilot.press("e")
        form = await wait_for(pilot, lambda: isinstance(app.screen, VaultForm) and app.screen, "the edit form")
        assert form.query_one("#vault-name", Input).value == "Old name"
        assert form.query_one("#vault-metadata", TextArea).text == "team=ops\ngone=x"
        form.query_one("#vault-metadata", TextArea).text = "no equals sign"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "write key=value" in screen_text(app), "the metadata error")
        form.query_one("#vault-name", Input).value = "New [name]"
        form.query_one("#vault-metadata", TextArea).text = "team=platform\nowner=ana"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and "New [name]" in screen_text(app), "the edit saved")
        saved = await app.backend.client.vaults.retrieve(vault["id"])
        assert (saved.display_name, saved.metadata) == ("New [name]", {"team": "platform", "owner": "ana"})


def glossary_credential(seed, url: str, token: str) -> tuple[dict, dict, str]:
    """Vault "OAuth keys" with an mcp_oauth credential "Glossary" for ``url`` holding ``token``:
    the vault, the credential, and the path that validates it against the server."""
    vault = seed.post("/v1/vaults", {"display_name": "OAuth keys"})
    oauth = {"type": "mcp_oauth", "mcp_server_url": url, "access_token": token}
    credential = seed.post(f"/v1/vaults/{vault['id']}/credentials", {"auth": oauth, "display_name": "Glossary"})
    return vault, credential, f"/v1/vaults/{vault['id']}/credentials/{credential['id']}/mcp_oauth_validate"


async def edit_glossary(pilot, key: str) -> tuple[CredentialsScreen, CredentialEditForm]:
    """Open the edit form of credential "Glossary" of vault "OAuth keys" with ``key``."""
    await open_vaults(pilot)
    screen = await open_credentials(pilot, "OAuth keys")
    await wait_for(pilot, lambda: "Glossary" in screen_text(pilot.app), "the credential")
    await pilot.press(key)
    form = await wait_for(pilot, lambda: isinstance(pilot.app.screen, CredentialEditForm) and pilot.app.screen, "form")
    return screen, form


async def test_e_edits_a_credentials_name_and_token_which_is_never_shown(settings, seed):
    with glossary_server() as url:
        vault, credential, check = glossary_credential(seed, url, "stale-token")
        assert seed.post(check)["status"] == "invalid"
        app = AgentDeckApp(settings)
        async with app.run_test(size=TERMINAL) as pilot:
            screen, form = await edit_glossary(pilot, "e")
            assert f"mcp_oauth  {url}" in screen_text(app) and "leave empty to keep the stored one" in screen_text(app)
            form.query_one("#credential-name", Input).value = "Glossary (rotated)"
            form.query_one("#credential-token", Input).focus()
            await pilot.press(*MCP_TOKEN)
            assert form.query_one("#credential-token", Input).value == MCP_TOKEN
            assert MCP_TOKEN not in screen_text(app)  # masked while typed
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen and "Glossary (rotated)" in screen_text(app), "saved")
            assert MCP_TOKEN not in screen_text(app)
            saved = await app.backend.client.vaults.credentials.retrieve(vault["id"], credential["id"])
            assert saved.display_name == "Glossary (rotated)"
            assert MCP_TOKEN not in saved.model_dump_json()
        assert seed.post(check)["status"] == "valid"  # the new token is the one stored


async def test_an_edit_that_leaves_the_token_empty_keeps_the_stored_one(settings, seed):
    with glossary_server() as url:
        vault, credential, check = glossary_credential(seed, url, MCP_TOKEN)
        app = AgentDeckApp(settings)
        async with app.run_test(size=TERMINAL) as pilot:
            screen, form = await edit_glossary(pilot, "enter")
            form.query_one("#credential-name", Input).value = ""
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen and "Glossary" not in screen_text(app), "saved")
            saved = await app.backend.client.vaults.credentials.retrieve(vault["id"], credential["id"])
            assert saved.display_name is None
        assert seed.post(check)["status"] == "valid"


async def test_archive_and_delete_ask_first(settings, seed):
    vault = seed.post("/v1/vaults", {"display_name": "Old keys"})
    auth = {"type": "static_bearer", "mcp_server_url": "https://a.example.com/mcp", "token": TOKEN}
    seed.post(f"/v1/vaults/{vault['id']}/credentials", {"auth": auth, "display_name": "Stale"})
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = await open_vaults(pilot)
        credentials = await open_credentials(pilot, "Old keys")
        await wait_for(pilot, lambda: "Stale" in screen_text(app), "the credential")
        await pilot.press("d")
        await wait_for(pilot, lambda: "Delete credential 'Stale'?" in screen_text(app), "the confirmation")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is credentials, "back")
        assert "Stale" in screen_text(app)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")
        await wait_for(pilot, lambda: "No credential yet" in screen_text(app), "the credential gone")
        await pilot.press("escape")

        await wait_for(pilot, lambda: app.screen is screen, "the vaults")
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
    bearer = {"type": "static_bearer", "mcp_server_url": "https://a.example.com/mcp", "token": TOKEN}
    seed.post(f"/v1/vaults/{vault['id']}/credentials", {"auth": bearer, "display_name": "Plain"})
    oauth = {"type": "mcp_oauth", "mcp_server_url": "http://127.0.0.1:9/mcp", "access_token": TOKEN}
    seed.post(f"/v1/vaults/{vault['id']}/credentials", {"auth": oauth, "display_name": "Linear"})
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await open_vaults(pilot)
        screen = await open_credentials(pilot, "OAuth keys")
        await wait_for(pilot, lambda: "Linear" in screen_text(app) and "Plain" in screen_text(app), "the credentials")
        screen.query_one("#credentials-table").move_cursor(row=[c.display_name for c in screen.items].index("Plain"))
        await pilot.press("v")
        await wait_for(pilot, lambda: "Validate applies to an OAuth" in screen_text(app), "the hint")
        screen.query_one("#credentials-table").move_cursor(row=[c.display_name for c in screen.items].index("Linear"))
        await pilot.press("v")
        await wait_for(pilot, lambda: "Linear: unknown; token refresh no_refresh_token" in screen_text(app), "result")
