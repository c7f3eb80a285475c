"""VaultsScreen (``f5``, palette "Vaults"): the account's vaults, full screen like Agents and Skills.

``v`` (or ``enter``) lists the highlighted vault's credentials (:mod:`app.tui.screens.vault_credentials`);
``n`` adds a vault, ``e`` edits its name and metadata, ``c`` adds a credential to it; ``a``
archives and ``d`` deletes it (with its credentials), each after a confirmation; ``A`` shows
archived vaults too; ``r`` reloads. Everything from the server is shown as plain text; a failure
shows in the status line.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.binding import Binding
from textual.widgets import DataTable

from app.api.models import Credential, Vault
from app.api.pagination import AsyncPaginator
from app.tui.format import when
from app.tui.screens.confirm import confirm
from app.tui.screens.object_screen import ObjectScreen
from app.tui.screens.vault_credentials import CredentialsScreen
from app.tui.screens.vault_forms import CredentialForm, VaultForm


def _metadata(metadata: dict[str, str]) -> str:
    return ", ".join(f"{key}={value}" for key, value in metadata.items())


class VaultsScreen(ObjectScreen[Vault]):
    """The vaults list (see the module docstring)."""

    BINDING_GROUP_TITLE = "Vaults"
    BINDINGS = [
        Binding("v,enter", "credentials", "Credentials", id="vaults.credentials"),
        Binding("n", "new_vault", "New vault", id="vaults.new"),
        Binding("e", "edit", "Edit", id="vaults.edit"),
        Binding("c", "new_credential", "Add credential", id="vaults.new_credential"),
        Binding("a", "archive", "Archive", id="vaults.archive"),
        Binding("d,delete", "delete", "Delete", id="vaults.delete"),
        Binding("A", "toggle_archived", "Show archived", id="vaults.show_archived"),
        Binding("r", "reload", "Reload", id="vaults.reload"),
        Binding("escape", "close", "Back", id="vaults.close"),
    ]

    BOX_ID = "vaults"
    TABLE_ID = "vaults-table"
    COLUMNS = ("name", "metadata", "updated", "state", "id")
    KIND = "vault"
    EMPTY = "No vault yet: press n to create one."

    def __init__(self) -> None:
        super().__init__()
        self.show_archived = False

    def listing(self) -> AsyncPaginator[Vault]:
        return self.client.vaults.list(include_archived=self.show_archived)

    def cells(self, vault: Vault) -> tuple[str, ...]:
        state = "archived" if vault.archived_at else ""
        return vault.display_name, _metadata(vault.metadata or {}), when(vault.updated_at), state, vault.id

    @on(DataTable.RowSelected)
    def action_credentials(self) -> None:
        if self.selected is not None:
            self.app.push_screen(CredentialsScreen(self.selected))

    def action_new_vault(self) -> None:
        self.app.push_screen(VaultForm(self.client.vaults.create), self.saved)

    def action_edit(self) -> None:
        vault = self.selected
        if vault is not None:

            async def save(body: dict[str, Any]) -> Vault:
                return await self.client.vaults.update(vault.id, body)

            self.app.push_screen(VaultForm(save, vault), self.saved)

    def saved_text(self, vault: Vault) -> str:
        return f"Saved vault {vault.display_name}."

    def action_new_credential(self) -> None:
        vault = self.selected
        if vault is None:
            self.status("Create a vault first (n).")
            return

        async def save(body: dict[str, Any]) -> Credential:
            return await self.client.vaults.credentials.create(vault.id, body)

        def created(credential: Credential | None) -> None:
            if credential is not None:
                self.status("Credential added; its secret is stored write-only and never shown again (enter lists it).")

        self.app.push_screen(CredentialForm(save, vault.display_name), created)

    def action_archive(self) -> None:
        vault = self.selected
        if vault is not None:
            confirm(self, f"Archive vault {vault.display_name!r}?", "Archive", lambda: self._apply("archive", vault))

    def action_delete(self) -> None:
        vault = self.selected
        if vault is not None:
            question = f"Delete vault {vault.display_name!r} and every credential in it?"
            confirm(self, question, "Delete", lambda: self._apply("delete", vault))

    @work(group="vaults-change", exit_on_error=False)
    async def _apply(self, verb: str, vault: Vault) -> None:
        call = getattr(self.client.vaults, verb)(vault.id)
        await self.attempt(call, f"Could not {verb} the vault", lambda _: f"Vault {vault.display_name} {verb}d.")

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.action_reload()
