"""Snapshots of the study views (issue 13) at the smallest and a large terminal size: the
concordance of a search, its spread, its collocates, an article's keywords and the Names tab.

Regenerate after a deliberate change with ``pytest tests/test_snap_corpus.py --snapshot-update``
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


async def footer_settled(pilot) -> None:
    """Until the footer has shown the same keys for a few frames: the keywords' list gets its
    highlight after the view is filled, and the footer fits the keys that brings a frame on
    (the picture was taken either side of it)."""
    from glossator.tui.widgets.footer import FittingFooter

    def keys() -> list[str]:
        footer = pilot.app.screen.query_one(FittingFooter)
        return [f"{getattr(child, 'description', '')}:{child.display}" for child in footer.children]

    shown, same = keys(), 0
    for _ in range(60):
        await pilot.pause(0.05)
        now = keys()
        same = same + 1 if now == shown else 0
        shown = now
        if same >= 4:
            break
    footer = pilot.app.screen.query_one(FittingFooter)
    for child in footer.children:  # fitted afresh, from every key laid out (as on a resize)
        child.display = True
    await pilot.pause(0.1)
    footer.fit()
    await pilot.pause(0.1)


def after(settle, *keys: str):
    """Search for artillery, then press ``keys``."""

    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("/", *"artillery", "enter")
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_concordance(snap_compare, settle, size):
    """The 15 lines of artillery aligned on the match, sorted by the word to its left (L1),
    the third line highlighted and its article named below."""
    assert snap_compare(
        make_app(), terminal_size=size, run_before=after(settle, "c", "h", "j", "j")
    )


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_spread(snap_compare, settle, size):
    """Each article's count, rate per 1,000 words and a strip of where artillery falls."""
    assert snap_compare(make_app(), terminal_size=size, run_before=after(settle, "c", "p"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_collocates(snap_compare, settle, size):
    """The words near artillery, shells first, with their counts left and right."""
    assert snap_compare(make_app(), terminal_size=size, run_before=after(settle, "c", "w"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_keywords_of_an_article(snap_compare, settle, size):
    """What is distinctive of the first article (K in the reader)."""

    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("K")
        await settle(pilot)
        await footer_settled(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_names_tab(snap_compare, settle, size):
    """The Names tab: people, then places, each with its mentions and the articles naming it;
    the four tabs fit the sidebar."""

    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
