"""ObjectScreen and ObjectDialog: what the object screens (agents, files, vaults, memory stores,
skills) and their child dialogs (credentials, resources, memories, skill versions) share: a box
with the objects' table and its status line, the footer, a load when it opens and on ``r``, the
highlighted object, actions that report and reload, and ``escape`` back.

A subclass names its box (``BOX_ID``), its table (``TABLE_ID``, ``COLUMNS``), what one object is
called (``KIND``, and ``KINDS`` when the plural is not ``KIND`` + s) and what an empty list says
(``EMPTY``), and says how to list its objects (:meth:`listing`) and draw one as a row
(:meth:`cells`). A full screen's box is a pane titled with its ``BINDING_GROUP_TITLE``; a dialog's
box floats over the screen below, headed by its :meth:`~ObjectDialog.heading`.

Every cell is plain text (``rich.text.Text``): a ``str`` cell of a ``DataTable`` would be read as
markup, and names come from the server.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from app.api.client import AgentClient
from app.api.errors import AgentAPIError
from app.api.pagination import AsyncPaginator
from app.tui.host import client_of
from app.tui.skipped import skipped_note
from app.tui.widgets.fitted_table import refill
from app.tui.widgets.footer import Footer

T = TypeVar("T")
R = TypeVar("R")


class ObjectScreen(Screen[None], Generic[T]):
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

    def parts(self) -> tuple[DataTable[Text], Static]:
        """The table (with its columns) and the status line, to yield in ``compose``."""
        table: DataTable[Text] = DataTable(id=self.TABLE_ID, cursor_type="row", zebra_stripes=True)
        table.add_columns(*self.COLUMNS)
        return table, Static(classes="list-status")

    def compose(self) -> ComposeResult:
        with Vertical(id=self.BOX_ID, classes="pane object-list") as pane:
            pane.border_title = self.BINDING_GROUP_TITLE
            yield from self.parts()
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def listing(self) -> AsyncPaginator[T]:
        """The list call of this screen's objects."""
        raise NotImplementedError

    def cells(self, item: T) -> Iterable[str]:
        """One object's row, cell by cell."""
        raise NotImplementedError

    @property
    def selected(self) -> T | None:
        """The highlighted object."""
        row = self.query_one(DataTable).cursor_row
        return self.items[row] if self.items and 0 <= row < len(self.items) else None

    def status(self, text: str) -> None:
        """Say ``text`` in the status line under the table."""
        self.query_one(".list-status", Static).update(Text(text))

    @work(exclusive=True, group="object-screen-load", exit_on_error=False)
    async def action_reload(self) -> None:
        """Read the objects into the table (a failure goes in the status line). The highlight stays
        on the same object when it is still listed."""
        before = getattr(self.selected, "id", None)
        listing = self.listing()
        try:
            items = [item async for item in listing]
        except AgentAPIError as exc:
            self.status(f"Could not list {self.KIND}s: {exc}")
            return
        if note := skipped_note(self.KIND, listing.skipped):
            self.notify(note, severity="warning", markup=False)
        self.items = items
        table = self.query_one(DataTable)
        refill(table, [[Text(cell) for cell in self.cells(item)] for item in items])
        count = len(items)
        kinds = self.KINDS or self.KIND + "s"
        self.status(self.EMPTY if not items else f"{count} {self.KIND if count == 1 else kinds}")
        ids = [getattr(item, "id", None) for item in items]
        if before in ids:
            table.move_cursor(row=ids.index(before))
        table.focus()

    async def attempt(self, call: Awaitable[R], failure: str, success: Callable[[R], str]) -> R | None:
        """Await ``call``: when the API or the disk refuses, say ``failure: <why>`` (None); else say
        ``success(result)`` and reload the list; the result."""
        try:
            result = await call
        except (AgentAPIError, OSError) as exc:
            self.notify(f"{failure}: {exc}", severity="error", markup=False)
            return None
        self.notify(success(result), markup=False)
        self.action_reload()
        return result

    def saved(self, item: T | None) -> None:
        """A form's dismiss callback: when it saved ``item``, say :meth:`saved_text` and reload."""
        if item is not None:
            self.notify(self.saved_text(item), markup=False)
            self.action_reload()

    def saved_text(self, item: T) -> str:
        """What :meth:`saved` says about ``item`` (screens whose forms save objects say it)."""
        raise NotImplementedError

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
            yield from self.parts()
        yield Footer()
