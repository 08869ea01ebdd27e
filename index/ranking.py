"""Ranking the common queries straight from the postings, with Whoosh's own BM25F formula.

Whoosh ranks through a tree of matcher objects, a few Python calls per posting; for a common word
or a prefix that expands to hundreds of words, that is most of a keystroke's time at 10,000
articles. The queries people type most — a word, a prefix, a fuzzy word, several of them joined by
AND or OR — need no positions to rank, so here they are scored by reading each term's posting
blocks (``postings.py``: arrays, not pickled tuples) and summing the same per-term BM25F score
Whoosh computes (same idf, same quantised field lengths, same average), in NumPy. A phrase is
ranked as Whoosh ranks it (the documents holding all its words, scored as their sum), best first,
with each one's positions read only until enough hold the phrase. Anything else (NOT, fields,
boosts, ranges, a phrase with slop) returns None, and the engine lets Whoosh rank it.
``tests/test_ranking.py`` checks the two agree.

An article too long for one Whoosh document is indexed in several ("parts", see ``engine.py``).
Parts are not ranked here: the engine passes their document numbers in ``exclude`` and ranks
each such article as a whole (an article's score for a word is its best part's), then merges it
into this order by the same rule, score down and then document number (its first part's), so the
order stays deterministic. Ordinary articles are one document each and are ranked as before.

This module reads the posting blocks of ``postings.Codec`` through the block methods of the
pinned whoosh-reloaded version's matcher; it is used only by ``engine.py``.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query
from whoosh.codec import whoosh3
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from . import postings

FIELD = "body"
# Each term's scores are kept while the searcher stays open, up to this many postings in all (a
# few MB): typing "hoja d", "hoja du", "hoja duti" scores "hoja" once, not at every keystroke.
CACHED_POSTINGS = 300_000
# The posting blocks read to score the latest terms are kept, up to this many postings in all
# (about 100 bytes each), so that highlighting the shown articles finds their words' offsets
# there instead of reading and decompressing the same blocks a second time.
HELD_POSTINGS = 60_000

# a phrase's documents (those holding all its words) are looked at this many at a time, best
# first, until enough hold the phrase
PHRASE_BATCH = 64
PHRASE_CHUNK = 4096  # ... and all of them (the count) this many at a time, in document order
EXPANSIONS = 256  # the latest prefixes and fuzzy words, with the terms each stands for

# a term's blocks in one segment: (document numbers, their values), in order
Blocks = list[tuple[Sequence[int], Sequence[bytes]]]
# documents (document numbers in the searcher, ascending) and each one's score
Scores = tuple[np.ndarray, np.ndarray]
_NONE: Scores = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


@dataclass(slots=True)
class _Leaf:
    offset: int
    reader: Any  # a Whoosh segment reader
    norm: np.ndarray  # per document: K1 * ((1 - B) + B * length / average length)
    live: np.ndarray | None  # per document: not deleted (None when none is)


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
            norm = self.k1 * ((1 - b) + b * _lengths(reader, n) / avg)
            live = _live(reader, n) if reader.has_deletions() else None
            self.leaves.append(_Leaf(offset, reader, norm, live))
        self.doc_count = searcher.doc_count_all()
        self._cache: OrderedDict[bytes, Scores] = OrderedDict()
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
        if type(q) is query.Phrase:
            words = q.words
            if (
                q.boost != 1.0
                or q.fieldname != FIELD
                or q.slop != 1
                or len(words) < 2
                or not all(isinstance(w, str) and w for w in words)
            ):
                return None
            return "phrase", [[w.encode("utf-8")] for w in words]
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
    ) -> Iterator[tuple[np.ndarray, np.ndarray, Sequence[int], Any]]:
        """The term's postings in ``leaf`` as (document numbers, weights, the document numbers
        as read, values), a block at a time (values None when not block postings); deleted
        documents are still in them."""
        try:
            m = leaf.reader.postings(FIELD, btext)
        except TermNotFound:
            return
        m = getattr(m, "child", m)  # a segment with deletions wraps its postings in a filter
        if not isinstance(m, postings.LeafMatcher):  # one posting at a time (W3, inlined)
            each: list[int] = []
            weights: list[float] = []
            while m.is_active():
                each.append(m.id())
                weights.append(m.weight())
                m.next()
            yield np.array(each, dtype=np.int64), np.array(weights, dtype=np.float64), each, None
            return
        while m.is_active():
            if m._data is None:
                m._read_data()
            read, kept, values = m._data
            n = len(read)
            if kept is None:
                w = np.ones(n)
            elif isinstance(kept, float):
                w = np.full(n, kept)
            else:
                w = np.frombuffer(kept, dtype=np.float32).astype(np.float64)
            yield np.frombuffer(read, dtype=np.uint32).astype(np.int64), w, read, values
            m._next_block()

    def _term_scores(self, btext: bytes) -> Scores:
        """Each document's score for one term (do not change the arrays: they may be cached).
        The same floats as Whoosh's BM25F: the same operations on the same doubles, in NumPy."""
        cached = self._cache.get(btext)
        if cached is not None:
            self._cache.move_to_end(btext)
            return cached
        k1p1 = self.k1 + 1
        idf = self.searcher.idf(FIELD, btext.decode("utf-8"))
        held: list[Blocks] | None = []  # the blocks read, kept for highlighting
        found_docs, found_scores = [], []
        for leaf in self.leaves:
            blocks: Blocks = []
            ids: list[np.ndarray] = []
            weights: list[np.ndarray] = []
            for block_ids, block_weights, read, values in self._blocks(leaf, btext):
                ids.append(block_ids)
                weights.append(block_weights)
                if values is None:
                    held = None
                elif held is not None:
                    blocks.append((read, values))
            if held is not None:
                held.append(blocks)
            if not ids:
                continue
            local = ids[0] if len(ids) == 1 else np.concatenate(ids)
            w = weights[0] if len(weights) == 1 else np.concatenate(weights)
            scores = idf * ((w * k1p1) / (w + leaf.norm[local]))
            if leaf.live is not None:
                keep = leaf.live[local]
                local, scores = local[keep], scores[keep]
            found_docs.append(local + leaf.offset)
            found_scores.append(scores)
        if not found_docs:
            result = _NONE
        elif len(found_docs) == 1:
            result = (found_docs[0], found_scores[0])
        else:  # the segments in order: their document numbers ascend
            result = (np.concatenate(found_docs), np.concatenate(found_scores))
        postings = len(result[0])
        if held is not None:
            self._hold(btext, held, postings)
        if postings <= CACHED_POSTINGS:
            self._cache[btext] = result
            self._cached += postings
            while self._cached > CACHED_POSTINGS:
                _, (old, _s) = self._cache.popitem(last=False)
                self._cached -= len(old)
        return result

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

    def _scores(self, terms: list[bytes]) -> Scores:
        """Each matching document's summed score over ``terms``."""
        return _summed([self._term_scores(btext) for btext in terms], self.doc_count)

    def narrow(self, q: query.Query, docs: list[int]) -> query.Query | None:
        """``q`` for highlighting in ``docs``: each prefix or fuzzy word replaced by the words it
        stands for that occur in those documents (reading the positions of hundreds of words a
        prefix expands to is the slow part of highlighting it). None if ``q`` is not ranked
        here."""
        if not self.usable or self._plan(q) is None:
            return None
        wanted = np.array(sorted(set(docs)), dtype=np.int64)

        def present(node: query.Query) -> query.Query:
            if isinstance(node, query.Prefix | query.FuzzyTerm):
                found = [
                    query.Term(FIELD, t.decode("utf-8"))
                    for t in self._terms(node) or []
                    if _any_of(self._term_scores(t)[0], wanted)
                ]
                return query.Or(found) if found else query.NullQuery
            return node

        return q.accept(present)

    def _phrase(
        self, words: list[bytes], limit: int | None, exclude: frozenset[int]
    ) -> list[tuple[int, float]]:
        """A phrase as Whoosh ranks it (``SpanNear2``: the documents holding its words one right
        after the other, scored as the words' intersection, their scores added as its binary
        tree of matchers adds them), without Whoosh's matchers: the documents holding every
        word, best first, then each one's positions read until ``limit`` hold the phrase."""
        docs, scores = self._tree([self._term_scores(w) for w in words])
        if exclude:
            keep = ~np.isin(docs, np.fromiter(exclude, dtype=np.int64, count=len(exclude)))
            docs, scores = docs[keep], scores[keep]
        decode = self.searcher.schema[FIELD].format.decoder("positions")
        if limit is None:  # all of them: in document order, a chunk at a time, then ranked
            held = np.zeros(len(docs), dtype=bool)
            for at in range(0, len(docs), PHRASE_CHUNK):
                chunk = docs[at : at + PHRASE_CHUNK].tolist()  # ascending
                positions = [self._positions(w, chunk, decode) for w in words]
                held[at : at + len(chunk)] = [
                    _consecutive([p.get(d, ()) for p in positions]) for d in chunk
                ]
            docs, scores = docs[held], scores[held]
            order = np.lexsort((docs, -scores))
            return list(zip(docs[order].tolist(), scores[order].tolist(), strict=True))
        order = np.lexsort((docs, -scores))
        docs, scores = docs[order], scores[order]
        found: list[tuple[int, float]] = []
        step = max(PHRASE_BATCH, 2 * limit)
        for at in range(0, len(docs), step):
            ranked = docs[at : at + step].tolist()
            positions = [self._positions(w, sorted(ranked), decode) for w in words]
            found += [
                (d, s)
                for d, s in zip(ranked, scores[at : at + step].tolist(), strict=True)
                if _consecutive([p.get(d, ()) for p in positions])
            ]
            if len(found) >= limit:
                return found[:limit]
        return found

    def _tree(self, items: list[Scores]) -> Scores:
        """The documents in all of ``items``, scores added as Whoosh's ``make_binary_tree`` of
        intersections adds them: the first half's sum plus the second half's."""
        if len(items) == 1:
            return items[0]
        half = len(items) // 2
        return _both(self._tree(items[:half]), self._tree(items[half:]))

    def _positions(self, btext: bytes, docs: list[int], decode: Any) -> dict[int, Sequence[int]]:
        """The word's positions in each of ``docs`` (sorted) that holds it, from the blocks
        kept when it was scored, else from its postings (only the blocks holding them)."""
        found: dict[int, Sequence[int]] = {}
        held = self.held(btext)
        for k, leaf in enumerate(self.leaves):
            n = leaf.reader.doc_count_all()
            local = [d - leaf.offset for d in docs if leaf.offset <= d < leaf.offset + n]
            if not local:
                continue
            if held is not None:
                for d, value in held_values(held[k], local):
                    found[d + leaf.offset] = decode(value)
                continue
            try:
                m = leaf.reader.postings(FIELD, btext)
            except TermNotFound:
                continue
            m = getattr(m, "child", m)
            for d in local:
                if not m.is_active():
                    break
                if hasattr(m, "_read_ids"):  # Whoosh's block postings: to the block, then in it
                    if d > m.block_max_id():
                        m._skip_to_block(lambda: d > m.block_max_id())  # noqa: B023
                        if not m.is_active():
                            break
                    if m._ids is None:
                        m._read_ids()
                    i = bisect.bisect_left(m._ids, d)
                    if i < len(m._ids) and m._ids[i] == d:
                        if m._values is None:
                            m._read_values()
                        found[d + leaf.offset] = decode(m._values[i])
                else:
                    if m.id() < d:
                        m.skip_to(d)
                    if m.is_active() and m.id() == d:
                        found[d + leaf.offset] = m.value_as("positions")
        return found

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
            docs, scores = _summed([self._scores(terms) for terms in groups], self.doc_count)
        elif kind == "and":  # the smallest first, as before: the same sums in the same order
            parts = sorted((self._scores(terms) for terms in groups), key=lambda p: len(p[0]))
            docs, scores = parts[0]
            for other_docs, other_scores in parts[1:]:
                docs, scores = _both((docs, scores), (other_docs, other_scores))
        else:
            return self._phrase([terms[0] for terms in groups], limit, exclude)
        if exclude:
            keep = ~np.isin(docs, np.fromiter(exclude, dtype=np.int64, count=len(exclude)))
            docs, scores = docs[keep], scores[keep]
        n = len(docs)
        if limit is not None and limit <= 0:
            return []
        if limit is not None and limit < n:
            # the limit-th best score, then everything at least as good, in order (ties
            # included, so equal scores still go by document number)
            threshold = np.partition(scores, n - limit)[n - limit]
            keep = scores >= threshold
            docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))  # score down, then document number
        if limit is not None:
            order = order[:limit]
        return list(zip(docs[order].tolist(), scores[order].tolist(), strict=True))


def _summed(items: list[Scores], doc_count: int) -> Scores:
    """Each document's scores in ``items`` added in that order: the same floats as adding them
    one posting at a time from 0.0 (``bincount`` adds each bin's weights in their order); none
    of ``items`` is changed (a single one is returned as it is)."""
    if len(items) == 1:
        return items[0]
    items = [item for item in items if len(item[0])]
    if not items:
        return _NONE
    if len(items) == 1:
        return items[0]
    docs = np.concatenate([d for d, _ in items])
    weights = np.concatenate([s for _, s in items])
    summed = np.bincount(docs, weights=weights, minlength=doc_count)
    present = np.zeros(max(doc_count, int(docs.max()) + 1), dtype=bool)
    present[docs] = True
    found = np.flatnonzero(present)
    return found, summed[found]


_BYTE_LENGTHS = np.array([byte_to_length(i) if i else 0 for i in range(256)], dtype=np.float64)


def _lengths(reader: Any, n: int) -> np.ndarray:
    """Each document's body length as Whoosh's ``doc_field_length`` gives it (its quantised
    byte, mapped back; 0 for a document with no word indexed, for which Whoosh gives None),
    read from the segment's lengths column at once: one call a document took 0.2 s at
    100,000 articles, on the first search of every searcher."""
    try:
        column = reader._perdoc._cached_reader(f"_{FIELD}_len", whoosh3.LENGTHS_COLUMN)
        if column is not None and column._fixedlen == 1 and column._count <= n:
            found = np.zeros(n, dtype=np.uint8)
            raw = column._dbfile.get(column._basepos, column._count)
            found[: column._count] = np.frombuffer(raw, dtype=np.uint8)
            return _BYTE_LENGTHS[found]
    except AttributeError:  # not the pinned version's W3 reader: one document at a time
        pass
    return np.array([reader.doc_field_length(d, FIELD, 1) or 0 for d in range(n)], dtype=np.float64)


def _live(reader: Any, n: int) -> np.ndarray:
    """Which of a segment's documents are not deleted."""
    live = np.ones(n, dtype=bool)
    deleted = getattr(reader, "deleted_docs_set", None)  # a segment reader's (cached) set
    if not isinstance(deleted, frozenset):  # not that: one document at a time
        return np.array([not reader.is_deleted(d) for d in range(n)], dtype=bool)
    gone = [d for d in deleted if 0 <= d < n]
    live[gone] = False
    return live


def held_values(blocks: Blocks, local: list[int]) -> Iterator[tuple[int, bytes]]:
    """(document, value) for each of the ``local`` documents (sorted) of one segment that the
    word's kept blocks (``Ranker.held``) hold."""
    b = 0
    for docnum in local:
        while b < len(blocks) and blocks[b][0][-1] < docnum:
            b += 1
        if b == len(blocks):
            return
        ids, values = blocks[b]
        i = bisect.bisect_left(ids, docnum)
        if i < len(ids) and ids[i] == docnum:
            yield docnum, values[i]


def _both(a: Scores, b: Scores) -> Scores:
    """The documents in both, each one's score in ``a`` plus its score in ``b``."""
    docs, mine, theirs = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return docs, a[1][mine] + b[1][theirs]


def _consecutive(positions: list[Sequence[int]]) -> bool:
    """Whether the words whose positions these are stand one right after the other
    somewhere (positions count the words kept, stop words left out, as the phrase's do)."""
    if not all(positions):
        return False
    rest = [set(p) for p in positions[1:]]
    return any(all(p + k in later for k, later in enumerate(rest, 1)) for p in positions[0])


def _any_of(docs: np.ndarray, wanted: np.ndarray) -> bool:
    """Whether any of ``wanted`` (sorted) is among ``docs`` (sorted)."""
    if not len(docs) or not len(wanted):
        return False
    at = np.searchsorted(docs, wanted)
    at[at == len(docs)] = len(docs) - 1
    return bool((docs[at] == wanted).any())
