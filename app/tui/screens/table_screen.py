"""TableScreen: a dialog listing things in a DataTable under a status line (files, resources).

A subclass names its ``COLUMNS``, what it lists (``NOUN``, ``EMPTY``), how to fetch the items
(``_listing``) and to show one (``_row``); its
key bindings act on :attr:`highlighted`, asking first with :meth:`_confirm` and reporting with
:meth:`_attempt`. Cells are plain text (``rich.text.Text``), never markup.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from functools import partial
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from app.api.errors import AgentAPIError
from app.tui.widgets.footer import Footer


def cells(*values: str) -> tuple[Text, ...]:
    """One row of plain-text cells, cut with an ellipsis rather than wrapped."""
    return tuple(Text(value, no_wrap=True, overflow="ellipsis") for value in values)


class TableScreen(ModalScreen[None]):
    """``title`` over a status line and a table; the box has the subclass's ``BOX_ID``."""

    BOX_ID = "table"
    COLUMNS: tuple[str, ...] = ()
    #: What the rows are ("files"), and what the status line says when there are none.
    NOUN = "items"
    EMPTY = "Nothing here."

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title
        self.items: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(id=self.BOX_ID, classes="dialog table-dialog") as box:
            box.border_title = self.title_text
            yield Static(classes="table-status")
            yield DataTable(classes="table-rows", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*self.COLUMNS)
        self.action_refresh()

    def _listing(self) -> AsyncIterator[Any]:
        raise NotImplementedError

    def _row(self, item: Any) -> tuple[Text, ...]:
        raise NotImplementedError

    @work(exclusive=True, group="table-list", exit_on_error=False)
    async def action_refresh(self) -> None:
        """Reload the rows."""
        try:
            found = [item async for item in self._listing()]
        except AgentAPIError as exc:
            self._status(f"Could not list the {self.NOUN}: {exc}")
            return
        self._fill(found, map(self._row, found), f"{self.NOUN.capitalize()}: {len(found)}" if found else self.EMPTY)

    @property
    def _client(self) -> Any:
        return self.app.backend.client

    @property
    def highlighted(self) -> Any | None:
        row = self.query_one(DataTable).cursor_row
        return self.items[row] if 0 <= row < len(self.items) else None

    def _status(self, text: str) -> None:
        self.query_one(".table-status", Static).update(Content(text))

    def _fill(self, items: Sequence[Any], rows: Iterable[tuple[Text, ...]], status: str) -> None:
        """Show ``items`` (one row each), say ``status``, and focus the table."""
        self.items = list(items)
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)
        self._status(status)
        table.focus()

    def _confirm(self, question: str, yes: str, then: Callable[[], object]) -> None:
        """Ask ``question``; run ``then`` on yes."""
        from app.tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(question, yes=yes), partial(self._confirmed, then))

    @staticmethod
    def _confirmed(then: Callable[[], object], yes: bool | None) -> None:
        if yes:
            then()

    async def _attempt(self, call: Awaitable[Any], failure: str, success: Callable[[Any], str]) -> Any | None:
        """Await ``call``: say ``failure: <why>`` when the API or the disk refuses (None), else
        ``success(result)``; the result, and the list is reloaded."""
        try:
            result = await call
        except (AgentAPIError, OSError) as exc:
            self.notify(f"{failure}: {exc}", severity="error", markup=False)
            return None
        self.notify(success(result), markup=False)
        self.action_refresh()
        return result
