"""The note panel under the reader: the notes and highlights on the current sentence (with their
labels and links), and the notes linking to it; shown only when there is one. It is handed them
and only draws them, literally (never as markup). What a single note panel can show is bounded:
a huge note, or thousands of notes on one sentence, never make a key near them slow."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from .labels import label_parts
from .links import link_place, link_target, note_source, short
from .note_text import HIGHLIGHT_STYLE, bounded, note_content, note_place

if TYPE_CHECKING:
    from glossator.index.notes import Link, Note

HINT = "e edit · d delete · m next"
SHOWN_NOTES = 9  # notes drawn at most; the rest are counted
SHOWN_CHARS = 2_000  # characters of one note drawn at most
SHOWN_LINKS = 6  # links of one note, and backlinks of the sentence, drawn at most
LINK_STYLE = "$text-accent"

Backlinks = Sequence[tuple["Link", "Note"]]


class NotePanel(Static):
    """Hidden unless the cursor is on an annotated or linked sentence."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.notes: list[Note] = []
        self.backlinks: list[tuple[Link, Note]] = []
        self._key: tuple[object, ...] | None = None
        self.border_title = "Note"
        self.display = False

    @property
    def text(self) -> str:
        return str(self.content) if self.display else ""

    def show_notes(
        self,
        notes: Sequence[Note],
        backlinks: Backlinks = (),
        colours: Mapping[str, str] | None = None,
    ) -> None:
        colours = colours or {}
        key = (  # what is drawn: the notes and backlinks shown, and how many more there are
            tuple(
                (n.id, n.updated, n.sentence_id, n.last_sentence_id, n.labels, n.links)
                for n in notes[:SHOWN_NOTES]
            ),
            len(notes),
            tuple((k.id, n.id, n.updated) for k, n in backlinks[:SHOWN_LINKS]),
            len(backlinks),
            tuple(sorted(colours.items())),
            title := self._title(notes, backlinks),
        )
        self.notes, self.backlinks = list(notes), list(backlinks)
        if key == self._key:
            return
        self._key = key
        if not notes and not backlinks:
            self.display = False
            return
        parts: list[Content | str | tuple[str, str]] = []
        for i, note in enumerate(notes[:SHOWN_NOTES]):
            if i:
                parts.append("\n")
            if len(notes) > 1:
                parts.append((f"{i + 1}. ", "bold"))
            parts.extend(_note_parts(note, colours))
        if len(notes) > SHOWN_NOTES:
            parts.append((f"\n… and {len(notes) - SHOWN_NOTES} more (Notes tab, 3)", "dim"))
        if backlinks:
            if notes:
                parts.append("\n")
            parts.append(("Linked from:", "bold"))
            for _link, note in backlinks[:SHOWN_LINKS]:
                source = note_source(note)
                where = source.label if source is not None else "← an orphaned note"
                parts.extend(["\n  ", (where, LINK_STYLE)])
            if len(backlinks) > SHOWN_LINKS:
                parts.append((f"\n  … and {len(backlinks) - SHOWN_LINKS} more", "dim"))
        self.update(Content.assemble(*parts))
        self.border_title = title
        self.display = True

    @staticmethod
    def _title(notes: Sequence[Note], backlinks: Backlinks) -> str:
        follow = any(link_target(k) for n in notes for k in n.links) or bool(backlinks)
        hint = HINT + (" · f follows" if follow else "")
        if not notes:
            count = len(backlinks)
            return f"{count} note{'' if count == 1 else 's'} link here · f follows · F back"
        what = "Highlight" if all(n.is_highlight for n in notes) else "Note"
        title = f"{what} on {note_place(notes[0])}"
        if len(notes) > 1:
            title = f"{len(notes)} notes here (e and d ask which)"
        return f"{title} · {hint}"


def _note_parts(note: Note, colours: Mapping[str, str]) -> list[Content | str | tuple[str, str]]:
    parts: list[Content | str | tuple[str, str]] = []
    text = note.text
    if note.is_highlight and not text:
        parts.append(("highlighted", HIGHLIGHT_STYLE))
    else:
        parts.append(note_content(bounded(text, SHOWN_CHARS)))
    if note.labels:
        parts.append("  ")
        parts.extend(label_parts(note.labels[:SHOWN_LINKS], colours))
    for link in note.links[:SHOWN_LINKS]:
        quote = f"  “{short(link.exact)}”" if link.exact and link.sentence_id is not None else ""
        parts.extend(["\n  ", (f"→ {link_place(link)}{quote}", LINK_STYLE)])
    if len(note.links) > SHOWN_LINKS:
        parts.append((f"\n  … and {len(note.links) - SHOWN_LINKS} more links", "dim"))
    if note.conflict_of:
        parts.append(
            ("  (a conflict copy: saved while the note changed elsewhere)", "$text-warning")
        )
    if note.status == "moved":
        parts.append(("  (moved: its sentence changed)", "dim italic"))
    return parts
