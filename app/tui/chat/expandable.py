"""What the transcript's expandable blocks share: one line collapsed, a body when expanded.

Tool calls and unreadable events are expandable. The transcript view selects one with ``j`` /
``k`` and expands it with enter or space (``m`` shows all of a capped body); a click on the
block toggles it and posts :class:`Expandable.Toggled`, so the view selects it too.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widget import Widget


class Expandable(Widget):
    """A block widget that expands. Subclasses render ``expanded`` and ``full`` and may override
    :meth:`clicked` (a click on the body of a capped block shows all of it, say)."""

    class Toggled(Message):
        """The user clicked the block (the transcript view selects it)."""

        def __init__(self, widget: Expandable) -> None:
            super().__init__()
            self.widget = widget

    def __init__(self, *, classes: str) -> None:
        super().__init__(classes=classes)
        self.expanded = False
        #: The whole body is shown, not only its first lines.
        self.full = False

    def toggle(self) -> None:
        """Expand or collapse."""
        self.expanded = not self.expanded
        self.set_class(self.expanded, "-expanded")
        self.refresh(layout=True)

    def show_all(self) -> None:
        """Expand, with the whole body."""
        self.expanded = self.full = True
        self.set_class(True, "-expanded")
        self.refresh(layout=True)

    def clicked(self, offset_y: int) -> None:
        """A click ``offset_y`` rows into the block's content: toggle it."""
        self.toggle()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        if self.text_selection is not None:  # the end of a drag that selected text, not a click
            return
        offset = event.get_content_offset(self)
        self.clicked(offset.y if offset is not None else 0)
        self.post_message(self.Toggled(self))
