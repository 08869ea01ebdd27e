"""Citations: as a reader writes them, and as BibTeX and CSL-JSON for reference managers.

``cite_text`` is the one-line citation the app's ``y`` key, the Markdown export and the command
line use: authors, “title”, outlet, date, URL, then the place: §N (a sentence, numbered from 1 as
people see it) or, in a PDF, the page ("p. 12", "pp. 12–13"). ``sentence_citation`` gives it for a
sentence (or a run of them) of an Article. ``bibtex`` and ``csl_json`` write whole references;
bibtexparser and citeproc-py read them back in the tests. Everything here is pure: no file, no
index, cheap (microseconds), safe from any thread.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

__all__ = [
    "bibtex",
    "cite_text",
    "csl_json",
    "format_authors",
    "human_date",
    "place",
    "sentence_citation",
]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


class Cited(Protocol):
    """What a citation reads: an Article or a library's ArticleInfo (corrections applied)."""

    id: str
    title: str
    authors: list[str]
    outlet: str | None
    published: str | None
    url: str | None
    format: str


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_authors(authors: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"; more than three: "A et al."."""
    names = [_one_line(a) for a in authors if a.strip()]
    if len(names) > 3:
        return f"{names[0]} et al."
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else ""


def _date_parts(iso: str | None) -> list[int]:
    if not iso:
        return []
    parts = []
    for piece in iso.split("-")[:3]:
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return parts


def human_date(iso: str | None) -> str:
    """ "5 March 2024", "March 2024" or "2024" from an ISO date; "" for none."""
    parts = _date_parts(iso)
    if len(parts) == 3:
        return f"{parts[2]} {_MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0]) if parts else ""


def place(
    sentence: int | None = None,
    last: int | None = None,
    page: int | None = None,
    last_page: int | None = None,
) -> str:
    """ "§3", "§3–5", "p. 12", "pp. 12–13": ``sentence``/``last`` are numbers as people see them
    (from 1); a page, when there is one, is given instead."""
    if page is not None:
        if last_page is not None and last_page != page:
            return f"pp. {page}–{last_page}"
        return f"p. {page}"
    if sentence is None:
        return ""
    if last is not None and last != sentence:
        return f"§{sentence}–{last}"
    return f"§{sentence}"


def cite_text(item: Cited, where: str = "") -> str:
    """Authors, “Title”, Outlet, date, URL, and ``where`` (from ``place``), comma separated."""
    parts = [
        format_authors(item.authors),
        f"“{_one_line(item.title)}”",
        _one_line(item.outlet or ""),
        human_date(item.published),
        item.url or "",
        where,
    ]
    return ", ".join(p for p in parts if p)


def sentence_citation(article: Any, first: int | None, last: int | None = None) -> str:
    """The citation of sentences ``first``..``last`` (internal ids, from 0) of an Article: the
    sentence numbers (§N) or, in a PDF, the pages they are on. Given an ArticleInfo (no
    sentences, no pages), the sentence numbers; ``first`` None (an orphaned note): no place."""
    if first is None:
        return cite_text(article)
    sentences = getattr(article, "sentences", None)
    if sentences is None:  # an ArticleInfo: the numbers alone
        return cite_text(article, place(first + 1, (last if last is not None else first) + 1))
    if not 0 <= first < len(sentences):
        return cite_text(article)
    end = sentences[min(max(last if last is not None else first, first), len(sentences) - 1)]
    if article.pages:
        return cite_text(
            article,
            place(
                page=article.page_at(sentences[first].start), last_page=article.page_at(end.start)
            ),  # fmt: skip
        )
    return cite_text(article, place(first + 1, end.id + 1))


# -- BibTeX ------------------------------------------------------------------------------------

_BIB_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIB_SPECIAL = re.compile(r"[\\{}&%$#_~^]")


def _bib(text: str) -> str:
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES[m.group()], _one_line(text))


def _bib_url(url: str) -> str:
    return re.sub(r"[{}\\]", lambda m: f"%{ord(m.group()):02X}", url).replace("%", r"\%")


def _split_name(name: str) -> tuple[str, str] | None:
    """(family, given) of a person's name; None for an organisation or a single name."""
    name = _one_line(name)
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
        return (family, given) if family and given else None
    words = name.split()
    if len(words) < 2:
        return None
    particles = {"van", "von", "de", "der", "da", "di", "du", "la", "le", "del", "dos", "bin"}
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in particles:
        i -= 1
    return " ".join(words[i:]), " ".join(words[:i])


def _bib_name(name: str) -> str:
    split = _split_name(name)
    if split is None:
        return "{" + _bib(name) + "}"  # kept whole: an organisation, a single name
    family, given = split
    return f"{_bib(family)}, {_bib(given)}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", folded)


def _key(item: Cited, taken: set[str]) -> str:
    first = item.authors[0] if item.authors else (item.outlet or "")
    split = _split_name(first) if first else None
    who = _ascii(split[0] if split else first).lower()[:20]
    year = (item.published or "")[:4]
    words = [w for w in re.findall(r"\w+", item.title) if len(w) > 3]
    what = _ascii(words[0]).lower()[:20] if words else ""
    base = f"{who}{year}{what}" or _ascii(item.id).lower() or "article"
    key, n = base, 0
    while key in taken:
        n += 1
        key = f"{base}{chr(ord('a') + (n - 1) % 26)}{(n - 1) // 26 or ''}"
    taken.add(key)
    return key


def _entry_type(item: Cited) -> str:
    if item.format == "epub":
        return "book"
    if item.format == "pdf" and item.outlet:
        return "article"
    return "misc"


def bibtex(items: Iterable[Cited]) -> str:
    """BibTeX entries: @book for an EPUB, @article for a PDF with a journal, else @misc."""
    taken: set[str] = set()
    entries = []
    for item in items:
        kind = _entry_type(item)
        fields: list[tuple[str, str]] = []
        if item.authors:
            fields.append(("author", " and ".join(_bib_name(a) for a in item.authors)))
        fields.append(("title", "{" + _bib(item.title) + "}"))
        if item.outlet:
            name = {"book": "publisher", "article": "journal"}.get(kind, "howpublished")
            fields.append((name, _bib(item.outlet)))
        parts = _date_parts(item.published)
        if parts:
            fields.append(("year", str(parts[0])))
        if len(parts) >= 2:
            fields.append(("month", _MONTHS[parts[1] - 1][:3].lower()))
        if item.published:
            fields.append(("date", item.published))
        if item.url:
            fields.append(("url", _bib_url(item.url)))
        lines = [f"@{kind}{{{_key(item, taken)},"]
        for name, value in fields:
            value = value if name == "month" else "{" + value + "}"
            lines.append(f"  {name} = {value},")
        lines.append("}")
        entries.append("\n".join(lines))
    return "\n\n".join(entries) + ("\n" if entries else "")


# -- CSL-JSON ----------------------------------------------------------------------------------


def _csl_type(item: Cited) -> str:
    if item.format == "epub":
        return "book"
    if item.format == "pdf":
        return "article-journal" if item.outlet else "article"
    return "webpage" if item.url else "article"


def csl_json(items: Iterable[Cited], accessed: _dt.date | None = None) -> list[dict[str, Any]]:
    """CSL-JSON items (what Zotero, pandoc and citeproc read)."""
    out = []
    for item in items:
        entry: dict[str, Any] = {"id": item.id, "type": _csl_type(item), "title": item.title}
        names = []
        for author in item.authors:
            split = _split_name(author)
            names.append({"family": split[0], "given": split[1]} if split else {"literal": author})
        if names:
            entry["author"] = names
        if item.outlet:
            entry["publisher" if item.format == "epub" else "container-title"] = item.outlet
        parts = _date_parts(item.published)
        if parts:
            entry["issued"] = {"date-parts": [parts]}
        if item.url:
            entry["URL"] = item.url
            if accessed is not None:
                entry["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
        out.append(entry)
    return out
