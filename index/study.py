"""Studying the library: concordance, spread, collocates and keywords.

Each function takes the library and a ``cancelled`` callback (checked in its loops; it raises
``Cancelled`` when the callback returns True), so the app can run it in a thread worker and drop
it at the next keystroke. The matches are always the index's own (``Engine.occurrences``: the
spans search highlights), so the counts here equal search's highlighted occurrences; the words
around them come from the study store (``corpus.py``). Statistics are in ``stats.py``.

Names are in ``namelist.py`` (``names(library)``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import stats
from .corpus import Corpus, corpus, word_key
from .engine import Cancelled, Occurrences, QueryError
from .model import sentence_number

if TYPE_CHECKING:
    from .library import Library

__all__ = [
    "SORTS",
    "Cancelled",
    "Collocate",
    "Collocates",
    "Concordance",
    "Keyword",
    "Keywords",
    "KwicLine",
    "Spread",
    "StudyError",
    "collocates",
    "keywords",
    "kwic",
    "kwic_first",
    "spread",
    "theme_query",
]

SORTS = ("article", "L1", "L2", "L3", "R1", "R2", "R3")
MEASURES = ("ll", "pmi", "t")
Check = Callable[[], bool] | None
_TOKEN = re.compile(r"\w+(?:[.'’]\w+)*")
_LETTER = re.compile(r"[^\W\d_]")


class StudyError(ValueError):
    """A request that cannot be answered (an unusable query, an unknown article or theme): the
    message is one line saying why."""


def _check(cancelled: Check) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled


def _occurrences(library: Library, text: str, cancelled: Check) -> list[Occurrences]:
    library.sync_aliases()
    try:
        return library.engine.occurrences(text, cancelled)
    except QueryError as exc:
        raise StudyError(f"unusable query: {exc}") from exc


def _order(library: Library) -> dict[str, int]:
    return {info.id: i for i, info in enumerate(library.articles())}


def theme_query(library: Library, name: str) -> str:
    """The query of the theme called ``name`` (curated, discovered or the person's own)."""
    from .themes import UserThemes, discover, load_curated

    folded = " ".join(name.split()).casefold()
    user = UserThemes.for_library(library).get(name)
    if user is not None:
        return user.query
    for theme in [*load_curated(library.folder)[0], *discover(library)]:
        if theme.name.casefold() == folded:
            return theme.query
    raise StudyError(f"no theme called {name!r}; `glossator themes` lists them")


# -- concordance ------------------------------------------------------------------------------


@dataclass(slots=True)
class KwicLine:
    """One occurrence: ``start``/``end`` are the match's offsets in the article text (in the
    title for a title line, ``sentence_id`` -1). ``left``/``match``/``right`` are filled by
    ``Concordance.fill``: the sentence's text before, of and after the match, at most
    ``context`` characters each side."""

    article_id: str
    title: str
    sentence_id: int
    start: int
    end: int
    left: str = ""
    match: str = ""
    right: str = ""
    filled: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "sentence": sentence_number(self.sentence_id),  # §N; None for the title
            "left": self.left,
            "match": self.match,
            "right": self.right,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class Concordance:
    query: str
    sort: str
    context: int
    lines: list[KwicLine] = field(default_factory=list)  # every occurrence, in order
    _library: Any = None
    complete: bool = True  # False: the first lines only (``kwic_first``)

    @property
    def total(self) -> int:
        return len(self.lines)

    def fill(self, lo: int = 0, hi: int | None = None, cancelled: Check = None) -> list[KwicLine]:
        """The lines ``lo``–``hi`` with their text (each article read once from the index)."""
        chosen = self.lines[lo:hi]
        by_article: dict[str, list[KwicLine]] = {}
        for line in chosen:
            if not line.filled:
                by_article.setdefault(line.article_id, []).append(line)
        for article_id, lines in by_article.items():
            _check(cancelled)
            got = self._library.engine.sentences_of(article_id)
            if got is None:
                continue
            body, sentences = got
            for line in lines:
                if line.sentence_id < 0:
                    text, s_start, s_end = line.title, 0, len(line.title)
                else:
                    text, (s_start, s_end) = body, sentences[line.sentence_id]
                end = min(line.end, s_end)
                line.left = text[max(s_start, line.start - self.context) : line.start]
                line.match = text[line.start : end]
                line.right = text[end : min(s_end, end + self.context)]
                line.filled = True
        return chosen

    def to_json(self) -> dict[str, Any]:
        self.fill()
        return {
            "query": self.query,
            "sort": self.sort,
            "context": self.context,
            "total": self.total,
            "lines": [line.to_json() for line in self.lines],
        }


def kwic(
    library: Library,
    text: str,
    sort: str = "article",
    context: int = 40,
    limit: int | None = None,
    cancelled: Check = None,
    near: str | None = None,
    window: int = 5,
) -> Concordance:
    """Every occurrence of the query ``text`` as a concordance line, sorted by ``sort``: the
    library's article order (then reading order), or the 1st/2nd/3rd word left (L1–L3) or
    right (R1–R3) of the match in its sentence, case-folded, ties in article order, lines
    without such a word last. The first ``limit`` lines (all when None) have their text; the
    rest are filled by ``Concordance.fill`` when shown. With ``near`` (a word, as collocates
    list it), only the occurrences with that word within ``window`` words either side.

    Cost: the query's spans over the library (as a full search count, without reading stored
    articles), a sort in memory, then reading the articles of the lines filled."""
    if sort not in SORTS:
        raise StudyError(f"unknown sort {sort!r}: one of {', '.join(SORTS)}")
    if context < 0:
        raise StudyError("the context must be 0 characters or more")
    found = _occurrences(library, text, cancelled)
    order = _order(library)
    found.sort(key=lambda o: order.get(o.article_id, len(order)))
    lines = _lines(found)
    if near is not None:
        lines = _near(corpus(library, cancelled), lines, near, window, cancelled)
    if sort != "article":
        _check(cancelled)
        keys = _sort_keys(corpus(library, cancelled), lines, sort, cancelled)
        lines = [line for _, line in sorted(zip(keys, lines, strict=True), key=lambda x: x[0])]
    result = Concordance(text, sort, context, lines, library)
    result.fill(0, limit, cancelled)
    return result


def _lines(found: list[Occurrences]) -> list[KwicLine]:
    """A line per match (the title's first), unfilled, in the order of ``found``."""
    lines: list[KwicLine] = []
    for occ in found:
        for start, end in occ.title_spans:
            lines.append(KwicLine(occ.article_id, occ.title, -1, start, end))
        for sentence_id, start, end in occ.spans:
            lines.append(KwicLine(occ.article_id, occ.title, sentence_id, start, end))
    return lines


def kwic_first(
    library: Library,
    text: str,
    context: int = 40,
    limit: int = 50,
    cancelled: Check = None,
) -> Concordance:
    """The first ``limit`` lines of ``kwic(library, text)`` in article order, found by reading
    only the first articles that hold the query (``Engine.first_occurrences``): a concordance's
    first screen, whatever the query's frequency. ``complete`` is False unless that was all.

    Cost: the articles matching from the postings, the spans of the first few, and reading
    those few articles."""
    if context < 0:
        raise StudyError("the context must be 0 characters or more")
    library.sync_aliases()
    order = [info.id for info in library.articles()]
    try:
        found, whole = library.engine.first_occurrences(text, order, limit, cancelled)
    except QueryError as exc:
        raise StudyError(f"unusable query: {exc}") from exc
    lines = _lines(found)
    complete = whole and len(lines) <= limit
    result = Concordance(text, "article", context, lines[:limit], library, complete)
    result.fill(0, limit, cancelled)
    return result


def _near(
    store: Corpus, lines: list[KwicLine], near: str, window: int, cancelled: Check
) -> list[KwicLine]:
    """The lines with the word ``near`` within ``window`` words of the match."""
    wid = store.ids.get(near, store.ids.get(word_key(near)))
    if wid is None:
        return []
    kept: list[KwicLine] = []
    cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for n, line in enumerate(lines):
        if not n % 1024:
            _check(cancelled)
        if line.sentence_id < 0:
            continue
        if line.article_id not in cache:
            cache[line.article_id] = store.article_tokens(line.article_id)
        ids, starts = cache[line.article_id]
        first = int(np.searchsorted(starts, line.start, "left"))
        after = int(np.searchsorted(starts, line.end, "left"))
        around = np.concatenate([ids[max(0, first - window) : first], ids[after : after + window]])
        if (around == wid).any():
            kept.append(line)
    return kept


def _sort_keys(store: Corpus, lines: list[KwicLine], sort: str, cancelled: Check) -> list[tuple]:
    """Each line's sort key: (0, the word) or (1, "") when there is none, then its place."""
    side, k = sort[0], int(sort[1])
    words = store.words
    keys: list[tuple] = []
    cache: dict[str, tuple] = {}
    for n, line in enumerate(lines):
        if not n % 1024:
            _check(cancelled)
        word: str | None
        if line.sentence_id < 0:
            tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(line.title)]
            before = [w for s, w in tokens if s < line.start]
            after = [w for s, w in tokens if s >= line.end]
            pick = before[-k] if side == "L" and len(before) >= k else None
            if side == "R":
                pick = after[k - 1] if len(after) >= k else None
            word = word_key(pick) if pick else None
        else:
            if line.article_id not in cache:
                ids, starts = store.article_tokens(line.article_id)
                cache[line.article_id] = (ids, starts, store.article_sentences(line.article_id))
            ids, starts, sentences = cache[line.article_id]
            s_lo = int(sentences[line.sentence_id])
            s_hi = (
                int(sentences[line.sentence_id + 1])
                if line.sentence_id + 1 < len(sentences)
                else None
            )
            if side == "L":
                i = int(np.searchsorted(starts, line.start, "left")) - k
                ok = i >= 0 and starts[i] >= s_lo
            else:
                i = int(np.searchsorted(starts, line.end, "left")) + k - 1
                ok = i < len(starts) and (s_hi is None or starts[i] < s_hi)
            word = words[ids[i]] if ok else None
        keys.append((0, word.casefold()) if word else (1, ""))
    return keys


# -- spread -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Spread:
    query: str
    articles: list[dict[str, Any]]  # matching articles, highest rate first
    total: int  # occurrences in the library
    library_articles: int
    library_words: int
    dp: float  # Gries' deviation of proportions over all the articles
    sentences: dict[str, list[int]] = field(default_factory=dict)  # article -> sentence ids

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "library_articles": self.library_articles,
            "library_words": self.library_words,
            "per_1000_words": round(1000 * self.total / self.library_words, 3)
            if self.library_words
            else 0.0,
            "dp": round(self.dp, 4),
            "articles": self.articles,
        }


def spread(library: Library, text: str, cancelled: Check = None) -> Spread:
    """Where the query's occurrences fall: for each article holding it, its ``count`` (the
    search's highlights, title included), ``words``, ``per_1000_words`` and ``positions``
    (each occurrence's start as a fraction of the article text; the title at 0), highest rate
    first (then count, then article order); and Gries' DP over the library. ``sentences``
    has each occurrence's sentence id (-1 the title) by article, for the app to open.

    Cost: the query's spans over the library, and each article's word count from the store."""
    found = _occurrences(library, text, cancelled)
    store = corpus(library, cancelled)
    order = _order(library)
    rows: list[dict[str, Any]] = []
    by_id = {o.article_id: o for o in found}
    counts, sizes = [], []
    for article_id in order:
        entry = store.entries.get(article_id)
        if entry is None:
            continue
        occ = by_id.get(article_id)
        n = len(occ.spans) + len(occ.title_spans) if occ else 0
        counts.append(n)
        sizes.append(entry.words)
        if not n or occ is None:
            continue
        length = max(entry.length, 1)
        positions = [0.0] * len(occ.title_spans) + [round(s / length, 4) for _i, s, _e in occ.spans]
        rows.append(
            {
                "article_id": article_id,
                "title": occ.title,
                "count": n,
                "words": entry.words,
                "per_1000_words": round(1000 * n / entry.words, 3) if entry.words else 0.0,
                "positions": positions,
            }
        )
    rows.sort(key=lambda r: (-r["per_1000_words"], -r["count"], order[r["article_id"]]))
    places = {o.article_id: [-1] * len(o.title_spans) + [i for i, _s, _e in o.spans] for o in found}
    dp = stats.dp(counts, sizes)
    return Spread(text, rows, sum(counts), len(counts), sum(sizes), dp, places)


# -- collocates -------------------------------------------------------------------------------


def _useful(word: str, stopwords: bool) -> bool:
    """A word worth listing: letters in it, two characters or more, not a function word."""
    if len(word) < 2 or not _LETTER.search(word):
        return False
    return stopwords or word not in stats.STOP_WORDS


@dataclass(slots=True)
class Collocate:
    word: str
    joint: int  # in the node's windows
    left: int
    right: int
    frequency: int  # in the library
    score: float

    def to_json(self) -> dict[str, Any]:
        return {
            "word": self.word,
            "joint": self.joint,
            "left": self.left,
            "right": self.right,
            "frequency": self.frequency,
            "score": round(self.score, 3),
        }


@dataclass(slots=True)
class Collocates:
    term: str
    window: int
    measure: str
    occurrences: int  # of the node
    window_words: int  # R1: the words in all windows
    library_words: int  # N
    collocates: list[Collocate]

    def to_json(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "window": self.window,
            "measure": self.measure,
            "measure_name": MEASURE_NAMES[self.measure],
            "occurrences": self.occurrences,
            "window_words": self.window_words,
            "library_words": self.library_words,
            "collocates": [c.to_json() for c in self.collocates],
        }


MEASURE_NAMES = {"ll": "log-likelihood (G²)", "pmi": "pointwise mutual information", "t": "t-score"}


def collocates(
    library: Library,
    term: str,
    window: int = 5,
    measure: str = "ll",
    stopwords: bool = False,
    min_count: int = 2,
    limit: int | None = 50,
    cancelled: Check = None,
) -> Collocates:
    """The words within ``window`` words left and right of each occurrence of ``term`` (a
    query, matched as search matches it), in the same article (sentences do not stop a
    window; a word in two windows counted once), with their joint count and association
    score (``measure``: "ll" log-likelihood, "pmi", or "t"), best first; only words found at
    least ``min_count`` times near it and more often than chance; function words left out
    unless ``stopwords``.

    Cost: the term's spans, then numpy over the windows (a few million words a second)."""
    if measure not in MEASURES:
        raise StudyError(f"unknown measure {measure!r}: one of {', '.join(MEASURES)}")
    if window < 1:
        raise StudyError("the window must be 1 word or more")
    found = _occurrences(library, term, cancelled)
    store = corpus(library, cancelled)
    offsets = np.arange(1, window + 1)
    lefts: list[np.ndarray] = []
    rights: list[np.ndarray] = []
    nodes = 0
    for n, occ in enumerate(found):
        if not n % 256:
            _check(cancelled)
        entry = store.entries.get(occ.article_id)
        if entry is None or not occ.spans:
            continue
        lo, hi = entry.tokens
        starts = store.starts[lo:hi]
        spans = np.array([(s, e) for _i, s, e in occ.spans], dtype=np.int64)
        first = np.searchsorted(starts, spans[:, 0], "left")  # the node's first word
        after = np.searchsorted(starts, spans[:, 1], "left")  # the word after it
        nodes += len(spans)
        left = first[:, None] - offsets[None, :]
        right = after[:, None] + offsets[None, :] - 1
        # each word of the article counted once, however many windows it falls in (so a
        # word is never counted near the term more often than it occurs), the term's own
        # words never; a word left of one occurrence and right of the next counts as left
        lengths = after - first
        inside = np.repeat(first - np.cumsum(lengths) + lengths, lengths) + np.arange(
            int(lengths.sum())
        )
        left_at = np.setdiff1d(left[left >= 0], inside)
        right_at = np.setdiff1d(np.setdiff1d(right[right < hi - lo], inside), left_at)
        lefts.append(lo + left_at)
        rights.append(lo + right_at)
    left_ids = store.tokens[np.concatenate(lefts)] if lefts else np.zeros(0, np.uint32)
    right_ids = store.tokens[np.concatenate(rights)] if rights else np.zeros(0, np.uint32)
    size = len(store.words)
    left_counts = np.bincount(left_ids, minlength=size)
    right_counts = np.bincount(right_ids, minlength=size)
    joint = left_counts + right_counts
    r1 = int(joint.sum())
    freq = store.frequencies
    total = store.total
    found_collocates = []
    for wid in np.nonzero(joint >= max(min_count, 1))[0].tolist():
        word = store.words[wid]
        if not _useful(word, stopwords):
            continue
        o11, c1 = int(joint[wid]), int(freq[wid])
        if o11 <= stats.expected(o11, r1, c1, total):
            continue
        score = stats.collocation(o11, r1, c1, total, measure)
        found_collocates.append(
            Collocate(word, o11, int(left_counts[wid]), int(right_counts[wid]), c1, score)
        )
    found_collocates.sort(key=lambda c: (-c.score, -c.joint, c.word))
    if limit is not None:
        found_collocates = found_collocates[:limit]
    return Collocates(term, window, measure, nodes, r1, total, found_collocates)


# -- keywords ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Keyword:
    word: str
    count: int  # in the target
    reference: int  # in the rest of the library
    ll: float
    log_ratio: float

    def to_json(self) -> dict[str, Any]:
        return {
            "word": self.word,
            "count": self.count,
            "reference": self.reference,
            "ll": round(self.ll, 3),
            "log_ratio": round(self.log_ratio, 3),
            "query": self.word,
        }


@dataclass(slots=True)
class Keywords:
    target: str  # "article ID" or "theme NAME"
    target_words: int
    reference_words: int
    keywords: list[Keyword]

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "target_words": self.target_words,
            "reference_words": self.reference_words,
            "measure": "log-likelihood keyness (Rayson & Garside), effect size log ratio",
            "keywords": [k.to_json() for k in self.keywords],
        }


def keywords(
    library: Library,
    article_id: str | None = None,
    theme: str | None = None,
    stopwords: bool = False,
    min_count: int = 2,
    limit: int | None = 50,
    cancelled: Check = None,
    query: str | None = None,
) -> Keywords:
    """What is distinctive of one article, or of a theme's passages (its sentences), or of the
    passages of a ``query``, against
    the rest of the library: log-likelihood keyness with the log ratio as effect size, words
    more frequent in the target only, at least ``min_count`` times there, best first.

    Cost: counting the target's words (an article: a few hundred; a theme: its passages) and
    a pass over the words found."""
    if sum(x is not None for x in (article_id, theme, query)) != 1:
        raise StudyError("say one of an article, a theme or a query")
    _check(cancelled)
    store = corpus(library, cancelled)
    size = len(store.words)
    if article_id is not None:
        if article_id not in store.entries:
            raise StudyError(f"no article {article_id!r}; `glossator list` shows the ids")
        ids, _starts = store.article_tokens(article_id)
        target = np.bincount(ids, minlength=size)
        label = f"article {article_id}"
    elif theme is not None:
        target = _passages_counts(library, store, theme_query(library, theme), cancelled)
        label = f"theme {theme}"
    else:
        assert query is not None
        target = _passages_counts(library, store, query, cancelled)
        label = f"query {query}"
    freq = store.frequencies
    c = int(target.sum())
    d = store.total - c
    found = []
    for wid in np.nonzero(target >= max(min_count, 1))[0].tolist():
        word = store.words[wid]
        if not _useful(word, stopwords):
            continue
        a, b = int(target[wid]), int(freq[wid]) - int(target[wid])
        ll = stats.keyness(a, b, c, d)
        if ll <= 0:
            continue
        found.append(Keyword(word, a, b, ll, stats.log_ratio(a, b, c, d)))
    found.sort(key=lambda k: (-k.ll, -k.count, k.word))
    if limit is not None:
        found = found[:limit]
    return Keywords(label, c, d, found)


def _passages_counts(library: Library, store: Corpus, text: str, cancelled: Check) -> np.ndarray:
    """The words of the sentences a query matches (each sentence once)."""
    size = len(store.words)
    pieces: list[np.ndarray] = []
    for n, occ in enumerate(_occurrences(library, text, cancelled)):
        if not n % 256:
            _check(cancelled)
        entry = store.entries.get(occ.article_id)
        if entry is None:
            continue
        ids, starts = store.article_tokens(occ.article_id)
        sentences = store.article_sentences(occ.article_id)
        for sid in sorted({i for i, _s, _e in occ.spans}):
            lo = int(np.searchsorted(starts, sentences[sid], "left"))
            hi = (
                int(np.searchsorted(starts, sentences[sid + 1], "left"))
                if sid + 1 < len(sentences)
                else len(starts)
            )
            pieces.append(ids[lo:hi])
    if not pieces:
        return np.zeros(size, dtype=np.int64)
    return np.bincount(np.concatenate(pieces), minlength=size)
