"""The help screen lists every binding, from the live classes; every binding of app.tui has an id."""

from __future__ import annotations

from textual.widgets import DataTable

from app.tui.app import AgentDeckApp
from app.tui.bindings import declared_bindings, known_binding_ids, tui_classes
from app.tui.screens.help import HelpScreen
from tests.tui.conftest import TERMINAL
from tests.tui.pilot_support import wait_for


def test_every_binding_in_app_tui_has_an_id():
    missing = [
        f"{cls.__module__}.{cls.__qualname__}: {binding.key} -> {binding.action}"
        for cls in tui_classes()
        for binding in declared_bindings(cls)
        if not binding.id
    ]
    assert not missing


def test_binding_ids_are_unique_per_binding():
    """One id names one binding (several keys of one binding share it), so a remap is unambiguous."""
    owners: dict[str, set[tuple[str, str]]] = {}
    for cls in tui_classes():
        for binding in declared_bindings(cls):
            owners.setdefault(binding.id, set()).add((cls.__qualname__, binding.action))
    assert {bid: found for bid, found in owners.items() if len(found) > 1} == {}


async def test_help_lists_every_binding_with_its_keys(settings):
    app = AgentDeckApp(settings)
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        rows = [row for section in app.screen.sections for row in section.rows]
        assert {row.id for row in rows} == known_binding_ids()
        assert all(row.keys and row.description for row in rows)
        keys = {row.id: row.keys for row in rows}
        assert keys["app.help"] == "? / f1"
        assert keys["app.quit"] == "q"
        assert keys["environments.new"] == "n"
        titles = [section.title for section in app.screen.sections]
        assert titles[:3] == ["Everywhere", "Main screen", "Environments pane"]
        assert "Confirm screen" in titles and "Environment form" in titles  # screens that are not open
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(rows) + len(titles)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help on F1")
        await pilot.press("q")  # closes help, does not quit
        assert not isinstance(app.screen, HelpScreen) and app.is_running
