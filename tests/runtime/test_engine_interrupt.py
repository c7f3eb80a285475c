"""user.interrupt ends the open turn, wherever it is: a running command (killed), a model request,
a streaming message, a wait for confirmation; and deleting a session stops its work too."""

from __future__ import annotations

import asyncio
import os
import random
from pathlib import Path

import pytest

from app.runtime.brain import BrainReply
from app.runtime.errors import RouteError
from tests.runtime.engine_support import (
    GUARD,
    ScriptedBrain,
    confirmation,
    every,
    first,
    message,
    text_of,
    toolset,
    types,
)

INTERRUPT = {"type": "user.interrupt"}


def sleepers(seconds: str) -> list[int]:
    """Pids of running ``sleep <seconds>`` processes."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if argv[:2] == [b"sleep", seconds.encode()] and state != "Z":
                pids.append(int(entry.name))
    return pids


async def eventually(condition) -> None:
    """Poll ``condition`` until true (the guard only stops a hang)."""
    for _ in range(int(GUARD / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition never became true")


async def test_interrupting_a_long_command_kills_it_and_idles_with_end_turn(harness):
    seconds = f"30.{random.randrange(10**6):06d}"
    await harness.say(f"/sleep {seconds}")
    await harness.until_type("agent.tool_use")
    await eventually(lambda: sleepers(seconds))

    (echo,) = await harness.send(INTERRUPT)
    assert echo["type"] == "user.interrupt" and echo["processed_at"] is not None
    frames = await harness.until_idle()

    assert frames[-1]["stop_reason"] == {"type": "end_turn"}
    result = first(frames, "agent.tool_result")
    assert result["is_error"] is True and "Interrupted" in text_of(result)
    assert "agent.message" not in types(frames)
    assert sleepers(seconds) == []
    assert harness.session()["status"] == "idle"


async def test_the_session_takes_new_work_after_an_interrupt(harness):
    await harness.say("/sleep 30")
    await harness.until_type("agent.tool_use")
    await harness.send(INTERRUPT)
    await harness.until_idle()
    frames = await harness.turn("!echo back")
    assert text_of(first(frames, "agent.tool_result")).strip() == "back"


async def test_interrupting_a_model_request_closes_its_span(make_harness):
    brain = ScriptedBrain(lambda request: BrainReply(text="never said"))
    brain.gate = asyncio.Event()
    harness = await make_harness(brain=brain)
    await harness.say("hi")
    await harness.until_type("span.model_request_start")
    await harness.send(INTERRUPT)
    frames = await harness.until_idle()
    assert first(frames, "span.model_request_end")["is_error"] is True
    assert "agent.message" not in types(frames)
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}


async def test_interrupting_a_streaming_message_sends_no_final_message(make_harness):
    harness = await make_harness(brain=ScriptedBrain(lambda request: BrainReply(text="word " * 500)))
    harness.engine.pace = 0.01
    await harness.say("talk")
    start = await harness.until_type("event_delta")
    await harness.send(INTERRUPT)
    frames = start + await harness.until_idle()
    assert "agent.message" not in types(frames)
    assert first(frames, "span.model_request_end")["is_error"] is True
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}


async def test_interrupting_a_wait_for_confirmation_ends_the_turn(make_harness):
    harness = await make_harness(tools=[toolset(bash="always_ask")])
    use = first(await harness.turn("!echo never"), "agent.tool_use")
    await harness.send(INTERRUPT)
    frames = await harness.until_idle()
    assert first(frames, "agent.tool_result")["is_error"] is True
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}
    with pytest.raises(RouteError):
        await harness.send(confirmation(use["id"], "allow"))


async def test_queued_input_is_flushed_by_an_interrupt(harness):
    await harness.say("/sleep 30")
    await harness.until_type("agent.tool_use")
    (queued,) = await harness.say("later")
    await harness.send(INTERRUPT)
    frames = await harness.until_idle()
    flushed = [f for f in every(frames, "user.message") if f["id"] == queued["id"]]
    assert flushed[-1]["processed_at"] is not None
    assert "agent.message" not in types(frames)


async def test_interrupting_an_idle_session_only_echoes(harness):
    (echo,) = await harness.send(INTERRUPT)
    assert [e["type"] for e in harness.stored()] == ["user.interrupt"]
    assert echo["processed_at"] is not None


async def test_an_interrupt_then_a_message_in_one_batch_starts_a_fresh_turn(harness):
    await harness.say("/sleep 30")
    await harness.until_type("agent.tool_use")
    await harness.send(INTERRUPT, message("next"))
    frames = await harness.until_idle()  # the interrupted turn
    assert frames[-1]["stop_reason"] == {"type": "end_turn"}
    frames = await harness.until_idle()
    assert "> next" in text_of(first(frames, "agent.message"))


async def test_deleting_a_session_kills_its_command_and_closes_its_streams(harness):
    seconds = f"31.{random.randrange(10**6):06d}"
    await harness.say(f"/sleep {seconds}")
    await harness.until_type("agent.tool_use")
    await eventually(lambda: sleepers(seconds))
    workspace = harness.workspace
    assert workspace.is_dir()

    await harness.engine.delete_session(harness.session_id)
    frames = [frame async for frame in harness.sub]
    assert types(frames)[-1] == "session.deleted"
    assert sleepers(seconds) == []
    assert harness.session() is None and not workspace.exists()
    with pytest.raises(RouteError) as error:
        await harness.say("anyone?")
    assert error.value.status == 404
    assert not os.path.exists(workspace)
