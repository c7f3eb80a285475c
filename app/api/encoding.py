"""Request encoding: query strings with ``k[]=v`` arrays, JSON bodies from models or dicts, safe paths."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from app.api.http import Query


def query(**params: Any) -> Query:
    """Encode query parameters: ``None`` is dropped, booleans become ``true``/``false``, a list or
    tuple becomes ``name[]=v`` repeated, a datetime an RFC 3339 string. Names ending in ``_gt``,
    ``_gte``, ``_lt`` or ``_lte`` of a ``created_at`` filter become ``created_at[gte]`` etc."""
    pairs: Query = []
    for name, value in params.items():
        if value is None:
            continue
        key = _bracketed(name)
        if isinstance(value, (list, tuple, set, frozenset)):
            pairs.extend((f"{key}[]", _scalar(v)) for v in value)
        else:
            pairs.append((key, _scalar(value)))
    return pairs


def array(values: Any) -> tuple[Any, ...] | None:
    """An array query parameter: ``None`` stays ``None``, a lone string counts as one value."""
    if values is None:
        return None
    return (values,) if isinstance(values, str) else tuple(values)


def body(
    params: BaseModel | Mapping[str, Any] | None = None, fields: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A JSON object from a params model or dict, overlaid with keyword fields.

    ``None`` in a keyword field is sent as JSON ``null`` (which clears a value on update); leave a
    field out to keep it.
    """
    merged: dict[str, Any] = {}
    if params is not None:
        base = jsonable(params)
        if not isinstance(base, dict):
            raise TypeError(f"request body must be a mapping or a model, got {type(params).__name__}")
        merged.update(base)
    if fields:
        merged.update({k: jsonable(v) for k, v in fields.items()})
    return merged


def jsonable(value: Any) -> Any:
    """Turn models (only the fields that were set), mappings, sequences and datetimes into JSON values."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return _timestamp(value)
    return value


def path(template: str, *ids: str) -> str:
    """Fill ``{}`` slots of a path with percent-encoded ids, refusing empty or non-string ids."""
    for value in ids:
        if not isinstance(value, str) or not value:
            raise ValueError(f"an id must be a non-empty string, got {value!r}")
    return template.format(*(quote(v, safe="") for v in ids))


def _bracketed(name: str) -> str:
    head, _, op = name.rpartition("_")
    if head == "created_at" and op in ("gt", "gte", "lt", "lte"):
        return f"created_at[{op}]"
    return name


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _timestamp(value)
    return str(value)


def _timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``; a naive datetime is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def sequence(items: Any) -> list[Any]:
    """One item or many, as a list (a lone dict or model counts as one)."""
    if isinstance(items, (Mapping, BaseModel)):
        return [items]
    return list(items)
