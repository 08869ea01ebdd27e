"""The lines the Notes tab draws for its notes, kept from one fill of the list to the next.

Laying out a note's lines (wrapping its text and quote to the list's width) is the costly part of
filling the list, on the event loop; ``NotePrompts`` makes them again only for a note whose lines
would differ (its text, state, labels, the line saying where it is from, the label colours) or
when the list's width changed, and keeps only what the last fill drew.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .note_text import note_prompt

if TYPE_CHECKING:
    from textual.content import Content

    from glossator.index.notes import Note


class NotePrompts:
    """The prompts of the notes listed last, by what they show."""

    def __init__(self) -> None:
        self._kept: dict[tuple[object, ...], Content] = {}  # from the last fill
        self._width = 0  # the width they were made for
        self.made = 0  # prompts laid out (not taken from the last fill), for tests

    def prompts(
        self,
        entries: Sequence[tuple[Note, str | None]],
        width: int,
        colours: Mapping[str, str],
    ) -> list[Content]:
        """The prompt of each (note, source line) at ``width``, in order, each one kept for
        the next call."""
        kept = self._kept if width == self._width else {}
        self._kept, self._width = {}, width
        palette = tuple(sorted(colours.items()))
        made: list[Content] = []
        for note, source in entries:
            key = (note.id, note.updated, note.status, note.exact, note.labels, source, palette)
            prompt = kept.get(key)
            if prompt is None:
                prompt = note_prompt(note, width, source, colours)
                self.made += 1
            self._kept[key] = prompt
            made.append(prompt)
        return made
