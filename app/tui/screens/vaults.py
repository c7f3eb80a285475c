"""VaultsScreen (``f5``, palette "Vaults"): the account's vaults and the credentials of the
highlighted one, side by side.

``n`` adds a vault, ``c`` a credential to the highlighted vault (its token is masked and never
shown again: the API never returns it); ``v`` validates the highlighted OAuth credential against
its MCP server; ``a`` archives and ``d`` deletes the highlighted vault or
credential (whichever list has the focus), each after a confirmation; ``A`` shows archived ones
too; ``tab`` moves between the lists. Names and URLs come from the server and are shown as plain
text. Every call runs in a worker; a failure shows as one line in the status bar.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from app.api.errors import AgentAPIError
from app.api.models import Credential, Vault
from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.vault_forms import CredentialForm, VaultForm
from app.tui.widgets.footer import Footer


def _archived(parts: list[Any], archived_at: str | None) -> Content:
    if archived_at is not None:
        parts += ["  ", ("archived", "$warning italic")]
    return Content.assemble(*parts)


def vault_prompt(vault: Vault) -> Content:
    """One row: the vault's name (plain text), archived marked."""
    return _archived([(vault.display_name, "bold")], vault.archived_at)


def credential_where(credential: Credential) -> str:
    """What a credential is for: its MCP server URL or its secret's name."""
    auth = credential.auth
    return getattr(auth, "mcp_server_url", None) or getattr(auth, "secret_name", None) or ""


def credential_prompt(credential: Credential) -> Content:
    """One row: name (if any), type and what it is for; never a secret (the API returns none)."""
    parts: list[Any] = [(f"{credential.display_name}  ", "bold")] if credential.display_name else []
    parts += [(credential.auth.type, "$text-muted"), f"  {credential_where(credential)}"]
    return _archived(parts, credential.archived_at)


class VaultsScreen(ModalScreen[None]):
    """Vaults and credentials: list, add, archive, delete."""

    BINDINGS = [
        Binding("n", "new_vault", "New vault", id="vaults.new"),
        Binding("c", "new_credential", "Add credential", id="vaults.new_credential"),
        Binding("a", "archive", "Archive", id="vaults.archive"),
        Binding("d,delete", "delete", "Delete", id="vaults.delete"),
        Binding("v", "validate", "Validate", id="vaults.validate"),
        Binding("A", "toggle_archived", "Show archived", id="vaults.show_archived"),
        Binding("escape", "close", "Close", id="vaults.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.vaults: dict[str, Vault] = {}
        self.credentials: dict[str, Credential] = {}
        self.show_archived = False

    def compose(self) -> ComposeResult:
        with Vertical(id="vaults-dialog", classes="dialog"):
            yield Static("Vaults", classes="dialog-title")
            with Horizontal(id="vaults-lists"):
                yield OptionList(id="vault-list")
                yield OptionList(id="credential-list")
            yield Static(id="vaults-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#vault-list").border_title = "Vaults"
        self.query_one("#credential-list").border_title = "Credentials"
        self.query_one("#vault-list").focus()
        self.load_vaults()

    @property
    def client(self) -> Any:
        return self.app.backend.client

    @property
    def vault_id(self) -> str | None:
        """The highlighted vault's id."""
        option_list = self.query_one("#vault-list", OptionList)
        if option_list.highlighted is None:
            return None
        return option_list.get_option_at_index(option_list.highlighted).id

    def _status(self, text: str) -> None:
        self.query_one("#vaults-status", Static).update(Content(text))

    # ------------------------------------------------------------------ loading

    @work(exclusive=True, group="vaults-load", exit_on_error=False)
    async def load_vaults(self, select: str | None = None) -> None:
        try:
            vaults = [v async for v in self.client.vaults.list(include_archived=self.show_archived)]
        except AgentAPIError as exc:
            self._status(f"Could not list vaults: {exc}")
            return
        self.vaults = {vault.id: vault for vault in vaults}
        option_list = self.query_one("#vault-list", OptionList)
        keep = select or self.vault_id
        option_list.set_options(Option(vault_prompt(vault), id=vault.id) for vault in vaults)
        if vaults:
            ids = list(self.vaults)
            option_list.highlighted = ids.index(keep) if keep in self.vaults else 0
        self._status("" if vaults else "No vault yet: press n to create one.")
        self.load_credentials()

    @on(OptionList.OptionHighlighted, "#vault-list")
    def _vault_highlighted(self) -> None:
        self.load_credentials()

    @work(exclusive=True, group="credentials-load", exit_on_error=False)
    async def load_credentials(self) -> None:
        option_list = self.query_one("#credential-list", OptionList)
        vault_id = self.vault_id
        if vault_id is None:
            self.credentials = {}
            option_list.clear_options()
            return
        try:
            listing = self.client.vaults.credentials.list(vault_id, include_archived=self.show_archived)
            credentials = [c async for c in listing]
        except AgentAPIError as exc:
            self._status(f"Could not list credentials: {exc}")
            return
        if vault_id != self.vault_id:
            return  # the highlight moved on meanwhile
        self.credentials = {credential.id: credential for credential in credentials}
        option_list.set_options(Option(credential_prompt(c), id=c.id) for c in credentials)
        if credentials:
            option_list.highlighted = 0

    # ------------------------------------------------------------------ actions

    def action_new_vault(self) -> None:
        async def save(body: dict[str, Any]) -> Vault:
            return await self.client.vaults.create(body)

        def created(vault: Vault | None) -> None:
            if vault is not None:
                self.load_vaults(select=vault.id)

        self.app.push_screen(VaultForm(save), created)

    def action_new_credential(self) -> None:
        vault_id = self.vault_id
        if vault_id is None:
            self._status("Create a vault first (n).")
            return

        async def save(body: dict[str, Any]) -> Credential:
            return await self.client.vaults.credentials.create(vault_id, body)

        def created(credential: Credential | None) -> None:
            if credential is not None:
                self._status("Credential added; its token is stored write-only and never shown again.")
                self.load_credentials()

        self.app.push_screen(CredentialForm(save, self.vaults[vault_id].display_name), created)

    def _target(self) -> tuple[str, str, str] | None:
        """(kind, id, name) of the highlighted row of the focused list (credentials if focused)."""
        credentials = self.query_one("#credential-list", OptionList)
        if self.focused is credentials and credentials.highlighted is not None:
            credential = self.credentials[credentials.get_option_at_index(credentials.highlighted).id]
            return "credential", credential.id, credential.display_name or credential_where(credential)
        vault_id = self.vault_id
        if vault_id is None:
            return None
        return "vault", vault_id, self.vaults[vault_id].display_name

    def action_archive(self) -> None:
        self._confirmed("archive")

    def action_delete(self) -> None:
        self._confirmed("delete")

    def _confirmed(self, verb: str) -> None:
        target = self._target()
        if target is None:
            return
        kind, object_id, name = target
        extra = " and every credential in it" if kind == "vault" and verb == "delete" else ""
        question = f"{verb.capitalize()} {kind} {name!r}{extra}?"

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply(verb, kind, object_id)

        self.app.push_screen(ConfirmScreen(question, yes=verb.capitalize()), answered)

    @work(group="vaults-change", exit_on_error=False)
    async def _apply(self, verb: str, kind: str, object_id: str) -> None:
        vault_id = self.vault_id
        try:
            if kind == "vault":
                await getattr(self.client.vaults, verb)(object_id)
            else:
                await getattr(self.client.vaults.credentials, verb)(vault_id, object_id)
        except AgentAPIError as exc:
            self._status(f"Could not {verb} the {kind}: {exc}")
            return
        self._status(f"{kind.capitalize()} {verb}d.")
        if kind == "vault":
            self.load_vaults()
        else:
            self.load_credentials()

    @work(group="vaults-validate", exit_on_error=False)
    async def action_validate(self) -> None:
        """Check the highlighted OAuth credential against its MCP server (refreshing its token first)."""
        target = self._target()
        if target is None or target[0] != "credential" or self.credentials[target[1]].auth.type != "mcp_oauth":
            self._status("Validate applies to an OAuth credential: highlight one in the credentials list.")
            return
        self._status("Validating…")
        try:
            result = await self.client.vaults.credentials.mcp_oauth_validate(self.vault_id, target[1])
        except AgentAPIError as exc:
            self._status(f"Could not validate: {exc}")
            return
        refresh = f"; token refresh {result.refresh.status}" if result.refresh else ""
        probe = result.mcp_probe.http_response if result.mcp_probe else None
        answer = f" (the server answered HTTP {probe.status_code})" if probe else ""
        self._status(f"{target[2]}: {result.status}{answer}{refresh}")

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.load_vaults()

    def action_close(self) -> None:
        self.dismiss(None)
