"""ObjectList: what the object screens share (agents, skills, files, memory stores, and their
child dialogs): a table of objects read from a list call, a status line under it, the highlighted
object, and confirmed actions.

Every cell is plain text (``rich.text.Text``): a ``str`` cell of a ``DataTable`` would be read as
markup, and names come from the server.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, Protocol, TypeVar, overload

from rich.text import Text
from textual.app import App
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import DataTable, Static

from app.api.errors import AgentAPIError
from app.api.pagination import AsyncPaginator
from app.tui.screens.confirm import ConfirmScreen
from app.tui.skipped import skipped_note
from app.tui.widgets.fitted_table import refill

T = TypeVar("T")
R = TypeVar("R")
W = TypeVar("W", bound=Widget)


def when(stamp: str) -> str:
    """A wire timestamp to the second, as ``2026-05-01 12:00:00``."""
    return stamp[:19].replace("T", " ")


class ListScreen(Protocol[T]):
    """What :class:`ObjectList` needs of the screen it is mixed into: the screen's own Textual API
    and the mixin's members."""

    items: list[T]

    @property
    def app(self) -> App[Any]: ...

    @overload
    def query_one(self, selector: type[W]) -> W: ...

    @overload
    def query_one(self, selector: str, expect_type: type[W]) -> W: ...

    def notify(self, message: str, *, severity: SeverityLevel = ..., markup: bool = ...) -> None: ...

    @property
    def selected(self) -> T | None: ...

    def status(self, text: str) -> None: ...


class ReloadingListScreen(ListScreen[T], Protocol):
    """A :class:`ListScreen` whose ``action_reload`` lists the objects again."""

    def action_reload(self) -> object: ...


class ObjectList(Generic[T]):
    """Mixin for a screen with one ``DataTable`` and a ``Static`` of class ``list-status``
    (a :class:`ListScreen`)."""

    items: list[T]

    @staticmethod
    def parts(table_id: str, columns: Iterable[str]) -> tuple[DataTable[Text], Static]:
        """The table (with ``columns``) and the status line, to yield in ``compose``."""
        table: DataTable[Text] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
        table.add_columns(*columns)
        return table, Static(classes="list-status")

    @property
    def selected(self: ListScreen[T]) -> T | None:
        row = self.query_one(DataTable).cursor_row
        return self.items[row] if self.items and 0 <= row < len(self.items) else None

    def status(self: ListScreen[T], text: str) -> None:
        self.query_one(".list-status", Static).update(Text(text))

    async def fill(
        self: ListScreen[T],
        listing: AsyncPaginator[T],
        kind: str,
        cells: Callable[[T], Iterable[str]],
        empty: str,
        kinds: str | None = None,
    ) -> bool:
        """Read ``listing`` of ``kind`` objects (``kinds`` when not ``kind`` + s) into the table (a
        failure goes in the status line); whether it worked. The highlight stays on the same object
        when it is still listed."""
        before = getattr(self.selected, "id", None)
        try:
            items = [item async for item in listing]
        except AgentAPIError as exc:
            self.status(f"Could not list {kind}s: {exc}")
            return False
        if note := skipped_note(kind, listing.skipped):
            self.notify(note, severity="warning", markup=False)
        self.items = items
        table = self.query_one(DataTable)
        refill(table, [[Text(cell) for cell in cells(item)] for item in items])
        count = len(items)
        self.status(empty if not items else f"{count} {kind if count == 1 else kinds or kind + 's'}")
        ids = [getattr(item, "id", None) for item in items]
        if before in ids:
            table.move_cursor(row=ids.index(before))
        table.focus()
        return True

    def confirm(self: ListScreen[T], question: str, yes: str, then: Callable[[], Any]) -> None:
        """Ask ``question``; run ``then`` on yes."""

        def answered(agreed: bool | None) -> None:
            if agreed:
                then()

        self.app.push_screen(ConfirmScreen(question, yes=yes), answered)

    async def attempt(
        self: ReloadingListScreen[T], call: Awaitable[R], failure: str, success: Callable[[R], str]
    ) -> R | None:
        """Await ``call``: when the API or the disk refuses, say ``failure: <why>`` (None); else say
        ``success(result)`` and reload the list (the screen's ``action_reload``); the result."""
        try:
            result = await call
        except (AgentAPIError, OSError) as exc:
            self.notify(f"{failure}: {exc}", severity="error", markup=False)
            return None
        self.notify(success(result), markup=False)
        self.action_reload()
        return result
