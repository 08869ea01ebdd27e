"""EPUB (``.epub``): ebooklib reads the package; one article per book, chapters in spine order.

Each chapter's own headings are kept; a chapter without one gets its title from the table of
contents as a heading. Metadata from the package: title, creators (authors), publisher (outlet),
date, and an identifier that is a web address. A book whose chapters are encrypted (DRM), or a
file that is not a readable EPUB, is refused with one line saying so.
"""

from __future__ import annotations

import re
import warnings as _warnings
import zipfile
from pathlib import Path
from typing import Any

from ..metadata import normalise_date, normalise_url
from ..model import Article
from .base import Found, Original, Piece, build_article, prose_text
from .markup import pieces_of

__all__ = ["original", "read"]

_CHAPTER_TYPES = ("application/xhtml+xml", "text/html", "application/xml")


def _check(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "META-INF/container.xml" not in names:
                raise ValueError(f"{path}: not an EPUB (no META-INF/container.xml)")
            if "META-INF/encryption.xml" in names:
                listing = archive.read("META-INF/encryption.xml").decode("utf-8", "replace")
                for uri in re.findall(r'URI="([^"]+)"', listing):
                    if uri.lower().endswith((".xhtml", ".html", ".htm", ".xml")):
                        raise ValueError(f"{path}: the book is encrypted (DRM); it cannot be read")
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{path}: a damaged EPUB (not a readable zip archive)") from exc


def _meta(book: Any, name: str) -> list[str]:
    return [str(v) for v, _attrs in book.get_metadata("DC", name) if v and str(v).strip()]


def _toc_titles(book: Any) -> dict[str, str]:
    titles: dict[str, str] = {}

    def visit(entries: Any) -> None:
        for entry in entries:
            if isinstance(entry, (list, tuple)):
                head, *rest = entry
                visit([head])
                visit(rest[0] if rest and isinstance(rest[0], (list, tuple)) else rest)
                continue
            href = getattr(entry, "href", None)
            title = getattr(entry, "title", None)
            if href and title:
                titles.setdefault(href.split("#", 1)[0], title)

    visit(book.toc or [])
    return titles


def _open(path: Path) -> Any:
    _check(path)
    from ebooklib import epub

    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        try:
            return epub.read_epub(str(path), {"ignore_ncx": False})
        except (KeyError, zipfile.BadZipFile, epub.EpubException) as exc:
            raise ValueError(f"{path}: a damaged EPUB ({type(exc).__name__}: {exc})") from exc


def _chapters(book: Any) -> list[tuple[str, list[Piece]]]:
    """(name, pieces) of each chapter in spine order."""
    import lxml.html
    from ebooklib import epub

    toc = _toc_titles(book)
    out = []
    for idref, linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or str(linear).lower() == "no" or isinstance(item, epub.EpubNav):
            continue
        if getattr(item, "media_type", "") not in _CHAPTER_TYPES:
            continue
        content = item.get_content()
        if not content or not content.strip():
            continue
        try:
            root = lxml.html.document_fromstring(content)
        except (ValueError, TypeError):
            continue
        body = root.find("body")
        pieces = pieces_of(body if body is not None else root)
        name = item.get_name()
        if pieces and pieces[0].kind != "heading" and toc.get(name):
            pieces.insert(0, Piece("heading", toc[name]))
        out.append((name, pieces))
    return out


def read(path: Path, article_id: str) -> Article:
    book = _open(path)
    titles = _meta(book, "title")
    identifiers = _meta(book, "identifier") + _meta(book, "source")
    found = Found(
        title=titles[0] if titles else None,
        authors=[" ".join(a.split()) for a in _meta(book, "creator")],
        outlet=next(iter(_meta(book, "publisher")), None),
        published=next((d for v in _meta(book, "date") if (d := normalise_date(v))), None),
        url=next((u for v in identifiers if (u := normalise_url(v))), None),
    )
    pieces = [p for _name, chapter in _chapters(book) for p in chapter]
    if not any(p.kind != "heading" for p in pieces):
        raise ValueError(f"{path}: the book has no text (its chapters are empty or images)")
    return build_article(pieces, article_id=article_id, path=str(path), found=found, fmt="epub")


def original(path: Path, article_id: str) -> Original:
    """The text taken out of each chapter, chapter by chapter (nothing is removed)."""
    book = _open(path)
    lines: list[str] = []
    for name, pieces in _chapters(book):
        lines.append(f"── {name} ──")
        for piece in pieces:
            lines += piece.text.splitlines() if piece.kind == "code" else [prose_text(piece.text)]
        lines.append("")
    return Original.from_lines(lines, set(), extracted=True)
