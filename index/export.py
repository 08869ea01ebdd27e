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
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from . import anchor
from .cite import cite_text, place, sentence_citation
from .model import sentence_number
from .links import link_bodies, links_line
from .notes import HIGHLIGHT, NOTE, Note, NoteError, NoteStore, parse_tags

if TYPE_CHECKING:
    from .model import Article

__all__ = [
    "ANNOTATION_CONTEXT",
    "import_annotations",
    "note_citation",
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


def _annotation(note: Note, info: Any | None) -> dict:
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
    body += link_bodies(note)
    target: dict[str, Any] = {"source": note.article_id}
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
    return {
        "id": f"urn:uuid:{note.id}",
        "type": "Annotation",
        "motivation": "highlighting" if note.is_highlight else "commenting",
        "created": note.created,
        "modified": note.updated,
        "body": body,
        "target": target,
        "glossator": {
            "status": note.status,
            "sentence": sentence_number(note.sentence_id),  # §N, as the app shows it
            "last_sentence": sentence_number(note.last_sentence_id),
            "article_id": note.article_id,
            "article_hash": note.article_hash,
            "kind": note.kind,
            "labels": list(note.labels),
        },
    }


def to_web_annotation(
    notes: Iterable[Note], library: Any, articles_by_id: Mapping[str, Any] | None = None
) -> dict:
    """The notes as a W3C Web Annotation ``AnnotationCollection`` (a dict ready for JSON).

    ``library`` is a ``Library`` (its key, name and article paths are used) or a library key.
    """
    key = getattr(library, "key", library)
    if articles_by_id is None and hasattr(library, "articles"):
        articles_by_id = {a.id: a for a in library.articles()}
    articles_by_id = articles_by_id or {}
    items = [_annotation(n, articles_by_id.get(n.article_id)) for n in notes if n.deleted is None]
    label = getattr(library, "name", None) or str(key)
    return {
        "@context": ANNOTATION_CONTEXT,
        "type": "AnnotationCollection",
        "label": f"Glossator notes: {label}",
        "total": len(items),
        "generator": {"type": "Software", "name": "Glossator"},
        "glossator": {"library": str(key)},
        "items": items,
    }


# -- import -----------------------------------------------------------------------------------


def _items(data: Any) -> list:
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and data.get("type") == "Annotation":
        items = [data]
    elif isinstance(data, dict) and isinstance(data.get("items"), list):
        items = data["items"]
    elif (
        isinstance(data, dict)
        and isinstance(data.get("first"), dict)
        and isinstance(data["first"].get("items"), list)
    ):
        items = data["first"]["items"]  # a collection with its first page inline
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
    for body in _as_list(item.get("body")):
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


def _key(article_id: str, exact: str, text: str, tags: Iterable[str]) -> tuple:
    return (article_id, exact, text, tuple(t.casefold() for t in tags))


def import_annotations(
    store: NoteStore,
    library: str,
    data: Any,
    articles: Mapping[str, Article],
    problems: list[str] | None = None,
) -> tuple[int, int]:
    """Add the annotations in ``data`` to ``library``'s notes; returns (added, skipped).

    ``articles`` maps article ids to the articles as they are now; each note is re-anchored in
    its article's text (or kept orphaned if its article is not there). A note already present
    (same article, quote, text and tags) is skipped, and so is an item that is not a usable
    annotation. Raises ValueError when ``data`` holds no annotations at all. Each item skipped
    for being unusable is named in ``problems`` (its number from 1, its id, why); the duplicate
    check is made again inside each write, so two imports of one file at once add it once.
    """
    items = _items(data)
    present = {_key(n.article_id, n.exact, n.text, n.tags) for n in store.list(library)}
    added = skipped = 0
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            skipped += 1
            _problem(problems, number, None, "not an annotation")
            continue
        try:
            outcome = _import_one(store, library, item, articles, present)
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
    store: NoteStore, library: str, item: dict, articles: Mapping[str, Article], present: set
) -> str | None:
    """Import one annotation: None when added, "" for a duplicate, else why it was not."""
    text, extra_tags = _text_and_tags(item)
    targets = [t for t in _as_list(item.get("target")) if isinstance(t, dict)]
    target = targets[0] if targets else None
    source = target.get("source") if target is not None else None
    selector = _selector(target) if target is not None else None
    kind = HIGHLIGHT if item.get("motivation") == "highlighting" else NOTE
    if not isinstance(source, str) or not source:
        return "no target source (article id)"
    if selector is None:
        return "no TextQuoteSelector with the quoted text"
    if not text and kind == NOTE:
        return "no text"
    tags = parse_tags(text)
    missing = [t for t in extra_tags if re.fullmatch(r"\w+(?:[-_]\w+)*", t) and t not in tags]
    if missing:  # tags given only as bodies: written into the text, where tags live
        text = text + "\n\n" + " ".join(f"#{t}" for t in missing)
        tags = parse_tags(text)
    article = articles.get(source)
    if _key(source, selector.exact, text, tags) in present:
        return ""
    extension = item["glossator"] if isinstance(item.get("glossator"), dict) else {}
    status = extension.get("status")
    note_id = _note_id(item.get("id"))
    note = store.import_note(
        library,
        source,
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
    present.add(_key(source, selector.exact, text, tags))
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
