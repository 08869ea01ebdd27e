"""Notes out and in: Markdown to read, W3C Web Annotation JSON to move notes between machines.

``to_markdown`` groups the notes under their articles' titles, each with its passage quoted and
cited; orphans get a section of their own. ``to_web_annotation`` writes an AnnotationCollection
(https://www.w3.org/TR/annotation-model/): one Annotation per note, the note text and its tags as
TextualBody bodies, the passage as a TextQuoteSelector and a TextPositionSelector, and Glossator's
own fields (status, sentence ids, article hash) under "glossator". ``import_annotations`` reads
such a collection back (or a list of annotations, or one), re-anchors each note in the current
text of its article and skips notes already present. Nothing here opens or writes a file: paths
found in the data are never followed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, unquote, urlsplit

from . import anchor
from .cite import cite_text, place, sentence_citation
from .links import link_bodies, links_line
from .model import sentence_number
from .notes import HIGHLIGHT, NOTE, Note, NoteError, NoteStore, parse_tags

if TYPE_CHECKING:
    from .model import Article

__all__ = [
    "ANNOTATION_CONTEXT",
    "article_matcher",
    "import_annotations",
    "note_citation",
    "source_iri",
    "to_markdown",
    "to_web_annotation",
]

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_URN = re.compile(r"^urn:uuid:([0-9a-fA-F-]{36})$")
_MAX_ITEMS = 100_000


class _Titled(Protocol):
    title: str


# -- Markdown ---------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quote(text: str) -> str:
    lines = text.strip().splitlines() or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines)


def note_citation(note: Note, info: Any | None) -> str:
    """A note's passage cited as a reader writes it: "Authors, “Title”, Outlet, date, URL, §N"
    (or the page, in a PDF; ``cite.sentence_citation``). ``info`` is the Article (for pages) or
    its ArticleInfo, corrections applied; None for an article no longer in the library, which
    is named by its id. An orphaned note says "passage not found" in place of §N."""
    if info is None:
        where = place(sentence_number(note.sentence_id), sentence_number(note.last_sentence_id))
        return f"{note.article_id}, {where or 'passage not found'}"
    if note.sentence_id is None:
        return cite_text(info, "passage not found")
    return sentence_citation(info, note.sentence_id, note.last_sentence_id)


def _note_markdown(note: Note, info: _Titled | None) -> list[str]:
    lines = [_quote(note.exact), "", "— " + note_citation(note, info)]
    lines += ["", note.text.strip()] if note.text.strip() else ["", "(highlight)"]
    if note.links:
        lines += ["", links_line(note)]
    if note.labels:
        lines += ["", "Labels: " + ", ".join(note.labels)]
    if note.tags:
        lines += ["", "Tags: " + " ".join(f"#{t}" for t in note.tags)]
    return lines + [""]


def to_markdown(notes: Iterable[Note], articles_by_id: Mapping[str, _Titled]) -> str:
    """The notes as Markdown: by article ("## Title"), then the orphans in their own section.

    ``articles_by_id`` gives the articles (``Article``, or ``ArticleInfo`` when no page is
    needed), corrections applied; each note is cited from it (``cite.sentence_citation``:
    authors, title, outlet, date, URL, §N or the page). Articles are in its order, any others
    after them by id; notes in text order within an article.
    """
    notes = [n for n in notes if n.deleted is None]
    placed = [n for n in notes if n.status != anchor.ORPHANED]
    orphans = [n for n in notes if n.status == anchor.ORPHANED]
    order = {article_id: i for i, article_id in enumerate(articles_by_id)}

    def article_key(article_id: str) -> tuple[int, str]:
        return (order.get(article_id, len(order)), article_id)

    out = ["# Notes", ""]
    if not notes:
        out += ["No notes yet.", ""]
    for article_id in sorted({n.article_id for n in placed}, key=article_key):
        info = articles_by_id.get(article_id)
        out += [f"## {_one_line(info.title) if info is not None else article_id}", ""]
        for note in sorted(
            (n for n in placed if n.article_id == article_id), key=lambda n: (n.start, n.created)
        ):
            out += _note_markdown(note, info)
    if orphans:
        out += [
            "## Orphaned notes",
            "",
            "Their passages are no longer in the articles; each keeps the passage it quoted.",
            "",
        ]
        for note in sorted(orphans, key=lambda n: (article_key(n.article_id), n.created)):
            info = articles_by_id.get(note.article_id)
            out += [f"### {_one_line(info.title) if info is not None else note.article_id}", ""]
            out += _note_markdown(note, info)
    return "\n".join(out).rstrip("\n") + "\n"


# -- W3C Web Annotation -----------------------------------------------------------------------

# What RFC 3987 lets an IRI hold as it is: ASCII letters, digits and "-._~", the sub-delims,
# ":" and "@" (and "/" and "?" where they separate), and the "ucschar" ranges of Unicode (in a
# query, the private use range too). Anything else is percent-encoded as UTF-8, and so are the
# characters beyond the Basic Multilingual Plane (emoji): allowed, but refused by some checkers.
_IRI_ASCII = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@"
)
_UCSCHAR = ((0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF))
_IPRIVATE = ((0xE000, 0xF8FF),)
_HEX = frozenset("0123456789abcdefABCDEF")


def _iri_part(text: str, extra: str, private: bool = False) -> str:
    out = []
    for i, char in enumerate(text):
        code = ord(char)
        if (
            char in _IRI_ASCII
            or char in extra
            or (char == "%" and text[i + 1 : i + 2] in _HEX and text[i + 2 : i + 3] in _HEX)
            or any(lo <= code <= hi for lo, hi in _UCSCHAR)
            or (private and any(lo <= code <= hi for lo, hi in _IPRIVATE))
        ):
            out.append(char)
        else:
            out.append("".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass")))
    return "".join(out)


def _iri(url: str) -> str:
    """``url`` (an absolute http(s) address) as an IRI: what RFC 3987 does not allow where it
    stands is percent-encoded (UTF-8); what it allows, non-ASCII letters included, is kept."""
    parts = urlsplit(url)
    iri = f"{parts.scheme}://{_iri_part(parts.netloc, '[]')}{_iri_part(parts.path, '/')}"
    if parts.query:
        iri += "?" + _iri_part(parts.query, "/?", private=True)
    if parts.fragment:
        iri += "#" + _iri_part(parts.fragment, "/?")
    return iri


def source_iri(info: Any | None, folder: Path | None, article_id: str = "") -> str:
    """The IRI a note's target names: the article's URL when it has one (corrections applied),
    else its file as a ``file:`` URI (the library folder joined with the article's path), else,
    for an article no longer in the library, a URN of its id."""
    url = getattr(info, "url", None)
    if isinstance(url, str) and url:
        return _iri(url)
    path = getattr(info, "path", None)
    if folder is not None and isinstance(path, str) and path:
        return (Path(folder) / path).as_uri()
    return "urn:glossator:article:" + quote(article_id or getattr(info, "id", ""), safe="")


def _utc(value: Any) -> str | None:
    """An xsd:dateTime in UTC written with "Z" (the model's form for created and modified)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # Glossator writes UTC; a bare time is taken as UTC
    moment = moment.astimezone(UTC)
    shown = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        shown += f".{moment.microsecond // 1000:03d}"
    return shown + "Z"


class _Iris(dict):
    """Each article's IRI (``source_iri``), worked out when a note or a link first needs it."""

    def __init__(self, articles_by_id: Mapping[str, Any], folder: Path | None) -> None:
        super().__init__()
        self.articles_by_id, self.folder = articles_by_id, folder

    def __missing__(self, article_id: str) -> str:
        iri = source_iri(self.articles_by_id.get(article_id), self.folder, article_id)
        self[article_id] = iri
        return iri


def _annotation(note: Note, info: Any | None, iris: _Iris) -> dict:
    body: list[dict] = []
    if note.text or not note.is_highlight:
        body.append(
            {
                "type": "TextualBody",
                "value": note.text,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    body += [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in note.tags]
    for link in link_bodies(note):  # a link's source is an article id: given as its IRI
        linked = str(link.get("source", ""))
        link["source"] = iris[linked]
        link.setdefault("glossator", {})["article_id"] = linked
        body.append(link)
    target: dict[str, Any] = {
        "type": "SpecificResource",
        "source": iris[note.article_id],
    }
    path = getattr(info, "path", None)
    if isinstance(path, str):
        target["path"] = path
    target["selector"] = [
        {
            "type": "TextQuoteSelector",
            "exact": note.exact,
            "prefix": note.prefix,
            "suffix": note.suffix,
        },
        {"type": "TextPositionSelector", "start": note.start, "end": note.end},
    ]
    annotation: dict[str, Any] = {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:uuid:{note.id}",
        "type": "Annotation",
        "motivation": "highlighting" if note.is_highlight else "commenting",
    }
    for name, value in (("created", note.created), ("modified", note.updated)):
        stamp = _utc(value)
        if stamp is not None:
            annotation[name] = stamp
    if body:
        annotation["body"] = body
    annotation["target"] = target
    annotation["glossator"] = {
        "status": note.status,
        "sentence": sentence_number(note.sentence_id),  # §N, as the app shows it
        "last_sentence": sentence_number(note.last_sentence_id),
        "article_id": note.article_id,
        "article_hash": note.article_hash,
        "kind": note.kind,
        "labels": list(note.labels),
    }
    return annotation


def to_web_annotation(
    notes: Iterable[Note], library: Any, articles_by_id: Mapping[str, Any] | None = None
) -> dict:
    """The notes as a W3C Web Annotation ``AnnotationCollection`` (a dict ready for JSON).

    ``library`` is a ``Library`` (its key, name, folder and articles are used) or a library key.
    Every MUST of the model holds (tests/test_export_w3c.py checks them all): the collection and
    each annotation carry the anno.jsonld ``@context`` and an IRI ``id`` (the collection's a
    ``urn:uuid`` made from the library folder, the same at every export; a note's from its id);
    the annotations are in one embedded ``AnnotationPage`` (none when there are no notes);
    each target is a ``SpecificResource`` whose ``source`` is the article's IRI (``source_iri``:
    its URL, else its file as a ``file:`` URI) with a TextQuoteSelector and a
    TextPositionSelector in code points of the article's text; ``created`` and ``modified`` are
    UTC with "Z". Glossator's own fields (status, §N, article id and hash, kind, labels) are
    under ``glossator``, which JSON-LD processors ignore.
    """
    key = getattr(library, "key", library)
    folder = getattr(library, "folder", None)
    if articles_by_id is None and hasattr(library, "articles"):
        articles_by_id = {a.id: a for a in library.articles()}
    articles_by_id = articles_by_id or {}
    iris = _Iris(articles_by_id, folder)
    items = [
        _annotation(n, articles_by_id.get(n.article_id), iris) for n in notes if n.deleted is None
    ]
    label = getattr(library, "name", None) or str(key)
    base = Path(folder).as_uri() if folder is not None else f"urn:glossator:library:{key}"
    collection: dict[str, Any] = {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, base + '#notes')}",
        "type": "AnnotationCollection",
        "label": f"Glossator notes: {label}",
        "total": len(items),
        "generator": {"type": "Software", "name": "Glossator"},
        "glossator": {"library": str(key)},
    }
    if items:  # a page holds 1 or more annotations: an empty collection has none
        collection["first"] = {
            "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, base + '#notes-page-1')}",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        }
    return collection


# -- import -----------------------------------------------------------------------------------


def _items(data: Any) -> list:
    """The annotations of an AnnotationCollection (its embedded pages, ``first`` then each
    ``next``), of an AnnotationPage, of a list, or one annotation alone."""
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and "Annotation" in _as_list(data.get("type")):
        items = [data]
    elif isinstance(data, dict) and isinstance(data.get("items"), list):
        items = data["items"]  # a page, or an export of Glossator before pages
    elif isinstance(data, dict) and isinstance(data.get("first"), dict):
        items, page, pages = [], data["first"], 0
        while isinstance(page, dict) and pages < 10_000:
            items += page["items"] if isinstance(page.get("items"), list) else []
            page, pages = page.get("next"), pages + 1
            if len(items) > _MAX_ITEMS:
                break
    elif isinstance(data, dict) and isinstance(data.get("first"), str):
        raise ValueError(
            "the collection's annotations are on pages elsewhere (its first page is "
            f"{data['first'][:200]}), not in this file"
        )
    else:
        raise ValueError("this is not a Web Annotation collection (no annotations in it)")
    if len(items) > _MAX_ITEMS:
        raise ValueError(f"too many annotations ({len(items)}; at most {_MAX_ITEMS})")
    return items


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text_and_tags(item: dict) -> tuple[str, list[str]]:
    texts: list[str] = []
    tags: list[str] = []
    if isinstance(item.get("bodyValue"), str):  # the model's short form of a plain-text body
        texts.append(item["bodyValue"])
    for body in _as_list(item.get("body")):
        if isinstance(body, dict) and "Choice" in _as_list(body.get("type")):
            choices = _as_list(body.get("items"))  # the first is the default
            body = choices[0] if choices else None
        if isinstance(body, str):
            texts.append(body)
        elif isinstance(body, dict) and isinstance(body.get("value"), str):
            if body.get("purpose") == "tagging":
                tags.append(body["value"])
            else:
                texts.append(body["value"])
    return "\n\n".join(t.strip() for t in texts if t.strip()), tags


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _selector(target: dict) -> anchor.Selector | None:
    quote: dict | None = None
    position: dict | None = None
    for sel in _as_list(target.get("selector")):
        if not isinstance(sel, dict):
            continue
        if sel.get("type") == "TextQuoteSelector" and quote is None:
            quote = sel
        elif sel.get("type") == "TextPositionSelector" and position is None:
            position = sel
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"]:
        return None
    prefix = quote["prefix"] if isinstance(quote.get("prefix"), str) else ""
    suffix = quote["suffix"] if isinstance(quote.get("suffix"), str) else ""
    start = _int((position or {}).get("start"))
    end = _int((position or {}).get("end"))
    if start is None or end is None or not 0 <= start <= end:
        start, end = 0, len(quote["exact"])  # no usable position: search by quote and context
    return anchor.Selector(quote["exact"], prefix, suffix, start, end)


def _time(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value


def _note_id(value: Any) -> str | None:
    match = _URN.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return str(uuid.UUID(match.group(1)))
    except ValueError:
        return None


def _source(target: dict) -> str | None:
    """A target's source IRI, given as a string or as a resource with an ``id``."""
    source = target.get("source")
    if isinstance(source, dict):
        source = source.get("id")
    return source if isinstance(source, str) and source else None


_ARTICLE_URN = "urn:glossator:article:"
Matcher = Callable[[str, "str | None"], "str | None"]


def _same_url(url: str) -> str:
    """A web address as compared: no fragment, no trailing slash, scheme and host in lower
    case, http and https alike."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    scheme = "https" if scheme == "http" else scheme
    return f"{scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}?{parts.query}"


def article_matcher(infos: Iterable[Any]) -> Matcher:
    """Which article of a library an imported annotation is about: ``match(source, hint)``
    takes the target's source IRI and the article id Glossator's own exports carry
    (``glossator.article_id``, or None) and gives an article id, or None when the library has
    no such article. In this order: the article whose URL is the source (a fragment, a trailing
    slash, http or https do not matter); the id Glossator wrote; an id given as the source
    (exports before this one) or as Glossator's URN; then the file name at the end of the
    source's path (a ``file:`` URI, or the address a page was saved from), the one article of
    that name, or the one whose path the source's path ends with. ``infos`` are the library's
    articles (``ArticleInfo``: id, path, url; corrections applied)."""
    by_url: dict[str, str] = {}
    by_name: dict[str, list[tuple[str, str]]] = {}
    ids: set[str] = set()
    for info in infos:
        ids.add(info.id)
        if getattr(info, "url", None):
            by_url.setdefault(_same_url(info.url), info.id)
        path = str(getattr(info, "path", "") or "")
        if path:
            by_name.setdefault(path.rsplit("/", 1)[-1], []).append((info.id, path))

    def match(source: str, hint: str | None) -> str | None:
        if source.lower().startswith(("http://", "https://")):
            found = by_url.get(_same_url(source))
            if found is not None:
                return found
        if hint is not None and hint in ids:
            return hint
        if source in ids:
            return source
        if source.startswith(_ARTICLE_URN) and unquote(source[len(_ARTICLE_URN) :]) in ids:
            return unquote(source[len(_ARTICLE_URN) :])
        path = unquote(urlsplit(source).path) if ":" in source else source
        candidates = by_name.get(path.rstrip("/").rsplit("/", 1)[-1], [])
        if len(candidates) > 1:
            candidates = [c for c in candidates if path == c[1] or path.endswith("/" + c[1])]
        return candidates[0][0] if len(candidates) == 1 else None

    return match


def _common(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share from their start."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _whole_sentences(selector: anchor.Selector, article: Article | None) -> anchor.Selector:
    """Other tools annotate words and phrases; a Glossator note is on whole sentences. A quote
    found as it is in the article, but not as whole sentences, becomes the sentences that hold
    it (the occurrence whose context fits best, then the nearest to its position), so the note
    is anchored there, not orphaned; anything else is left to re-anchoring as it is."""
    exact = selector.exact
    if article is None or not exact:
        return selector
    text = article.text
    best: tuple[tuple[int, int], int] | None = None
    at, seen = text.find(exact), 0
    while at != -1 and seen < 2000:
        seen += 1
        end = at + len(exact)
        before = _common(text[max(0, at - len(selector.prefix)) : at][::-1], selector.prefix[::-1])
        after = _common(text[end : end + len(selector.suffix)], selector.suffix)
        key = (before + after, -abs(at - selector.start))
        if best is None or key > best[0]:
            best = (key, at)
        at = text.find(exact, at + 1)
    if best is None:
        return selector
    at = best[1]
    span = anchor.snap(article.sentences, at, at + len(exact))
    if span is None or (span[2] == at and span[3] == at + len(exact)):
        return selector
    return anchor.selector_at(text, span[2], span[3])


def _key(article_id: str, exact: str, text: str, tags: Iterable[str]) -> tuple:
    return (article_id, exact, text, tuple(t.casefold() for t in tags))


def import_annotations(
    store: NoteStore,
    library: str,
    data: Any,
    articles: Mapping[str, Article],
    problems: list[str] | None = None,
    match: Matcher | None = None,
) -> tuple[int, int]:
    """Add the annotations in ``data`` to ``library``'s notes; returns (added, skipped).

    ``data`` is a Web Annotation collection (Glossator's export or another tool's), a page, a
    list of annotations or one; each is imported from its first target that has a
    TextQuoteSelector, its text from its TextualBody bodies or ``bodyValue``. ``match`` (see
    ``article_matcher``) finds the article a target's source names; without it, one is made
    from ``articles``. An annotation whose article is not found is kept, orphaned, under
    Glossator's article id when it has one, else under its source IRI.

    ``articles`` maps article ids to the articles as they are now; each note is re-anchored in
    its article's text (or kept orphaned if its article is not there). A note already present
    (same article, quote, text and tags) is skipped, and so is an item that is not a usable
    annotation. Raises ValueError when ``data`` holds no annotations at all. Each item skipped
    for being unusable is named in ``problems`` (its number from 1, its id, why); the duplicate
    check is made again inside each write, so two imports of one file at once add it once.
    """
    items = _items(data)
    if match is None:
        match = article_matcher(a for a in (articles.get(k) for k in articles) if a is not None)
    present = {_key(n.article_id, n.exact, n.text, n.tags) for n in store.list(library)}
    added = skipped = 0
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            skipped += 1
            _problem(problems, number, None, "not an annotation")
            continue
        try:
            outcome = _import_one(store, library, item, articles, present, match)
        except (NoteError, ValueError, TypeError, OverflowError, RecursionError) as exc:
            outcome = str(exc) or type(exc).__name__
        if outcome is None:
            added += 1
        else:
            skipped += 1
            if outcome:
                _problem(problems, number, item.get("id"), outcome)
    return added, skipped


def _problem(problems: list[str] | None, number: int, item_id: Any, why: str) -> None:
    if problems is not None:
        named = f" ({item_id})" if isinstance(item_id, str) and item_id else ""
        problems.append(f"annotation {number}{named}: {why}")


def _import_one(
    store: NoteStore,
    library: str,
    item: dict,
    articles: Mapping[str, Article],
    present: set,
    match: Matcher,
) -> str | None:
    """Import one annotation: None when added, "" for a duplicate, else why it was not."""
    text, extra_tags = _text_and_tags(item)
    targets = [t for t in _as_list(item.get("target")) if isinstance(t, dict)]
    target = next((t for t in targets if _selector(t) is not None), targets[0] if targets else None)
    source = _source(target) if target is not None else None
    selector = _selector(target) if target is not None else None
    kind = HIGHLIGHT if item.get("motivation") == "highlighting" else NOTE
    if source is None:
        return "no target source (the article's IRI)"
    if selector is None:
        return "no TextQuoteSelector with the quoted text"
    if not text and kind == NOTE:
        return "no text"
    extension = item["glossator"] if isinstance(item.get("glossator"), dict) else {}
    hint = extension.get("article_id")
    hint = hint if isinstance(hint, str) and hint else None
    found = match(source, hint)
    article_id = found or hint or source
    tags = parse_tags(text)
    missing = [t for t in extra_tags if re.fullmatch(r"\w+(?:[-_]\w+)*", t) and t not in tags]
    if missing:  # tags given only as bodies: written into the text, where tags live
        text = text + "\n\n" + " ".join(f"#{t}" for t in missing)
        tags = parse_tags(text)
    article = articles.get(found) if found is not None else None
    selector = _whole_sentences(selector, article)
    if _key(article_id, selector.exact, text, tags) in present:
        return ""
    status = extension.get("status")
    note_id = _note_id(item.get("id"))
    note = store.import_note(
        library,
        article_id,
        article,
        selector,
        text,
        status=status if status in (anchor.ANCHORED, anchor.MOVED) else anchor.ANCHORED,
        note_id=note_id,
        created=_time(item.get("created")),
        updated=_time(item.get("modified")),
        kind=kind,
        unless_duplicate=True,
        resolve=_resolver(articles),
    )
    present.add(_key(article_id, selector.exact, text, tags))
    if note is None:  # another import added it meanwhile
        return ""
    present.add(_key(note.article_id, note.exact, note.text, note.tags))
    labels = extension.get("labels")
    if isinstance(labels, list):
        store.adopt_labels(note.id, [x for x in labels if isinstance(x, str)])
    return None


def _resolver(articles: Mapping[str, Article]) -> Callable[[str], Article | None]:
    """Finds a link's article among ``articles``: its id, or the one id it begins."""

    def resolve(part: str) -> Article | None:
        if part in articles:
            return articles[part]
        found = [article_id for article_id in articles if article_id.startswith(part)]
        return articles[found[0]] if len(found) == 1 else None

    return resolve
