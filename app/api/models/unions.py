"""Open unions: dispatch on ``type`` inside pydantic-core, with a fallback for types we don't know yet.

A union built by :func:`open_union` validates in one step: pydantic-core looks the ``type`` tag up in
a table of the known classes. Only when that fails (an unknown tag, or a known tag with a malformed
body) does it try the fallback class, whose ``type`` field (:func:`tag_other_than`) refuses every
known tag, so a malformed known object is still an error and never silently becomes "unknown".
No Python code runs for a well-formed known object, which keeps the JSON fast path fast.

Request bodies use :func:`closed_union` instead: the same known classes and no fallback, so a
server validating requests (the embedded runtime) refuses a type it does not know.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Union, get_args

from pydantic import ConfigDict, Field, SerializerFunctionWrapHandler, StringConstraints, model_serializer

from app.api.models.base import WireModel


class Tagged(WireModel):
    """A wire object whose ``type`` tag has a default and is always serialised.

    So ``TextBlock(text="hi").to_wire()`` carries ``"type": "text"`` although the caller never set
    it. (A serializer rather than an ``__init__`` override: pydantic would call a custom
    ``__init__`` for every parsed object, and parsing is the hot path.)
    """

    @model_serializer(mode="wrap")
    def _always_tagged(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and "type" not in data:
            data = {"type": self.type, **data}
        return data


def type_tag(cls: type[WireModel]) -> str:
    """The ``type`` literal a wire class is tagged with."""
    (tag,) = get_args(cls.model_fields["type"].annotation)
    return tag


def tag_other_than(*known: type[WireModel]) -> Any:
    """A ``str`` type that accepts any tag except those of ``known``: the ``type`` of a
    :class:`Fallback` (the check uses a look-ahead)."""
    tags = "|".join(re.escape(type_tag(cls)) for cls in known)
    return Annotated[str, StringConstraints(pattern=rf"^(?!(?:{tags})$)")]


class Fallback(WireModel):
    """Base of an open union's fallback class, whose ``type`` is a :func:`tag_other_than`: it
    switches on the regex engine that look-ahead needs."""

    model_config = ConfigDict(regex_engine="python-re")


def closed_union(*known: type[WireModel]) -> Any:
    """Exactly ``known``, dispatched on ``type`` (a lone class stands for itself)."""
    if len(known) == 1:
        return known[0]
    return Annotated[Union[known], Field(discriminator="type")]  # noqa: UP007 (runtime tuple)


def open_union(known: tuple[type[WireModel], ...], fallback: type[WireModel]) -> Any:
    """``known`` discriminated by ``type``, else ``fallback`` (which must refuse the known tags)."""
    return Annotated[Union[closed_union(*known), fallback], Field(union_mode="left_to_right")]  # noqa: UP007
