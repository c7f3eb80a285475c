"""A session rendered for keeping: a markdown transcript, or its raw events as JSON or JSON lines.

Pure functions of the session (wire JSON) and its events as the client read them. The JSON forms
carry each event exactly as the API sent it, except that secrets are scrubbed everywhere: values
of known secret fields, and any string that looks like an API key or access token.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from app.api.transcript import Transcript
from app.api.transcript_blocks import (
    AgentMessageBlock,
    CustomToolCallBlock,
    ErrorBlock,
    EventBlock,
    OutcomeBlock,
    OutcomeEvaluationBlock,
    StatusBlock,
    ThinkingBlock,
    ThreadMessageBlock,
    ToolCallBlock,
    UnreadableBlock,
    UsageBlock,
    UserMessageBlock,
)

#: Export formats and the file extension of each.
FORMATS = {"markdown": "md", "json": "json", "jsonl": "jsonl"}
REDACTED = "[redacted]"
#: Fields whose value is a credential wherever they appear (a repository's token, vault credentials...).
SECRET_FIELDS = frozenset(
    {
        "authorization_token",
        "access_token",
        "refresh_token",
        "sessions_token",
        "token",
        "api_key",
        "secret",
        "client_secret",
        "password",
        "private_key",
        "secret_value",
    }
)
#: Anthropic and agentdeck keys, GitHub and Slack tokens, bearer credentials.
_TOKEN = re.compile(
    r"(?:sk-ant-|sk-agentdeck-|gh[pousr]_|github_pat_|xox[abprs]-)[A-Za-z0-9_\-]{6,}"
    r"|(?<=Bearer )[A-Za-z0-9._~+/\-]{12,}=*"
)


def redact(text: str) -> str:
    """``text`` with every token-looking run replaced by ``[redacted]``."""
    return _TOKEN.sub(REDACTED, text)


def scrub(value: Any) -> Any:
    """A copy of wire JSON with secret fields and token-looking strings redacted."""
    if isinstance(value, dict):
        return {
            key: REDACTED if key.lower() in SECRET_FIELDS and isinstance(item, str) and item else scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return redact(value) if isinstance(value, str) else value


def wire_event(item: Any) -> Any:
    """The event as the server sent it: its wire JSON, or for an unreadable one the raw JSON (or text)."""
    if hasattr(item, "to_wire"):
        return item.to_wire()
    try:
        return json.loads(item.raw)
    except ValueError:
        return item.raw


def raw_events(items: Iterable[Any]) -> list[Any]:
    """The events as wire JSON, scrubbed."""
    return [scrub(wire_event(item)) for item in items]


def to_json(items: Iterable[Any]) -> str:
    """One JSON array of the (scrubbed) raw events."""
    return json.dumps(raw_events(items), ensure_ascii=False, indent=2) + "\n"


def to_jsonl(items: Iterable[Any]) -> str:
    """One (scrubbed) raw event per line."""
    return "".join(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n" for event in raw_events(items))


def fenced(text: str, language: str = "") -> str:
    """``text`` in a code fence longer than any run of backticks inside it."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}{language}\n{text.rstrip(chr(10))}\n{fence}"


def _when(stamp: str | None) -> str:
    return f" · {stamp}" if stamp else ""


def _tool(block: ToolCallBlock | CustomToolCallBlock) -> str:
    server = f" ({block.mcp_server})" if isinstance(block, ToolCallBlock) and block.mcp_server else ""
    took = f", {block.duration:.1f}s" if block.duration is not None else ""
    agent = f" · {block.agent_name or block.thread_id}" if block.thread_id else ""
    parts = [f"### Tool call: {block.name}{server} [{block.state}{took}]{agent}{_when(block.started_at)}"]
    parts.append(fenced(json.dumps(scrub(block.input), ensure_ascii=False, indent=2), "json"))
    if isinstance(block, ToolCallBlock) and block.deny_message:
        parts.append(f"Denied: {block.deny_message}")
    if block.result is not None:
        label = "Error result" if block.is_error else "Result"
        parts.append(f"{label}:\n\n{fenced(block.result_text or '(no text)')}")
    return "\n\n".join(parts)


def status_text(block: StatusBlock) -> str:
    """``idle (end_turn)``, with ``agent: `` before it for a thread's status."""
    reason = f" ({block.stop_reason})" if block.stop_reason else ""
    thread = f"{block.agent_name or block.thread_id}: " if block.thread_id else ""
    return f"{thread}{block.status}{reason}"


def block_markdown(block: Any) -> str | None:
    """One transcript block as markdown (None for blocks an export leaves out: usage, previews)."""
    match block:
        case UserMessageBlock():
            extra = f"\n\n*({len(block.attachments)} attachment(s))*" if block.attachments else ""
            return f"### User{_when(block.processed_at)}\n\n{block.text}{extra}"
        case AgentMessageBlock():
            if block.streaming:
                return None
            extra = f"\n\n*({block.redacted} part(s) redacted)*" if block.redacted else ""
            return f"### Agent{_when(block.processed_at)}\n\n{block.text}{extra}"
        case ThinkingBlock():
            return f"> *Thinking*{_when(block.processed_at)}"
        case ToolCallBlock() | CustomToolCallBlock():
            return _tool(block)
        case StatusBlock():
            return f"*Status: {status_text(block)}*{_when(block.processed_at)}"
        case ErrorBlock():
            retry = f" ({block.retry_status})" if block.retry_status else ""
            return f"> **Error** `{block.error_type}`{retry}: {block.message}"
        case ThreadMessageBlock():
            arrow = "to" if block.direction == "sent" else "from"
            return f"### Agent message {arrow} {block.peer}{_when(block.processed_at)}\n\n{block.text}"
        case OutcomeBlock():
            rubric = f"\n\nRubric ({block.rubric_type}):\n\n{fenced(block.rubric)}" if block.rubric else ""
            return f"### Outcome{_when(block.processed_at)}\n\n{block.description}{rubric}"
        case OutcomeEvaluationBlock():
            explanation = f"\n\n{block.explanation}" if block.explanation else ""
            return f"*Outcome evaluation {block.iteration}: {block.state}*{explanation}"
        case EventBlock():
            body = block.text or fenced(json.dumps(scrub(block.raw), ensure_ascii=False, indent=2), "json")
            return f"*Event: {block.type}*{_when(block.processed_at)}\n\n{body}"
        case UnreadableBlock():
            return f"> **Unreadable event** `{block.type}`: {block.error}\n\n{fenced(block.raw)}"
        case UsageBlock():
            return None
    kind = re.sub(r"(?<!^)(?=[A-Z])", " ", type(block).__name__.removesuffix("Block")).lower()
    return f"*{kind}*{_when(getattr(block, 'processed_at', None))}"


def to_markdown(session: dict[str, Any], items: Iterable[Any]) -> str:
    """A readable transcript: the session's title and ids, then each block of its history."""
    session = scrub(session)
    events = list(items)
    agent = session.get("agent") or {}
    lines = [
        f"# {session.get('title') or 'Untitled session'}",
        "",
        f"- session: `{session.get('id')}` ({session.get('status')})",
        f"- agent: {agent.get('name') or agent.get('type')} (`{agent.get('id')}`, version {agent.get('version')})",
        f"- environment: `{session.get('environment_id')}`",
        f"- created: {session.get('created_at')}",
        f"- events: {len(events)}",
    ]
    lines += [
        f"- resource: {resource.get('type')} {resource.get('url') or resource.get('file_id') or ''} "
        f"{resource.get('mount_path') or ''}".rstrip()
        for resource in session.get("resources") or []
    ]
    parts = ["\n".join(lines)]
    parts += [text for block in Transcript(events).blocks if (text := block_markdown(block)) is not None]
    return redact("\n\n".join(parts)) + "\n"


def render(fmt: str, session: dict[str, Any], items: Iterable[Any]) -> str:
    """The export in ``fmt`` (a key of :data:`FORMATS`)."""
    if fmt == "markdown":
        return to_markdown(session, items)
    return to_json(items) if fmt == "json" else to_jsonl(items)
