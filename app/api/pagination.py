"""Async iteration over the cursor-paged list endpoints (``{data, next_page}``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Generic, TypeVar

from app.api.http import HTTPTransport, Query, parse_json
from app.api.models import Page

T = TypeVar("T")


class AsyncPaginator(Generic[T]):
    """The items of a list endpoint, fetched page by page while you iterate.

    ``async for item in paginator`` yields items; :meth:`pages` yields whole pages. Each next page
    is requested with ``page=<next_page>`` and the other parameters unchanged; iteration stops on a
    null or empty cursor (or one that repeats, so a confused server cannot loop us forever).
    Nothing is fetched until iteration starts, and every iteration starts from the first page.
    """

    def __init__(self, transport: HTTPTransport, path: str, params: Query, item_type: Any) -> None:
        self._transport = transport
        self._path = path
        self._params = params
        self._page_type = Page[item_type]

    def __repr__(self) -> str:
        return f"AsyncPaginator(GET {self._path}, params={self._params!r})"

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.data:
                yield item

    async def first_page(self) -> Page[T]:
        """Only the first page (its ``next_page`` says whether there is more)."""
        response = await self._transport.send("GET", self._path, params=self._params)
        return parse_json(response, self._page_type)

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Each page in turn, starting from the first."""
        params, cursor = self._params, None
        while True:
            response = await self._transport.send("GET", self._path, params=params)
            page = parse_json(response, self._page_type)
            yield page
            if not page.next_page or page.next_page == cursor:
                return
            cursor = page.next_page
            params = [*self._params, ("page", cursor)]
