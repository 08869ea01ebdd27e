"""The note panel under the reader: the note(s) on the current sentence, shown only when there
is one. It is handed the notes and only draws them, literally (never as markup). What a single
note panel can show is bounded: a huge note, or thousands of notes on one sentence, never make a
key near them slow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from .note_text import note_content, note_place

if TYPE_CHECKING:
    from glossator.index.notes import Note

HINT = "e edit · d delete · m next"
SHOWN_NOTES = 9  # notes drawn at most; the rest are counted
SHOWN_CHARS = 2_000  # characters of one note drawn at most


class NotePanel(Static):
    """Hidden unless the cursor is on an annotated sentence."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.notes: list[Note] = []
        self._key: tuple[tuple[str, str, int | None, int | None], ...] | None = None
        self.border_title = "Note"
        self.display = False

    @property
    def text(self) -> str:
        return str(self.content) if self.display else ""

    def show_notes(self, notes: Sequence[Note]) -> None:
        key = tuple((n.id, n.updated, n.sentence_id, n.last_sentence_id) for n in notes)
        if key == self._key:
            return
        self._key = key
        self.notes = list(notes)
        if not notes:
            self.display = False
            return
        parts: list[Content | str | tuple[str, str]] = []
        for i, note in enumerate(notes[:SHOWN_NOTES]):
            if i:
                parts.append("\n")
            if len(notes) > 1:
                parts.append((f"{i + 1}. ", "bold"))
            text = note.text
            if len(text) > SHOWN_CHARS:
                text = text[:SHOWN_CHARS] + f"… ({len(note.text) - SHOWN_CHARS:,} more characters)"
            parts.append(note_content(text))
            if note.status == "moved":
                parts.append(("  (moved: its sentence changed)", "dim italic"))
        if len(notes) > SHOWN_NOTES:
            parts.append((f"\n… and {len(notes) - SHOWN_NOTES} more (Notes tab, 3)", "dim"))
        self.update(Content.assemble(*parts))
        title = f"Note on {note_place(notes[0])}"
        if len(notes) > 1:
            title = f"{len(notes)} notes here (e and d ask which)"
        self.border_title = f"{title} · {HINT}"
        self.display = True
