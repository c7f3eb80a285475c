"""AgentDeckApp: the full-screen client. Environments top left, sessions bottom left, chat on the right.

Start-up paints first: the first frame shows the environments pane and two placeholders that say
"connecting…" (styled by ``styles/app.tcss`` alone). Then a worker imports the sessions pane and
the chat view (they pull in the protocol models) and the backend off the UI thread, reads the
other ``styles/*.tcss``, mounts the panes in place of the placeholders, and connects to the Agent
API (or starts the embedded runtime when no API key is configured). ``bench/startup.py`` measures
the first frame against a hello-world Textual app.

The app routes the panes' messages (:mod:`app.tui.messages`) and owns the keys that apply
everywhere, the help screen, the command palette (every action of the app and of every pane,
the focused one's first), the keymap from the config file's ``[keys]``, the remembered theme and the
session open last (reopened at start with ``reopen_last_session``).
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual import events, on, work
from textual.actions import parse as parse_action
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import Header, Static

from app.api.errors import AgentAPIError, NotFoundError
from app.config import Settings
from app.styles import stylesheets
from app.tui.bindings import binding_sections, known_binding_ids, section_title, shown_keys
from app.tui.collector import QuietCollector
from app.tui.host import deck
from app.tui.messages import EnvironmentSelected, SessionOpened, SessionsChanged
from app.tui.state import STATE_FILE_NAME, UIState
from app.tui.textual_private import node_bindings
from app.tui.widgets.environments import EnvironmentsPane
from app.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from app.tui.backend import Backend
    from app.tui.chat.view import ChatView
    from app.tui.widgets.sessions import SessionsPane


def _import_panes() -> tuple[type[SessionsPane], type[ChatView]]:
    """The two heavier panes' classes (importing them loads the protocol models)."""
    from app.tui.chat.view import ChatView
    from app.tui.widgets.sessions import SessionsPane

    return SessionsPane, ChatView


def _object_screens() -> dict[str, type[Screen[Any]]]:
    """The full-screen object lists by name (imported when first opened)."""
    from app.tui.screens.agents import AgentsScreen
    from app.tui.screens.files import FilesScreen
    from app.tui.screens.memory_stores import MemoryStoresScreen
    from app.tui.screens.skills import SkillsScreen
    from app.tui.screens.vaults import VaultsScreen

    return {
        "files": FilesScreen,
        "agents": AgentsScreen,
        "vaults": VaultsScreen,
        "memory_stores": MemoryStoresScreen,
        "skills": SkillsScreen,
    }


def _palette_bindings(screen: Screen[Any]) -> Iterator[tuple[DOMNode, Binding]]:
    """The bindings with an id of the focused widget and its ancestors, then the shown ones of the
    rest of ``screen`` (each with the node whose action it runs)."""
    focus_chain = list(screen.focused.ancestors_with_self) if screen.focused else [screen, screen.app]
    for node in [*focus_chain, *screen.walk_children()]:
        in_focus = node in focus_chain
        for _, binding in node_bindings(node):  # before the keymap (see shown_keys)
            if binding.id is not None and (in_focus or binding.show):
                yield node, binding


def _enabled(namespace: DOMNode, action: str) -> bool:
    """The namespace's ``check_action`` allows the action now (``None``, "shown disabled", does not)."""
    _, name, parameters = parse_action(action)
    return bool(namespace.check_action(name, parameters))


class MainScreen(Screen[None]):
    """The three panes; Tab / shift+tab move between panes (back to where focus last was in each)."""

    BINDING_GROUP_TITLE = "Main screen"
    #: Below 110 columns (an 80x24 terminal, say) the left column narrows to leave the chat room.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        Binding("tab", "focus_pane(1)", "Next pane", id="app.next_pane", show=False),
        Binding("shift+tab", "focus_pane(-1)", "Previous pane", id="app.previous_pane", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._last_focus: dict[Widget, Widget] = {}
        #: Keys pressed before the panes and the backend are up, replayed then (None afterwards).
        self._early_keys: list[events.Key] | None = []
        #: The panes :meth:`mount_panes` puts in place of the placeholders.
        self._sessions: SessionsPane | None = None
        self._chat: ChatView | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield EnvironmentsPane(id="environments", classes="pane")
                yield self._placeholder("sessions", "Sessions")
            yield self._placeholder("chat", "Chat")
        yield Footer()

    def on_mount(self) -> None:
        self.environments.option_list.focus()

    def on_resize(self, event: events.Resize) -> None:
        """Set the breakpoint class before Textual lays the screen out for the new size.

        Textual 8.2.8's ``Screen._on_resize`` (which runs after this handler) lays everything out
        first and sets the classes after, so a resize across a breakpoint showed the old layout at
        the new size, then laid out and restyled everything again (seconds with a long chat open).
        """
        width = event.size.width
        wanted = max((edge, name) for edge, name in self.HORIZONTAL_BREAKPOINTS if width >= edge)[1]
        self.update_classes({name: name == wanted for _, name in self.HORIZONTAL_BREAKPOINTS}, animate=False)

    @staticmethod
    def _placeholder(pane_id: str, title: str) -> Static:
        placeholder = Static(Content("connecting…"), id=pane_id, classes="pane placeholder")
        placeholder.border_title = title
        return placeholder

    async def mount_panes(self) -> None:
        """Put the sessions pane and the chat view where their placeholders are (with their styles)."""
        sessions_pane, chat_view = await asyncio.to_thread(_import_panes)
        if not self.is_attached:  # the app closed meanwhile
            return
        stylesheet = self.app.stylesheet
        for path in stylesheets()[1:]:
            if not stylesheet.has_source(str(path)):
                stylesheet.read(path)  # parsed with the next styling, before the panes mount
        sessions = sessions_pane(id="sessions", classes="pane", clock=deck(self).clock)
        chat = chat_view(id="chat", classes="pane")
        for pane in (sessions, chat):
            if not self.is_attached:
                return
            placeholder = self.query_one(f"#{pane.id}")
            parent = placeholder.parent
            assert isinstance(parent, Widget)  # a pane's placeholder sits in a container
            await placeholder.remove()
            await parent.mount(pane)
        self._sessions, self._chat = sessions, chat
        # The main screen titles the chat pane (ChatView mounted alone, as in its snapshots, has none).
        self.chat.border_title = "Chat"
        if self.focused in (None, self.environments.option_list):  # still where start-up put it
            self.focus_pane(self.sessions)  # where a newcomer's first n starts a session

    @property
    def environments(self) -> EnvironmentsPane:
        return self.query_one(EnvironmentsPane)

    @property
    def sessions(self) -> SessionsPane:
        """The sessions pane; only once :meth:`mount_panes` has mounted it."""
        assert self._sessions is not None, "the sessions pane is not mounted yet"
        return self._sessions

    @property
    def chat(self) -> ChatView:
        """The chat view; only once :meth:`mount_panes` has mounted it."""
        assert self._chat is not None, "the chat view is not mounted yet"
        return self._chat

    @property
    def panes(self) -> list[Widget]:
        """Environments, sessions, chat (placeholders until :meth:`mount_panes`)."""
        return list(self.query(".pane"))

    def connected(self) -> None:
        """The backend is up (``app.backend`` is set): load the environments and the sessions."""
        self.environments.reload()
        self.sessions.refresh_sessions()
        self._replay_keys()

    def not_connected(self, message: str) -> None:
        self.environments.show_error(message)
        self._replay_keys()

    # ------------------------------------------------------------------ keys typed during start-up

    def on_key(self, event: events.Key) -> None:
        """Until the backend has answered, keep the keys meant for the panes (a newcomer's first
        ``n`` starts a session once the sessions pane can); the screen's and the app's own keys
        (tab, help, quit) work at once."""
        if self._early_keys is None:
            return
        bound = self.active_bindings.get(event.key)
        if bound is not None and bound.node in (self, self.app):
            return
        event.stop()
        event.prevent_default()
        self._early_keys.append(event)

    def _replay_keys(self) -> None:
        """Press the kept keys again, in order, where the focus is now."""
        keys, self._early_keys = self._early_keys or [], None
        for key in keys:
            self.app.post_message(events.Key(key.key, key.character))

    # ------------------------------------------------------------------ focus between panes

    def _pane_of(self, widget: Widget | None, panes: list[Widget] | None = None) -> Widget | None:
        if widget is None:
            return None
        return next((pane for pane in panes or self.panes if widget is pane or pane in widget.ancestors), None)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if (pane := self._pane_of(event.widget)) is not None:
            self._last_focus[pane] = event.widget

    def focus_pane(self, pane: Widget) -> None:
        """Focus ``pane`` where it was last focused, else its first focusable widget."""
        last = self._last_focus.get(pane)
        chain = self.focus_chain
        if last is not None and last in chain:
            last.focus()
        elif target := next((widget for widget in chain if self._pane_of(widget, [pane])), None):
            target.focus()

    def action_focus_pane(self, step: int) -> None:
        """Move to the next (``step`` 1) or previous (-1) pane that has something to focus."""
        panes = self.panes
        focusable = {self._pane_of(widget, panes) for widget in self.focus_chain}
        current = self._pane_of(self.focused, panes)
        index = panes.index(current) if current is not None else (-1 if step > 0 else 0)
        for offset in range(1, len(panes) + 1):
            pane = panes[(index + step * offset) % len(panes)]
            if pane in focusable:
                self.focus_pane(pane)
                return

    # ------------------------------------------------------------------ routing between panes

    @on(EnvironmentSelected)
    def _environment_selected(self, message: EnvironmentSelected) -> None:
        self.sessions.show_environment(message.environment_id)

    def on_environments_pane_opened(self) -> None:
        self.focus_pane(self.sessions)

    @on(SessionOpened)
    def _session_opened(self, message: SessionOpened) -> None:
        self.chat.open_session(message.session_id)
        self.chat.focus_composer()
        deck(self).remember_session(message.session_id)

    @on(SessionsChanged)
    def _sessions_changed(self, message: SessionsChanged) -> None:
        """A session was created (maybe with a new environment), renamed or archived."""
        if message.session_id is None or message.session_id == self.chat.session_id:
            self.chat.refresh_info()  # the header shows the open session's title
        self.environments.reload()

    def on_chat_view_left(self) -> None:
        self.focus_pane(self.sessions)


class AgentDeckApp(App[None]):
    """agentdeck's full-screen app for ``settings`` (see :mod:`app.config`)."""

    TITLE = "agentdeck"
    BINDING_GROUP_TITLE = "Everywhere"
    #: The first frame needs only the shell's styles; the other panes' files load with the panes.
    CSS_PATH = stylesheets()[0]
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit (from anywhere)", id="app.quit_now", show=False, priority=True),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.command_palette", show=False, priority=True),
        # The screens of the account's objects, from anywhere: priority, since the composer (a
        # TextArea) takes f6 and f7 for itself.
        Binding("f3", "open_screen('files')", "Files", id="app.files", show=False, priority=True),
        Binding("f4", "open_screen('agents')", "Agents", id="app.agents", show=False, priority=True),
        Binding("f5", "open_screen('vaults')", "Vaults", id="app.vaults", show=False, priority=True),
        Binding(
            "f6", "open_screen('memory_stores')", "Memory stores", id="app.memory_stores", show=False, priority=True
        ),
        Binding("f7", "open_screen('skills')", "Skills", id="app.skills", show=False, priority=True),
    ]

    def __init__(
        self, settings: Settings, *, clock: Callable[[], datetime] | None = None, quiet_gc: bool = False
    ) -> None:
        """``quiet_gc`` hands the process's full garbage collections to a :class:`QuietCollector`
        once the app is up (the command line does; tests, which share their process, do not)."""
        super().__init__()
        self.settings = settings
        self.collector = QuietCollector(self) if quiet_gc else None
        self.clock = clock  # what "now" is for the sessions' ages (the wall clock unless a test freezes it)
        self.backend: Backend | None = None
        self._connecting: asyncio.Future[Backend] | None = None
        self._state_path = settings.data_dir / STATE_FILE_NAME
        self._state, state_problem = UIState.load(self._state_path)
        self._state_problem = state_problem

    def get_default_screen(self) -> MainScreen:
        return MainScreen()

    @property
    def main_screen(self) -> MainScreen:
        return cast(MainScreen, self.screen_stack[0])  # the default screen, always at the bottom

    def on_mount(self) -> None:
        self.sub_title = "connecting…"
        self.set_keymap(dict(self.settings.keys))
        self._apply_theme()
        self._initial_theme = self.theme  # not remembered unless the user changes it
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self._state_problem:
            self.notify(self._state_problem, severity="warning", markup=False)

    def on_ready(self) -> None:
        """First frame is on screen: now mount the other panes and connect (and check the keymap)."""
        self._connect()
        if self.settings.keys:
            self._check_keymap()

    async def on_unmount(self) -> None:
        """Close the backend (also one whose start-up is still under way)."""
        if self.collector is not None:
            self.collector.stop()
        if self._connecting is None:
            return
        try:
            backend = await self._connecting
        except Exception:  # start-up failed: there is nothing to close
            return
        await backend.aclose()

    # ------------------------------------------------------------------ backend

    @work(exclusive=True, group="backend")
    async def _connect(self) -> None:
        """Connect while the heavier panes mount; hand the backend to the panes once both are done.

        A backend that cannot be reached or started is reported here; anything else is a bug and
        stops the app with its traceback.
        """
        self._connecting = asyncio.ensure_future(self._open_backend())
        await self.main_screen.mount_panes()
        if not self.main_screen.is_attached:  # closed while starting (on_unmount closes the backend)
            return
        try:
            backend = await asyncio.shield(self._connecting)
        except Exception as exc:  # the embedded runtime cannot start (port, data dir...): say why, keep running
            self.sub_title = "not connected"
            message = f"Could not connect: {exc}"
            self.main_screen.not_connected(message)
            self.notify(message, severity="error", timeout=30, markup=False)
            return
        self.backend = backend
        self.sub_title = backend.label
        self.main_screen.connected()
        if self.settings.reopen_last_session and self._state.last_session:
            self._reopen(self._state.last_session)
        if self.collector is not None:
            self.collector.start()

    @work(exit_on_error=False, name="reopen last session")
    async def _reopen(self, session_id: str) -> None:
        """Open the session open last time (``reopen_last_session``), unless it is gone or one is open already."""
        assert self.backend is not None  # started once connected
        try:
            await self.backend.client.sessions.retrieve(session_id)
        except AgentAPIError as exc:
            self.notify(f"The last session was not reopened: {exc}", timeout=5, markup=False)
            if isinstance(exc, NotFoundError):
                self.remember_session(None)
            return
        if self.main_screen.chat.session_id is None:
            self.main_screen.post_message(SessionOpened(session_id))

    async def _open_backend(self) -> Backend:
        backend_module = await asyncio.to_thread(importlib.import_module, "app.tui.backend")  # off the UI thread
        backend: Backend = await backend_module.Backend.connect(self.settings)
        return backend

    # ------------------------------------------------------------------ keys, help, palette

    async def on_event(self, event: events.Event) -> None:
        if self.collector is not None and isinstance(event, (events.Key, events.MouseDown)):
            self.collector.user_active()
        await super().on_event(event)

    @work(thread=True, exit_on_error=False)
    def _check_keymap(self) -> None:
        """Tell about ``[keys]`` entries that name no binding (the others are already in the keymap)."""
        unknown = sorted(set(self.settings.keys) - known_binding_ids())
        if unknown:
            message = (
                f"Unknown binding id(s) in [keys] of {self.settings.config_path}: {', '.join(unknown)}. "
                "Press ? (or F1) for the list of ids."
            )
            self.call_from_thread(self.notify, message, severity="warning", timeout=20, markup=False)

    def action_help(self) -> None:
        from app.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(binding_sections(self, self.main_screen.walk_children(with_self=True))))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Change theme, help, quit, then every action of the screen: those where the focus is
        first (hidden ones too), then the footer actions of the other panes."""
        yield SystemCommand("Change theme", "Pick a colour theme (remembered for next time)", self.action_change_theme)
        yield SystemCommand("Help: keys", "Every key binding, with its id for the config file", self.action_help)
        yield SystemCommand("Quit", "Quit agentdeck", self.action_quit)
        yield SystemCommand(
            "Export session",
            "The open (else highlighted) session as markdown and jsonl, under the data dir",
            self.action_export_session,
        )
        yield SystemCommand(
            "Session info", "The open session's details, else the highlighted one's", self._session_info
        )
        yield SystemCommand(
            "Agents", "f4 · edit agents, their versions and diffs", partial(self.action_open_screen, "agents")
        )
        yield SystemCommand(
            "Skills", "f7 · upload skills from a folder, versions", partial(self.action_open_screen, "skills")
        )
        yield SystemCommand("Session resources", "Files and repositories mounted in the open session", self._resources)
        seen: set[str | None] = {
            "app.help",
            "app.quit",
            "app.quit_now",
            "app.command_palette",
            "app.agents",
            "app.skills",
            "chat.resources",
        }
        for namespace, binding in _palette_bindings(screen):
            if binding.id in seen or not _enabled(namespace, binding.action):
                continue
            seen.add(binding.id)
            title = binding.description or binding.action
            if namespace is not self:
                title = f"{section_title(type(namespace))}: {title}"
            keys = " / ".join(shown_keys(self, binding))
            yield SystemCommand(title, f"{keys} · {binding.id}", partial(self.run_action, binding.action, namespace))

    def _connected_or_say(self, not_yet: str = "Not connected yet: try again in a moment.") -> bool:
        """Whether the backend is connected (and the panes mounted); says ``not_yet`` when not."""
        if self.backend is None:
            self.notify(not_yet, severity="warning", markup=False)
            return False
        return True

    def action_open_screen(self, name: str) -> None:
        """Open one of the object screens (``files``, ``agents``, ``vaults``, ``memory_stores``,
        ``skills``), once connected. From another object screen it takes that one's place, so
        ``esc`` always leads back to the main screen."""
        if not self._connected_or_say():
            return
        screens = _object_screens()
        wanted = screens[name]
        if isinstance(self.screen, wanted):
            return
        if isinstance(self.screen, tuple(screens.values())):
            self.switch_screen(wanted())
        else:
            self.push_screen(wanted())

    def _session_info(self) -> None:
        """The details of the session open in the chat, else of the one highlighted in the sessions list."""
        if not self._connected_or_say():
            return
        screen = self.main_screen
        if screen.chat.session_id is not None:
            screen.chat.action_session_info()
        elif screen.sessions.selected_session_id is not None:
            screen.sessions.action_info()
        else:
            self.notify("No session is open or highlighted.", markup=False)

    def _resources(self) -> None:
        if not self._connected_or_say():
            return
        if self.main_screen.chat.session_id is None:
            self.notify("Open a session first: its resources are listed for the open session.", markup=False)
        else:
            self.main_screen.chat.action_resources()

    # ------------------------------------------------------------------ export

    def action_export_session(self, session_id: str | None = None) -> None:
        """Export ``session_id`` (else the chat's session, else the highlighted one) as markdown and
        raw jsonl under ``<data dir>/exports``, in a worker; a toast gives the paths."""
        if not self._connected_or_say("Not connected yet: nothing to export."):
            return
        screen = self.main_screen
        session_id = session_id or screen.chat.session_id or screen.sessions.selected_session_id
        if session_id is None:
            self.notify("Open or highlight a session to export it.", severity="warning")
            return
        self._export(session_id)

    @work(group="export")
    async def _export(self, session_id: str) -> None:
        from app.api.errors import AgentAPIError
        from app.exports import save_exports

        assert self.backend is not None  # started only when connected
        try:
            paths = await save_exports(self.backend.client, self.settings.data_dir, session_id, ("markdown", "jsonl"))
        except (AgentAPIError, OSError) as exc:
            self.notify(f"Could not export {session_id}: {exc}", severity="error", timeout=15, markup=False)
            return
        self.notify("\n".join(str(path) for path in paths), title=f"Exported {session_id}", timeout=15, markup=False)

    # ------------------------------------------------------------------ theme

    def _apply_theme(self) -> None:
        """The remembered theme, else the config file's ``theme``, else Textual's default."""
        name = self._state.theme or self.settings.theme
        if name is None:
            return
        if name in self.available_themes:
            self.theme = name
        else:
            self.notify(f"Unknown theme {name!r}; using {self.theme}.", severity="warning", markup=False)

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name != (self._state.theme or self._initial_theme):
            self._state.theme = theme.name
            self._save_state("the theme")

    def remember_session(self, session_id: str | None) -> None:
        """Remember the session open in the chat, for ``reopen_last_session`` (None: forget it)."""
        if session_id != self._state.last_session:
            self._state.last_session = session_id
            self._save_state("the open session")

    def _save_state(self, what: str) -> None:
        try:
            self._state.save(self._state_path)
        except OSError as exc:
            self.notify(f"Could not remember {what}: {exc}", severity="warning", markup=False)
