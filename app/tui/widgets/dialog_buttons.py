"""The row of buttons at the foot of every dialog and form: cancel on the left, the default action
on the right."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button
from textual.widgets.button import ButtonVariant


def dialog_buttons(
    ok: str | Content, ok_id: str, cancel_id: str, *, cancel: str = "Cancel", variant: ButtonVariant = "primary"
) -> Horizontal:
    """A ``dialog-buttons`` row: ``cancel`` (id ``cancel_id``), then ``ok`` (id ``ok_id``, styled ``variant``)."""
    return Horizontal(
        Button(cancel, id=cancel_id, compact=True),
        Button(ok, variant=variant, id=ok_id, compact=True),
        classes="dialog-buttons",
    )
