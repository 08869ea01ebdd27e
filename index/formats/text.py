"""Plain text (``.txt``): the scraped-article cleaning of ``clean.py``, plus the metadata its
byline and title give.

The byline gives the authors ("By Rakindu Perera") and an absolute date ("Published March 3,
2024"); relative dates and reading times are not part of it. A title ending in the site's name
("… : ICCBizNews", "… | The Outlet") that the byline names too gives the outlet, and the title
is cited without it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..clean import _BYLINE, _DATE, clean_article, load_article, read_text, source_lines
from ..metadata import normalise_date, split_authors
from ..model import Article
from .base import Original

__all__ = ["original", "read"]

_TITLE_SUFFIX = re.compile(r"^(?P<title>.{12,}?)\s+(?:[:|–—-]|::)\s+(?P<site>[^:|–—]{2,40})$")
_BYLINE_PARTS = re.compile(r"\s+[·‒–—•]\s+|\s*\|\s*")


def byline_metadata(article: Article) -> None:
    """Authors, outlet and date from a cleaned plain-text article's byline and title."""
    byline = article.byline or ""
    suffix = _TITLE_SUFFIX.match(article.title) if not article.title_derived else None
    site = suffix.group("site").strip() if suffix else None
    for part in (p.strip() for p in _BYLINE_PARTS.split(byline)):
        for match in _DATE.finditer(part):
            date = normalise_date(match.group())
            if date is not None:
                article.published = article.published or date
                part = part.replace(match.group(), " ")
        part = " ".join(part.split())
        by = _BYLINE.match(part)
        names = part[by.end() - 1 :] if by else ""
        if not by:
            tail = re.search(r"\bby\s+(\S.*)$", part)
            names = tail.group(1) if tail else ""
        names = re.sub(r"^(?:on|published|updated|posted)\b.*", "", names.strip(), flags=re.I)
        pieces = [p.strip() for p in names.split(",") if p.strip()]
        if site and (site in pieces or part == site):
            article.outlet = site
            pieces = [p for p in pieces if p != site]
        for name in split_authors(", ".join(pieces)):
            if name not in article.authors:
                article.authors.append(name)
    if article.outlet and suffix is not None:
        article.title = suffix.group("title").strip()


def read(path: Path, article_id: str) -> Article:
    article = load_article(path, article_id)
    byline_metadata(article)
    return article


def original(path: Path, article_id: str) -> Original:
    """The file's text before any repair, the lines judged site chrome marked."""
    text, _warnings = read_text(path)
    rows: list[int] = []
    clean_article(text, article_id, str(path), rows)
    return Original.from_lines(source_lines(text), set(rows), extracted=False)
