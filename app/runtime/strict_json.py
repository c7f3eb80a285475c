"""Strict JSON: what the runtime accepts in a request body and reads back from its database.

Only standard JSON (no ``NaN``/``Infinity``, no number that overflows a float), integers within
signed 64 bits, nesting at most :data:`MAX_DEPTH` deep, and valid Unicode (no lone surrogates).
Anything else raises :class:`JSONRefused`, whose message names the problem.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 64
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class JSONRefused(ValueError):
    """A document that is not strict JSON; the message says why."""


def _constant(name: str) -> Any:
    raise JSONRefused(f"{name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONRefused(f"the number {text[:40]} is out of range")
    return value


def _int(text: str) -> int:
    value = int(text) if len(text) <= 20 else None
    if value is None or not INT64_MIN <= value <= INT64_MAX:
        raise JSONRefused(f"the integer {text[:40]} is outside the signed 64-bit range")
    return value


_DECODER = json.JSONDecoder(parse_constant=_constant, parse_float=_float, parse_int=_int)


def decode(text: str) -> Any:
    """``text`` parsed, refusing non-standard and out-of-range numbers (how stored rows are read)."""
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise JSONRefused(f"nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as exc:
        raise JSONRefused(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None


def loads(data: bytes) -> Any:
    """A request body (UTF-8) parsed, refusing everything the module docstring lists."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise JSONRefused("not valid UTF-8") from None
    value = decode(text)
    _check(value)
    return value


def _valid_unicode(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check(value: Any) -> None:
    """Nesting depth and lone surrogates, walked without recursion."""
    stack: list[tuple[Any, int, str]] = [(value, 1, "")]
    while stack:
        item, depth, where = stack.pop()
        if isinstance(item, str):
            if not _valid_unicode(item):
                raise JSONRefused(f"{where or 'the body'}: a string has a lone surrogate (not valid Unicode)")
            continue
        if isinstance(item, dict):
            children = item.items()
        elif isinstance(item, list):
            children = enumerate(item)
        else:
            continue
        if depth > MAX_DEPTH:
            raise JSONRefused(f"nested more than {MAX_DEPTH} levels deep")
        for key, child in children:
            path = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and not _valid_unicode(key):
                raise JSONRefused(f"{where or 'the body'}: a key has a lone surrogate (not valid Unicode)")
            stack.append((child, depth + 1, path))
