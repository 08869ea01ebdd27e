"""Hardening, issue 16 (item 16): a 5 MB note, and 20,000 notes on one sentence.

What the app draws of them is bounded, so a key near them costs what a key elsewhere does (the
time itself is measured by hand in tmux, see the README's Reliability section): the note panel
draws a few notes and the start of a long one, the reader styles each annotated stretch of text
once however many notes hold it, the Notes tab lists a few hundred notes and counts the rest, the
start-up snapshot keeps one mark a passage, and a list's lines are made from the start of a
note's text only.
"""

from __future__ import annotations

import sqlite3

import pytest

from glossator.index.library import Library
from glossator.index.notes import NoteStore
from glossator.tui.app import make_app
from glossator.tui.widgets import note_text
from glossator.tui.widgets.note_panel import SHOWN_CHARS, SHOWN_NOTES, NotePanel
from glossator.tui.widgets.notes_list import LISTED, NotesList

pytestmark = pytest.mark.usefixtures("warm_seed_index")

SIZE = (120, 40)
MANY = 20_000
BIG = 5_000_000


def clone(path, note_id: str, count: int) -> None:
    """``count`` copies of note ``note_id``, each its own row (one transaction, not 20,000)."""
    conn = sqlite3.connect(path)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(notes)") if r[1] != "id"]
    names = ", ".join(f'"{c}"' for c in columns)
    with conn:
        conn.executemany(
            f"INSERT INTO notes (id, {names}) SELECT ?, {names} FROM notes WHERE id = ?",
            [(f"{note_id}-{i}", note_id) for i in range(count)],
        )
    conn.close()


@pytest.fixture
def crowded():
    """The seed library: 20,001 notes on its first article's §3, a 5 MB note on §5."""
    library = Library(None)
    library.update()
    article = library.article(library.articles()[0].id)
    with NoteStore() as store:
        one = store.add(library.key, article, 2, 2, "one of many #crowd")
        big = store.add(library.key, article, 4, 4, "start of a long note " + "x" * BIG)
        path = store.path
    clone(path, one.id, MANY)
    return library, one, big


async def test_many_notes_and_a_huge_one_are_drawn_bounded(settle, crowded):
    library, one, big = crowded
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.main.notes) == MANY + 2
        reader = app.main.reading.reader
        await pilot.press("j", "j")  # §3, the crowded sentence
        await settle(pilot)
        assert reader.sentence == 2
        panel = app.query_one(NotePanel)
        assert f"{MANY + 1} notes here" in panel.border_title
        assert f"and {MANY + 1 - SHOWN_NOTES} more" in panel.text
        assert panel.text.count("one of many") == SHOWN_NOTES
        # one stretch of "noted" style for §3 and one for §5, not one per note
        assert len(reader._lines.marks.spans) == 2
        assert len(app.main.snapshots._marks) == 2
        assert ("crowd",) in [tags for _a, _b, tags in app.main.snapshots._marks]
        await pilot.press("j", "j")  # §5, the 5 MB note
        await settle(pilot)
        assert reader.sentence == 4
        assert "start of a long note" in panel.text
        assert f"{BIG + 21 - SHOWN_CHARS:,} more characters" in panel.text
        assert len(panel.text) < SHOWN_CHARS + 1_000
        await pilot.press("3")  # the Notes tab: a few hundred listed, the rest counted
        await settle(pilot)
        notes_list = app.query_one(NotesList)
        assert len(notes_list.shown) == LISTED
        more = notes_list.options.get_option("more")
        assert f"{MANY + 2 - LISTED:,} more" in str(more.prompt)
        notes_list.filter_input.value = "long note"  # the filter reaches past the listed ones
        await settle(pilot)
        assert [n.id for n in notes_list.shown] == [big.id]


def test_a_list_line_of_a_huge_note_wraps_only_its_start(monkeypatch, crowded):
    """The lines of the Notes tab are made from the first few hundred characters."""
    _library, _one, big = crowded
    wrapped: list[int] = []
    real = note_text.wrap_offsets

    def spy(text: str, width: int):
        wrapped.append(len(text))
        return real(text, width)

    monkeypatch.setattr(note_text, "wrap_offsets", spy)
    prompt = note_text.note_prompt(big, 40, "§5")
    assert "start of a long note" in str(prompt) and "…" in str(prompt)
    assert wrapped and max(wrapped) < 1_000
    assert note_text.shorten(" " * 10 + "word " * 1_000_000, 20, 2)[-1].endswith("…")
    assert note_text.first_words("a b c d e f g " + "h" * BIG).endswith("…")
