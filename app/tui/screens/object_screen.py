"""ObjectScreen: what the full object screens (agents, files, vaults, memory stores, skills) share:
a bordered pane with the objects' table and its status line, the footer, a load when it opens and
on ``r``, and ``escape`` back.

A subclass names its pane (``PANE_ID``, titled with its ``BINDING_GROUP_TITLE``), its table
(``TABLE_ID``, ``COLUMNS``), what one object is called (``KIND``) and what an empty list says
(``EMPTY``), and says how to list its objects (:meth:`listing`) and draw one as a row (:meth:`cells`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen

from app.api.client import AgentClient
from app.api.pagination import AsyncPaginator
from app.tui.host import client_of
from app.tui.screens.object_list import ObjectList
from app.tui.widgets.footer import Footer

T = TypeVar("T")


class ObjectScreen(ObjectList[T], Screen[None]):
    """The full screen of one kind of object (see the module docstring)."""

    PANE_ID: ClassVar[str]
    TABLE_ID: ClassVar[str]
    COLUMNS: ClassVar[tuple[str, ...]]
    KIND: ClassVar[str]
    EMPTY: ClassVar[str]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[T] = []

    @property
    def client(self) -> AgentClient:
        return client_of(self)

    def compose(self) -> ComposeResult:
        with Vertical(id=self.PANE_ID, classes="pane object-list") as pane:
            pane.border_title = self.BINDING_GROUP_TITLE
            yield from self.parts(self.TABLE_ID, self.COLUMNS)
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def listing(self) -> AsyncPaginator[T]:
        """The list call of this screen's objects."""
        raise NotImplementedError

    def cells(self, item: T) -> Iterable[str]:
        """One object's row, cell by cell."""
        raise NotImplementedError

    @work(exclusive=True, group="object-screen-load", exit_on_error=False)
    async def action_reload(self) -> None:
        await self.fill(self.listing(), self.KIND, self.cells, self.EMPTY)

    def action_close(self) -> None:
        self.dismiss(None)
