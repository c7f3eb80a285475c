"""Defining an outcome from the chat (ctrl+g or ``/outcome``), graded by the embedded runtime's
offline grader: a rubric whose one ``must contain:`` line the first answer misses passes on the
second iteration."""

from __future__ import annotations

import pytest

from app.api.transcript_blocks import AgentMessageBlock, OutcomeBlock, OutcomeEvaluationBlock, UserMessageBlock
from app.tui.chat.blocks import OutcomeEvaluation
from app.tui.chat.composer import Composer
from app.tui.chat.header import ChatHeader
from app.tui.chat.permission import PermissionPrompt
from app.tui.fields import FieldError
from app.tui.screens.outcome_form import OutcomeForm, check_iterations
from tests.tui.chat_support import blocks_of, open_chat, say
from tests.tui.pilot_support import screen_text, wait_for

RUBRIC = "The note is graded line by line.\nmust contain: SHIP-IT"


@pytest.fixture
def session(seed) -> dict:
    return seed.session(seed.environment(), seed.agent())


def test_iterations_default_to_three_and_stay_within_the_api_limits() -> None:
    assert check_iterations("") == 3 and check_iterations(" 20 ") == 20 and check_iterations("1") == 1
    for bad in ("0", "21", "-1", "two", "2.5"):
        with pytest.raises(FieldError):
            check_iterations(bad)


async def test_slash_outcome_opens_the_form_and_the_rubric_passes_on_the_second_iteration(settings, seed, session):
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "/outcome")
        form = await wait_for(pilot, lambda: isinstance(pilot.app.screen, OutcomeForm) and pilot.app.screen, "the form")
        assert form.query_one("#outcome-iterations").value == "3"
        assert form.query_one("#outcome-description").has_focus
        await pilot.press(*"Write a release note")
        form.query_one("#outcome-rubric").text = RUBRIC
        await pilot.click("#outcome-create")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, OutcomeForm), "the form to close")
        assert chat.query_one(Composer).text == ""  # the command was taken, not sent

        def graded() -> list[OutcomeEvaluationBlock]:
            evaluations = blocks_of(chat, OutcomeEvaluationBlock)
            return evaluations if len(evaluations) == 2 and evaluations[-1].result is not None else []

        first, second = await wait_for(pilot, graded, "two evaluations")
        assert (first.iteration, first.result) == (0, "needs_revision") and "SHIP-IT" in first.explanation
        assert (second.iteration, second.result) == (1, "satisfied")
        shown = lambda: len(chat.query(OutcomeEvaluation)) == 2 and chat.query(OutcomeEvaluation)  # noqa: E731
        widgets = await wait_for(pilot, shown, "two evaluation widgets")
        assert widgets[-1].has_class("-satisfied") and widgets[0].has_class("-needs_revision")
        assert not any(b.text == "/outcome" for b in blocks_of(chat, UserMessageBlock))
        (outcome,) = blocks_of(chat, OutcomeBlock)
        assert (outcome.description, outcome.rubric, outcome.max_iterations) == ("Write a release note", RUBRIC, 3)
        header = chat.query_one(ChatHeader)
        await wait_for(pilot, lambda: "outcome ✓ satisfied (evaluation 2/3)" in screen_text(pilot.app), "the header")
        assert header.summary.outcome.result == "satisfied"
        events = seed.http.get(f"/v1/sessions/{session['id']}/events", params={"types[]": "user.define_outcome"})
        (sent,) = events.json()["data"]
        assert sent["rubric"] == {"type": "text", "content": RUBRIC} and sent["max_iterations"] == 3


async def test_ctrl_g_opens_the_form_bad_fields_are_shown_and_nothing_typed_is_lost(settings, seed, session):
    async with open_chat(settings, session) as (pilot, chat):
        chat.query_one(Composer).insert("a draft")
        await pilot.press("ctrl+g")
        form = await wait_for(pilot, lambda: isinstance(pilot.app.screen, OutcomeForm) and pilot.app.screen, "the form")
        form.query_one("#outcome-description").value = "Do it"
        form.query_one("#outcome-iterations").value = "25"
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "a rubric is required" in text and "a whole number from 1 to 20" in text
        assert form.query_one("#outcome-rubric").has_focus  # the first bad field
        assert form.query_one("#outcome-description").value == "Do it"
        assert form.query_one("#outcome-iterations").value == "25"
        form.query_one("#outcome-description").value = "  "
        form.query_one("#outcome-rubric").text = "must contain: X"
        form.query_one("#outcome-iterations").value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "say what the agent is to achieve" in screen_text(pilot.app)
        assert form.query_one("#outcome-description").has_focus
        await pilot.press("N", "o", "w")  # editing the field takes its error away
        await pilot.pause()
        assert "say what the agent is to achieve" not in screen_text(pilot.app)
        assert form.query_one("#outcome-rubric").text == "must contain: X"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, OutcomeForm), "the form to close")
        assert chat.query_one(Composer).text == "a draft"
        assert blocks_of(chat, OutcomeBlock) == []


async def test_other_slash_text_is_still_sent_as_a_message(settings, session):
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "/outcome please")
        await wait_for(pilot, lambda: any(b.text == "/outcome please" for b in blocks_of(chat, UserMessageBlock)))
        assert not isinstance(pilot.app.screen, OutcomeForm)


async def test_the_readme_walkthrough_delegate_approve_the_childs_call_then_an_outcome(settings, seed):
    helper = seed.agent("helper", ask=("bash",))
    roster = {"type": "coordinator", "agents": [{"type": "agent", "id": helper["id"]}]}
    lead = seed.post("/v1/agents", {"name": "lead", "model": "claude-sonnet-4-6", "multiagent": roster})
    session = seed.session(seed.environment(), lead)
    async with open_chat(settings, session) as (pilot, chat):
        await say(pilot, "/delegate helper !echo hi")
        prompt = chat.query_one(PermissionPrompt)
        await wait_for(pilot, lambda: prompt.display and prompt.approval is not None, "the child's call to ask")
        await pilot.press("ctrl+o")
        quoted = lambda: any(  # noqa: E731
            b.text.startswith("`helper` answered") and "> hi" in b.text for b in blocks_of(chat, AgentMessageBlock)
        )
        await wait_for(pilot, lambda: quoted() and chat.query_one(ChatHeader).state == "idle", "the quoted answer")
        await pilot.press("ctrl+g")
        form = await wait_for(pilot, lambda: isinstance(pilot.app.screen, OutcomeForm) and pilot.app.screen, "the form")
        form.query_one("#outcome-description").value = "Write a release note"
        form.query_one("#outcome-rubric").text = "must contain: SHIP-IT"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "outcome ✓ satisfied (evaluation 2/3)" in screen_text(pilot.app), "the header")
