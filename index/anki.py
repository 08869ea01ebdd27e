"""Notes and highlights as an Anki deck (``.apkg``, made with genanki) and as CSV.

One note type, "Glossator passage", with three fields: the sentence(s) quoted, the note (with its
links), and the citation (title, byline, §N). The ids are stable: the note type's and the deck's
are derived from fixed names and the library, each Anki note's guid, note id and card id from the
Glossator note's id, so importing a re-exported deck updates the same cards instead of adding
copies. The file is written whole or not at all (``output.write_atomically``).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import genanki

from .links import link_text, links_line
from .model import sentence_number
from .notes import Note
from .output import write_atomically

__all__ = ["CSV_COLUMNS", "citation", "stable_id", "to_apkg", "to_csv"]


class _Titled(Protocol):
    title: str
    byline: str | None


def stable_id(*parts: str) -> int:
    """A positive id below 2^53 (Anki's ids are JavaScript-safe integers) from ``parts``."""
    digest = hashlib.sha256("\x1f".join(("glossator",) + parts).encode()).digest()
    return int.from_bytes(digest[:7], "big") % (1 << 52) + (1 << 40)


MODEL_ID = stable_id("model", "Glossator passage", "1")

_MODEL = genanki.Model(
    MODEL_ID,
    "Glossator passage",
    fields=[{"name": "Sentence"}, {"name": "Note"}, {"name": "Citation"}],
    templates=[
        {
            "name": "Passage",
            "qfmt": '<div class="sentence">{{Sentence}}</div>',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="note">{{Note}}</div>'
            '<div class="citation">{{Citation}}</div>',
        }
    ],
    css=".card { font-family: serif; font-size: 20px; text-align: left; }\n"
    ".citation { margin-top: 1em; font-size: 14px; color: #777; }",
)


def _sentences(note: Note) -> str:
    first, last = sentence_number(note.sentence_id), sentence_number(note.last_sentence_id)
    if first is None:
        return "passage not found"
    return f"§{first}" if last in (None, first) else f"§{first}–{last}"


def citation(note: Note, info: _Titled | None) -> str:
    """ "Title, Byline, §N" (the article id when the article is not known)."""
    parts = [" ".join(info.title.split()) if info is not None else note.article_id]
    if info is not None and info.byline:
        parts.append(" ".join(info.byline.split()))
    parts.append(_sentences(note))
    return ", ".join(parts)


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _tag(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_:" else "_" for c in text)


class _StableNote(genanki.Note):
    """A genanki note whose Anki note id and card id come from the Glossator note's id."""

    def __init__(self, note_id: str, **kw: Any) -> None:
        super().__init__(**kw)
        self._ids = (stable_id("note", note_id), stable_id("card", note_id))

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, timestamp, deck_id, iter(self._ids))


def _anki_note(note: Note, info: _Titled | None) -> genanki.Note:
    body = note.text
    if note.links:
        body = (body + "\n\n" if body else "") + links_line(note)
    tags = [_tag(t) for t in note.tags] + [f"label:{_tag(lb)}" for lb in note.labels]
    if note.is_highlight:
        tags.append("highlight")
    return _StableNote(
        note.id,
        model=_MODEL,
        fields=[_html(note.exact), _html(body), _html(citation(note, info))],
        tags=tags,
        guid=genanki.guid_for("glossator", note.id),
    )


def to_apkg(
    notes: Iterable[Note],
    articles_by_id: Mapping[str, _Titled],
    target: Path,
    library_key: str,
    deck_name: str,
) -> int:
    """Write the notes (deleted ones left out) to ``target`` as an Anki package; returns how
    many cards it holds. The caller checks ``target`` (``output.check_target``)."""
    deck = genanki.Deck(stable_id("deck", library_key), deck_name)
    count = 0
    for note in notes:
        if note.deleted is not None:
            continue
        deck.add_note(_anki_note(note, articles_by_id.get(note.article_id)))
        count += 1
    package = genanki.Package(deck)
    write_atomically(target, lambda tmp: package.write_to_file(str(tmp), timestamp=time.time()))
    return count


CSV_COLUMNS = (
    "id", "kind", "article_id", "title", "sentence", "last_sentence", "quote", "note", "tags",
    "labels", "links", "status", "created", "updated",
)  # fmt: skip


def _rows(notes: Iterable[Note], articles_by_id: Mapping[str, _Titled]) -> Iterator[list[Any]]:
    for note in notes:
        if note.deleted is not None:
            continue
        info = articles_by_id.get(note.article_id)
        yield [
            note.id,
            note.kind,
            note.article_id,
            info.title if info is not None else "",
            sentence_number(note.sentence_id) or "",
            sentence_number(note.last_sentence_id) or "",
            note.exact,
            note.text,
            " ".join(f"#{t}" for t in note.tags),
            "; ".join(note.labels),
            "; ".join(link_text(k) for k in note.links),
            note.status,
            note.created,
            note.updated,
        ]


def to_csv(notes: Iterable[Note], articles_by_id: Mapping[str, _Titled]) -> str:
    """The notes as CSV (a header row, one note a row; sentences numbered from 1)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_rows(notes, articles_by_id))
    return out.getvalue()
