"""The tool call widget: one line collapsed, the full input and result when expanded.

Collapsed it is one line: state glyph, tool name (with its MCP server, or "custom"), a short
summary of the input (the command, the file path, the pattern...), the state and the duration.
Expanded it adds the input (bash highlighted, edits and writes as a diff, anything else as JSON)
and the result (a read in the file's language, command output with its colours), each capped at
``OUTPUT_LINES`` lines with a "… +N lines" note until the user asks for all of it. The body is
built only when the call is first expanded, and it is one widget either way: no child widgets.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.geometry import Size

from app.api.transcript_blocks import CustomToolCallBlock, ToolCallBlock, one_line
from app.tui.chat import highlight
from app.tui.chat.expandable import Expandable
from app.tui.chat.marks import Marked
from app.tui.glyphs import SPINNER, TOOL, tool_glyph

#: Lines of a result shown before "… +N lines".
OUTPUT_LINES = 20

ToolBlock = ToolCallBlock | CustomToolCallBlock

_FILE_TOOLS = ("read", "write", "edit")


def input_summary(block: ToolBlock, limit: int | None = None) -> str:
    """The part of the input that says what the call does, on one line (cut to ``limit`` characters)."""
    return one_line(_summary(block), limit)


def _summary(block: ToolBlock) -> str:
    data: dict[str, Any] = block.input if isinstance(block.input, dict) else {}
    if block.name == "bash" and isinstance(command := data.get("command"), str):
        return command
    if block.name in _FILE_TOOLS and isinstance(file_path := data.get("file_path"), str):
        return file_path
    if block.name in ("glob", "grep") and isinstance(pattern := data.get("pattern"), str):
        where = f" in {data['path']}" if data.get("path") else ""
        return pattern + where
    if block.name == "web_fetch" and isinstance(url := data.get("url"), str):
        return url
    return highlight.compact_json(data) if data else ""


#: A call's duration shows in its header from this many seconds: a quicker one reads just "ok".
SHOWN_FROM = 1.0


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s"


def _more(hidden: int) -> Content:
    return Content.styled(f"… +{hidden} lines (click to show all)", f"italic {highlight.MUTED}")


def _input_view(block: ToolBlock, limit: int | None) -> tuple[Content, bool]:
    """The input: a command highlighted, an edit or a write as a diff, anything else as JSON;
    capped at ``limit`` lines, and whether it was."""
    data = block.input if isinstance(block.input, dict) else {}
    rest = dict(data)
    path = data.get("file_path") if isinstance(data.get("file_path"), str) else None
    if block.name == "bash" and isinstance(data.get("command"), str):
        shown = Content.assemble(("$ ", "bold $text-muted"), highlight.code(rest.pop("command"), "bash"))
    elif block.name == "edit" and isinstance(data.get("old_string"), str) and isinstance(data.get("new_string"), str):
        shown = highlight.diff(rest.pop("old_string"), rest.pop("new_string"), rest.pop("file_path", None))
    elif block.name == "write" and isinstance(data.get("content"), str):
        shown = highlight.diff("", rest.pop("content"), rest.pop("file_path", None))
    elif block.name in _FILE_TOOLS and path is not None:
        shown = Content.styled(rest.pop("file_path"), "bold")
    else:
        shown, rest = highlight.json_value(data), {}
    if rest:
        shown = Content("\n").join([shown, Content.styled(highlight.compact_json(rest), highlight.MUTED)])
    shown, hidden = highlight.cap_lines(shown, limit)
    return (Content("\n").join([shown, _more(hidden)]), True) if hidden else (shown, False)


def _result_view(block: ToolBlock, limit: int | None) -> tuple[Content, bool]:
    """The result (text parts highlighted for the tool, other parts as placeholders), capped at
    ``limit`` lines, and whether it was."""
    text, hidden = highlight.cap_text(block.result_text.rstrip("\n"), limit)
    path = block.input.get("file_path") if isinstance(block.input, dict) else None
    if block.is_error:
        shown = Content.styled(text, "$text-error")
    elif block.name == "read":
        shown = highlight.file_listing(text, path if isinstance(path, str) else None)
    elif block.name == "bash":
        shown = highlight.terminal_output(text)
    else:
        shown = Content(text)
    lines = [shown] if text else []
    for part in block.result or ():
        if part.get("type") != "text":
            kind = part.get("type", "content")
            media = (part.get("source") or {}).get("media_type") if isinstance(part.get("source"), dict) else None
            lines.append(Content.styled(f"[{kind}{': ' + media if media else ''}]", highlight.MUTED))
    if hidden:
        lines.append(_more(hidden))
    if not lines:
        lines.append(Content.styled("(no output)", f"italic {highlight.MUTED}"))
    return Content("\n").join(lines), bool(hidden)


def build_body(block: ToolBlock, limit: int | None = OUTPUT_LINES) -> tuple[Content, bool]:
    """Everything the expanded call shows under its line (input and result capped at ``limit``
    lines each, ``None`` for all), and whether anything was left out."""
    shown_input, capped = _input_view(block, limit)
    sections = [shown_input]
    state = block.state
    if state == "denied":
        message = getattr(block, "deny_message", None) or "denied by the permission policy"
        sections.append(Content.styled(f"denied: {message}", "$text-error"))
    elif state == "awaiting_approval":
        sections.append(Content.styled("waiting for your approval", "$text-warning"))
    elif state == "pending":
        sections.append(Content.styled("waiting for your result", "$text-warning"))
    elif state == "interrupted":
        sections.append(Content.styled("interrupted before a result arrived", highlight.MUTED))
    if block.result is not None:
        sections.append(Content.styled("result" if not block.is_error else "error", f"bold {highlight.MUTED}"))
        result, capped_result = _result_view(block, limit)
        sections.append(result)
        capped = capped or capped_result
    return Content("\n").join(sections), capped


class ToolCall(Marked, Expandable):
    """A tool call (built-in, MCP or custom). ``expanded`` shows the body, ``full`` lifts the cap."""

    def __init__(self, block: ToolBlock) -> None:
        super().__init__(classes="block tool-call")
        self.block_id = block.id
        self.block: ToolBlock = block
        #: The expanded part, built the first time it is shown (None until then).
        self.body: Content | None = None
        self._capped = False
        self._frame = 0
        #: The content width of the last layout (asking the widget for its size mid-layout makes
        #: the screen map every widget again).
        self._width = 0
        self._set_classes()

    # State

    def update_block(self, block: ToolBlock) -> None:
        self.block = block
        self.body = None
        self._set_classes()
        self.refresh(layout=self.expanded)

    def _set_classes(self) -> None:
        state = self.block.state
        for name in TOOL:
            self.set_class(state == name, f"-{name}")

    def show_all(self) -> None:
        """Expand with the whole result, uncapped."""
        self.body = None
        super().show_all()

    def clicked(self, offset_y: int) -> None:
        """A click on the line toggles; on the body of a capped call, it shows everything."""
        if self.expanded and self._capped and offset_y > 0:
            self.show_all()
        else:
            self.toggle()

    @property
    def animated(self) -> bool:
        return self.block.state == "running"

    def tick(self, frame: int) -> None:
        self._frame = frame
        self.refresh()

    # Rendering

    def title(self) -> Content:
        block = self.block
        parts: list[tuple[str, str] | str] = []
        if block.thread_id:  # a sub-agent's call
            parts.append((f"{block.agent_name or block.thread_id} ▸ ", highlight.MUTED))
        parts.append((block.name, "bold"))
        if isinstance(block, ToolCallBlock) and block.mcp_server:
            parts.append((f" via {block.mcp_server}", highlight.MUTED))
        elif isinstance(block, CustomToolCallBlock):
            parts.append((" custom", highlight.MUTED))
        return Content.assemble(*parts)

    def header(self, width: int) -> Content:
        """The one-line form, fitted to ``width`` by shortening the input summary."""
        block = self.block
        glyph, label, colour = tool_glyph(block.state)
        if block.state == "running" and self.app.animation_level != "none":
            glyph = SPINNER[self._frame % len(SPINNER)]
        right = label
        if block.duration is not None and block.duration >= SHOWN_FROM:
            right += f" {duration_text(block.duration)}"
        deny = getattr(block, "deny_message", None)
        if block.state == "denied" and deny:
            right += f": {one_line(deny)}"
        left = Content.assemble((glyph, colour), " ", self.title(), "  ")
        right_content = Content.styled(right, colour)
        room = width - left.cell_length - right_content.cell_length - 2
        summary = Content(input_summary(block))
        if summary.cell_length > room:
            summary = summary.truncate(max(room, 1), ellipsis=True)
        gap = max(2, width - left.cell_length - summary.cell_length - right_content.cell_length)
        return Content.assemble(left, summary, " " * gap, right_content)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._width = width
        return super().get_content_height(container, viewport, width)

    def render(self) -> Content:
        header = self.header(self._width or self.content_size.width or 80)
        if not self.expanded:
            return header
        if self.body is None:
            self.body, self._capped = build_body(self.block, None if self.full else OUTPUT_LINES)
        return Content("\n").join([header, self.body])
