"""PDF (``.pdf``): pdfminer.six gives each line of text with its position and size; paragraphs
are rebuilt from them.

* **Running headers, footers and page numbers** are the lines at the top or bottom of a page
  that repeat (digits aside) on many pages, or that are only a page number ("12", "Page 3 of 9",
  "- iv -"); they are removed (and shown as removed by ``o``).
* **Paragraphs** are rebuilt across line and page breaks: a paragraph ends at a wider gap than the
  text's line spacing, an indented first line, a change of type size, a short line that ends a
  sentence, or a list marker; across a page break it goes on unless its last line ended a sentence
  and the next page starts with a capital. Larger type, short and unpunctuated, is a heading.
* **Hyphenated words** at a line end are joined ("ana-" + "lysts" is "analysts"), unless the
  document writes the word with its hyphen elsewhere ("well-known").
* **Pages**: every block knows the page each part of it is on, so every sentence has its page.

A PDF without a text layer (scanned), one that needs a password, or a damaged one is refused with
one line saying which.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..metadata import normalise_date, normalise_url, split_authors
from ..model import Article
from .base import Found, Original, Piece, build_article

__all__ = ["original", "read"]

_PAGE_NUMBER = re.compile(
    r"(?i)^[\s\-–—(\[]*(?:page|p\.|pg\.?)?\s*(?:\d{1,4}|[ivxlcdm]{1,7})"
    r"(?:\s*(?:of|/)\s*\d{1,4})?[\s\-–—)\]]*$"
)
_TERMINAL = re.compile(r"[.!?…:][\"'”’)\]]*$")
_MARKER = re.compile(r"^(?:[•●▪◦‣∙○■□➢➤►–-]|\d{1,3}[.)]|\(?[a-z][.)])\s+\S")
_HYPHEN_END = re.compile(r"([A-Za-z\u00c0-\u024f]{2,})[-\u00ad]$")
_WORD_START = re.compile(r"^([a-z\u00df-\u024f]+)")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class _Line:
    text: str
    page: int  # from 1
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    box: int  # the text box pdfminer grouped it in
    drop: bool = False

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 0.1)


def _open(path: Path) -> tuple[Any, Any]:
    from pdfminer.pdfdocument import (
        PDFDocument,
        PDFEncryptionError,
        PDFPasswordIncorrect,
    )
    from pdfminer.pdfparser import PDFParser

    fh = path.open("rb")
    try:
        head = fh.read(1024)
        if b"%PDF" not in head:
            raise ValueError(f"{path}: not a PDF (no %PDF header)")
        fh.seek(0)
        try:
            doc = PDFDocument(PDFParser(fh), password="")
        except PDFPasswordIncorrect as exc:
            raise ValueError(f"{path}: the PDF is encrypted (it needs a password)") from exc
        except PDFEncryptionError as exc:
            raise ValueError(f"{path}: the PDF is encrypted in a way that cannot be read") from exc
    except BaseException:
        fh.close()
        raise
    return fh, doc


def _text(value: Any) -> str | None:
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    try:
        from pdfminer.pdftypes import resolve1

        value = resolve1(value)
    except Exception:
        return None
    if isinstance(value, bytes):
        text = decode_text(value)
    elif isinstance(value, PSLiteral):
        text = str(value.name)
    elif isinstance(value, str):
        text = value
    else:
        return None
    text = " ".join(text.replace("\x00", "").split())
    return text or None


def _found(doc: Any) -> Found:
    info: dict[str, Any] = {}
    for entry in getattr(doc, "info", []) or []:
        if isinstance(entry, dict):
            info.update(entry)
    title = _text(info.get("Title"))
    if title and (
        re.fullmatch(r"(?i)untitled|document\d*|\S+\.(?:docx?|pdf|tex|odt|rtf|indd)", title)
        or title.lower().startswith("microsoft word")
    ):
        title = None  # a file name or a placeholder, not a title
    return Found(
        title=title,
        authors=split_authors(_text(info.get("Author")) or []),
        outlet=None,
        published=normalise_date(_text(info.get("CreationDate"))),
        url=normalise_url(_text(info.get("URL")) or _text(info.get("Subject"))),
    )


def _lines(doc: Any, path: Path) -> tuple[list[_Line], int]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    lines: list[_Line] = []
    box = 0
    pages = 0

    def visit(obj: Any, number: int) -> None:
        nonlocal box
        if isinstance(obj, LTTextLine):
            text = _SPACES.sub(" ", obj.get_text()).strip()
            if not text:
                return
            chars = [c for c in obj if isinstance(c, LTChar)]
            size = statistics.median(c.size for c in chars) if chars else obj.height
            bold = bool(chars) and sum("bold" in c.fontname.lower() for c in chars) > len(chars) / 2
            x0, y0, x1, y1 = obj.bbox
            lines.append(_Line(text, number, x0, y0, x1, y1, round(size, 1), bold, box))
        elif isinstance(obj, LTTextBox) or hasattr(obj, "__iter__"):
            if isinstance(obj, LTTextBox):
                box += 1
            for child in obj:
                visit(child, number)

    for number, page in enumerate(PDFPage.create_pages(doc), start=1):
        pages = number
        interpreter.process_page(page)
        visit(device.get_result(), number)
    return lines, pages


def _normal(text: str) -> str:
    return _DIGITS.sub("#", _SPACES.sub(" ", text.lower())).strip()


def _mark_furniture(lines: list[_Line], pages: int) -> None:
    """Running headers and footers, and page numbers: lines at a page's top or bottom that
    repeat on many pages (digits aside), or that are only a page number."""
    by_page: dict[int, list[_Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    edges: dict[int, list[_Line]] = {}
    for number, on_page in by_page.items():
        ordered = sorted(on_page, key=lambda ln: -ln.y1)
        edges[number] = ordered[:2] + ordered[-2:] if len(ordered) > 4 else ordered
    counts = Counter(key for page in edges.values() for key in {_normal(ln.text) for ln in page})
    seen_pages = max(len(by_page), 1)
    threshold = max(2, int(0.4 * seen_pages + 0.5))
    for number, candidates in edges.items():
        on_page = by_page[number]
        top = max(ln.y1 for ln in on_page)
        bottom = min(ln.y0 for ln in on_page)
        for ln in candidates:
            at_edge = ln.y1 >= top - 1 or ln.y0 <= bottom + 1
            if _PAGE_NUMBER.match(ln.text) and at_edge and len(ln.text) <= 20:
                ln.drop = True
            elif seen_pages >= 2 and counts[_normal(ln.text)] >= threshold and len(ln.text) < 200:
                ln.drop = True


def _hyphenated_words(lines: list[_Line]) -> set[str]:
    words: set[str] = set()
    for line in lines:
        words.update(w.lower() for w in re.findall(r"\b[A-Za-z]+-[A-Za-z]+\b", line.text))
    return words


def _pieces(lines: list[_Line]) -> list[Piece]:
    body = [ln for ln in lines if not ln.drop]
    if not body:
        return []
    sizes = Counter(ln.size for ln in body for _ in range(max(len(ln.text), 1)))
    body_size = sizes.most_common(1)[0][0]
    pitches = [
        a.y0 - b.y0
        for a, b in zip(body, body[1:], strict=False)
        if a.page == b.page and 0 < a.y0 - b.y0 < 3 * body_size and abs(a.size - b.size) < 0.5
    ]
    pitch = statistics.median(pitches) if pitches else body_size * 1.2
    left = statistics.median(ln.x0 for ln in body)
    right = max(ln.x1 for ln in body)
    hyphened = _hyphenated_words(body)

    def is_heading(ln: _Line) -> bool:
        words = len(ln.text.split())
        bigger = ln.size >= body_size * 1.15
        return (
            (bigger or (ln.bold and ln.size >= body_size))
            and words <= 20
            and not (_TERMINAL.search(ln.text) and not bigger)
        )

    def full(ln: _Line) -> bool:
        return ln.x1 >= left + 0.85 * (right - left)

    pieces: list[Piece] = []
    current: list[str] = []
    pages: list[tuple[int, int]] = []
    kind = "paragraph"
    length = 0
    prev: _Line | None = None

    def flush() -> None:
        nonlocal current, pages, length
        if current:
            text = "".join(current)
            marker = text.split(" ", 1)[0] if kind == "item" else ""
            pieces.append(Piece(kind, text, marker, pages))
        current, pages, length = [], [], 0

    for ln in body:
        heading = is_heading(ln)
        new = prev is None
        if prev is not None:
            prev_heading = kind == "heading"
            if heading != prev_heading or (heading and abs(ln.size - prev.size) > 0.5):
                new = True
            elif heading:
                new = prev.page != ln.page or (prev.y0 - ln.y0) > 2 * pitch
            elif _MARKER.match(ln.text):
                new = True
            elif ln.page != prev.page or ln.y1 > prev.y1 + pitch:  # a new page or column
                new = bool(_TERMINAL.search(prev.text)) and not ln.text[:1].islower()
            else:
                gap = prev.y0 - ln.y0
                new = (
                    gap > 1.4 * pitch
                    or abs(ln.size - prev.size) > 0.5
                    or (ln.x0 > left + 1.5 * body_size and ln.x0 > prev.x0 + body_size)
                    or (not full(prev) and bool(_TERMINAL.search(prev.text)))
                )
        if new:
            flush()
            kind = "heading" if heading else ("item" if _MARKER.match(ln.text) else "paragraph")
        text = ln.text
        if current:
            tail = current[-1]
            hyphen = _HYPHEN_END.search(tail)
            start = _WORD_START.match(text)
            if hyphen and start:
                word = f"{hyphen.group(1)}-{start.group(1)}".lower()
                if word not in hyphened:  # "ana-" + "lysts": one word
                    current[-1] = tail[:-1]
                    length -= 1
                else:
                    pass  # "well-" + "known": the hyphen stays, no space
            else:
                current.append(" ")
                length += 1
        if not pages or pages[-1][1] != ln.page:
            pages.append((length, ln.page))
        current.append(text)
        length += len(text)
        prev = ln
    flush()
    return pieces


def _read(path: Path) -> tuple[list[_Line], int, Found]:
    try:
        fh, doc = _open(path)
    except (ValueError, OSError):
        raise
    except Exception as exc:  # pdfminer's errors on a damaged file
        raise ValueError(f"{path}: a damaged PDF ({type(exc).__name__}: {exc})") from exc
    try:
        found = _found(doc)
        lines, pages = _lines(doc, path)
    except ValueError:
        raise
    except Exception as exc:  # pdfminer's errors on a damaged file
        raise ValueError(f"{path}: a damaged PDF ({type(exc).__name__}: {exc})") from exc
    finally:
        fh.close()
    if pages == 0:
        raise ValueError(f"{path}: a damaged PDF (no pages could be read)")
    if sum(len(ln.text) for ln in lines) < 20:
        raise ValueError(f"{path}: the PDF has no text layer (scanned?); it cannot be searched")
    _mark_furniture(lines, pages)
    return lines, pages, found


def read(path: Path, article_id: str) -> Article:
    lines, _pages, found = _read(path)
    pieces = _pieces(lines)
    return build_article(
        pieces,
        article_id=article_id,
        path=str(path),
        found=found,
        fmt="pdf",
        removed=[ln.text for ln in lines if ln.drop],
    )


def original(path: Path, article_id: str) -> Original:
    """The text taken out of each page, line by line; running headers, footers and page
    numbers marked as removed."""
    lines, _pages, _found = _read(path)
    out: list[str] = []
    gone: set[int] = set()
    page = 0
    for ln in lines:
        if ln.page != page:
            if page:
                out.append("")
            out.append(f"── page {ln.page} ──")
            page = ln.page
        if ln.drop:
            gone.add(len(out))
        out.append(ln.text)
    return Original.from_lines(out, gone, extracted=True)
