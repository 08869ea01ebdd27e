"""The full-text index. Every Whoosh call in Glossator is in this module (and ``ranking.py``, which
ranks the common queries from the postings), so the engine can be swapped without touching the rest.

One Whoosh document per article. The body is indexed with term positions and character offsets
(``chars=True``); a matched word is mapped to its sentence by offset, so a hit is a sentence and its
highlights are the exact offsets of the matched words (stemmed forms included). The article's
cleaned structure is stored with it, so showing a result never re-reads or re-cleans the file.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import os
import re
import struct
import threading
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import Stemmer
from whoosh import analysis, columns, fields, qparser, query
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from .model import Article, Hit, SearchResult
from .ranking import Ranker

# 7: segments are written as separate files, not one compound file. Whoosh copies each part of a
# compound file into memory when it opens it (150 MB for 10,000 articles); separate files are read
# through the operating system's cache instead.
SCHEMA_VERSION = 7
INDEX_NAME = "articles"
WRITE_LOCK_TIMEOUT = 10.0  # seconds to wait when another process is writing
MAX_IDLE_SEARCHERS = 2
PARALLEL_FROM = 400  # articles to (re)index before the postings are built in several processes

_stemmer = Stemmer.Stemmer("english")
_stem_lock = threading.Lock()
_stems: dict[str, str] = {}
_TOKEN = re.compile(r"\w+(?:[.'’]\w+)*")
_STOP_WORDS = frozenset(analysis.STOP_WORDS)


def stem(word: str) -> str:
    """English Snowball stemming (PyStemmer, in C), cached."""
    found = _stems.get(word)
    if found is None:
        with _stem_lock:  # a PyStemmer object is not safe to share between threads
            found = _stemmer.stemWord(word)
        if len(_stems) > 500_000:
            _stems.clear()
        _stems[word] = found
    return found


def _normal(word: str) -> str:
    """Lower case, with typographic apostrophes made plain ("Korea’s" is "korea's")."""
    word = word.lower()
    return word.replace("’", "'") if "’" in word else word


class TextAnalyzer(analysis.Tokenizer):
    """Words, lower-cased, stop words dropped, stemmed: one pass instead of a Whoosh filter chain.

    Behaves as RegexTokenizer | LowercaseFilter | StopFilter | StemFilter would (positions are
    renumbered over the stop words), at about twice the speed; a typographic apostrophe counts as
    a plain one. Every token keeps its character offsets into the original text.
    """

    def __eq__(self, other: object) -> bool:
        return self.__class__ is other.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def __call__(  # noqa: PLR0913 - Whoosh's analyzer protocol
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[analysis.Token]:
        token = analysis.Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            matches: Iterable = [(0, value, 0, len(value))]
        else:
            matches = (
                (i, m.group(), m.start(), m.end()) for i, m in enumerate(_TOKEN.finditer(value))
            )
        kept_pos: int | None = None
        for i, word, start, end in matches:
            text = _normal(word)
            if len(text) >= 2 and text not in _STOP_WORDS:
                token.stopped = False
                token.text = stem(text)
                if positions:
                    kept_pos = start_pos + i if kept_pos is None else kept_pos + 1
                    token.pos = kept_pos
            elif removestops:
                continue
            else:
                token.stopped = True
                token.text = text
                if positions:
                    token.pos = start_pos + i
            token.boost = 1.0
            if keeporiginal:
                token.original = word
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def analyzer() -> analysis.Analyzer:
    return TextAnalyzer()


def schema() -> fields.Schema:
    text = analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=text, chars=True, stored=True),
        body=fields.TEXT(analyzer=text, chars=True),
        doc=fields.STORED(),  # the cleaned article, compressed: shown without re-reading files
        # id, title and sentence starts in a column: counting every article's matching
        # sentences reads this, not the stored fields (which are unpickled whole)
        info=fields.COLUMN(columns.VarBytesColumn()),
    )


class IndexUnavailable(Exception):
    """The index cannot be opened or written; the message says why in a sentence."""


class QueryError(ValueError):
    """A query that cannot be used; the message is one line for the person who typed it."""


class _FuzzyTerm(query.FuzzyTerm):
    """Fuzzy matching against the stemmed vocabulary.

    Whoosh's own FuzzyTerm compares the stemmed query word with the unstemmed spelling words when
    a field keeps spelling information, so ``artilery~`` found nothing; here both sides are stems.
    """

    def _btexts(self, ixreader):  # noqa: D401 - Whoosh's hook
        from rapidfuzz.distance import Levenshtein

        word = self.text
        prefix = word[: self.prefixlength]
        for btext in ixreader.lexicon(self.fieldname):
            term = btext.decode("utf-8")
            if prefix and not term.startswith(prefix):
                continue
            if abs(len(term) - len(word)) > self.maxdist:
                continue
            if Levenshtein.distance(word, term, score_cutoff=self.maxdist) <= self.maxdist:
                yield btext


def _swap_fuzzy(q: query.Query) -> query.Query:
    if isinstance(q, query.FuzzyTerm) and not isinstance(q, _FuzzyTerm):
        return _FuzzyTerm(
            q.fieldname, q.text, boost=q.boost, maxdist=q.maxdist, prefixlength=q.prefixlength
        )
    return q


def _only_field(q: query.Query, fieldname: str) -> query.Query:
    """The parts of ``q`` that search ``fieldname`` (the others become the null query)."""

    def keep(node: query.Query) -> query.Query:
        if node.is_leaf() and node.field() not in (None, fieldname):
            return query.NullQuery
        return node

    return q.accept(keep).normalize()


def _negated(q: query.Query) -> bool:
    return isinstance(q, query.Not)


def _positive(q: query.Query) -> query.Query:
    """The query without its NOT parts: what should be highlighted."""

    def drop(node: query.Query) -> query.Query:
        if isinstance(node, query.Not):
            return query.NullQuery
        if isinstance(node, query.AndNot):
            return node.a
        return node

    return q.accept(drop).normalize()


class Engine:
    """A Whoosh index in ``directory``; opened lazily, rebuilt when it cannot be read."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ix: whoosh_index.Index | None = None
        self._idle: list[_Reading] = []  # open searchers not in use, newest last
        self._idle_lock = threading.Lock()
        self.rebuilt_because: str | None = None
        self.damaged = False  # set when reading failed after opening: rebuild at the next update

    # -- opening -----------------------------------------------------------------------------

    def _version_file(self) -> Path:
        return self.directory / "glossator-index.json"

    def open(self) -> None:
        """Open the index, creating it, or recreating it when it is missing, old or unreadable.

        ``rebuilt_because`` says why an existing index was thrown away (None when it was fine).
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        reason = self._problem()
        if reason is None:
            try:
                self._ix = whoosh_index.open_dir(str(self.directory), indexname=INDEX_NAME)
                with self.reading() as r:  # the searcher stays open for the first search
                    _probe(r.searcher)
                self.damaged = False
                return
            except Exception as exc:  # any unreadable state: the index is only a cache
                reason = f"the index could not be read ({type(exc).__name__}: {exc})"
                if self._ix is not None:
                    try:
                        self._ix.close()
                    except Exception:
                        pass
                    self._ix = None
        self.rebuilt_because = reason if reason != "new" else None
        self._create()

    def _problem(self) -> str | None:
        try:
            return self._check()
        except Exception as exc:  # exists_in() itself fails on a damaged table of contents
            return f"the index could not be read ({type(exc).__name__}: {exc})"

    def _check(self) -> str | None:
        version = self._version_file()
        if not version.exists():
            return "new" if not any(self.directory.iterdir()) else "the index has no version"
        try:
            found = json.loads(version.read_text("utf-8")).get("schema")
        except (OSError, ValueError, AttributeError) as exc:
            return f"the index version file is unreadable ({exc})"
        if found != SCHEMA_VERSION:
            return f"the index was built by another version (schema {found}, now {SCHEMA_VERSION})"
        if not whoosh_index.exists_in(str(self.directory), indexname=INDEX_NAME):
            return "the index files are missing"
        return None

    def _create(self) -> None:
        for child in self.directory.iterdir():
            if child.is_file():
                child.unlink()
        self._ix = whoosh_index.create_in(str(self.directory), schema(), indexname=INDEX_NAME)
        tmp = self._version_file().with_suffix(".tmp")
        tmp.write_text(json.dumps({"schema": SCHEMA_VERSION}), "utf-8")
        tmp.replace(self._version_file())

    @property
    def ix(self) -> whoosh_index.Index:
        if self._ix is None:
            self.open()
        assert self._ix is not None
        return self._ix

    def rebuild(self) -> None:
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._create()

    def close(self) -> None:
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for reading in idle:
            reading.searcher.close()
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    # -- writing -----------------------------------------------------------------------------

    def write(self, put: Iterable[Article], delete: Iterable[str] = (), expected: int = 0) -> None:
        """Add or replace ``put`` and remove the articles with ids in ``delete``, in one commit.

        ``put`` may be a generator: articles stream through and are never all in memory. When
        ``expected`` is large, the postings are built in parallel by Whoosh's multiprocess writer
        (one process per core, one segment each, no merge at the end).
        """
        try:
            writer = self._writer(parallel=expected >= PARALLEL_FROM)
        except whoosh_index.LockError as exc:
            raise IndexUnavailable(
                "another Glossator process is updating this library's index; try again shortly"
            ) from exc
        try:
            for article_id in delete:
                writer.delete_by_term("id", article_id)
            for article in put:
                writer.update_document(
                    id=article.id,
                    title=article.title,
                    body=article.text,
                    doc=_pack(article),
                    info=_pack_info(article),
                )
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def _writer(self, parallel: bool):
        procs = os.cpu_count() or 1
        if parallel and procs > 1:
            from whoosh.multiproc import MpWriter

            return MpWriter(
                self.ix,
                procs=procs,
                batchsize=64,
                multisegment=True,
                timeout=WRITE_LOCK_TIMEOUT,
                compound=False,
            )
        return self.ix.writer(timeout=WRITE_LOCK_TIMEOUT, compound=False)

    # -- reading -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def reading(self) -> Iterator[_Reading]:
        """A searcher for this thread's use only, returned to a pool afterwards.

        A searcher is never used by two threads at once; one is kept open between searches (the
        app searches from a new worker thread at every keystroke); and a new one is opened after
        a commit rather than refreshed: a refreshed searcher can return an old document.
        """
        reading = None
        with self._idle_lock:
            while self._idle and reading is None:
                candidate = self._idle.pop()
                if candidate.searcher.up_to_date():
                    reading = candidate
                else:
                    candidate.searcher.close()
        if reading is None:
            reading = _Reading(self.ix.searcher())
        try:
            yield reading
        except BaseException:
            reading.searcher.close()
            raise
        with self._idle_lock:
            self._idle.append(reading)
            extra = self._idle[:-MAX_IDLE_SEARCHERS]
            del self._idle[:-MAX_IDLE_SEARCHERS]
        for old in extra:
            old.searcher.close()

    def doc_count(self) -> int:
        with self.reading() as r:
            return r.searcher.doc_count()

    def article(self, article_id: str) -> Article | None:
        with self.reading() as r:
            stored = r.searcher.document(id=article_id)
        return _unpack(stored["doc"]) if stored else None

    # -- searching ---------------------------------------------------------------------------

    def parse(self, text: str) -> query.Query:
        parser = qparser.QueryParser("body", self.ix.schema)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.remove_plugin_class(qparser.WildcardPlugin)
        parser.add_plugin(qparser.PrefixPlugin())
        return _parse(parser, text)

    def search(self, text: str, limit: int | None = None, count: bool = True) -> SearchResult:
        """Sentences matching ``text``, grouped by article in rank order, reading order inside.

        ``limit`` caps the sentences returned; with ``count``, ``total`` and ``articles`` count
        every match in the library. Without it, only the best articles needed to fill ``limit``
        are read (``complete`` is then False): the first screen of results at the speed of typing,
        with the full count left for a second call.
        """
        result = SearchResult(query=text)
        try:
            q = self.parse(text)
        except QueryError as exc:
            result.error = str(exc)
            return result
        try:
            with self.reading() as r:
                if not count and limit:
                    order = r.rank(q, limit)
                    shown = r.highlighting(q, order)
                    _collect(r.searcher, r.info, shown, order, result, limit, every=False)
                    result.complete = len(order) < limit  # fewer than asked: that is all
                else:
                    order = r.rank(q, None)
                    if order:
                        _collect(r.searcher, r.info, q, order, result, limit)
                if not result.hits and result.complete:
                    result.suggestion = self._suggest(r, text)
        except IndexUnavailable:
            raise
        except Exception as exc:  # a damaged index shows itself only when read
            try:
                with self.ix.searcher() as fresh:
                    _probe(fresh)
            except Exception:
                self.damaged = True
                raise IndexUnavailable(
                    f"the index is damaged ({type(exc).__name__}); it will be rebuilt"
                ) from exc
            result.error = f"this query could not be run ({type(exc).__name__}: {exc})"
        return result

    def suggest(self, text: str) -> str | None:
        """The query with its unknown words replaced by the nearest words of the library.

        Candidates are the index's own (stemmed) terms within two edits; the suggestion shows the
        word as the articles write it, and is offered only when it finds something.
        """
        with self.reading() as r:
            return self._suggest(r, text)

    def _suggest(self, r: _Reading, text: str) -> str | None:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        searcher = r.searcher
        reader = searcher.reader()
        lexicon = r.lexicon
        pieces: list[str] = []
        last = 0
        changed = False
        for m in _QUERY_WORD.finditer(text):
            word = m.group("word")
            if m.group("field") or m.group("op") or word in _OPERATORS:
                continue
            norm = _normal(word)
            if len(norm) < 3 or norm in _STOP_WORDS:
                continue
            term = stem(norm)
            if reader.doc_frequency("body", term):
                continue
            near = process.extract(
                term, lexicon, scorer=Levenshtein.distance, score_cutoff=2, limit=8
            )
            if not near:
                continue
            best = min(near, key=lambda c: (c[1], -reader.doc_frequency("body", c[0])))[0]
            surface = _surface(searcher, best)
            if not surface:
                continue
            if word[:1].isupper():
                surface = surface[:1].upper() + surface[1:]
            pieces.append(text[last : m.start("word")] + surface)
            last = m.end("word")
            changed = True
        if not changed:
            return None
        suggestion = "".join(pieces) + text[last:]
        try:
            corrected = self.parse(suggestion)
        except QueryError:
            return None
        return suggestion if searcher.search(corrected, limit=1).scored_length() else None


class _Reading:
    """An open searcher and what is worth keeping while it stays open."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self._info: Callable[[int], bytes] | None = None
        self._lexicon: list[str] | None = None
        self._ranker: Ranker | None = None

    def rank(self, q: query.Query, limit: int | None) -> list[int]:
        """The best ``limit`` documents for ``q`` (all when None), best first."""
        if self._ranker is None:
            self._ranker = Ranker(self.searcher)
        order = self._ranker.rank(q, limit)
        if order is None:  # not a query the ranker knows: Whoosh ranks it
            order = [hit.docnum for hit in self.searcher.search(q, limit=limit, terms=False)]
        return order

    def highlighting(self, q: query.Query, docs: list[int]) -> query.Query:
        """What to highlight of ``q`` in ``docs`` (see ``Ranker.narrow``); ``q`` itself when the
        ranker did not rank it."""
        narrowed = self._ranker.narrow(q, docs) if self._ranker is not None else None
        return q if narrowed is None else narrowed

    @property
    def info(self) -> Callable[[int], bytes]:
        """Each document's packed id, title and sentence starts, by document number."""
        if self._info is None:
            self._info = self.searcher.reader().column_reader("info").__getitem__
        return self._info

    @property
    def lexicon(self) -> list[str]:
        """Every term of the body field (stemmed), for fuzzy suggestions."""
        if self._lexicon is None:
            self._lexicon = [b.decode("utf-8") for b in self.searcher.reader().lexicon("body")]
        return self._lexicon


_QUERY_WORD = re.compile(r"(?P<field>\w+:)?(?P<word>[^\W\d_][\w'’]*)(?P<op>\*)?")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def _surface(searcher: Searcher, term: str) -> str | None:
    """How the articles write ``term`` (a stem): the text of its first occurrence, lower-cased."""
    postings = searcher.reader().postings("body", term)
    if not postings.is_active():
        return None
    chars = postings.value_as("characters")
    if not chars:
        return None
    _pos, start, end = chars[0]
    article = _unpack(searcher.stored_fields(postings.id())["doc"])
    return article.text[start:end].lower()


def _probe(searcher: Searcher) -> None:
    """Read a little of every segment, so a damaged index fails here rather than mid-search."""
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        for btext in reader.lexicon("id"):
            postings = reader.postings("id", btext)
            if postings.is_active():
                docnum = postings.id()
                if not reader.is_deleted(docnum):
                    _unpack(reader.stored_fields(docnum)["doc"])
            break


def _parse(parser: qparser.QueryParser, text: str) -> query.Query:
    stripped = text.strip()
    if not stripped:
        raise QueryError("type something to search for")
    if len(stripped) > 1000:
        raise QueryError("the query is too long (1,000 characters at most)")
    try:
        q = parser.parse(stripped)
    except Exception as exc:  # the parser is lenient; anything it raises is about the query
        raise QueryError(f"the query could not be read: {exc}") from exc
    q = q.accept(_swap_fuzzy)
    if q is query.NullQuery or isinstance(q, query.qcore._NullQuery):
        raise QueryError("nothing to search for: only very common words or operators")
    if any(isinstance(node, query.Every) for node in _walk(q)):
        raise QueryError("a lone * would match everything: put letters before it, as in artill*")
    if _negated(q):
        raise QueryError("a query cannot be only NOT: say what to look for, as in shells NOT rifle")
    for node in _walk(q):
        if isinstance(node, query.Prefix) and len(node.text) < 2:
            raise QueryError("a prefix needs at least two letters before *")
    return q


def _walk(q: query.Query) -> Iterator[query.Query]:
    yield q
    for child in q.children():
        yield from _walk(child)


def _collect(
    searcher: Searcher,
    info: Callable[[int], bytes],
    q: query.Query,
    order: list[int],
    result: SearchResult,
    limit: int | None,
    every: bool = True,
) -> None:
    """Turn ranked documents into sentence hits with highlight offsets.

    ``every``: the documents are all the query's matches (spans are read in one pass over the
    postings); otherwise they are a few, and each is reached by skipping to it.
    """
    # Multi-term queries (prefix, fuzzy) become an OR of the terms they stand for: Whoosh
    # collapses a large expansion into a matcher without positions, which has no spans.
    positive = _positive(q).simplify(searcher.reader())
    find = _spans if every else _spans_of
    body_spans = find(searcher, _only_field(positive, "body"), set(order))
    title_spans = find(searcher, _only_field(positive, "title"), set(order))
    hits: list[Hit] = []
    for docnum in order:
        spans = body_spans.get(docnum, [])
        in_title = docnum in title_spans
        article_id, title, starts = _unpack_info(info(docnum))
        count = _sentence_count(starts, spans) + in_title
        if not count:
            continue
        result.articles.append((article_id, title, count))
        result.total += count
        if limit is not None and len(hits) >= limit:
            continue  # counted; its sentences are not shown
        if in_title:
            hits.append(Hit(article_id, title, -1, title, _merge(title_spans[docnum])))
        if spans:
            text, sentences = _unpack_sentences(searcher.stored_fields(docnum)["doc"])
            hits.extend(_sentence_hits(article_id, title, text, sentences, spans))
    result.hits = hits if limit is None else hits[:limit]


def _sentence_count(starts: array, spans: list[tuple[int, int]]) -> int:
    """How many sentences the spans touch, from the sentence starts alone."""
    touched: set[int] = set()
    for start, end in spans:
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_right(starts, max(start, end - 1)) - 1
        touched.update(range(max(first, 0), last + 1))
    return len(touched)


Spans = dict[int, list[tuple[int, int]]]


def _spans(searcher: Searcher, q: query.Query, wanted: set[int]) -> Spans:
    """Character spans of ``q``'s matches in each wanted document."""
    found: Spans = {}
    if q is query.NullQuery or isinstance(q, query.qcore._NullQuery):
        return found
    for sub, offset in searcher.leaf_searchers():
        matcher = q.matcher(sub)
        while matcher.is_active():
            docnum = offset + matcher.id()
            if docnum in wanted:
                spans = [
                    (s.startchar, s.endchar)
                    for s in matcher.spans()
                    if s.startchar is not None and s.endchar is not None
                ]
                if spans:
                    found[docnum] = spans
            matcher.next()
    return found


def _spans_of(searcher: Searcher, q: query.Query, wanted: set[int]) -> Spans:
    """Character spans of ``q``'s matches in a few documents, skipping to each."""
    found: Spans = {}
    if q is query.NullQuery or isinstance(q, query.qcore._NullQuery) or not wanted:
        return found
    docs = sorted(wanted)
    for sub, offset in searcher.leaf_searchers():
        local = [d - offset for d in docs if offset <= d < offset + sub.doc_count_all()]
        if not local:
            continue
        matcher = q.matcher(sub)
        for docnum in local:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                spans = [
                    (s.startchar, s.endchar)
                    for s in matcher.spans()
                    if s.startchar is not None and s.endchar is not None
                ]
                if spans:
                    found[offset + docnum] = spans
    return found


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _sentence_hits(
    article_id: str,
    title: str,
    text: str,
    sentences: list[tuple[int, int, int]],
    spans: list[tuple[int, int]],
) -> list[Hit]:
    """The sentences (id, start, end) of an article's ``text`` that ``spans`` touch."""
    starts = [start for _id, start, _end in sentences]
    per_sentence: dict[int, list[tuple[int, int]]] = {}
    for start, end in spans:
        i = bisect.bisect_right(starts, start) - 1
        while 0 <= i < len(sentences) and sentences[i][1] < end:
            _id, s_start, s_end = sentences[i]
            lo, hi = max(start, s_start), min(end, s_end)
            if lo < hi:
                per_sentence.setdefault(i, []).append((lo - s_start, hi - s_start))
            i += 1
    hits = []
    for i in sorted(per_sentence):
        sentence_id, start, end = sentences[i]
        hits.append(Hit(article_id, title, sentence_id, text[start:end], _merge(per_sentence[i])))
    return hits


_INFO_HEADER = struct.Struct("<II")


def _pack_info(article: Article) -> bytes:
    article_id, title = article.id.encode("utf-8"), article.title.encode("utf-8")
    starts = array("I", (sentence.start for sentence in article.sentences))
    return _INFO_HEADER.pack(len(article_id), len(title)) + article_id + title + starts.tobytes()


def _unpack_info(blob: bytes) -> tuple[str, str, array]:
    id_len, title_len = _INFO_HEADER.unpack_from(blob)
    at = _INFO_HEADER.size
    article_id = blob[at : at + id_len].decode("utf-8")
    title = blob[at + id_len : at + id_len + title_len].decode("utf-8")
    starts = array("I")
    starts.frombytes(blob[at + id_len + title_len :])
    return article_id, title, starts


def _pack(article: Article) -> bytes:
    data = article.to_json()
    for block in data["paragraphs"]:
        for sentence in block["sentences"]:
            del sentence["text"]  # a slice of the text: stored once, as the text
    payload = {"article": data, "text": article.text}
    return zlib.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"), 6)


def _unpack_sentences(blob: bytes) -> tuple[str, list[tuple[int, int, int]]]:
    """The article's text and its sentences as (id, start, end), without building an Article:
    all a search result needs."""
    payload = json.loads(zlib.decompress(blob).decode("utf-8"))
    sentences = [
        (s["id"], s["start"], s["end"])
        for block in payload["article"]["paragraphs"]
        for s in block["sentences"]
    ]
    return payload["text"], sentences


def _unpack(blob: bytes) -> Article:
    payload = json.loads(zlib.decompress(blob).decode("utf-8"))
    return Article.from_json(payload["article"], payload["text"])
