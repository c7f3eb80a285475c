"""Vaults and their credentials: secrets agents use to reach MCP servers and hosts.

Secrets are write-only: a credential's ``auth`` as the server returns it never carries the token,
access token, refresh token or secret value it was created with.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from app.api.models.base import Metadata, Timestamp, WireModel
from app.api.models.unions import BY_TYPE, KNOWN_FIRST, Fallback, Tagged, tag_other_than


class Vault(Tagged):
    """A named set of credentials, referenced by sessions through ``vault_ids``."""

    type: Literal["vault"] = "vault"
    id: str
    display_name: str
    metadata: Metadata = {}
    created_at: Timestamp
    updated_at: Timestamp
    archived_at: Timestamp | None = None


class VaultCreateParams(WireModel):
    """Body of ``POST /v1/vaults``."""

    display_name: str
    metadata: Metadata | None = None


class VaultUpdateParams(WireModel):
    """Body of ``POST /v1/vaults/{id}``; ``metadata`` is a patch (``None`` deletes a key)."""

    display_name: str | None = None
    metadata: dict[str, str | None] | None = None


class TokenEndpointAuth(WireModel):
    """How the token endpoint is authenticated (``none``, ``client_secret_basic``, ``client_secret_post``)."""

    type: str


class OAuthRefresh(WireModel):
    """An OAuth credential's refresh settings as returned (the refresh token is never returned)."""

    client_id: str
    token_endpoint: str
    token_endpoint_auth: TokenEndpointAuth
    resource: str | None = None
    scope: str | None = None


class StaticBearerAuth(Tagged):
    """A fixed bearer token sent to the MCP server at ``mcp_server_url``."""

    type: Literal["static_bearer"] = "static_bearer"
    mcp_server_url: str


class McpOAuthAuth(Tagged):
    """An OAuth access token (and optional refresh settings) for the MCP server at ``mcp_server_url``."""

    type: Literal["mcp_oauth"] = "mcp_oauth"
    mcp_server_url: str
    expires_at: Timestamp | None = None
    refresh: OAuthRefresh | None = None


class InjectionLocation(WireModel):
    body: bool
    header: bool


class EnvironmentVariableAuth(Tagged):
    """A secret placed in the sandbox as ``secret_name`` and substituted into outbound requests."""

    type: Literal["environment_variable"] = "environment_variable"
    secret_name: str
    injection_location: InjectionLocation
    networking: dict[str, object]


_KnownAuth: TypeAlias = Annotated[StaticBearerAuth | McpOAuthAuth | EnvironmentVariableAuth, BY_TYPE]


class UnknownAuth(Fallback):
    """A credential type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(_KnownAuth)]


#: A credential's ``auth`` as returned; unknown types parse as :class:`UnknownAuth`.
CredentialAuth: TypeAlias = Annotated[_KnownAuth | UnknownAuth, KNOWN_FIRST]


class Credential(Tagged):
    """A credential in a vault (its secret is never returned)."""

    type: Literal["vault_credential"] = "vault_credential"
    id: str
    vault_id: str
    display_name: str | None = None
    auth: CredentialAuth
    metadata: Metadata = {}
    created_at: Timestamp
    updated_at: Timestamp
    archived_at: Timestamp | None = None


class StaticBearerParams(Tagged):
    type: Literal["static_bearer"] = "static_bearer"
    mcp_server_url: str
    token: str


class OAuthRefreshParams(WireModel):
    client_id: str
    refresh_token: str
    token_endpoint: str
    token_endpoint_auth: TokenEndpointAuth
    resource: str | None = None
    scope: str | None = None


class McpOAuthParams(Tagged):
    type: Literal["mcp_oauth"] = "mcp_oauth"
    mcp_server_url: str
    access_token: str
    expires_at: Timestamp | None = None
    refresh: OAuthRefreshParams | None = None


class EnvironmentVariableParams(Tagged):
    type: Literal["environment_variable"] = "environment_variable"
    secret_name: str
    secret_value: str
    networking: dict[str, object]
    injection_location: InjectionLocation | None = None


#: ``auth`` in a create request: only the known types.
CredentialAuthParams: TypeAlias = Annotated[StaticBearerParams | McpOAuthParams | EnvironmentVariableParams, BY_TYPE]


class CredentialCreateParams(WireModel):
    """Body of ``POST /v1/vaults/{id}/credentials``."""

    auth: CredentialAuthParams
    display_name: str | None = None
    metadata: Metadata | None = None


class CredentialUpdateParams(WireModel):
    """Body of ``POST /v1/vaults/{id}/credentials/{id}``: ``auth`` fields given replace the stored
    ones (its ``type`` must match); ``metadata`` is a patch."""

    auth: dict[str, object] | None = None
    display_name: str | None = None
    metadata: dict[str, str | None] | None = None


class HttpResponseDetail(WireModel):
    body: str
    body_truncated: bool
    content_type: str
    status_code: int


class McpProbe(WireModel):
    """The MCP probe step that failed."""

    method: str
    http_response: HttpResponseDetail | None = None


class RefreshOutcome(WireModel):
    status: str
    http_response: HttpResponseDetail | None = None


class CredentialValidation(Tagged):
    """The result of ``mcp_oauth_validate``: ``status`` is ``valid``, ``invalid`` or ``unknown``."""

    type: Literal["vault_credential_validation"] = "vault_credential_validation"
    credential_id: str
    vault_id: str
    status: str
    has_refresh_token: bool
    validated_at: Timestamp
    mcp_probe: McpProbe | None = None
    refresh: RefreshOutcome | None = None
