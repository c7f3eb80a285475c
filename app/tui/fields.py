"""Parsing of the free-text form fields (metadata lines, allowed hosts) into API values.

Each parser raises :class:`FieldError` with a message a person can act on; forms show it next to
the field and keep what was typed.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s,]+")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?:\*\.)?{_LABEL}(?:\.{_LABEL})*\.?$", re.IGNORECASE)


class FieldError(ValueError):
    """A field's text cannot be used; ``str()`` says why."""


def parse_metadata(text: str) -> dict[str, str]:
    """``key=value`` lines (blank lines ignored, spaces around key and value trimmed) -> a dict."""
    metadata: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        key, equals, value = line.partition("=")
        key = key.strip()
        if not equals or not key:
            raise FieldError(f"line {number}: write key=value (got {line.strip()!r})")
        if key in metadata:
            raise FieldError(f"line {number}: key {key!r} appears twice")
        metadata[key] = value.strip()
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
