"""What a review card shows: the passage in its paragraph (a word hidden in cloze mode), then,
once shown, the note with its tags, labels and links; and what each rating would do.

Pure functions over a ``ReviewCard`` and its article; everything shown literally. A paragraph
far longer than a screen is cut to the passage and some text around it (at a space, marked …).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from textual.content import Content

from .labels import label_parts
from .layout import display_text
from .links import link_place
from .note_text import bounded, note_content
from .reader_text import run_label

if TYPE_CHECKING:
    from glossator.index.model import Article
    from glossator.index.review import ReviewCard

AROUND = 500  # characters of the paragraph kept on each side of a passage in a long one
PASSAGE_STYLE = "bold $text-accent"
HIDDEN = "[…]"
RATINGS = ("Again", "Hard", "Good", "Easy")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
ANSWER_CHARS = 20_000  # of a note drawn on the back of a card; the rest is counted


@dataclass(frozen=True, slots=True)
class Hidden:
    """The word a cloze card hides: its offsets in the article's text, and the word."""

    start: int
    end: int
    word: str


def words_to_hide(card: ReviewCard) -> list[tuple[int, int]]:
    """Offsets (in the passage) of the words worth hiding: four letters or more."""
    return [m.span() for m in _WORD.finditer(card.note.exact) if len(m.group()) >= 4]


def placed(card: ReviewCard, article: Article | None) -> bool:
    """The card's passage is where the note says, in this text of its article."""
    note = card.note
    return (
        article is not None
        and note.sentence_id is not None
        and article.text[note.start : note.end] == note.exact
    )


def first_hidden(card: ReviewCard, article: Article | None) -> Hidden | None:
    """The word cloze mode hides first: one of the note's tags found in the passage
    (``glossator.index.review.cloze``), else the longest word of the passage."""
    from glossator.index.review import cloze

    found = cloze(card)
    if found is not None:
        return _hidden(card, article, found.start, found.end)
    spans = words_to_hide(card)
    if not spans:
        return None
    a, b = max(spans, key=lambda s: (s[1] - s[0], -s[0]))
    return _hidden(card, article, a, b)


def next_hidden(
    card: ReviewCard, article: Article | None, hidden: Hidden | None, step: int
) -> Hidden | None:
    """The next (``step`` 1) or previous (-1) word of the passage to hide, wrapping round."""
    spans = words_to_hide(card)
    if not spans:
        return None
    offset = card.note.start if placed(card, article) else 0
    here = (hidden.start - offset) if hidden is not None else -1
    starts = [a for a, _ in spans]
    if here in starts:
        index = (starts.index(here) + step) % len(spans)
    else:
        index = 0 if step > 0 else len(spans) - 1
    return _hidden(card, article, *spans[index])


def _hidden(card: ReviewCard, article: Article | None, a: int, b: int) -> Hidden:
    offset = card.note.start if placed(card, article) else 0
    return Hidden(offset + a, offset + b, card.note.exact[a:b])


def _context(article: Article, start: int, end: int) -> tuple[int, int, int, int]:
    """The paragraphs holding ``start``..``end`` (``lo``..``hi``), and the part of them shown:
    cut to about ``AROUND`` characters either side, at a space (never inside a word)."""
    blocks = [b for b in article.blocks if b.end > start and b.start < end] or article.blocks
    lo, hi = blocks[0].start, blocks[-1].end
    text = article.text
    first, last = max(lo, start - AROUND), min(hi, end + AROUND)
    if first > lo:
        while first < start and not text[first - 1].isspace():
            first += 1
    if last < hi:
        while last > end and not text[last].isspace():
            last -= 1
    return lo, hi, first, last


def passage_content(card: ReviewCard, article: Article | None, hidden: Hidden | None,
                    revealed: bool) -> Content:  # fmt: skip
    """The passage in its paragraph (the rest dimmed); the hidden word as […] until shown."""
    note = card.note
    cut_before = cut_after = False
    if not placed(card, article):
        text = note.exact
        lo, start, end = 0, 0, len(text)  # the quote alone (``hidden`` is in it)
    else:
        assert article is not None
        text = article.text
        start, end = note.start, note.end
        first, last, lo, hi = _context(article, start, end)
        cut_before, cut_after = lo > first, hi < last
        text = text[:hi]
    parts: list[str | tuple[str, str]] = []
    if placed(card, article) and cut_before:
        parts.append(("… ", "dim"))
    pieces = [(lo, start, "dim"), (start, end, PASSAGE_STYLE), (end, len(text), "dim")]
    for a, b, style in pieces:
        if hidden is not None and a <= hidden.start < b:
            parts.append((display_text(text[a : hidden.start]), style))
            shown = display_text(hidden.word) if revealed else HIDDEN
            parts.append((shown, "reverse bold $text-warning"))
            parts.append((display_text(text[hidden.end : b]), style))
        else:
            parts.append((display_text(text[a:b]), style))
    if placed(card, article) and cut_after:
        parts.append((" …", "dim"))
    return Content.assemble(*parts)


def source_line(card: ReviewCard, title: str) -> Content:
    note = card.note
    if note.sentence_id is None:
        where = "orphaned: its sentence was not found after the article changed"
    else:
        last = note.last_sentence_id if note.last_sentence_id is not None else note.sentence_id
        where = run_label(note.sentence_id, last)
    kind = "highlight" if note.is_highlight else "note"
    state = f"{card.state}" + (f" · {card.reviews} reviews" if card.reviews else "")
    return Content.assemble(
        (display_text(title), "bold"), (f"  {where}", "bold $text-accent"),
        (f"  {kind} · {state}", "dim"),
    )  # fmt: skip


def answer_content(card: ReviewCard, colours: Mapping[str, str]) -> Content:
    """The back of the card: the note (a highlight has none), its labels and links."""
    note = card.note
    parts: list[Content | str | tuple[str, str]] = []
    if note.text:
        parts.append(note_content(bounded(note.text, ANSWER_CHARS)))
    else:
        parts.append(("A highlight: no note.", "dim italic"))
    tags = [f"#{t}" for t in note.tags if f"#{t}" not in note.text]
    if tags:
        parts.append(("\n" + display_text(" ".join(tags)), "bold $text-success"))
    if note.labels:
        parts.append("\n")
        parts.extend(label_parts(note.labels, colours))
    for link in note.links[:6]:
        parts.append((f"\n→ {link_place(link)}", "$text-accent"))
    return Content.assemble(*parts)


def interval(delta: timedelta) -> str:
    """A wait as people say it: 10m, 5h, 3d, 2mo, 1.5y."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 31:
        return f"{round(days)}d"
    if days < 365:
        return f"{round(days / 30.4)}mo"
    return f"{days / 365:.1f}".rstrip("0").rstrip(".") + "y"


def intervals(card: ReviewCard, scheduler: object, now: datetime) -> list[str]:
    """When the card would come back after each rating (what FSRS gives for it now)."""
    import fsrs

    assert isinstance(scheduler, fsrs.Scheduler)
    out = []
    for grade in (fsrs.Rating.Again, fsrs.Rating.Hard, fsrs.Rating.Good, fsrs.Rating.Easy):
        after, _log = scheduler.review_card(card.card, grade, now)
        out.append(interval(after.due - now))
    return out


def rating_keys(waits: Sequence[str] | None) -> Content:
    """The rating keys, with when each would bring the card back."""
    parts: list[str | tuple[str, str]] = []
    for n, name in enumerate(RATINGS, 1):
        parts += ["   " if n > 1 else "", (f"{n}", "bold reverse"), f" {name}"]
        if waits:
            parts.append((f" {waits[n - 1]}", "dim"))
    return Content.assemble(*parts)


def session_end(rated: Mapping[str, int], scope: str, looked: bool) -> str:
    """What the review says when no card is left (``looked``: what is due was read afresh and
    nothing is); ``rated``: the ratings given in the session, by name."""
    done = sum(rated.values())
    if looked or not done:
        told = f"Nothing is due now in {scope}"
        told += f" ({done} rated in this session). " if done else ". "
    else:
        counts = ", ".join(f"{rated[r]} {r.lower()}" for r in RATINGS if rated.get(r))
        told = f"Done for now: {done} rated ({counts}). "
        if rated.get("Again"):
            told += "Those rated Again come back within minutes. "
    return told + "space looks again · s limits the review otherwise · escape returns to reading"
