"""Snapshots of the reading app's main views at the smallest and a large terminal size.

Regenerate after a deliberate change with ``pytest tests/test_snap_app.py --snapshot-update`` and
look at the report (snapshot_report.html) before committing the new SVGs.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from glossator.tui.app import make_app

pytestmark = pytest.mark.usefixtures("warm_seed_index")

SIZES = [(80, 24), (160, 48)]
IDS = ["80x24", "160x48"]


def steady(app) -> None:
    """No blinking cursor: the picture must not depend on when it is taken."""
    for widget in app.query(Input):
        widget.cursor_blink = False


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_reader(snap_compare, settle, size):
    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("j", "j", "j")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_results(snap_compare, settle, size):
    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("/", *"artillery")
        await settle(pilot)
        await pilot.press("enter", "down")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_help(snap_compare, settle, size):
    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_snap_reader_with_hits(snap_compare, settle):
    """An opened passage: the hits of the query highlighted, the overview marking them."""

    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("/", *"shells", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(160, 48), run_before=run_before)
