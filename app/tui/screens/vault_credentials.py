"""CredentialsScreen: the credentials of one vault, over the Vaults screen (``enter`` there).

``n`` adds a credential, ``e`` (or ``enter``) edits the highlighted one (its name, and a new secret typed
masked: left empty, the stored one stays), ``v`` validates an OAuth credential against its MCP
server, ``a`` archives and ``d`` deletes it after a confirmation, ``A`` shows archived ones too,
``r`` reloads, ``esc`` goes back. Secrets are write-only: the API never returns one, so none is
ever shown.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.binding import Binding
from textual.widgets import DataTable

from app.api.client import VaultCredentials
from app.api.errors import AgentAPIError
from app.api.models import Credential, Vault
from app.api.pagination import AsyncPaginator
from app.tui.screens.confirm import confirm
from app.tui.screens.object_screen import ObjectDialog
from app.tui.screens.vault_forms import CredentialEditForm, CredentialForm


def credential_where(credential: Credential) -> str:
    """What a credential is for: its MCP server URL or its secret's name."""
    auth = credential.auth
    return getattr(auth, "mcp_server_url", None) or getattr(auth, "secret_name", None) or ""


def _called(credential: Credential) -> str:
    """How a confirmation or status names a credential: its name, else what it is for."""
    return credential.display_name or credential_where(credential)


class CredentialsScreen(ObjectDialog[Credential]):
    """The credentials of ``vault`` (see the module docstring)."""

    BINDING_GROUP_TITLE = "Vault credentials"
    BINDINGS = [
        Binding("n", "new", "Add credential", id="credentials.new"),
        Binding("e", "edit", "Edit", id="credentials.edit"),
        Binding("v", "validate", "Validate", id="credentials.validate"),
        Binding("a", "archive", "Archive", id="credentials.archive"),
        Binding("d,delete", "delete", "Delete", id="credentials.delete"),
        Binding("A", "toggle_archived", "Show archived", id="credentials.show_archived"),
        Binding("r", "reload", "Reload", id="credentials.reload"),
        Binding("escape", "close", "Back", id="credentials.close"),
    ]

    BOX_ID = "credentials"
    TABLE_ID = "credentials-table"
    COLUMNS = ("name", "type", "for", "state", "id")
    KIND = "credential"
    EMPTY = "No credential yet: press n to add one."

    def __init__(self, vault: Vault) -> None:
        super().__init__()
        self.vault = vault
        self.show_archived = False

    def heading(self) -> str:
        return f"Credentials of {self.vault.display_name}"

    @property
    def api(self) -> VaultCredentials:
        return self.client.vaults.credentials

    def listing(self) -> AsyncPaginator[Credential]:
        return self.api.list(self.vault.id, include_archived=self.show_archived)

    def cells(self, credential: Credential) -> tuple[str, ...]:
        state = "archived" if credential.archived_at else ""
        name = credential.display_name or ""
        return name, credential.auth.type, credential_where(credential), state, credential.id

    def action_new(self) -> None:
        async def save(body: dict[str, Any]) -> Credential:
            return await self.api.create(self.vault.id, body)

        self.app.push_screen(CredentialForm(save, self.vault.display_name), self.saved)

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        credential = self.selected
        if credential is not None:

            async def save(body: dict[str, Any]) -> Credential:
                return await self.api.update(self.vault.id, credential.id, body)

            self.app.push_screen(CredentialEditForm(save, self.vault.display_name, credential), self.saved)

    def saved_text(self, credential: Credential) -> str:
        return "Saved; a secret is stored write-only and never shown again."

    def action_archive(self) -> None:
        credential = self.selected
        if credential is not None:
            question = f"Archive credential {_called(credential)!r}?"
            confirm(self, question, "Archive", lambda: self._apply("archive", credential))

    def action_delete(self) -> None:
        credential = self.selected
        if credential is not None:
            question = f"Delete credential {_called(credential)!r}?"
            confirm(self, question, "Delete", lambda: self._apply("delete", credential))

    @work(group="credentials-change", exit_on_error=False)
    async def _apply(self, verb: str, credential: Credential) -> None:
        try:
            await getattr(self.api, verb)(self.vault.id, credential.id)
        except AgentAPIError as exc:
            self.notify(f"Could not {verb} the credential: {exc}", severity="error", markup=False)
            return
        self.notify(f"Credential {_called(credential)} {verb}d.", markup=False)
        self.action_reload()

    @work(group="credentials-validate", exit_on_error=False)
    async def action_validate(self) -> None:
        """Check the highlighted OAuth credential against its MCP server (refreshing its token first)."""
        credential = self.selected
        if credential is None or credential.auth.type != "mcp_oauth":
            self.status("Validate applies to an OAuth (mcp_oauth) credential.")
            return
        self.status("Validating…")
        try:
            result = await self.api.mcp_oauth_validate(self.vault.id, credential.id)
        except AgentAPIError as exc:
            self.status(f"Could not validate: {exc}")
            return
        refresh = f"; token refresh {result.refresh.status}" if result.refresh else ""
        probe = result.mcp_probe.http_response if result.mcp_probe else None
        answer = f" (the server answered HTTP {probe.status_code})" if probe else ""
        self.status(f"{_called(credential)}: {result.status}{answer}{refresh}")

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.action_reload()
