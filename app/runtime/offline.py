"""The offline model: deterministic, scripted, no network. Every reply follows from the session's
events alone, so tests and newcomers can rely on it (and a session resumes after a restart).

A message that starts with ``!`` runs the rest as a bash command and reports its output; any other
plain message gets a short markdown reply quoting it. This vocabulary exercises every event kind:

| You send | The agent |
|---|---|
| any text | replies in markdown, quoting it |
| `!<command>` | runs `<command>` with the bash tool, then reports the exit code and output |
| `/think <text>` | thinks (`agent.thinking`), then answers |
| `/read <path>` | reads a file with the read tool |
| `/write <path> <text>` | writes `<text>` to a file with the write tool |
| `/edit <path> <old> => <new>` | replaces `<old>` with `<new>` in a file with the edit tool |
| `/glob <pattern>` | lists matching files with the glob tool |
| `/grep <pattern> [path]` | searches file contents with the grep tool |
| `/fetch <url>` | fetches a page with the web_fetch tool (the environment's networking applies) |
| `/sleep <seconds>` | runs `sleep <seconds>` with bash: a long call to interrupt |
| `/custom <tool> [json]` | calls the agent's custom tool `<tool>` with the JSON input, waits for your result |
| `/mcp <server> <tool> [json]` | calls a tool of the agent's MCP server for real, with the session's vault credential |
| `/mcp <server>` | lists the tools that MCP server offers (or why it could not be reached) |
| `/tools` | lists its tools: built-in, custom, and each MCP server's |
| `/error <kind> [retrying\\|exhausted\\|terminal]` | fails the model request with that `session.error` (kinds below) |
| `/long [sections]` | a long markdown answer: headings, lists, code, a table (3 sections unless told) |
| `/delegate <agent> <message>` | a coordinator hands `<message>` to roster agent `<agent>`, then quotes its answer |
| `/remember <text>` | writes `<text>` as a memory to the attached memory store with the memory tool |
| `/recall <query>` | searches the attached memory stores with the memory tool and says what it found |
| `/help` | this table and the tools the agent has |

Error kinds: `overloaded`, `rate_limited`, `request_failed`, `mcp`, `credential`, `repo_auth`,
`repo_forbidden`, `repo_not_found`, `repo_checkout`, `repo_clone` are retried (the request fails
once, the session is rescheduled, then the answer comes); `unknown`, `billing`, `tool_limit`,
`compaction`, `mcp_auth` end the turn (`retries_exhausted`). `/error exhausted` keeps failing until
the retries run out; `/error terminal` terminates the session. A second word overrides the retry
status. Tool calls follow the agent's permission policies: set `always_ask` on a tool (e.g. bash)
to be asked before it runs. Disabled tools are not offered, and the agent says so. An MCP tool is
called with the session's vault credential for its server's URL, and asks first by default.

Outcomes: ``user.define_outcome`` is answered like a message with its description; after a
grading that lists missing texts (``needs_revision``), the next answer is a revision adding the
first missing text of every grading so far; after ``max_iterations_reached`` the agent says what
is still missing. ``/delegate`` runs the roster agent in a thread of its own; its answer comes
back from that child thread and is quoted.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.runtime.brain import (
    RESULT_KEYS,
    USE_KINDS,
    BrainError,
    BrainReply,
    BrainRequest,
    ToolUse,
    model_usage,
    text_of,
)
from app.runtime.memories import slug
from app.runtime.multiagent import roster
from app.runtime.outcomes import missing_from
from app.runtime.tools import memory as memory_tool

#: Short error kinds -> (session.error type, default retry status).
ERROR_KINDS: dict[str, tuple[str, str]] = {
    "overloaded": ("model_overloaded_error", "retrying"),
    "rate_limited": ("model_rate_limited_error", "retrying"),
    "request_failed": ("model_request_failed_error", "retrying"),
    "mcp": ("mcp_connection_failed_error", "retrying"),
    "credential": ("credential_host_unreachable_error", "retrying"),
    "repo_auth": ("repository_authentication_error", "retrying"),
    "repo_forbidden": ("repository_forbidden_error", "retrying"),
    "repo_not_found": ("repository_not_found_error", "retrying"),
    "repo_checkout": ("repository_checkout_error", "retrying"),
    "repo_clone": ("repository_clone_error", "retrying"),
    "unknown": ("unknown_error", "exhausted"),
    "billing": ("billing_error", "exhausted"),
    "tool_limit": ("tool_use_limit_reached_error", "exhausted"),
    "compaction": ("compaction_limit_reached_error", "exhausted"),
    "mcp_auth": ("mcp_authentication_failed_error", "exhausted"),
}
PROMPT_TYPES = ("user.message", "user.define_outcome")
RECEIVED = "agent.thread_message_received"
EVALUATION_END = "span.outcome_evaluation_end"
_REACTED_TO = (*RESULT_KEYS, RECEIVED, EVALUATION_END)


def is_prompt(event: dict[str, Any]) -> bool:
    """A user's message or outcome, or (in a child thread) a message delegated by the primary
    agent (a thread message without ``from_agent_name``)."""
    return event["type"] in PROMPT_TYPES or (event["type"] == RECEIVED and not event.get("from_agent_name"))


MAX_LONG_SECTIONS = 50
#: How much of a tool's output a report quotes.
REPORT_LIMIT = 4000


def tokens(text: str) -> int:
    """A deterministic token estimate: one per four characters, rounded up."""
    return (len(text) + 3) // 4


def fenced(text: str, lang: str = "") -> str:
    """``text`` in a code fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{text.rstrip()}\n{fence}"


def quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines() or [""])


def _clip(text: str) -> str:
    if len(text) <= REPORT_LIMIT:
        return text
    return text[:REPORT_LIMIT] + f"\n... ({len(text) - REPORT_LIMIT} more characters)"


@dataclass
class Turn:
    """What the current turn holds so far: the prompt, the tool calls and results since it, and
    how many model requests failed."""

    prompt: str
    uses: list[dict[str, Any]]
    results: list[dict[str, Any]]
    failures: int
    first_request: bool
    #: Answers of roster agents this turn delegated to (``agent.thread_message_received``).
    answers: list[dict[str, Any]]
    #: Gradings of the outcome this turn works on (``span.outcome_evaluation_end``).
    evaluations: list[dict[str, Any]]
    #: The type of the last event since the prompt that the model reacts to.
    last: str

    @classmethod
    def from_events(cls, events: list[dict[str, Any]]) -> Turn:
        start = max((i for i, event in enumerate(events) if is_prompt(event)), default=-1)
        prompt_event = events[start] if start >= 0 else {}
        if prompt_event.get("type") in ("user.message", RECEIVED):
            prompt = text_of(prompt_event.get("content"))
        else:
            prompt = prompt_event.get("description", "")
        since = events[start + 1 :]
        return cls(
            prompt=prompt.strip(),
            uses=[e for e in since if e["type"] in USE_KINDS],
            results=[e for e in since if e["type"] in RESULT_KEYS],
            failures=sum(1 for e in since if e["type"] == "span.model_request_end" and e.get("is_error")),
            first_request=not any(e["type"] == "span.model_request_end" for e in events),
            answers=[e for e in since if e["type"] == RECEIVED],
            evaluations=[e for e in since if e["type"] == EVALUATION_END],
            last=next((e["type"] for e in reversed(since) if e["type"] in _REACTED_TO), ""),
        )


class OfflineBrain:
    """The deterministic scripted model (see the module docstring for its vocabulary)."""

    async def respond(self, request: BrainRequest) -> BrainReply:
        turn = Turn.from_events(request.events)
        if turn.last == EVALUATION_END:
            reply = self._revise(turn)
        elif turn.last == RECEIVED:
            reply = self._relay(turn)
        else:
            reply = self._report(turn, request) if turn.results else self._act(turn, request)
        reply.usage = self._usage(request, turn, reply)
        return reply

    # ------------------------------------------------------------------ first request of a turn

    def _act(self, turn: Turn, request: BrainRequest) -> BrainReply:
        prompt = turn.prompt
        if prompt.startswith("!"):
            return self._tool(request, "bash", {"command": prompt[1:].strip()})
        if not prompt.startswith("/"):
            return BrainReply(text=self._echo(prompt))
        command, _, rest = prompt[1:].partition(" ")
        rest = rest.strip()
        handler: Callable[[str, Turn, BrainRequest], BrainReply] | None = getattr(self, f"_cmd_{command.lower()}", None)
        if handler is None:
            return BrainReply(text=f"I don't know the command `/{command}`. Send `/help` to see what I understand.")
        try:
            return handler(rest, turn, request)
        except _Usage as problem:
            return BrainReply(text=f"Usage: `{problem}`")

    def _tool(self, request: BrainRequest, name: str, input: dict[str, Any]) -> BrainReply:
        if request.tool(name, "builtin") is None:
            return BrainReply(text=f"The `{name}` tool is not enabled for this agent, so I can't do that.")
        return BrainReply(tool_uses=[ToolUse(name, input)])

    @staticmethod
    def _echo(prompt: str) -> str:
        return (
            f"You said:\n\n{quoted(prompt)}\n\n"
            "I'm the **offline model**: I run no language model, but I can run tools for you. "
            "Start a message with `!` to run a shell command, or send `/help` for everything I understand."
        )

    def _cmd_help(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        table = __doc__[__doc__.index("| You send") : __doc__.index("\n\nError kinds")]
        names = ", ".join(
            f"`{spec.name}`" + (f" ({spec.kind})" if spec.kind != "builtin" else "") for spec in request.tools
        )
        return BrainReply(text=f"## What I understand\n\n{table}\n\n**Tools this agent has:** {names or 'none'}.")

    def _cmd_think(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        subject = rest or "nothing in particular"
        count = len(subject.split())
        return BrainReply(
            thinking=True,
            text=f"I thought it over:\n\n{quoted(subject)}\n\n"
            f"My conclusion: that is **{count}** word{'s' if count != 1 else ''} worth thinking about.",
        )

    def _cmd_read(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        return self._tool(request, "read", {"file_path": _need(rest, "/read <path>")})

    def _cmd_write(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        path, _, text = rest.partition(" ")
        return self._tool(request, "write", {"file_path": _need(path, "/write <path> <text>"), "content": text})

    def _cmd_edit(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        path, _, change = rest.partition(" ")
        old, arrow, new = change.partition(" => ")
        if not (path and old and arrow):
            raise _Usage("/edit <path> <old> => <new>")
        return self._tool(request, "edit", {"file_path": path, "old_string": old, "new_string": new})

    def _cmd_glob(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        return self._tool(request, "glob", {"pattern": _need(rest, "/glob <pattern>")})

    def _cmd_grep(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        words = _split(rest)
        if not words or len(words) > 2:
            raise _Usage("/grep <pattern> [path]")
        return self._tool(request, "grep", {"pattern": words[0], **({"path": words[1]} if len(words) == 2 else {})})

    def _cmd_fetch(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        return self._tool(request, "web_fetch", {"url": _need(rest, "/fetch <url>")})

    def _cmd_sleep(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        try:
            float(rest)
        except ValueError:
            raise _Usage("/sleep <seconds>") from None
        return self._tool(request, "bash", {"command": f"sleep {rest}"})

    def _cmd_custom(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        name, _, raw = rest.partition(" ")
        if not name:
            raise _Usage("/custom <tool> [json]")
        if request.tool(name, "custom") is None:
            defined = ", ".join(f"`{spec.name}`" for spec in request.tools if spec.kind == "custom") or "none"
            return BrainReply(text=f"This agent has no custom tool called `{name}`. Its custom tools: {defined}.")
        return BrainReply(tool_uses=[ToolUse(name, _json(raw, "/custom <tool> [json]"), "custom")])

    def _cmd_mcp(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        server, _, rest = rest.partition(" ")
        name, _, raw = rest.strip().partition(" ")
        if not server:
            raise _Usage("/mcp <server> [<tool> [json]]")
        if not name:
            if server not in request.mcp_catalog:
                names = ", ".join(f"`{n}`" for n in request.mcp_catalog) or "none"
                return BrainReply(text=f"This agent has no MCP server called `{server}`. Its MCP servers: {names}.")
            return BrainReply(text=f"## Tools of MCP server `{server}`\n\n{_server_tools(request, server)}")
        offered = [spec for spec in request.tools if spec.kind == "mcp" and spec.mcp_server_name == server]
        if not any(spec.name in (name, "*") for spec in offered):
            return BrainReply(text=f"This agent has no enabled tool `{name}` on an MCP server called `{server}`.")
        use = ToolUse(name, _json(raw, "/mcp <server> <tool> [json]"), "mcp", mcp_server_name=server)
        return BrainReply(tool_uses=[use])

    def _cmd_tools(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        builtin = ", ".join(f"`{spec.name}`" for spec in request.tools if spec.kind == "builtin") or "none"
        custom = [spec for spec in request.tools if spec.kind == "custom"]
        lines = [f"**Built-in:** {builtin}.", "", "**Custom:**" + ("" if custom else " none.")]
        lines += [f"- `{spec.name}`" + (f": {spec.description}" if spec.description else "") for spec in custom]
        for server in request.mcp_catalog:
            lines += ["", f"**MCP server `{server}`:**", _server_tools(request, server)]
        if not request.mcp_catalog:
            lines += ["", "**MCP servers:** none."]
        return BrainReply(text="## My tools\n\n" + "\n".join(lines))

    def _cmd_remember(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        text = _need(rest, "/remember <text>")
        writable = [m for m in memory_tool.attached(request.session) if m.get("access") != "read_only"]
        if request.tool(memory_tool.NAME) is None or not writable:
            return BrainReply(text="No writable memory store is attached to this session, so I can't remember that.")
        path = f"{writable[0]['mount_path']}/remembered/{slug(text)[:60]}.md"
        return BrainReply(tool_uses=[ToolUse(memory_tool.NAME, {"command": "create", "path": path, "file_text": text})])

    def _cmd_recall(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        query = _need(rest, "/recall <query>")
        if request.tool(memory_tool.NAME) is None:
            return BrainReply(text="No memory store is attached to this session, so I have nothing to recall.")
        return BrainReply(tool_uses=[ToolUse(memory_tool.NAME, {"command": "search", "query": query})])

    def _cmd_error(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        words = rest.split()
        if not words:
            raise _Usage("/error <kind> [retrying|exhausted|terminal]")
        kind, status = words[0].lower(), (words[1].lower() if len(words) > 1 else None)
        if kind == "exhausted":
            error = BrainError("model_overloaded_error", "Overloaded (every retry will fail too)", "retrying")
            return BrainReply(error=error)
        if kind == "terminal":
            kind, status = "unknown", status or "terminal"
        if kind not in ERROR_KINDS or status not in (None, "retrying", "exhausted", "terminal"):
            kinds = ", ".join(f"`{k}`" for k in ERROR_KINDS)
            return BrainReply(
                text=f"Error kinds: {kinds}, `exhausted`, `terminal`; "
                "then optionally `retrying`, `exhausted` or `terminal`."
            )
        error_type, default = ERROR_KINDS[kind]
        status = status or default
        if status == "retrying" and turn.failures:
            attempts = f"{turn.failures} failed attempt{'s' if turn.failures > 1 else ''}"
            return BrainReply(text=f"Recovered from `{error_type}` after {attempts}.")
        details = _error_details(error_type, request)
        return BrainReply(error=BrainError(error_type, f"Simulated {error_type} (offline model)", status, details))

    def _cmd_delegate(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        name, _, message = rest.partition(" ")
        if not (name and message.strip()):
            raise _Usage("/delegate <agent> <message>")
        names = [agent["name"] for agent in roster(request.agent)]
        if not names:
            return BrainReply(
                text="I have no agents to delegate to: `/delegate` works for an agent with a `multiagent` roster."
            )
        if name not in names:
            listed = ", ".join(f"`{n}`" for n in names)
            return BrainReply(text=f"`{name}` is not in my roster. I can delegate to: {listed}.")
        return BrainReply(delegations=[(name, message.strip())])

    def _revise(self, turn: Turn) -> BrainReply:
        """After a grading: the next revision (adding the first text each grading found missing),
        or, once the iterations are used up, an acknowledgment."""
        last = turn.evaluations[-1]
        if last.get("result") != "needs_revision":
            missing = missing_from(last.get("explanation", ""))
            listed = "\n".join(f"- {text}" for text in missing) or "- (nothing listed)"
            count = len(turn.evaluations)
            return BrainReply(
                text=f"I could not satisfy the rubric in {count} iteration{'s' if count != 1 else ''}. "
                f"Still missing:\n\n{listed}"
            )
        added = []
        for evaluation in turn.evaluations:
            first = missing_from(evaluation.get("explanation", ""))[:1]
            added += [text for text in first if text not in added]
        lines = "\n".join(f"- {text}" for text in added)
        revision = len(turn.evaluations)
        return BrainReply(
            text=f"Revision {revision} of my answer to:\n\n{quoted(turn.prompt)}\n\n"
            f"I added what the grader found missing:\n\n{lines}"
        )

    def _relay(self, turn: Turn) -> BrainReply:
        answer = turn.answers[-1]
        name = answer.get("from_agent_name") or "the agent"
        return BrainReply(text=f"`{name}` answered:\n\n{quoted(text_of(answer.get('content')))}")

    def _cmd_long(self, rest: str, turn: Turn, request: BrainRequest) -> BrainReply:
        try:
            sections = max(1, min(int(rest or 3), MAX_LONG_SECTIONS))
        except ValueError:
            raise _Usage("/long [sections]") from None
        return BrainReply(text=long_answer(sections))

    # ------------------------------------------------------------------ after a tool result

    def _report(self, turn: Turn, request: BrainRequest) -> BrainReply:
        result = turn.results[-1]
        use_id = result.get(RESULT_KEYS[result["type"]])
        use: dict[str, Any] = next((u for u in turn.uses if u["id"] == use_id), {"name": "tool", "input": {}})
        text, failed = text_of(result.get("content")), bool(result.get("is_error"))
        name = use["name"]
        if use.get("type") == "agent.custom_tool_use":
            verdict = "reported an error" if failed else "returned"
            return BrainReply(text=f"Your tool `{name}` {verdict}:\n\n{fenced(_clip(text))}")
        if name == "bash" and use.get("type") == "agent.tool_use":
            return BrainReply(text=_bash_report(use["input"].get("command", ""), text, failed))
        if name == memory_tool.NAME and not failed:
            return BrainReply(text=_memory_report(use["input"], text))
        subject = next(iter(use.get("input", {}).values()), "") if use.get("input") else ""
        label = f"`{name}`" + (f" on `{subject}`" if isinstance(subject, str) and subject else "")
        if failed:
            return BrainReply(text=f"{label} failed:\n\n{fenced(_clip(text))}")
        return BrainReply(text=f"{label} returned:\n\n{fenced(_clip(text))}")

    # ------------------------------------------------------------------ usage

    @staticmethod
    def _usage(request: BrainRequest, turn: Turn, reply: BrainReply) -> dict[str, int]:
        """Token counts derived from text lengths: the system prompt and tools are the cached
        prefix (written on the session's first request, read after)."""
        prefix = tokens(request.agent.get("system") or "") + 20 * len(request.tools)
        context = sum(
            tokens(text_of(event.get("content")) + json.dumps(event.get("input", ""))) for event in request.events
        )
        said = (reply.text or "") + "".join(json.dumps(use.input) for use in reply.tool_uses)
        output = 0 if reply.error else tokens(said) + (32 if reply.thinking else 0) + 1
        return model_usage(
            input_tokens=context + 8,
            output_tokens=output,
            cache_creation_input_tokens=prefix if turn.first_request else 0,
            cache_read_input_tokens=0 if turn.first_request else prefix,
        )


class _Usage(Exception):
    """A command given the wrong arguments; the message is its usage line."""


def _need(value: str, usage: str) -> str:
    if not value:
        raise _Usage(usage)
    return value


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _json(raw: str, usage: str) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        raise _Usage(f"{usage} (the input must be a JSON object)") from None
    if not isinstance(value, dict):
        raise _Usage(f"{usage} (the input must be a JSON object)")
    return value


def _server_tools(request: BrainRequest, server: str) -> str:
    """MCP server ``server``'s tools as a markdown list (those the agent may not call marked),
    or why they are unknown."""
    listed = request.mcp_catalog[server]
    if isinstance(listed, str):
        return f"unavailable: {listed}"
    if not listed:
        return "no tools."
    offered = {spec.name for spec in request.tools if spec.kind == "mcp" and spec.mcp_server_name == server}
    lines = []
    for tool in listed:
        off = "" if offered & {tool["name"], "*"} else " (not enabled for this agent)"
        lines.append(f"- `{tool['name']}`{off}" + (f": {tool['description']}" if tool["description"] else ""))
    return "\n".join(lines)


def _error_details(error_type: str, request: BrainRequest) -> dict[str, Any]:
    """The extra fields an error type carries."""
    if error_type.startswith("mcp_"):
        servers = [spec.mcp_server_name for spec in request.tools if spec.kind == "mcp"]
        return {"mcp_server_name": servers[0] if servers else "example"}
    if error_type == "credential_host_unreachable_error":
        return {"credential_id": "vcrd_offline", "vault_id": "vlt_offline"}
    if error_type.startswith("repository_"):
        return {"repository_url": "https://github.com/example/offline"}
    return {}


def _memory_report(input: dict[str, Any], text: str) -> str:
    if input.get("command") == "create":
        return f"I'll remember that (saved to `{input.get('path')}`)."
    if input.get("command") == "search":
        if text == memory_tool.NO_MATCH:
            return f"I don't remember anything about *{input.get('query')}*."
        return f"Here's what I remember about *{input.get('query')}*:\n\n{fenced(_clip(text))}"
    return f"`memory` {input.get('command')} returned:\n\n{fenced(_clip(text))}"


def _bash_report(command: str, output: str, failed: bool) -> str:
    code = "0"
    if failed:
        match = re.search(r"exit code (\d+)\s*\Z", output)
        if match is None:
            return f"`{command}` did not complete:\n\n{fenced(_clip(output))}"
        code = match.group(1)
        output = output[: match.start()]
    shown = output.strip("\n") or "(no output)"
    return f"`{command}` exited with code **{code}**:\n\n{fenced(_clip(shown))}"


def long_answer(sections: int) -> str:
    """A long, deterministic markdown answer of ``sections`` sections."""
    parts = ["# A long answer", "", "This answer exists to exercise streaming and rendering of long markdown."]
    for n in range(1, sections + 1):
        parts += [
            "",
            f"## Section {n}",
            "",
            f"Paragraph {n} explains a point in *plain* words, with **emphasis**, `inline code` "
            f"and a [link](https://example.com/{n}).",
            "",
            f"- item {n}.1: a short bullet",
            f"- item {n}.2: another bullet",
            "  1. a nested step",
            "  2. and another",
            "",
            "```python",
            f"def section_{n}(x: int) -> int:",
            f'    """Return x times {n}."""',
            f"    return x * {n}",
            "```",
            "",
            "| n | square | cube |",
            "|---:|---:|---:|",
            *(f"| {k} | {k * k} | {k**3} |" for k in range(n, n + 3)),
        ]
    parts += ["", "> That is all: every section above is generated, the same every time."]
    return "\n".join(parts)
