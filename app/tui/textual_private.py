"""The private parts of Textual (8.2.8) that agentdeck relies on, each where no public API serves.

Everything else in ``app.tui`` uses Textual's public API only. ``tests/tui/test_textual_private.py``
checks each of these against the installed Textual, so an upgrade that changes one fails there, by
name, instead of somewhere in the chat or the help screen.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets._footer import FooterKey  # the footer's key widget; Textual exports only Footer

__all__ = ["FooterKey", "anchor_released", "class_bindings", "follow_again", "keymap_keys", "node_bindings"]


def node_bindings(node: DOMNode) -> BindingsMap:
    """A live node's own bindings, before the keymap (``active_bindings`` holds only the focus
    chain's, and after it)."""
    return node._bindings


def class_bindings(node_type: type[DOMNode]) -> BindingsMap:
    """The bindings a node class has, its bases' included, as Textual merges them."""
    return node_type._merge_bindings()


def keymap_keys(app: App[Any], binding_id: str) -> str | None:
    """The keys the app's keymap gives ``binding_id`` ("ctrl+k,f9"), if it remaps it. Textual applies
    the keymap only to the copies it makes at each key press, never to a node's bindings."""
    return app._keymap.get(binding_id)


def anchor_released(widget: Widget) -> bool:
    """The user scrolled an anchored ``widget`` away from its end (Textual keeps this flag private)."""
    return widget._anchor_released


def follow_again(widget: Widget) -> None:
    """Anchor ``widget`` as Textual does after a released anchor is scrolled back to the end: it
    follows new content again, without the jump to the end that ``anchor()`` makes."""
    widget._anchored = True
    widget._anchor_released = True
