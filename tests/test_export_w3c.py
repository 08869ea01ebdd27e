"""Issue 12: ``notes export --format json`` conforms to the W3C Web Annotation Data Model
(https://www.w3.org/TR/annotation-model/), every MUST of it, for each annotation and for the
collection; ``notes import`` reads such files back, and other tools' annotation lists, matching
articles by URL or file name, and never imports a note twice.

``violations`` is a conformance check written from the model's MUST sentences: each check below
names the section and the requirement it tests. It looks at every node of the document (the
collection, its pages, each annotation, its bodies and targets, their selectors and states), so
what Glossator does not write today (SVG or CSS selectors, states, stylesheets, agents) is
checked the day it does. The negative tests feed it documents that break one MUST each, so a
check that could not fail would be seen. The few MUSTs that bind a consuming application and
not a document are listed in ``NOT_ABOUT_DOCUMENTS`` with what Glossator does about them.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from documents import pdf, write
from rfc3987_syntax import is_valid_syntax_iri

from glossator.index.library import Library
from glossator.index.notes import NoteStore
from glossator.tui.cli import main

ANNO = "http://www.w3.org/ns/anno.jsonld"
XSD_UTC = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z")
DIRECTIONS = {"ltr", "rtl", "auto"}
SELECTORS = {
    "FragmentSelector", "CssSelector", "XPathSelector", "TextQuoteSelector",
    "TextPositionSelector", "DataPositionSelector", "SvgSelector", "RangeSelector",
}  # fmt: skip
STATES = {"TimeState", "HttpRequestState"}
SETS = {"List", "Composite", "Independents"}
# a resource of these types is not an External Web Resource (it needs no id of its own)
NOT_EXTERNAL = {"TextualBody", "Choice", "SpecificResource", "List", "Composite", "Independents"}
NOT_ABOUT_DOCUMENTS = {
    # §4.2 selector: "Consuming user agents MUST pick one of the described segments" — import
    # uses the TextQuoteSelector (the TextPositionSelector only as a hint where to look).
    "selector: consumers pick one",
    # §4.3 state: "Consuming user agents MUST pick one of the described representations" and
    # "States MUST be processed before processing Selector or Style information" — Glossator
    # writes no states and, reading, uses none (it has the article's text, not a web copy).
    "state: consumers pick one, states first",
    # §4.4 styles: "Publishing systems MUST NOT assume that they will be processed" and "the
    # styleClass MUST be ignored" when no stylesheet describes it — none is written or read.
    "style: hints only",
    # §3.3.7 canonical: "systems MUST NOT change or delete it" — no exported annotation has one.
    "canonical: never changed",
    # §4.2.7 SVG: "The dimensions ... MUST be relative to the dimensions of the Source" — no
    # SVG selector is written (text only).
    "svg: relative dimensions",
    # §1.3.1: "A conforming implementation MUST implement that particular combination [of
    # selector and media type] if it handles the corresponding media type" — the export writes
    # the TextQuoteSelector and TextPositionSelector of text; the import reads those two (an
    # annotation of text with only a FragmentSelector, RangeSelector or DataPositionSelector
    # is named and not imported).
    "selectors for text: quote and position",
}


@functools.lru_cache(maxsize=4096)
def _iri_syntax(value: str) -> bool:
    return bool(is_valid_syntax_iri(value))


def is_iri(value: Any) -> bool:
    """An IRI (RFC 3987 syntax, as rfc3987-syntax parses it)."""
    return isinstance(value, str) and _iri_syntax(value)


def values(node: dict, key: str) -> list:
    """The values of a property: JSON-LD writes one value bare and several as an array."""
    if key not in node:
        return []
    value = node[key]
    return value if isinstance(value, list) else [value]


def types(node: Any) -> list:
    return values(node, "type") if isinstance(node, dict) else []


class Check:
    def __init__(self) -> None:
        self.found: list[str] = []

    def must(self, ok: bool, where: str, rule: str) -> None:
        if not ok:
            self.found.append(f"{where}: {rule}")

    def exactly_one(self, node: dict, key: str, where: str, rule: str) -> None:
        self.must(len(values(node, key)) == 1, where, rule)

    def at_most_one(self, node: dict, key: str, where: str, rule: str) -> None:
        self.must(len(values(node, key)) <= 1, where, rule)

    def one_type(self, node: dict, name: str, where: str) -> None:
        self.must(types(node) == [name], where, f"a {name} MUST have exactly 1 type, {name}")

    # -- §3.1 the annotation ---------------------------------------------------------------

    def annotation(self, a: Any, where: str) -> None:
        if not isinstance(a, dict):
            self.must(False, where, "an annotation is a JSON object")
            return
        context = values(a, "@context")
        self.must(bool(context) and ANNO in context, where,
                  f"§3.1 @context: 1 or more values and {ANNO} MUST be one of them")  # fmt: skip
        self.must(len(context) != 1 or isinstance(a["@context"], str), where,
                  "§3.1 @context: a single value MUST be provided as a string")  # fmt: skip
        self.must(len(values(a, "id")) == 1 and is_iri(a.get("id")), where,
                  "§3.1 id: an Annotation MUST have exactly 1 IRI that identifies it")  # fmt: skip
        self.must("Annotation" in types(a), where,
                  "§3.1 type: 1 or more types, and the Annotation class MUST be one of them")  # fmt: skip
        self.must(len(values(a, "target")) >= 1, where,
                  "§3.1 target: there MUST be 1 or more target relationships")  # fmt: skip
        if "bodyValue" in a:  # §3.2.5
            self.must(isinstance(a["bodyValue"], str), where,
                      "§3.2.5 bodyValue MUST be a single xsd:string, its type not expressed")  # fmt: skip
            self.must("body" not in a, where,
                      "§3.2.5 if bodyValue is present, body MUST NOT also be present")  # fmt: skip
            self.must("language" not in a, where,
                      "§3.2.5 bodyValue MUST NOT have a language associated with it")  # fmt: skip
        self.lifecycle(a, where, generated=True)
        self.common(a, where)
        for i, body in enumerate(values(a, "body")):
            self.resource(body, f"{where} body {i + 1}")
        for i, target in enumerate(values(a, "target")):
            self.resource(target, f"{where} target {i + 1}")

    def lifecycle(self, node: dict, where: str, generated: bool = False) -> None:
        """§3.3.1 created, generated, modified: at most 1 each, xsd:dateTime in UTC with Z."""
        for key in ("created", "modified", *(("generated",) if generated else ())):
            self.at_most_one(node, key, where, f"§3.3.1 {key}: MUST NOT be more than 1")
            for value in values(node, key):
                self.must(isinstance(value, str) and bool(XSD_UTC.fullmatch(value)), where,
                          f"§3.3.1 {key} MUST be a xsd:dateTime with the UTC timezone as Z")  # fmt: skip

    def common(self, node: dict, where: str) -> None:
        """What any annotation, body or target may carry: agents, audience, rights, canonical."""
        for key in ("creator", "generator"):
            for agent in values(node, key):
                if isinstance(agent, dict):
                    self.at_most_one(agent, "id", f"{where} {key}",
                                     "§3.3.2 an Agent MUST NOT have more than 1 IRI")  # fmt: skip
                    self.must(all(is_iri(i) for i in values(agent, "id")), f"{where} {key}",
                              "§3.3.2 an Agent's id is an IRI")  # fmt: skip
                else:
                    self.must(is_iri(agent), f"{where} {key}", "§3.3.2 an Agent given by IRI")
        for audience in values(node, "audience"):
            if isinstance(audience, dict):
                self.must(all(k in ("id", "type") or k.startswith("schema:") for k in audience)
                          and all(str(t).startswith("schema:") for t in types(audience)),
                          f"{where} audience",
                          "§3.3.3 audience properties and classes MUST be prefixed schema:")  # fmt: skip
        self.must(all(is_iri(r) for r in values(node, "rights")), where,
                  "§3.3.7 rights: the value MUST be an IRI")  # fmt: skip
        self.at_most_one(node, "canonical", where, "§3.3.7 canonical: at most 1")
        self.must(all(is_iri(c) for c in values(node, "canonical")), where,
                  "§3.3.7 canonical is an IRI")  # fmt: skip

    # -- §3.2 bodies and targets, §4 specific resources -------------------------------------

    def resource(self, r: Any, where: str) -> None:
        if isinstance(r, str):  # an External Web Resource given by its IRI alone
            self.must(is_iri(r), where, "§3.2.1 a resource given by reference is an IRI")
            return
        if not isinstance(r, dict):
            self.must(False, where, "a body or target is an IRI or a JSON object")
            return
        kinds = set(types(r))
        if "TextualBody" in kinds:
            self.exactly_one(r, "value", where,
                             "§3.2.4 there MUST be exactly 1 value property on a TextualBody")  # fmt: skip
        elif "Choice" in kinds or "type" in r and r.get("type") == "Choice":
            self.one_type(r, "Choice", where)
            for i, item in enumerate(values(r, "items")):
                self.resource(item, f"{where} choice {i + 1}")
        elif kinds & SETS:  # the proposed model's List, Composite and Independents
            self.must(len(types(r)) == 1, where,
                      "§3.2.7 (proposed) a set MUST have exactly 1 type class")  # fmt: skip
            for i, item in enumerate(values(r, "items")):
                self.resource(item, f"{where} item {i + 1}")
        elif "source" in r or "SpecificResource" in kinds:
            self.specific(r, where)
        elif not kinds & NOT_EXTERNAL:
            self.must(len(values(r, "id")) == 1 and is_iri(r.get("id")), where,
                      "§3.2.1 an External Web Resource MUST have exactly 1 id, its IRI")  # fmt: skip
        for value in values(r, "textDirection"):
            self.must(value in DIRECTIONS, where,
                      "§3.2.2 textDirection MUST be one of ltr, rtl, auto")  # fmt: skip
        self.at_most_one(r, "textDirection", where, "§3.2.2 textDirection: exactly 1 at most")
        self.lifecycle(r, where)
        self.common(r, where)

    def specific(self, r: dict, where: str) -> None:
        sources = values(r, "source")
        self.must(len(sources) == 1, where,
                  "§4 source: there MUST be exactly 1 source of a Specific Resource")  # fmt: skip
        for source in sources:
            if isinstance(source, dict):
                self.resource(source, f"{where} source")
            else:
                self.must(is_iri(source), where, "§4 source: the resource's IRI")
        for i, selector in enumerate(values(r, "selector")):
            self.selector(selector, f"{where} selector {i + 1}")
        for i, state in enumerate(values(r, "state")):
            self.state(state, f"{where} state {i + 1}")
        for sheet in values(r, "stylesheet"):
            if isinstance(sheet, dict) and "type" in sheet:
                self.must(types(sheet) == ["CssStylesheet"], where,
                          "§4.4 a stylesheet's type, if included, MUST be CssStylesheet")  # fmt: skip

    def selector(self, s: Any, where: str) -> None:
        if isinstance(s, str):
            self.must(is_iri(s), where, "a selector given by reference is an IRI")
            return
        if not isinstance(s, dict):
            self.must(False, where, "a selector is a JSON object")
            return
        kinds = [t for t in types(s) if t in SELECTORS]
        kind = kinds[0] if kinds else None
        if kind == "SvgSelector":
            self.must(len(types(s)) == 1, where, "§4.2.7 SVG Selectors MUST have exactly 1 type")
            for value in values(s, "value"):
                try:
                    ET.fromstring(value)
                    ok = True
                except (ET.ParseError, TypeError):
                    ok = False
                self.must(ok, where, "§4.2.7 the value MUST be well-formed SVG XML")
            self.at_most_one(s, "value", where, "§4.2.7 at most 1 value")
        elif kind is not None:
            self.one_type(s, kind, where)
        if kind == "FragmentSelector":
            self.exactly_one(s, "value", where, "§4.2.1 a FragmentSelector MUST have exactly 1 value")
            self.at_most_one(s, "conformsTo", where, "§4.2.1 conformsTo: MUST NOT be more than 1")
        elif kind in ("CssSelector", "XPathSelector"):
            self.exactly_one(s, "value", where, f"§4.2.2/3 a {kind} MUST have exactly 1 value")
        elif kind == "TextQuoteSelector":
            self.must(len(values(s, "exact")) == 1 and isinstance(s.get("exact"), str), where,
                      "§4.2.4 each TextQuoteSelector MUST have exactly 1 exact property")  # fmt: skip
            for key in ("prefix", "suffix"):
                self.at_most_one(s, key, where, f"§4.2.4 {key}: MUST NOT have more than 1")
        elif kind in ("TextPositionSelector", "DataPositionSelector"):
            for key in ("start", "end"):
                self.exactly_one(s, key, where, f"§4.2.5/6 each {kind} MUST have exactly 1 {key}")
                if kind == "TextPositionSelector":
                    value = s.get(key)
                    self.must(isinstance(value, int) and not isinstance(value, bool)
                              and value >= 0, where,
                              f"§4.2.5 {key} MUST be a non-negative integer")  # fmt: skip
        elif kind == "RangeSelector":
            for key in ("startSelector", "endSelector"):
                self.exactly_one(s, key, where, f"§4.2.9 there MUST be exactly 1 {key}")
                for inner in values(s, key):
                    self.selector(inner, f"{where} {key}")
        for inner in values(s, "refinedBy"):
            self.selector(inner, f"{where} refinedBy")

    def state(self, s: Any, where: str) -> None:
        if not isinstance(s, dict):
            self.must(is_iri(s), where, "a state given by reference is an IRI")
            return
        if "TimeState" in types(s):
            self.one_type(s, "TimeState", where)
            for key in ("sourceDate", "sourceDateStart", "sourceDateEnd"):
                for value in values(s, key):
                    self.must(isinstance(value, str) and bool(XSD_UTC.fullmatch(value)), where,
                              f"§4.3.1 {key} MUST be xsd:dateTime in UTC with Z")  # fmt: skip
            if "sourceDate" in s:
                self.must("sourceDateStart" not in s and "sourceDateEnd" not in s, where,
                          "§4.3.1 with sourceDate, no sourceDateStart or sourceDateEnd")  # fmt: skip
            self.must(("sourceDateStart" in s) == ("sourceDateEnd" in s), where,
                      "§4.3.1 sourceDateStart and sourceDateEnd MUST come together")  # fmt: skip
        elif "HttpRequestState" in types(s):
            self.one_type(s, "HttpRequestState", where)
            self.exactly_one(s, "value", where, "§4.3.2 an HttpRequestState MUST have 1 value")

    # -- §5 collections and pages ----------------------------------------------------------

    def collection(self, c: dict) -> None:
        where = "collection"
        context = values(c, "@context")
        self.must(bool(context) and ANNO in context, where,
                  f"§5.1 @context: 1 or more values and {ANNO} MUST be one of them")  # fmt: skip
        self.must(len(values(c, "id")) == 1 and is_iri(c.get("id")), where,
                  "§5.1 id: the Collection MUST have exactly 1 IRI that identifies it")  # fmt: skip
        self.must("AnnotationCollection" in types(c), where,
                  "§5.1 type: the AnnotationCollection class MUST be one of them")  # fmt: skip
        self.must(all(isinstance(v, str) for v in values(c, "label")), where,
                  "§5.1 label: the value MUST be a string")  # fmt: skip
        total = c.get("total")
        if "total" in c:
            self.must(isinstance(total, int) and not isinstance(total, bool) and total >= 0,
                      where, "§5.1 total MUST be an xsd:nonNegativeInteger")  # fmt: skip
        if isinstance(total, int) and total > 0:
            self.exactly_one(c, "first", where,
                             "§5.1 first: a Collection with annotations MUST have 1 first page")  # fmt: skip
        self.lifecycle(c, where)
        self.common(c, where)
        page, index, seen = c.get("first"), 0, 0
        while isinstance(page, dict):
            seen += 1
            self.page(page, f"page {seen}", embedded=True, total=total, index=index)
            index += len(values(page, "items"))
            page = page.get("next")
        if isinstance(total, int) and isinstance(c.get("first"), dict):
            self.must(index == total, where, "total is the number of annotations in the pages")

    def page(self, p: dict, where: str, embedded: bool, total: Any, index: int) -> None:
        if not embedded:
            context = values(p, "@context")
            self.must(bool(context) and ANNO in context, where,
                      "§5.2 a Page not embedded MUST have the anno.jsonld @context")  # fmt: skip
        self.must(len(values(p, "id")) == 1 and is_iri(p.get("id")), where,
                  "§5.2 id: the Page MUST have exactly 1 IRI that provides its identity")  # fmt: skip
        self.must("AnnotationPage" in types(p), where,
                  "§5.2 type: the AnnotationPage class MUST be one of them")  # fmt: skip
        items = p.get("items")
        self.must(isinstance(items, list) and len(items) >= 1, where,
                  "§5.2 items: each Page MUST have an array of 1 or more Annotations")  # fmt: skip
        for i, a in enumerate(items if isinstance(items, list) else []):
            self.annotation(a, f"{where} annotation {i + 1}")
        count = len(items) if isinstance(items, list) else 0
        if isinstance(total, int) and index + count < total:
            self.must("next" in p, where,
                      "§5.2 next: a page that is not the last MUST refer to the next one")  # fmt: skip
        for n in values(p, "next"):
            self.must(is_iri(n) or (isinstance(n, dict) and is_iri(n.get("id"))), where,
                      "§5.2 next is the IRI of the page that follows")  # fmt: skip
        self.at_most_one(p, "startIndex", where, "§5.2 startIndex: MUST NOT have more than 1")
        for value in values(p, "startIndex"):
            self.must(isinstance(value, int) and not isinstance(value, bool) and value >= 0,
                      where, "§5.2 startIndex MUST be an xsd:nonNegativeInteger")  # fmt: skip


def violations(document: dict) -> list[str]:
    """Every MUST of the model that ``document`` (a collection, a page or an annotation) breaks."""
    check = Check()
    if "AnnotationCollection" in types(document):
        check.collection(document)
    elif "AnnotationPage" in types(document):
        check.page(document, "page", embedded=False, total=None, index=0)
    else:
        check.annotation(document, "annotation")
    return check.found


def text_violations(document: dict, texts: dict[str, str]) -> list[str]:
    """§4.2.4 and §4.2.5: the quote, its prefix and suffix, and the positions are the text as
    read, counted in code points (not UTF-16 units), in logical order: ``texts`` maps each
    target's source IRI to the article's text."""
    found = []
    for a in document["first"]["items"]:
        for target in values(a, "target"):
            text = texts[target["source"]]
            quote = next(s for s in target["selector"] if s["type"] == "TextQuoteSelector")
            position = next(s for s in target["selector"] if s["type"] == "TextPositionSelector")
            start, end = position["start"], position["end"]
            if text[start:end] != quote["exact"]:
                found.append(f"{a['id']}: the positions do not select the quote (code points)")
            if not text[:start].endswith(quote.get("prefix", "")):
                found.append(f"{a['id']}: the prefix is not the text just before")
            if not text[end:].startswith(quote.get("suffix", "")):
                found.append(f"{a['id']}: the suffix is not the text just after")
    return found


# -- the library the exports come from ---------------------------------------------------------

PLAIN = """The Quiet Harbour

By Ann Example

The harbour 🚢 was quiet that morning. Fishing boats lay idle at the quay.

Prices for diesel had doubled in a year. Most skippers could no longer afford to sail.
"""
PAGE = """<!DOCTYPE html><html><head><title>Cranes at the Port | Harbour Weekly</title>
<link rel="canonical" href="https://harbour.example/cranes">
<meta name="author" content="Jo Writer"><meta property="og:site_name" content="Harbour Weekly">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Cranes at the Port</h1>
<p>The cranes of the harbour lift containers all night long, even in the winter storms.</p>
<p>Dockers said the new cranes 🏗️ were twice as fast as the old ones they replaced.</p>
</article><footer>© Harbour Weekly. All rights reserved.</footer></body></html>
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[dict, Path, dict[str, str]]:
    """A library of a text file (no URL), a web page (with its canonical URL), a Markdown file
    and a PDF, five notes on it (a run of sentences, a tag, a PDF page, one orphaned), exported
    through the command line."""
    import os

    root = tmp_path_factory.mktemp("w3c")
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "XDG_CACHE_HOME")}
    os.environ["XDG_DATA_HOME"], os.environ["XDG_CACHE_HOME"] = str(root / "d"), str(root / "c")
    try:
        folder = root / "my library"
        folder.mkdir()
        write(folder, "harbour.txt", PLAIN)
        write(folder, "cranes.html", PAGE)
        write(folder, "gone.md", "# Gone\n\nThis article will be removed from the library.\n")
        from documents import JOURNAL

        pdf(folder / "journal.pdf", JOURNAL)
        L = ["--library", str(folder)]
        for article, n, to, text in (("harbour", 1, 2, "calm #weather"), ("cranes", 2, None, "speed"),
                                     ("journal", 2, None, "pages"), ("gone", 1, None, "lost"),
                                     ("harbour", 4, None, "fuel costs")):  # fmt: skip
            more = ["--to", str(to)] if to else []
            assert main(["notes", "add", "--article", article, "--sentence", str(n), *more,
                         "--text", text, *L]) == 0  # fmt: skip
        (folder / "gone.md").unlink()
        out = root / "notes.json"
        assert main(["notes", "export", "--format", "json", "-o", str(out), *L]) == 0
        document = json.loads(out.read_text("utf-8"))
        library = Library(folder)
        library.update()
        texts = {}
        for info in library.articles():
            article = library.article(info.id)
            assert article is not None
            iri = info.url or (library.folder / info.path).as_uri()
            texts[iri] = article.text
        texts.update({a["target"]["source"]: "" for a in document["first"]["items"]
                      if a["target"]["source"] not in texts})  # fmt: skip
        library.close()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return document, folder, texts


def test_the_export_breaks_no_must_of_the_model(exported):
    document, _, texts = exported
    assert violations(document) == []
    orphans = {a["target"]["source"] for a in document["first"]["items"]
               if a["glossator"]["status"] == "orphaned"}  # fmt: skip
    placed = {k: v for k, v in texts.items() if k not in orphans}
    page = copy.deepcopy(document)
    page["first"]["items"] = [a for a in page["first"]["items"] if a["target"]["source"] in placed]
    assert len(page["first"]["items"]) == 4
    assert text_violations(page, placed) == []
    for a in document["first"]["items"]:  # each annotation alone is conformant too
        assert violations(a) == [], a["id"]


def test_the_export_has_the_shape_the_issue_asks_for(exported):
    document, folder, _ = exported
    assert document["@context"] == ANNO and document["type"] == "AnnotationCollection"
    assert document["id"].startswith("urn:uuid:") and document["total"] == 5
    page = document["first"]
    assert page["type"] == "AnnotationPage" and "@context" not in page and page["startIndex"] == 0
    assert page["id"] != document["id"] and len(page["items"]) == 5 and "items" not in document
    sources = {a["glossator"]["article_id"]: a["target"]["source"] for a in page["items"]}
    assert sources["cranes"] == "https://harbour.example/cranes"  # the article's URL
    assert sources["harbour"] == (folder / "harbour.txt").as_uri()  # else its file
    assert sources["harbour"].startswith("file:///") and "my%20library" in sources["harbour"]
    assert sources["journal"] == (folder / "journal.pdf").as_uri()
    assert sources["gone"] == "urn:glossator:article:gone"  # no longer in the library
    for a in page["items"]:
        assert a["target"]["type"] == "SpecificResource"
        kinds = [s["type"] for s in a["target"]["selector"]]
        assert kinds == ["TextQuoteSelector", "TextPositionSelector"]  # today's selectors
        assert XSD_UTC.fullmatch(a["created"]) and XSD_UTC.fullmatch(a["modified"])
    harbour = next(a for a in page["items"] if a["target"]["selector"][0]["exact"].startswith(
        "The harbour"))  # fmt: skip
    assert harbour["target"]["selector"][0]["exact"] == (
        "The harbour 🚢 was quiet that morning. Fishing boats lay idle at the quay."
    )
    # the same library exports the same collection id; another library another one
    again = json.loads(json.dumps(document))
    assert again["id"] == document["id"]


def test_an_empty_export_is_a_conformant_collection_without_pages(tmp_path, capsys):
    folder = tmp_path / "lib"
    folder.mkdir()
    write(folder, "a.txt", PLAIN)
    assert main(["notes", "export", "--format", "json", "--library", str(folder)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["total"] == 0 and "first" not in document
    assert violations(document) == []


# -- the check itself can fail: one broken MUST each --------------------------------------------


def _broken(document: dict, change: str) -> dict:
    d = copy.deepcopy(document)
    a = d["first"]["items"][0]
    target = a["target"]
    quote, position = target["selector"]
    match change:
        case "collection context":
            d["@context"] = ["http://example.org/other.jsonld"]
        case "collection id":
            del d["id"]
        case "collection id not an IRI":
            d["id"] = "my notes"
        case "collection type":
            d["type"] = "Collection"
        case "total":
            d["total"] = -1
        case "no first page":
            del d["first"]
        case "label":
            d["label"] = 3
        case "page id":
            del d["first"]["id"]
        case "page type":
            d["first"]["type"] = "Page"
        case "page items empty":
            d["first"]["items"] = []
            d["total"] = 0
            d["first"]["next"] = 3
        case "missing next":
            d["total"] = 9
        case "start index":
            d["first"]["startIndex"] = -2
        case "annotation context":
            del a["@context"]
        case "annotation context as a list of one":
            a["@context"] = [ANNO]
        case "annotation id":
            a["id"] = ["urn:uuid:1", "urn:uuid:2"]
        case "annotation id not an IRI":
            a["id"] = "note 1"
        case "annotation type":
            a["type"] = ["Note"]
        case "no target":
            del a["target"]
        case "source not an IRI":
            target["source"] = "harbour"
        case "two sources":
            target["source"] = ["https://a.example/", "https://b.example/"]
        case "exact missing":
            del quote["exact"]
        case "two prefixes":
            quote["prefix"] = ["a", "b"]
        case "negative start":
            position["start"] = -1
        case "end not an integer":
            position["end"] = "12"
        case "two selector types":
            quote["type"] = ["TextQuoteSelector", "TextPositionSelector"]
        case "created not UTC":
            a["created"] = "2024-03-05T10:00:00+02:00"
        case "two modified":
            a["modified"] = ["2024-03-05T10:00:00Z", "2024-03-06T10:00:00Z"]
        case "textual body without value":
            del a["body"][0]["value"]
        case "body value with body":
            a["bodyValue"] = "text"
        case "external body without id":
            a["body"].append({"type": "Image", "format": "image/png"})
        case "text direction":
            a["body"][0]["textDirection"] = "up"
        case "choice type":
            a["body"].append({"type": ["Choice", "Other"], "items": []})
        case "agent with two ids":
            a["creator"] = {"id": ["https://a.example/me", "https://b.example/me"]}
        case "audience not schema":
            a["audience"] = {"type": "schema:EducationalAudience", "educationalRole": "teacher"}
        case "rights not an IRI":
            a["rights"] = "all rights reserved"
        case "fragment selector without value":
            target["selector"].append({"type": "FragmentSelector"})
        case "css selector with two values":
            target["selector"].append({"type": "CssSelector", "value": ["#a", "#b"]})
        case "xpath selector without value":
            target["selector"].append({"type": "XPathSelector"})
        case "data position without end":
            target["selector"].append({"type": "DataPositionSelector", "start": 0})
        case "svg not well formed":
            target["selector"].append({"type": "SvgSelector", "value": "<svg><rect></svg>"})
        case "range without end":
            target["selector"].append({"type": "RangeSelector", "startSelector": quote})
        case "time state with both":
            target["state"] = {"type": "TimeState", "sourceDate": "2024-01-01T00:00:00Z",
                               "sourceDateStart": "2024-01-01T00:00:00Z"}  # fmt: skip
        case "time state start alone":
            target["state"] = {"type": "TimeState", "sourceDateStart": "2024-01-01T00:00:00Z"}
        case "request state without value":
            target["state"] = {"type": "HttpRequestState"}
        case "a set with two types":
            a["body"].append({"type": ["List", "Composite"], "items": ["https://a.example/"]})
        case "stylesheet type":
            target["stylesheet"] = {"type": "Stylesheet", "value": ".a {}"}
        case _:
            raise AssertionError(change)
    return d


BREAKS = [
    "collection context", "collection id", "collection id not an IRI", "collection type",
    "total", "no first page", "label", "page id", "page type", "page items empty",
    "missing next", "start index", "annotation context", "annotation context as a list of one",
    "annotation id", "annotation id not an IRI", "annotation type", "no target",
    "source not an IRI", "two sources", "exact missing", "two prefixes", "negative start",
    "end not an integer", "two selector types", "created not UTC", "two modified",
    "textual body without value", "body value with body", "external body without id",
    "text direction", "choice type", "agent with two ids", "audience not schema",
    "rights not an IRI", "fragment selector without value", "css selector with two values",
    "xpath selector without value", "data position without end", "svg not well formed",
    "range without end", "time state with both", "time state start alone",
    "request state without value", "stylesheet type", "a set with two types",
]  # fmt: skip


@pytest.mark.parametrize("change", BREAKS)
def test_the_check_finds_each_broken_must(exported, change):
    assert violations(_broken(exported[0], change)), change


def test_the_text_check_counts_code_points(exported):
    document, _, texts = exported
    d = copy.deepcopy(document)
    for a in d["first"]["items"]:  # positions counted in UTF-16 units, as a browser might
        if a["glossator"]["article_id"] == "harbour":  # 🚢 in its first sentence
            text = texts[a["target"]["source"]]
            position = a["target"]["selector"][1]
            position["start"] = len(text[: position["start"]].encode("utf-16-le")) // 2
            position["end"] = len(text[: position["end"]].encode("utf-16-le")) // 2
    d["first"]["items"] = [a for a in d["first"]["items"] if a["glossator"]["article_id"] == "harbour"]
    assert len(d["first"]["items"]) == 2
    assert text_violations(d, texts), d["first"]["items"]


# -- reading back -------------------------------------------------------------------------------


def test_import_reads_the_export_back_once(exported, tmp_path, capsys):
    document, folder, _ = exported
    path = tmp_path / "notes.json"
    path.write_text(json.dumps(document), "utf-8")
    L = ["--library", str(folder)]
    assert main(["notes", "import", str(path), *L]) == 0
    assert capsys.readouterr().out.startswith("imported 5 notes, skipped 0")
    assert main(["notes", "import", str(path), *L]) == 0  # nothing twice
    assert capsys.readouterr().out.startswith("imported 0 notes, skipped 5")
    assert main(["notes", "list", "--json", *L]) == 0
    notes = json.loads(capsys.readouterr().out)
    by_text = {n["text"]: n for n in notes}
    assert by_text["speed"]["article_id"] == "cranes" and by_text["speed"]["sentence"] == 2
    assert by_text["calm #weather"]["article_id"] == "harbour"
    assert by_text["pages"]["article_id"] == "journal"
    assert by_text["lost"]["status"] == "orphaned" and by_text["lost"]["article_id"] == "gone"


def _foreign(source: str, exact: str, text: str, **more: Any) -> dict:
    """An annotation as another tool writes it: only the model's own terms."""
    return {
        "@context": ANNO,
        "id": "https://annotations.example/" + text.replace(" ", "-"),
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": text, "format": "text/html"},
        "target": {"source": source, "selector": {"type": "TextQuoteSelector", "exact": exact}},
        **more,
    }


def test_import_matches_other_tools_annotations_by_url_or_file_name(exported, tmp_path, capsys):
    _, folder, _ = exported
    page = {
        "@context": ANNO,
        "id": "https://annotations.example/page/1",
        "type": "AnnotationPage",
        "items": [
            # by the article's URL (a fragment and a trailing slash do not matter)
            _foreign("https://harbour.example/cranes/#top", "they replaced", "by url"),
            # by file name: a copy of the file elsewhere, or the page where it was saved from
            _foreign("file:///elsewhere/harbour.txt", "Fishing boats lay idle", "by file"),
            _foreign("https://news.example/2024/harbour.txt", "doubled in a year", "by name"),
            # the body as bodyValue, a target given with its source described
            {"@context": ANNO, "id": "https://annotations.example/x", "type": "Annotation",
             "bodyValue": "plain body",
             "target": [{"source": {"id": "https://harbour.example/cranes", "type": "Text"},
                         "selector": [{"type": "TextQuoteSelector", "exact": "all night long"}]}]},
            # an article this library does not have: kept, orphaned, under its IRI
            _foreign("https://elsewhere.example/other", "not here at all", "orphan"),
            # no TextQuoteSelector: named, not imported
            {"@context": ANNO, "id": "https://annotations.example/y", "type": "Annotation",
             "bodyValue": "no quote", "target": "https://harbour.example/cranes"},
        ],
    }  # fmt: skip
    assert violations(page) == []  # what is imported here is conformant itself
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(page), "utf-8")
    L = ["--library", str(folder)]
    status = main(["notes", "import", str(path), *L])
    out, err = capsys.readouterr()
    assert status == 0 and out.startswith("imported 5 notes, skipped 1"), (out, err)
    assert "annotation 6 (https://annotations.example/y)" in err
    assert main(["notes", "import", str(path), *L]) == 0
    assert capsys.readouterr().out.startswith("imported 0 notes, skipped 6")  # nothing twice
    main(["notes", "list", "--json", *L])
    notes = {n["text"]: n for n in json.loads(capsys.readouterr().out)}
    assert notes["by url"]["article_id"] == "cranes" and notes["by url"]["status"] != "orphaned"
    assert notes["by file"]["article_id"] == "harbour" and notes["by file"]["sentence"] == 2
    assert notes["by name"]["article_id"] == "harbour" and notes["by name"]["sentence"] == 3
    assert notes["plain body"]["article_id"] == "cranes"
    assert notes["orphan"]["status"] == "orphaned"
    assert notes["orphan"]["article_id"] == "https://elsewhere.example/other"


def test_import_into_a_store_of_its_own_keeps_the_ids(exported, tmp_path):
    from glossator.index.export import import_annotations

    document, folder, _ = exported
    library = Library(folder)
    library.update()
    articles = {a.id: library.article(a.id) for a in library.articles()}
    with NoteStore(tmp_path / "n.sqlite3") as store:
        added, skipped = import_annotations(store, library.key, document, articles)
        assert (added, skipped) == (5, 0)
        ids = {f"urn:uuid:{n.id}" for n in store.list(library.key)}
    assert ids == {a["id"] for a in document["first"]["items"]}
    library.close()


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40),
       st.sampled_from(["http://", "https://"]), st.sampled_from(["example.org", "ex.co.uk"]))  # fmt: skip
def test_any_web_address_is_exported_as_an_iri(tail, scheme, host):
    """Whatever a page or a correction gives as its URL, the target's source is an IRI."""
    from glossator.index.export import source_iri
    from glossator.index.metadata import normalise_url

    url = normalise_url(f"{scheme}{host}/{tail}")
    assume(url is not None)
    iri = source_iri(SimpleNamespace(url=url, path="a.html"), None)
    assert is_iri(iri), (url, iri)
    assert iri.startswith(f"{scheme}{host}/")
