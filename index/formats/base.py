"""What every reader shares: the blocks a reader finds (``Piece``), the metadata it finds
(``Found``), the file as it was read (``Original``), and ``build_article``, which makes one
:class:`~glossator.index.model.Article` of them, the same way for every format.

Prose blocks (headings, paragraphs, list items, quotes) are one line each, whitespace collapsed,
mojibake repaired, control characters made visible; sentences are split as for plain text, with
the space two run-together sentences lost put back. A code block keeps its lines; its sentences
are its runs of non-blank lines. A heading is one sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..clean import _derive_title, repair_text
from ..metadata import clean_field
from ..model import BLOCK_SEPARATOR, Article, Block, Sentence
from ..sentences import restore_spaces
from ..textutil import neutralise

__all__ = ["Found", "Original", "Piece", "build_article", "code_text", "prose_text"]

PROSE = ("heading", "paragraph", "item", "quote")


@dataclass(slots=True)
class Piece:
    """One block as a reader found it, before offsets are given."""

    kind: str  # heading, paragraph, item, quote, code
    text: str
    marker: str = ""  # a list item's marker ("•", "3."), at the start of its text too
    pages: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page)


@dataclass(slots=True)
class Found:
    """The metadata found in a file (None or empty where it says nothing)."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    byline: str | None = None


@dataclass(slots=True)
class Original:
    """The file as it was read, for ``o`` and ``show --original``.

    ``text`` is the file's own text, decoded but not repaired, for the text formats (plain text,
    Markdown, reStructuredText); for a web page, an EPUB or a PDF (``extracted``) it is the text
    taken out of the file: every line of the page, chapter or page of the PDF. ``removed`` are the
    (start, end) offsets of the lines that are not in the article: site chrome, navigation,
    running headers and page numbers, front matter.
    """

    text: str
    removed: list[tuple[int, int]] = field(default_factory=list)
    extracted: bool = False

    @classmethod
    def from_lines(cls, lines: list[str], removed: set[int], extracted: bool) -> Original:
        """Lines (made safe to print, one character for one) and the numbers of those removed."""
        lines = [neutralise(line) for line in lines]
        spans: list[tuple[int, int]] = []
        pos = 0
        for i, line in enumerate(lines):
            if i in removed and line.strip():
                spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return cls("\n".join(lines), spans, extracted)

    def removed_lines(self) -> list[str]:
        return [self.text[a:b].strip() for a, b in self.removed]


_SPACE = re.compile(r"\s+")


def prose_text(text: str) -> str:
    """A prose block's text: repaired, one line, single spaces, safe to print."""
    text = repair_text(text) if text else text
    return neutralise(_SPACE.sub(" ", text).strip().replace("\u00ad", ""))


def code_text(text: str) -> str:
    """A code block's text: its lines, trailing spaces and blank lines at either end dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return neutralise("\n".join(lines).expandtabs(4))


def _same(a: str, b: str) -> bool:
    return _SPACE.sub(" ", a).strip().casefold() == _SPACE.sub(" ", b).strip().casefold()


def _code_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", text):
        spans.append((m.start(), m.end()))
    return spans or [(0, len(text))]


def _shift(offset: int, glued: list[int]) -> int:
    return offset + bisect.bisect_right(glued, offset) if glued else offset


def build_article(
    pieces: list[Piece],
    *,
    article_id: str,
    path: str,
    found: Found,
    fmt: str,
    warnings: list[str] | None = None,
    removed: list[str] | None = None,
    original: str = "",
) -> Article:
    """One Article from a reader's blocks and metadata.

    The title is the file's (``found.title``); else a heading that opens the text (taken out of
    the text); else one made from the first sentence, marked derived. A heading that opens the
    text and repeats the title is dropped.
    """
    kept: list[Piece] = []
    for piece in pieces:
        text = code_text(piece.text) if piece.kind == "code" else prose_text(piece.text)
        if text:
            kept.append(Piece(piece.kind, text, piece.marker, piece.pages))
    title = clean_field(found.title)
    title_derived = False
    if kept and kept[0].kind == "heading":
        if title is None:
            title = kept.pop(0).text
        elif _same(kept[0].text, title):
            kept.pop(0)
    if title is None:
        title = _derive_title(
            [(p.kind, p.text, p.marker) for p in kept if p.kind != "code"], neutralise(article_id)
        )
        title_derived = True

    blocks: list[Block] = []
    texts: list[str] = []
    pages: list[tuple[int, int]] = []
    pos = 0
    sid = 0
    for piece in kept:
        text = piece.text
        glued: list[int] = []
        if piece.kind == "heading":
            spans = [(0, len(text))]
        elif piece.kind == "code":
            spans = _code_spans(text)
        else:
            text, spans, glued = restore_spaces(text)
            spans = spans or [(0, len(text))]
        for offset, page in piece.pages:
            if not pages or pages[-1][1] != page:
                pages.append((pos + min(_shift(offset, glued), len(text)), page))
        sentences = []
        for a, b in spans:
            sentences.append(Sentence(sid, pos + a, pos + b, text[a:b]))
            sid += 1
        blocks.append(Block(piece.kind, pos, pos + len(text), tuple(sentences), piece.marker))
        texts.append(text)
        pos += len(text) + len(BLOCK_SEPARATOR)
    all_warnings = list(warnings or [])
    if not blocks:
        all_warnings.append("no article text found")
    authors = found.authors
    byline = clean_field(found.byline) or (", ".join(authors) if authors else None)
    return Article(
        id=article_id,
        path=path,
        title=title,
        title_derived=title_derived,
        byline=byline,
        text=BLOCK_SEPARATOR.join(texts),
        blocks=blocks,
        removed=list(removed or []),
        original=original,
        warnings=all_warnings,
        authors=list(authors),
        outlet=clean_field(found.outlet),
        published=found.published,
        url=found.url,
        format=fmt,
        pages=pages,
    )
