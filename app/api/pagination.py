"""Async iteration over the cursor-paged list endpoints (``{data, next_page}``), item-tolerant.

A page is validated in one pydantic-core call; only when that fails is each item validated on its
own, so one item this client cannot read (a newer API's variant, a server bug) costs only itself:
it is left out and listed in ``Page.skipped``, or, for event lists, replaced by its stand-in (an
:class:`~app.api.models.UnreadableEvent`) so the history stays complete and in order.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any, Generic, TypeVar

import httpx
from pydantic import ValidationError

from app.api.errors import describe_invalid
from app.api.http import HTTPTransport, Query, parse_json, type_adapter
from app.api.models import Page, SkippedItem

T = TypeVar("T")

#: Builds what stands in for an unreadable item from the item (an object, else its JSON text) and
#: what was wrong with it.
StandIn = Callable[[dict[str, Any] | str, str], Any]


def parse_page(response: httpx.Response, item_type: Any, stand_in: StandIn | None = None) -> Page[Any]:
    """A list reply as a page of ``item_type``: each unreadable item is replaced by
    ``stand_in(item, error)`` or, without one, left out and listed in ``page.skipped``. A reply
    that is not a list envelope is an :class:`~app.api.errors.APIResponseValidationError`."""
    try:
        whole: Page[Any] = type_adapter(Page[item_type]).validate_json(response.content)
        return whole
    except ValidationError:
        pass
    page = parse_json(response, Page[Any])
    adapter = type_adapter(item_type)
    items, skipped = [], []
    for raw in page.data:
        try:
            items.append(adapter.validate_python(raw))
        except ValidationError as exc:
            error = describe_invalid(exc)
            if stand_in is not None:
                items.append(stand_in(raw if isinstance(raw, dict) else json.dumps(raw), error))
            else:
                skipped.append(SkippedItem(_id_of(raw), error, raw))
    page.data = items
    page.skipped.extend(skipped)
    return page


def _id_of(raw: Any) -> str | None:
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


class AsyncPaginator(Generic[T]):
    """The items of a list endpoint, fetched page by page while you iterate.

    ``async for item in paginator`` yields items; :meth:`pages` yields whole pages. Each next page
    is requested with ``page=<next_page>`` and the other parameters unchanged; iteration stops on a
    null or empty cursor (or one that repeats, so a confused server cannot loop us forever).
    Nothing is fetched until iteration starts, and every iteration starts from the first page.
    Items that cannot be read are handled as :func:`parse_page` says; :attr:`skipped` lists those
    left out.
    """

    def __init__(
        self,
        transport: HTTPTransport,
        path: str,
        params: Query,
        item_type: Any,
        *,
        stand_in: StandIn | None = None,
    ) -> None:
        self._transport = transport
        self._path = path
        self._params = params
        self._item_type = item_type
        self._stand_in = stand_in
        #: The items left out of the pages fetched by the latest walk (an iteration, :meth:`pages`
        #: or :meth:`page`), so a UI can say "1 unreadable session skipped".
        self.skipped: list[SkippedItem] = []

    def __repr__(self) -> str:
        return f"AsyncPaginator(GET {self._path}, params={self._params!r})"

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.data:
                yield item

    async def page(self, cursor: str | None = None) -> Page[T]:
        """One page: the first, or the one ``cursor`` (an earlier page's ``next_page``) points at;
        its own ``next_page`` says whether there is more."""
        if cursor is None:
            self.skipped = []
            return await self._fetch(self._params)
        return await self._fetch([*self._params, ("page", cursor)])

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Each page in turn, starting from the first."""
        self.skipped = []
        params, cursor = self._params, None
        while True:
            page = await self._fetch(params)
            yield page
            if not page.next_page or page.next_page == cursor:
                return
            cursor = page.next_page
            params = [*self._params, ("page", cursor)]

    async def _fetch(self, params: Query) -> Page[T]:
        response = await self._transport.send("GET", self._path, params=params)
        page = parse_page(response, self._item_type, self._stand_in)
        self.skipped.extend(page.skipped)
        return page
