"""Parsing of the free-text form fields (metadata lines, allowed hosts) into API values.

Each parser raises :class:`FieldError` with a message a person can act on; forms show it next to
the field and keep what was typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[\s,]+")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?:\*\.)?{_LABEL}(?:\.{_LABEL})*\.?$", re.IGNORECASE)


class FieldError(ValueError):
    """A field's text cannot be used; ``str()`` says why."""


@dataclass(frozen=True)
class MetadataLimits:
    """How many ``key=value`` pairs, and how long keys and values, the API accepts."""

    pairs: int
    key_chars: int
    value_chars: int


#: The API's limits on agent and session metadata (it states none for environments).
SESSION_METADATA = MetadataLimits(pairs=16, key_chars=64, value_chars=512)


def parse_metadata(text: str, limits: MetadataLimits | None = None) -> dict[str, str]:
    """``key=value`` lines (blank lines ignored, spaces around key and value trimmed) -> a dict."""
    metadata: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        key, equals, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not equals or not key:
            raise FieldError(f"Line {number}: write key=value (got {line.strip()!r}).")
        if key in metadata:
            raise FieldError(f"Line {number}: the key {key!r} is given twice.")
        if limits and (len(key) > limits.key_chars or len(value) > limits.value_chars):
            raise FieldError(
                f"Line {number}: keys are at most {limits.key_chars} characters, values at most {limits.value_chars}."
            )
        metadata[key] = value
    if limits and len(metadata) > limits.pairs:
        raise FieldError(f"At most {limits.pairs} metadata pairs ({len(metadata)} given).")
    return metadata


def format_metadata(metadata: dict[str, str]) -> str:
    """The inverse of :func:`parse_metadata`: one ``key=value`` line per pair."""
    return "\n".join(f"{key}={value}" for key, value in metadata.items())


def metadata_patch(before: dict[str, str], after: dict[str, str]) -> dict[str, str | None]:
    """The API patch turning ``before`` into ``after``: changed or new keys, removed keys as ``None``."""
    patch: dict[str, str | None] = {key: value for key, value in after.items() if before.get(key) != value}
    patch.update({key: None for key in before if key not in after})
    return patch


def parse_hosts(text: str) -> list[str]:
    """Host names separated by commas or spaces (``*.`` prefix allowed); no scheme, port or path."""
    hosts = [host for host in _SEPARATORS.split(text) if host]
    for host in hosts:
        if "://" in host or "/" in host:
            raise FieldError(f"{host!r}: give a host name such as example.com, not a URL")
        if ":" in host:
            raise FieldError(f"{host!r}: give the host without a port")
        if len(host) > 253 or not _HOST.match(host):
            raise FieldError(f"{host!r} is not a valid host name")
    return hosts
