"""Open unions: dispatch on ``type`` inside pydantic-core, with a fallback for types we don't know yet.

A union is a plain type alias that a type checker reads as the union of its classes:
``Annotated[A | B, BY_TYPE]`` lets pydantic-core look the ``type`` tag up in a table of the known
classes (a closed union: request bodies use it, so a server validating requests (the embedded
runtime) refuses a type it does not know); ``Annotated[Known | Fallback, KNOWN_FIRST]`` is an open
union: only when the known classes fail (an unknown tag, or a known tag with a malformed body) does
it try the fallback class, whose ``type`` (``Annotated[str, tag_other_than(Known)]``) refuses every
known tag, so a malformed known object is still an error and never silently becomes "unknown".
No Python code runs for a well-formed known object, which keeps the JSON fast path fast.
"""

from __future__ import annotations

import re
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from pydantic import ConfigDict, Field, SerializerFunctionWrapHandler, StringConstraints, model_serializer

from app.api.models.base import WireModel


class Tagged(WireModel):
    """A wire object whose ``type`` tag has a default and is always serialised.

    So ``TextBlock(text="hi").to_wire()`` carries ``"type": "text"`` although the caller never set
    it. (A serializer rather than an ``__init__`` override: pydantic would call a custom
    ``__init__`` for every parsed object, and parsing is the hot path.)
    """

    if TYPE_CHECKING:  # each subclass declares its own Literal tag
        type: str

    @model_serializer(mode="wrap")
    def _always_tagged(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and "type" not in data:
            data = {"type": self.type, **data}
        return data


def type_tag(cls: type[WireModel]) -> str:
    """The ``type`` literal a wire class is tagged with."""
    (tag,) = get_args(cls.model_fields["type"].annotation)
    assert isinstance(tag, str), f"{cls.__name__}.type is not a Literal tag"
    return tag


def union_members(union: object) -> tuple[type[WireModel], ...]:
    """The wire classes of a union alias (``Annotated`` and nested unions unwrapped), or of a class."""
    if get_origin(union) is Annotated:
        return union_members(get_args(union)[0])
    if get_origin(union) in (Union, UnionType):
        return tuple(cls for member in get_args(union) for cls in union_members(member))
    if isinstance(union, type) and issubclass(union, WireModel):
        return (union,)
    raise TypeError(f"not a wire class or a union of them: {union!r}")


def tag_other_than(*known: object) -> StringConstraints:
    """The constraint of a :class:`Fallback`'s ``type: Annotated[str, tag_other_than(...)]``: any
    tag except those of the classes (or unions of them) ``known`` (the check uses a look-ahead)."""
    tags = "|".join(re.escape(type_tag(cls)) for union in known for cls in union_members(union))
    return StringConstraints(pattern=rf"^(?!(?:{tags})$)")


#: ``Annotated`` metadata of a union of tagged classes: pydantic-core dispatches on ``type``.
BY_TYPE = Field(discriminator="type")
#: ``Annotated`` metadata of an open union ``Known | Fallback``: the known classes first.
KNOWN_FIRST = Field(union_mode="left_to_right")


class Fallback(WireModel):
    """Base of an open union's fallback class, whose ``type`` is a :func:`tag_other_than`: it
    switches on the regex engine that look-ahead needs."""

    model_config = ConfigDict(regex_engine="python-re")
