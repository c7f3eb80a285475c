"""Content blocks carried by messages, tool results and thread messages (reference §5.2).

Read, every content array is a list of :data:`ContentBlock`, which takes any known block wherever
it appears and an unknown one as :class:`UnknownBlock`; request bodies take only the blocks the
reference allows there (:data:`UserContentParams`, :data:`ToolResultContentParams`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from app.api.models.base import WireModel
from app.api.models.unions import Fallback, Tagged, closed_union, open_union, tag_other_than


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


_KNOWN_BLOCKS = (TextBlock, ImageBlock, DocumentBlock, RedactedBlock, SearchResultBlock)


class UnknownBlock(Fallback):
    """A block type this client does not know; every field is kept."""

    type: tag_other_than(*_KNOWN_BLOCKS)


#: Any content block; unknown block types parse as :class:`UnknownBlock`.
ContentBlock = open_union(_KNOWN_BLOCKS, UnknownBlock)
SearchResultBlock.model_rebuild()


class SearchResultBlockParams(SearchResultBlock):
    """A search result in a request: text content only."""

    content: list[TextBlock]


#: A block of a ``user.message`` in a request.
UserContentParams = closed_union(TextBlock, ImageBlock, DocumentBlock, RedactedBlock)
#: A block of a tool result in a request.
ToolResultContentParams = closed_union(TextBlock, ImageBlock, DocumentBlock, SearchResultBlockParams)


def join_text(blocks: Iterable[object] | None) -> str:
    """The text of the text blocks among ``blocks``, concatenated (other blocks are skipped)."""
    return "".join(b.text for b in blocks or () if isinstance(b, TextBlock))
