"""reStructuredText (``.rst``): docutils parses the document; its tree gives the blocks.

Safe settings: no file inclusion, no raw passthrough, no configuration files read, no messages
printed. The document title and the bibliographic fields (``:Author:``, ``:Date:``,
``:Organization:``, a ``:URL:`` field) are metadata. Sphinx's roles (``:mod:`functools```) leave
their text; its common directives keep their text (``.. function:: partial(func)`` and its
description, ``.. code-block::`` as code); its directives that only point elsewhere (toctree,
index, literalinclude, autodoc) are left out.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ..clean import read_text
from ..model import Article
from .base import Original, Piece, build_article
from .markdown import found_in

__all__ = ["original", "read"]

_ROLE = re.compile(r":(?:[\w.+-]+:)+`([^`]*)`|`([^`]*)`_{0,2}")
_SETTINGS = {
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "_disable_config": True,
    "report_level": 5,
    "halt_level": 5,
    "syntax_highlight": "none",
    "input_encoding": "unicode",
    "doctitle_xform": True,
    "docinfo_xform": True,
    "sectsubtitle_xform": False,
    "embed_stylesheet": False,
    "smart_quotes": False,
    "character_level_inline_markup": False,
}

_SKIP_DIRECTIVES = (
    "toctree", "index", "literalinclude", "highlight", "tabularcolumns", "automodule",
    "autoclass", "autofunction", "automethod", "autoattribute", "autodata", "autoexception",
    "autosummary", "currentmodule", "moduleauthor", "sectionauthor", "codeauthor", "testsetup",
    "testcleanup", "only", "ifconfig", "graphviz", "plot", "jinja", "spelling",
)  # fmt: skip
_TEXT_DIRECTIVES = (
    "function", "method", "class", "attribute", "data", "exception", "decorator",
    "decoratormethod", "staticmethod", "classmethod", "module", "property", "describe",
    "object", "envvar", "option", "program", "cmdoption", "versionadded", "versionchanged",
    "deprecated", "versionremoved", "seealso", "glossary", "hlist", "centered", "productionlist",
    "py:function", "py:method", "py:class", "py:attribute", "py:data", "py:exception",
    "py:decorator", "py:module", "py:property", "c:function", "c:type", "c:macro", "c:member",
    "c:var", "cpp:function", "cpp:class", "js:function", "confval", "doctest", "testcode",
    "testoutput", "tab", "tabs", "card", "grid", "grid-item-card", "dropdown", "versionremoved",
)  # fmt: skip
_CODE_DIRECTIVES = ("code-block", "sourcecode", "doctest", "testcode", "testoutput")
_registered = False


class _AnyOption(dict[str, Any]):
    """An option spec that takes every option (Sphinx's directives have many)."""

    def __missing__(self, key: str) -> Any:
        from docutils.parsers.rst import directives

        return directives.unchanged


def _register() -> None:
    """Teach docutils the Sphinx directives found in documentation sources (once, for this
    process): those that point elsewhere give nothing, the others their text."""
    global _registered
    if _registered:
        return
    from docutils import nodes
    from docutils.parsers.rst import Directive, directives

    options = _AnyOption(_=directives.unchanged)

    class Skip(Directive):
        has_content = True
        optional_arguments = 99
        final_argument_whitespace = True
        option_spec = options

        def run(self) -> list[Any]:
            return []

    class Text(Directive):
        has_content = True
        optional_arguments = 99
        final_argument_whitespace = True
        option_spec = options

        def run(self) -> list[Any]:
            found: list[Any] = []
            if self.arguments:
                signature = " ".join(" ".join(self.arguments).split())
                found.append(nodes.literal_block(signature, signature))
            if self.content:
                box = nodes.container()
                self.state.nested_parse(self.content, self.content_offset, box)
                found += box.children
            return found

    class Code(Directive):
        has_content = True
        optional_arguments = 99
        final_argument_whitespace = True
        option_spec = options

        def run(self) -> list[Any]:
            code = "\n".join(self.content)
            return [nodes.literal_block(code, code)] if code.strip() else []

    for name in _SKIP_DIRECTIVES:
        directives.register_directive(name, Skip)
    for name in _TEXT_DIRECTIVES:
        directives.register_directive(name, Text)
    for name in _CODE_DIRECTIVES:
        directives.register_directive(name, Code)
    _registered = True


def _role_text(match: re.Match[str]) -> str:
    text = match.group(1) if match.group(1) is not None else match.group(2) or ""
    target = re.fullmatch(r"(.*?)\s*<[^<>]*>", text, re.S)
    if target and target.group(1):
        text = target.group(1)  # `text <target>`: the text
    if text.startswith("~"):
        text = text[1:].rsplit(".", 1)[-1]  # Sphinx's ~a.b.c shows c
    return text.lstrip("!")


class _Walker:
    def __init__(self) -> None:
        self.out: list[Piece] = []

    def inline(self, node: Any) -> str:
        from docutils import nodes

        parts: list[str] = []
        for child in node.children:
            if isinstance(child, nodes.Text):
                parts.append(str(child))
            elif isinstance(child, nodes.problematic):
                parts.append(_ROLE.sub(_role_text, child.astext()))
            elif isinstance(
                child, (nodes.footnote_reference, nodes.citation_reference, nodes.image,
                        nodes.system_message, nodes.target, nodes.substitution_definition,
                        nodes.comment, nodes.raw)
            ):  # fmt: skip
                continue
            else:
                parts.append(self.inline(child))
        return "".join(parts)

    def walk(self, node: Any, kind: str = "paragraph", marker: str = "") -> str:
        """The blocks under ``node``; returns the marker still to be given (for list items)."""
        from docutils import nodes

        for child in node.children:
            if isinstance(
                child, (nodes.system_message, nodes.comment, nodes.substitution_definition,
                        nodes.target, nodes.raw, nodes.docinfo, nodes.pending, nodes.image,
                        nodes.meta if hasattr(nodes, "meta") else nodes.pending)
            ):  # fmt: skip
                continue
            if isinstance(child, nodes.title):
                self.out.append(Piece("heading", self.inline(child)))
            elif isinstance(child, nodes.subtitle):
                self.out.append(Piece("heading", self.inline(child)))
            elif isinstance(child, (nodes.paragraph, nodes.line, nodes.term, nodes.caption,
                                    nodes.rubric, nodes.attribution)):  # fmt: skip
                text = self.inline(child)
                if kind == "item" and marker:
                    text, marker = f"{marker} {text.strip()}", ""
                    self.out.append(Piece("item", text, text.split(" ", 1)[0]))
                else:
                    self.out.append(Piece(kind, text))
            elif isinstance(child, (nodes.literal_block, nodes.doctest_block)):
                self.out.append(Piece("code", child.astext()))
            elif isinstance(child, (nodes.bullet_list, nodes.enumerated_list)):
                number = int(child.get("start", 1))
                enumerated = isinstance(child, nodes.enumerated_list)
                for item in child.children:
                    item_marker = f"{number}." if enumerated else "•"
                    number += 1
                    self.walk(item, "item", item_marker)
            elif isinstance(child, nodes.block_quote):
                self.walk(child, "quote")
            elif isinstance(child, nodes.row):
                cells = [" ".join(self.inline_all(c).split()) for c in child.children]
                self.out.append(Piece(kind, " · ".join(c for c in cells if c)))
            elif isinstance(child, nodes.field):
                name = self.inline(child.children[0]) if child.children else ""
                body = " ".join(self.inline_all(c) for c in child.children[1:])
                self.out.append(Piece(kind, f"{name}: {body}" if name else body))
            elif isinstance(child, nodes.Text):
                continue
            else:
                marker = self.walk(child, kind, marker)
        return marker

    def inline_all(self, node: Any) -> str:
        from docutils import nodes

        if isinstance(node, nodes.TextElement):
            return self.inline(node)
        return " ".join(self.inline_all(c) for c in node.children if not isinstance(c, nodes.Text))


def _docinfo(doctree: Any) -> dict[str, Any]:
    from docutils import nodes

    meta: dict[str, Any] = {}
    for info in doctree.findall(nodes.docinfo):
        for child in info.children:
            if isinstance(child, nodes.authors):
                meta["authors"] = [a.astext() for a in child.children]
            elif isinstance(child, nodes.field):
                name = child.children[0].astext().lower() if child.children else ""
                meta[name] = child.children[1].astext() if len(child.children) > 1 else ""
            else:
                meta[child.tagname] = child.astext()
    if "organization" in meta and "outlet" not in meta:
        meta["outlet"] = meta["organization"]
    return meta


def read(path: Path, article_id: str) -> Article:
    from docutils.core import publish_doctree

    text, warnings = read_text(path)
    _register()
    settings = dict(_SETTINGS, warning_stream=io.StringIO())
    doctree = publish_doctree(text, source_path=str(path), settings_overrides=settings)
    meta = _docinfo(doctree)
    title = doctree.get("title") or None
    from docutils import nodes

    first_title = next(iter(doctree.children), None)
    walker = _Walker()
    walker.walk(doctree)
    pieces = walker.out
    if title and isinstance(first_title, nodes.title) and pieces and pieces[0].kind == "heading":
        meta["title"] = pieces.pop(0).text
    return build_article(
        pieces,
        article_id=article_id,
        path=str(path),
        found=found_in(meta),
        fmt="rst",
        warnings=[f"{path.name}: {w}" for w in warnings],
    )


def original(path: Path, article_id: str) -> Original:
    """The file's source as it is (nothing of it is removed, only its markup)."""
    text, _warnings = read_text(path)
    return Original.from_lines(text.split("\n"), set(), extracted=False)
