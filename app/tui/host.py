"""What a widget may ask of the agentdeck app it runs in, typed (Textual types ``node.app`` as a
plain ``App``): the app itself, and its API client once connected."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:  # the app imports the widgets that import this module; the client loads later
    from app.api.client import AgentClient
    from app.tui.app import AgentDeckApp


def deck(node: DOMNode) -> AgentDeckApp:
    """``node``'s app: agentdeck's, or a test's app that offers the same attributes."""
    return cast("AgentDeckApp", node.app)


def client_of(node: DOMNode) -> AgentClient:
    """The API client of ``node``'s app. Only actions that need the API call this, and they are
    offered once the app is connected; earlier it is a bug, said as such."""
    backend = deck(node).backend
    if backend is None:
        raise RuntimeError("the app is not connected to an API yet")
    return backend.client
