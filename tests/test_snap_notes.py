"""Snapshots of notes: the reader with its marks and the note panel, and the Notes tab (with an
orphan), at the smallest and a large terminal size.

The notes are made with the store before the app starts, with fixed text; no time is shown
anywhere, and their order follows the order they were made in. Regenerate after a deliberate
change with ``pytest tests/test_snap_notes.py --snapshot-update`` and look at the pictures.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from glossator.index.anchor import Selector
from glossator.index.library import Library
from glossator.index.notes import NoteStore
from glossator.tui.app import make_app

pytestmark = pytest.mark.usefixtures("warm_seed_index")

SIZES = [(80, 24), (160, 48)]
IDS = ["80x24", "160x48"]


def steady(app) -> None:
    for widget in app.query(Input):
        widget.cursor_blink = False


def make_notes() -> None:
    library = Library(None)
    library.update()
    ids = [a.id for a in library.articles()]
    first, third = library.article(ids[0]), library.article(ids[2])
    with NoteStore() as store:
        store.add(library.key, first, 2, None, "Hard currency is the motive. #economy #sanctions")
        store.add(
            library.key, first, 5, 7, "Cash, food and fuel: a lifeline for the regime. #economy"
        )
        store.add(library.key, third, 3, None, "Millions of shells? Check the source. #verify")
        # An orphan: its article's text no longer holds the quote.
        store.import_note(
            library.key,
            ids[1],
            None,
            Selector("A sentence that was edited away long ago.", "", "", 0, 41),
            "Where did this go? #lost",
        )


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_reader_with_notes(snap_compare, settle, size):
    """Marks beside annotated sentences, tags in the margin, the note under the reader."""
    make_notes()

    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("j", "j")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_notes_tab(snap_compare, settle, size):
    """The Notes tab: the orphan first, then the notes grouped by article, newest first."""
    make_notes()

    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
