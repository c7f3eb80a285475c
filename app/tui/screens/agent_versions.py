"""AgentVersionsScreen: an agent's versions, newest first, and the diff between two of them.

The diff pane shows how the highlighted version differs from the base version: by default the one
before it; ``m`` makes the highlighted version the base (``m`` on the base again goes back to the
default). The diff is of the versions' JSON (:func:`~app.tui.screens.agent_edit.version_diff`).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from app.api.errors import AgentAPIError
from app.api.models import Agent
from app.tui.format import when
from app.tui.host import client_of
from app.tui.screens.agent_edit import version_diff
from app.tui.widgets.fitted_table import refill
from app.tui.widgets.footer import Footer

#: Style of a diff line, by its first character.
_LINE_STYLES = {"+": "$text-success", "-": "$text-error", "@": "$text-accent"}


def diff_content(lines: list[str]) -> Content:
    """Diff lines as plain text coloured by kind (never markup)."""
    if not lines:
        return Content("No difference.")
    return Content.assemble(*(Content.styled(line + "\n", _LINE_STYLES.get(line[:1], "")) for line in lines))


class AgentVersionsScreen(ModalScreen[None]):
    """The versions of the agent ``agent_id`` (named ``name``)."""

    BINDINGS = [
        Binding("m", "mark", "Compare with this", id="agent_versions.mark"),
        Binding("escape", "close", "Close", id="agent_versions.close"),
    ]

    def __init__(self, agent_id: str, name: str) -> None:
        super().__init__()
        self.agent_id = agent_id
        self.agent_name = name
        self.versions: list[Agent] = []
        self.base: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="agent-versions", classes="dialog"):
            yield Static(Content(f"Versions of {self.agent_name}"), classes="dialog-title")
            table: DataTable[Text] = DataTable(id="versions-table", cursor_type="row", zebra_stripes=True)
            table.add_columns("version", "saved", "model", "tools")
            yield table
            yield Static(id="versions-base", classes="muted")
            with VerticalScroll(id="versions-diff-scroll"):
                yield Static("loading…", id="versions-diff")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    @work(exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        listing = client_of(self).agents.versions(self.agent_id)
        try:
            self.versions = [version async for version in listing]
        except AgentAPIError as exc:
            self.query_one("#versions-diff", Static).update(Content(f"Could not list versions: {exc}"))
            return
        table = self.query_one(DataTable)
        rows = [
            [Text(str(v.version)), Text(when(v.updated_at)), Text(v.model.id), Text(str(len(v.tools)))]
            for v in self.versions
        ]
        refill(table, rows)
        table.focus()
        self._show_diff()

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_diff()

    def _highlighted_index(self) -> int | None:
        table = self.query_one(DataTable)
        return table.cursor_row if self.versions and 0 <= table.cursor_row < len(self.versions) else None

    def action_mark(self) -> None:
        index = self._highlighted_index()
        if index is None:
            return
        picked = self.versions[index].version
        self.base = None if self.base == picked else picked
        self._show_diff()

    def _show_diff(self) -> None:
        index = self._highlighted_index()
        if index is None:
            return
        shown = self.versions[index]
        base = next((v for v in self.versions if v.version == self.base), None)
        if base is None and index + 1 < len(self.versions):
            base = self.versions[index + 1]
        label = self.query_one("#versions-base", Static)
        diff = self.query_one("#versions-diff", Static)
        if base is None:
            label.update(Content(f"Version {shown.version} is the first: m on another version to compare."))
            diff.update(Content(""))
            return
        older, newer = (base, shown) if base.version <= shown.version else (shown, base)
        marked = ", marked with m" if base.version == self.base else ""
        label.update(Content(f"Changes from version {older.version} to version {newer.version}{marked}:"))
        diff.update(diff_content(version_diff(older, newer)))

    def action_close(self) -> None:
        self.dismiss(None)
