"""Saved web pages (``.html``, ``.htm``): trafilatura finds the article and its metadata.

trafilatura separates the main text from the page around it (navigation, sidebars, "Previous
topic", footers, cookie and share lines) and reads the title, author, date, site name and URL
from the page's meta tags, JSON-LD and text. Its XML output keeps the structure: headings,
paragraphs, lists, quotes, code and tables. Nothing is fetched: links and images are not followed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..metadata import normalise_date, normalise_url, split_authors
from ..model import Article
from .base import Found, Original, build_article, prose_text
from .markup import pieces_of

__all__ = ["original", "read"]

MAX_BYTES = 64 * 1024 * 1024


def _bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if not data.strip():
        raise ValueError(f"{path}: the file is empty")
    if len(data) > MAX_BYTES:
        raise ValueError(f"{path}: too large for a web page ({len(data) // 2**20} MB)")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(f"{path}: not a web page (it contains NUL bytes)")
    return data


# Never the article, whatever trafilatura's fallbacks make of a thin page.
_FURNITURE = (
    "//nav | //aside | //*[@role='navigation' or @role='contentinfo' or @role='banner'"
    " or @role='complementary' or @role='search'] | //footer[not(ancestor::article)]"
    " | //header[not(ancestor::article) and not(.//h1)]"
)


def _extract(data: bytes, recall: bool = False) -> Any:
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is None:
        return None
    for element in tree.xpath(_FURNITURE):
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()
    return trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        favor_recall=recall,
        deduplicate=False,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )


def read(path: Path, article_id: str) -> Article:
    data = _bytes(path)
    doc = _extract(data)
    body = getattr(doc, "body", None)
    if body is None or not "".join(body.itertext()).strip():
        doc = _extract(data, recall=True) or doc  # a short page: look harder
        body = getattr(doc, "body", None)
    if doc is None or body is None:
        raise ValueError(f"{path}: no article text found in the page")
    pieces = pieces_of(body, xml=True)
    if not pieces:
        raise ValueError(f"{path}: no article text found in the page")
    found = Found(
        title=getattr(doc, "title", None),
        authors=split_authors(getattr(doc, "author", None) or []),
        outlet=getattr(doc, "sitename", None) or None,
        published=normalise_date(getattr(doc, "date", None)),
        url=normalise_url(getattr(doc, "url", None)),
    )
    article = build_article(pieces, article_id=article_id, path=str(path), found=found, fmt="html")
    article.removed = _removed(data, article)
    return article


def _page_lines(data: bytes) -> list[str]:
    """Every text line of the page as a browser would show it, scripts and styles left out."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(data)
    except (ValueError, TypeError) as exc:  # lxml's own error on markup it cannot parse
        raise ValueError(f"the page cannot be parsed ({exc})") from exc
    body = root.find("body")
    pieces = pieces_of(body if body is not None else root, navigation=True)
    lines = []
    for piece in pieces:
        if piece.kind == "code":
            lines += [line for line in piece.text.splitlines() if line.strip()]
        else:
            lines.append(prose_text(piece.text))
    return [line for line in lines if line]


def _outside(lines: list[str], article: Article) -> set[int]:
    """The numbers of the page's lines that are not in the article: a line that is a whole
    block of the article is found by lookup, any other is looked for in the article's text."""
    kept = " ".join(f"{article.title}\n{article.text}".split())
    blocks = {" ".join(article.text[b.start : b.end].split()) for b in article.blocks}
    blocks.add(" ".join(article.title.split()))
    gone = set()
    for i, line in enumerate(lines):
        shown = " ".join(line.split())
        if shown not in blocks and shown not in kept:
            gone.add(i)
    return gone


def _removed(data: bytes, article: Article) -> list[str]:
    try:
        lines = _page_lines(data)
    except ValueError:
        return []
    gone = _outside(lines, article)
    return [line for i, line in enumerate(lines) if i in gone]


def original(path: Path, article_id: str) -> Original:
    """The page's text, line by line; the lines that are not in the article marked."""
    data = _bytes(path)
    article = read(path, article_id)
    lines = _page_lines(data)
    return Original.from_lines(lines, _outside(lines, article), extracted=True)
