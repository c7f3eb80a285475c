"""The Vaults screen's forms: a vault (its name and metadata), and a credential for an MCP server.

A new credential is a bearer token (``static_bearer``) or an OAuth access token (``mcp_oauth``)
for the MCP server at a URL. Editing a credential changes its name and, typed masked, its secret
(the token, access token, refresh token or secret value its type has): a secret field left empty
keeps the stored one. Secrets are never shown again: the API never returns them. Each form saves
through the coroutine it is given (in a worker) and closes only when that succeeds; an API error
shows in the form with everything typed kept.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, RadioButton, RadioSet, Static, TextArea

from app.api.models import Credential, Vault
from app.tui.fields import FieldError, format_metadata, metadata_patch, parse_metadata
from app.tui.screens.field_form import Save, SavingForm
from app.tui.widgets.footer import Footer
from app.tui.widgets.message_line import MessageLine

#: The secret fields an edit may replace, by credential type: (field id, label, where it goes in ``auth``).
_SECRETS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "static_bearer": (("credential-token", "New token", ("token",)),),
    "mcp_oauth": (
        ("credential-token", "New access token", ("access_token",)),
        ("credential-refresh-token", "New refresh token", ("refresh", "refresh_token")),
    ),
    "environment_variable": (("credential-token", "New secret value", ("secret_value",)),),
}


def _required(value: str, what: str) -> str:
    if not value.strip():
        raise FieldError(f"{what} is required")
    return value.strip()


def _url(value: str) -> str:
    url = _required(value, "the MCP server URL")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FieldError("an http:// or https:// URL, e.g. https://mcp.example.com/mcp")
    return url


class VaultForm(SavingForm):
    """A new vault (``vault`` None) or an edit of ``vault``: its display name and metadata."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="vault_form.save"),
        Binding("escape", "cancel", "Cancel", id="vault_form.cancel"),
    ]

    def __init__(self, save: Save, vault: Vault | None = None) -> None:
        super().__init__(save)
        self.vault = vault

    def compose(self) -> ComposeResult:
        vault = self.vault
        with VerticalScroll(id="vault-form", classes="dialog form"):
            yield Static(Content(f"Edit vault {vault.display_name}" if vault else "New vault"), classes="dialog-title")
            yield Label("Name")
            yield Input(
                vault.display_name if vault else "", placeholder="e.g. team keys", id="vault-name", compact=True
            )
            yield MessageLine(id="vault-name-error", classes="field-error")
            yield Label("Metadata (key=value, one pair per line)")
            metadata = format_metadata(vault.metadata or {}) if vault else ""
            yield TextArea(metadata, id="vault-metadata", soft_wrap=False, compact=True)
            yield MessageLine(id="vault-metadata-error", classes="field-error")
            yield from self._buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#vault-name").focus()

    def _body(self) -> dict[str, Any] | None:
        name = self._check("vault-name", lambda: _required(self.query_one("#vault-name", Input).value, "a name"))
        text = self.query_one("#vault-metadata", TextArea).text
        metadata = self._check("vault-metadata", lambda: parse_metadata(text))
        if name is None or metadata is None:
            return None
        if self.vault is None:
            return {"display_name": name, **({"metadata": metadata} if metadata else {})}
        body: dict[str, Any] = {"display_name": name} if name != self.vault.display_name else {}
        if patch := metadata_patch(self.vault.metadata or {}, metadata):
            body["metadata"] = patch
        return body


class CredentialForm(SavingForm):
    """A new credential of vault ``vault_name`` for an MCP server: name, type, URL, masked token."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="credential_form.save"),
        Binding("escape", "cancel", "Cancel", id="credential_form.cancel"),
    ]

    def __init__(self, save: Save, vault_name: str) -> None:
        super().__init__(save)
        self.vault_name = vault_name

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="credential-form", classes="dialog form"):
            yield Static(Content(f"New credential in {self.vault_name}"), classes="dialog-title")
            yield Label("Name (optional)")
            yield Input(placeholder="e.g. GitHub MCP", id="credential-name", compact=True)
            yield Label("Type")
            with RadioSet(id="credential-type", compact=True):
                yield RadioButton("bearer token", value=True, id="type-static_bearer")
                yield RadioButton("OAuth access token", id="type-mcp_oauth")
            yield Label("MCP server URL")
            yield Input(placeholder="https://mcp.example.com/mcp", id="credential-url", compact=True)
            yield MessageLine(id="credential-url-error", classes="field-error")
            yield Label("Token (write-only: never shown again)")
            yield Input(password=True, id="credential-token", compact=True)
            yield MessageLine(id="credential-token-error", classes="field-error")
            yield from self._buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#credential-name").focus()

    def _body(self) -> dict[str, Any] | None:
        url = self._check("credential-url", lambda: _url(self.query_one("#credential-url", Input).value))
        token = self._check(
            "credential-token", lambda: _required(self.query_one("#credential-token", Input).value, "a token")
        )
        oauth = self.query_one("#type-mcp_oauth", RadioButton).value
        auth = (
            {"type": "mcp_oauth", "mcp_server_url": url, "access_token": token}
            if oauth
            else {
                "type": "static_bearer",
                "mcp_server_url": url,
                "token": token,
            }
        )
        body: dict[str, Any] = {"auth": auth}
        if name := self.query_one("#credential-name", Input).value.strip():
            body["display_name"] = name
        return body


class CredentialEditForm(SavingForm):
    """An edit of ``credential`` of vault ``vault_name``: its name, and new secrets typed masked
    (each left empty keeps the stored one). Its type and server URL cannot change."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="credential_edit.save"),
        Binding("escape", "cancel", "Cancel", id="credential_edit.cancel"),
    ]

    def __init__(self, save: Save, vault_name: str, credential: Credential) -> None:
        super().__init__(save)
        self.vault_name = vault_name
        self.credential = credential
        auth = credential.auth
        self.secrets = [
            s for s in _SECRETS.get(auth.type, ()) if s[2][0] != "refresh" or getattr(auth, "refresh", None)
        ]

    def compose(self) -> ComposeResult:
        credential, auth = self.credential, self.credential.auth
        where = getattr(auth, "mcp_server_url", None) or getattr(auth, "secret_name", None) or ""
        with VerticalScroll(id="credential-form", classes="dialog form"):
            yield Static(Content(f"Edit credential in {self.vault_name}"), classes="dialog-title")
            yield Static(Content(f"{auth.type}  {where}"), classes="muted")
            yield Label("Name (empty: none)")
            yield Input(credential.display_name or "", id="credential-name", compact=True)
            for field_id, label, _ in self.secrets:
                yield Label(f"{label} (write-only: leave empty to keep the stored one)")
                yield Input(password=True, id=field_id, compact=True)
            yield from self._buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#credential-name").focus()

    def _body(self) -> dict[str, Any] | None:
        body: dict[str, Any] = {}
        name = self.query_one("#credential-name", Input).value.strip()
        if name != (self.credential.display_name or ""):
            body["display_name"] = name or None
        auth: dict[str, Any] = {}
        for field_id, _, where in self.secrets:
            if value := self.query_one(f"#{field_id}", Input).value.strip():
                target = auth
                for key in where[:-1]:
                    target = target.setdefault(key, {})
                target[where[-1]] = value
        if auth:
            body["auth"] = {"type": self.credential.auth.type, **auth}
        return body
