"""The shapes every part of Glossator shares: articles, their blocks and sentences, search hits.

Offsets are character offsets into ``Article.text``, the cleaned article text: the blocks of the
article body joined by a blank line ("\\n\\n"). The title and byline are not part of ``text``.
A code block keeps its own line breaks (and may hold blank lines); every other block is one line.

Every article carries the metadata a citation needs, as found in its file (front matter, HTML
meta, EPUB or PDF metadata, a plain-text byline): ``authors``, ``outlet``, ``published`` (an ISO
date, "2024", "2024-03" or "2024-03-05"), ``url``, and its ``format``. A PDF's articles also know
the page of every offset (``pages``, ``page_at``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

BLOCK_SEPARATOR = "\n\n"


def sentence_number(sentence_id: int | None) -> int | None:
    """The number a person sees and types for a sentence (§N, from 1); None for none (a title
    hit, an orphaned note). Internal ids count from 0 and never leave the program."""
    return None if sentence_id is None or sentence_id < 0 else sentence_id + 1


@dataclass(frozen=True, slots=True)
class Sentence:
    id: int  # ordinal within the article, from 0
    start: int  # offset into Article.text
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # "heading" | "paragraph" | "item" | "quote" | "code"
    start: int
    end: int
    sentences: tuple[Sentence, ...]
    marker: str = ""  # a list item's marker as written ("1.", "•"), kept in the text too


@dataclass(slots=True)
class Article:
    id: str  # the file name without its suffix
    path: str  # as found in the library folder
    title: str
    title_derived: bool  # True when the file had no title line and one was made from the text
    byline: str | None
    text: str  # the cleaned article body
    blocks: list[Block]
    removed: list[str] = field(default_factory=list)  # lines judged to be site chrome
    original: str = ""  # the file's text after decoding and repair, chrome included
    warnings: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None  # the site, publication or publisher
    published: str | None = None  # ISO 8601 date: "2024", "2024-03" or "2024-03-05"
    url: str | None = None
    format: str = "text"  # text, markdown, rst, html, epub, pdf
    # (offset into text, page number from 1) where each page starts, in order; empty when the
    # format has no pages
    pages: list[tuple[int, int]] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        """The page the character at ``offset`` is on (None for a format without pages)."""
        return page_at(self.pages, offset)

    def metadata(self) -> dict[str, Any]:
        """The citation metadata, as ``list --json`` and ``show --json`` give it."""
        return citation_metadata(self)

    @property
    def sentences(self) -> list[Sentence]:
        return [s for b in self.blocks for s in b.sentences]

    def sentence_count(self) -> int:
        return sum(len(b.sentences) for b in self.blocks)

    def header_json(self) -> dict:
        """Everything ``to_json`` holds but the paragraphs."""
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "title_derived": self.title_derived,
            "byline": self.byline,
            "authors": list(self.authors),
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
            "format": self.format,
            "pages": [list(p) for p in self.pages],
            "removed": list(self.removed),
            "warnings": list(self.warnings),
        }

    @staticmethod
    def header_fields(data: dict) -> dict[str, Any]:
        """The keyword arguments of an Article read from ``header_json``'s fields (older stored
        articles lack the metadata: defaults)."""
        return {
            "id": data["id"],
            "path": data["path"],
            "title": data["title"],
            "title_derived": data["title_derived"],
            "byline": data["byline"],
            "authors": list(data.get("authors") or []),
            "outlet": data.get("outlet"),
            "published": data.get("published"),
            "url": data.get("url"),
            "format": data.get("format") or "text",
            "pages": [(int(o), int(p)) for o, p in data.get("pages") or []],
            "removed": list(data.get("removed", [])),
            "warnings": list(data.get("warnings", [])),
        }

    def to_json(self) -> dict:
        return self.header_json() | {
            "paragraphs": [
                {
                    "kind": b.kind,
                    "marker": b.marker,
                    "start": b.start,
                    "end": b.end,
                    "sentences": [
                        {"id": s.id, "text": s.text, "start": s.start, "end": s.end}
                        for s in b.sentences
                    ],
                }
                for b in self.blocks
            ],
        }

    def to_public_json(self) -> dict:
        """``to_json`` as people read it: each sentence numbered as it is shown (``sentence``,
        §N, from 1), never by its internal id; in a PDF, each with its ``page``."""
        data = self.to_json()
        del data["pages"]
        for paragraph in data["paragraphs"]:
            sentences = []
            for s in paragraph["sentences"]:
                shown = {"sentence": s["id"] + 1, "text": s["text"], "start": s["start"]}
                shown["end"] = s["end"]
                if self.pages:
                    shown["page"] = self.page_at(s["start"])
                sentences.append(shown)
            paragraph["sentences"] = sentences
        return data

    @classmethod
    def from_json(cls, data: dict, text: str, original: str = "") -> Article:
        blocks = [
            Block(
                kind=p["kind"],
                start=p["start"],
                end=p["end"],
                marker=p.get("marker", ""),
                sentences=tuple(
                    Sentence(s["id"], s["start"], s["end"], text[s["start"] : s["end"]])
                    for s in p["sentences"]
                ),
            )
            for p in data["paragraphs"]
        ]
        return cls(**cls.header_fields(data), text=text, blocks=blocks, original=original)


@dataclass(slots=True)
class ArticleInfo:
    """What the article list needs, kept in the library's manifest so listing never opens the
    index (``Library.articles``); here, beside ``Article``, so the app can build one from its
    start-up snapshot without importing the index."""

    id: str
    path: str
    title: str
    title_derived: bool
    byline: str | None
    sentences: int
    size: int
    mtime_ns: int
    sha256: str
    warnings: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    format: str = "text"

    def metadata(self) -> dict:
        """The citation metadata, as ``list --json`` gives it."""
        return citation_metadata(self)


def page_at(pages: list[tuple[int, int]], offset: int) -> int | None:
    """The page of ``offset`` in a list of (offset, page) page starts; None without pages."""
    if not pages:
        return None
    i = bisect.bisect_right(pages, (offset, float("inf"))) - 1
    return pages[max(i, 0)][1]


@dataclass(frozen=True, slots=True)
class Hit:
    """One sentence that matches a query, with the matched words' offsets inside ``text``."""

    article_id: str
    title: str
    sentence_id: int
    text: str
    highlights: tuple[tuple[int, int], ...]
    score: float = 0.0


@dataclass(slots=True)
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # matching sentences in all articles (hits may be cut by a limit)
    articles: list[tuple[str, str, int]] = field(default_factory=list)  # (id, title, hits)
    suggestion: str | None = None
    error: str | None = None  # an unusable query: one line saying why
    complete: bool = True  # False: only the first page was looked at; total/articles are partial

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "articles": [{"id": i, "title": t, "hits": n} for i, t, n in self.articles],
            "results": [
                {
                    "article_id": h.article_id,
                    "title": h.title,
                    "sentence": sentence_number(h.sentence_id),  # §N; None in the title
                    "text": h.text,
                    "highlights": [list(x) for x in h.highlights],
                }
                for h in self.hits
            ],
            "suggestion": self.suggestion,
        }


def citation_metadata(item: Any) -> dict[str, Any]:
    """The citation metadata of an article or an article's entry, as ``list --json`` and
    ``show --json`` give it."""
    return {
        "title": item.title,
        "title_derived": item.title_derived,
        "authors": list(item.authors),
        "outlet": item.outlet,
        "published": item.published,
        "url": item.url,
        "format": item.format,
    }


T = TypeVar("T")
PerList = dict[int, tuple[list[Any], int, T]]  # by id(list): the list, its length, what was made


def per_list(cache: PerList[T], articles: list[Any], make: Callable[[], T], most: int) -> T:
    """What ``make`` works out from ``articles``, made once per list and kept in ``cache`` (at
    most ``most`` lists). Lists are replaced, never changed, when the library changes; one
    changed in place is seen by its length."""
    kept = cache.get(id(articles))
    if kept is None or kept[0] is not articles or kept[1] != len(articles):
        if len(cache) >= most:
            cache.clear()
        kept = cache[id(articles)] = (articles, len(articles), make())
    return kept[2]


_PLACES: PerList[dict[str, int]] = {}


def place_of(articles: list[ArticleInfo], article_id: str | None) -> int:
    """The index of ``article_id`` in ``articles`` (-1: not there), from a map made once per
    list (``per_list``): the app asks at every move of the reader, and a scan of 100,000
    articles is a few milliseconds. A list changed in place with its length kept is seen by
    the id found there."""
    places = per_list(_PLACES, articles, lambda: {a.id: i for i, a in enumerate(articles)}, 4)
    i = places.get(article_id, -1) if article_id is not None else -1
    if i >= 0 and articles[i].id != article_id:  # changed in place: made anew
        _PLACES.pop(id(articles), None)
        return place_of(articles, article_id)
    return i
