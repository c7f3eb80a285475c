"""Environments: where sessions run, cloud or self-hosted (reference §4.1)."""

from __future__ import annotations

from typing import Literal

from app.api.models.base import Metadata, Timestamp, WireModel
from app.api.models.unions import Fallback, Tagged, closed_union, open_union, tag_other_than


class UnrestrictedNetwork(Tagged):
    type: Literal["unrestricted"] = "unrestricted"


class LimitedNetwork(Tagged):
    """Egress to ``allowed_hosts`` only (in requests the ``allow_*`` flags default to false)."""

    type: Literal["limited"] = "limited"
    allowed_hosts: list[str] | None = None
    allow_package_managers: bool | None = None
    allow_mcp_servers: bool | None = None


_KNOWN_NETWORKS = (UnrestrictedNetwork, LimitedNetwork)


class UnknownNetwork(Fallback):
    """A networking type this client does not know; every field is kept."""

    type: tag_other_than(*_KNOWN_NETWORKS)


#: A cloud environment's networking; unknown types parse as :class:`UnknownNetwork`.
Networking = open_union(_KNOWN_NETWORKS, UnknownNetwork)
#: Networking in a request: only the known types.
NetworkingParams = closed_union(*_KNOWN_NETWORKS)


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


class CloudConfigParams(CloudConfig):
    """A cloud config in a request: its networking is one of the known types."""

    networking: NetworkingParams | None = None


class SelfHostedConfig(Tagged):
    """A sandbox run by your own worker (the work queue, reference §8)."""

    type: Literal["self_hosted"] = "self_hosted"


_KNOWN_CONFIGS = (CloudConfig, SelfHostedConfig)


class UnknownEnvironmentConfig(Fallback):
    """An environment config type this client does not know; every field is kept."""

    type: tag_other_than(*_KNOWN_CONFIGS)


#: An environment's ``config``; unknown types parse as :class:`UnknownEnvironmentConfig`.
EnvironmentConfig = open_union(_KNOWN_CONFIGS, UnknownEnvironmentConfig)
#: ``config`` in a request: only the known types.
EnvironmentConfigParams = closed_union(CloudConfigParams, SelfHostedConfig)


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
    config: EnvironmentConfigParams | None = None
    description: str | None = None
    metadata: Metadata | None = None
    scope: str | None = None


class EnvironmentUpdateParams(WireModel):
    """Body of ``POST /v1/environments/{id}``; ``metadata`` is a patch (``None`` deletes a key)."""

    name: str | None = None
    config: EnvironmentConfigParams | None = None
    description: str | None = None
    metadata: dict[str, str | None] | None = None
    scope: str | None = None
