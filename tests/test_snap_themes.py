"""Snapshots of the sidebar's Themes tab at the smallest and a large terminal size.

Regenerate after a deliberate change with ``pytest tests/test_snap_themes.py --snapshot-update``
and look at the report (snapshot_report.html) before committing the new SVGs.
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
def test_snap_themes_tab(snap_compare, settle, size):
    """The curated and discovered themes, each with its passages and its bar across the
    articles; the second theme highlighted (its description shown even when room is short)."""

    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("2", "down")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
