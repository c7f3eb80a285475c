"""HelpScreen: every key binding, grouped by where it applies, with its id for the config's ``[keys]``."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from app.tui.bindings import BindingSection
from app.tui.widgets.fitted_table import refill
from app.tui.widgets.footer import Footer

REMAP_HINT = 'Remap a binding in the config file\'s [keys] table by its id, e.g. "app.quit" = "ctrl+q".'


class HelpScreen(ModalScreen[None]):
    """Shows ``sections`` (from :func:`app.tui.bindings.binding_sections`, built from the live bindings)."""

    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Close", id="help.close")]

    def __init__(self, sections: Sequence[BindingSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Static(Content("Keys"), classes="dialog-title")
            yield Static(Content(REMAP_HINT), id="help-hint")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Action", "Binding id")
        rows = []
        for section in self.sections:
            rows.append([Text(section.title, style="bold underline"), Text(), Text()])
            rows += [
                [Text(row.keys, style="bold"), Text(row.description), Text(row.id, style="dim")] for row in section.rows
            ]
        refill(table, rows)
        table.focus()
