"""What a search back end must do for Glossator: the interface ``Library`` and the study views
use, written as a Protocol so another engine can take Whoosh's place (``engine.Engine`` is the
one there is; mypy checks that it fits, below).

Whoosh is right for one person's library on one machine: no server, an index in the cache
folder, the app open in a fraction of a second. It stops being right when a library is shared
by several people or outgrows one machine's memory and cores (the README's Performance section
gives the figures at 100,000 articles). There a server engine — OpenSearch or Elasticsearch,
which share the query DSL and mapping below — would stand behind the same interface:

- ``write`` is a ``_bulk`` request (``index`` and ``delete`` actions by article id, one document
  per article or per part of a long one, as now); ``clear`` is a new index written under an alias
  and the alias swapped at the end (so readers keep the old one until then, as with Whoosh);
  ``updating`` is a lock document (``op_type=create``) with a lease, instead of ``flock``.
- ``search`` with ``count=False`` is one ``_search`` with ``size`` = the page and
  ``track_total_hits: false``; with ``count`` a second one with ``track_total_hits: true`` and a
  ``terms`` aggregation on ``id`` for the articles and their counts. Sentences come from the
  ``highlight`` section (``type: fvh`` on the term vectors' offsets, fragments never merged across
  sentences: ``boundary_scanner: sentence``), mapped to sentence ids by the stored ``starts``.
- Words typed without operators (AND within a sentence) are a ``span_near`` inside each
  sentence, or, simpler, one more nested field ``sentences`` (one nested document per sentence)
  queried with ``nested`` + ``bool.must``; an ``[aliases]`` group is a ``synonym_graph`` filter in
  the search analyzer; the acronym rule is a ``pattern_replace`` char filter; a word in
  capitals is never a stop word: the ``stop`` filter runs before ``lowercase``, case-sensitive,
  on Whoosh's stop words in lower and title case (so "The" and "us" go, "US" stays); words of
  one letter go (``length``); stems are ``snowball``/``English`` as PyStemmer's.
- ``occurrences`` (the study views) is a ``_search`` over every match with
  ``highlight.number_of_fragments: 0`` and ``search_after`` pages: every span, as search shows;
  ``first_occurrences`` the same, stopped once ``enough`` are found in the given order.
- ``article`` is a ``GET _doc`` of the stored ``doc`` (``_source``), parts fetched by
  ``id`` and sorted by ``part``.
- ``problem``/``open_existing``/``lost``/``damaged`` are the cluster's health and the index's
  ``_meta.schema`` (the same ``SCHEMA_VERSION``); ``rebuild`` deletes and recreates the index.

The mapping such a back end would create (``OPENSEARCH_MAPPING``) mirrors ``engine.schema()``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from whoosh.analysis import STOP_WORDS

from .model import Article, SearchResult

if TYPE_CHECKING:
    from .engine import Occurrences, Wait


class SearchBackend(Protocol):
    """The full-text index of one library (see the module's doc for a server behind it)."""

    directory: Path  # where the index (or, for a server, its local state) is kept
    damaged: bool  # reading failed after opening: rebuilt at the next update
    aliases_of: object  # the library whose [aliases] the engine has

    # -- opening and keeping it sound --------------------------------------------------------
    def open(self) -> str | None: ...
    def open_existing(self) -> str | None: ...
    def problem(self) -> str | None: ...
    def lost(self) -> str | None: ...
    def rebuild(self) -> None: ...
    def close(self) -> None: ...
    def updating(self, wait: Wait | None = None) -> contextlib.AbstractContextManager[None]: ...

    # -- writing -----------------------------------------------------------------------------
    def write(
        self,
        put: Iterable[Article],
        delete: Iterable[str] = (),
        expected: int = 0,
        clear: bool = False,
    ) -> None: ...

    # -- reading -----------------------------------------------------------------------------
    def doc_count(self) -> int: ...
    def article(self, article_id: str) -> Article | None: ...
    def set_aliases(self, groups: list[list[str]]) -> None: ...
    def search(self, text: str, limit: int | None = None, count: bool = True) -> SearchResult: ...
    def suggest(self, text: str) -> str | None: ...
    def occurrences(
        self, text: str, cancelled: Callable[[], bool] | None = None
    ) -> list[Occurrences]: ...
    def first_occurrences(
        self,
        text: str,
        order: Sequence[str],
        enough: int,
        cancelled: Callable[[], bool] | None = None,
    ) -> tuple[list[Occurrences], bool]: ...


# The index an OpenSearch or Elasticsearch back end would create: the fields of engine.schema().
OPENSEARCH_MAPPING: dict[str, Any] = {
    "settings": {
        "analysis": {
            "char_filter": {
                # "D.P.R.K." and "DPRK" are one word (engine._normal)
                "acronyms": {
                    "type": "pattern_replace",
                    "pattern": r"\b(\p{L})\.(?=\p{L}\.)|(?<=\.\p{L})\.",
                    "replacement": "$1",
                },
            },
            "filter": {
                # before lowercase and case-sensitive: a word in capitals ("US") is kept
                "glossator_stop": {
                    "type": "stop",
                    "ignore_case": False,
                    "stopwords": sorted({f(w) for w in STOP_WORDS for f in (str, str.title)}),
                },
                "two_letters": {"type": "length", "min": 2},
                "english_stem": {"type": "snowball", "language": "English"},
                "aliases": {"type": "synonym_graph", "synonyms": []},  # from [aliases]
            },
            "analyzer": {
                "glossator": {
                    "type": "custom",
                    "char_filter": ["acronyms"],
                    "tokenizer": "standard",
                    "filter": ["glossator_stop", "lowercase", "two_letters", "english_stem"],
                },
                "glossator_search": {
                    "type": "custom",
                    "char_filter": ["acronyms"],
                    "tokenizer": "standard",
                    "filter": [
                        "glossator_stop",
                        "lowercase",
                        "two_letters",
                        "aliases",
                        "english_stem",
                    ],
                },
            },
        },
        "similarity": {"default": {"type": "BM25", "k1": 1.2, "b": 0.75}},  # Whoosh's BM25F
    },
    "mappings": {
        "_meta": {"schema": 13},  # engine.SCHEMA_VERSION
        "dynamic": "strict",
        "properties": {
            "id": {"type": "keyword"},
            "part": {"type": "integer"},  # 0 unless the article is indexed in parts
            "parted": {"type": "boolean"},
            "title": {
                "type": "text",
                "analyzer": "glossator",
                "search_analyzer": "glossator_search",
                "term_vector": "with_positions_offsets",
            },
            "body": {
                "type": "text",
                "analyzer": "glossator",
                "search_analyzer": "glossator_search",
                "term_vector": "with_positions_offsets",  # exact highlight offsets
            },
            "starts": {"type": "integer", "index": False},  # sentence starts (the info column)
            # each sentence's id, start and end (the sents column: Whoosh's way of reading a
            # passage without the whole stored article; here the text is the body's _source)
            "sents": {"type": "integer", "index": False},
            "sentences": {  # for words that must share a sentence
                "type": "nested",
                "properties": {
                    "id": {"type": "integer"},
                    "text": {"type": "text", "analyzer": "glossator"},
                },
            },
            "doc": {"type": "object", "enabled": False},  # the cleaned article, as stored now
        },
    },
}


if TYPE_CHECKING:  # mypy: Whoosh's engine is a SearchBackend

    def _fits(engine: Engine) -> SearchBackend:
        return engine

    from .engine import Engine
