"""Finding a note's passage again after its article's text has changed.

A note remembers its passage the way the W3C Web Annotation model does: a TextQuoteSelector (the
quoted text, ``exact``, with up to 32 characters of context either side) and a
TextPositionSelector (``start``/``end`` offsets into ``Article.text``). When the text changes,
``locate`` looks for the passage in the new text in the order the Hypothesis client does:

1. the old position, if the text there is still the quote, as whole sentences;
2. the quote found exactly elsewhere: the occurrence whose context fits best, then the nearest to
   the old position (occurrences lying on sentence boundaries first);
3. approximate matching on candidate windows, each a run of consecutive sentences: the quote's
   similarity weighted with the similarity of the context before and after and, a little, with
   the distance from the old position. Accepted only when the quote is at least
   ``MIN_QUOTE_SIMILARITY`` alike and the best window scores clearly above any other window
   that does not overlap it;
4. otherwise the note is orphaned, and keeps its quote.

Whatever is found is snapped to whole sentences. Everything here is pure: text in, answer out.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from .model import Sentence

__all__ = [
    "ANCHORED",
    "CONTEXT",
    "MIN_MARGIN",
    "MIN_QUOTE_SIMILARITY",
    "MOVED",
    "ORPHANED",
    "Anchor",
    "Selector",
    "locate",
    "selector_at",
    "selector_for",
    "similarity",
    "snap",
]

ANCHORED, MOVED, ORPHANED = "anchored", "moved", "orphaned"
CONTEXT = 32  # characters of context kept before and after a quote
MIN_QUOTE_SIMILARITY = 0.75  # approximate matches below this are not accepted
MIN_MARGIN = 0.03  # the best window must beat the runner-up by this much (scores are 0..1)
QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50.0, 20.0, 20.0, 2.0
_TOTAL_WEIGHT = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT
_MAX_OCCURRENCES = 2000  # exact occurrences looked at, against pathological repeated text
_RUNS_PER_START = 3  # approximate matching tries this many run lengths from each sentence


@dataclass(frozen=True, slots=True)
class Selector:
    """Where a passage was: its text with context (TextQuoteSelector) and offsets (Position)."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a passage is now. For an orphan, the old selector is kept and the ids are None."""

    status: str  # ANCHORED (same place), MOVED (elsewhere, or its text changed), ORPHANED
    start: int
    end: int
    sentence_id: int | None
    last_sentence_id: int | None
    exact: str
    prefix: str
    suffix: str
    similarity: float = 1.0  # of the old quote to the passage found (0 for an orphan)

    @property
    def selector(self) -> Selector:
        return Selector(self.exact, self.prefix, self.suffix, self.start, self.end)


def similarity(a: str, b: str) -> float:
    """Normalised Levenshtein similarity, 1.0 for equal strings and 0.0 for nothing in common."""
    if not a and not b:
        return 1.0
    return Levenshtein.normalized_similarity(a, b)


def selector_at(text: str, start: int, end: int) -> Selector:
    """The selector of ``text[start:end]``, with up to CONTEXT characters either side."""
    return Selector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        end=end,
    )


def selector_for(
    text: str, sentences: Sequence[Sentence], first: int, last: int | None = None
) -> Selector:
    """The selector of sentences ``first``..``last`` (ids, inclusive); ValueError if not there."""
    last = first if last is None else last
    by_id = {s.id: s for s in sentences}
    if first not in by_id:
        raise ValueError(f"there is no sentence {first}")
    if last not in by_id:
        raise ValueError(f"there is no sentence {last}")
    if last < first:
        raise ValueError(f"the run of sentences ends ({last}) before it starts ({first})")
    return selector_at(text, by_id[first].start, by_id[last].end)


def snap(sentences: Sequence[Sentence], start: int, end: int) -> tuple[int, int, int, int] | None:
    """The sentences overlapping ``[start, end)`` as (first id, last id, start, end), or None.

    ``sentences`` are in text order, as ``Article.sentences`` gives them.
    """
    if not sentences:
        return None
    ends = [s.end for s in sentences]
    i = bisect.bisect_right(ends, start)  # first sentence ending after start
    if end <= start:
        end = start + 1
    j = i
    while j < len(sentences) and sentences[j].start < end:
        j += 1
    if j == i:
        return None
    first, last = sentences[i], sentences[j - 1]
    return first.id, last.id, first.start, last.end


def _context_score(selector: Selector, text: str, start: int, end: int) -> tuple[float, float]:
    prefix = text[max(0, start - len(selector.prefix)) : start] if selector.prefix else ""
    suffix = text[end : end + len(selector.suffix)] if selector.suffix else ""
    if not selector.prefix:  # the passage began the article: is this one at the start too?
        prefix_score = 1.0 if not text[:start].strip() else 0.0
    else:
        prefix_score = similarity(selector.prefix, prefix)
    if not selector.suffix:
        suffix_score = 1.0 if not text[end:].strip() else 0.0
    else:
        suffix_score = similarity(selector.suffix, suffix)
    return prefix_score, suffix_score


def _found(status: str, text: str, span: tuple[int, int, int, int], score: float = 1.0) -> Anchor:
    first, last, start, end = span
    sel = selector_at(text, start, end)
    return Anchor(status, start, end, first, last, sel.exact, sel.prefix, sel.suffix, score)


def orphan(selector: Selector) -> Anchor:
    """The anchor of a passage that was not found: where it was, with its quote."""
    return Anchor(
        ORPHANED,
        selector.start,
        selector.end,
        None,
        None,
        selector.exact,
        selector.prefix,
        selector.suffix,
        0.0,
    )


def locate(selector: Selector, text: str, sentences: Sequence[Sentence]) -> Anchor:
    """Find the passage of ``selector`` in ``text`` (whose sentences are ``sentences``)."""
    exact = selector.exact
    if not exact or not sentences:
        return orphan(selector)

    # 1. the old position, still whole sentences
    if 0 <= selector.start <= selector.end <= len(text) and (
        text[selector.start : selector.end] == exact
    ):
        span = snap(sentences, selector.start, selector.end)
        if span is not None and span[2] == selector.start and span[3] == selector.end:
            return _found(ANCHORED, text, span)

    # 2. the quote, exactly, elsewhere (or in place but no longer whole sentences)
    best: tuple[tuple[bool, float, int], tuple[int, int, int, int]] | None = None
    at = text.find(exact)
    seen = 0
    while at != -1 and seen < _MAX_OCCURRENCES:
        seen += 1
        span = snap(sentences, at, at + len(exact))
        if span is not None:
            aligned = span[2] == at and span[3] == at + len(exact)
            if aligned or similarity(exact, text[span[2] : span[3]]) >= MIN_QUOTE_SIMILARITY:
                before, after = _context_score(selector, text, at, at + len(exact))
                key = (aligned, before + after, -abs(at - selector.start))
                if best is None or key > best[0]:
                    best = (key, span)
        at = text.find(exact, at + 1)
    if best is not None:
        return _found(MOVED, text, best[1])

    # 3. approximately, on runs of whole sentences
    return _fuzzy(selector, text, sentences)


def _fuzzy(selector: Selector, text: str, sentences: Sequence[Sentence]) -> Anchor:
    exact = selector.exact
    n = len(exact)
    lo, hi = n * MIN_QUOTE_SIMILARITY, n / MIN_QUOTE_SIMILARITY  # longer/shorter cannot match
    size = max(len(text), 1)
    scored: list[tuple[float, float, int, int]] = []  # (score, quote similarity, i, j)
    for i, first in enumerate(sentences):
        lengths: list[tuple[int, int]] = []  # (how far from the quote's length, j)
        for j in range(i, len(sentences)):
            length = sentences[j].end - first.start
            if length > hi:
                break
            if length >= lo:
                lengths.append((abs(length - n), j))
        for _, j in sorted(lengths)[:_RUNS_PER_START]:  # the runs nearest the quote in length
            start, end = first.start, sentences[j].end
            quote = Levenshtein.normalized_similarity(
                exact, text[start:end], score_cutoff=MIN_QUOTE_SIMILARITY - 0.25
            )
            if not quote:
                continue
            before, after = _context_score(selector, text, start, end)
            nearness = 1.0 - min(1.0, abs(start - selector.start) / size)
            score = (
                QUOTE_WEIGHT * quote
                + PREFIX_WEIGHT * before
                + SUFFIX_WEIGHT * after
                + POSITION_WEIGHT * nearness
            ) / _TOTAL_WEIGHT
            scored.append((score, quote, i, j))
    if not scored:
        return orphan(selector)
    scored.sort(reverse=True)
    score, quote, i, j = scored[0]
    if quote < MIN_QUOTE_SIMILARITY:
        return orphan(selector)
    rival = next((s for s in scored[1:] if s[3] < i or s[2] > j), None)  # not overlapping
    if rival is not None and score - rival[0] < MIN_MARGIN:
        return orphan(selector)
    first, last = sentences[i], sentences[j]
    return _found(MOVED, text, (first.id, last.id, first.start, last.end), quote)
