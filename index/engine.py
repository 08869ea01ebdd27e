"""The full-text index. Every Whoosh call in Glossator is in this module (and ``ranking.py``, which
ranks the common queries from the postings, and ``postings.py``, the codec that writes them as
arrays), so the engine can be swapped without touching the rest.

One Whoosh document per article. The body is indexed with term positions and character offsets
(``chars=True``); a matched word is mapped to its sentence by offset, so a hit is a sentence and its
highlights are the exact offsets of the matched words (stemmed forms included). The article's
cleaned structure is stored with it, so showing a result never re-reads or re-cleans the file.

An article longer than ``PART_CHARS`` is indexed as several documents, its "parts", cut between
blocks or sentences: Whoosh builds a document's postings in memory, which for a 50 MB article
took 1.5 GB. Each part holds its slice of the text (offsets relative to the slice) and its
sentences; the first part holds the title and the rest of the article. Above this module such an
article is still one: it is matched as a whole (``artillery AND china`` finds it when the words
are in different parts), ranked as a whole (``_match_parts``), its hits are counted and grouped
once, and ``article()`` puts it back together. Ordinary articles are one document each. One
difference remains: a phrase running from the end of one sentence into the next (which a phrase
query otherwise finds) is not found where the two sentences are in different parts.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import json
import os
import re
import struct
import threading
import time
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import Stemmer
from whoosh import analysis, columns, fields, qparser, query
from whoosh import index as whoosh_index
from whoosh.searching import Searcher
from whoosh.util.filelock import FileLock
from whoosh.writing import CLEAR

from . import postings
from .model import Article, Block, Hit, SearchResult, Sentence
from .ranking import Ranker, held_values

# 7: segments are written as separate files, not one compound file. Whoosh copies each part of a
# compound file into memory when it opens it (150 MB for 10,000 articles); separate files are read
# through the operating system's cache instead.
# 8: a long article is indexed in parts (``PART_CHARS``): a ``parted`` field marks them, the info
# column says which part a document is, and the stored article of a part is its slice.
# 9: the stored article is plain JSON inside Whoosh's own compressed stored fields, not zlib twice.
# 10: stored articles carry their metadata (authors, outlet, published, url, format, pages) and may
# hold quote and code blocks.
# 11: acronyms are one word with or without dots ("D.P.R.K." is "dprk", as "DPRK" and "dprk" are),
# and a word written in capitals ("US", "IT") is never dropped as a stop word.
SCHEMA_VERSION = 13
INDEX_NAME = "articles"
WRITE_LOCK_TIMEOUT = 10.0  # seconds to wait when another process is writing
LOCK_POLL = 0.1  # seconds between two tries of the update lock
UPDATE_LOCK = "glossator-update.lock"  # held by the process changing the index
_LOCK_FILES = frozenset({UPDATE_LOCK, f"{INDEX_NAME}_WRITELOCK"})
Wait = Callable[[float], bool]  # seconds waited so far -> go on waiting?
MAX_IDLE_SEARCHERS = 2
# The text of the latest documents shown, decoded, kept with their searcher (at most this many
# characters: about 200 articles of ordinary length, a few MB)
DECODED_CHARS = 1_000_000
PARALLEL_FROM = 400  # articles to (re)index before the postings are built in several processes
# The most characters of an article's text in one Whoosh document: a longer article is indexed in
# parts, cut before a block or a sentence (a single sentence longer than this is a part alone).
# Indexing memory grows with the part, not the article; an article this size or shorter (nearly
# all of them) is one document, indexed as it always was. Showing a hit decodes its part, so a
# smaller part is a faster first page in a long article (200,000: about 5 ms a part, 500,000:
# 12 ms); indexing memory and time were the same for both on a 50 MB article.
PART_CHARS = 200_000
# Postings Whoosh's single-process writer keeps in memory before sorting them out to a temporary
# file (by its own estimate; its default is 128): with 32, indexing a 50 MB article peaked at
# 390 MB instead of 490 MB, in the same time. The index written is the same.
POOL_MB = 32
PARTED = "1"  # the ``parted`` field's one term: on every part of an article indexed in parts

_stemmer = Stemmer.Stemmer("english")
_stem_lock = threading.Lock()
_stems: dict[str, str] = {}
_TOKEN = re.compile(r"\w+(?:[.'’]\w+)*")
_STOP_WORDS = frozenset(analysis.STOP_WORDS)
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # single letters between dots: "D.P.R.K", "U.S"


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
    """Lower case, with typographic apostrophes made plain ("Korea’s" is "korea's"), and an
    acronym's dots dropped ("D.P.R.K" is "dprk")."""
    if "." in word and _DOTTED.fullmatch(word):
        return word.replace(".", "").lower()
    word = word.lower()
    return word.replace("’", "'") if "’" in word else word


def _capitals(word: str) -> bool:
    """An acronym or a word in capitals ("US", "D.P.R.K"): never a stop word, though "us" is.
    The query operators are not words in capitals: a lone "AND" is still nothing to search."""
    return len(word) > 1 and word.isupper() and word not in _OPERATORS


class TextAnalyzer(analysis.Tokenizer):
    """Words, lower-cased, stop words dropped, stemmed: one pass instead of a Whoosh filter chain.

    Behaves as RegexTokenizer | LowercaseFilter | StopFilter | StemFilter would (positions are
    renumbered over the stop words), at about twice the speed; a typographic apostrophe counts as
    a plain one. An acronym is one word with or without its dots ("D.P.R.K.", "DPRK" and "dprk"
    are all "dprk"), and a word in capitals is kept even when it is a stop word in lower case
    ("US" and "U.S." are "us"; the pronoun "us" is dropped). Every token keeps its character
    offsets into the original text.
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
        **kwargs: Any,
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
            if len(text) >= 2 and (text not in _STOP_WORDS or _capitals(word)):
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
        # id, title, part and sentence starts in a column: counting every article's matching
        # sentences reads this, not the stored fields (which are unpickled whole)
        info=fields.COLUMN(columns.VarBytesColumn()),
        # the document's text and its sentences, compressed, for showing passages: a search
        # reads this, not the whole stored article (JSON inside Whoosh's compressed pickle)
        sents=fields.COLUMN(columns.VarBytesColumn()),
        parted=fields.ID(),  # PARTED on the documents of an article indexed in parts
    )


class IndexUnavailable(Exception):
    """The index cannot be opened or written; the message says why in a sentence."""


class IndexBusy(IndexUnavailable):
    """Another Glossator process is updating the index and the waiting ended; try again later."""


class IndexLost(IndexUnavailable):
    """The index was deleted or replaced while this process used it; the next update rebuilds
    (or reopens) it."""


class QueryError(ValueError):
    """A query that cannot be used; the message is one line for the person who typed it."""


def _end_subprocesses(writer: Any) -> None:
    """End the processes of a multi-process writer whose write failed or was cancelled.

    Whoosh's ``MpWriter.cancel`` only flags its tasks in this process: each sub-process goes on
    waiting for a job that never comes, and this process, which joins its children when it
    exits, would never end (a person's ``q`` during a build left the shell without a prompt)."""
    tasks = getattr(writer, "tasks", None) or []
    for queue in (getattr(writer, "jobqueue", None), getattr(writer, "resultqueue", None)):
        if queue is not None:
            queue.cancel_join_thread()  # nothing left to send matters now
    for task in tasks:
        if task.is_alive():
            task.terminate()
    for task in tasks:
        task.join(1)
        if task.is_alive():  # SIGTERM not taken (a Whoosh task not made by _parallel_writer)
            task.kill()
            task.join(5)


class Cancelled(Exception):
    """Raised inside a long reading when its ``cancelled()`` callback says to stop."""


class _FuzzyTerm(query.FuzzyTerm):
    """Fuzzy matching against the stemmed vocabulary.

    Whoosh's own FuzzyTerm compares the stemmed query word with the unstemmed spelling words when
    a field keeps spelling information, so ``artilery~`` found nothing; here both sides are stems.
    """

    def _btexts(self, ixreader: Any) -> Iterator[bytes]:  # Whoosh's hook
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


def _simplify(q: query.Query, reader: Any) -> query.Query:
    """``q.simplify(reader)`` (prefix and fuzzy words become the OR of the words they stand
    for), which Whoosh's own fails to do for ANDMAYBE: its class takes no boost."""
    if isinstance(q, query.BinaryQuery):
        return type(q)(_simplify(q.a, reader), _simplify(q.b, reader)).normalize()
    if isinstance(q, query.CompoundQuery):
        if not q.subqueries:
            return query.NullQuery
        subqueries = [_simplify(sub, reader) for sub in q.subqueries]
        return type(q)(subqueries, boost=q.boost).normalize()
    return q.simplify(reader)


class Engine:
    """A Whoosh index in ``directory``; opened lazily, rebuilt when it cannot be read."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ix: whoosh_index.Index | None = None
        self._idle: list[_Reading] = []  # open searchers not in use, newest last
        self._idle_lock = threading.Lock()
        self.rebuilt_because: str | None = None  # why the last open() threw an index away
        self.aliases: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        self.aliases_of: object = None  # the library that gave them (a fallback engine: none)
        self.damaged = False  # set when reading failed after opening: rebuild at the next update
        # the version file's (device, inode, modification time): a freed inode is often reused at
        # once by the next file made, so the time tells a replacement made by another process apart
        self._identity: tuple[int, int, int] | None = None
        self._schema = schema()

    # -- opening -----------------------------------------------------------------------------

    def _version_file(self) -> Path:
        return self.directory / "glossator-index.json"

    def open(self) -> str | None:
        """Open the index, creating it, or recreating it when it is missing, old or unreadable.

        Returns None when the index was sound, "new" when there was none (one is created), else
        why the index on disk was thrown away (kept in ``rebuilt_because`` too). Recreating
        deletes files: the caller holds the update lock (``updating``), as ``Library.update``
        does.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        reason = self.problem()
        if reason is None:
            reason = self.open_existing()
            if reason is None:
                self.rebuilt_because = None
                return None
        self.rebuilt_because = reason if reason != "new" else None
        self._create()
        return reason

    def open_existing(self) -> str | None:
        """Open a sound index without changing anything on disk; why it cannot be, or None."""
        try:
            ix = whoosh_index.open_dir(str(self.directory), indexname=INDEX_NAME)
            # swapped in whole: a search in another thread never finds no index at all
            self._ix, self._identity = ix, self._version_identity()
            self._drop_idle()
            with self.reading() as r:  # the searcher stays open for the first search
                _probe(r.searcher)
        except Exception as exc:  # any unreadable state: the index is only a cache
            self._close_ix()
            return f"the index could not be read ({type(exc).__name__}: {exc})"
        self.damaged = False
        return None

    def _close_ix(self) -> None:
        self._drop_idle()
        if self._ix is not None:
            try:
                self._ix.close()
            except Exception:
                pass
            self._ix = None

    def problem(self) -> str | None:
        """What is wrong with the index on disk, read-only: None when it looks sound, "new" when
        there is none yet, else a sentence."""
        try:
            return self._check()
        except Exception as exc:  # exists_in() itself fails on a damaged table of contents
            return f"the index could not be read ({type(exc).__name__}: {exc})"

    def _check(self) -> str | None:
        version = self._version_file()
        if not version.exists():
            if not any(c.name not in _LOCK_FILES for c in self.directory.iterdir()):
                return "new"
            return "the index has no version"
        try:
            found = json.loads(version.read_text("utf-8")).get("schema")
        except (OSError, ValueError, AttributeError, RecursionError) as exc:
            return f"the index version file is unreadable ({exc})"
        if found != SCHEMA_VERSION:
            return f"the index was built by another version (schema {found}, now {SCHEMA_VERSION})"
        if not whoosh_index.exists_in(str(self.directory), indexname=INDEX_NAME):
            return "the index files are missing"
        return None

    def _create(self) -> None:
        self._close_ix()
        for child in self.directory.iterdir():
            if child.is_file() and child.name not in _LOCK_FILES:  # a held lock stays held
                child.unlink()
        self._ix = whoosh_index.create_in(str(self.directory), schema(), indexname=INDEX_NAME)
        tmp = self._version_file().with_suffix(".tmp")
        tmp.write_text(json.dumps({"schema": SCHEMA_VERSION}), "utf-8")
        tmp.replace(self._version_file())
        self._identity = self._version_identity()
        self.damaged = False

    def _version_identity(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self._version_file())
        except OSError:
            return None
        return st.st_dev, st.st_ino, st.st_mtime_ns

    def lost(self) -> str | None:
        """Whether the index this engine opened has gone from under it since (its folder deleted,
        or replaced by another process's new index): a sentence, or None. One ``stat``."""
        if self._ix is None or self._identity is None:
            return None
        try:
            st = os.stat(self._version_file())
        except OSError:
            return "the index was deleted while Glossator was using it"
        if (st.st_dev, st.st_ino, st.st_mtime_ns) != self._identity:
            return "the index was replaced while Glossator was using it"
        return None

    @property
    def ix(self) -> whoosh_index.Index:
        if self._ix is None:
            self.open()
        assert self._ix is not None
        return self._ix

    def rebuild(self) -> None:
        """Throw the index away and create an empty one (under the update lock)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self._create()

    @contextlib.contextmanager
    def updating(self, wait: Wait | None = None) -> Iterator[None]:
        """Hold the index's update lock, which every Glossator process takes to change it.

        While another process holds it, ``wait(seconds_waited)`` is asked every
        ``LOCK_POLL`` seconds whether to go on waiting; without ``wait``, up to
        ``WRITE_LOCK_TIMEOUT`` seconds. ``IndexBusy`` when the waiting ends. The lock is the
        operating system's (``flock``): a process killed while holding it releases it.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.directory / UPDATE_LOCK))
        started = time.monotonic()
        while not lock.acquire(blocking=False):
            waited = time.monotonic() - started
            if (wait is None and waited >= WRITE_LOCK_TIMEOUT) or (
                wait is not None and not wait(waited)
            ):
                raise IndexBusy(
                    "another Glossator process is updating this library's index; try again "
                    "when it has finished"
                )
            time.sleep(LOCK_POLL)
        try:
            yield
        finally:
            lock.release()

    def _drop_idle(self) -> None:
        """Close the searchers kept for the next search: the next one is opened afresh."""
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for reading in idle:
            try:
                reading.searcher.close()
            except Exception:
                pass  # its files may be gone already

    def close(self) -> None:
        self._close_ix()

    # -- writing -----------------------------------------------------------------------------

    def write(
        self,
        put: Iterable[Article],
        delete: Iterable[str] = (),
        expected: int = 0,
        clear: bool = False,
    ) -> None:
        """Add or replace ``put`` and remove the articles with ids in ``delete``, in one commit.

        ``put`` may be a generator: articles stream through and are never all in memory. When
        ``expected`` is large, the postings are built in parallel by Whoosh's multiprocess writer
        (one process per core, one segment each, no merge at the end). An article longer than
        ``PART_CHARS`` is written as several documents, one part at a time. With ``clear``, the
        commit drops every article written before: a rebuild that other processes go on searching
        the old index through until it is done (instead of an empty one).
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
                # every document of the article's old version: update_document would remove one
                writer.delete_by_term("id", article.id)
                for document in _documents(article):
                    writer.add_document(**document)
        except BaseException:
            _end_subprocesses(writer)
            writer.cancel()
            self._remove_leftovers()
            raise
        if clear:
            writer.commit(mergetype=CLEAR)
        else:
            writer.commit()

    def _remove_leftovers(self) -> None:
        """Delete the files of segments no table of contents names (what a cancelled write had
        written), under the write lock so another writer's new segment is never taken for one.
        Each failed try would otherwise leave its segment behind until the next commit."""
        ix = self._ix
        if ix is None:
            return
        lock = ix.lock("WRITELOCK")
        try:
            if not lock.acquire(blocking=False):
                return  # another writer is at work: its commit removes them
        except OSError:
            return
        try:
            toc = whoosh_index.TOC.read(ix.storage, INDEX_NAME)
            whoosh_index.clean_files(ix.storage, INDEX_NAME, toc.generation, toc.segments)
        except Exception:
            pass  # nothing worse than before: the next commit removes them
        finally:
            lock.release()

    def _writer(self, parallel: bool) -> Any:
        procs = os.cpu_count() or 1
        codec = postings.Codec()  # posting blocks NumPy reads (segments merged are rewritten)
        if parallel and procs > 1:
            return _parallel_writer()(
                self.ix,
                procs=procs,
                batchsize=64,
                multisegment=True,
                timeout=WRITE_LOCK_TIMEOUT,
                compound=False,
                codec=codec,
            )
        return self.ix.writer(
            timeout=WRITE_LOCK_TIMEOUT, compound=False, limitmb=POOL_MB, codec=codec
        )

    # -- reading -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def reading(self) -> Iterator[_Reading]:
        """A searcher for this thread's use only, returned to a pool afterwards.

        A searcher is never used by two threads at once; one is kept open between searches (the
        app searches from a new worker thread at every keystroke); and a new one is opened after
        a commit rather than refreshed: a refreshed searcher can return an old document.
        """
        reading = None
        try:
            with self._idle_lock:
                while self._idle and reading is None:
                    candidate = self._idle.pop()
                    if candidate.searcher.up_to_date():
                        reading = candidate
                    else:
                        candidate.searcher.close()
            if reading is None:
                reading = _Reading(self.ix.searcher())
        except Exception as exc:  # the index's files are not where they were
            self._raise_if_lost(exc)
            raise
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

    def _raise_if_lost(self, exc: BaseException) -> None:
        """``IndexLost`` for ``exc`` when the index went from under this engine."""
        lost = self.lost()
        if lost:
            raise IndexLost(f"{lost}; it is rebuilt at the next update") from exc

    def doc_count(self) -> int:
        """The number of articles (an article indexed in parts counts once)."""
        with self.reading() as r:
            return r.searcher.doc_count() - sum(len(docs) - 1 for docs in r.parts.values())

    def article(self, article_id: str) -> Article | None:
        """The article as it was indexed (its ``original`` is not kept: it is empty)."""
        try:
            with self.reading() as r:
                docs = list(r.searcher.document_numbers(id=article_id))
                if len(docs) > 1:  # indexed in parts: read back one part at a time, in order
                    docs.sort(key=lambda d: _unpack_info(r.info(d))[2])
                    return _assemble(r.searcher.stored_fields(d)["doc"] for d in docs)
                blob = r.searcher.stored_fields(docs[0])["doc"] if docs else None
        except IndexUnavailable:
            raise
        except Exception as exc:
            self._raise_if_lost(exc)
            raise
        return _unpack(blob) if blob is not None else None

    def sentences_of(self, article_id: str) -> tuple[str, dict[int, tuple[int, int]]] | None:
        """The article's text and each sentence's (start, end) in it by sentence id, without
        building an Article: what a concordance line needs (None: not indexed)."""
        try:
            with self.reading() as r:
                docs = list(r.searcher.document_numbers(id=article_id))
                blob = r.searcher.stored_fields(docs[0])["doc"] if len(docs) == 1 else None
        except IndexUnavailable:
            raise
        except Exception as exc:
            self._raise_if_lost(exc)
            raise
        if blob is not None:
            text, sentences = _unpack_sentences(blob)
            return text, {i: (start, end) for i, start, end in sentences}
        article = self.article(article_id)  # in parts (or gone)
        if article is None:
            return None
        return article.text, {s.id: (s.start, s.end) for s in article.sentences}

    # -- searching ---------------------------------------------------------------------------

    def parse(self, text: str) -> query.Query:
        # the schema as this module writes it (the index's own would be read from its table of
        # contents at each query, and fail when the index has gone)
        parser = qparser.QueryParser("body", self._schema)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.remove_plugin_class(qparser.WildcardPlugin)
        parser.add_plugin(qparser.PrefixPlugin())
        q = _parse(parser, text)
        return _with_aliases(q, self.aliases) if self.aliases else q

    def set_aliases(self, groups: list[list[str]]) -> None:
        """Forms that are one name (``[aliases]``): a query word or phrase that is one of them
        (words typed one after the other included) stands for all of them."""
        found: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for group in groups:
            forms = []
            for form in group:
                words = tuple(t.text for t in analyzer()(form))
                if words and words not in forms:
                    forms.append(words)
            if len(forms) > 1:
                for words in forms:
                    found.setdefault(words, [])
                    found[words] += [f for f in forms if f not in found[words]]
        self.aliases = found

    def search(self, text: str, limit: int | None = None, count: bool = True) -> SearchResult:
        """Sentences matching ``text``, grouped by article in rank order, reading order inside.

        ``limit`` caps the sentences returned; with ``count``, ``total`` and ``articles`` count
        every match in the library. Without it, only the best articles needed to fill ``limit``
        are read (``complete`` is then False): the first screen of results at the speed of typing,
        with the full count left for a second call.
        """
        try:
            q = self.parse(text)
        except QueryError as exc:
            return SearchResult(query=text, error=str(exc))
        try:
            return self._search(q, text, limit, count)
        except IndexUnavailable:
            raise
        except Exception as exc:  # the index changed under this searcher (another process's)
            self._raise_if_lost(exc)
            self._drop_idle()
        try:
            return self._search(q, text, limit, count)  # once more, on a fresh searcher
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
            return SearchResult(
                query=text, error=f"this query could not be run ({type(exc).__name__}: {exc})"
            )

    def _search(self, q: query.Query, text: str, limit: int | None, count: bool) -> SearchResult:
        result = SearchResult(query=text)
        with self.reading() as r:
            if not r.searcher.doc_count_all():
                return result  # an empty index matches nothing (Whoosh's idf would divide by 0)
            together = _words_together(text, q)
            if not count and limit:
                wanted, seen = limit, list[int]()
                while True:
                    order = r.rank(q, wanted)
                    if order[: len(seen)] != seen:  # not the same best articles: start again
                        seen, result = [], SearchResult(query=text)
                    # only the articles not looked at yet: the ranking is score down, then
                    # document number, so the best ``wanted`` begin with the best of before
                    more = order[len(seen) :]
                    shown = r.highlighting(q, more)
                    _collect(r, shown, more, result, limit, every=False, together=together)
                    seen = order
                    # words together: a matching article may have no sentence holding them
                    # all; look further until the page is full or every article is seen
                    if not together or len(result.hits) >= limit or len(order) < wanted:
                        break
                    wanted *= 4
                result.complete = len(order) < wanted  # fewer than asked: that is all
            else:
                order = r.rank(q, None)
                if order:
                    _collect(r, q, order, result, limit, together=together)
            if not result.hits and result.complete:
                result.suggestion = self._suggest(r, text)
        return result

    def occurrences(
        self, text: str, cancelled: Callable[[], bool] | None = None
    ) -> list[Occurrences]:
        """Every match of ``text`` in every article, as search highlights them (the same spans,
        merged in each sentence as ``search`` merges them), with offsets into the article text:
        what the study views count and show. Articles in index order; raises ``QueryError``
        for an unusable query and ``Cancelled`` when ``cancelled()`` says so."""
        q = self.parse(text)
        together = _words_together(text, q)
        found: list[Occurrences] = []
        with self.reading() as r:
            order = r.rank(q, None)
            for m in _matched(r, q, order, True, together, cancelled):
                occ = _occurrence(r, m)
                if occ is not None:
                    found.append(occ)
        return found

    def first_occurrences(
        self,
        text: str,
        order: Sequence[str],
        enough: int,
        cancelled: Callable[[], bool] | None = None,
    ) -> tuple[list[Occurrences], bool]:
        """The matches of ``text`` (as ``occurrences`` finds them) in the first articles of
        ``order`` (article ids, the library's order) that hold it, until ``enough`` spans are
        found; and whether that was every article holding it. For a concordance's first screen:
        the articles matching are found from the postings alone, and only the first few have
        their spans read (skipping to each), so a frequent word costs what a rare one does."""
        q = self.parse(text)
        together = _words_together(text, q)
        found: list[Occurrences] = []
        with self.reading() as r:
            parts = r.parts
            first_of = {d: first for first, docs in parts.items() for d in docs}
            ids = r.ids
            matching = {first_of.get(d, d) for d in r.searcher.docs_for_query(q)}
            doc_of = {ids[d]: d for d in matching if ids[d] is not None}
            wanted = [doc_of[a] for a in order if a in doc_of]
            count, at, chunk = 0, 0, 8
            while at < len(wanted) and count < enough:
                docs = wanted[at : at + chunk]
                at, chunk = at + chunk, chunk * 2
                for m in _matched(r, q, docs, False, together, cancelled):
                    occ = _occurrence(r, m)
                    if occ is not None:
                        found.append(occ)
                        count += len(occ.spans) + len(occ.title_spans)
        return found, at >= len(wanted)

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
        if r.parts:  # matched article by article, as a search is
            return suggestion if r.rank(corrected, 1) else None
        return suggestion if searcher.search(corrected, limit=1).scored_length() else None


def _end_with_parent() -> None:
    """In a forked process: a thread that ends it once its parent is gone (killed included),
    the parent being the process that forked it (it then has another)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="glossator-parent-watch", daemon=True).start()


@functools.cache
def _parallel_writer() -> Any:
    """Whoosh's multiprocess writer with sub-writers that end when the process that started
    them is gone (killed included): they would otherwise wait on their job queue for ever (its
    other end is open in them too). Made when first needed (multiprocessing is imported then);
    the sub-writers are forked, so the classes need not be importable by name."""
    from whoosh.multiproc import MpWriter, SubWriterTask

    class SubWriter(SubWriterTask):
        def run(self) -> None:
            import signal

            # forked from an app whose event loop catches SIGTERM: terminate() must end it
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _end_with_parent()
            super().run()

    class ParallelWriter(MpWriter):
        def _new_task(self) -> Any:
            task = SubWriter(
                self.storage,
                self.indexname,
                self.jobqueue,
                self.resultqueue,
                self.subargs,
                self.multisegment,
            )
            self.tasks.append(task)
            task.start()
            return task

    return ParallelWriter


class _Reading:
    """An open searcher and what is worth keeping while it stays open."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self._info: Callable[[int], bytes] | None = None
        self._sents: Callable[[int], bytes] | None = None
        self._lexicon: list[str] | None = None
        self._ranker: Ranker | None = None
        self._parts: dict[int, tuple[int, ...]] | None = None
        self._in_parts: frozenset[int] = frozenset()
        self._ids: list[str | None] | None = None
        self._decoded: OrderedDict[int, tuple[str, list[tuple[int, int, int]]]] = OrderedDict()
        self._decoded_chars = 0

    @property
    def parts(self) -> dict[int, tuple[int, ...]]:
        """The articles indexed in parts: first part's document number -> every part's, in
        order. Empty in a library without long articles (one look-up of a term not there)."""
        if self._parts is None:
            found: dict[str, list[tuple[int, int]]] = {}
            for docnum in self.searcher.document_numbers(parted=PARTED):
                article_id, _title, part, _starts = _unpack_info(self.info(docnum))
                found.setdefault(article_id, []).append((part, docnum))
            parts = {}
            for pieces in found.values():
                docs = tuple(docnum for _part, docnum in sorted(pieces))
                parts[docs[0]] = docs
            self._in_parts = frozenset(d for docs in parts.values() for d in docs)
            self._parts = parts
        return self._parts

    def _ranked(self, q: query.Query, limit: int | None) -> list[int]:
        if self._ranker is None:
            self._ranker = Ranker(self.searcher)
        order = self._ranker.rank(q, limit)
        if order is None:  # not a query the ranker knows: Whoosh ranks it
            order = [hit.docnum for hit in self.searcher.search(q, limit=limit, terms=False)]
        return order

    def rank(self, q: query.Query, limit: int | None) -> list[int]:
        """The best ``limit`` articles for ``q`` (all when None), best first, as document numbers
        (an article in parts by its first part's).

        The articles in parts are matched and scored as wholes (``_match_parts``), the other
        documents by the ranker or Whoosh with the parts left out; the two are merged by score,
        ties by document number, as Whoosh orders documents: deterministic, and without parts
        exactly the order of before.
        """
        parts = self.parts
        if not parts:
            return self._ranked(q, limit)
        if self._ranker is None:
            self._ranker = Ranker(self.searcher)
        scored = self._ranker.scored(q, limit, exclude=self._in_parts)
        if scored is None:
            hits = self.searcher.search(q, limit=limit, terms=False, mask=set(self._in_parts))
            scored = [(hit.docnum, hit.score) for hit in hits]
        found = _match_parts(self.searcher, q, parts, spans=False)
        merged = sorted(scored + [(d, f.score) for d, f in found.items()], key=_best_first)
        return [d for d, _ in (merged if limit is None else merged[:limit])]

    def highlighting(self, q: query.Query, docs: list[int]) -> query.Query:
        """What to highlight of ``q`` in ``docs`` (see ``Ranker.narrow``); ``q`` itself when the
        ranker did not rank it."""
        if self._ranker is None:
            return q
        if self.parts:  # an article in parts: every part, not only the first
            docs = [d for doc in docs for d in self.parts.get(doc, (doc,))]
        narrowed = self._ranker.narrow(q, docs)
        return q if narrowed is None else narrowed

    def sentences(self, docnum: int) -> tuple[str, list[tuple[int, int, int]]]:
        """``_unpack_sentences`` of a document's stored article, kept for the latest documents
        shown (up to ``DECODED_CHARS`` of their text): the next keystroke's results are often
        in the same articles, and reading and decoding one is most of showing it."""
        found = self._decoded.get(docnum)
        if found is not None:
            self._decoded.move_to_end(docnum)
            return found
        if self._sents is None:
            self._sents = self.searcher.reader().column_reader("sents").__getitem__
        found = _unpack_sents(self._sents(docnum))
        self._decoded[docnum] = found
        self._decoded_chars += len(found[0])
        while self._decoded_chars > DECODED_CHARS and len(self._decoded) > 1:
            _, (text, _sentences) = self._decoded.popitem(last=False)
            self._decoded_chars -= len(text)
        return found

    @property
    def info(self) -> Callable[[int], bytes]:
        """Each document's packed id, title and sentence starts, by document number."""
        if self._info is None:
            self._info = self.searcher.reader().column_reader("info").__getitem__
        return self._info

    @property
    def ids(self) -> list[str | None]:
        """The article id of each document number (None for the later parts of an article in
        parts, and for deleted documents), read once while this searcher stays open."""
        if self._ids is None:
            reader, info, parts = self.searcher.reader(), self.info, self.parts
            later = self._in_parts.difference(parts)
            ids: list[str | None] = [None] * reader.doc_count_all()
            for docnum in reader.all_doc_ids():
                if docnum not in later:
                    blob = info(docnum)
                    id_len = _INFO_HEADER.unpack_from(blob)[0]
                    at = _INFO_HEADER.size
                    ids[docnum] = blob[at : at + id_len].decode("utf-8")
            self._ids = ids
        return self._ids

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
    text, _sentences = _unpack_sents(searcher.reader().column_reader("sents")[postings.id()])
    return text[start:end].lower()  # offsets into the document's text: a part's, for a part


def _probe(searcher: Searcher) -> None:
    """Read a little of every segment, so a damaged index fails here rather than mid-search."""
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        for btext in reader.lexicon("id"):
            postings = reader.postings("id", btext)
            if postings.is_active():
                docnum = postings.id()
                if not reader.is_deleted(docnum):
                    _unpack_sentences(reader.stored_fields(docnum)["doc"])
                    _unpack_sents(reader.column_reader("sents")[docnum])
            break


_BINARY_OPERATOR = re.compile(r"\b(?:ANDNOT|ANDMAYBE)\b")
MAX_BINARY_OPERATORS = 8


def _parse(parser: qparser.QueryParser, text: str) -> query.Query:
    stripped = text.strip()
    if not stripped:
        raise QueryError("type something to search for")
    if len(stripped) > 1000:
        raise QueryError("the query is too long (1,000 characters at most)")
    if len(_BINARY_OPERATOR.findall(stripped)) > MAX_BINARY_OPERATORS:
        # Whoosh's parser takes twice as long for each one more (20 of them: minutes)
        raise QueryError(
            f"at most {MAX_BINARY_OPERATORS} ANDNOT or ANDMAYBE in one query; "
            "use NOT and OR, as in shells NOT rifle"
        )
    _check_fields(stripped)
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


_FIELD = re.compile(r"(?<![\w:])([^\W\d_]\w*):(?=(\S?))")
FIELDS = ("title", "body")  # what a query can name: ``title:korea``; ``body:`` is the default


_QUOTED = re.compile(r'"[^"]*"')


def _unquoted(text: str) -> str:
    """``text`` with what is in quotes (a phrase: words, not syntax) blanked, at the same
    offsets."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def _check_fields(text: str) -> None:
    """A field the index does not have (``author:smith``), or a field with nothing after it
    (``title:``), said as a QueryError: Whoosh would otherwise search for nothing, silently.
    What is in quotes is words, not fields."""
    for m in _FIELD.finditer(_unquoted(text)):
        name, after = m.group(1), m.group(2)
        if name.lower() in FIELDS and name not in FIELDS:
            raise QueryError(f"fields are written in lower case: {name.lower()}:")
        if name not in FIELDS:
            raise QueryError(
                f'no field {name}: to search; title: is the one (title:korea); "{name}:" '
                "in quotes searches the word"
            )
        if not after or after in ")":
            raise QueryError(f"{name}: needs a word after it, as in {name}:korea")


_OPERATOR_SYNTAX = re.compile(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[()]")


def _words_together(text: str, q: query.Query) -> bool:
    """Whether ``q`` is words (or phrases) typed without operators, whose hits are the sentences
    holding all of them; ``a AND b`` keeps its meaning, articles holding both."""
    if type(q) is not query.And:
        return False
    return _OPERATOR_SYNTAX.search(_unquoted(text)) is None


def _with_aliases(
    q: query.Query, aliases: dict[tuple[str, ...], list[tuple[str, ...]]]
) -> query.Query:
    """``q`` with each word, phrase or run of words that is a form of an aliased name replaced
    by the OR of all its forms."""

    def form(words: tuple[str, ...]) -> query.Query:
        return (
            query.Term("body", words[0]) if len(words) == 1 else query.Phrase("body", list(words))
        )

    def every(words: tuple[str, ...]) -> query.Query:
        return query.Or([form(w) for w in aliases[words]])

    def plain(node: query.Query) -> bool:
        return type(node) is query.Term and node.fieldname == "body" and node.boost == 1.0

    def visit(node: query.Query) -> query.Query:
        if plain(node) and (node.text,) in aliases:
            return every((node.text,))
        if type(node) is query.Phrase and node.fieldname == "body" and node.slop == 1:
            if tuple(node.words) in aliases:
                return every(tuple(node.words))
            return node
        if type(node) is query.And:
            subs, out, i = list(node.subqueries), [], 0
            while i < len(subs):
                for length in range(min(8, len(subs) - i), 1, -1):
                    run = subs[i : i + length]
                    words = tuple(x.text for x in run) if all(plain(x) for x in run) else ()
                    if words in aliases:
                        out.append(every(words))
                        i += length
                        break
                else:
                    out.append(visit(subs[i]))
                    i += 1
            return query.And(out, boost=node.boost) if len(out) > 1 else out[0]
        if node.is_leaf():
            return node
        return node.apply(visit)

    return visit(q)


def _walk(q: query.Query) -> Iterator[query.Query]:
    yield q
    for child in q.children():
        yield from _walk(child)


Piece = tuple[int, array, list[tuple[int, int]]]  # (document, its sentence starts, spans in it)


@dataclass(frozen=True, slots=True)
class Occurrences:
    """A query's matches in one article: (sentence id, start, end) in reading order, offsets
    into the article text, one per search highlight; and the title's highlights."""

    article_id: str
    title: str
    title_spans: tuple[tuple[int, int], ...]
    spans: tuple[tuple[int, int, int], ...]


def _occurrence(r: _Reading, m: _Matched) -> Occurrences | None:
    """An article's matches with offsets into its text (None: it has none)."""
    spans: list[tuple[int, int, int]] = []
    first = 0  # the first sentence id of the part
    for docnum, starts, part_spans in m.pieces:
        base = 0
        if docnum in r._in_parts:
            base = _decode(r.searcher.stored_fields(docnum)["doc"]).get("base", 0)
            first = _part_first_sentence(r, m.docnum, docnum)
        spans.extend(_per_sentence(starts, part_spans, base, first))
    title = _merge(m.in_title) if m.in_title else ()
    if spans or title:
        return Occurrences(m.article_id, m.title, title, tuple(spans))
    return None


def _per_sentence(
    starts: array, spans: list[tuple[int, int]], base: int, first: int
) -> list[tuple[int, int, int]]:
    """Spans cut at sentence starts and merged in each sentence, as ``_sentence_hits`` makes
    highlights: (sentence id, start, end), offsets moved by ``base``."""
    per: dict[int, list[tuple[int, int]]] = {}
    n = len(starts)
    for start, end in spans:
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        while start < end:
            stop = starts[i + 1] if i + 1 < n else end
            cut = min(end, stop) if stop > start else end
            per.setdefault(i, []).append((start, cut))
            start, i = cut, i + 1
            if i >= n:
                break
    out = []
    for i in sorted(per):
        for start, end in _merge(per[i]):
            out.append((first + i, base + start, base + end))
    return out


def _part_first_sentence(r: _Reading, first_doc: int, docnum: int) -> int:
    """The id of the first sentence of a part: the sentences of the parts before it."""
    total = 0
    for d in r.parts[first_doc]:
        if d == docnum:
            return total
        total += len(_unpack_info(r.info(d))[3])
    return total


@dataclass(slots=True)
class _Matched:
    """What ``q`` matched in one article: its body spans, part by part, and its title's."""

    docnum: int  # the article's document (its first part's)
    article_id: str
    title: str
    pieces: list[Piece]  # in reading order; one piece unless the article is in parts
    in_title: list[tuple[int, int]] | None


def _matched(
    r: _Reading,
    q: query.Query,
    order: list[int],
    every: bool = True,
    together: bool = False,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[_Matched]:
    """The spans ``q`` matches in each document of ``order`` (an article in parts by its first
    part), in that order: what search highlights, and what the study views count.

    ``every``: the documents are all the query's matches (spans are read in one pass over the
    postings); otherwise they are a few, and each is reached by skipping to it. An article in
    parts has its spans found in each part by ``_match_parts``, from the same queries.
    ``together`` (words typed without operators): only the spans in sentences that hold a match
    of every word (each operand of the query's AND) are kept.
    """
    searcher, info = r.searcher, r.info
    # Multi-term queries (prefix, fuzzy) become an OR of the terms they stand for: Whoosh
    # collapses a large expansion into a matcher without positions, which has no spans.
    positive = _simplify(_positive(q), searcher.reader())
    body_q, title_q = _only_field(positive, "body"), _only_field(positive, "title")
    operands = list(body_q.subqueries) if together and type(body_q) is query.And else []
    if len(operands) < 2:
        operands = []
    parted = {docnum: r.parts[docnum] for docnum in order if docnum in r.parts}
    wanted = set(order).difference(parted)
    find = _spans if every else functools.partial(_spans_of, ranker=r._ranker)
    body_spans = {} if operands else find(searcher, body_q, wanted, cancelled)
    each_spans = [find(searcher, op, wanted, cancelled) for op in operands]
    title_spans = find(searcher, title_q, wanted, cancelled)
    body_parts = _match_parts(searcher, body_q, parted) if parted and not operands else {}
    each_parts = [_match_parts(searcher, op, parted) for op in operands] if parted else []
    title_parts = _match_parts(searcher, title_q, parted) if parted else {}
    for n, docnum in enumerate(order):
        if cancelled is not None and not n % 256 and cancelled():
            raise Cancelled
        article_id, title, _part, starts = _unpack_info(info(docnum))
        pieces: list[Piece]
        if docnum not in parted:
            if operands:
                spans = _in_every([each.get(docnum, []) for each in each_spans], starts)
            else:
                spans = body_spans.get(docnum, [])
            pieces = [(docnum, starts, spans)]
            in_title = title_spans.get(docnum)
        else:  # an article in parts: its parts' matches, in reading order
            pieces = []
            for d in parted[docnum]:
                part_starts = starts if d == docnum else _unpack_info(info(d))[3]
                if operands:
                    found = [each.get(docnum) for each in each_parts]
                    spans = _in_every([f.body.get(d, []) if f else [] for f in found], part_starts)
                else:
                    spans = body_parts[docnum].body.get(d, []) if docnum in body_parts else []
                if spans:
                    pieces.append((d, part_starts, spans))
            in_title = title_parts[docnum].title if docnum in title_parts else None
        yield _Matched(docnum, article_id, title, pieces, in_title)


def _in_every(each: list[list[tuple[int, int]]], starts: array) -> list[tuple[int, int]]:
    """The spans of sentences in which every operand has a span (each operand's spans in
    ``each``); a span belongs to the sentence it starts in. Where the words stand side by side
    in the order typed ("Kim Jong Un", "Kim Jong-un"), their spans become one, so the run is
    one highlight, one concordance line and one occurrence, as a phrase would be."""
    if not all(each):
        return []
    found = [{bisect.bisect_right(starts, start) - 1 for start, _end in spans} for spans in each]
    common = set.intersection(*found)
    if not common:
        return []
    kept = sorted(
        (bisect.bisect_right(starts, span[0]) - 1, span, k)
        for k, spans in enumerate(each)
        for span in spans
        if bisect.bisect_right(starts, span[0]) - 1 in common
    )
    return _side_by_side(kept)


_BESIDE = 2  # the most characters between two words standing side by side (", " or " - ")


def _side_by_side(kept: list[tuple[int, tuple[int, int], int]]) -> list[tuple[int, int]]:
    """``kept`` (sentence, span, operand) in text order, with each run of spans of operands 0,
    1, 2, ... in turn, in one sentence, at most ``_BESIDE`` characters apart, joined into one
    span. A gap that short holds no word (a word beside a match would be part of its token),
    only spaces, a hyphen or a punctuation mark."""
    out: list[tuple[int, int]] = []
    last, in_sentence = -2, -1  # the operand and sentence of out[-1]; -2: none to join to
    for sentence, (start, end), k in kept:
        beside = 0 <= start - out[-1][1] <= _BESIDE if out else False
        if beside and k == last + 1 and sentence == in_sentence:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
        last, in_sentence = k, sentence
    return out


def _collect(
    r: _Reading,
    q: query.Query,
    order: list[int],
    result: SearchResult,
    limit: int | None,
    every: bool = True,
    together: bool = False,
) -> None:
    """Turn ranked documents into sentence hits with highlight offsets (see ``_matched``)."""
    hits = result.hits  # those of the articles before ``order`` (a page filled in steps)
    for m in _matched(r, q, order, every, together):
        article_id, title, pieces, in_title = m.article_id, m.title, m.pieces, m.in_title
        count = sum(_sentence_count(part_starts, spans) for _, part_starts, spans in pieces)
        count += bool(in_title)
        if not count:
            continue
        result.articles.append((article_id, title, count))
        result.total += count
        if limit is not None and len(hits) >= limit:
            continue  # counted; its sentences are not shown
        if in_title:
            hits.append(Hit(article_id, title, -1, title, _merge(in_title)))
        for part, _starts, spans in pieces:
            if limit is not None and len(hits) >= limit:
                break  # the rest of a long article's parts are not read
            if spans:
                text, sentences = r.sentences(part)
                hits.extend(_sentence_hits(article_id, title, text, sentences, spans))
    result.hits = hits if limit is None else hits[:limit]


def _best_first(item: tuple[int, float]) -> tuple[float, int]:
    return (-item[1], item[0])


@dataclass(slots=True)
class _Found:
    """What matched in one article indexed in parts."""

    score: float = 0.0
    body: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # part -> spans in it
    title: list[tuple[int, int]] = field(default_factory=list)  # the title is in the first part

    def add(self, other: _Found) -> None:
        self.score += other.score
        for docnum, spans in other.body.items():
            self.body.setdefault(docnum, []).extend(spans)
        self.title.extend(other.title)


_BOOLEAN = (query.And, query.Or, query.Not, query.AndNot, query.AndMaybe)


def _match_parts(
    searcher: Searcher, q: query.Query, parts: dict[int, tuple[int, ...]], spans: bool = True
) -> dict[int, _Found]:
    """The articles in parts (first part -> every part) that ``q`` matches as whole articles,
    by first part, with their scores and (``spans``) the words' spans in each part: the query's
    boolean operators apply to the article (its words may be in different parts), each word is
    looked up in the parts.

    The score follows Whoosh's sums (AND and OR add their operands' scores, NOT adds nothing),
    and a word's score in an article is its best part's: for a one-word query, the article ranks
    as its best part does. A word that stands for several (a prefix, a fuzzy word) is the sum of
    those in one part, as the ranker scores it. The spans are those Whoosh's matcher gives for a
    document: of the operands that match (ANDMAYBE's first only); ``_collect`` asks with the
    query's positive, one-field parts, as it does for other articles.
    """
    if q is query.NullQuery or isinstance(q, query.qcore._NullQuery):
        return {}
    owner = {docnum: first for first, docs in parts.items() for docnum in docs}
    docs = sorted(owner)
    reader = searcher.reader()
    context = searcher.context()
    segments = []  # (leaf searcher, its offset, the parts in it by local document number)
    for sub, offset in searcher.leaf_searchers():
        size = sub.doc_count_all()
        local = [d - offset for d in docs if offset <= d < offset + size]
        if local:
            segments.append((sub, offset, local))

    def word(node: query.Query) -> dict[int, _Found]:
        fieldname = node.field()
        terms = [node]
        if isinstance(node, query.MultiTerm):
            terms = [
                query.Term(fieldname, btext.decode("utf-8"), boost=node.boost)
                for btext in sorted(set(node._btexts(reader)))
            ]
        with_spans = spans and fieldname in ("body", "title")
        per_part: dict[int, _Found] = {}
        for term in terms:
            plain = type(term) is query.Term
            for sub, offset, local in segments:
                m = term.matcher(sub, context)
                for docnum in local:
                    at = _reach(m, docnum)
                    if at is None:
                        break
                    if not at:
                        continue
                    found = per_part.setdefault(offset + docnum, _Found())
                    found.score += m.score()
                    if with_spans:
                        if plain and m.supports("characters"):  # a word: its offsets, read direct
                            got = [(start, end) for _pos, start, end in m.value_as("characters")]
                        else:
                            got = _char_spans(m)
                        if fieldname == "title":
                            found.title.extend(got)
                        elif got:
                            found.body.setdefault(offset + docnum, []).extend(got)
        articles: dict[int, _Found] = {}
        for docnum, found in per_part.items():
            article = articles.setdefault(owner[docnum], _Found(score=found.score))
            article.score = max(article.score, found.score)
            article.body.update(found.body)
            article.title.extend(found.title)
        return articles

    def combined(items: list[dict[int, _Found]], keys: Iterable[int], boost: float) -> dict:
        out: dict[int, _Found] = {}
        for key in keys:
            total = _Found()
            for item in items:
                if key in item:
                    total.add(item[key])
            total.score *= boost
            out[key] = total
        return out

    def evaluate(node: query.Query) -> dict[int, _Found]:
        kind = type(node)
        if kind not in _BOOLEAN:
            return word(node)  # a word, a phrase, a range...: looked up in each part
        if kind is query.Not:  # the articles without it, nothing to highlight
            without = parts.keys() - evaluate(node.query).keys()
            return {key: _Found() for key in without}
        if kind is query.AndNot:
            a, b = evaluate(node.a), evaluate(node.b)
            return combined([a], a.keys() - b.keys(), node.boost)
        if kind is query.AndMaybe:  # b adds to the score; Whoosh highlights only a
            a, b = evaluate(node.a), evaluate(node.b)
            out = combined([a], a.keys(), node.boost)
            for key in out.keys() & b.keys():
                out[key].score += b[key].score * node.boost
            return out
        items = [evaluate(sub) for sub in node.subqueries]
        if not items:
            return {}
        if kind is query.And:
            keys = set(items[0]).intersection(*items[1:])
        else:
            keys = set().union(*items)
        return combined(items, keys, node.boost)

    return evaluate(q)


def _sentence_count(starts: array, spans: list[tuple[int, int]]) -> int:
    """How many sentences the spans touch, from the sentence starts alone."""
    touched: set[int] = set()
    n = len(starts)
    for start, end in spans:
        first = bisect.bisect_right(starts, start) - 1
        if first >= 0 and (first + 1 == n or starts[first + 1] >= end):
            touched.add(first)  # inside one sentence, as nearly every span is
            continue
        last = bisect.bisect_right(starts, max(start, end - 1)) - 1
        touched.update(range(max(first, 0), last + 1))
    return len(touched)


Spans = dict[int, list[tuple[int, int]]]


def _spans(
    searcher: Searcher,
    q: query.Query,
    wanted: set[int],
    cancelled: Callable[[], bool] | None = None,
) -> Spans:
    """Character spans of ``q``'s matches in each wanted document."""
    found: Spans = {}
    if q is query.NullQuery or isinstance(q, query.qcore._NullQuery):
        return found
    n = 0
    for sub, offset in searcher.leaf_searchers():
        matcher = q.matcher(sub)
        while matcher.is_active():
            n += 1
            if cancelled is not None and not n % 512 and cancelled():
                raise Cancelled
            docnum = offset + matcher.id()
            if docnum in wanted:
                spans = _char_spans(matcher)
                if spans:
                    found[docnum] = spans
            matcher.next()
    return found


def _spans_of(
    searcher: Searcher,
    q: query.Query,
    wanted: set[int],
    cancelled: Callable[[], bool] | None = None,
    ranker: Ranker | None = None,
) -> Spans:
    """Character spans of ``q``'s matches in a few documents, skipping to each (the posting
    blocks ``ranker`` still holds are read there)."""
    found: Spans = {}
    if q is query.NullQuery or isinstance(q, query.qcore._NullQuery) or not wanted:
        return found
    docs = sorted(wanted)
    words = _words_of(q)
    if words is not None:
        return _word_spans(searcher, words, docs, ranker)
    for sub, offset in searcher.leaf_searchers():
        local = [d - offset for d in docs if offset <= d < offset + sub.doc_count_all()]
        if not local:
            continue
        matcher = q.matcher(sub)
        for docnum in local:
            at = _reach(matcher, docnum)
            if at is None:
                break
            if at:
                spans = _char_spans(matcher)
                if spans:
                    found[offset + docnum] = spans
    return found


def _words_of(q: query.Query) -> list[tuple[str, str]] | None:
    """The (field, word) pairs of a word or an OR of words (what a ranked query is highlighted
    by), or None for any other query."""
    if type(q) is query.Term:
        return [(q.fieldname, q.text)] if isinstance(q.text, str) else None
    if type(q) is query.Or and not q.minmatch:
        words: list[tuple[str, str]] = []
        for sub in q.subqueries:
            found = _words_of(sub)
            if found is None:
                return None
            words += found
        return words
    return None


def _word_spans(
    searcher: Searcher,
    words: list[tuple[str, str]],
    docs: list[int],
    ranker: Ranker | None = None,
) -> Spans:
    """``_spans_of`` for words (``_words_of``): each word's character offsets in each of
    ``docs`` (sorted), from the blocks ``ranker`` read to score it when it still holds them,
    else from its postings, going to the block that holds the document, not through Whoosh's
    matchers, which step through each block one posting at a time. The spans of a document
    are its words' (in another order than Whoosh's union gives them: every use sorts or merges
    them)."""
    found: Spans = {}
    held: dict[str, list[list[tuple[Sequence[int], Sequence[bytes]]]]] = {}
    if ranker is not None:
        for fieldname, text in words:
            if fieldname == "body":
                blocks = ranker.held(text.encode("utf-8"))
                if blocks is not None:
                    held[text] = blocks
    decode_body: Any = searcher.schema["body"].format.decoder("characters") if held else None
    for k, (sub, offset) in enumerate(searcher.leaf_searchers()):
        reader = sub.reader()
        local = [d - offset for d in docs if offset <= d < offset + reader.doc_count_all()]
        if not local:
            continue
        for fieldname, text in words:
            if fieldname == "body" and text in held:
                _held_spans(held[text][k], local, offset, decode_body, found)
                continue
            if (fieldname, text) not in reader:
                continue
            m = reader.postings(fieldname, text)
            raw = getattr(m, "child", m)  # with deletions, the postings in a filter (the
            # documents asked for are never deleted ones: they come from a search)
            if hasattr(raw, "_read_ids") and raw.supports("characters"):
                decode = raw.format.decoder("characters")
            else:
                raw = None
            for docnum in local:
                if raw is None:  # not Whoosh's block postings: one posting at a time
                    at = _reach(m, docnum)
                    if at is None:
                        break
                    if not at:
                        continue
                    spans = _char_spans(m)
                else:
                    if not raw.is_active():
                        break
                    if docnum > raw.block_max_id():
                        raw._skip_to_block(lambda: docnum > raw.block_max_id())  # noqa: B023
                        if not raw.is_active():
                            break
                    if raw._ids is None:
                        raw._read_ids()
                    ids = raw._ids
                    i = bisect.bisect_left(ids, docnum)
                    if i == len(ids) or ids[i] != docnum:
                        continue
                    if raw._values is None:
                        raw._read_values()
                    spans = [(start, end) for _pos, start, end in decode(raw._values[i])]
                if spans:
                    found.setdefault(offset + docnum, []).extend(spans)
    return found


def _held_spans(
    blocks: list[tuple[Sequence[int], Sequence[bytes]]],
    local: list[int],
    offset: int,
    decode: Callable[[bytes], list[tuple[int, int, int]]],
    found: Spans,
) -> None:
    """A word's spans in the ``local`` documents (sorted) of one segment, from its blocks."""
    for docnum, value in held_values(blocks, local):
        spans = [(start, end) for _pos, start, end in decode(value)]
        if spans:
            found.setdefault(offset + docnum, []).extend(spans)


def _reach(m: Any, docnum: int) -> bool | None:
    """Move the matcher ``m`` on to ``docnum`` (never back): True when it is there, False when
    it has no posting for it, None when it has no posting left."""
    if not m.is_active():
        return None
    if m.id() < docnum:
        m.skip_to(docnum)
        if not m.is_active():
            return None
    return bool(m.id() == docnum)


def _char_spans(m: Any) -> list[tuple[int, int]]:
    """The character spans of the matcher's current posting (those that have them)."""
    return [
        (s.startchar, s.endchar)
        for s in m.spans()
        if s.startchar is not None and s.endchar is not None
    ]


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


_INFO_HEADER = struct.Struct("<III")  # id length, title length, part (0 unless in parts)


def _pack_info(article_id: str, title: str, part: int, starts: Iterable[int]) -> bytes:
    """The info column: sentence starts are offsets into the document's text (a part's)."""
    article_id_b, title_b = article_id.encode("utf-8"), title.encode("utf-8")
    head = _INFO_HEADER.pack(len(article_id_b), len(title_b), part)
    return head + article_id_b + title_b + array("I", starts).tobytes()


def _unpack_info(blob: bytes) -> tuple[str, str, int, array]:
    id_len, title_len, part = _INFO_HEADER.unpack_from(blob)
    at = _INFO_HEADER.size
    article_id = blob[at : at + id_len].decode("utf-8")
    title = blob[at + id_len : at + id_len + title_len].decode("utf-8")
    starts = array("I")
    starts.frombytes(blob[at + id_len + title_len :])
    return article_id, title, part, starts


def _pack_sents(text: str, sentences: Iterable[tuple[int, int, int]]) -> bytes:
    """The sents column: (id, start, end) of each sentence in the document's text, and the text."""
    flat = array("I", [n for sentence in sentences for n in sentence])
    raw = len(flat).to_bytes(4, "little") + flat.tobytes() + text.encode("utf-8")
    return zlib.compress(raw)


def _unpack_sents(blob: bytes) -> tuple[str, list[tuple[int, int, int]]]:
    """What ``_unpack_sentences`` gives, from the sents column."""
    raw = zlib.decompress(blob)
    n = int.from_bytes(raw[:4], "little")
    flat = array("I")
    flat.frombytes(raw[4 : 4 + flat.itemsize * n])
    every = iter(flat)
    return raw[4 + flat.itemsize * n :].decode("utf-8"), list(zip(every, every, every, strict=True))


def _documents(article: Article) -> Iterator[dict]:
    """The Whoosh documents of an article: one, or one per part of a long article (made one
    at a time, so only one part's postings and stored data are in memory at once)."""
    cuts = _cuts(article)
    if len(cuts) == 1:
        yield {
            "id": article.id,
            "title": article.title,
            "body": article.text,
            "doc": _pack(article),
            "info": _pack_info(article.id, article.title, 0, (s.start for s in article.sentences)),
            "sents": _pack_sents(article.text, [(s.id, s.start, s.end) for s in article.sentences]),
        }
        return
    for part, (base, end, paragraphs) in enumerate(_split(article, cuts)):
        text = article.text[base:end]
        data: dict = {"paragraphs": paragraphs}
        document: dict[str, Any] = {"id": article.id, "body": text, "parted": PARTED}
        if part == 0:  # the title and the rest of the article, once
            data = _header(article) | data
            document["title"] = article.title
        payload = {"article": data, "text": text, "part": part, "base": base}
        document["doc"] = _encode(payload)
        starts = (s["start"] - base for p in paragraphs for s in p["sentences"])
        document["info"] = _pack_info(article.id, article.title, part, starts)
        own = [(s["id"], s["start"] - base, s["end"] - base) for p in paragraphs
               for s in p["sentences"]]  # fmt: skip
        document["sents"] = _pack_sents(text, own)
        yield document


def _cuts(article: Article) -> list[int]:
    """Where the article's parts start: [0] for an article of ``PART_CHARS`` or fewer.

    Parts are cut before a block, or before a sentence that follows white space (so no word is
    cut in two), each as long as allowed without going over ``PART_CHARS`` (a block or sentence
    longer than that is a part of its own).
    """
    text = article.text
    if len(text) <= PART_CHARS:
        return [0]
    cuts = [0]
    last = 0  # the latest place a part could start
    for block in article.blocks:
        places = [block.start]
        places += [s.start for s in block.sentences[1:] if text[s.start - 1 : s.start].isspace()]
        for place in places:
            if place <= last:
                continue
            if place - cuts[-1] > PART_CHARS and last > cuts[-1]:
                cuts.append(last)
            last = place
    if len(text) - cuts[-1] > PART_CHARS and last > cuts[-1]:
        cuts.append(last)
    return cuts


def _split(article: Article, cuts: list[int]) -> Iterator[tuple[int, int, list[dict]]]:
    """Each part as (start, end, its blocks as ``Article.to_json`` writes them, without the
    sentences' text), offsets into the whole text. A block cut in two is in both parts, with
    its sentences in the part where they start; the second piece is marked ``"cont"``."""
    ends = [*cuts[1:], len(article.text)]
    k = 0
    paragraphs: list[dict] = []
    for block in article.blocks:
        piece: dict | None = None
        for sentence in block.sentences or (None,):
            start = block.start if sentence is None else sentence.start
            while k + 1 < len(cuts) and cuts[k + 1] <= start:
                yield cuts[k], ends[k], paragraphs
                k += 1
                paragraphs, piece = [], None
            if piece is None:
                piece = {
                    "kind": block.kind,
                    "marker": block.marker,
                    "start": block.start,
                    "end": block.end,
                    "sentences": [],
                }
                if block.start < cuts[k]:
                    piece["cont"] = True
                paragraphs.append(piece)
            if sentence is not None:
                piece["sentences"].append(
                    {"id": sentence.id, "start": sentence.start, "end": sentence.end}
                )
    yield cuts[k], ends[k], paragraphs


def _header(article: Article) -> dict:
    """``Article.to_json`` without the paragraphs."""
    return article.header_json()


def _pack(article: Article) -> bytes:
    data = article.to_json()
    for block in data["paragraphs"]:
        for sentence in block["sentences"]:
            del sentence["text"]  # a slice of the text: stored once, as the text
    payload = {"article": data, "text": article.text}
    return _encode(payload)


def _encode(payload: dict) -> bytes:
    """A stored article as UTF-8 JSON. Not compressed here: Whoosh compresses its stored fields
    already, and decompressing twice was a third of the time of showing a page of results."""
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _decode(blob: bytes) -> dict:
    return json.loads(blob.decode("utf-8"))


def _unpack_sentences(blob: bytes) -> tuple[str, list[tuple[int, int, int]]]:
    """The document's text and its sentences as (id, start, end) in that text, without building
    an Article: all a search result needs. For a part, its own slice and sentences."""
    payload = _decode(blob)
    base = payload.get("base", 0)
    sentences = [
        (s["id"], s["start"] - base, s["end"] - base)
        for block in payload["article"]["paragraphs"]
        for s in block["sentences"]
    ]
    return payload["text"], sentences


def _unpack(blob: bytes) -> Article:
    payload = _decode(blob)
    return Article.from_json(payload["article"], payload["text"])


def _assemble(blobs: Iterable[bytes]) -> Article:
    """An article indexed in parts, from its parts' stored data in order, one part decoded at a
    time: what ``Article.from_json`` builds from the whole."""
    header: dict | None = None
    texts: list[str] = []
    blocks: list[tuple[tuple[str, int, int, str], list[Sentence]]] = []
    for blob in blobs:
        payload = _decode(blob)
        text, base = payload["text"], payload["base"]
        data = payload["article"]
        if header is None:
            header = {key: value for key, value in data.items() if key != "paragraphs"}
        for p in data["paragraphs"]:
            sentences = [
                Sentence(s["id"], s["start"], s["end"], text[s["start"] - base : s["end"] - base])
                for s in p["sentences"]
            ]
            if p.get("cont") and blocks:
                blocks[-1][1].extend(sentences)
            else:
                blocks.append(((p["kind"], p["start"], p["end"], p.get("marker", "")), sentences))
        texts.append(text)
        del payload, data
    assert header is not None
    text = "".join(texts)
    del texts
    return Article(
        **Article.header_fields(header),
        text=text,
        blocks=[
            Block(kind, start, end, tuple(sentences), marker)
            for (kind, start, end, marker), sentences in blocks
        ],
    )
