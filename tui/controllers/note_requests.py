"""What the person asks of the notes, handed to the part that does it: from the reader (write a
note, highlight or label a passage, edit or delete the notes there, undo a deletion) and a study
pane (write a note), from the label picker (the labels chosen) and from the Notes tab (go to a
note, edit, delete, restore, label, re-attach it, undo a deletion). The notes' part
(``NotesController``) writes; the study's part (``StudyController``) asks for labels, and the
labels chosen come back here.

A non-visual widget, the Notes tab's owner (``NotesList.owner``: the tab's requests come here
directly, as the Themes tab's go to the themes' part) and the reader's notes' owner
(``Reader.notes_owner``); the screen hands it a study pane's and the picker's. It is given the
parts it asks, and two questions only its host can answer: whether the screen still shows the
start-up snapshot (``opening``: no notes can be written on it yet) and where the reader is
(``passage``: the article shown and the run of sentences to act on).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.widget import Widget

from ..widgets import reader_messages as reader
from ..widgets.notes_list import NotesList
from .notes import NotesController
from .study import StudyController

if TYPE_CHECKING:
    from glossator.index.model import Article

Passage = tuple["Article | None", tuple[int, int]]


class NoteRequests(Widget):
    """Turns requests about notes into calls on the notes' and the study's parts."""

    DEFAULT_CSS = "NoteRequests { display: none; }"

    def __init__(
        self,
        notes: NotesController,
        study: StudyController,
        opening: Callable[[], bool],
        passage: Callable[[], Passage],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.notes, self.study = notes, study
        self._opening, self._passage = opening, passage

    def _still_opening(self) -> bool:
        if self._opening():  # the last screen, not yet the library's text
            self.notify("The library is still opening; notes come with it.", timeout=3)
            return True
        return False

    # -- from the reader (its notes' owner) ------------------------------------------------------

    @on(reader.AnnotateRequested)
    def _annotate(self, event: reader.AnnotateRequested) -> None:
        self.annotate(event.article, event.first, event.last)

    @on(reader.MarkRequested)
    def _mark(self, event: reader.MarkRequested) -> None:
        self.mark(event)

    @on(reader.NoteActionRequested)
    def _act(self, event: reader.NoteActionRequested) -> None:
        self.notes.act(event.action, event.notes)

    @on(reader.NoteUndoRequested)
    def _undo(self, event: reader.NoteUndoRequested) -> None:
        self.notes.undo()

    # -- from a study pane and the label picker (handed on by the screen), and the reader's -----

    def annotate(self, article: Article, first: int, last: int) -> None:
        """Write a note on sentences ``first``..``last`` of ``article``."""
        if not self._still_opening():
            self.notes.annotate(article, first, last)

    def mark(self, event: reader.MarkRequested) -> None:
        """Highlight a passage, or label it: a new highlight, or one of the notes there."""
        if self._still_opening():
            return
        article, first, last = event.article, event.first, event.last
        if event.what == "highlight":
            self.notes.marks.highlight(article, first, last)
            return
        pick = self.study.pick_labels
        if not event.notes:
            pick(None, article, first, last)
        else:
            self.notes.pick("label", event.notes, lambda n: pick(n, None, 0, 0))

    def labels_chosen(self, event: StudyController.LabelsChosen) -> None:
        if event.note is not None:
            self.notes.marks.set_labels(event.note, event.names)
        elif event.article is not None:
            self.notes.marks.highlight(event.article, event.first, event.last, event.names)

    # -- from the Notes tab (its owner) --------------------------------------------------------

    @on(NotesList.NoteChosen)
    def _chosen(self, event: NotesList.NoteChosen) -> None:
        self.notes.go_to(event.note)

    @on(NotesList.Requested)
    def _requested(self, event: NotesList.Requested) -> None:
        notes, note = self.notes, event.note
        if event.action == "undo":
            notes.undo()
        elif note is None:
            return
        elif event.action == "restore":
            notes.restore(note)
        elif event.action == "label":
            self.study.pick_labels(note, None, 0, 0)
        elif event.action == "reattach":
            article, run = self._passage()
            notes.reattach(note, article, run)
        else:
            notes.act(event.action, [note])
