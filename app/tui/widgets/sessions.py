"""SessionsPane: the sessions of one environment (or all), newest first, with live statuses.

Public API (the app wires these):

- ``show_environment(environment_id | None)``: list that environment's sessions (``None``: all).
- ``set_open_session(session_id | None)``: the session the chat view shows; it never raises
  attention and opening it clears its mark.
- ``refresh_sessions()``: poll now, every page (also bound to ``R``).
- posts ``SessionOpened`` (enter, click, or after creating a session) and ``SessionsChanged``
  (after create, rename, archive).

A worker polls the session list (every 2 s against the embedded runtime, 5 s against the real
API; most polls are quick ones, see :mod:`app.tui.widgets.session_watch`) and updates rows in place under stable row keys (session ids), so the cursor stays on its
session. The API cannot filter sessions by environment: that, the title filter and hiding archived
sessions happen here. Until ``app.backend`` exists the worker waits for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from app.api.errors import AgentAPIError
from app.api.models import Session
from app.tui.bindings import shown_keys
from app.tui.messages import SessionOpened, SessionsChanged
from app.tui.screens.confirm import ConfirmScreen
from app.tui.screens.rename import RenameScreen
from app.tui.screens.session_form import SessionFormScreen
from app.tui.widgets.session_rows import (
    AGE_WIDTH,
    AGENT_WIDTH,
    APPROVAL,
    RowView,
    attention_note,
    rich_colour,
    row_cells,
    row_view,
    title_of,
)
from app.tui.widgets.session_watch import SessionWatch, fetch

#: (key, header, width); the title column takes what the others leave.
COLUMNS = (("title", "  Title", None), ("agent", "Agent", AGENT_WIDTH), ("age", "Age", AGE_WIDTH))
#: Cells taken by everything but the title: agent, age, 1 cell of padding each side of the three
#: columns, and the vertical scrollbar (1 cell, see styles/sessions.tcss).
_FIXED_WIDTH = AGENT_WIDTH + AGE_WIDTH + 3 * 2 + 1
EMBEDDED_POLL, REMOTE_POLL = 2.0, 5.0
#: Actions that act on the highlighted session.
_ROW_ACTIONS = {"rename", "archive"}


class SessionTable(DataTable):
    """The list itself: a row cursor, enter or space opens (posts ``RowSelected``), j/k move."""

    BINDINGS = [
        Binding("enter,space", "select_cursor", "Open", id="sessions.open"),
        Binding("j", "cursor_down", "Down", show=False, id="sessions.down"),
        Binding("k", "cursor_up", "Up", show=False, id="sessions.up"),
    ]


class SessionsPane(Vertical):
    """The sessions list with its filter line; see the module docstring for the API."""

    BORDER_TITLE = "Sessions"
    BINDINGS = [
        Binding("n", "new_session", "New", id="sessions.new"),
        Binding("r", "rename", "Rename", id="sessions.rename"),
        Binding("a", "archive", "Archive", id="sessions.archive"),
        Binding("slash", "filter", "Filter", id="sessions.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="sessions.filter_clear"),
        Binding("A", "toggle_archived", "Archived", id="sessions.show_archived"),
        Binding("R", "refresh_sessions", "Refresh", id="sessions.refresh"),
    ]

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        poll_interval: float | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._poll_interval = poll_interval
        self._watch = SessionWatch()
        self._environment_id: str | None = None
        self._open_session_id: str | None = None
        self._filter = ""
        self._show_archived = False
        self._shown: dict[str, RowView] = {}
        self._title_width = 0
        self._frame = 0
        self._error: str | None = None
        self._generation = 0  # bumped by local changes: a poll that started before one is discarded
        self._list_all = True  # the next poll lists every page (else it is a quick one: see session_watch)
        self._wake = asyncio.Event()
        self._filter_field = Input(placeholder="filter by title", id="sessions-filter", compact=True)
        self._table = SessionTable(cursor_type="row", id="sessions-table")
        self._empty = Static(id="sessions-empty")

    def compose(self) -> ComposeResult:
        yield self._filter_field
        yield self._empty
        yield self._table

    def on_mount(self) -> None:
        self._filter_field.display = False
        self._update_chrome()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._refresh_rows(restyle=True))
        self.set_interval(0.25, self._spin)
        self._poll()

    # ------------------------------------------------------------------ public API

    @property
    def environment_id(self) -> str | None:
        return self._environment_id

    @property
    def selected_session_id(self) -> str | None:
        """The session under the cursor, if any."""
        if not self._shown or self._table.cursor_row < 0:
            return None
        return list(self._shown)[min(self._table.cursor_row, len(self._shown) - 1)]

    @property
    def listed(self) -> list[Session]:
        """Every session as last listed (all environments), newest first."""
        return list(self._watch.sessions)

    def show_environment(self, environment_id: str | None) -> None:
        """Show the sessions of this environment (``None``: every environment)."""
        self._environment_id = environment_id
        self._refresh_rows()
        self._wake.set()  # a quick poll: every environment's sessions are already listed

    def set_open_session(self, session_id: str | None) -> None:
        """Tell the pane which session the chat view shows."""
        self._open_session_id = session_id
        if session_id is not None and self._watch.attention.pop(session_id, None):
            self._refresh_rows()

    def refresh_sessions(self) -> None:
        """Poll the server now, listing every page."""
        self._list_all = True
        self._wake.set()

    # ------------------------------------------------------------------ polling

    @property
    def poll_interval(self) -> float:
        if self._poll_interval is not None:
            return self._poll_interval
        backend = getattr(self.app, "backend", None)
        return EMBEDDED_POLL if backend is not None and backend.embedded is not None else REMOTE_POLL

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            pass

    @work(exclusive=True, group="sessions-poll", exit_on_error=False)
    async def _poll(self) -> None:
        while True:
            backend = getattr(self.app, "backend", None)
            if backend is None:  # not connected yet: refresh_sessions wakes this once it is
                self._wake.clear()
                await self._wake.wait()
                continue
            self._wake.clear()
            generation = self._generation
            previous = self._watch.merge_base(list_all=self._list_all)
            self._list_all = False
            try:
                poll = await fetch(
                    backend.client, include_archived=self._show_archived, known=self._watch.checks, previous=previous
                )
            except AgentAPIError as error:
                self._set_error(str(error))
            else:
                if generation != self._generation:
                    continue  # something changed here meanwhile: list again
                self._set_error(None)
                for kind, session in self._watch.apply(poll, self._open_session_id):
                    severity = "warning" if kind == APPROVAL else "information"
                    self.notify(attention_note(kind, title_of(session)), severity=severity, markup=False)
                self._refresh_rows()
            await self._sleep(self.poll_interval)

    def _set_error(self, message: str | None) -> None:
        """Show a polling error (said once, until a poll works again)."""
        if message is not None and self._error is None:
            self.notify(f"Could not list sessions: {message}", severity="error", markup=False)
        self._error = message
        self._update_chrome()

    def _changed_here(self, session: Session) -> None:
        """A session created, renamed or archived from this app: show it now, tell the others."""
        self._generation += 1
        self._watch.put(session)
        self._refresh_rows()
        self.post_message(SessionsChanged(session.id))
        self._wake.set()  # a quick poll: the change is already in the watch

    # ------------------------------------------------------------------ rendering

    def _in_scope(self, session: Session) -> bool:
        """In the shown environment, and not archived unless archived sessions are shown."""
        return (self._environment_id is None or session.environment_id == self._environment_id) and (
            self._show_archived or session.archived_at is None
        )

    def _visible(self, session: Session) -> bool:
        return self._in_scope(session) and self._filter in title_of(session).lower()

    def _cells(self, view: RowView) -> tuple:
        def colour(variable: str) -> str:
            return rich_colour(variable, self.app.theme_variables)

        return row_cells(view, title_width=self._title_width, spinner_frame=self._frame, colour=colour)

    def _refresh_rows(self, *, restyle: bool = False, rebuild: bool = False, keep: str | None = None) -> None:
        """Bring the table in line with the watch: cells updated in place when the rows are the same,
        else rows rebuilt with the cursor kept on its session (``keep``, else the selected one)."""
        if not self._title_width:
            return  # not laid out yet: the first resize renders
        now = self._clock()
        views = {
            s.id: row_view(
                s,
                needs_approval=self._watch.needs_approval(s),
                attention=self._watch.attention.get(s.id),
                now=now,
            )
            for s in self._watch.sessions
            if self._visible(s)
        }
        table = self._table
        if not rebuild and list(views) == list(self._shown):
            for key, view in views.items():
                if restyle or view != self._shown[key]:
                    for (column, _label, _width), cell in zip(COLUMNS, self._cells(view), strict=True):
                        table.update_cell(key, column, cell)
        else:
            selected, index = keep or self.selected_session_id, table.cursor_row
            table.clear()
            table.show_header = bool(views)
            for key, view in views.items():
                table.add_row(*self._cells(view), key=key)
            if selected in views:
                table.move_cursor(row=list(views).index(selected), animate=False)
            elif views:
                table.move_cursor(row=min(max(index, 0), len(views) - 1), animate=False)
        self._shown = views
        self._update_chrome()

    def _layout_columns(self) -> None:
        """Give the title column what the pane's width leaves (fixed widths: columns are rebuilt)."""
        title_width = max(self.content_size.width - _FIXED_WIDTH, 6)
        if title_width == self._title_width:
            return
        self._title_width = title_width
        keep = self.selected_session_id
        self._table.clear(columns=True)
        for key, label, width in COLUMNS:
            self._table.add_column(label, width=width or title_width, key=key)
        self._refresh_rows(rebuild=True, keep=keep)

    def on_resize(self) -> None:
        self._layout_columns()

    def _update_chrome(self) -> None:
        """Border subtitle (counts, filter, archived) and the empty-list message."""
        total = sum(1 for s in self._watch.sessions if self._in_scope(s))
        parts = [f"{len(self._shown)}/{total}" if self._filter else str(len(self._shown))]
        if self._show_archived:
            parts.append("with archived")
        if self._error is not None:
            parts.append("⚠ not updating")  # the last poll failed: the rows may be stale
        self.border_subtitle = Content(" · ".join(parts))
        empty = self._empty
        empty.display = not self._shown
        if not self._watch.loaded:
            message = f"Can't list sessions: {self._error}" if self._error else "Loading sessions…"
        elif self._filter:
            message = "No session title matches the filter."
        else:
            message = f"No sessions yet. Press {self._key_of('sessions.new')} to start one."
        empty.update(Content(message))

    def _key_of(self, binding_id: str) -> str:
        """How the key of one of this pane's bindings shows, after the config file's keymap."""
        binding = next(b for b in self.BINDINGS if isinstance(b, Binding) and b.id == binding_id)
        return shown_keys(self.app, binding)[0]

    def _spin(self) -> None:
        running = [key for key, view in self._shown.items() if view.status == "running"]
        if not running:
            return
        self._frame += 1
        table = self._table
        for key in running:
            table.update_cell(key, "title", self._cells(self._shown[key])[0])

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._filter_field.has_focus:
            return action == "clear_filter"
        if action == "clear_filter":
            return bool(self._filter)
        if action in _ROW_ACTIONS and self.selected_session_id is None:
            return None
        return True

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(str(event.row_key.value))

    def _open(self, session_id: str) -> None:
        self.set_open_session(session_id)
        self.post_message(SessionOpened(session_id))

    def action_new_session(self) -> None:
        """The form opens on the shown environment, else on the highlighted session's."""
        if getattr(self.app, "backend", None) is None:
            self.notify("Not connected yet: try again in a moment.", markup=False)
            return
        selected = self._selected_session()
        environment_id = self._environment_id or (selected.environment_id if selected else None)
        self.app.push_screen(SessionFormScreen(environment_id), self._created)

    def _created(self, session: Session | None) -> None:
        if session is None:
            return
        self._changed_here(session)
        if session.id in self._shown:
            self._table.move_cursor(row=list(self._shown).index(session.id), animate=False)
        self._open(session.id)

    def _selected_session(self) -> Session | None:
        session_id = self.selected_session_id
        return self._watch.get(session_id) if session_id else None

    def action_rename(self) -> None:
        session = self._selected_session()
        if session is None:
            return

        def renamed(title: str | None) -> None:
            if title is not None and title != (session.title or ""):
                self._rename(session.id, title)

        self.app.push_screen(RenameScreen(session.title), renamed)

    @work(group="sessions-edit", exit_on_error=False)
    async def _rename(self, session_id: str, title: str) -> None:
        try:
            session = await self.app.backend.client.sessions.update(session_id, title=title or None)
        except AgentAPIError as error:
            self.notify(f"Could not rename the session: {error}", severity="error", markup=False)
            return
        self._changed_here(session)

    def action_archive(self) -> None:
        session = self._selected_session()
        if session is None:
            return
        if session.archived_at is not None:
            self.notify(f"“{title_of(session)}” is already archived.", markup=False)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._archive(session.id)

        self.app.push_screen(ConfirmScreen(f"Archive the session “{title_of(session)}”?"), confirmed)

    @work(group="sessions-edit", exit_on_error=False)
    async def _archive(self, session_id: str) -> None:
        try:
            session = await self.app.backend.client.sessions.archive(session_id)
        except AgentAPIError as error:
            self.notify(f"Could not archive the session: {error}", severity="error", markup=False)
            return
        self._changed_here(session)

    def action_filter(self) -> None:
        field = self._filter_field
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        field = self._filter_field
        field.value = ""
        field.display = False
        self._set_filter("")
        self._table.focus()

    @on(Input.Changed, "#sessions-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._set_filter(event.value)

    @on(Input.Submitted, "#sessions-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            event.input.display = False
        self._table.focus()

    def _set_filter(self, text: str) -> None:
        self._filter = text.strip().lower()
        self._refresh_rows()
        self.refresh_bindings()

    def action_toggle_archived(self) -> None:
        self._show_archived = not self._show_archived
        self._generation += 1  # a poll in flight lists with the old setting
        self._refresh_rows()
        self.refresh_sessions()
        self.notify("Showing archived sessions" if self._show_archived else "Hiding archived sessions", markup=False)

    def action_refresh_sessions(self) -> None:
        self.refresh_sessions()
