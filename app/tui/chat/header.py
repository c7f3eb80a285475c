"""The chat header: title and status of the open session, its model and environment, usage so far,
and how the live connection is doing (a glyph at the very start of the first line whenever it is
not live, so it shows at any width, and a few words at the end of the second)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from app.api.feed_state import Connection
from app.api.transcript import TranscriptSummary
from app.api.transcript_blocks import ToolCallBlock
from app.tui.chat.blocks import evaluation_label, verdict
from app.tui.format import UNTITLED, count
from app.tui.glyphs import CONNECTION, SPINNER, session_glyph


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What the chat header shows about a session before its transcript says more."""

    session_id: str
    title: str | None = None
    #: The status the API reported when the session was retrieved.
    status: str | None = None
    model: str | None = None
    environment: str | None = None
    archived: bool = False


def session_state(info: SessionInfo | None, summary: TranscriptSummary | None) -> str | None:
    """The status key of the glyph vocabulary: ``needs_approval`` while a tool call waits for the
    user's approval, ``needs_result`` while a custom tool call waits for its result, else the
    transcript's latest status, else the one the API reported."""
    if summary is not None and summary.pending:
        asks = any(isinstance(call, ToolCallBlock) for call in summary.pending)
        return "needs_approval" if asks else "needs_result"
    if summary is not None and summary.status is not None:
        return summary.status
    return info.status if info is not None else None


def connection_note(change: Connection | None) -> str | None:
    """A few words about the live connection, or None while it is live."""
    if change is None or change.state == "live":
        return None
    if change.state == "connecting":
        return "connecting…"
    if change.state == "reconnecting":
        return f"connection lost · reconnecting in {change.delay:g}s…"
    return "not following (feed stopped)" if change.error else "not following"


class ChatHeader(Widget):
    """Two lines: glyph, title and status; then model · environment · tokens · cost · connection."""

    DEFAULT_CSS = "ChatHeader { height: 2; }"

    info: reactive[SessionInfo | None] = reactive(None)
    summary: reactive[TranscriptSummary | None] = reactive(None)
    connection: reactive[Connection | None] = reactive(None)
    #: The agent name of the child thread shown in the transcript (None: the session's own).
    thread: reactive[str | None] = reactive(None)
    _frame: reactive[int] = reactive(0)

    def on_mount(self) -> None:
        self._spinner = self.set_interval(0.25, self._spin, pause=True)

    @property
    def state(self) -> str | None:
        """The status key shown (see :func:`session_state`)."""
        return session_state(self.info, self.summary)

    def _spin(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)

    def watch_summary(self) -> None:
        self._sync_spinner()

    def watch_info(self) -> None:
        self._sync_spinner()

    def _sync_spinner(self) -> None:
        if not hasattr(self, "_spinner"):
            return
        if self.state == "running":
            self._spinner.resume()
        else:
            self._spinner.pause()

    def render(self) -> Content:
        info = self.info
        if info is None:
            return Content.styled("No session open. Pick one in the sessions list.", "$text-muted")
        state = self.state
        summary = self.summary
        shown_title = summary.title if summary is not None and summary.title is not None else info.title
        title = Content.styled(shown_title or UNTITLED, "bold")
        if state is None:
            top = Content.assemble(title, ("  loading…", "$text-muted"))
        else:
            glyph, label, colour = session_glyph(state)
            if state == "running":
                glyph = SPINNER[self._frame]
            top = Content.assemble((f"{glyph} ", colour), title, (f"  {label}", colour))
            outcome = self._outcome()
            if outcome is not None:  # on the first line, which narrow terminals cut last
                top = Content.assemble(top, ("  ·  ", "$text-muted"), outcome)
        if self.thread is not None:
            top = Content.assemble(
                top,
                ("  ▸ showing thread ", "$accent"),
                (self.thread, "bold $accent"),
                ("  (esc: back to main)", "$text-muted"),
            )
        if self.connection is not None and self.connection.state in CONNECTION:
            glyph, colour = CONNECTION[self.connection.state]
            top = Content.assemble((f"{glyph} ", f"bold {colour}"), top)
        return Content("\n").join([top, self._details(info)])

    def _outcome(self) -> Content | None:
        """The latest outcome: being evaluated, or its verdict."""
        outcome = self.summary.outcome if self.summary is not None else None
        if outcome is None:
            return None
        if outcome.result is None:
            return Content(f"outcome {evaluation_label(outcome)} evaluating…")
        glyph, words, colour = verdict(outcome.result)
        return Content.assemble("outcome ", (f"{glyph} {words}", colour), f" ({evaluation_label(outcome)})")

    def _details(self, info: SessionInfo) -> Content:
        summary = self.summary
        model = info.model
        if summary is not None and summary.agent_name is not None:  # the agent was changed (session.updated)
            model = f"{summary.agent_name} · {summary.model}" if summary.model else summary.agent_name
        parts: list[Content] = [Content(model or "…"), Content(info.environment or "…")]
        if summary is not None:
            tokens = summary.tokens
            used = tokens.input_tokens + tokens.cache_read_input_tokens + tokens.cache_creation_input_tokens
            parts.append(Content(f"tokens {count(used)} in / {count(tokens.output_tokens)} out"))
            if summary.list_cost is not None:
                parts.append(Content(f"cost {summary.list_cost}"))
        note = connection_note(self.connection)
        if note is not None:
            parts.append(Content.styled(note, "$warning"))
        return Content.styled(" · ", "$text-muted").join(parts).stylize_before("$text-muted")
