"""The note panel under the reader: the note(s) on the current sentence, shown only when there
is one. The screen hands it the notes; it only draws them, literally (never as markup)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from .layout import display_text

if TYPE_CHECKING:
    from glossator.index.notes import Note

TAG_STYLE = "bold $text-success"
TAG_PATTERN = re.compile(r"(?<![\w&#/])#\w+(?:[-_]\w+)*")
HINT = "e edit · d delete · m next"


def note_content(text: str) -> Content:
    """A note's text as it was written, its #tags coloured."""
    shown = display_text(text)
    parts: list[str | tuple[str, str]] = []
    pos = 0
    for match in TAG_PATTERN.finditer(shown):
        parts.append(shown[pos : match.start()])
        parts.append((match.group(), TAG_STYLE))
        pos = match.end()
    parts.append(shown[pos:])
    return Content.assemble(*parts)


def run_label(note: Note) -> str:
    first = (note.sentence_id or 0) + 1
    last = (note.last_sentence_id if note.last_sentence_id is not None else first - 1) + 1
    return f"sentence {first}" if last <= first else f"sentences {first}–{last}"


class NotePanel(Static):
    """Hidden unless the cursor is on an annotated sentence."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.notes: list[Note] = []
        self._key: tuple | None = None
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
        for i, note in enumerate(notes):
            if i:
                parts.append("\n")
            if len(notes) > 1:
                parts.append((f"{i + 1}. ", "bold"))
            parts.append(note_content(note.text))
            if note.status == "moved":
                parts.append(("  (moved: its sentence changed)", "dim italic"))
        self.update(Content.assemble(*parts))
        title = f"Note on {run_label(notes[0])}"
        if len(notes) > 1:
            title = f"{len(notes)} notes here (e and d: the first)"
        self.border_title = f"{title} · {HINT}"
        self.display = True
