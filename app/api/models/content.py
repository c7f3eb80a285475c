"""Content blocks carried by messages, tool results and thread messages (reference §5.2).

Read, every content array is a list of :data:`ContentBlock`, which takes any known block wherever
it appears and an unknown one as :class:`UnknownBlock`; request bodies take only the blocks the
reference allows there (:data:`UserContentParams`, :data:`ToolResultContentParams`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal, TypeAlias

from app.api.models.base import WireModel
from app.api.models.unions import BY_TYPE, KNOWN_FIRST, Fallback, Tagged, tag_other_than


class ContentSource(WireModel):
    """Where an image or document comes from: ``base64`` (``media_type``, ``data``), ``url``,
    ``file`` (``file_id``) or, for documents, ``text`` (``media_type`` "text/plain", ``data``)."""

    type: str
    media_type: str | None = None
    data: str | None = None
    url: str | None = None
    file_id: str | None = None


class TextBlock(Tagged):
    type: Literal["text"] = "text"
    text: str


class ImageBlock(Tagged):
    type: Literal["image"] = "image"
    source: ContentSource


class DocumentBlock(Tagged):
    type: Literal["document"] = "document"
    source: ContentSource
    title: str | None = None
    context: str | None = None


class RedactedBlock(Tagged):
    """Content the server withheld."""

    type: Literal["redacted"] = "redacted"


class SearchResultCitations(WireModel):
    enabled: bool


class SearchResultBlock(Tagged):
    type: Literal["search_result"] = "search_result"
    source: str
    title: str
    content: list[ContentBlock]
    citations: SearchResultCitations


_KnownBlock: TypeAlias = Annotated[TextBlock | ImageBlock | DocumentBlock | RedactedBlock | SearchResultBlock, BY_TYPE]


class UnknownBlock(Fallback):
    """A block type this client does not know; every field is kept."""

    type: Annotated[str, tag_other_than(_KnownBlock)]


#: Any content block; unknown block types parse as :class:`UnknownBlock`.
ContentBlock: TypeAlias = Annotated[_KnownBlock | UnknownBlock, KNOWN_FIRST]
SearchResultBlock.model_rebuild()


class SearchResultBlockParams(SearchResultBlock):
    """A search result in a request: text content only."""

    content: list[TextBlock]  # type: ignore[assignment]  # a request narrows the reply's field


#: A block of a ``user.message`` in a request.
UserContentParams: TypeAlias = Annotated[TextBlock | ImageBlock | DocumentBlock | RedactedBlock, BY_TYPE]
#: A block of a tool result in a request.
ToolResultContentParams: TypeAlias = Annotated[
    TextBlock | ImageBlock | DocumentBlock | SearchResultBlockParams, BY_TYPE
]


def join_text(blocks: Iterable[object] | None) -> str:
    """The text of the text blocks among ``blocks``, concatenated (other blocks are skipped)."""
    return "".join(b.text for b in blocks or () if isinstance(b, TextBlock))
