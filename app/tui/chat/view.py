"""ChatView: one session's live chat: header, transcript, permission prompt and composer.

:meth:`ChatView.open_session` retrieves the session for the header and follows its
:class:`~app.api.feed.SessionFeed` in an exclusive worker that only buffers batches and wakes the
:class:`~app.tui.chat.pacer.Pacer`. The pacer's run folds everything buffered into the
:class:`~app.api.transcript.Transcript` in one call, hands the changes to the transcript view
(which draws them within a time budget) and refreshes the header and the prompt: one screen
update per run, at once when events come after a quiet spell and at most 20 a second under a
stream; a key typed in the composer holds the next run back by a frame, so it shows first. The
whole history is loaded into the view at once, when the feed first reports that it caught up.

A terminated, deleted or archived session takes no more input: the composer is disabled and the
line above it says why.

Sending never blocks the UI: messages, tool confirmations, custom tool results and interrupts are
posted from workers; a failed send says why (notification plus a line above the composer) and
leaves the composer's text in place. What the server took goes into the session's history on disk
(:mod:`app.tui.chat.history`, recalled with up / down); what is left typed in the composer waits
for the session while another one is open.

Keys (binding ids): ``escape`` interrupts a running agent (``chat.interrupt``), otherwise leaves
the chat (``chat.leave``: blurs and posts :class:`ChatView.Left`); ``ctrl+o`` allows and
``ctrl+n`` denies the tool call awaiting approval (``chat.allow``, ``chat.deny``); ``ctrl+t``
marks a custom tool answer as an error (``chat.tool_error``); ``ctrl+up`` moves from the composer
into the transcript and ``ctrl+down`` back (``chat.focus_transcript``, ``chat.focus_composer``);
``pageup`` / ``pagedown`` scroll the transcript from anywhere in the chat (``chat.page_up``,
``chat.page_down``); ``ctrl+g`` (or ``/outcome`` alone in the composer) opens the outcome form,
which sends ``user.define_outcome`` (``chat.outcome``). ``ctrl+f`` anywhere in the chat, or ``/``
in the transcript, opens the search bar (``chat.search``); while it is open ``n`` / ``N`` in the
transcript step through the matches and ``escape`` closes it (``chat.search_next``,
``chat.search_previous``, ``chat.search_close``; see :mod:`app.tui.chat.search_bar`). The
composer, the transcript and the prompt add their own (see their modules).

Threads: once the session has child threads (multi-agent), a strip above the transcript lists them
(:class:`~app.tui.chat.threads.ThreadStrip`): the primary first, then each child with its status,
tokens and cost, kept live from the session's events and refreshed from the threads list when one
appears. ``]`` / ``alt+right`` and ``[`` / ``alt+left`` (``chat.next_thread``,
``chat.previous_thread``; the bracket keys from outside the composer) or a click on a chip show a
child's own transcript (its thread's feed) in the transcript view; ``escape`` stops that thread
while it runs (``chat.interrupt_thread``), else goes back to the session's (``chat.thread_back``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from app.api.errors import AgentAPIError
from app.api.feed import Change, Connection, SessionFeed
from app.api.models import (
    AgentDefinition,
    InputParams,
    SessionThread,
    TextBlock,
    UserCustomToolResultParams,
    UserDefineOutcomeParams,
    UserInterruptParams,
    UserMessageParams,
    UserToolConfirmationParams,
)
from app.api.transcript import Transcript
from app.api.transcript_blocks import CustomToolCallBlock, Money
from app.tui.chat.composer import Composer
from app.tui.chat.header import ChatHeader, SessionInfo
from app.tui.chat.history import SentHistory
from app.tui.chat.markdown_lines import warm_up
from app.tui.chat.pacer import Pacer
from app.tui.chat.permission import PermissionPrompt
from app.tui.chat.search_bar import SearchBar
from app.tui.chat.threads import ThreadChip, ThreadStrip
from app.tui.chat.transcript_view import TranscriptView
from app.tui.host import client_of, deck
from app.tui.screens.outcome_form import OutcomeForm
from app.tui.screens.session_info import SessionInfoScreen
from app.tui.widgets.message_line import MessageLine

_RUNNING = ("running", "rescheduling")
#: Seconds of no typing before the footer's keys are refreshed.
KEYS_QUIET = 0.4
_ENDED = ("terminated", "deleted")
_PLACEHOLDER = "Message the agent · enter sends · ctrl+j newline"
#: Typed alone in the composer, opens the outcome form instead of being sent.
OUTCOME_COMMAND = "/outcome"


@dataclass
class _Following:
    """One opened session: what its feed worker has buffered for the next flush."""

    session_id: str
    batch: list[Change] = field(default_factory=list)
    #: The history has been loaded into the view (the feed caught up, or gave up, once).
    loaded: bool = False


@dataclass
class _ThreadFeed:
    """A child thread shown in the transcript view: its own transcript and what its feed buffered."""

    thread_id: str
    transcript: Transcript = field(default_factory=Transcript)
    batch: list[Change] = field(default_factory=list)
    loaded: bool = False


@dataclass
class _Threads:
    """The threads of the open session, as the strip shows them."""

    #: The threads list, as last retrieved (thread id -> thread).
    listed: dict[str, SessionThread] = field(default_factory=dict)
    #: The transcript's child threads, and the session's status while it has some, when the list
    #: was last asked for (see Transcript.threads).
    seen: tuple[dict[str, tuple[str, str]], str | None] = ({}, None)
    #: The child thread shown in the transcript view, None for the session's own transcript.
    view: _ThreadFeed | None = None

    @property
    def shown(self) -> str | None:
        return self.view.thread_id if self.view is not None else None


class ChatView(Widget):
    """The chat pane. Public API: :meth:`open_session`, :meth:`refresh_info`,
    :meth:`focus_composer`, :attr:`session_id`, :attr:`transcript`; posts :class:`ChatView.Left`."""

    BINDINGS = [
        Binding("escape", "close_search", "Close search", id="chat.search_close"),
        Binding("escape", "interrupt_thread", "Interrupt thread", id="chat.interrupt_thread"),
        Binding("escape", "primary_thread", "Back to main", id="chat.thread_back"),
        Binding("escape", "interrupt", "Interrupt", id="chat.interrupt"),
        Binding("escape", "leave", "Leave chat", id="chat.leave"),
        Binding("ctrl+o", "allow", "Allow tool", id="chat.allow"),
        Binding("ctrl+n", "deny", "Deny tool", id="chat.deny"),
        Binding("ctrl+t", "tool_error", "Answer is an error", id="chat.tool_error"),
        Binding("ctrl+g", "outcome", "Outcome", id="chat.outcome"),
        Binding("ctrl+up,alt+up", "focus_transcript", "Transcript", id="chat.focus_transcript"),
        Binding("ctrl+down,alt+down", "focus_composer", "Composer", id="chat.focus_composer"),
        # Priority, so that they scroll the transcript from the composer too (as in any chat app).
        Binding("pageup", "page(-1)", "Page up", id="chat.page_up", show=False, priority=True),
        Binding("pagedown", "page(1)", "Page down", id="chat.page_down", show=False, priority=True),
        Binding("alt+right,right_square_bracket", "cycle_thread(1)", "Next thread", id="chat.next_thread"),
        Binding("alt+left,left_square_bracket", "cycle_thread(-1)", "Prev thread", id="chat.previous_thread"),
        Binding("alt+y", "copy_session_id", "Copy session id", id="chat.copy_session_id", show=False),
        Binding("f2,I", "session_info", "Session info", id="chat.session_info", show=False),
        Binding("R", "resources", "Session resources", id="chat.resources", show=False),
        Binding("ctrl+f,slash", "search", "Search", id="chat.search"),
        Binding("n", "search_step(1)", "Older match", id="chat.search_next"),
        Binding("N", "search_step(-1)", "Newer match", id="chat.search_previous"),
    ]

    class Left(Message):
        """Escape was pressed while the agent was not running: focus should go elsewhere
        (the chat has already blurred itself)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.transcript = Transcript()
        self._following: _Following | None = None
        self._sending = False
        self._pacer = Pacer(self, self._flush)
        #: When a key was last typed in the composer, and the footer refresh waiting for a pause.
        self._typed_at = float("-inf")
        self._keys_timer: Timer | None = None
        self._threads = _Threads()
        #: What was left typed in the composer of each session opened before (for this run).
        self._drafts: dict[str, str] = {}
        self._sent_history: SentHistory | None = None

    @property
    def session_id(self) -> str | None:
        """The open session, if any."""
        return self._following.session_id if self._following is not None else None

    @property
    def keys_waiting(self) -> bool:
        """The footer's keys wait for a pause in typing before they are refreshed."""
        return self._keys_timer is not None

    def compose(self) -> ComposeResult:
        yield ChatHeader(id="chat-header")
        yield ThreadStrip(id="chat-threads")
        yield (transcript := TranscriptView(id="chat-transcript"))
        yield SearchBar(transcript, id="chat-search")
        yield MessageLine(id="chat-notice")
        yield PermissionPrompt(id="chat-prompt")
        yield Composer(placeholder=_PLACEHOLDER, id="chat-composer")

    def on_mount(self) -> None:
        self.query_one(PermissionPrompt).show(None)
        self.query_one(ThreadStrip).display = False

    # Opening a session

    def open_session(self, session_id: str) -> None:
        """Show ``session_id``: its whole history, then live. A previous session's feed is closed."""
        if self._following is None:  # the first session opened: its first code block will need these
            self.run_worker(warm_up, thread=True, exit_on_error=False, name="markdown warm-up")
        self.workers.cancel_group(self, "chat-feed")
        self.workers.cancel_group(self, "chat-info")
        self._pacer.cancel()
        self._switch_composer(session_id)
        self._following = following = _Following(session_id)
        self.transcript = Transcript()
        self._reset_threads()
        self.query_one(TranscriptView).load(self.transcript)
        self.query_one(SearchBar).recount()
        header = self.query_one(ChatHeader)
        header.info, header.summary, header.connection = SessionInfo(session_id), None, None
        self._say(None)
        self._refresh_status()
        self._load_info(session_id)
        self._follow(following)

    def refresh_info(self) -> None:
        """Retrieve the open session again (its title may have changed)."""
        if self.session_id is not None:
            self._load_info(self.session_id)

    def focus_composer(self) -> None:
        self.query_one(Composer).focus()

    @work(exclusive=True, group="chat-info", exit_on_error=False)
    async def _load_info(self, session_id: str) -> None:
        client = client_of(self)
        try:
            session = await client.sessions.retrieve(session_id)
        except AgentAPIError as exc:  # the feed reports fatal errors itself: a note is enough here
            if self.session_id == session_id:
                self._say(f"Could not load the session's details: {exc}", error=True)
            return
        try:
            environment = (await client.environments.retrieve(session.environment_id)).name
        except AgentAPIError:
            environment = session.environment_id
        if self.session_id == session_id:
            self.query_one(ChatHeader).info = SessionInfo(
                session_id,
                session.title,
                session.status,
                session.model_id,
                environment,
                archived=session.archived_at is not None,
            )
            self._refresh_status()

    @work(exclusive=True, group="chat-feed", exit_on_error=False)
    async def _follow(self, following: _Following) -> None:
        """Buffer the feed's batches for :meth:`_flush` and wake the pacer; no UI work here."""
        async with SessionFeed(client_of(self), following.session_id) as feed:
            async for batch in feed:
                following.batch.extend(batch)
                # A change of connection (the history is in, the stream dropped) shows at once.
                self._pacer.wake(urgent=any(isinstance(change, Connection) for change in batch))

    def _flush(self) -> bool:
        """Apply everything buffered since the last run as one batch; True when the view has
        updates left for the next frame."""
        following = self._following
        views = self.query(TranscriptView)
        if following is None or not views:  # none while the app closes and removes them
            return False
        view = views.first()
        batch, following.batch = following.batch, []
        connection = self._note_feed(batch)
        changes = self.transcript.apply_feed(batch)
        more = False
        if self._threads.shown is not None:
            following.loaded = following.loaded or (connection is not None and connection.state != "connecting")
            more = self._flush_thread(view)
        elif following.loaded:
            if changes or not view.up_to_date:
                more = view.apply(self.transcript, changes)
        elif connection is not None and connection.state != "connecting":
            following.loaded = True
            view.load(self.transcript)
        if changes.summary or connection is not None:
            self._refresh_status()
        self._refresh_threads()
        self.query_one(SearchBar).recount()
        return more

    def _note_feed(self, batch: list[Change]) -> Connection | None:
        """Show connection changes; the latest one, if any."""
        latest = None
        for change in batch:
            if isinstance(change, Connection):
                latest = change
                if change.state == "closed" and change.error:
                    self._problem(change.error)
        if latest is not None:
            self.query_one(ChatHeader).connection = latest
        return latest

    def _refresh_status(self) -> None:
        """Header, prompt, composer hint and footer keys after the transcript or connection changed."""
        summary = self.transcript.summary
        header = self.query_one(ChatHeader)
        header.summary = summary
        prompt = self.query_one(PermissionPrompt)
        prompt.show(summary.pending[0] if summary.pending else None, more=len(summary.pending) - 1)
        custom = prompt.custom
        composer = self.query_one(Composer)
        composer.placeholder = (
            f"Result for {custom.name} · enter sends it as the tool result" if custom is not None else _PLACEHOLDER
        )
        closed = self._closed_reason(header.info, header.state)
        if closed is not None:
            self._say(closed, error=True)
        elif composer.disabled:
            self._say(None)
        composer.disabled = closed is not None
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Refresh the footer's keys. Rebuilding them (when they changed) costs a frame, so while the
        user types this waits for a pause (the keys themselves act on the state of the moment)."""
        typing = time.monotonic() - self._typed_at
        if typing < KEYS_QUIET:
            if self._keys_timer is None:
                self._keys_timer = self.set_timer(KEYS_QUIET - typing, self._keys_due, name="footer keys")
            return
        self.refresh_bindings()

    def _keys_due(self) -> None:
        self._keys_timer = None
        self._refresh_keys()

    @staticmethod
    def _closed_reason(info: SessionInfo | None, state: str | None) -> str | None:
        """Why the session takes no more input, or None while it does."""
        if state in _ENDED:
            return (
                f"This session has {'ended' if state == 'terminated' else 'been deleted'}: it takes no more messages."
            )
        if info is not None and info.archived:
            return "This session is archived: it takes no more messages. Press n in the sessions list for a new one."
        return None

    # Keys

    @property
    def running(self) -> bool:
        """The agent is working on a turn (an interrupt would stop it)."""
        return self.query_one(ChatHeader).state in _RUNNING

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        prompt = self.query_one(PermissionPrompt)
        if action == "interrupt":
            return self.session_id is not None and self.running
        if action == "leave":
            return not (self.session_id is not None and self.running)
        if action in ("allow", "deny"):
            return prompt.approval is not None and not prompt.waiting
        if action == "tool_error":
            return prompt.custom is not None
        if action == "outcome":
            return self._takes_outcome()
        if action == "interrupt_thread":
            return self._shown_thread_running()
        if action == "primary_thread":
            return self._threads.shown is not None and not self._shown_thread_running()
        if action == "cycle_thread":
            return self.query_one(ThreadStrip).display
        if action in ("search_step", "close_search"):
            return self.query_one(SearchBar).active and isinstance(self.app.focused, TranscriptView)
        if action == "focus_transcript":
            focused = self.app.focused
            return self.session_id is not None and (
                isinstance(focused, Composer) or self.query_one(SearchBar).has_focus_within
            )
        if action == "focus_composer":
            return isinstance(self.app.focused, TranscriptView)
        if action == "session_info":
            return self.session_id is not None
        return True

    def action_session_info(self) -> None:
        """The open session's details, tool statistics from this transcript (``I`` outside the composer)."""
        if self.session_id is not None:
            self.app.push_screen(SessionInfoScreen(self.session_id, self.transcript))

    def action_resources(self) -> None:
        """The open session's resources: add a file, detach, new repository token (``R`` outside the composer)."""
        if self.session_id is not None:
            from app.tui.screens.resources import ResourcesScreen

            self.app.push_screen(ResourcesScreen(self.session_id))

    def action_interrupt(self) -> None:
        if self.session_id is not None:
            self._say("Interrupting…")
            self._interrupt(self.session_id)

    def action_focus_transcript(self) -> None:
        """Move into the transcript (j / k pick a tool call, enter expands it)."""
        self.query_one(TranscriptView).focus()

    def action_focus_composer(self) -> None:
        self.focus_composer()

    def action_search(self) -> None:
        """Open the search bar (see :mod:`app.tui.chat.search_bar`)."""
        self.query_one(SearchBar).open()

    def action_search_step(self, step: int) -> None:
        self.query_one(SearchBar).action_step(step)

    def action_close_search(self) -> None:
        self.query_one(SearchBar).action_close()

    @on(TranscriptView.Filtered)
    def _filtered(self, message: TranscriptView.Filtered) -> None:
        message.stop()
        self.query_one(SearchBar).refilter()

    def action_page(self, step: int) -> None:
        """Scroll the transcript a page up (-1) or down (1), wherever the focus is in the chat."""
        view = self.query_one(TranscriptView)
        if step < 0:
            view.scroll_page_up()
        else:
            view.scroll_page_down()

    def action_leave(self) -> None:
        self.screen.set_focus(None)
        self.post_message(self.Left())

    def action_allow(self) -> None:
        self.query_one(PermissionPrompt).action_allow()

    def action_deny(self) -> None:
        self.query_one(PermissionPrompt).action_deny()

    def action_tool_error(self) -> None:
        self.query_one(PermissionPrompt).toggle_error()

    def action_copy_session_id(self) -> None:
        """Copy the open session's id to the clipboard."""
        if self.session_id is None:
            self.app.bell()
            return
        self.app.copy_to_clipboard(self.session_id)
        self.notify(f"Copied the session id {self.session_id}", markup=False)

    # Threads

    def _reset_threads(self) -> None:
        """A session was opened: no threads known, the session's own transcript shown."""
        self.workers.cancel_group(self, "chat-thread")
        self.workers.cancel_group(self, "chat-threads")
        self._threads = _Threads()
        self.query_one(ChatHeader).thread = None
        strip = self.query_one(ThreadStrip)
        strip.chips, strip.selected, strip.display = (), None, False

    def _refresh_threads(self) -> None:
        """Update the strip from the transcript's threads; ask for the threads list when a thread
        appeared or changed status, or the session (the primary thread) did: their usage moved."""
        threads = self._threads
        live = self.transcript.threads
        seen = (live, self.query_one(ChatHeader).state if live else None)
        if seen != threads.seen and self.session_id is not None:
            threads.seen = seen
            self._load_threads(self.session_id)
        children = [thread for thread in threads.listed.values() if thread.parent_thread_id is not None]
        ids = list(live) + [thread.id for thread in children if thread.id not in live]
        strip = self.query_one(ThreadStrip)
        if not ids:
            if strip.display:
                strip.display = False
                self.refresh_bindings()
            return
        primary = next((t for t in threads.listed.values() if t.parent_thread_id is None), None)
        chips = [self._chip(primary, primary.id if primary else "", primary=True)]
        chips += [self._chip(threads.listed.get(thread_id), thread_id) for thread_id in ids]
        strip.chips = tuple(chips)
        if not strip.display:
            strip.display = True
            self.refresh_bindings()

    def _chip(self, listed: SessionThread | None, thread_id: str, *, primary: bool = False) -> ThreadChip:
        """A thread's chip: live status from the session's events, usage from the threads list."""
        if primary:
            agent = listed.agent if listed is not None else None
            name = agent.name if isinstance(agent, AgentDefinition) else ""  # an advisor has no name
            status = self.query_one(ChatHeader).state
        else:
            name, status = self.transcript.threads.get(thread_id, ("", "created"))
            if listed is not None:
                name = name or getattr(listed.agent, "name", None) or thread_id
                if status == "created":
                    status = listed.status
        tokens = cost = None
        usage = listed.usage if listed is not None else None
        if usage is not None:
            counts = (usage.input_tokens, usage.output_tokens, usage.cache_read_input_tokens)
            tokens = sum(count or 0 for count in counts) if any(c is not None for c in counts) else None
            if usage.list_cost is not None:
                cost = str(Money(usage.list_cost.amount, usage.list_cost.currency))
        return ThreadChip(thread_id, name or "", status, primary=primary, tokens=tokens, cost=cost)

    @work(exclusive=True, group="chat-threads", exit_on_error=False)
    async def _load_threads(self, session_id: str) -> None:
        try:
            listed = {thread.id: thread async for thread in client_of(self).sessions.threads.list(session_id)}
        except AgentAPIError:  # the strip keeps what the events said
            return
        if self.session_id == session_id:
            self._threads.listed = listed
            self._refresh_threads()

    def _show_thread(self, thread_id: str | None) -> None:
        """Show a child thread's own transcript in the view (None: the session's)."""
        threads = self._threads
        if thread_id == threads.shown or self.session_id is None:
            return
        self.workers.cancel_group(self, "chat-thread")
        view = self.query_one(TranscriptView)
        strip = self.query_one(ThreadStrip)
        strip.selected = thread_id
        header = self.query_one(ChatHeader)
        if thread_id is None:
            threads.view = None
            header.thread = None
            view.load(self.transcript)
        else:
            names = {chip.id: chip.name for chip in strip.chips if chip.id and chip.name}
            threads.view = shown = _ThreadFeed(thread_id, Transcript(thread_names=names))
            chip = next((chip for chip in strip.chips if chip.id == thread_id), None)
            header.thread = chip.name if chip is not None and chip.name else thread_id
            view.load(shown.transcript)
            self._follow_thread(self.session_id, shown)
        self.query_one(SearchBar).recount()
        self.refresh_bindings()

    @work(exclusive=True, group="chat-thread", exit_on_error=False)
    async def _follow_thread(self, session_id: str, shown: _ThreadFeed) -> None:
        """Buffer a child thread's feed for :meth:`_flush_thread` (like :meth:`_follow`)."""
        async with SessionFeed(client_of(self), session_id, thread_id=shown.thread_id) as feed:
            async for batch in feed:
                shown.batch.extend(batch)
                self._pacer.wake(urgent=any(isinstance(change, Connection) for change in batch))

    def _flush_thread(self, view: TranscriptView) -> bool:
        """Apply the shown child thread's buffered batch to its transcript and the view."""
        shown = self._threads.view
        assert shown is not None
        batch, shown.batch = shown.batch, []
        connection = next((c for c in reversed(batch) if isinstance(c, Connection)), None)
        if connection is not None and connection.state == "closed" and connection.error:
            self.notify(f"Thread feed: {connection.error}", severity="error", markup=False)
        changes = shown.transcript.apply_feed(batch)
        if shown.loaded:
            if changes or not view.up_to_date:
                return view.apply(shown.transcript, changes)
        elif connection is not None and connection.state != "connecting":
            shown.loaded = True
            view.load(shown.transcript)
        return False

    def action_cycle_thread(self, step: int) -> None:
        """Show the next (1) or previous (-1) thread of the strip."""
        ids = [None if chip.primary else chip.id for chip in self.query_one(ThreadStrip).chips]
        if ids:
            at = ids.index(self._threads.shown) if self._threads.shown in ids else 0
            self._show_thread(ids[(at + step) % len(ids)])

    def action_primary_thread(self) -> None:
        self._show_thread(None)

    def action_interrupt_thread(self) -> None:
        """Stop only the child thread shown (from the session's transcript, escape stops them all)."""
        if self.session_id is not None and self._threads.shown is not None:
            self._say("Interrupting this thread…")
            self._interrupt(self.session_id, self._threads.shown)

    def _shown_thread_running(self) -> bool:
        shown = self._threads.shown
        return shown is not None and self.transcript.threads.get(shown, ("", ""))[1] in _RUNNING

    @on(ThreadStrip.Picked)
    def _picked(self, message: ThreadStrip.Picked) -> None:
        message.stop()
        self._show_thread(message.thread_id)

    # Sending

    @on(Composer.Changed)
    def _typed(self) -> None:
        """A key the user typed goes to the screen before the stream's next update."""
        self._typed_at = time.monotonic()
        self._pacer.hold()

    @on(TranscriptView.Behind)
    def _behind(self, message: TranscriptView.Behind) -> None:
        message.stop()
        self._pacer.wake()

    @on(Composer.Submitted)
    def _submitted(self, event: Composer.Submitted) -> None:
        event.stop()
        if event.text == OUTCOME_COMMAND:
            self._outcome_command()
        elif self.session_id is None:
            self._problem("Open a session first: pick one in the sessions list.")
        elif self._sending:
            self.app.bell()
        else:
            self._sending = True
            prompt = self.query_one(PermissionPrompt)
            self.query_one(TranscriptView).action_follow()  # the reply shows as it comes
            self._send_text(self.session_id, event.text, prompt.custom, prompt.is_error)

    def _switch_composer(self, session_id: str) -> None:
        """Keep the draft of the session left; show the history and draft of ``session_id``."""
        composer = self.query_one(Composer)
        if self.session_id is not None:
            self._drafts[self.session_id] = composer.text
        if self._sent_history is None:
            self._sent_history = SentHistory(deck(self).settings.data_dir / "history")
        entries, problem = self._sent_history.load(session_id)
        composer.restore(entries, self._drafts.pop(session_id, ""))
        if problem:
            self.notify(problem, severity="warning", markup=False)

    def _keep_sent(self, session_id: str, text: str) -> None:
        """The server took ``text``: into the composer's history (if the session is still open) and on disk."""
        if self.session_id == session_id:
            self.query_one(Composer).sent(text)
        elif self._drafts.get(session_id, "").strip() == text:
            del self._drafts[session_id]
        assert self._sent_history is not None  # made when the session was opened
        try:
            self._sent_history.add(session_id, text)
        except OSError as exc:
            self.notify(f"Could not keep the message history: {exc}", severity="warning", markup=False)

    @on(PermissionPrompt.Answered)
    def _answered(self, event: PermissionPrompt.Answered) -> None:
        event.stop()
        self._refresh_keys()
        self.focus_composer()
        if self.session_id is not None:
            self._confirm(self.session_id, event)

    @work(group="chat-send", exit_on_error=False)
    async def _send_text(self, session_id: str, text: str, call: CustomToolCallBlock | None, is_error: bool) -> None:
        """Send the composer's text: as the answer to ``call`` when given, else as a message."""
        try:
            event: InputParams
            if call is None:
                attached = await self._attach_mentions(session_id, text)
                if attached is None:
                    return
                event = UserMessageParams(content=[TextBlock(text=attached)])
                failure = "Message not sent"
            else:
                event = UserCustomToolResultParams(
                    custom_tool_use_id=call.id, content=[TextBlock(text=text)], is_error=is_error
                )
                failure = f"Result for {call.name} not sent"
            if await self._deliver(session_id, event, failure):
                self._keep_sent(session_id, text)
                self._clear_notice()
        finally:
            self._sending = False

    async def _attach_mentions(self, session_id: str, text: str) -> str | None:
        """Upload and mount each ``@path`` of ``text`` (a toast for each); the text to send, with
        the paths replaced by their mount paths, or None (said) when one cannot be attached."""
        from app.tui.chat.mentions import mentioned_files, with_mounts
        from app.tui.fields import FieldError
        from app.tui.screens.resources import attach_file

        try:
            files = mentioned_files(text)
        except FieldError as exc:
            self._problem(f"Message not sent: {exc}")
            return None
        mounts: dict[str, str] = {}
        for word, path in files.items():
            try:
                resource = await attach_file(client_of(self), session_id, path)
            except (AgentAPIError, OSError) as exc:
                self._problem(f"Message not sent: could not attach {path}: {exc}")
                return None
            mounts[word] = resource.mount_path
            self.notify(f"Attached {path.name} at {resource.mount_path}", markup=False)
        return with_mounts(text, mounts)

    @work(group="chat-send", exit_on_error=False)
    async def _confirm(self, session_id: str, answer: PermissionPrompt.Answered) -> None:
        event = UserToolConfirmationParams(tool_use_id=answer.call.id, result="allow" if answer.allow else "deny")
        if answer.message:
            event.deny_message = answer.message
        verb = "Approval" if answer.allow else "Denial"
        if not await self._deliver(session_id, event, f"{verb} of {answer.call.name} not sent"):
            prompt = self.query_one(PermissionPrompt)
            if prompt.call is not None and prompt.call.id == answer.call.id:
                prompt.waiting = False
            self._refresh_keys()

    # Outcomes

    def _takes_outcome(self) -> bool:
        """An outcome can be defined: a session is open and takes input."""
        header = self.query_one(ChatHeader)
        return self.session_id is not None and self._closed_reason(header.info, header.state) is None

    def action_outcome(self) -> None:
        """Open the outcome form; it sends ``user.define_outcome`` to the open session."""
        session_id = self.session_id
        if session_id is None or not self._takes_outcome():
            self.app.bell()
            return

        async def send(params: UserDefineOutcomeParams) -> None:
            self.query_one(TranscriptView).action_follow()
            await client_of(self).sessions.events.send(session_id, params)

        def done(params: UserDefineOutcomeParams | None) -> None:
            composer = self.query_one(Composer)
            if params is not None and composer.text.strip() == OUTCOME_COMMAND:
                self._keep_sent(session_id, OUTCOME_COMMAND)
            if params is not None:
                self._clear_notice()
            self.focus_composer()

        self.app.push_screen(OutcomeForm(send), done)

    def _outcome_command(self) -> None:
        """``/outcome`` typed alone in the composer: the form instead of a message."""
        if self.session_id is None:
            self._problem("Open a session first: pick one in the sessions list.")
        else:
            self.action_outcome()

    @work(exclusive=True, group="chat-interrupt", exit_on_error=False)
    async def _interrupt(self, session_id: str, thread_id: str | None = None) -> None:
        """Interrupt one child thread, or every thread (``thread_id`` None)."""
        event = UserInterruptParams(session_thread_id=thread_id) if thread_id else UserInterruptParams()
        if await self._deliver(session_id, event, "Interrupt not sent"):
            self._clear_notice()

    async def _deliver(self, session_id: str, event: InputParams, failure: str) -> bool:
        """Send one input event; on failure show why and return False."""
        try:
            await client_of(self).sessions.events.send(session_id, event)
        except AgentAPIError as exc:
            self._problem(f"{failure}: {exc}")
            return False
        return True

    # Telling the user

    def _problem(self, text: str) -> None:
        """An error: a notification plus the line above the composer."""
        self.notify(text, severity="error", markup=False)
        self._say(text, error=True)

    def _clear_notice(self) -> None:
        """Clear the line above the composer, unless the session takes no more input (it says why)."""
        header = self.query_one(ChatHeader)
        reason = self._closed_reason(header.info, header.state)
        self._say(reason, error=reason is not None)

    def _say(self, text: str | None, *, error: bool = False) -> None:
        """Set (or clear, with None) the line above the composer."""
        self.query_one("#chat-notice", MessageLine).say(text, error=error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker failing on an unexpected exception is a bug: say so instead of failing silently."""
        if event.state == WorkerState.ERROR:
            self.notify(f"{event.worker.name} failed: {event.worker.error!r}", severity="error", markup=False)
