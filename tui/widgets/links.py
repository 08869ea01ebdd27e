"""Links between notes and sentences, as the app shows and follows them: a note's ``[[004 §7]]``
(a ``Link``, placed by the store and moved with its sentence), and the backlinks of a sentence
(the notes whose links point at it). Pure functions over the notes in memory: finding the
backlinks of the sentence the reader is on costs nothing more than a dictionary look-up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .layout import display_text
from .reader_text import run_label

if TYPE_CHECKING:
    from glossator.index.notes import Link, Note

QUOTE_CHARS = 60  # of a linked sentence, in the panel and the picker


def short_id(article_id: str) -> str:
    """An article id as people write it in a link: "004" for "004_1f2e…", else the id."""
    head, _, tail = article_id.partition("_")
    if head and tail and len(tail) >= 8 and all(c in "0123456789abcdef" for c in tail):
        return head
    return short(article_id, 24)


def short(text: str, chars: int = QUOTE_CHARS) -> str:
    words = " ".join(display_text(text).split())
    return words if len(words) <= chars else words[: chars - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Jump:
    """A place a link leads to (``article_id`` at ``sentence``), and how to say it."""

    article_id: str
    sentence: int
    label: str


def link_place(link: Link) -> str:
    """Where a link points now: "004 §8", or why it leads nowhere."""
    if link.status == "unresolved":
        return f"{link.ref} (no such article or sentence)"
    if link.sentence_id is None:
        return f"{link.ref} (its sentence is gone)"
    last = link.last_sentence_id if link.last_sentence_id is not None else link.sentence_id
    return f"{short_id(link.article_id)} {run_label(link.sentence_id, last)}"


def link_target(link: Link) -> Jump | None:
    if link.status == "unresolved" or link.sentence_id is None:
        return None
    label = f"→ {link_place(link)}  “{short(link.exact)}”"
    return Jump(link.article_id, link.sentence_id, label)


def note_source(note: Note) -> Jump | None:
    """The sentence a backlink's note is written on (None for an orphan)."""
    if note.sentence_id is None:
        return None
    last = note.last_sentence_id if note.last_sentence_id is not None else note.sentence_id
    what = short(note.text) if note.text else f"highlight “{short(note.exact)}”"
    label = f"← {short_id(note.article_id)} {run_label(note.sentence_id, last)}  {what}"
    return Jump(note.article_id, note.sentence_id, label)


class BacklinkIndex:
    """The links of every note, by the article they point into."""

    def __init__(self, notes: Sequence[Note] = ()) -> None:
        self._by_article: dict[str, list[tuple[Link, Note]]] = {}
        for note in notes:
            if note.deleted is not None:
                continue
            for link in note.links:
                if link.status != "unresolved" and link.sentence_id is not None:
                    self._by_article.setdefault(link.article_id, []).append((link, note))

    def at(self, article_id: str, sentence: int) -> list[tuple[Link, Note]]:
        """The links pointing at ``sentence`` of ``article_id``, with their notes."""
        found = []
        for link, note in self._by_article.get(article_id, ()):
            first = link.sentence_id
            assert first is not None
            last = link.last_sentence_id if link.last_sentence_id is not None else first
            if first <= sentence <= last:
                found.append((link, note))
        return found


def nowhere(notes: Sequence[Note]) -> list[str]:
    """The links of ``notes`` that lead nowhere now, as the note panel says them: "009 §7 (no
    such article or sentence)"; each once."""
    found = [link_place(k) for n in notes for k in n.links if link_target(k) is None]
    return list(dict.fromkeys(found))


def jumps(notes: Sequence[Note], backlinks: Sequence[tuple[Link, Note]]) -> list[Jump]:
    """Where ``f`` can go from here: the links of the notes here, then the notes linking here;
    each place once."""
    found: list[Jump] = []
    seen: set[tuple[str, int]] = set()
    candidates = [link_target(k) for n in notes for k in n.links]
    candidates += [note_source(note) for _link, note in backlinks]
    for jump in candidates:
        if jump is not None and (jump.article_id, jump.sentence) not in seen:
            seen.add((jump.article_id, jump.sentence))
            found.append(jump)
    return found
