"""Exports of a session: a readable markdown transcript, and lossless raw events with no secrets."""

from __future__ import annotations

import json

from app.api.export import fenced, render, scrub, to_json, to_jsonl, to_markdown
from app.api.models import SessionEvent, UnreadableEvent
from app.api.pagination import parse_page
from tests.conftest import load_example

TOKEN = "ghp_R3p0T0k3nThatMustNeverLeak"


def read_events(raw: list) -> list:
    """The events as the client reads them (typed models, an unreadable one in its place)."""
    import httpx

    response = httpx.Response(200, json={"data": raw, "next_page": None})
    return parse_page(response, SessionEvent, UnreadableEvent.of).data


def test_markdown_has_the_title_ids_messages_and_tool_calls_in_order():
    session, raw = load_example("session.json"), load_example("events_page.json")["data"]
    text = to_markdown(session, read_events(raw))
    assert text.startswith("# Explore tui-demo repo\n")
    assert "`sesn_011CaR7Q9wErT5yU3iOpA6sD`" in text and "repo-helper" in text
    user = text.index("### User")
    assert "How many Python files are in the repo" in text[user:]
    thinking, tool, answer = (
        text.index("> *Thinking*"),
        text.index("### Tool call: bash [ok, 0.7s]"),
        text.index("### Agent"),
    )
    assert user < thinking < tool < answer
    assert '```json\n{\n  "command": "cd /workspace/tui-demo && find' in text[tool:answer]
    assert "Result:\n\n```\n14\n" in text[tool:answer]
    assert "There are **14** Python files" in text[answer:]
    assert text.rstrip().endswith("*Status: idle (end_turn)* · " + raw[-1]["processed_at"])


def test_the_raw_formats_give_back_every_event_unknown_fields_and_unreadable_ones_included():
    raw = load_example("events_page.json")["data"]
    raw[0] = {**raw[0], "from_a_newer_api": {"kept": [1, 2]}}
    raw.insert(3, {"type": "session.error", "id": "sevt_odd", "processed_at": raw[2]["processed_at"], "error": "boom"})
    events = read_events(raw)
    assert any(isinstance(event, UnreadableEvent) for event in events)
    assert json.loads(to_json(events)) == raw
    assert [json.loads(line) for line in to_jsonl(events).splitlines()] == raw


def test_secrets_never_reach_an_export_in_any_format():
    session = {
        **load_example("session.json"),
        "resources": [
            {
                "type": "github_repository",
                "url": "https://github.com/o/r",
                "authorization_token": TOKEN,
                "mount_path": "/workspace/r",
            }
        ],
    }
    raw = load_example("events_page.json")["data"]
    raw[0] = {**raw[0], "content": [{"type": "text", "text": f"clone it with {TOKEN} please"}]}
    raw.append(
        {
            "type": "vault.credential_added",
            "id": "sevt_v",
            "processed_at": raw[-1]["processed_at"],
            "credential": {"type": "static_bearer", "token": "plain-looking-secret", "vault_id": "vlt_1"},
        }
    )
    events = read_events(raw)
    for fmt in ("markdown", "json", "jsonl"):
        text = render(fmt, session, events)
        assert TOKEN not in text and "plain-looking-secret" not in text, fmt
        assert "[redacted]" in text and "vlt_1" in text, fmt
    assert "github_repository https://github.com/o/r /workspace/r" in render("markdown", session, events)


def test_scrub_keeps_everything_else_and_fences_outlast_the_text():
    wire = {"a": [{"password": "p", "n": 1, "token": ""}], "text": "Bearer abcdefghijklmnop and sk-ant-api03-xyzxyzxyz"}
    assert scrub(wire) == {
        "a": [{"password": "[redacted]", "n": 1, "token": ""}],
        "text": "Bearer [redacted] and [redacted]",
    }
    assert fenced("a ``` b") == "````\na ``` b\n````"
