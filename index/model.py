"""The shapes every part of Glossator shares: articles, their blocks and sentences, search hits.

Offsets are character offsets into ``Article.text``, the cleaned article text: the blocks of the
article body joined by a blank line ("\\n\\n"). The title and byline are not part of ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    kind: str  # "heading" | "paragraph" | "item"
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

    @property
    def sentences(self) -> list[Sentence]:
        return [s for b in self.blocks for s in b.sentences]

    def sentence_count(self) -> int:
        return sum(len(b.sentences) for b in self.blocks)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "title_derived": self.title_derived,
            "byline": self.byline,
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
            "removed": list(self.removed),
            "warnings": list(self.warnings),
        }

    def to_public_json(self) -> dict:
        """``to_json`` as people read it: each sentence numbered as it is shown (``sentence``,
        §N, from 1), never by its internal id."""
        data = self.to_json()
        for paragraph in data["paragraphs"]:
            paragraph["sentences"] = [
                {"sentence": s["id"] + 1, "text": s["text"], "start": s["start"], "end": s["end"]}
                for s in paragraph["sentences"]
            ]
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
        return cls(
            id=data["id"],
            path=data["path"],
            title=data["title"],
            title_derived=data["title_derived"],
            byline=data["byline"],
            text=text,
            blocks=blocks,
            removed=list(data.get("removed", [])),
            original=original,
            warnings=list(data.get("warnings", [])),
        )


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
