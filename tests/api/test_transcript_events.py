"""The transcript remembers its events: all of them in order, the ones behind each block, and how a
streamed block streamed in (what the event inspector and the events view show)."""

from __future__ import annotations

from app.api.feed_state import EarlierEvents, FeedState
from app.api.transcript import Transcript
from tests.event_builders import idle, parsed, parsed_delta, parsed_start, text, tool_use


def ids(events) -> list[str | None]:
    return [event.id for event in events]


def test_a_tool_call_keeps_its_use_confirmation_and_result():
    t = Transcript()
    t.apply_many(
        [
            tool_use("sevt_t1", 0, permission="ask"),
            idle("sevt_i1", "requires_action", 1, event_ids=["sevt_t1"]),
            parsed("user.tool_confirmation", "sevt_c1", 2, tool_use_id="sevt_t1", result="allow"),
            parsed("agent.tool_result", "sevt_r1", 3, tool_use_id="sevt_t1", content=text("done")),
            parsed("agent.message", "sevt_m1", 4, content=text("ok")),
        ]
    )
    assert ids(t.events_of("sevt_t1")) == ["sevt_t1", "sevt_c1", "sevt_r1"]
    assert ids(t.events_of("sevt_m1")) == ["sevt_m1"]
    assert ids(t.events_of("sevt_i1")) == ["sevt_i1"]
    assert ids(t.events) == ["sevt_t1", "sevt_i1", "sevt_c1", "sevt_r1", "sevt_m1"]
    assert t.event("sevt_r1").tool_use_id == "sevt_t1" and t.event("sevt_nope") is None


def test_an_interrupt_and_a_turn_end_are_among_the_events_that_changed_a_call():
    t = Transcript()
    t.apply_many(
        [
            tool_use("sevt_t1", 0),
            parsed("user.interrupt", "sevt_x1", 1),
            parsed("agent.tool_result", "sevt_r1", 2, tool_use_id="sevt_t1", content=text("killed"), is_error=True),
        ]
    )
    assert ids(t.events_of("sevt_t1")) == ["sevt_t1", "sevt_x1", "sevt_r1"]
    assert ids(t.events_of("sevt_x1")) == ["sevt_x1"]


def test_an_answer_before_its_call_moves_to_the_call():
    t = Transcript()
    t.apply(parsed("agent.tool_result", "sevt_r1", 1, tool_use_id="sevt_t1", content=text("early")))
    assert ids(t.events_of("sevt_r1")) == ["sevt_r1"]
    t.apply(tool_use("sevt_t1", 0))
    assert ids(t.events_of("sevt_t1")) == ["sevt_t1", "sevt_r1"]
    assert t.events_of("sevt_r1") == [], "its own block is gone"


def test_earlier_history_puts_its_events_first_and_its_call_takes_answers_read_before():
    t = Transcript()
    t.apply_many(
        [
            parsed("agent.tool_result", "sevt_r1", 3, tool_use_id="sevt_t1", content=text("out")),
            parsed("agent.message", "sevt_m2", 4, content=text("later")),
        ]
    )
    older = (
        parsed("user.message", "sevt_u1", 0, content=text("hi")),
        parsed("span.model_request_start", "sevt_s1", 1),
        tool_use("sevt_t1", 2),
    )
    t.apply_feed([EarlierEvents(older)])
    assert ids(t.events) == ["sevt_u1", "sevt_s1", "sevt_t1", "sevt_r1", "sevt_m2"]
    assert ids(t.events_of("sevt_t1")) == ["sevt_t1", "sevt_r1"]
    assert t.events_of("sevt_s1") == [], "a model request start makes no block, yet it is listed"


def test_a_redelivered_event_is_kept_once_as_its_newest_version():
    t = Transcript()
    t.apply(parsed("user.message", "sevt_u1", None, content=text("queued")))
    t.apply(parsed("user.message", "sevt_u1", 5, content=text("queued")))
    [event] = t.events
    assert event.processed_at is not None and ids(t.events_of("sevt_u1")) == ["sevt_u1"]


def test_an_event_without_an_id_is_listed_under_its_block_id():
    t = Transcript()
    t.apply({"type": "brand.new", "processed_at": None})
    [block] = t.blocks
    assert block.id.startswith("~") and t.event(block.id).type == "brand.new"
    assert [e.type for e in t.events_of(block.id)] == ["brand.new"]


def test_a_streamed_message_counts_its_deltas_on_the_client_clock():
    now = [100.0]
    feed, t = FeedState(clock=lambda: now[0]), Transcript()
    feed.apply(parsed_start("sevt_a1"))
    for fragment in ("Hel", "lo", ", you"):
        feed.apply(parsed_delta("sevt_a1", fragment))
        now[0] += 0.5
    t.apply_feed(feed.take())
    streaming = t.streamed("sevt_a1")
    assert streaming.deltas == 3 and streaming.seconds is None, "still streaming"
    feed.apply(parsed_delta("sevt_a1", "!"))
    now[0] += 0.25
    feed.apply(parsed("agent.message", "sevt_a1", 9, content=text("Hello, you!")))
    t.apply_feed(feed.take())
    done = t.streamed("sevt_a1")
    assert done.deltas == 4 and done.seconds == 1.75
    assert ids(t.events_of("sevt_a1")) == ["sevt_a1"]


def test_a_message_from_history_did_not_stream_and_a_dropped_preview_leaves_nothing():
    feed, t = FeedState(clock=lambda: 1.0), Transcript()
    feed.apply(parsed("agent.message", "sevt_a1", 0, content=text("whole")))
    feed.apply(parsed_start("sevt_a2"))
    feed.apply(parsed_delta("sevt_a2", "half"))
    t.apply_feed(feed.take())
    assert t.streamed("sevt_a1") is None and t.streamed("sevt_a2").deltas == 1
    feed.drop_open_previews()
    t.apply_feed(feed.take())
    assert t.get("sevt_a2") is None and t.streamed("sevt_a2") is None
