"""Footer: Textual's footer, rebuilt only when the keys it shows change.

Textual's footer recomposes (every key widget anew, about a frame's work) at each bindings signal,
and widgets send one whenever an action may have become available or not: at each keystroke in a
filter, at each update of a streamed chat. This one compares what it would show first.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter

from app.tui.textual_private import FooterKey

_Shown = tuple[tuple[str, Binding, bool, str], ...]


class Footer(TextualFooter):
    """A footer that recomposes only when a shown key, its description or its state changed."""

    _keys: _Shown | None = None

    def _shown(self) -> _Shown:
        """The active bindings the footer shows: each key's binding, whether enabled, its tooltip."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING if self.show_command_palette and app.ENABLE_COMMAND_PALETTE else None
        return tuple(
            (key, active.binding, active.enabled, active.tooltip)
            for key, active in self.screen.active_bindings.items()
            if active.binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        self._keys = self._shown() if self._bindings_ready else None
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # A key starts compact and is then bound to this footer's setting: each change
                # restyles it (a few milliseconds a key, a whole footer per compose). Starting it
                # with the footer's value makes both a no-op. (The palette's key stays compact.)
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._keys is not None and self.is_attached and screen is self.screen and self._shown() == self._keys:
            return
        super().bindings_changed(screen)
