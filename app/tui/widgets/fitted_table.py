"""refill: replace a ``DataTable``'s rows, each column as wide as its widest cell.

A ``DataTable`` measures its auto-width columns only when it next goes idle, and a frame drawn
before that caches every cell cut at its column header's width; nothing draws them again until
the table changes (Textual issue #4470). Columns whose width is measured here, before any row is
shown, are right from the first frame.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable


def refill(table: DataTable[Text], rows: Sequence[Sequence[Text]], keys: Sequence[str] | None = None) -> None:
    """Replace ``table``'s rows with ``rows`` (keyed by ``keys`` when given), keeping its column labels."""
    labels = [column.label for column in table.ordered_columns]
    widths = [label.cell_len for label in labels]
    for row in rows:
        widths = [max(width, cell.cell_len) for width, cell in zip(widths, row, strict=True)]
    table.clear(columns=True)
    for label, width in zip(labels, widths, strict=True):
        table.add_column(label, width=width)
    for number, row in enumerate(rows):
        table.add_row(*row, key=keys[number] if keys is not None else None)
