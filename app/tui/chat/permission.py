"""The prompt above the composer for the call the agent is waiting on.

A tool call awaiting approval shows its tool and a one-line summary of its input with [Allow] and
[Deny]; Deny opens a line for an optional message (enter denies, esc cancels). A custom tool call
says to answer it in the composer, with a checkbox that marks the answer as an error. A call of a
sub-agent (cross-posted from its thread) is labelled with that agent's name; the answer goes to
the call's own tool use id, which the server routes to its thread. The prompt
never sends anything: it posts :class:`PermissionPrompt.Answered` and the chat view sends it.
Keys while the prompt has focus: ``y`` allow (``chat.prompt.allow``), ``n`` deny
(``chat.prompt.deny``); the chat view adds keys that work from the composer too.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Static

from app.api.transcript_blocks import CustomToolCallBlock, ToolCallBlock
from app.tui.chat.tool_call import input_summary
from app.tui.glyphs import tool_glyph

Call = ToolCallBlock | CustomToolCallBlock


def thread_label(call: Call) -> Content:
    """Whose call it is: the sub-agent's name (its thread id when the name is unknown)."""
    if call.agent_name:
        return Content.assemble((call.agent_name, "bold $accent"), (" (sub-agent)", "$text-muted"))
    return Content.styled(f"thread {call.thread_id}", "bold $accent")


#: Characters of the call's input summary the prompt shows.
SUMMARY_CHARS = 90


class PermissionPrompt(Widget, can_focus=True):
    """Shows one waiting call at a time (``show``); hidden while there is none."""

    BINDINGS = [
        Binding("y", "allow", "Allow", id="chat.prompt.allow"),
        Binding("n", "deny", "Deny", id="chat.prompt.deny"),
        Binding("escape", "cancel_deny", "Cancel deny", id="chat.prompt.cancel", show=False),
    ]

    #: An answer was sent for the call shown; the buttons stay disabled until the transcript moves on.
    waiting: reactive[bool] = reactive(False)

    class Answered(Message):
        """The user allowed or denied ``call`` (``message`` is the optional deny message)."""

        def __init__(self, call: ToolCallBlock, allow: bool, message: str | None = None) -> None:
            super().__init__()
            self.call = call
            self.allow = allow
            self.message = message

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.call: Call | None = None
        self._more = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="prompt-row"):
            yield Static(id="prompt-text")
            yield Button("Allow", id="prompt-allow", variant="success", compact=True)
            yield Button("Deny", id="prompt-deny", variant="error", compact=True)
            yield Checkbox("mark the answer as an error", id="prompt-error", compact=True)
        yield Input(
            placeholder="Why deny? (optional) · enter denies · esc cancels",
            id="prompt-deny-message",
            compact=True,
        )

    @property
    def approval(self) -> ToolCallBlock | None:
        """The call shown when it is a tool call awaiting approval."""
        return self.call if isinstance(self.call, ToolCallBlock) else None

    @property
    def custom(self) -> CustomToolCallBlock | None:
        """The call shown when it is a custom tool call waiting for the composer's answer."""
        return self.call if isinstance(self.call, CustomToolCallBlock) else None

    @property
    def is_error(self) -> bool:
        """Whether the custom tool answer should be sent as an error."""
        return self.query_one("#prompt-error", Checkbox).value

    def show(self, call: Call | None, more: int = 0) -> None:
        """Show ``call`` (None hides the prompt; a newer snapshot of the call shown keeps the
        prompt's state); ``more`` other calls are waiting after it."""
        if (call.id if call else None) != (self.call.id if self.call else None):
            self.waiting = False
            self.query_one("#prompt-error", Checkbox).value = False
            self._close_deny_message()
        self.call = call
        self._more = more
        self.display = call is not None
        self.set_class(self.custom is not None, "-custom")
        self._render_text()

    def toggle_error(self) -> None:
        checkbox = self.query_one("#prompt-error", Checkbox)
        checkbox.value = not checkbox.value

    def watch_waiting(self) -> None:
        for button in self.query(Button):
            button.disabled = self.waiting
        self._render_text()

    def _render_text(self) -> None:
        call = self.call
        if call is None:
            return
        glyph, _, colour = tool_glyph(call.state)
        if isinstance(call, CustomToolCallBlock):
            ask = f"custom tool {call.name} wants a result: type it in the composer, enter sends it"
        else:
            where = f" (MCP {call.mcp_server})" if call.mcp_server else ""
            ask = f"{call.name}{where} asks to run: {input_summary(call, SUMMARY_CHARS)}"
        parts: list[Content | tuple[str, str]] = [(f"{glyph} ", colour)]
        if call.thread_id:  # a sub-agent's call, cross-posted from its thread
            parts += [thread_label(call), (" · ", "$text-muted")]
        parts.append(Content(ask))
        if self._more:
            parts.append((f"  ({self._more} more waiting)", "$text-muted"))
        if self.waiting:
            parts.append(("  sending…", "$text-muted"))
        self.query_one("#prompt-text", Static).update(Content.assemble(*parts))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("allow", "deny"):
            return self.approval is not None and not self.waiting
        if action == "cancel_deny":
            return self.query_one("#prompt-deny-message", Input).display
        return True

    def action_allow(self) -> None:
        call = self.approval
        if call is not None and not self.waiting:
            self._close_deny_message()
            self.waiting = True
            self.post_message(self.Answered(call, allow=True))

    def action_deny(self) -> None:
        """Open the deny message line (a second deny sends it as it is)."""
        if self.approval is None or self.waiting:
            return
        message = self.query_one("#prompt-deny-message", Input)
        if message.display:
            self._deny(message.value)
        else:
            message.display = True
            message.focus()

    def action_cancel_deny(self) -> None:
        self._close_deny_message()

    @on(Button.Pressed, "#prompt-allow")
    def _allow_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_allow()

    @on(Button.Pressed, "#prompt-deny")
    def _deny_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_deny()

    @on(Input.Submitted, "#prompt-deny-message")
    def _deny_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._deny(event.value)

    def _deny(self, text: str) -> None:
        call = self.approval
        if call is None or self.waiting:
            return
        self._close_deny_message()
        self.waiting = True
        self.post_message(self.Answered(call, allow=False, message=text.strip() or None))

    def _close_deny_message(self) -> None:
        message = self.query_one("#prompt-deny-message", Input)
        had_focus = message.has_focus
        message.display = False
        message.value = ""
        if had_focus:
            self.focus()
