"""Ranking the common queries straight from the postings, with Whoosh's own BM25F formula.

Whoosh ranks through a tree of matcher objects, a few Python calls per posting; for a common word
or a prefix that expands to hundreds of words, that is most of a keystroke's time at 10,000
articles. The queries people type most — a word, a prefix, a fuzzy word, several of them joined by
AND or OR — need no positions to rank, so here they are scored by reading each term's posting
blocks and summing the same per-term BM25F score Whoosh computes (same idf, same quantised field
lengths, same average). Anything else (phrases, NOT, fields, boosts, ranges) returns None, and
the engine lets Whoosh rank it. ``tests/test_ranking.py`` checks the two agree.

An article too long for one Whoosh document is indexed in several ("parts", see ``engine.py``).
Parts are not ranked here: the engine passes their document numbers in ``exclude`` and ranks
each such article as a whole (an article's score for a word is its best part's), then merges it
into this order by the same rule, score down and then document number (its first part's), so the
order stays deterministic. Ordinary articles are one document each and are ranked as before.

This module reads Whoosh's posting blocks through the matcher's block methods of the pinned
whoosh-reloaded version; it is used only by ``engine.py``.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from whoosh import query
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

FIELD = "body"
# Each term's scores are kept while the searcher stays open, up to this many postings in all (a
# few MB): typing "hoja d", "hoja du", "hoja duti" scores "hoja" once, not at every keystroke.
CACHED_POSTINGS = 300_000
# The posting blocks read to score the latest terms are kept, up to this many postings in all
# (about 100 bytes each), so that highlighting the shown articles finds their words' offsets
# there instead of reading and decompressing the same blocks a second time.
HELD_POSTINGS = 60_000

EXPANSIONS = 256  # the latest prefixes and fuzzy words, with the terms each stands for

# a term's blocks in one segment: (document numbers, their values), in order
Blocks = list[tuple[Sequence[int], Sequence[bytes]]]


@dataclass(slots=True)
class _Leaf:
    offset: int
    reader: Any  # a Whoosh segment reader
    norm: list[float]  # per document: K1 * ((1 - B) + B * length / average length)
    deleted: frozenset[int]


class Ranker:
    """Scores for one open searcher; built once and kept while the searcher stays open."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        weighting = searcher.weighting
        self.usable = type(weighting) is BM25F
        if not self.usable:
            return
        self.k1 = weighting.K1
        b = weighting._field_B.get(FIELD, weighting.B)
        avg = searcher.avg_field_length(FIELD) or 1
        self.leaves: list[_Leaf] = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            n = reader.doc_count_all()
            # Whoosh gives None, not 0, for a document with no word indexed (an article of
            # single letters or numbers): its length is 0
            norm = [
                self.k1 * ((1 - b) + b * (reader.doc_field_length(d, FIELD, 1) or 0) / avg)
                for d in range(n)
            ]
            deleted = (
                frozenset(d for d in range(n) if reader.is_deleted(d))
                if reader.has_deletions()
                else frozenset()
            )
            self.leaves.append(_Leaf(offset, reader, norm, deleted))
        self._cache: OrderedDict[bytes, dict[int, float]] = OrderedDict()
        self._cached = 0
        self._held: OrderedDict[bytes, tuple[list[Blocks], int]] = OrderedDict()
        self._held_postings = 0
        self._expansions: dict[tuple, list[bytes]] = {}  # a prefix or fuzzy word -> its terms

    # -- which queries ------------------------------------------------------------------------

    def _terms(self, node: query.Query) -> list[bytes] | None:
        """The terms a leaf query stands for, or None if it is not one this module ranks."""
        if node.boost != 1.0 or node.field() != FIELD:
            return None
        if type(node) is query.Term:
            return [node.text.encode("utf-8")] if isinstance(node.text, str) else None
        if isinstance(node, query.Prefix | query.FuzzyTerm) and not isinstance(
            node, query.Wildcard
        ):
            # a query's prefix is looked up when ranking and again when highlighting: once
            key = (
                type(node),
                node.text,
                getattr(node, "maxdist", 0),
                getattr(node, "prefixlength", 0),
            )
            found = self._expansions.get(key)
            if found is None:
                found = sorted(set(node._btexts(self.searcher.reader())))
                if len(self._expansions) >= EXPANSIONS:
                    self._expansions.pop(next(iter(self._expansions)))
                self._expansions[key] = found
            return found
        return None

    def _plan(self, q: query.Query) -> tuple[str, list[list[bytes]]] | None:
        if type(q) in (query.And, query.Or):
            if type(q) is query.Or and (q.scale or q.minmatch):
                return None
            groups = [self._terms(sub) for sub in q.subqueries]
            if any(g is None for g in groups):
                return None
            return ("and" if type(q) is query.And else "or"), groups  # type: ignore[return-value]
        terms = self._terms(q)
        return None if terms is None else ("or", [terms])

    # -- scoring ------------------------------------------------------------------------------

    def _blocks(
        self, leaf: _Leaf, btext: bytes
    ) -> Iterator[tuple[Sequence[int], Sequence[float], Sequence[bytes] | None]]:
        """The term's postings in ``leaf`` as (document numbers, weights, values), a block at a
        time (values None when not Whoosh's block postings); deleted documents are still in
        them."""
        try:
            m = leaf.reader.postings(FIELD, btext)
        except TermNotFound:
            return
        m = getattr(m, "child", m)  # a segment with deletions wraps its postings in a filter
        if not hasattr(m, "_read_ids"):  # not Whoosh's W3 block reader: one posting at a time
            while m.is_active():
                yield (m.id(),), (m.weight(),), None
                m.next()
            return
        byteids = m._byteids
        while m.is_active():
            if m._data is None:
                m._read_data()
            # the ids are stored as differences: summed in C, not by Whoosh's generator
            ids = m._data[0]
            m._ids = ids if byteids else tuple(accumulate(ids))
            m._read_weights()
            m._read_values()  # already decoded with the rest of the block: kept, not read
            yield m._ids, m._weights, m._values
            m._next_block()

    def _term_scores(self, btext: bytes) -> dict[int, float]:
        """Each document's score for one term (do not change the dict: it may be cached)."""
        cached = self._cache.get(btext)
        if cached is not None:
            self._cache.move_to_end(btext)
            return cached
        scores: dict[int, float] = {}
        k1p1 = self.k1 + 1
        idf = self.searcher.idf(FIELD, btext.decode("utf-8"))
        held: list[Blocks] | None = []
        for leaf in self.leaves:
            norm, offset, deleted = leaf.norm, leaf.offset, leaf.deleted
            blocks: Blocks = []
            for ids, weights, values in self._blocks(leaf, btext):
                scores.update(
                    {
                        offset + d: idf * ((w * k1p1) / (w + norm[d]))
                        for d, w in zip(ids, weights, strict=True)
                        if not deleted or d not in deleted
                    }
                )
                if values is None:
                    held = None
                elif held is not None:
                    blocks.append((ids, values))
            if held is not None:
                held.append(blocks)
        if held is not None:
            self._hold(btext, held, len(scores))
        if len(scores) <= CACHED_POSTINGS:
            self._cache[btext] = scores
            self._cached += len(scores)
            while self._cached > CACHED_POSTINGS:
                _, old = self._cache.popitem(last=False)
                self._cached -= len(old)
        return scores

    def _hold(self, btext: bytes, held: list[Blocks], postings: int) -> None:
        if postings > HELD_POSTINGS:
            return
        if btext in self._held:
            self._held_postings -= self._held.pop(btext)[1]
        self._held[btext] = (held, postings)
        self._held_postings += postings
        while self._held_postings > HELD_POSTINGS:
            _, (_old, count) = self._held.popitem(last=False)
            self._held_postings -= count

    def held(self, btext: bytes) -> list[Blocks] | None:
        """A body term's posting blocks in each segment (in the searcher's order of segments),
        when they were read to score it and are still kept; else None."""
        found = self._held.get(btext) if self.usable else None
        return None if found is None else found[0]

    def _scores(self, terms: list[bytes]) -> dict[int, float]:
        """Each matching document's summed score over ``terms``."""
        return _summed([self._term_scores(btext) for btext in terms])

    def narrow(self, q: query.Query, docs: list[int]) -> query.Query | None:
        """``q`` for highlighting in ``docs``: each prefix or fuzzy word replaced by the words it
        stands for that occur in those documents (reading the positions of hundreds of words a
        prefix expands to is the slow part of highlighting it). None if ``q`` is not ranked
        here."""
        if not self.usable or self._plan(q) is None:
            return None

        def present(node: query.Query) -> query.Query:
            if isinstance(node, query.Prefix | query.FuzzyTerm):
                found = [
                    query.Term(FIELD, t.decode("utf-8"))
                    for t in self._terms(node) or []
                    if any(d in self._term_scores(t) for d in docs)
                ]
                return query.Or(found) if found else query.NullQuery
            return node

        return q.accept(present)

    def rank(self, q: query.Query, limit: int | None) -> list[int] | None:
        """Document numbers in Whoosh's order (score down, then document number), at most
        ``limit`` of them; None when ``q`` is not a query this module ranks."""
        ranked = self.scored(q, limit)
        return None if ranked is None else [d for d, _ in ranked]

    def scored(
        self, q: query.Query, limit: int | None, exclude: frozenset[int] = frozenset()
    ) -> list[tuple[int, float]] | None:
        """``rank`` with the scores: (document number, score), best first; the documents in
        ``exclude`` (the parts of articles indexed in several) are left out."""
        if not self.usable:
            return None
        plan = self._plan(q)
        if plan is None:
            return None
        kind, groups = plan
        if kind == "or":
            scores = _summed([self._scores(terms) for terms in groups])
        else:
            parts = sorted((self._scores(terms) for terms in groups), key=len)
            scores = parts[0]
            for other in parts[1:]:
                scores = {d: scores[d] + other[d] for d in scores.keys() & other.keys()}
        if exclude:  # a copy: a single term's scores are the cached dict itself
            scores = {d: s for d, s in scores.items() if d not in exclude}
        if limit is None or limit >= len(scores):
            return sorted(scores.items(), key=_order)
        if limit <= 0:
            return []
        # the limit-th best score, then everything at least as good, in order (ties included,
        # so equal scores still go by document number)
        threshold = heapq.nlargest(limit, scores.values())[-1]
        best = [(d, s) for d, s in scores.items() if s >= threshold]
        return sorted(best, key=_order)[:limit]


def _summed(items: list[dict[int, float]]) -> dict[int, float]:
    """Each document's scores in ``items`` added in that order: the same floats as adding them
    one posting at a time from 0.0, with the dictionaries' own operations; none of ``items`` is
    changed (a single one is returned as it is)."""
    if len(items) == 1:
        return items[0]
    scores = dict(items[0]) if items else {}
    for more in items[1:]:
        both = {d: scores[d] + more[d] for d in scores.keys() & more.keys()}
        scores.update(more)
        scores.update(both)
    return scores


def _order(item: tuple[int, float]) -> tuple[float, int]:
    return (-item[1], item[0])
