"""The new session form: environment, title, an agent (picked or defined), a GitHub repository, metadata.

``SessionFormScreen(environment_id)`` is a ``ModalScreen`` returning the created ``Session`` (or
``None`` when cancelled). Submitting creates what is missing first (a "default" environment when
there is none, the new agent), then the session, in a worker. A bad field or an API error is shown
in the form's message line with the field marked and focused; nothing typed is cleared, and an
environment or agent created before a failure is reused on the next try.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from app.api.errors import AgentAPIError, APIStatusError
from app.api.models import Agent, Environment, Session
from app.tui.host import client_of
from app.tui.screens.session_spec import (
    DEFAULT_MODEL,
    MODELS,
    OTHER_MODEL,
    POLICIES,
    TOOLS,
    AgentSpec,
    InvalidField,
    RepoSpec,
    ToolChoice,
    agent_summary,
    agent_tools,
    can_be_delegated_to,
    check_agent,
    check_repo,
    check_title,
    parse_metadata,
)
from app.tui.skipped import skipped_note
from app.tui.widgets.footer import Footer
from app.tui.widgets.memory_store_picker import MemoryStorePicker
from app.tui.widgets.message_line import MessageLine

#: Select value meaning "create one": a new agent, or the default environment when there is none.
NEW = "__new__"
DEFAULT_ENVIRONMENT = {"name": "default", "config": {"type": "cloud", "networking": {"type": "unrestricted"}}}

#: Words in an API error that point at a form field.
_ERROR_FIELDS = (
    ("metadata", "metadata"),
    ("title", "title"),
    ("environment", "environment"),
    ("resource", "repo-url"),
    ("repositor", "repo-url"),
    ("model", "model"),
    ("vault", "vault"),
    ("memory", "memory-store"),
)


@dataclass(frozen=True)
class Plan:
    """A validated form: what to create, in order."""

    environment_id: str | None  # None: create the default environment
    title: str | None
    agent_id: str | None  # None: create ``agent``
    agent: AgentSpec | None
    repo: RepoSpec | None
    metadata: dict[str, str]
    vault_ids: tuple[str, ...] = ()


def _field(label: str, *widgets: Widget) -> Horizontal:
    return Horizontal(Label(label, classes="field-label"), *widgets, classes="field")


class NewAgentFields(Vertical):
    """The fields of an agent defined in the form. Mounted the first time "Define a new agent…" is
    picked: its many selects cost as much to build as the rest of the form, which then opens at once.

    ``agents`` are the existing agents a coordinator may delegate to: the roster offers each as a
    checkbox (``roster-0``, ``roster-1``… in that order); picking any makes the new agent a
    coordinator."""

    def __init__(self, agents: list[Agent] | tuple[Agent, ...] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.roster_agents = tuple(agents)

    def roster(self) -> list[str]:
        """The ids of the agents picked for the roster."""
        return [
            agent.id
            for number, agent in enumerate(self.roster_agents)
            if self.query_one(f"#roster-{number}", Checkbox).value
        ]

    def compose(self) -> ComposeResult:
        yield _field("Name", Input("assistant", id="agent-name", compact=True))
        model_options = [*MODELS, ("Other model id…", OTHER_MODEL)]
        yield _field(
            "Model",
            Select(model_options, value=DEFAULT_MODEL, allow_blank=False, id="model", compact=True),
            Input(placeholder="model id", id="model-id", compact=True),
        )
        yield Label("System prompt", classes="section")
        yield TextArea(id="system", compact=True)
        yield Label("Tools: enabled, and whether each call asks first", classes="section")
        with Grid(id="tools"):
            for name in TOOLS:
                yield Checkbox(name, True, id=f"tool-{name}", compact=True)
                yield Select(
                    [(policy.replace("_", " "), policy) for policy in POLICIES],
                    value="always_allow",
                    allow_blank=False,
                    id=f"policy-{name}",
                    compact=True,
                )
        yield Label("Coordinator: the agents it may delegate to (none: a single agent)", classes="section")
        with Vertical(id="roster"):
            for number, agent in enumerate(self.roster_agents):
                yield Checkbox(Content(agent.name), False, id=f"roster-{number}", compact=True)
            if not self.roster_agents:
                yield Static("No agent to delegate to yet: create one first.", classes="roster-empty")

    def on_mount(self) -> None:
        self.query_one("#model-id").display = False

    def spec(self) -> AgentSpec:
        """The agent these fields define; raises :class:`InvalidField` on the first bad field."""
        return check_agent(
            self.query_one("#agent-name", Input).value,
            str(self.query_one("#model", Select).value),
            self.query_one("#model-id", Input).value,
            self.query_one("#system", TextArea).text,
            (
                ToolChoice(
                    name,
                    self.query_one(f"#tool-{name}", Checkbox).value,
                    str(self.query_one(f"#policy-{name}", Select).value),
                )
                for name in TOOLS
            ),
            self.roster(),
        )

    def fill(self, agent: Agent) -> None:
        """Show ``agent``'s name, model, system prompt, built-in tools and roster in the fields."""
        self.query_one("#agent-name", Input).value = agent.name
        known = agent.model.id in {model for _, model in MODELS}
        self.query_one("#model", Select).value = agent.model.id if known else OTHER_MODEL
        self.query_one("#model-id", Input).value = "" if known else agent.model.id
        self.query_one("#model-id").display = not known
        self.query_one("#system", TextArea).text = agent.system or ""
        policies = dict(agent_tools(agent))
        for name in TOOLS:
            self.query_one(f"#tool-{name}", Checkbox).value = name in policies
            self.query_one(f"#policy-{name}", Select).value = policies.get(name, "always_allow")
        entries = getattr(agent.multiagent, "agents", None) or []
        coordinated = {entry if isinstance(entry, str) else entry.get("id") for entry in entries}
        for number, member in enumerate(self.roster_agents):
            self.query_one(f"#roster-{number}", Checkbox).value = member.id in coordinated


class SessionFormScreen(ModalScreen[Session | None]):
    """Create a session; dismisses with it, or with ``None`` on cancel."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Create", id="session_form.submit"),
        Binding("escape", "cancel", "Cancel", id="session_form.cancel"),
    ]

    def __init__(self, environment_id: str | None = None) -> None:
        super().__init__()
        self._environment_id = environment_id
        self._agents: dict[str, Agent] = {}
        self._loaded = False
        self._load_problem: str | None = None
        self._busy = False
        self._created_environment: Environment | None = None
        self._created_agents: dict[AgentSpec, Agent] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="session-form") as dialog:
            dialog.border_title = "New session"
            with VerticalScroll(id="session-form-body"):
                yield _field("Environment", Select([], prompt="loading…", id="environment", compact=True))
                yield _field("Title", Input(placeholder="optional", id="title", compact=True))
                yield _field("Agent", Select([], prompt="loading…", id="agent", compact=True))
                yield Static(id="agent-summary")
                yield _field("Vault", Select([], prompt="none", id="vault", compact=True))
                yield MemoryStorePicker()
                yield Label("GitHub repository (optional)", classes="section")
                yield _field("URL", Input(placeholder="https://github.com/owner/repo", id="repo-url", compact=True))
                yield _field(
                    "Token", Input(placeholder="for private repositories", password=True, id="repo-token", compact=True)
                )
                yield _field(
                    "Checkout",
                    Select(
                        [("branch", "branch"), ("commit", "commit")],
                        value="branch",
                        allow_blank=False,
                        id="repo-checkout",
                        compact=True,
                    ),
                    Input(placeholder="default branch", id="repo-ref", compact=True),
                )
                yield _field("Mount path", Input(placeholder="/workspace/<repo>", id="repo-mount", compact=True))
                yield Label("Metadata: one key=value per line", classes="section")
                yield TextArea(id="metadata", compact=True)
            yield MessageLine(id="session-form-error")
            with Horizontal(id="session-form-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Create", id="create", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#agent-summary").display = False
        self.query_one("#title").focus()
        self._load()

    # ------------------------------------------------------------------ loading

    @work(exclusive=True, group="session-form-load", exit_on_error=False)
    async def _load(self) -> None:
        client = client_of(self)
        environment_list, agent_list = client.environments.list(), client.agents.list()
        try:
            environments = [e async for e in environment_list]
        except AgentAPIError as error:
            self._load_failed(f"Could not list environments: {error}")
            return
        try:
            agents = [a async for a in agent_list]
        except AgentAPIError as error:
            self._load_failed(f"Could not list agents: {error}")
            return
        for note in (skipped_note("environment", environment_list.skipped), skipped_note("agent", agent_list.skipped)):
            if note:
                self.notify(note, severity="warning", markup=False)
        self._agents = {agent.id: agent for agent in agents}
        if environments:
            ids = [e.id for e in environments]
            chosen = self._environment_id if self._environment_id in ids else ids[0]
            await self._loaded_choices("environment", [(Content(e.name), e.id) for e in environments], chosen)
        else:
            await self._loaded_choices(
                "environment", [("New environment “default” (unrestricted networking)", NEW)], NEW
            )
        choices = [*((Content(a.name), a.id) for a in agents), ("Define a new agent…", NEW)]
        await self._loaded_choices("agent", choices, agents[0].id if agents else NEW)
        self._show_agent(agents[0].id if agents else NEW)
        self._loaded = True
        await self._load_vaults()

    async def _load_vaults(self) -> None:
        """The vaults the session may use (its MCP credentials); a failure leaves only "none"."""
        try:
            vaults = [v async for v in client_of(self).vaults.list()]
        except AgentAPIError as error:
            self.notify(f"Could not list vaults: {error}", severity="warning", markup=False)
            return
        self.query_one("#vault", Select).set_options((Content(v.display_name), v.id) for v in vaults)

    def _load_failed(self, problem: str) -> None:
        self._load_problem = problem
        self._show_error(None, problem)

    async def _loaded_choices(self, select_id: str, options: list[tuple[Any, str]], value: str) -> None:
        """Put the loaded choices in place of the "loading…" select (so no blank "loading…" entry stays)."""
        loading = self.query_one(f"#{select_id}", Select)
        focused = loading.has_focus
        loaded = Select(options, value=value, allow_blank=False, id=select_id, compact=True)
        parent = loading.parent
        assert isinstance(parent, Widget)  # the select sits in the form
        position = parent.children.index(loading)
        await loading.remove()
        await parent.mount(loaded, before=position)
        if focused:
            loaded.focus()

    @on(Select.Changed, "#agent")
    def _agent_changed(self, event: Select.Changed) -> None:
        self._show_agent(event.value)

    def _show_agent(self, value: object) -> None:
        """The picked agent's summary, or the new agent's fields."""
        picked = self._agents.get(value) if isinstance(value, str) else None
        fields = self.query("#new-agent")
        if value == NEW and not fields:
            roster = [agent for agent in self._agents.values() if can_be_delegated_to(agent)]
            new_agent = NewAgentFields(roster, id="new-agent")
            self.query_one("#session-form-body").mount(new_agent, after="#agent-summary")
        fields.set(display=value == NEW)
        summary = self.query_one("#agent-summary", Static)
        summary.display = picked is not None
        summary.update(Content(agent_summary(picked)) if picked else "")

    @on(Select.Changed, "#model")
    def _model_changed(self, event: Select.Changed) -> None:
        self.query_one("#model-id").display = event.value == OTHER_MODEL

    # ------------------------------------------------------------------ submitting

    @on(Button.Pressed, "#create")
    @on(Input.Submitted)
    def action_submit(self) -> None:
        if self._busy:
            return
        try:
            plan = self._read()
        except InvalidField as error:
            self._show_error(error.field, error.message)
            return
        self._show_error(None, None)
        self._set_busy(True)
        self._create(plan)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _read(self) -> Plan:
        """The form's values, checked; raises :class:`InvalidField` on the first bad field."""
        if not self._loaded:
            raise InvalidField("environment", self._load_problem or "Still loading environments and agents…")
        environment = self.query_one("#environment", Select).selection
        if environment is None:
            raise InvalidField("environment", "Pick an environment.")
        title = check_title(self.query_one("#title", Input).value)
        agent_id = self.query_one("#agent", Select).selection
        if agent_id is None:
            raise InvalidField("agent", "Pick an agent or define a new one.")
        spec = self.query_one(NewAgentFields).spec() if agent_id == NEW else None
        repo = check_repo(
            self.query_one("#repo-url", Input).value,
            self.query_one("#repo-token", Input).value,
            str(self.query_one("#repo-checkout", Select).value),
            self.query_one("#repo-ref", Input).value,
            self.query_one("#repo-mount", Input).value,
        )
        metadata = parse_metadata(self.query_one("#metadata", TextArea).text)
        return Plan(
            environment_id=None if environment == NEW else environment,
            title=title,
            agent_id=None if agent_id == NEW else agent_id,
            agent=spec,
            repo=repo,
            metadata=metadata,
            vault_ids=tuple(vault for vault in [self.query_one("#vault", Select).selection] if vault),
        )

    @work(exclusive=True, group="session-form-submit", exit_on_error=False)
    async def _create(self, plan: Plan) -> None:
        client = client_of(self)
        body: dict[str, Any] = {}
        if plan.title is not None:
            body["title"] = plan.title
        if plan.metadata:
            body["metadata"] = plan.metadata
        if plan.repo is not None:
            body["resources"] = [plan.repo.body()]
        if plan.vault_ids:
            body["vault_ids"] = list(plan.vault_ids)
        if (memory_store := self.query_one(MemoryStorePicker).resource()) is not None:
            body["resources"] = [*body.get("resources", []), memory_store]
        try:
            environment_id = plan.environment_id
            if environment_id is None:
                if self._created_environment is None:
                    self._created_environment = await client.environments.create(DEFAULT_ENVIRONMENT)
                environment_id = self._created_environment.id
            agent_id = plan.agent_id
            if agent_id is None:
                assert plan.agent is not None
                if plan.agent not in self._created_agents:
                    self._created_agents[plan.agent] = await client.agents.create(plan.agent.body())
                agent_id = self._created_agents[plan.agent].id
            session = await client.sessions.create(agent=agent_id, environment_id=environment_id, **body)
        except AgentAPIError as error:
            self._set_busy(False)
            self._show_error(self._field_of(error, plan), str(error))
            return
        self.dismiss(session)

    def _field_of(self, error: AgentAPIError, plan: Plan) -> str | None:
        """The form field an API error is about, when its words say so."""
        if not isinstance(error, APIStatusError) or error.status_code >= 500:
            return None
        text = f"{error.error_code or ''} {error.message}".lower()
        for word, field in _ERROR_FIELDS:
            if word in text:
                if field != "model":
                    return field
                if plan.agent is not None:
                    return "model-id" if self.query_one("#model", Select).value == OTHER_MODEL else "model"
        return None

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        create = self.query_one("#create", Button)
        create.disabled = busy
        create.label = "Creating…" if busy else "Create"

    def _show_error(self, field: str | None, message: str | None) -> None:
        """Show ``message`` in the message line and mark and focus ``field`` (``None``: clear)."""
        for marked in self.query(".bad-field"):
            marked.remove_class("bad-field")
        self.query_one("#session-form-error", MessageLine).say(message)
        if field is not None:
            widget = self.query_one(f"#{field}")
            widget.add_class("bad-field")
            widget.focus()
