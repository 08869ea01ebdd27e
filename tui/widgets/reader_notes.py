"""The notes of the article the reader shows: which are placed on its sentences, which hold the
current sentence or the run ``v`` selected, where their marks go, and the codebook's colours for
the gutter.

A small class that owns that state and no widget: the reader hands it the notes and colours that
come down from the screen; it reads what is shown from the reader's lines and where the reader is
from its place, puts its marks on the lines, and says which notes the notes keys act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .reader_lines import ReaderLines
from .reader_paint import MarkRun, NoteMarks, note_marks, note_run
from .reader_place import ReaderPlace

if TYPE_CHECKING:
    from glossator.index.notes import Note


class ReaderNotes:
    """The placed notes of one article, or the marks the start-up snapshot kept for it."""

    def __init__(self, lines: ReaderLines, place: ReaderPlace) -> None:
        self._lines, self._place = lines, place
        self.notes: list[Note] = []  # the placed notes of this article
        self.snapshot_marks: list[MarkRun] = []  # marks from the start-up snapshot
        self.label_colours: dict[str, str] = {}  # label name, casefolded -> colour (hex)
        # for ``at``: the notes list and count the runs were worked out for, and the runs
        self._runs: tuple[list[Note], int, list[tuple[int, int, Note]]] | None = None
        self._at: dict[int, list[Note]] = {}  # sentence -> its notes, for those runs

    @property
    def _count(self) -> int:
        return len(self._lines.sentences)

    def keep_article(self, article_id: str) -> None:
        """Another article is shown: keep only the notes on it."""
        self.notes = [n for n in self.notes if n.article_id == article_id]

    def place(self, notes: Sequence[Note]) -> None:
        """Keep those of ``notes`` tied to a sentence of the article shown, in reading order;
        the snapshot's marks end."""
        article = self._lines.article
        count = self._count
        self.notes = sorted(
            (
                n
                for n in notes
                if article is not None
                and n.article_id == article.id
                and n.sentence_id is not None
                and 0 <= n.sentence_id < count
            ),
            key=lambda n: (n.sentence_id, n.last_sentence_id or n.sentence_id, n.created),
        )
        self.snapshot_marks = []
        self.mark()

    def mark_snapshot(self, marks: Sequence[MarkRun]) -> None:
        """Marks to show before the notes themselves are read (the start-up snapshot's)."""
        self.notes = []
        self.snapshot_marks = list(marks)
        self.mark()

    def recolour(self, colours: dict[str, str]) -> bool:
        """The codebook's colours (label name, casefolded -> hex); True if they changed."""
        if colours == self.label_colours:
            return False
        self.label_colours = dict(colours)
        self.mark()
        return True

    def mark(self) -> None:
        """Put the marks on the lines laid out: the notes', else the snapshot's (none on the
        original text)."""
        lines = self._lines
        if lines.layout is None or lines.original is not None:
            lines.marks = NoteMarks()
            return
        runs = self.notes or self.snapshot_marks
        lines.marks = note_marks(runs, lines.sentences, lines.layout, self.label_colours)

    def at(self, sentence: int) -> list[Note]:
        """The notes holding ``sentence``, innermost (latest start) first (each note's run is
        worked out once, not at every move: 20,000 notes on one sentence)."""
        count, runs = self._count, self._runs
        if runs is None or runs[0] is not self.notes or runs[1] != count:
            runs = self._runs = (self.notes, count, [(*note_run(n, count), n) for n in self.notes])
            self._at.clear()
        here = self._at.get(sentence)
        if here is None:
            found = [(a, b, n) for a, b, n in runs[2] if a <= sentence <= b]
            found.sort(key=lambda r: (-r[0], r[1]))  # stable: reading order among equals
            here = self._at[sentence] = [n for _a, _b, n in found]
        return list(here)

    @property
    def here(self) -> list[Note]:
        """The notes holding the current sentence (none on the original text)."""
        return self.at(self._place.sentence) if self._lines.reading else []

    @property
    def of_passage(self) -> list[Note]:
        """The notes the marking keys act on: those holding the current sentence, or, with a run
        chosen with v, the notes of exactly that run."""
        notes, selection = self.here, self._place.selection
        if selection is None:
            return notes
        return [n for n in notes if (n.sentence_id, n.last_sentence_id) == selection]

    def noted(self) -> set[int]:
        """The sentences in a note's passage."""
        found: set[int]
        count, found = self._count, set()
        for note in self.notes:
            first, last = note_run(note, count)
            found.update(range(first, last + 1))
        return found
