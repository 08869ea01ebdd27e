"""The last screen, kept for the next start: the article list, the article being read (its cleaned
text, or for a long one the part around the reading position), where it was on screen and the
marks of its notes. The app shows it before Whoosh is imported or the folder looked at, then
checks it against the real library in the background and replaces whatever is stale in place.

One small JSON file per library in the cache folder (``<cache>/glossator/snapshot/<key>.json``),
written atomically (a temporary file beside it, then a rename) and bounded: at most
``MAX_ARTICLES`` entries of the list (those around the article being read) and
``WINDOW_CHARS`` characters of an article's text either side of the reading position, so a
50 MB article keeps only what is on screen and around it. A file that cannot be used — missing,
over ``MAX_BYTES``, not JSON, of another format version or another library, or with a wrong
field — is no snapshot (``load`` says why), and the app starts the usual way.

A snapshot is what the screen looked like, never the library: nothing is written from it (notes
wait for the real library and notes store). Nothing here imports Textual or the index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from glossator.index.model import Article, ArticleInfo, Block, Sentence, place_of
from glossator.index.output import write_atomically

from . import last_frame

SNAPSHOT_VERSION = 1
MAX_BYTES = 4 * 1024 * 1024  # a larger file was not written here: not read
MAX_ARTICLES = 2000  # entries of the article list kept, around the article being read
WHOLE_CHARS = 120_000  # an article this long or shorter is kept whole
WINDOW_CHARS = 30_000  # else: about this many characters kept either side of the position
FOLDER = last_frame.SNAPSHOT_FOLDER  # under the cache folder


class Mark(NamedTuple):
    """A note's mark: its first and last sentence and its tags (what the reader draws)."""

    sentence_id: int
    last_sentence_id: int
    tags: tuple[str, ...]


@dataclass(slots=True)
class Snapshot:
    """What the screen showed: ``articles`` is a window of the list (``first`` is the index of
    its first entry in the whole list of ``total``); ``article`` the article read, whole or the
    part around the position (``offset``: the id of its first sentence, 0 when whole; its
    sentences are numbered from 0 and their offsets are into its own text)."""

    library: str  # Library.key
    folder: str
    total: int
    first: int
    articles: list[ArticleInfo]
    article: Article | None = None
    sha256: str = ""  # of the article's file, when the snapshot was written
    whole: bool = True
    offset: int = 0
    sentence: int = 0  # the current sentence's id in the whole article
    row: int | None = None  # the screen row of its first line in the reader (None: unknown)
    marks: list[Mark] = field(default_factory=list)  # in the whole article's sentence ids

    @property
    def index(self) -> int:
        """The article's index in the whole list, or -1."""
        if self.article is None:
            return -1
        for i, a in enumerate(self.articles):
            if a.id == self.article.id:
                return self.first + i
        return -1

    @property
    def local_sentence(self) -> int:
        return self.sentence - self.offset

    def local_marks(self) -> list[Mark]:
        """The marks that fall inside the kept part, in its own sentence numbers."""
        if self.article is None:
            return []
        count = self.article.sentence_count()
        out = []
        for first, last, tags in self.marks:
            a, b = first - self.offset, last - self.offset
            if b >= 0 and a < count:
                out.append(Mark(max(a, 0), min(b, count - 1), tags))
        return out


def path_for(cache: Path, library_key: str) -> Path:
    return cache / FOLDER / f"{library_key}.json"


# -- reading ---------------------------------------------------------------------------------


class Unusable(ValueError):
    """The snapshot cannot be used; the message says why (for tests and the log)."""


def load(cache: Path, library_key: str, folder: Path) -> Snapshot | None:
    """The snapshot of library ``library_key`` (in ``folder``), or None when there is none that
    can be used (see ``read``)."""
    try:
        return read(path_for(cache, library_key), library_key, folder)
    except Unusable:
        return None


def read(path: Path, library_key: str, folder: Path) -> Snapshot:
    """The snapshot in ``path``; ``Unusable`` saying why it cannot be used."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise Unusable("there is no snapshot") from None
    except OSError as exc:
        raise Unusable(f"the snapshot cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise Unusable("the snapshot is too large")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise Unusable(f"the snapshot is not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION:
        raise Unusable("the snapshot is of another version")
    if data.get("library") != library_key or data.get("folder") != str(folder):
        raise Unusable("the snapshot is of another library")
    try:
        return _from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise Unusable(f"the snapshot is damaged ({type(exc).__name__}: {exc})") from None


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _int(value: object) -> int:
    if type(value) is not int or value < 0:
        raise TypeError(f"{value!r} is not a count")
    return value


def _from_json(data: dict[str, Any]) -> Snapshot:
    articles = [_info(a) for a in data["articles"]]
    snapshot = Snapshot(
        library=_str(data["library"]),
        folder=_str(data["folder"]),
        total=_int(data["total"]),
        first=_int(data["first"]),
        articles=articles,
    )
    if snapshot.first + len(articles) > snapshot.total:
        raise ValueError("more articles than the library holds")
    reading = data.get("reading")
    if reading is None:
        return snapshot
    article = _article(reading["article"])
    snapshot.article = article
    snapshot.sha256 = _str(reading["sha256"])
    snapshot.whole = bool(reading["whole"])
    snapshot.offset = _int(reading["offset"])
    snapshot.sentence = _int(reading["sentence"])
    row = reading.get("row")
    snapshot.row = None if row is None else _int(row)
    count = article.sentence_count()
    if count and not 0 <= snapshot.local_sentence < count:
        raise ValueError("the position is outside the article kept")
    marks = []
    for first, last, tags in reading.get("marks", []):
        _int(first), _int(last)
        marks.append(Mark(first, last, tuple(_str(t) for t in tags)))
    snapshot.marks = marks
    return snapshot


def _info(data: dict[str, Any]) -> ArticleInfo:
    byline = data["byline"]
    return ArticleInfo(
        id=_str(data["id"]),
        path=_str(data["path"]),
        title=_str(data["title"]),
        title_derived=bool(data.get("title_derived", False)),
        byline=None if byline is None else _str(byline),
        sentences=_int(data["sentences"]),
        size=0,
        mtime_ns=0,
        sha256=_str(data["sha256"]),
    )


def _article(data: dict[str, Any]) -> Article:
    """An article from ``_article_json``: offsets checked against its text."""
    text = _str(data["text"])
    n = len(text)
    blocks = []
    number = 0
    for b in data["paragraphs"]:
        start, end = _int(b["start"]), _int(b["end"])
        if not start <= end <= n:
            raise ValueError("a block outside the text")
        sentences = []
        for s_start, s_end in b["sentences"]:
            _int(s_start), _int(s_end)
            if not s_start <= s_end <= n:
                raise ValueError("a sentence outside the text")
            sentences.append(Sentence(number, s_start, s_end, text[s_start:s_end]))
            number += 1
        blocks.append(Block(_str(b["kind"]), start, end, tuple(sentences), _str(b["marker"])))
    header = Article.header_fields(data["header"])
    return Article(**header, text=text, blocks=blocks)


# -- writing ---------------------------------------------------------------------------------


def _info_json(info: ArticleInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "path": info.path,
        "title": info.title,
        "title_derived": info.title_derived,
        "byline": info.byline,
        "sentences": info.sentences,
        "sha256": info.sha256,
    }


def articles_json(articles: list[ArticleInfo], current: str | None) -> str:
    """The ``"articles"``, ``"first"`` and ``"total"`` members for ``articles``: at most
    ``MAX_ARTICLES`` of them, centred on ``current``."""
    total = len(articles)
    at = max(0, place_of(articles, current))
    first = max(0, min(at - MAX_ARTICLES // 2, total - MAX_ARTICLES))
    kept = articles[first : first + MAX_ARTICLES]
    body = json.dumps([_info_json(a) for a in kept], ensure_ascii=False)
    return f'"total": {total}, "first": {first}, "articles": {body}'


def window(article: Article, sentence: int) -> tuple[Article, int]:
    """The part of ``article`` to keep around ``sentence``: the whole article when it is at most
    ``WHOLE_CHARS`` long, else whole blocks around the sentence's, about ``WINDOW_CHARS`` either
    side (a single block longer than that is cut at sentences). Returns the part, as an article
    of its own, and the id of its first sentence."""
    if len(article.text) <= WHOLE_CHARS or not article.blocks:
        return article, 0
    blocks = article.blocks
    ids: list[int] = []  # the id of each block's first sentence
    n = 0
    for block in blocks:
        ids.append(n)
        n += len(block.sentences)
    at = max(0, min(sentence, n - 1)) if n else 0
    here = next(
        (i for i, b in reversed(list(enumerate(blocks))) if ids[i] <= at and b.sentences),
        0,
    )
    lo_b = hi_b = here
    while True:
        grew = False
        if lo_b > 0 and blocks[here].start - blocks[lo_b - 1].start <= WINDOW_CHARS:
            lo_b, grew = lo_b - 1, True
        if hi_b + 1 < len(blocks) and blocks[hi_b + 1].end - blocks[here].end <= WINDOW_CHARS:
            hi_b, grew = hi_b + 1, True
        if not grew:
            break
    chosen = blocks[lo_b : hi_b + 1]
    start, end = chosen[0].start, chosen[-1].end
    first_id = ids[lo_b]
    if end - start > 2 * WINDOW_CHARS + WHOLE_CHARS // 4:  # one huge block: cut at sentences
        sentences = [s for b in chosen for s in b.sentences]
        centre = next((s for s in sentences if s.id >= at), sentences[-1]) if sentences else None
        if centre is not None:
            keep = [
                s for s in sentences if abs(s.start - centre.start) <= WINDOW_CHARS or s is centre
            ]
            start, end, first_id = keep[0].start, keep[-1].end, keep[0].id
            chosen = [
                Block(b.kind, max(b.start, start), min(b.end, end), tuple(k), b.marker)
                for b in chosen
                if (k := [s for s in b.sentences if s in keep])
            ]
    text = article.text[start:end]
    part_blocks = []
    number = 0
    for b in chosen:
        sentences = []
        for s in b.sentences:
            sentences.append(Sentence(number, s.start - start, s.end - start, s.text))
            number += 1
        part_blocks.append(
            Block(b.kind, b.start - start, b.end - start, tuple(sentences), b.marker)
        )
    part = Article(**Article.header_fields(article.header_json()), text=text, blocks=part_blocks)
    return part, first_id


def article_json(part: Article) -> str:
    """An article (or the part of one kept) as the snapshot holds it: sentences by offsets."""
    data = {
        "header": part.header_json(),
        "text": part.text,
        "paragraphs": [
            {
                "kind": b.kind,
                "marker": b.marker,
                "start": b.start,
                "end": b.end,
                "sentences": [[s.start, s.end] for s in b.sentences],
            }
            for b in part.blocks
        ],
    }
    return json.dumps(data, ensure_ascii=False)


@dataclass(slots=True)
class Reading:
    """What is kept of the article being read (its JSON made once per article and window)."""

    article_id: str
    sha256: str
    json: str
    whole: bool
    offset: int
    count: int  # sentences kept

    def holds(self, sentence: int) -> bool:
        """Whether the kept part still has room around ``sentence``: the whole article, or a
        part with the sentence in its middle half (else make it again)."""
        if self.whole:
            return True
        local = sentence - self.offset
        return self.count // 4 <= local < self.count - self.count // 4


def reading_for(article: Article, sha256: str, sentence: int) -> Reading:
    """What to keep of ``article`` (whose file has ``sha256``) read at ``sentence``."""
    part, offset = window(article, sentence)
    return Reading(
        article.id, sha256, article_json(part), part is article, offset, part.sentence_count()
    )


def compose(
    library_key: str,
    folder: Path,
    articles: str,
    reading: Reading | None,
    sentence: int,
    row: int | None,
    marks: list[Mark],
) -> str:
    """The snapshot file's text from its parts (``articles`` from ``articles_json``)."""
    head = json.dumps({"version": SNAPSHOT_VERSION, "library": library_key, "folder": str(folder)})
    parts = [head[:-1], ", ", articles]
    if reading is not None:
        position = json.dumps(
            {
                "sha256": reading.sha256,
                "whole": reading.whole,
                "offset": reading.offset,
                "sentence": sentence,
                "row": row,
                "marks": [[a, b, list(tags)] for a, b, tags in marks],
            }
        )
        parts += [', "reading": ', position[:-1], ', "article": ', reading.json, "}"]
    parts.append("}")
    return "".join(parts)


def save(cache: Path, library_key: str, text: str) -> Path:
    """Write the snapshot atomically (a temporary file beside it, then a rename)."""
    target = path_for(cache, library_key)
    target.parent.mkdir(parents=True, exist_ok=True)

    def write(tmp: Path) -> None:
        tmp.write_text(text, "utf-8")

    write_atomically(target, write)
    return target


def remove(cache: Path, library_key: str) -> None:
    try:
        path_for(cache, library_key).unlink()
    except OSError:
        pass
