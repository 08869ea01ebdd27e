"""Blocks from an element tree: HTML and XHTML (EPUB chapters, web pages) and the XML that
trafilatura gives for a page's main text (``head``, ``p``, ``list``/``item``, ``quote``, ``code``,
``table``/``row``/``cell``).

Headings, paragraphs, list items (with their markers), block quotes, code (its lines kept) and
table rows (cells joined by " · ") become pieces; inline markup (emphasis, links, spans) leaves
only its text; scripts, styles, images, forms and navigation are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Piece

__all__ = ["pieces_of"]

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_PARAGRAPHS = {"p", "dt", "dd", "figcaption", "caption", "address", "summary", "center"}
_CONTAINERS = {
    "body", "div", "section", "article", "main", "header", "footer", "aside", "details",
    "figure", "dl", "ul", "ol", "menu", "list", "table", "thead", "tbody", "tfoot", "hgroup",
    "html", "doc", "main_content", "comments", "form", "fieldset", "blockquote", "quote", "li",
    "item", "tr", "row", "pre", "code",
}  # fmt: skip
_SKIP = {
    "script", "style", "noscript", "template", "svg", "math", "img", "graphic", "picture",
    "video", "audio", "iframe", "object", "embed", "canvas", "button", "input", "select",
    "textarea", "option", "link", "meta", "title", "map", "area", "source", "track", "nav",
    "colgroup", "col",
}  # fmt: skip
_BREAKS = {"br", "lb", "hr", "wbr"}


def _tag(el: Any) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""  # a comment or a processing instruction
    return tag.rsplit("}", 1)[-1].lower()


@dataclass(slots=True)
class _Context:
    kind: str = "paragraph"
    marker: str = ""


class _Walker:
    def __init__(self, xml: bool, navigation: bool) -> None:
        self.xml = xml  # trafilatura's XML: "head" is a heading, "code" a block
        self.skip = _SKIP - {"nav"} if navigation else _SKIP
        self.out: list[Piece] = []

    def is_block(self, tag: str, parent: str) -> bool:
        if parent in _PARAGRAPHS:
            return tag in _SKIP  # a paragraph's children are its text
        if tag == "head":
            return self.xml
        if tag == "code":  # inline in HTML; in trafilatura's XML, a block outside paragraphs
            return self.xml and parent not in ("item", "li", "cell", "head")
        return tag in _HEADINGS or tag in _PARAGRAPHS or tag in _CONTAINERS or tag in _SKIP

    def inline(self, el: Any, parts: list[str]) -> None:
        tag = _tag(el)
        if tag in _SKIP and tag != "nav":
            return
        if tag in _BREAKS:
            parts.append(" ")
            return
        if el.text:
            parts.append(el.text)
        for child in el:
            self.inline(child, parts)
            if child.tail:
                parts.append(child.tail)
        if tag in ("td", "th", "cell"):
            parts.append(" ")

    def text_of(self, el: Any) -> str:
        parts: list[str] = []
        self.inline(el, parts)
        return "".join(parts)

    def emit(self, kind: str, text: str, ctx: _Context) -> None:
        if not text.strip():
            return
        if kind == "paragraph":
            kind = ctx.kind
        marker = ""
        if kind == "item":
            marker, ctx.marker = ctx.marker, ""
            if marker:
                text = f"{marker} {text.strip()}"
        self.out.append(Piece(kind, text, marker))

    def block(self, el: Any, ctx: _Context) -> None:
        tag = _tag(el)
        if tag in self.skip or not tag:
            return
        if tag in _HEADINGS or (tag == "head" and self.xml):
            self.emit("heading", self.text_of(el), ctx)
        elif tag == "pre" or (tag == "code" and self.xml):
            self.out.append(Piece("code", "".join(el.itertext())))
        elif tag in ("tr", "row"):
            cells = [" ".join(self.text_of(c).split()) for c in el if _tag(c)]
            self.emit("paragraph", " · ".join(c for c in cells if c), ctx)
        elif tag in ("ul", "ol", "list", "menu"):
            ordered = tag == "ol" or (tag == "list" and el.get("rend") == "ol")
            try:
                number = int(el.get("start", "1"))
            except ValueError:
                number = 1
            for child in el:
                child_tag = _tag(child)
                if child_tag in ("li", "item"):
                    marker = f"{number}." if ordered else "•"
                    number += 1
                    self.container(child, _Context("item", marker))
                elif child_tag:
                    self.block(child, ctx)
        elif tag in ("blockquote", "quote"):
            self.container(el, _Context("quote"))
        elif tag in ("li", "item"):
            self.container(el, _Context("item", "•"))
        else:
            self.container(el, ctx)

    def container(self, el: Any, ctx: _Context) -> None:
        """Blocks inside ``el``; runs of inline content between them are paragraphs (or
        items, quotes: whatever ``ctx`` says)."""
        run: list[str] = [el.text or ""]
        parent = _tag(el)
        for child in el:
            tag = _tag(child)
            if tag and self.is_block(tag, parent):
                self.emit("paragraph", "".join(run), ctx)
                run = []
                self.block(child, ctx)
            elif tag:
                self.inline(child, run)
            if child.tail:
                run.append(child.tail)
        self.emit("paragraph", "".join(run), ctx)


def pieces_of(root: Any, xml: bool = False, navigation: bool = False) -> list[Piece]:
    """The blocks of an element (``<body>``, or trafilatura's XML ``<body>``/``<doc>``);
    ``navigation`` keeps the text of ``<nav>`` elements too (the page as a whole)."""
    walker = _Walker(xml, navigation)
    walker.container(root, _Context())
    return walker.out
