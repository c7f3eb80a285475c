"""ObjectScreen and ObjectDialog: what the object screens (agents, files, vaults, memory stores,
skills) and their child dialogs (credentials, resources, memories, skill versions) share: a box
with the objects' table and its status line, the footer, a load when it opens and on ``r``, and
``escape`` back.

A subclass names its box (``BOX_ID``), its table (``TABLE_ID``, ``COLUMNS``), what one object is
called (``KIND``, and ``KINDS`` when the plural is not ``KIND`` + s) and what an empty list says
(``EMPTY``), and says how to list its objects (:meth:`listing`) and draw one as a row
(:meth:`cells`). A full screen's box is a pane titled with its ``BINDING_GROUP_TITLE``; a dialog's
box floats over the screen below, headed by its :meth:`~ObjectDialog.heading`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from app.api.client import AgentClient
from app.api.pagination import AsyncPaginator
from app.tui.host import client_of
from app.tui.screens.object_list import ObjectList
from app.tui.widgets.footer import Footer

T = TypeVar("T")


class ObjectScreen(ObjectList[T], Screen[None]):
    """The full screen of one kind of object (see the module docstring)."""

    BOX_ID: ClassVar[str]
    TABLE_ID: ClassVar[str]
    COLUMNS: ClassVar[tuple[str, ...]]
    KIND: ClassVar[str]
    KINDS: ClassVar[str | None] = None
    EMPTY: ClassVar[str]

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)  # Screen's, which a dialog's ModalScreen passes on
        self.items: list[T] = []

    @property
    def client(self) -> AgentClient:
        return client_of(self)

    def compose(self) -> ComposeResult:
        with Vertical(id=self.BOX_ID, classes="pane object-list") as pane:
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
        await self.fill(self.listing(), self.KIND, self.cells, self.EMPTY, self.KINDS)

    def action_close(self) -> None:
        self.dismiss(None)


class ObjectDialog(ModalScreen[None], ObjectScreen[T]):
    """The objects that belong to another (a vault's credentials...), in a dialog over the screen below.

    ``ModalScreen`` comes first: Textual reads a widget's default styles along its first bases only."""

    def heading(self) -> str:
        """The dialog's heading (``Credentials of <vault>``)."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id=self.BOX_ID, classes="dialog object-list"):
            yield Static(Content(self.heading()), classes="dialog-title")
            yield from self.parts(self.TABLE_ID, self.COLUMNS)
        yield Footer()
