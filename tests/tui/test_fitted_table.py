"""refill: a table's columns fit what it shows now, from the first frame."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from app.tui.widgets.fitted_table import refill
from tests.tui.pilot_support import screen_text, wait_for


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        table: DataTable[Text] = DataTable()
        table.add_columns("name", "id")
        yield table


def rows(*names: str) -> list[list[Text]]:
    return [[Text(name), Text(f"id-{number}")] for number, name in enumerate(names)]


async def test_columns_fit_the_longest_cell_and_shrink_when_it_goes():
    app = TableApp()
    async with app.run_test(size=(60, 8)) as pilot:
        table = app.query_one(DataTable)
        refill(table, rows("a-rather-long-agent-name", "short"))
        await wait_for(pilot, lambda: "a-rather-long-agent-name  id-0" in screen_text(app), "every cell whole")
        refill(table, rows("short"))
        await wait_for(pilot, lambda: " short  id-0" in screen_text(app), "the name column as wide as 'short'")
        assert [str(column.label) for column in table.ordered_columns] == ["name", "id"]
