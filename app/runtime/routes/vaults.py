"""``/v1/vaults`` and their ``/credentials``: CRUD, archive, and ``mcp_oauth_validate``.

A credential's secret fields (``token``, ``access_token``, ``refresh.refresh_token``,
``secret_value``) are stored apart from its JSON and never returned.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from pydantic import TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.api.models import (
    CredentialAuthParams,
    CredentialCreateParams,
    CredentialUpdateParams,
    VaultCreateParams,
    VaultUpdateParams,
)
from app.runtime import mcp_client, oauth_refresh, resolve
from app.runtime.errors import RouteError, found
from app.runtime.ids import new_id, new_object, now
from app.runtime.routes.params import (
    archive_object,
    delete_reply,
    deleted_reply,
    describe,
    object_page,
    read_body,
    reply,
    saved_reply,
    services,
)

#: The secret field of each credential type, by where it sits in ``auth``.
_SECRETS = {"static_bearer": ("token",), "mcp_oauth": ("access_token",), "environment_variable": ("secret_value",)}
_AUTH: TypeAdapter[CredentialAuthParams] = TypeAdapter(CredentialAuthParams)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _vault(request: Request) -> dict[str, Any]:
    vault_id = request.path_params["vault_id"]
    return found(services(request).store.get_vault(vault_id), "vault", vault_id)


def _credential(request: Request) -> dict[str, Any]:
    vault = _vault(request)
    credential_id = request.path_params["credential_id"]
    return found(services(request).store.get_credential(vault["id"], credential_id), "credential", credential_id)


def _unarchived(obj: dict[str, Any], kind: str) -> None:
    if obj["archived_at"] is not None:
        raise RouteError.invalid_request(f"{kind} {obj['id']!r} is archived")


def _split(auth: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``auth`` as returned (no secrets) and its secrets."""
    public = {k: v for k, v in auth.items() if k not in _SECRETS[auth["type"]]}
    secret = {k: auth[k] for k in _SECRETS[auth["type"]] if k in auth}
    if auth["type"] == "mcp_oauth":
        public.setdefault("expires_at", None)
        refresh = public.get("refresh")
        if refresh:
            public["refresh"] = {"resource": None, "scope": None, **refresh}
            if "refresh_token" in refresh:
                secret["refresh_token"] = public["refresh"].pop("refresh_token")
            endpoint_auth = dict(refresh.get("token_endpoint_auth") or {})
            if "client_secret" in endpoint_auth:
                secret["client_secret"] = endpoint_auth.pop("client_secret")
            public["refresh"]["token_endpoint_auth"] = endpoint_auth
        else:
            public["refresh"] = None
    if auth["type"] == "environment_variable":
        if "secret_name" in public and not _ENV_NAME.match(public["secret_name"]):
            problem = "secret_name must be a variable name: letters, digits and _, not starting with a digit"
            raise RouteError.invalid_request(problem)
        public["injection_location"] = public.get("injection_location") or {"body": False, "header": True}
    return public, secret


async def create_vault(request: Request) -> JSONResponse:
    params, _ = await read_body(request, VaultCreateParams)
    if not 1 <= len(params.display_name) <= 255:
        raise RouteError.invalid_request("display_name must be 1-255 characters")
    vault = new_object("vault", new_id("vlt"), {"display_name": params.display_name, "metadata": params.metadata or {}})
    services(request).store.put_vault(vault)
    return reply(vault)


async def retrieve_vault(request: Request) -> JSONResponse:
    return reply(_vault(request))


async def update_vault(request: Request) -> JSONResponse:
    vault = _vault(request)
    params, raw = await read_body(request, VaultUpdateParams)
    _unarchived(vault, "vault")
    changed = dict(vault)
    if params.display_name is not None:
        changed["display_name"] = params.display_name
    if params.metadata is not None:
        changed["metadata"] = resolve.patch_metadata(vault["metadata"], params.metadata)
    return saved_reply(changed, vault, services(request).store.put_vault)


async def list_vaults(request: Request) -> JSONResponse:
    return object_page(request, services(request).store.list_vaults)


async def archive_vault(request: Request) -> JSONResponse:
    return reply(archive_object(_vault(request), services(request).store.put_vault))


async def delete_vault(request: Request) -> JSONResponse:
    vault_id = request.path_params["vault_id"]
    return delete_reply(vault_id, "vault", services(request).store.delete_vault)


async def create_credential(request: Request) -> JSONResponse:
    vault = _vault(request)
    params, raw = await read_body(request, CredentialCreateParams)
    _unarchived(vault, "vault")
    auth, secret = _split(raw["auth"])
    fields = {
        "vault_id": vault["id"],
        "display_name": params.display_name,
        "auth": auth,
        "metadata": params.metadata or {},
    }
    credential = new_object("vault_credential", new_id("vcrd"), fields)
    services(request).store.put_credential(credential, secret)
    return reply(credential)


async def retrieve_credential(request: Request) -> JSONResponse:
    return reply(_credential(request))


async def update_credential(request: Request) -> JSONResponse:
    credential = _credential(request)
    params, raw = await read_body(request, CredentialUpdateParams)
    _unarchived(credential, "credential")
    store = services(request).store
    changed, secret = dict(credential), None
    if "display_name" in raw:
        changed["display_name"] = params.display_name
    if params.metadata is not None:
        changed["metadata"] = resolve.patch_metadata(credential["metadata"], params.metadata)
    if raw.get("auth") is not None:
        patch = raw["auth"]
        if patch.get("type") != credential["auth"]["type"]:
            raise RouteError.invalid_request(f"auth.type must stay {credential['auth']['type']!r}")
        old = store.credential_secret(credential["id"])
        refresh_token, client_secret = old.pop("refresh_token", None), old.pop("client_secret", None)
        merged = {**credential["auth"], **old, **{k: v for k, v in patch.items() if v is not None}}
        if patch.get("refresh") and credential["auth"].get("refresh"):  # a partial update of the refresh config
            given = {k: v for k, v in patch["refresh"].items() if v is not None}
            merged["refresh"] = {**credential["auth"]["refresh"], **given}
        if merged.get("refresh"):  # the refresh's secrets are kept unless the patch gives new ones
            refresh = merged["refresh"] = {"refresh_token": refresh_token, **merged["refresh"]}
            endpoint_auth = refresh["token_endpoint_auth"] = dict(refresh.get("token_endpoint_auth") or {})
            if client_secret and endpoint_auth.get("type") != "none":
                endpoint_auth.setdefault("client_secret", client_secret)
        try:
            _AUTH.validate_python(merged)
        except ValidationError as exc:
            raise RouteError.invalid_request(f"auth: {describe(exc)}") from None
        auth, secret = _split(merged)
        changed["auth"] = auth
    if changed != credential or secret is not None:
        changed["updated_at"] = now()
        store.put_credential(changed, secret)
    return reply(changed)


async def list_credentials(request: Request) -> JSONResponse:
    vault = _vault(request)
    return object_page(request, partial(services(request).store.list_credentials, vault["id"]))


async def archive_credential(request: Request) -> JSONResponse:
    return reply(archive_object(_credential(request), services(request).store.put_credential))


async def delete_credential(request: Request) -> JSONResponse:
    vault = _vault(request)
    credential_id = request.path_params["credential_id"]
    if not services(request).store.delete_credential(vault["id"], credential_id):
        found(None, "credential", credential_id)
    return deleted_reply(credential_id, "vault_credential")


async def validate_credential(request: Request) -> JSONResponse:
    """Refresh the access token when there is a refresh token (a new one is stored), then probe
    the MCP server with the access token: ``valid``, ``invalid`` (it refused) or ``unknown``."""
    credential = _credential(request)
    auth = credential["auth"]
    if auth["type"] != "mcp_oauth":
        raise RouteError.invalid_request("mcp_oauth_validate only applies to mcp_oauth credentials")
    store = services(request).store
    secret = store.credential_secret(credential["id"])
    has_refresh = oauth_refresh.can_refresh(credential, secret)
    outcome: dict[str, Any] = {"status": "no_refresh_token", "http_response": None}
    if has_refresh:
        refreshed, credential, secret = await oauth_refresh.refresh_stored(store, credential, secret)
        outcome = {"status": refreshed.status, "http_response": refreshed.http_response}
    probe = await mcp_client.probe(auth["mcp_server_url"], mcp_client.bearer(secret.get("access_token")))
    return reply(
        {
            "type": "vault_credential_validation",
            "credential_id": credential["id"],
            "vault_id": credential["vault_id"],
            "status": probe.status,
            "has_refresh_token": has_refresh,
            "validated_at": now(),
            "mcp_probe": probe.failure,
            "refresh": outcome,
        }
    )


_CREDENTIAL = "/v1/vaults/{vault_id}/credentials/{credential_id}"

routes = [
    Route("/v1/vaults", create_vault, methods=["POST"]),
    Route("/v1/vaults", list_vaults, methods=["GET"]),
    Route("/v1/vaults/{vault_id}", retrieve_vault, methods=["GET"]),
    Route("/v1/vaults/{vault_id}", update_vault, methods=["POST"]),
    Route("/v1/vaults/{vault_id}", delete_vault, methods=["DELETE"]),
    Route("/v1/vaults/{vault_id}/archive", archive_vault, methods=["POST"]),
    Route("/v1/vaults/{vault_id}/credentials", create_credential, methods=["POST"]),
    Route("/v1/vaults/{vault_id}/credentials", list_credentials, methods=["GET"]),
    Route(_CREDENTIAL, retrieve_credential, methods=["GET"]),
    Route(_CREDENTIAL, update_credential, methods=["POST"]),
    Route(_CREDENTIAL, delete_credential, methods=["DELETE"]),
    Route(f"{_CREDENTIAL}/archive", archive_credential, methods=["POST"]),
    Route(f"{_CREDENTIAL}/mcp_oauth_validate", validate_credential, methods=["POST"]),
]
