"""Each private part of Textual that ``app.tui.textual_private`` wraps still means what agentdeck
relies on: an upgrade of Textual that changes one fails here, by name."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from app.tui.textual_private import (
    FooterKey,
    anchor_released,
    class_bindings,
    follow_again,
    keymap_keys,
    node_bindings,
)


class Base(Static):
    BINDINGS = [Binding("a", "one", "One", id="demo.one")]


class Derived(Base):
    BINDINGS = [Binding("b", "two", "Two", id="demo.two")]


class Demo(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="log"):
            yield from (Static(f"line {n}") for n in range(200))
        yield Derived("derived")
        yield Footer()


def keys(bindings) -> set[str]:
    return {binding.key for _, binding in bindings}


async def test_bindings_of_a_node_and_of_a_class() -> None:
    async with Demo().run_test() as pilot:
        derived = pilot.app.query_one(Derived)
        assert keys(node_bindings(derived)) >= {"a", "b"}  # its own and its base's
        assert keys(class_bindings(Derived)) >= {"a", "b"}
        assert "b" not in keys(class_bindings(Base))


async def test_the_keymap_names_the_remapped_keys() -> None:
    async with Demo().run_test() as pilot:
        pilot.app.set_keymap({"demo.one": "ctrl+k,f9"})
        assert keymap_keys(pilot.app, "demo.one") == "ctrl+k,f9"
        assert keymap_keys(pilot.app, "demo.two") is None


async def test_an_anchored_view_scrolled_by_the_user_is_released_and_can_follow_again() -> None:
    async with Demo().run_test(size=(40, 10)) as pilot:
        log = pilot.app.query_one("#log", VerticalScroll)
        log.anchor()
        await pilot.pause()
        assert not anchor_released(log)
        log.scroll_home(animate=False)  # as the user does: releases the anchor
        await pilot.pause()
        assert anchor_released(log) and log.scroll_y == 0
        log.anchor(False)  # as the transcript does while newer blocks are not mounted
        follow_again(log)
        await log.mount(Static("new line"))
        await pilot.pause()
        assert log.scroll_y == 0  # no jump back to the end by itself...
        log.scroll_end(animate=False)
        await pilot.pause()
        await log.mount(Static("another"))
        await pilot.pause()
        assert log.scroll_y == log.max_scroll_y > 0  # ...and, once at the end, it follows again


async def test_the_footer_shows_its_keys_as_footer_keys_with_a_compact_setting() -> None:
    async with Demo().run_test() as pilot:
        await pilot.pause()
        shown = list(pilot.app.query(FooterKey))
        assert shown and all(isinstance(key.compact, bool) for key in shown)
