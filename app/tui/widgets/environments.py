"""EnvironmentsPane: every environment in a virtualized list; create, edit, archive, delete, filter.

The first entry, "All environments", stands for no filter. Moving the highlight posts
:class:`~app.tui.messages.EnvironmentSelected`; enter (or a click) posts :class:`EnvironmentsPane.Opened`
so the app can move on to the sessions. Names and descriptions come from the server and are
rendered as plain text.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from app.api.errors import AgentAPIError
from app.api.models import CloudConfig
from app.tui.host import client_of, deck
from app.tui.messages import EnvironmentSelected
from app.tui.screens.confirm import confirm
from app.tui.skipped import skipped_note
from app.tui.widgets.filter_line import FilterLine
from app.tui.widgets.message_line import MessageLine

if TYPE_CHECKING:
    from app.api.models import Environment

ALL = "all-environments"  # option id of the "All environments" entry (environment ids start with "env")


def networking_label(environment: Environment) -> str:
    """ "unrestricted", "limited" or "self-hosted"."""
    config = environment.config
    if not isinstance(config, CloudConfig):
        return "self-hosted"
    return config.networking.type if config.networking else "unrestricted"


def environment_prompt(environment: Environment) -> Content:
    """One list row: name, networking, and an archived marker; every part plain text."""
    parts: list[Any] = [(environment.name, "bold"), "  ", (networking_label(environment), "$text-muted")]
    if environment.archived_at is not None:
        parts += ["  ", ("archived", "$warning italic")]
    return Content.assemble(*parts)


class EnvironmentsPane(Vertical):
    """The environments of the account; the app calls :meth:`reload` once the backend is connected."""

    BORDER_TITLE = "Environments"
    BINDINGS = [
        Binding("n", "new", "New", id="environments.new"),
        Binding("e", "edit", "Edit", id="environments.edit"),
        Binding("a", "archive", "Archive", id="environments.archive"),
        Binding("d", "delete", "Delete", id="environments.delete"),
        Binding("slash", "filter", "Filter", id="environments.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="environments.clear_filter"),
        Binding("A", "toggle_archived", "Show archived", id="environments.show_archived"),
        Binding("R", "refresh", "Refresh", id="environments.refresh"),
        Binding("enter,space", "open", "Open", id="environments.open", show=False),
        Binding("j", "cursor_down", "Down (also ↓)", id="environments.down", show=False),
        Binding("k", "cursor_up", "Up (also ↑)", id="environments.up", show=False),
    ]

    show_archived: reactive[bool] = reactive(False, init=False)
    name_filter: reactive[str] = reactive("", init=False)

    class Opened(Message):
        """Enter or a click on an entry: the user wants to go on to its sessions."""

        def __init__(self, environment_id: str | None) -> None:
            super().__init__()
            self.environment_id = environment_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._environments: dict[str, Environment] = {}
        self._selected: str | None = None  # the environment last announced with EnvironmentSelected

    def compose(self) -> ComposeResult:
        yield FilterLine("filter by name; esc clears", id="environments-filter")
        yield OptionList(id="environments-list")
        yield MessageLine("connecting…", id="environments-status")

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#environments-list", OptionList)

    @property
    def highlighted(self) -> Environment | None:
        """The environment under the cursor (``None`` on "All environments" or an empty list)."""
        option = self.option_list.highlighted_option
        return self._environments.get(option.id) if option is not None and option.id else None

    def show_error(self, message: str) -> None:
        """Say in the pane why there is nothing to show (plain text)."""
        self._status(message)

    # ------------------------------------------------------------------ loading and rendering

    @work(exclusive=True, group="environments-load", exit_on_error=False)
    async def reload(self) -> None:
        """Fetch every environment (archived ones too, hidden unless shown) and redraw the list."""
        listing = client_of(self).environments.list(include_archived=True)
        try:
            found = [env async for env in listing]
        except AgentAPIError as exc:
            self._status(f"Could not list environments: {exc}")
            return
        if note := skipped_note("environment", listing.skipped):
            self.notify(note, severity="warning", markup=False)
        self._environments = {env.id: env for env in found}
        self._render_list()

    def _visible(self) -> list[Environment]:
        needle = self.name_filter
        return [
            env
            for env in self._environments.values()
            if (self.show_archived or env.archived_at is None) and needle in env.name.casefold()
        ]

    def _render_list(self, highlight: str | None = None) -> None:
        """Rebuild the options (cheap: the list is virtualized), keeping the highlight where it can."""
        options = self.option_list
        current = options.highlighted_option
        keep = highlight or (current.id if current is not None else None)
        visible = self._visible()
        rows = (Option(environment_prompt(env), id=env.id) for env in visible)
        options.set_options([Option(Content("All environments"), id=ALL), *rows])
        ids = [ALL, *(env.id for env in visible)]
        options.highlighted = ids.index(keep) if keep in ids else 0
        flags = [f"/{self.name_filter}" if self.name_filter else "", "archived shown" if self.show_archived else ""]
        self.border_subtitle = Content(" · ".join(filter(None, flags)))
        if not self._environments:
            self._status("No environments yet.")
        elif not visible:
            self._status("No environment matches." if self.name_filter else "Every environment is archived.")
        else:
            self._status(None)
        self.refresh_bindings()

    def _status(self, message: str | None) -> None:
        self.query_one("#environments-status", MessageLine).say(message)

    def watch_show_archived(self) -> None:
        self._render_list()

    def watch_name_filter(self) -> None:
        self._render_list()

    # ------------------------------------------------------------------ selection

    @on(OptionList.OptionHighlighted, "#environments-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        environment_id = None if event.option.id == ALL else event.option.id
        self.refresh_bindings()
        if environment_id != self._selected:
            self._selected = environment_id
            self.post_message(EnvironmentSelected(environment_id))

    @on(OptionList.OptionSelected, "#environments-list")
    def _selected_option(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        if self.option_list.highlighted_option is not None:
            self.post_message(self.Opened(self._selected))

    def action_cursor_down(self) -> None:
        self.option_list.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.option_list.action_cursor_up()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing that needs the API works before the backend (edit and archive say what they need)."""
        if action in ("new", "edit", "archive", "refresh") and deck(self).backend is None:
            return None
        if action == "clear_filter":
            return self.query_one(FilterLine).active
        return True

    # ------------------------------------------------------------------ filter and archived

    def action_filter(self) -> None:
        self.query_one(FilterLine).open()
        self.refresh_bindings()

    @on(FilterLine.TextChanged)
    def _filter_changed(self, event: FilterLine.TextChanged) -> None:
        self.name_filter = event.text

    @on(FilterLine.Done)
    def _filter_done(self) -> None:
        self.option_list.focus()

    def action_clear_filter(self) -> None:
        self.query_one(FilterLine).clear()
        self.name_filter = ""
        self.option_list.focus()
        self.refresh_bindings()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived

    def action_refresh(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ create, edit, archive

    def action_new(self) -> None:
        from app.tui.screens.environment_form import EnvironmentForm  # forms load when first used

        client = client_of(self)
        self.app.push_screen(EnvironmentForm(lambda body: client.environments.create(body)), self._saved)

    def _live_highlighted(self, verb: str) -> Environment | None:
        """The environment under the cursor, or None after saying why there is none to ``verb``."""
        environment = self.highlighted
        if environment is None:
            self.notify(f"Pick an environment to {verb}: “All environments” is not one.", markup=False)
        elif environment.archived_at is not None:
            self.notify(f"{environment.name} is archived: it cannot be changed.", markup=False)
            return None
        return environment

    def action_edit(self) -> None:
        environment = self._live_highlighted("edit")
        if environment is None:
            return
        from app.tui.screens.environment_form import EnvironmentForm

        save = partial(client_of(self).environments.update, environment.id)
        self.app.push_screen(EnvironmentForm(save, environment), self._saved)

    def _saved(self, environment: Environment | None) -> None:
        if environment is None:
            return
        created = environment.id not in self._environments
        self._environments[environment.id] = environment
        if created:  # newest first, as the server lists them
            self._environments = {environment.id: environment, **self._environments}
        self._render_list(highlight=environment.id)
        self.notify(f"{'Created' if created else 'Saved'} environment {environment.name}", markup=False)

    def action_archive(self) -> None:
        environment = self._live_highlighted("archive")
        if environment is not None:
            confirm(self, f"Archive environment {environment.name}?", "Archive", partial(self._archive, environment))

    def action_delete(self) -> None:
        """Delete for good (archived ones too); the API refuses while sessions use the environment."""
        environment = self.highlighted
        if environment is None:
            self.notify("Pick an environment to delete: “All environments” is not one.", markup=False)
            return
        question = f"Delete environment {environment.name} for good? (Archive keeps it for its sessions.)"
        confirm(self, question, "Delete", partial(self._delete, environment))

    @work(group="environments-delete", exit_on_error=False)
    async def _delete(self, environment: Environment) -> None:
        try:
            await client_of(self).environments.delete(environment.id)
        except AgentAPIError as exc:
            self.notify(f"Could not delete {environment.name}: {exc}", severity="error", markup=False)
            return
        self._environments.pop(environment.id, None)
        self._render_list()
        self.notify(f"Deleted environment {environment.name}", markup=False)

    @work(group="environments-archive", exit_on_error=False)
    async def _archive(self, environment: Environment) -> None:
        try:
            archived = await client_of(self).environments.archive(environment.id)
        except AgentAPIError as exc:
            self.notify(f"Could not archive {environment.name}: {exc}", severity="error", markup=False)
            return
        self._environments[archived.id] = archived
        self._render_list()
        self.notify(f"Archived environment {archived.name}", markup=False)
