"""The base every wire model shares: lossless JSON in, the same JSON out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

#: RFC 3339 timestamps stay strings so that serialising gives back the server's exact bytes.
Timestamp = str


def parse_time(stamp: Timestamp) -> datetime:
    """An RFC 3339 timestamp of the API as an aware datetime."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


#: Metadata maps on environments, agents and sessions.
Metadata = dict[str, str]


class WireModel(BaseModel):
    """A JSON object of the Agent API.

    Unknown fields are kept (a newer server never loses data on a round trip), and
    :meth:`to_wire` dumps only what was set, so ``Model.model_validate(j).to_wire() == j``.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True, protected_namespaces=(), defer_build=True)

    def to_wire(self) -> dict[str, Any]:
        """The JSON object as the server sent it (or as a request body should carry it)."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
