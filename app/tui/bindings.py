"""Key bindings: the catalogue of every binding with an id, read from the live classes.

Every binding in ``app.tui`` carries a stable ``id`` ("environments.new", "app.quit" ...). Nothing
here copies them: :func:`binding_sections` reads the app's and its widgets' live ``BINDINGS`` (the
help screen shows them, with the keys of the app's keymap), and :func:`known_binding_ids` is what
the config file's ``[keys]`` table (binding id -> key or "key1,key2") is checked against.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from app.tui.textual_private import class_bindings, keymap_keys, node_bindings


@dataclass(frozen=True)
class BindingRow:
    """One binding as the help screen shows it: keys as displayed (after the keymap), what it does, its id."""

    keys: str
    description: str
    id: str


@dataclass(frozen=True)
class BindingSection:
    """The bindings of one app, screen or widget class, under a readable title."""

    title: str
    rows: tuple[BindingRow, ...]


def section_title(node_type: type[DOMNode]) -> str:
    """``BINDING_GROUP_TITLE`` if the class sets one, else its name in words ("Environments pane")."""
    if node_type.BINDING_GROUP_TITLE:
        return node_type.BINDING_GROUP_TITLE
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", node_type.__name__)
    return " ".join(words).capitalize()


def tui_classes() -> list[type[DOMNode]]:
    """Every app, screen and widget class defined in ``app.tui`` (importing its modules first)."""
    import app.tui

    for module in pkgutil.walk_packages(app.tui.__path__, "app.tui."):
        importlib.import_module(module.name)
    found: list[type[DOMNode]] = []
    pending = [DOMNode]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("app.tui.") and sub not in found:
                found.append(sub)
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


def declared_bindings(node_type: type[DOMNode]) -> list[Binding]:
    """The bindings a class declares itself (not those it inherits), each key on its own."""
    return [binding for _, binding in BindingsMap(node_type.__dict__.get("BINDINGS", []))]


def known_binding_ids() -> set[str]:
    """The id of every binding declared anywhere in ``app.tui``."""
    return {binding.id for cls in tui_classes() for binding in declared_bindings(cls) if binding.id}


def shown_keys(app: App[Any], binding: Binding) -> list[str]:
    """How ``binding``'s keys show after the config file's keymap. Textual applies the keymap only to
    the copies it makes for each key press (``Screen._binding_chain``), never to a node's
    ``_bindings``, so the remapping is looked up here."""
    remapped = keymap_keys(app, binding.id) if binding.id else None
    if not remapped:
        return [app.get_key_display(binding)]
    shown: list[str] = []
    for key in remapped.split(","):
        display = app.get_key_display(binding.with_key(key.strip(), key_display=None))
        if display not in shown:
            shown.append(display)
    return shown


def _rows(app: App[Any], bindings: BindingsMap) -> tuple[BindingRow, ...]:
    """One row per binding id, its keys (remapped by the app's keymap) joined with " / "."""
    keys: dict[str, list[str]] = {}
    described: dict[str, str] = {}
    for _, binding in bindings:
        if binding.id is None:
            continue
        for shown in shown_keys(app, binding):
            if shown not in keys.setdefault(binding.id, []):
                keys[binding.id].append(shown)
        described.setdefault(binding.id, binding.description or binding.action)
    return tuple(BindingRow(" / ".join(keys[bid]), described[bid], bid) for bid in keys)


def binding_sections(app: App[Any], nodes: Iterable[DOMNode] = ()) -> list[BindingSection]:
    """Every binding with an id: the app's, then those of ``nodes`` (live instances, e.g. the mounted
    panes in screen order), then every other class of ``app.tui`` (screens not open right now)."""
    sections: list[BindingSection] = []
    seen: set[type[DOMNode]] = set()

    def add(node_type: type[DOMNode], bindings: BindingsMap) -> None:
        seen.add(node_type)
        rows = _rows(app, bindings)
        if rows:
            sections.append(BindingSection(section_title(node_type), rows))

    for node in [app, *nodes]:
        if type(node) not in seen:
            add(type(node), node_bindings(node))  # the instance's bindings, before the keymap
    for cls in tui_classes():
        if cls not in seen and not issubclass(cls, App):
            add(cls, class_bindings(cls))
    return sections
