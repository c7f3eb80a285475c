"""SessionInfoScreen: everything about one session on one screen, like the Console's session panel.

Sections: the session (its id and its primary thread's, title, status, times), environment (name,
id), agent (name, id, version, model), resources, metadata, usage (active time, duration, tokens,
cost against the budget), and per-tool statistics (:mod:`app.api.tool_stats`) from the
transcript: the chat's when the session is open there, else the session's events read here in a
worker ("loading…" meanwhile). Every row is an option of one list: ``c``, enter or a click copies
the highlighted row's value with ``App.copy_to_clipboard``. Reads go through
``app.backend.client`` in workers; a failed read shows as one line. While open, the session is
read again every :data:`REFRESH` seconds and the open chat's statistics follow its transcript
(the list is redrawn only when something changed). Everything from the server is shown as plain
text (``Content``), never markup; a repository resource shows its URL and mount path (its token
is never returned by the API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from app.api.errors import AgentAPIError
from app.api.models import Session
from app.api.models.agents import AgentSnapshot
from app.api.models.resources import FileResource, GitHubRepositoryResource, MemoryStoreResource
from app.api.models.usage import BudgetLimit, MonetaryAmount
from app.api.tool_stats import ToolStats, tool_stats
from app.api.transcript import Transcript
from app.api.transcript_blocks import Money
from app.tui.chat.tool_call import duration_text
from app.tui.format import title_of
from app.tui.host import client_of
from app.tui.widgets.footer import Footer
from app.tui.widgets.message_line import MessageLine

#: Cells of the label column.
LABEL_WIDTH = 18
LOADING = "loading…"
#: Seconds between readings of the session while the screen is open.
REFRESH = 2.0


@dataclass(frozen=True)
class InfoRow:
    """One line of a section: ``value`` is what ``c`` copies."""

    label: str
    value: str


#: Section title -> its rows, in the order shown.
Sections = dict[str, tuple[InfoRow, ...]]


def stamp(value: str | None) -> str:
    """An API timestamp as ``2026-05-02 09:21:40 UTC`` (as given when it cannot be read)."""
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def span(seconds: float | None) -> str:
    """Seconds as a tool call shows them (``42.0s``, ``3m05s``); ``—`` when unknown."""
    return "—" if seconds is None else duration_text(seconds)


def money(amount: MonetaryAmount) -> Money:
    return Money(amount.amount, amount.currency)


def cost_line(session: Session) -> str:
    """``$0.42 of $25.00 (2%)`` against a budget, ``$0.42 · no budget`` without one."""
    usage = session.usage
    cost = money(usage.list_cost) if usage is not None and usage.list_cost is not None else Money("0", "USD")
    budget = session.budget
    if not isinstance(budget, BudgetLimit):
        return f"{cost} · no budget" if budget is None else f"{cost} · budget of type {budget.type}"
    limit = money(budget.max_list_cost)
    line = f"{cost} of {limit}"
    try:
        share = int(cost.amount) / int(limit.amount) * 100
    except (ValueError, ZeroDivisionError):
        return line
    return f"{line} ({share:.0f}%)" if cost.currency == limit.currency else line


def resource_rows(session: Session) -> tuple[InfoRow, ...]:
    """One row per resource: what it is and where it is mounted (never a token)."""
    rows = []
    for resource in session.resources:
        if isinstance(resource, GitHubRepositoryResource):
            rows.append(InfoRow("repository", f"{resource.url} → {resource.mount_path}"))
        elif isinstance(resource, FileResource):
            rows.append(InfoRow("file", f"{resource.file_id} → {resource.mount_path}"))
        elif isinstance(resource, MemoryStoreResource):
            where = f" → {resource.mount_path}" if resource.mount_path else ""
            rows.append(InfoRow("memory store", f"{resource.name or resource.memory_store_id}{where}"))
        else:
            rows.append(InfoRow(resource.type, getattr(resource, "id", None) or "(no id)"))
    return tuple(rows) or (InfoRow("none", ""),)


def tool_rows(tools: list[ToolStats] | str) -> tuple[InfoRow, ...]:
    """Per tool: calls, failures, median duration; or why there is nothing (``loading…``, an error)."""
    if isinstance(tools, str):
        return (InfoRow("", tools),)
    if not tools:
        return (InfoRow("", "no tool calls"),)
    rows = []
    for tool in tools:
        median = "—" if tool.median_seconds is None else span(tool.median_seconds)
        calls = f"{tool.calls} call{'s' if tool.calls != 1 else ''}"
        rows.append(InfoRow(tool.name, f"{calls} · {tool.failures} failed · median {median}"))
    return tuple(rows)


def count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def info_sections(
    session: Session, *, environment: str | None, primary_thread: str | None, tools: list[ToolStats] | str
) -> Sections:
    """What the screen shows for ``session`` (its environment's name and primary thread id when
    known; ``tools`` is the per-tool statistics, or a line saying why there are none)."""
    agent = session.agent
    agent_id = agent.id if isinstance(agent, AgentSnapshot) else "—"
    about = [
        InfoRow("session id", session.id),
        InfoRow("primary thread id", primary_thread or "—"),
        InfoRow("title", title_of(session)),
        InfoRow("status", session.status),
        InfoRow("created", stamp(session.created_at)),
        InfoRow("updated", stamp(session.updated_at)),
    ]
    if session.archived_at:
        about.append(InfoRow("archived", stamp(session.archived_at)))
    agent_rows = [InfoRow("name", session.agent_name), InfoRow("agent id", agent_id)]
    if isinstance(agent, AgentSnapshot):
        agent_rows += [InfoRow("version", str(agent.version)), InfoRow("model", agent.model.id)]
    stats, usage = session.stats, session.usage
    creation = usage.cache_creation if usage is not None else None
    cache_write = None
    if creation is not None:
        cache_write = (creation.ephemeral_5m_input_tokens or 0) + (creation.ephemeral_1h_input_tokens or 0)
    spent = (
        InfoRow("active", span(stats.active_seconds if stats else None)),
        InfoRow("duration", span(stats.duration_seconds if stats else None)),
        InfoRow("input tokens", count(usage.input_tokens if usage else None)),
        InfoRow("output tokens", count(usage.output_tokens if usage else None)),
        InfoRow("cache read", count(usage.cache_read_input_tokens if usage else None)),
        InfoRow("cache write", count(cache_write)),
        InfoRow("list cost", cost_line(session)),
    )
    return {
        "Session": tuple(about),
        "Environment": (InfoRow("name", environment or "—"), InfoRow("environment id", session.environment_id)),
        "Agent": tuple(agent_rows),
        "Resources": resource_rows(session),
        "Metadata": tuple(InfoRow(k, v) for k, v in session.metadata.items()) or (InfoRow("none", ""),),
        "Usage": spent,
        "Tools": tool_rows(tools),
    }


class SessionInfoScreen(ModalScreen[None]):
    """Session ``session_id``'s details; ``transcript``, when given (the open chat's), is used for
    the tool statistics instead of reading the session's events."""

    BINDINGS = [
        Binding("c", "copy", "Copy", id="session_info.copy"),
        Binding("escape,q,f2", "dismiss", "Close", id="session_info.close"),
    ]

    def __init__(self, session_id: str, transcript: Transcript | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self._transcript = transcript
        self._rows: dict[str, InfoRow] = {}  # option id -> its row
        self._shown: Sections | None = None
        #: Once loaded: the environment's name and the primary thread (they do not change), and
        #: the tool statistics read here (None while the open chat's transcript gives them).
        self._details: dict[str, str | None] | None = None
        self._tools: list[ToolStats] | str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="session-info", classes="dialog"):
            yield Static(Content("Session info"), classes="dialog-title")
            yield MessageLine(id="session-info-error")
            yield OptionList(Option(Content(LOADING), disabled=True), id="session-info-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._load()
        self.set_interval(REFRESH, self._refresh)

    @work(exclusive=True, group="session-info", exit_on_error=False)
    async def _load(self) -> None:
        client = client_of(self)
        try:
            session = await client.sessions.retrieve(self.session_id)
        except AgentAPIError as error:
            self._error(f"Could not load the session: {error}")
            return
        try:
            environment: str | None = (await client.environments.retrieve(session.environment_id)).name
        except AgentAPIError:
            environment = None
        try:
            threads = [thread async for thread in client.sessions.threads.list(self.session_id)]
            primary = next((t.id for t in threads if t.parent_thread_id is None), None)
        except AgentAPIError:
            primary = None
        self._details = {"environment": environment, "primary_thread": primary}
        if self._transcript is None:
            self._show_session(session)  # "loading…" under Tools meanwhile
            try:
                transcript = Transcript([event async for event in client.sessions.events.list(self.session_id)])
            except AgentAPIError as error:
                self._tools = f"could not read the events: {error}"
            else:
                self._tools = tool_stats(transcript)
        self._show_session(session)

    def _refresh(self) -> None:
        """Read the session again (its status and usage move while it runs), once it is loaded."""
        if self._details is not None:
            self._reload()

    @work(exclusive=True, group="session-info-refresh", exit_on_error=False)
    async def _reload(self) -> None:
        try:
            session = await client_of(self).sessions.retrieve(self.session_id)
        except AgentAPIError:  # what is shown stays; the first load said what went wrong, if anything
            return
        self._show_session(session)

    def _show_session(self, session: Session) -> None:
        """Show ``session`` with the tool statistics: the open chat's, live, else those read here."""
        assert self._details is not None
        if self._transcript is not None:
            tools: list[ToolStats] | str = tool_stats(self._transcript)
        else:
            tools = LOADING if self._tools is None else self._tools
        self._show(info_sections(session, tools=tools, **self._details))

    def _error(self, message: str) -> None:
        self.query_one("#session-info-error", MessageLine).say(message)
        self.query_one(OptionList).clear_options()

    def _show(self, sections: Sections) -> None:
        """Fill the list (when it changed), the cursor kept on the row it was on."""
        if sections == self._shown:
            return
        self._shown = sections
        options: list[Option] = []
        self._rows = {}
        for title, rows in sections.items():
            options.append(Option(Content.styled(title, "bold $accent"), disabled=True))
            for row in rows:
                option_id = f"row-{len(self._rows)}"
                self._rows[option_id] = row
                label = (row.label[: LABEL_WIDTH - 1]).ljust(LABEL_WIDTH)
                options.append(Option(Content.assemble(("  " + label, "dim"), row.value), id=option_id))
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.set_options(options)
        if highlighted is not None and highlighted < listing.option_count:
            listing.highlighted = highlighted
        elif listing.highlighted is None:
            listing.action_first()

    def action_copy(self) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return
        option = listing.get_option_at_index(listing.highlighted)
        row = self._rows.get(option.id or "")
        if row is None or not row.value:
            return
        self.app.copy_to_clipboard(row.value)
        self.notify(f"Copied {row.label or 'it'}: {row.value}", markup=False)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_copy()
