"""Snapshots of the Vaults screen (f5), a vault's credentials and the credential forms in the assembled app."""

from __future__ import annotations

from textual.widgets import Input

from app.tui.app import AgentDeckApp
from app.tui.screens.vault_forms import CredentialEditForm, CredentialForm
from app.tui.screens.vaults import VaultsScreen
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for
from tests.tui.test_snapshots_shell import ready


def _stamped(obj: dict, minute: int) -> dict:
    stamp = f"2026-12-01T10:0{minute}:00.000Z"
    return {**obj, "metadata": obj.get("metadata", {}), "created_at": stamp, "updated_at": stamp, "archived_at": None}


def seed_vault(seed) -> None:
    """Two vaults and two credentials with fixed ids and times, straight into the runtime's store."""
    seed.environment("dev-[sandbox]")
    store = seed.runtime.runtime.store
    team = "vlt_011CaRvault0000000000001"
    store.put_vault(
        _stamped({"type": "vault", "id": team, "display_name": "Team [keys]", "metadata": {"team": "platform"}}, 1)
    )
    store.put_vault(_stamped({"type": "vault", "id": "vlt_011CaRvault0000000000002", "display_name": "Personal"}, 2))
    bearer = {"type": "static_bearer", "mcp_server_url": "https://mcp.example.com/mcp"}
    env_var = {
        "type": "environment_variable",
        "secret_name": "STRIPE_KEY",
        "networking": {"type": "limited", "allowed_hosts": ["api.stripe.com"]},
        "injection_location": {"body": False, "header": True},
    }
    for minute, (number, auth, name, secret) in enumerate(
        [("1", bearer, "Docs MCP", {"token": "snap-secret"}), ("2", env_var, None, {"secret_value": "snap-secret-2"})],
        3,
    ):
        credential = {
            "type": "vault_credential",
            "id": f"vcrd_011CaRcredential00000000{number}",
            "vault_id": team,
            "display_name": name,
            "auth": auth,
        }
        store.put_credential(_stamped(credential, minute), secret)


async def open_vaults(pilot) -> VaultsScreen:
    await ready(pilot)
    await pilot.press("f5")
    await wait_for(pilot, lambda: "Personal" in screen_text(pilot.app), "the vaults")
    await pilot.press("down")
    return pilot.app.screen


async def open_team_vault(pilot) -> None:
    """The credentials of "Team [keys]" (the second vault, the newest being first)."""
    await open_vaults(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: "STRIPE_KEY" in screen_text(pilot.app), "the credentials")


def test_vaults_screen(snap_compare, settings, seed):
    seed_vault(seed)
    assert snap_compare(AgentDeckApp(settings), terminal_size=TERMINAL, run_before=open_vaults)


def test_credentials_of_a_vault(snap_compare, settings, seed):
    seed_vault(seed)
    assert snap_compare(AgentDeckApp(settings), terminal_size=TERMINAL, run_before=open_team_vault)


def test_credential_form_masks_the_token(snap_compare, settings, seed):
    seed_vault(seed)

    async def run_before(pilot) -> None:
        await open_team_vault(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CredentialForm), "the form")
        form = pilot.app.screen
        form.query_one("#credential-name", Input).value = "Linear [prod]"
        form.query_one("#credential-token", Input).value = "never-on-screen"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "the MCP server URL is required" in screen_text(pilot.app), "the error")

    assert snap_compare(AgentDeckApp(settings), terminal_size=TERMINAL, run_before=run_before)


def test_credential_edit_form_masks_the_new_token(snap_compare, settings, seed):
    seed_vault(seed)

    async def run_before(pilot) -> None:
        await open_team_vault(pilot)
        await pilot.press("down", "e")  # the bearer credential "Docs MCP" (the older one, second)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CredentialEditForm), "the form")
        await pilot.press("tab", *"never-on-screen")

    assert snap_compare(AgentDeckApp(settings), terminal_size=TERMINAL, run_before=run_before)
