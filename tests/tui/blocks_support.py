"""Shared pieces of the transcript view tests: events as the API sends them, and a host app.

Events are wire dicts parsed with ``parse_event`` and folded by the real ``Transcript``; the view
gets the ``Changes`` exactly as the chat view hands them over.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import App, ComposeResult

from app.api.feed_state import EarlierEvents
from app.api.models.events import parse_event
from app.api.transcript import Changes, Transcript
from app.styles import stylesheets
from app.tui.chat.pacer import Pacer
from app.tui.chat.transcript_view import TranscriptView
from tests.event_builders import Events, evaluation_end, model_usage

#: A string that breaks (or vanishes in) anything that parses markup.
INJECTION = "list[int] [/] [bold]"


def mixed(events: Events) -> list[dict]:
    """One of every block kind, in a plausible order."""
    edit = {
        "file_path": "app/main.py",
        "old_string": "def f(x):\n    return x + 1\n",
        "new_string": "def f(x: int) -> int:\n    return x + 2\n",
    }
    denied = events.tool("bash", {"command": "rm -rf build"}, permission="ask")
    return [
        events.user("Tidy app/main.py please"),
        events.make("session.status_running"),
        events.make("agent.thinking"),
        events.message("## Plan\n\nFirst I **read** the file, then I fix `f`.\n\n- read\n- edit"),
        *events.tool("bash", {"command": "ls app"}, "__init__.py\nmain.py\n"),
        *events.tool("edit", edit, "Edited app/main.py"),
        *events.tool("read", {"file_path": "missing.py"}, "missing.py: no such file", is_error=True),
        *denied,
        events.deny(denied[0], "Not on the build box"),
        *events.tool("create_issue", {"title": "Fix f"}, "Created ENG-42", mcp_server="linear"),
        events.make("agent.custom_tool_use", name="open_in_editor", input={"path": "app/main.py", "line": 2}),
        events.make(
            "session.error",
            error={"type": "model_overloaded_error", "message": "Overloaded", "retry_status": {"type": "retrying"}},
        ),
        events.make(
            "span.model_request_end",
            model_request_start_id="sevt_start",
            is_error=False,
            model_usage={
                "input_tokens": 1880,
                "output_tokens": 241,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 4120,
            },
        ),
        events.make("session.status_idle", stop_reason={"type": "requires_action", "event_ids": []}),
        events.make("brand.new_event", detail={"note": "kept whole"}),
        events.user("and then the tests", queued=True),
    ]


def fold(events: list[dict], transcript: Transcript | None = None) -> tuple[Transcript, Changes]:
    """Fold wire events into ``transcript`` (a new one by default)."""
    transcript = transcript if transcript is not None else Transcript()
    return transcript, transcript.apply_many(parse_event(event) for event in events)


class TranscriptApp(App):
    """Only a TranscriptView, styled like the real app, fed as the chat view feeds it: changes are
    merged and handed over by a :class:`Pacer`; ``events`` are fed to it on mount."""

    CSS_PATH = stylesheets()

    def __init__(self, *events: dict, **view_options: Any) -> None:
        super().__init__()
        self.view_options = view_options
        self.transcript = Transcript()
        self._initial = events
        self._changes = Changes()
        self._pacer = Pacer(self, self._show)

    def compose(self) -> ComposeResult:
        yield TranscriptView(**self.view_options)

    def on_mount(self) -> None:
        if self._initial:
            self.feed(*self._initial)

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def settled(self) -> bool:
        """Every block of the transcript has its widget and the view is up to date."""
        return self.view.up_to_date and len(self.view.block_widgets) == len(self.transcript)

    def feed(self, *events: dict) -> Changes:
        """Fold events; the view shows the changes at the pacer's next run."""
        _, changes = fold(list(events), self.transcript)
        self._changes.merge(changes)
        self._pacer.wake()
        return changes

    def feed_earlier(self, *events: dict) -> None:
        """Fold history older than everything fed so far, as a feed reading newest first hands it over."""
        self._changes.merge(self.transcript.apply_feed([EarlierEvents(tuple(parse_event(e) for e in events))]))
        self._pacer.wake()

    def _show(self) -> bool:
        changes, self._changes = self._changes, Changes()
        return self.view.apply(self.transcript, changes)

    @on(TranscriptView.Behind)
    def _behind(self) -> None:
        self._pacer.wake()


CHILD = "sthr_test_helper"
OUTCOME_ID = "outc_test_changelog"
_EVAL = {"outcome_id": OUTCOME_ID, "usage": model_usage(2100, 180)}


def delegation(events: Events) -> list[dict]:
    """A multi-agent turn: an outcome, a delegation to a helper and its answer, two evaluations,
    a workflow run, a context compaction and a session update."""
    first_eval = events.make("span.outcome_evaluation_start", outcome_id=OUTCOME_ID, iteration=0)
    second_eval = events.make("span.outcome_evaluation_start", outcome_id=OUTCOME_ID, iteration=1)
    return [
        events.user("Write the CHANGELOG entry for the resize fix"),
        events.make(
            "user.define_outcome",
            description="A CHANGELOG entry for the resize fix",
            rubric={"type": "text", "content": "Mentions the bug, the fix and the version."},
            max_iterations=3,
            outcome_id=OUTCOME_ID,
        ),
        events.make("session.status_running"),
        events.make("session.thread_created", session_thread_id=CHILD, agent_name="helper"),
        events.make(
            "agent.thread_message_sent",
            to_session_thread_id=CHILD,
            content=[{"type": "text", "text": "Find the commit that fixed **resize** and its `version`."}],
        ),
        events.make(
            "agent.thread_message_received",
            from_session_thread_id=CHILD,
            from_agent_name="helper",
            content=[
                {"type": "text", "text": "Commit `a1b2c3`, released in **2.4.1**:\n\n- fixes SIGWINCH\n- adds a test"}
            ],
        ),
        events.message("Here is the entry: *Fixed resizing (2.4.1).*"),
        first_eval,
        events.make(
            "span.outcome_evaluation_end",
            **evaluation_end(
                first_eval["id"], 0, "needs_revision", "The entry does not say what the bug was.", **_EVAL
            ),
        ),
        events.make("agent.thread_context_compacted"),
        events.make(
            "workflow_run.created",
            workflow_run_id="wfrun_test",
            name="release-notes",
            phases=[{"id": "p1", "name": "collect"}, {"id": "p2", "name": "publish"}],
        ),
        events.make("workflow_run.phase_started", workflow_run_id="wfrun_test", workflow_run_phase_id="p1"),
        second_eval,
        events.make(
            "span.outcome_evaluation_end",
            **evaluation_end(second_eval["id"], 1, "satisfied", "Names the bug, the fix and 2.4.1.", **_EVAL),
        ),
        events.make("session.updated", title="CHANGELOG for 2.4.1"),
    ]
