"""Environments: where sessions run, cloud or self-hosted (reference §4.1)."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field

from app.api.models.base import Metadata, Timestamp, WireModel
from app.api.models.unions import Tagged


class Networking(WireModel):
    """``{type: "unrestricted"}`` or ``{type: "limited", allowed_hosts, allow_package_managers,
    allow_mcp_servers}`` (in requests the ``allow_*`` flags default to false)."""

    type: str
    allowed_hosts: list[str] | None = None
    allow_package_managers: bool | None = None
    allow_mcp_servers: bool | None = None


class Packages(WireModel):
    """Packages preinstalled in the sandbox, per manager (entries like ``"pandas==2.2.3"``)."""

    type: str | None = None
    apt: list[str] | None = None
    cargo: list[str] | None = None
    gem: list[str] | None = None
    go: list[str] | None = None
    npm: list[str] | None = None
    pip: list[str] | None = None


class CloudConfig(Tagged):
    """A sandbox run by Anthropic. In update requests omitted sub-fields are kept."""

    type: Literal["cloud"] = "cloud"
    networking: Networking | None = None
    packages: Packages | None = None


class SelfHostedConfig(Tagged):
    """A sandbox run by your own worker (the work queue, reference §8)."""

    type: Literal["self_hosted"] = "self_hosted"


EnvironmentConfig = Annotated[Union[CloudConfig, SelfHostedConfig], Field(discriminator="type")]  # noqa: UP007


class Environment(Tagged):
    """An environment; ``archived_at`` is its only lifecycle marker."""

    type: Literal["environment"] = "environment"
    id: str
    name: str
    description: str | None = None
    scope: str | None = None
    config: EnvironmentConfig
    metadata: Metadata = {}
    created_at: Timestamp
    updated_at: Timestamp
    archived_at: Timestamp | None = None


class EnvironmentCreateParams(WireModel):
    """Body of ``POST /v1/environments``; ``scope`` is ``organization`` or ``account``."""

    name: str
    config: EnvironmentConfig | None = None
    description: str | None = None
    metadata: Metadata | None = None
    scope: str | None = None


class EnvironmentUpdateParams(WireModel):
    """Body of ``POST /v1/environments/{id}``; ``metadata`` is a patch (``None`` deletes a key)."""

    name: str | None = None
    config: EnvironmentConfig | None = None
    description: str | None = None
    metadata: dict[str, str | None] | None = None
    scope: str | None = None
