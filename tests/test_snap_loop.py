"""Snapshots of the study loop: the review screen (a card shown with its note, in cloze mode)
and the label picker over the reader (a highlight, a labelled note in the gutter), at the
smallest and a large terminal size.

The notes and labels are made with the store before the app starts, with fixed text; the card is
new, so the intervals shown are FSRS's first ones and do not depend on the day. Regenerate after
a deliberate change with ``pytest tests/test_snap_loop.py --snapshot-update`` and look at the
pictures.
"""

from __future__ import annotations

import pytest
from test_snap_notes import steady

from glossator.index.library import Library
from glossator.index.notes import NoteStore
from glossator.tui.app import make_app

pytestmark = pytest.mark.usefixtures("warm_seed_index")

SIZES = [(80, 24), (160, 48)]
IDS = ["80x24", "160x48"]


def make_study() -> None:
    library = Library(None)
    library.update()
    ids = [a.id for a in library.articles()]
    first = library.article(ids[0])
    with NoteStore() as store:
        store.add_label("claim", "red", 1)
        store.add_label("evidence", "green", 2)
        store.add_label("question", "blue", 3)
        text = "Hard #currency is the motive. See [[004 §3]]."
        find = {i[:3]: i for i in ids}
        note = store.add(
            library.key, first, 2, None, text, resolve=lambda p: library.article(find[p])
        )
        store.set_labels(note.id, ["evidence", "claim"])
        store.highlight(library.key, first, 4, 5)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_review(snap_compare, settle, size):
    """A card in cloze mode with its note shown: the tagged word, the labels, the link, the
    rating keys with when each would bring the card back."""
    make_study()

    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("c", "space")
        await settle(pilot)
        await pilot.pause(0.2)  # the overview strip redrawn after the scrollbars came (a busy
        await settle(pilot)  # machine drew the picture between the two)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_snap_label_picker(snap_compare, settle, size):
    """The codebook over the reader, on the labelled note: its labels ticked, keys and colours."""
    make_study()

    async def run_before(pilot) -> None:
        steady(pilot.app)
        await settle(pilot)
        await pilot.press("j", "j", "l")
        await settle(pilot)
        await pilot.pause(0.2)  # as above: the picture after the scrollbars settled
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
