"""The offline model on its own: what each word of its vocabulary makes it say or call, and that
it is deterministic. (Full turns through the engine are in test_engine_*.py.)"""

from __future__ import annotations

import re

import pytest

from app.runtime import offline
from app.runtime.brain import BrainRequest, ToolSpec, make_brain
from app.runtime.offline import OfflineBrain, fenced, long_answer
from app.runtime.policy import BUILTIN_TOOLS
from tests.runtime.engine_support import custom_result

AGENT = {"name": "tester", "system": "Be brief.", "model": {"id": "claude-sonnet-4-6"}}
ALL_TOOLS = [ToolSpec(name) for name in BUILTIN_TOOLS] + [
    ToolSpec("open_in_editor", "custom"),
    ToolSpec("*", "mcp", mcp_server_name="linear"),
]


def request(*texts_or_events, tools=ALL_TOOLS) -> BrainRequest:
    events = []
    for item in texts_or_events:
        if isinstance(item, str):
            item = {"type": "user.message", "id": f"sevt_{len(events)}", "content": [{"type": "text", "text": item}]}
        events.append({"processed_at": "2026-05-02T09:21:40.112Z", "id": f"sevt_{len(events)}", **item})
    return BrainRequest(session={"id": "sesn_x"}, agent=AGENT, events=events, tools=tools)


async def reply_to(*items, tools=ALL_TOOLS):
    return await OfflineBrain().respond(request(*items, tools=tools))


def test_make_brain_picks_by_name():
    assert isinstance(make_brain(), OfflineBrain) and isinstance(make_brain("offline"), OfflineBrain)
    with pytest.raises(ValueError, match="unknown model"):
        make_brain("gpt")


async def test_plain_text_is_quoted_in_a_short_markdown_reply():
    reply = await reply_to("two\nlines")
    assert "> two\n> lines" in reply.text and "`/help`" in reply.text
    assert reply.tool_uses == [] and not reply.thinking and reply.error is None


@pytest.mark.parametrize(
    ("prompt", "name", "input"),
    [
        ("!ls -la", "bash", {"command": "ls -la"}),
        ("/sleep 2.5", "bash", {"command": "sleep 2.5"}),
        ("/read src/app.py", "read", {"file_path": "src/app.py"}),
        ("/write notes.md # Title here", "write", {"file_path": "notes.md", "content": "# Title here"}),
        (
            "/edit app.py old text => new text",
            "edit",
            {"file_path": "app.py", "old_string": "old text", "new_string": "new text"},
        ),
        ("/glob **/*.py", "glob", {"pattern": "**/*.py"}),
        ("/grep 'def main' src", "grep", {"pattern": "def main", "path": "src"}),
        ("/fetch https://example.com", "web_fetch", {"url": "https://example.com"}),
    ],
)
async def test_tool_commands_call_their_tool(prompt, name, input):
    (use,) = (await reply_to(prompt)).tool_uses
    assert (use.name, use.input, use.kind) == (name, input, "builtin")


async def test_custom_and_mcp_commands_call_those_tools():
    (custom,) = (await reply_to('/custom open_in_editor {"path": "a.py"}')).tool_uses
    assert (custom.name, custom.kind, custom.input) == ("open_in_editor", "custom", {"path": "a.py"})
    (mcp,) = (await reply_to("/mcp linear list_issues")).tool_uses
    assert (mcp.name, mcp.kind, mcp.mcp_server_name, mcp.input) == ("list_issues", "mcp", "linear", {})


async def test_calls_to_tools_the_agent_lacks_are_explained_not_made():
    assert "not enabled" in (await reply_to("!ls", tools=[])).text
    assert "no custom tool called `nope`" in (await reply_to("/custom nope")).text
    assert "no enabled tool" in (await reply_to("/mcp github x")).text


async def test_bad_arguments_get_a_usage_line():
    assert (await reply_to("/edit app.py no arrow")).text == "Usage: `/edit <path> <old> => <new>`"
    assert (await reply_to("/sleep soon")).text == "Usage: `/sleep <seconds>`"
    assert "JSON object" in (await reply_to("/custom open_in_editor [1]")).text
    assert "/nope" in (await reply_to("/nope")).text


async def test_after_a_tool_result_it_reports_the_output():
    use = {"type": "agent.tool_use", "id": "sevt_use", "name": "bash", "input": {"command": "make"}}
    output = [{"type": "text", "text": "no rule\nexit code 2"}]
    failed = {"type": "agent.tool_result", "tool_use_id": "sevt_use", "is_error": True, "content": output}
    reply = await reply_to("!make", use, failed)
    assert reply.text == "`make` exited with code **2**:\n\n```\nno rule\n```"
    custom = {"type": "agent.custom_tool_use", "id": "sevt_c", "name": "open_in_editor", "input": {}}
    answer = custom_result("sevt_c", "opened")
    assert "Your tool `open_in_editor` returned" in (await reply_to("/custom open_in_editor", custom, answer)).text


async def test_errors_fail_once_when_retried_then_recover():
    error = (await reply_to("/error overloaded")).error
    assert (error.type, error.retry_status) == ("model_overloaded_error", "retrying")
    failed_span = {"type": "span.model_request_end", "is_error": True, "model_usage": {}}
    assert "Recovered" in (await reply_to("/error overloaded", failed_span)).text
    assert (await reply_to("/error exhausted", failed_span, failed_span)).error.retry_status == "retrying"
    assert (await reply_to("/error terminal")).error.retry_status == "terminal"
    assert "Error kinds" in (await reply_to("/error whatever")).text


async def test_long_answers_have_every_markdown_construct():
    text = (await reply_to("/long 4")).text
    assert text == long_answer(4)
    assert text.count("\n## Section") == 4
    assert "```python" in text and "|---:|" in text and "\n- item" in text and "\n  1. " in text


async def test_help_shows_the_vocabulary_and_the_agents_tools():
    text = (await reply_to("/help")).text
    assert "| `!<command>` |" in text and "`open_in_editor` (custom)" in text


def test_every_command_is_documented_and_every_documented_command_exists():
    documented = set(re.findall(r"^\| `/(\w+)", offline.__doc__, re.MULTILINE))
    implemented = {name.removeprefix("_cmd_") for name in dir(OfflineBrain) if name.startswith("_cmd_")}
    assert documented == implemented


async def test_replies_and_usage_are_deterministic():
    first = await reply_to("!echo hi")
    again = await reply_to("!echo hi")
    assert first == again
    assert first.usage["output_tokens"] > 0 and first.usage["cache_creation_input_tokens"] > 0


def test_fences_outgrow_the_backticks_inside():
    assert fenced("a ``` b") == "````\na ``` b\n````"
