"""SessionsPane: the sessions of one environment (or all), latest activity first, with live statuses.

Public API (the app wires these):

- ``show_environment(environment_id | None)``: list that environment's sessions (``None``: all).
- ``set_open_session(session_id | None)``: the session the chat view shows; it never raises
  attention and opening it clears its mark.
- ``refresh_sessions()``: list again every page loaded so far (also bound to ``R``).
- posts ``SessionOpened`` (enter, click, or after creating a session) and ``SessionsChanged``
  (after create, rename, archive).

Rows are ordered by ``updated_at`` (the latest activity first; a row moves when its session's
changes); the age column counts from it too. ``d`` (or delete) deletes the highlighted session
after a confirmation (an open chat learns it from its stream), ``I`` shows its
:class:`~app.tui.screens.session_info.SessionInfoScreen`, and the ``/`` filter matches titles and
ids.

The pane lists the newest page of sessions; while older ones exist, a last row says so, and
moving onto it (or enter on it) lists the next page. A worker polls (see
:mod:`app.api.session_watch`: a few requests, whatever the account's size) every 2 s
against the embedded runtime, 5 s against the real API, backing off to :data:`BACKOFF` times
that while nothing changes (or the API fails), no session is active and none is open. Only rows
that changed are redrawn (under stable row keys, the session ids, so the cursor stays on its
session); an age is redrawn when its text changes, and the running glyph spins only while a shown
session runs. The API cannot filter sessions by environment or title: the environment, the
filter and hiding archived sessions apply to the sessions listed so far. Until ``app.backend``
exists the worker waits for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from functools import partial
from types import MappingProxyType

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.widgets import DataTable, Static

from app.api.client import AgentClient
from app.api.errors import AgentAPIError
from app.api.models import Session, parse_time
from app.api.session_watch import APPROVAL, Listing, SessionWatch, older, poll, relist
from app.tui.bindings import shown_keys
from app.tui.format import age_changes, title_of
from app.tui.host import client_of, deck
from app.tui.messages import SessionOpened, SessionsChanged
from app.tui.screens.confirm import confirm
from app.tui.screens.rename import RenameScreen
from app.tui.screens.session_form import SessionFormScreen
from app.tui.screens.session_info import SessionInfoScreen
from app.tui.skipped import skipped_note
from app.tui.widgets.filter_line import FilterLine
from app.tui.widgets.session_rows import (
    Column,
    RowView,
    attention_note,
    layout,
    older_cells,
    rich_colour,
    row_cells,
    row_view,
)

#: Cells the vertical scrollbar takes (see styles/sessions.tcss).
_SCROLLBAR = 1
EMBEDDED_POLL, REMOTE_POLL = 2.0, 5.0
#: A poll that changed nothing doubles the wait before the next one, up to this many times the interval.
BACKOFF = 8
#: Row key of the last row while older sessions exist (session ids start with ``sesn_``).
OLDER = "older-sessions"
#: Actions that act on the highlighted session.
_ROW_ACTIONS = {"rename", "archive", "export", "delete", "info"}


class SessionTable(DataTable[Text]):
    """The list itself: a row cursor, enter or space opens (posts ``RowSelected``), j/k move."""

    BINDINGS = [
        Binding("enter,space", "select_cursor", "Open", id="sessions.open"),
        Binding("j", "cursor_down", "Down", show=False, id="sessions.down"),
        Binding("k", "cursor_up", "Up", show=False, id="sessions.up"),
    ]

    class ReachedEnd(Message):
        """The user moved the cursor down onto the last row (or pressed down on it)."""

    def _moved_down(self) -> None:
        if self.row_count and self.cursor_row == self.row_count - 1:
            self.post_message(self.ReachedEnd())

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        self._moved_down()

    def action_page_down(self) -> None:
        super().action_page_down()
        self._moved_down()

    def action_scroll_bottom(self) -> None:
        super().action_scroll_bottom()
        self._moved_down()


class SessionsPane(Vertical):
    """The sessions list with its filter line; see the module docstring for the API."""

    BORDER_TITLE = "Sessions"
    BINDINGS = [
        Binding("n", "new_session", "New", id="sessions.new"),
        Binding("r", "rename", "Rename", id="sessions.rename"),
        Binding("a", "archive", "Archive", id="sessions.archive"),
        Binding("x", "export", "Export", id="sessions.export", show=False),
        Binding("d,delete", "delete", "Delete", id="sessions.delete"),
        Binding("I", "info", "Session info", id="sessions.info", show=False),
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
        #: The session rows shown, in table order (the "older sessions" row is not one of them).
        self._shown: dict[str, RowView] = {}
        self._spinning: set[str] = set()  # shown rows whose glyph spins
        self._age_due: dict[str, datetime] = {}  # when each shown row's age next reads differently
        self._age_timer: Timer | None = None
        self._spinner: Timer | None = None
        self._chrome: tuple[str, bool, str] | None = None  # what the subtitle and empty line show
        self._title_width = 0
        self._columns: list[Column] = []
        self._frame = 0
        self._error: str | None = None
        #: Sessions (ids, or errors when they had none) already reported as unreadable.
        self._unread: set[str] = set()
        self._generation = 0  # bumped by local changes: a listing that started before one is discarded
        self._next = "relist"  # the worker's next listing: "relist", "older" or "poll"
        self._fetching: str | None = None  # the listing under way
        self._quiet = 0  # polls in a row that changed nothing
        self._wake = asyncio.Event()
        self._filter_field = FilterLine("filter by title or id", id="sessions-filter")
        self._table = SessionTable(cursor_type="row", id="sessions-table")
        self._empty = Static(id="sessions-empty")

    def compose(self) -> ComposeResult:
        yield self._filter_field
        yield self._empty
        yield self._table

    def on_mount(self) -> None:
        self._update_chrome()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._rebuild())
        self._spinner = self.set_interval(0.25, self._spin, pause=True)
        self._poll()

    # ------------------------------------------------------------------ public API

    @property
    def environment_id(self) -> str | None:
        return self._environment_id

    @property
    def selected_session_id(self) -> str | None:
        """The session under the cursor, if any (not on the "older sessions" row)."""
        row = self._table.cursor_row
        if not 0 <= row < len(self._shown):
            return None
        return self._table.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value

    @property
    def rows(self) -> Mapping[str, RowView]:
        """The session rows shown, by session id, in table order (a read-only view)."""
        return MappingProxyType(self._shown)

    @property
    def listed(self) -> list[Session]:
        """Every session listed so far (all environments), newest first."""
        return list(self._watch.sessions)

    def show_environment(self, environment_id: str | None) -> None:
        """Show the sessions of this environment (``None``: every environment)."""
        self._environment_id = environment_id
        self._rebuild()

    def set_open_session(self, session_id: str | None) -> None:
        """Tell the pane which session the chat view shows."""
        self._open_session_id = session_id
        if session_id is not None and self._watch.attention.pop(session_id, False):
            self._update_rows([session_id])

    def refresh_sessions(self) -> None:
        """List again, now, every page listed so far."""
        self._next = "relist"
        self._quiet = 0
        self._wake.set()

    # ------------------------------------------------------------------ polling

    @property
    def poll_interval(self) -> float:
        if self._poll_interval is not None:
            return self._poll_interval
        backend = getattr(self.app, "backend", None)
        return EMBEDDED_POLL if backend is not None and backend.embedded is not None else REMOTE_POLL

    def _wait(self) -> float:
        """Seconds until the next poll: the interval while anything may change, longer while all is quiet."""
        if self._watch.active or self._open_session_id is not None:
            return self.poll_interval
        backoff: int = min(2**self._quiet, BACKOFF)  # typeshed types int ** int as Any (a negative power is a float)
        return self.poll_interval * backoff

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
            job = self._next if self._watch.loaded else "relist"
            self._next, self._fetching = "poll", job
            generation = self._generation
            try:
                listing = await self._list(backend.client, job)
            except AgentAPIError as error:
                self._fetching = None
                self._quiet += 1  # an API that fails is asked less often too
                self._set_error(str(error))
                if job == "older":
                    self._rebuild()  # the last row offers to load them again
            else:
                self._fetching = None
                if generation != self._generation:  # something changed here meanwhile: list again
                    if self._next == "poll":
                        self._next = job
                    continue
                self._set_error(None)
                self._take(listing, job)
            await self._sleep(self._wait())

    async def _list(self, client: AgentClient, job: str) -> Listing:
        watch, archived = self._watch, self._show_archived
        if job == "relist":
            return await relist(client, include_archived=archived, pages=max(watch.pages, 1), known=watch.checks)
        if job == "older" and watch.floor is not None:
            return await older(
                client, include_archived=archived, floor=watch.floor, listed=watch.ids, known=watch.checks
            )
        return await poll(
            client, include_archived=archived, sessions=watch.sessions, active=set(watch.active), known=watch.checks
        )

    def _take(self, listing: Listing, job: str) -> None:
        """Apply a listing to the watch and the rows; notify what wants attention, and sessions
        this client could not read (once each)."""
        had_more = self._watch.more
        unread = {item.id or item.error for item in listing.skipped}
        if not unread <= self._unread and (note := skipped_note("session", listing.skipped)):
            self.notify(note, severity="warning", markup=False)
        self._unread |= unread
        update = self._watch.apply(listing, self._open_session_id)
        for kind, session in update.raised:
            severity: SeverityLevel = "warning" if kind == APPROVAL else "information"
            self.notify(attention_note(kind, title_of(session)), severity=severity, markup=False)
        if update.reordered or job != "poll" or self._watch.more != had_more:
            self._rebuild()
        elif update.changed:
            self._update_rows(update.changed)
        self._quiet = 0 if update.reordered or update.changed else self._quiet + 1

    def _set_error(self, message: str | None) -> None:
        """Show a polling error (said once, until a poll works again)."""
        if message is not None and self._error is None:
            self.notify(f"Could not list sessions: {message}", severity="error", markup=False)
        self._error = message
        self._update_chrome()

    def _changed_here(self, session: Session) -> None:
        """A session created, renamed or archived from this app: show it now, tell the others."""
        self._generation += 1
        if self._watch.put(session):
            self._rebuild()
        else:
            self._update_rows([session.id])
        self.post_message(SessionsChanged(session.id))
        self._quiet = 0
        self._wake.set()  # a quick poll: the change is already in the watch

    def _load_older(self) -> None:
        """List the next page of older sessions (once: a request under way is not repeated)."""
        if not self._watch.more or "older" in (self._next, self._fetching):
            return
        if self._next == "poll":
            self._next = "older"
        self._wake.set()
        self._table.update_cell(OLDER, "title", older_cells(loading=True)["title"])

    # ------------------------------------------------------------------ rendering

    def _in_scope(self, session: Session) -> bool:
        """In the shown environment, and not archived unless archived sessions are shown."""
        return (self._environment_id is None or session.environment_id == self._environment_id) and (
            self._show_archived or session.archived_at is None
        )

    def _visible(self, session: Session) -> bool:
        """In scope and matching the filter (in its title or its id)."""
        return self._in_scope(session) and (
            self._filter in title_of(session).casefold() or self._filter in session.id.casefold()
        )

    def _view(self, session: Session, now: datetime) -> RowView:
        watch = self._watch
        return row_view(
            session, needs_approval=watch.needs_approval(session), attention=watch.attention.get(session.id), now=now
        )

    def _cells(self, view: RowView) -> dict[str, Text]:
        def colour(variable: str) -> str:
            return rich_colour(variable, self.app.theme_variables)

        return row_cells(view, title_width=self._title_width, spinner_frame=self._frame, colour=colour)

    def _row(self, cells: dict[str, Text]) -> list[Text]:
        """The cells of the columns shown, in their order."""
        return [cells.get(column.key, Text("")) for column in self._columns]

    def _rebuild(self, keep: str | None = None) -> None:
        """Rows rebuilt from the watch, the cursor kept on its session (``keep``, else the selected one)."""
        if not self._title_width:
            return  # not laid out yet: the first resize renders
        now = self._clock()
        table = self._table
        selected, index = keep or self.selected_session_id, table.cursor_row
        sessions = [s for s in self._watch.sessions if self._visible(s)]
        sessions.sort(key=lambda s: parse_time(s.updated_at), reverse=True)  # the latest activity first
        self._shown = {s.id: self._view(s, now) for s in sessions}
        self._age_due = {s.id: age_changes(s.updated_at, now) for s in sessions}
        self._spinning = {key for key, view in self._shown.items() if view.status == "running"}
        table.clear()
        table.show_header = bool(self._shown)
        for key, view in self._shown.items():
            table.add_row(*self._row(self._cells(view)), key=key)
        if self._watch.more:
            table.add_row(*self._row(older_cells(loading="older" in (self._next, self._fetching))), key=OLDER)
        if selected in self._shown:
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        elif table.row_count:
            table.move_cursor(row=min(max(index, 0), table.row_count - 1), animate=False)
        self._rendered()

    def _update_rows(self, keys: Iterable[str]) -> None:
        """Redraw these sessions' rows where they look different (a row that comes or goes: rebuild)."""
        if not self._title_width:
            return
        now = self._clock()
        for key in keys:
            session = self._watch.get(key)
            if session is None or self._visible(session) != (key in self._shown):
                self._rebuild()
                return
            if key not in self._shown:
                continue
            view = self._view(session, now)
            if view.updated_at != self._shown[key].updated_at and not self._in_order(key, view.updated_at):
                self._rebuild()
                return
            self._age_due[key] = age_changes(session.updated_at, now)
            (self._spinning.add if view.status == "running" else self._spinning.discard)(key)
            if view != self._shown[key]:
                self._shown[key] = view
                cells = self._cells(view)
                for column in self._columns:
                    self._table.update_cell(key, column.key, cells[column.key])
        self._rendered()

    def _rendered(self) -> None:
        """After the rows changed: spin while a shown session runs, time the next age change, say the counts."""
        if self._spinner is not None:
            (self._spinner.resume if self._spinning else self._spinner.pause)()
        self._schedule_ages()
        self._update_chrome()

    def _schedule_ages(self) -> None:
        if self._age_timer is not None:
            self._age_timer.stop()
            self._age_timer = None
        due = min(self._age_due.values(), default=None)
        if due is not None:
            wait = max((due - self._clock()).total_seconds(), 0.1)
            self._age_timer = self.set_timer(wait, self._refresh_ages)

    def _refresh_ages(self) -> None:
        """Redraw the ages that now read differently."""
        self._age_timer = None
        now = self._clock()
        for key, due in self._age_due.items():
            if due <= now and (session := self._watch.get(key)) is not None:  # a shown session is watched
                view = self._shown[key] = self._view(session, now)
                self._age_due[key] = age_changes(session.updated_at, now)
                if any(column.key == "age" for column in self._columns):
                    self._table.update_cell(key, "age", self._cells(view)["age"])
        self._schedule_ages()

    def _in_order(self, key: str, updated_at: str) -> bool:
        """A row whose last activity is now ``updated_at`` is still where the order puts it."""
        keys = list(self._shown)
        at = keys.index(key)
        moment = parse_time(updated_at)
        before = at == 0 or parse_time(self._shown[keys[at - 1]].updated_at) >= moment
        return before and (at == len(keys) - 1 or parse_time(self._shown[keys[at + 1]].updated_at) <= moment)

    def _layout_columns(self) -> None:
        """The columns that fit the pane's width, the title taking what they leave (columns are rebuilt)."""
        columns, title_width = layout(self.content_size.width - _SCROLLBAR)
        if title_width == self._title_width and columns == self._columns:
            return
        self._title_width, self._columns = title_width, columns
        keep = self.selected_session_id
        self._table.clear(columns=True)
        for column in columns:
            self._table.add_column(column.header, width=column.width or title_width, key=column.key)
        self._rebuild(keep=keep)

    def on_resize(self) -> None:
        self._layout_columns()

    def _update_chrome(self) -> None:
        """Border subtitle (counts, filter, archived) and the empty-list message, when they change."""
        shown = str(len(self._shown))
        if self._filter:
            shown += f"/{sum(1 for s in self._watch.sessions if self._in_scope(s))}"
        parts = [shown + ("+" if self._watch.more else "")]
        if self._show_archived:
            parts.append("with archived")
        if self._error is not None:
            parts.append("⚠ not updating")  # the last poll failed: the rows may be stale
        if not self._watch.loaded:
            message = f"Could not list sessions: {self._error}" if self._error else "Loading sessions…"
        elif self._filter:
            message = "No session title or id matches the filter."
        elif self._watch.more:
            message = "None among the sessions listed so far."
        else:
            message = f"No sessions yet. Press {self._key_of('sessions.new')} to start one."
        chrome = (" · ".join(parts), not self._shown, message)
        if chrome == self._chrome:
            return
        self._chrome = chrome
        self.border_subtitle = Content(chrome[0])
        self._empty.display = chrome[1]
        self._empty.update(Content(message))

    def _key_of(self, binding_id: str) -> str:
        """How the key of one of this pane's bindings shows, after the config file's keymap."""
        binding = next(b for b in self.BINDINGS if isinstance(b, Binding) and b.id == binding_id)
        return shown_keys(self.app, binding)[0]

    def _spin(self) -> None:
        self._frame += 1
        for key in self._spinning:
            self._table.update_cell(key, "title", self._cells(self._shown[key])["title"])

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._filter_field.has_focus:
            return action == "clear_filter"
        if action == "clear_filter":
            return self._filter_field.active
        if action in _ROW_ACTIONS and self.selected_session_id is None:
            return None
        return True

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value == OLDER:
            self._load_older()
        else:
            self._open(str(event.row_key.value))

    @on(SessionTable.ReachedEnd)
    def _reached_end(self, event: SessionTable.ReachedEnd) -> None:
        event.stop()
        if self._table.cursor_row == len(self._shown):  # on the "older sessions" row
            self._load_older()

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
            self._table.move_cursor(row=self._table.get_row_index(session.id), animate=False)
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
            session = await client_of(self).sessions.update(session_id, title=title or None)
        except AgentAPIError as error:
            self.notify(f"Could not rename the session: {error}", severity="error", markup=False)
            return
        self._changed_here(session)

    def action_export(self) -> None:
        """Export the highlighted session (markdown and jsonl under the data dir)."""
        deck(self).action_export_session(self.selected_session_id)

    def action_archive(self) -> None:
        session = self._selected_session()
        if session is None:
            return
        if session.archived_at is not None:
            self.notify(f"“{title_of(session)}” is already archived.", markup=False)
            return
        confirm(self, f"Archive the session “{title_of(session)}”?", "Archive", partial(self._archive, session.id))

    @work(group="sessions-edit", exit_on_error=False)
    async def _archive(self, session_id: str) -> None:
        try:
            session = await client_of(self).sessions.archive(session_id)
        except AgentAPIError as error:
            self.notify(f"Could not archive the session: {error}", severity="error", markup=False)
            return
        self._changed_here(session)

    def action_delete(self) -> None:
        session = self._selected_session()
        if session is None:
            return
        question = (
            f"Delete the session “{title_of(session)}” and its whole history? This cannot be undone "
            "(archiving instead keeps it, read-only)."
        )
        confirm(self, question, "Delete", partial(self._delete, session.id, title_of(session)))

    @work(group="sessions-edit", exit_on_error=False)
    async def _delete(self, session_id: str, title: str) -> None:
        try:
            await client_of(self).sessions.delete(session_id)
        except AgentAPIError as error:
            self.notify(f"Could not delete the session: {error}", severity="error", markup=False)
            return
        self._generation += 1
        self._watch.drop(session_id)
        self._rebuild()
        self.notify(f"Deleted the session “{title}”.", markup=False)  # an open chat hears it from its stream

    def action_info(self) -> None:
        """The highlighted session's details (see :mod:`app.tui.screens.session_info`)."""
        if (session_id := self.selected_session_id) is not None:
            self.app.push_screen(SessionInfoScreen(session_id))

    def action_filter(self) -> None:
        self._filter_field.open()

    def action_clear_filter(self) -> None:
        self._filter_field.clear()
        self._set_filter("")
        self._table.focus()

    @on(FilterLine.TextChanged)
    def _filter_changed(self, event: FilterLine.TextChanged) -> None:
        self._set_filter(event.text)

    @on(FilterLine.Done)
    def _filter_done(self) -> None:
        self._table.focus()

    def _set_filter(self, text: str) -> None:
        self._filter = text
        self._rebuild()
        self.refresh_bindings()

    def action_toggle_archived(self) -> None:
        self._show_archived = not self._show_archived
        self._generation += 1  # a listing under way lists with the old setting
        self._rebuild()
        self.refresh_sessions()
        self.notify("Showing archived sessions" if self._show_archived else "Hiding archived sessions", markup=False)

    def action_refresh_sessions(self) -> None:
        self.refresh_sessions()
