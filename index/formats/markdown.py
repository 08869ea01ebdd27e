"""Markdown (``.md``, ``.markdown``): markdown-it-py (CommonMark, with tables and strikethrough)
for the structure, python-frontmatter for the YAML or TOML front matter.

Headings, paragraphs, list items (bullets shown as "•", numbers kept), block quotes and code
blocks keep their structure; emphasis, links (their text stays), images and inline HTML leave no
mark in the text. The front matter is metadata (title, author, date, outlet, URL), not text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..clean import read_text
from ..metadata import normalise_date, normalise_url, split_authors
from ..model import Article
from .base import Found, Original, Piece, build_article

__all__ = ["found_in", "original", "read"]

_FRONT = re.compile(r"\A\ufeff?\s*(---|\+\+\+)[ \t]*\n.*?\n(?:\1|\.\.\.)[ \t]*(?:\n|\Z)", re.S)

_KEYS = {
    "title": ("title", "name", "headline"),
    "authors": ("authors", "author", "creator", "creators", "by", "byline"),
    "published": ("date", "published", "pubdate", "publish_date", "published_at", "created",
                  "issued"),
    "outlet": ("outlet", "publisher", "publication", "site", "site_name", "sitename", "journal",
               "website", "container", "source_name", "newspaper", "magazine"),
    "url": ("url", "link", "canonical", "canonical_url", "permalink", "source_url", "source",
            "original_url", "href"),
}  # fmt: skip


def _first(meta: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if meta.get(key) not in (None, "", []):
            return meta[key]
    return None


def found_in(meta: Any) -> Found:
    """Metadata from front matter (or a reStructuredText bibliography: the same keys)."""
    if not isinstance(meta, dict):
        return Found()
    meta = {str(k).lower().replace("-", "_"): v for k, v in meta.items()}
    title = _first(meta, _KEYS["title"])
    outlet = _first(meta, _KEYS["outlet"])
    return Found(
        title=title if isinstance(title, str) else None,
        authors=split_authors(_first(meta, _KEYS["authors"]) or []),
        outlet=outlet if isinstance(outlet, str) else None,
        published=normalise_date(_first(meta, _KEYS["published"])),
        url=next((u for k in _KEYS["url"] if (u := normalise_url(meta.get(k)))), None),
    )


def _split(text: str) -> tuple[dict[str, Any], str, list[str], int]:
    """(front matter, body, warnings, where the body starts in ``text``)."""
    match = _FRONT.match(text)
    if match is None:
        return {}, text, [], 0
    import frontmatter

    try:
        meta, _content = frontmatter.parse(text)
    except Exception as exc:  # YAML or TOML errors: the front matter is skipped, not the file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return {}, text[match.end() :], [f"front matter could not be read ({first})"], match.end()
    return dict(meta), text[match.end() :], [], match.end()


def _inline(children: list[Any] | None) -> str:
    parts: list[str] = []
    for tok in children or []:
        if tok.type in ("text", "code_inline", "text_special"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def pieces_of(body: str) -> list[Piece]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    pieces: list[Piece] = []
    lists: list[list[Any]] = []  # [ordered, next number] per open list
    items: list[str] = []  # the marker of each open list item, "" once used
    quotes = 0
    kind = "paragraph"
    row: list[str] | None = None
    for tok in md.parse(body):
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            start = tok.attrGet("start")
            lists.append([t == "ordered_list_open", int(start) if start else 1])
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            ordered, number = lists[-1] if lists else (False, 1)
            items.append(f"{number}." if ordered else "•")
            if lists:
                lists[-1][1] += 1
        elif t == "list_item_close":
            items.pop()
        elif t == "blockquote_open":
            quotes += 1
        elif t == "blockquote_close":
            quotes -= 1
        elif t == "heading_open":
            kind = "heading"
        elif t == "paragraph_open":
            kind = "item" if items else ("quote" if quotes else "paragraph")
        elif t == "tr_open":
            row = []
        elif t == "tr_close" and row is not None:
            text = " · ".join(c for c in row if c)
            pieces.append(Piece("quote" if quotes else "paragraph", text))
            row = None
        elif t == "inline":
            text = _inline(tok.children)
            if row is not None:
                row.append(" ".join(text.split()))
                continue
            marker = ""
            if kind == "item" and items and items[-1]:
                marker, items[-1] = items[-1], ""
                text = f"{marker} {text.strip()}"
            pieces.append(Piece(kind, text, marker))
        elif t in ("fence", "code_block"):
            pieces.append(Piece("code", tok.content))
    return pieces


def read(path: Path, article_id: str) -> Article:
    text, warnings = read_text(path)
    meta, body, more, _start = _split(text)
    return build_article(
        pieces_of(body),
        article_id=article_id,
        path=str(path),
        found=found_in(meta),
        fmt="markdown",
        warnings=[f"{path.name}: {w}" for w in [*warnings, *more]],
        removed=[line for line in text[:_start].splitlines() if line.strip()],
    )


def original(path: Path, article_id: str) -> Original:
    """The file's source; its front matter marked (metadata, not text)."""
    text, _warnings = read_text(path)
    lines = text.split("\n")
    match = _FRONT.match(text)
    front = text[: match.end()].count("\n") if match else 0
    return Original.from_lines(lines, set(range(front)), extracted=False)
