"""Marking passages without writing: the notes controller's part that highlights (``h``) and
labels notes and highlights.

A highlight is a note with no text (``NoteStore.highlight``): the same store, anchoring and
undo. ``h`` on a run that already has exactly that highlight takes it away (u brings it back).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..keygate import hold_keys

if TYPE_CHECKING:
    from glossator.index.model import Article
    from glossator.index.notes import Note

    from .notes import NotesController


class MarkFlow:
    """Kept by a ``NotesController`` (its host)."""

    def __init__(self, host: NotesController) -> None:
        self.host = host

    def highlight(
        self, article: Article, first: int, last: int, labels: tuple[str, ...] = ()
    ) -> None:
        """Highlight sentences ``first``..``last`` of ``article`` (with ``labels``), or take
        away the highlight of exactly that run."""
        from .notes_changes import NoteOp

        host = self.host
        if not host.usable():
            return
        assert host.library is not None
        key = host.library.key
        same = [n for n in host.notes if n.is_highlight and _on(n, article.id, first, last)]
        if same:
            op = NoteOp("delete", key, note=same[-1])
        else:
            op = NoteOp("highlight", key, article=article, first=first, last=last)
            op = replace(op, labels=tuple(labels))
        worker = host.write(op)
        if worker is not None:
            hold_keys(host, worker)  # "h j h": each h sees what the one before it did
        host.post_message(host.Submitted())

    def set_labels(self, note: Note, labels: tuple[str, ...]) -> None:
        """Give ``note`` exactly these labels."""
        from .notes_changes import NoteOp

        host = self.host
        if host.usable() and tuple(labels) != tuple(note.labels):
            assert host.library is not None
            worker = host.write(NoteOp("labels", host.library.key, note=note, labels=labels))
            if worker is not None:
                hold_keys(host, worker)


def _on(note: Note, article_id: str, first: int, last: int) -> bool:
    return note.article_id == article_id and (note.sentence_id, note.last_sentence_id) == (
        first,
        last,
    )
