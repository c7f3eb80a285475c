"""The Vaults screen's forms: a new vault (its name), and a new credential for an MCP server.

A credential is a bearer token (``static_bearer``) or an OAuth access token (``mcp_oauth``) for
the MCP server at a URL. The token field is masked, and the token is never shown again: the API
never returns it. Each form saves through the coroutine it is given (in a worker) and closes only
when that succeeds; an API error shows in the form with everything typed kept.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from app.tui.fields import FieldError
from app.tui.screens.field_form import Save, SavingForm
from app.tui.widgets.footer import Footer



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
    """A new vault: its display name."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="vault_form.save"),
        Binding("escape", "cancel", "Cancel", id="vault_form.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="vault-form", classes="dialog form"):
            yield Static("New vault", classes="dialog-title")
            yield Label("Name")
            yield Input(placeholder="e.g. team keys", id="vault-name", compact=True)
            yield Static(id="vault-name-error", classes="field-error")
            yield from self._buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#vault-name").focus()

    def _body(self) -> dict[str, Any] | None:
        name = self._check("vault-name", lambda: _required(self.query_one("#vault-name", Input).value, "a name"))
        return {"display_name": name}


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
            yield Static(id="credential-url-error", classes="field-error")
            yield Label("Token (write-only: never shown again)")
            yield Input(password=True, id="credential-token", compact=True)
            yield Static(id="credential-token-error", classes="field-error")
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
        auth = {"type": "mcp_oauth", "mcp_server_url": url, "access_token": token} if oauth else {
            "type": "static_bearer", "mcp_server_url": url, "token": token,
        }
        body: dict[str, Any] = {"auth": auth}
        if name := self.query_one("#credential-name", Input).value.strip():
            body["display_name"] = name
        return body
