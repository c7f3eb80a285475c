"""Tool calls that need the user: always_ask confirmations, custom tools, MCP tools, auto."""

from __future__ import annotations

import pytest

from app.runtime.brain import BrainReply, ToolUse
from app.runtime.errors import RouteError
from tests.runtime.engine_support import (
    ScriptedBrain,
    confirmation,
    custom_result,
    custom_tool,
    every,
    first,
    text_of,
    toolset,
    types,
)


async def test_always_ask_waits_for_allow_then_runs_the_tool(make_harness):
    harness = await make_harness(tools=[toolset(bash="always_ask")])
    frames = await harness.turn("!echo approved > proof.txt && echo ran")
    use = first(frames, "agent.tool_use")
    assert use["evaluated_permission"] == "ask" and use["evaluation"] == {"type": "always_ask"}
    assert frames[-1]["stop_reason"] == {"type": "requires_action", "event_ids": [use["id"]]}
    assert "agent.tool_result" not in types(frames)
    assert not (harness.workspace / "proof.txt").exists()
    assert harness.session()["status"] == "idle"

    (echo,) = await harness.send(confirmation(use["id"], "allow"))
    frames = await harness.until_idle()
    assert echo["processed_at"] is not None
    assert types(frames)[:3] == ["user.tool_confirmation", "session.status_running", "session.thread_status_running"]
    assert text_of(first(frames, "agent.tool_result")).strip() == "ran"
    assert (harness.workspace / "proof.txt").read_text() == "approved\n"
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}


async def test_deny_does_not_run_the_tool_and_the_model_is_told_why(make_harness):
    harness = await make_harness(tools=[toolset(bash="always_ask")])
    frames = await harness.turn("!touch never.txt")
    use = first(frames, "agent.tool_use")
    await harness.send(confirmation(use["id"], "deny", "not on my machine"))
    frames = await harness.until_idle()
    result = first(frames, "agent.tool_result")
    assert result["tool_use_id"] == use["id"] and result["is_error"] is True
    assert "not on my machine" in text_of(result)
    assert "not on my machine" in text_of(first(frames, "agent.message"))
    assert not (harness.workspace / "never.txt").exists()
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}


async def test_a_confirmation_for_an_unknown_or_settled_tool_use_is_refused(make_harness):
    harness = await make_harness(tools=[toolset(bash="always_ask")])
    with pytest.raises(RouteError) as error:
        await harness.send(confirmation("sevt_nope", "allow"))
    assert error.value.status == 400 and error.value.type == "invalid_request_error"
    assert "sevt_nope" in error.value.message

    frames = await harness.turn("!true")
    use = first(frames, "agent.tool_use")
    with pytest.raises(RouteError):  # the same answer twice in one batch
        await harness.send(confirmation(use["id"], "allow"), confirmation(use["id"], "deny"))
    await harness.send(confirmation(use["id"], "allow"))
    await harness.until_idle()
    with pytest.raises(RouteError):  # already answered
        await harness.send(confirmation(use["id"], "allow"))


async def test_a_tool_use_that_was_allowed_cannot_be_confirmed(make_harness):
    harness = await make_harness()
    use = first(await harness.turn("!true"), "agent.tool_use")
    with pytest.raises(RouteError) as error:
        await harness.send(confirmation(use["id"], "allow"))
    assert "not a tool use waiting for confirmation" in error.value.message


async def test_custom_tool_round_trip(make_harness):
    harness = await make_harness(tools=[toolset(), custom_tool("open_in_editor")])
    frames = await harness.turn('/custom open_in_editor {"path": "app.py", "line": 3}')
    use = first(frames, "agent.custom_tool_use")
    assert use["name"] == "open_in_editor" and use["input"] == {"path": "app.py", "line": 3}
    assert frames[-1]["stop_reason"] == {"type": "requires_action", "event_ids": [use["id"]]}

    with pytest.raises(RouteError):
        await harness.send(confirmation(use["id"], "allow"))  # a custom tool is answered with its result
    (echo,) = await harness.send(custom_result(use["id"], "opened app.py:3"))
    frames = await harness.until_idle()
    assert echo["processed_at"] is not None
    assert "opened app.py:3" in text_of(first(frames, "agent.message"))
    assert "agent.tool_result" not in types(frames)
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}


async def test_a_custom_tool_result_for_an_unknown_call_is_refused(harness):
    with pytest.raises(RouteError) as error:
        await harness.send({"type": "user.custom_tool_result", "custom_tool_use_id": "sevt_nope", "content": []})
    assert error.value.status == 400 and "sevt_nope" in error.value.message


async def test_partial_answers_re_announce_what_is_left(make_harness):
    def script(request):
        if any(e["type"] == "agent.tool_result" for e in request.events):
            return BrainReply(text="both done")
        return BrainReply(tool_uses=[ToolUse("bash", {"command": f"echo {word}"}) for word in ("one", "two")])

    harness = await make_harness(tools=[toolset(bash="always_ask")], brain=ScriptedBrain(script))
    frames = await harness.turn("go")
    one, two = every(frames, "agent.tool_use")
    assert frames[-1]["stop_reason"]["event_ids"] == [one["id"], two["id"]]

    await harness.send(confirmation(two["id"], "allow"))
    frames = await harness.until_idle()
    assert frames[-1]["stop_reason"] == {"type": "requires_action", "event_ids": [one["id"]]}
    assert "agent.tool_result" not in types(frames)

    await harness.send(confirmation(one["id"], "deny"))
    frames = await harness.until_idle()
    results = {r["tool_use_id"]: r for r in every(frames, "agent.tool_result")}
    assert results[one["id"]]["is_error"] is True
    assert text_of(results[two["id"]]).strip() == "two"
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}


async def test_a_message_sent_while_waiting_is_queued_until_the_turn_ends(make_harness):
    harness = await make_harness(tools=[toolset(bash="always_ask")])
    use = first(await harness.turn("!echo a"), "agent.tool_use")
    (queued,) = await harness.say("after")
    assert queued["processed_at"] is None
    await harness.send(confirmation(use["id"], "allow"))
    frames = await harness.until(lambda f: f["type"] == "session.status_idle")
    echoes = every(frames, "user.message")
    assert [(m["id"], m["processed_at"] is None) for m in echoes] == [(queued["id"], True), (queued["id"], False)]
    assert "> after" in text_of(every(frames, "agent.message")[-1])


async def test_mcp_tools_ask_by_default_and_report_the_server_unreachable(make_harness):
    mcp = {"type": "mcp_toolset", "mcp_server_name": "linear"}
    harness = await make_harness(tools=[toolset(), mcp])
    frames = await harness.turn('/mcp linear create_issue {"title": "Fix it"}')
    use = first(frames, "agent.mcp_tool_use")
    assert use["mcp_server_name"] == "linear" and use["name"] == "create_issue"
    assert use["evaluated_permission"] == "ask" and use["evaluation"] == {"type": "always_ask"}
    await harness.send(confirmation(use["id"], "allow"))
    frames = await harness.until_idle()
    result = first(frames, "agent.mcp_tool_result")
    assert result["mcp_tool_use_id"] == use["id"] and result["is_error"] is True
    assert "linear" in text_of(result)


async def test_auto_allows_read_only_tools_and_asks_for_the_rest(make_harness):
    harness = await make_harness(tools=[toolset(default="auto")])
    (harness.workspace).mkdir(parents=True)
    (harness.workspace / "notes.txt").write_text("hello notes\n")
    frames = await harness.turn("/read notes.txt")
    use = first(frames, "agent.tool_use")
    assert use["evaluated_permission"] == "allow"
    assert use["evaluation"] == {"type": "auto", "evaluated_permission": {"type": "allow"}}
    assert "hello notes" in text_of(first(frames, "agent.tool_result"))

    frames = await harness.turn("!echo risky")
    use = first(frames, "agent.tool_use")
    assert use["evaluated_permission"] == "ask"
    assert use["evaluation"]["evaluated_permission"] == {"type": "ask", "reason_code": "high_risk"}
    assert frames[-1]["stop_reason"]["type"] == "requires_action"


async def test_a_pending_confirmation_survives_a_restart(make_harness):
    harness = await make_harness(tools=[toolset(bash="always_ask")])
    use = first(await harness.turn("!echo after restart"), "agent.tool_use")
    await harness.engine.shutdown()
    harness.restart()

    await harness.send(confirmation(use["id"], "allow"))
    frames = await harness.until_idle()
    assert text_of(first(frames, "agent.tool_result")).strip() == "after restart"
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}
