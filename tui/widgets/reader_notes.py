"""The notes of the article the reader shows: which are placed on its sentences, which hold a
sentence, where their marks go, and the codebook's colours for the gutter.

A small class that owns that state and no widget: the reader hands it the notes and colours that
come down from the screen, and asks it what to mark and which notes are here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from glossator.index.model import Sentence

from .layout import Layout
from .reader_paint import MarkRun, NoteMarks, note_marks, note_run

if TYPE_CHECKING:
    from glossator.index.notes import Note


class ReaderNotes:
    """The placed notes of one article, or the marks the start-up snapshot kept for it."""

    def __init__(self) -> None:
        self.notes: list[Note] = []  # the placed notes of this article
        self.snapshot_marks: list[MarkRun] = []  # marks from the start-up snapshot
        self.label_colours: dict[str, str] = {}  # label name, casefolded -> colour (hex)
        # for ``at``: the notes list and count the runs were worked out for, and the runs
        self._runs: tuple[list[Note], int, list[tuple[int, int, Note]]] | None = None
        self._at: dict[int, list[Note]] = {}  # sentence -> its notes, for those runs

    def keep_article(self, article_id: str) -> None:
        """Another article is shown: keep only the notes on it."""
        self.notes = [n for n in self.notes if n.article_id == article_id]

    def place(self, notes: Sequence[Note], article_id: str | None, count: int) -> None:
        """Keep those of ``notes`` tied to one of the ``count`` sentences of ``article_id``, in
        reading order; the snapshot's marks end."""
        self.notes = sorted(
            (
                n
                for n in notes
                if article_id is not None
                and n.article_id == article_id
                and n.sentence_id is not None
                and 0 <= n.sentence_id < count
            ),
            key=lambda n: (n.sentence_id, n.last_sentence_id or n.sentence_id, n.created),
        )
        self.snapshot_marks = []

    def mark_snapshot(self, marks: Sequence[MarkRun]) -> None:
        """Marks to show before the notes themselves are read (the start-up snapshot's)."""
        self.notes = []
        self.snapshot_marks = list(marks)

    def recolour(self, colours: dict[str, str]) -> bool:
        """The codebook's colours (label name, casefolded -> hex); True if they changed."""
        if colours == self.label_colours:
            return False
        self.label_colours = dict(colours)
        return True

    def marks(self, sentences: Sequence[Sentence], layout: Layout) -> NoteMarks:
        """Where the marks go in ``layout``: the notes', else the snapshot's."""
        return note_marks(self.notes or self.snapshot_marks, sentences, layout, self.label_colours)

    def at(self, sentence: int, count: int) -> list[Note]:
        """The notes holding ``sentence`` of an article of ``count``, innermost first (each
        note's run is worked out once, not at every move: 20,000 notes on one sentence)."""
        runs = self._runs
        if runs is None or runs[0] is not self.notes or runs[1] != count:
            runs = self._runs = (self.notes, count, [(*note_run(n, count), n) for n in self.notes])
            self._at.clear()
        here = self._at.get(sentence)
        if here is None:
            found = [(a, b, n) for a, b, n in runs[2] if a <= sentence <= b]
            found.sort(key=lambda r: (-r[0], r[1]))  # stable: reading order among equals
            here = self._at[sentence] = [n for _a, _b, n in found]
        return list(here)

    def noted(self, count: int) -> set[int]:
        """The sentences (of an article of ``count``) in a note's passage."""
        found: set[int] = set()
        for note in self.notes:
            first, last = note_run(note, count)
            found.update(range(first, last + 1))
        return found
