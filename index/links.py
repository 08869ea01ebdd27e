"""Links between notes and sentences, as exports write them.

A note's ``[[004 §7]]`` is a ``Link`` (see ``index.notes``): an anchor of its own that follows
its sentence when the article changes. Exports write where it points now, not the §N typed:
W3C Web Annotation as a ``SpecificResource`` body with purpose "linking" and the target's
selectors; Markdown, CSV and Anki as "article §N" text.
"""

from __future__ import annotations

from .model import sentence_number
from .notes import UNRESOLVED, Link, Note

__all__ = ["link_bodies", "link_text", "links_line"]


def link_text(link: Link) -> str:
    """Where a link points, for people: "004 §8", "004 §8–9", or the ref as written and why."""
    if link.status == UNRESOLVED:
        return f"{link.ref} (not found)"
    first, last = sentence_number(link.sentence_id), sentence_number(link.last_sentence_id)
    if first is None:
        return f"{link.article_id} (passage not found: “{' '.join(link.exact.split())[:60]}”)"
    if last is None or last == first:
        return f"{link.article_id} §{first}"
    return f"{link.article_id} §{first}–{last}"


def links_line(note: Note) -> str:
    """The note's links on one line, "→ 004 §8; 007 §2", or "" when it has none."""
    return "→ " + "; ".join(link_text(k) for k in note.links) if note.links else ""


def link_bodies(note: Note) -> list[dict]:
    """The note's links as Web Annotation bodies (``SpecificResource``, purpose "linking")."""
    bodies: list[dict] = []
    for link in note.links:
        if link.status == UNRESOLVED:
            continue
        bodies.append(
            {
                "type": "SpecificResource",
                "purpose": "linking",
                "source": link.article_id,
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": link.exact,
                        "prefix": link.prefix,
                        "suffix": link.suffix,
                    },
                    {"type": "TextPositionSelector", "start": link.start, "end": link.end},
                ],
                "glossator": {
                    "ref": link.ref,
                    "sentence": sentence_number(link.sentence_id),
                    "last_sentence": sentence_number(link.last_sentence_id),
                    "status": link.status,
                },
            }
        )
    return bodies
