"""One change to the notes, made in the store: the notes controller's write worker calls
``apply`` (in its thread) and says what it returns.

Kept apart from the controller so that what each change does, and the words that say how it went
(a save over a newer version, an edit that brought a deleted note back), are in one place.
Links written as ``[[004 §7]]`` are placed when a note is saved, with ``resolver``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from ..widgets.reader_text import run_label

if TYPE_CHECKING:
    from glossator.index.library import Library
    from glossator.index.model import Article
    from glossator.index.notes import Note, NoteStore

    from .notes_changes import NoteOp

Resolve = Callable[[str], "Article | None"]

CONFLICT = (
    "This note was changed elsewhere while you edited it: that text is kept, and yours is "
    "saved beside it as a conflict copy (marked in the Notes tab, 3)."
)
REVIVED = "This note had been deleted elsewhere while you edited it: your edit brought it back."


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a change did: the note as stored now, and what to tell the person."""

    note: Note
    told: str
    severity: SeverityLevel = "information"
    timeout: float = 3


def resolver(library: Library, ids: Sequence[str]) -> Resolve:
    """Finds the article of a ``[[004 §7]]`` link: its id, or the one id starting with what is
    written (``ids``: the library's article ids). Called in worker threads."""
    known = tuple(ids)

    def resolve(part: str) -> Article | None:
        part = part.strip()
        if part in known:
            return library.article(part)
        found = [i for i in known if i.startswith(part)] if part else []
        return library.article(found[0]) if len(found) == 1 else None

    return resolve


def apply(store: NoteStore, op: NoteOp, resolve: Resolve | None) -> Outcome:
    """Make ``op`` in ``store`` (committed before this returns)."""
    kind = op.kind
    if kind in ("add", "highlight"):
        assert op.article is not None
        note = store.add(
            op.library_key,
            op.article,
            op.first,
            op.last,
            op.text,
            kind="highlight" if kind == "highlight" else "note",
            labels=op.labels or (),
            resolve=resolve,
        )
        if kind == "highlight":
            return Outcome(note, f"Highlighted {run_label(op.first, op.last)} · h again removes it")
        return Outcome(note, "Note saved")
    if kind == "reattach":
        assert op.note is not None and op.article is not None
        note = store.reattach(op.note.id, op.article, op.first, op.last)
        place = run_label(note.sentence_id or 0, note.last_sentence_id or 0)
        return Outcome(note, f"{_what(note)} re-attached to {place}")
    assert op.note is not None
    if kind == "update":
        saved = store.save(op.note.id, op.text, expected_version=op.note.version, resolve=resolve)
        if saved.conflict:
            return Outcome(saved.note, CONFLICT, "warning", 12)
        if saved.was_deleted:
            return Outcome(saved.note, REVIVED, "warning", 10)
        return Outcome(saved.note, "Note saved")
    if kind == "labels":
        note = store.set_labels(op.note.id, op.labels or ())
        names = ", ".join(note.labels)
        return Outcome(note, f"Labels: {names}" if names else "No labels now")
    if kind == "delete":
        note = store.delete(op.note.id)
        return Outcome(note, f"{_what(note)} deleted — u to undo", timeout=6)
    note = store.restore(op.note.id)
    return Outcome(note, f"{_what(note)} restored")


def _what(note: Note) -> str:
    return "Highlight" if note.is_highlight else "Note"
