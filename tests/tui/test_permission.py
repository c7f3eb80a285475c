"""The permission prompt on its own: what it shows, its keys and buttons, and what it posts."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button, Checkbox, Input

from app.api.transcript_blocks import CustomToolCallBlock, ToolCallBlock
from app.styles import stylesheets
from app.tui.chat.permission import SUMMARY_CHARS, PermissionPrompt, input_summary
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import screen_text, wait_for


def asking(command: str = "rm -rf build", **fields) -> ToolCallBlock:
    return ToolCallBlock("sevt_1", "bash", {"command": command}, permission="ask", **fields)


class PromptApp(App):
    """Only a PermissionPrompt, showing ``call`` from the start (focused if asked); records the answers it posts."""

    CSS_PATH = stylesheets()

    def __init__(self, call: ToolCallBlock | CustomToolCallBlock | None = None, *, focused: bool = False) -> None:
        super().__init__()
        self.call = call
        self.focused_on_mount = focused
        self.answers: list[tuple[str, bool, str | None]] = []

    def compose(self) -> ComposeResult:
        yield PermissionPrompt()

    def on_mount(self) -> None:
        self.prompt.show(self.call)
        if self.focused_on_mount:
            self.prompt.focus()

    @property
    def prompt(self) -> PermissionPrompt:
        return self.query_one(PermissionPrompt)

    def on_permission_prompt_answered(self, event: PermissionPrompt.Answered) -> None:
        self.answers.append((event.call.id, event.allow, event.message))


def test_the_prompt_summary_is_the_tool_lines_cut_to_its_width():
    assert input_summary(asking("ls  -la\n  /tmp"), SUMMARY_CHARS) == "ls -la /tmp"
    assert input_summary(ToolCallBlock("x", "read", {"file_path": "a.py", "limit": 3}), SUMMARY_CHARS) == "a.py"
    assert input_summary(ToolCallBlock("x", "grep", {"pattern": "TODO", "path": "src"}), SUMMARY_CHARS) == "TODO in src"
    assert input_summary(CustomToolCallBlock("x", "lookup", {"q": 1}), SUMMARY_CHARS) == '{"q":1}'
    summary = input_summary(asking("x" * 500), SUMMARY_CHARS)
    assert len(summary) == SUMMARY_CHARS and summary.endswith("…")


async def test_hidden_without_a_call_and_shows_tool_and_input_verbatim():
    app = PromptApp()
    async with app.run_test(size=TERMINAL) as pilot:
        prompt = app.prompt
        prompt.show(None)
        await pilot.pause()
        assert not prompt.display
        prompt.show(asking("echo '[/] list[int]'"), more=2)
        await pilot.pause()
        screen = screen_text(app)
        assert "bash asks to run: echo '[/] list[int]'" in screen and "(2 more waiting)" in screen


async def test_y_allows_and_the_buttons_wait_for_the_transcript():
    app = PromptApp(asking(), focused=True)
    async with app.run_test(size=TERMINAL) as pilot:
        prompt = app.prompt
        await pilot.press("y")
        assert app.answers == [("sevt_1", True, None)]
        assert prompt.waiting and all(button.disabled for button in prompt.query(Button))
        await pilot.press("y", "n")  # nothing more until the transcript moves on
        assert len(app.answers) == 1 and "sending…" in screen_text(app)
        prompt.show(None)
        prompt.show(asking())  # a new call: answerable again
        assert not prompt.waiting


async def test_n_opens_the_deny_message_enter_sends_it_and_esc_cancels():
    app = PromptApp(asking(), focused=True)
    async with app.run_test(size=TERMINAL) as pilot:
        prompt = app.prompt
        await pilot.press("n")
        message = prompt.query_one(Input)
        assert message.display and message.has_focus
        await pilot.press(*"nope", "escape")
        assert not message.display and message.value == "" and prompt.has_focus and app.answers == []
        await pilot.press("n", *"too risky", "enter")
        assert app.answers == [("sevt_1", False, "too risky")]


async def test_the_buttons_answer_by_mouse():
    app = PromptApp(asking())
    async with app.run_test(size=TERMINAL) as pilot:
        prompt = app.prompt
        await pilot.click("#prompt-deny")
        assert prompt.query_one(Input).display
        deny = prompt.query_one("#prompt-deny", Button)
        # a button ignores clicks while it still shows the previous one
        await wait_for(pilot, lambda: not deny.has_class("-active"), "the button to be ready")
        await pilot.click("#prompt-deny")  # a second deny sends it with no message
        await pilot.pause()
        assert app.answers == [("sevt_1", False, None)]
        prompt.show(ToolCallBlock("sevt_2", "bash", {"command": "ls"}, permission="ask"))
        await pilot.pause()
        await pilot.click("#prompt-allow")
        await pilot.pause()
        assert app.answers[-1] == ("sevt_2", True, None)


async def test_a_custom_call_points_at_the_composer_with_an_error_checkbox():
    app = PromptApp(CustomToolCallBlock("sevt_3", "lookup", {"q": "milk"}))
    async with app.run_test(size=TERMINAL) as pilot:
        prompt = app.prompt
        assert prompt.custom is not None and prompt.approval is None
        assert not any(button.display for button in prompt.query(Button))
        assert "custom tool lookup wants a result: type it in the composer" in screen_text(app)
        prompt.focus()
        await pilot.press("y")
        assert app.answers == []
        await pilot.click("#prompt-error")
        assert prompt.is_error and prompt.query_one(Checkbox).value
        prompt.toggle_error()
        assert not prompt.is_error


async def test_a_sub_agents_call_is_labelled_with_its_agent_and_answered_by_its_own_id():
    call = ToolCallBlock(
        "sevt_child_use",
        "bash",
        {"command": "make test"},
        permission="ask",
        thread_id="sthr_child",
        agent_name="helper",
    )
    app = PromptApp(call, focused=True)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: "make test" in screen_text(app), "the prompt")
        assert "helper (sub-agent) · bash asks to run: make test" in screen_text(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.answers, "the answer")
        assert app.answers == [("sevt_child_use", True, None)]


async def test_a_sub_agents_call_of_an_unknown_thread_shows_the_thread_id():
    call = ToolCallBlock("sevt_x", "bash", {"command": "ls"}, permission="ask", thread_id="sthr_unknown")
    app = PromptApp(call)
    async with app.run_test(size=TERMINAL) as pilot:
        await wait_for(pilot, lambda: "thread sthr_unknown · bash asks to run: ls" in screen_text(app), "the label")
