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
    """Nesting depth and lone surrogates, walked depth first without recursion. Memory stays in
    proportion to the depth (one iterator per open container) and a path is spelled out only for
    the error."""
    if isinstance(value, str):
        if not _valid_unicode(value):
            raise JSONRefused("the body: a string has a lone surrogate (not valid Unicode)")
        return
    if not isinstance(value, (dict, list)):
        return
    stack: list[tuple[Any, int, Any]] = [(_children(value), 1, None)]
    while stack:
        children, depth, node = stack[-1]
        for key, child in children:
            if isinstance(key, str) and not _valid_unicode(key):
                raise JSONRefused(f"{_path(node) or 'the body'}: a key has a lone surrogate (not valid Unicode)")
            if isinstance(child, str):
                if not _valid_unicode(child):
                    raise JSONRefused(f"{_path((node, key))}: a string has a lone surrogate (not valid Unicode)")
            elif isinstance(child, (dict, list)):
                if depth >= MAX_DEPTH:
                    raise JSONRefused(f"nested more than {MAX_DEPTH} levels deep")
                stack.append((_children(child), depth + 1, (node, key)))
                break
        else:
            stack.pop()


def _children(container: dict[str, Any] | list[Any]) -> Any:
    return iter(container.items()) if isinstance(container, dict) else enumerate(container)


def _path(node: Any) -> str:
    """``a.b.0`` for the chain of (parent, key) pairs ending at ``node``."""
    keys = []
    while node is not None:
        node, key = node
        keys.append(str(key))
    return ".".join(reversed(keys))
