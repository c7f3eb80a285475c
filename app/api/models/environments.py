"""Environments: where sessions run, cloud or self-hosted (reference §4.1)."""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from app.api.models.base import Metadata, Timestamp, WireModel
from app.api.models.unions import BY_TYPE, KNOWN_FIRST, Fallback, Tagged, tag_other_than


class UnrestrictedNetwork(Tagged):
    type: Literal["unrestricted"] = "unrestricted"


class LimitedNetwork(Tagged):
    """Egress to ``allowed_hosts`` only (in requests the ``allow_*`` flags default to false)."""

    type: Literal["limited"] = "limited"
    allowed_hosts: list[str] | None = None
    allow_package_managers: bool | None = None
    allow_mcp_servers: bool | None = None


#: Networking in a request: only the known types.
NetworkingParams: TypeAlias = Annotated[UnrestrictedNetwork | LimitedNetwork, BY_TYPE]


class UnknownNetwork(Fallback):
    """A networking type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(NetworkingParams)]


#: A cloud environment's networking; unknown types parse as :class:`UnknownNetwork`.
Networking: TypeAlias = Annotated[NetworkingParams | UnknownNetwork, KNOWN_FIRST]


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


_KnownConfig: TypeAlias = Annotated[CloudConfig | SelfHostedConfig, BY_TYPE]


class UnknownEnvironmentConfig(Fallback):
    """An environment config type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(_KnownConfig)]


#: An environment's ``config``; unknown types parse as :class:`UnknownEnvironmentConfig`.
EnvironmentConfig: TypeAlias = Annotated[_KnownConfig | UnknownEnvironmentConfig, KNOWN_FIRST]
#: ``config`` in a request: only the known types.
EnvironmentConfigParams: TypeAlias = Annotated[CloudConfigParams | SelfHostedConfig, BY_TYPE]


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
