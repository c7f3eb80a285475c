"""Snapshots of the Vaults screen (f5) and its credential form in the assembled app."""

from __future__ import annotations

from textual.widgets import Input

from app.tui.app import AgentDeckApp
from app.tui.screens.vault_forms import CredentialForm
from app.tui.screens.vaults import VaultsScreen
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.test_snapshots_shell import ready


def seed_vault(seed) -> dict:
    seed.environment("dev-[sandbox]")
    vault = seed.post("/v1/vaults", {"display_name": "Team [keys]"})
    seed.post("/v1/vaults", {"display_name": "Personal"})
    bearer = {"type": "static_bearer", "mcp_server_url": "https://mcp.example.com/mcp", "token": "snap-secret"}
    env_var = {
        "type": "environment_variable",
        "secret_name": "STRIPE_KEY",
        "secret_value": "snap-secret-2",
        "networking": {"type": "limited", "allowed_hosts": ["api.stripe.com"]},
    }
    seed.post(f"/v1/vaults/{vault['id']}/credentials", {"auth": bearer, "display_name": "Docs MCP"})
    seed.post(f"/v1/vaults/{vault['id']}/credentials", {"auth": env_var})
    return vault


async def open_team_vault(pilot) -> VaultsScreen:
    await ready(pilot)
    await pilot.press("f5")
    await wait_for(pilot, lambda: "Personal" in screen_text(pilot.app), "the vaults")
    await pilot.press("down")
    await wait_for(pilot, lambda: "STRIPE_KEY" in screen_text(pilot.app), "the credentials")
    return pilot.app.screen


def test_vaults_screen(snap_compare, settings, seed):
    seed_vault(seed)
    assert snap_compare(AgentDeckApp(settings), terminal_size=TERMINAL, run_before=open_team_vault)


def test_credential_form_masks_the_token(snap_compare, settings, seed):
    seed_vault(seed)

    async def run_before(pilot) -> None:
        await open_team_vault(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CredentialForm), "the form")
        form = pilot.app.screen
        form.query_one("#credential-name", Input).value = "Linear [prod]"
        form.query_one("#credential-token", Input).value = "never-on-screen"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "the MCP server URL is required" in screen_text(pilot.app), "the error")

    assert snap_compare(AgentDeckApp(settings), terminal_size=TERMINAL, run_before=run_before)
