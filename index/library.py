"""A library: a folder of articles, its index in the cache directory, and keeping the two in step.

On opening, files are compared with what was indexed by size and modification time first, and by
content hash only where those differ; only changed, added or removed articles are re-indexed.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import formats, paths
from .engine import Engine, IndexUnavailable, QueryError
from .model import Article, SearchResult
from .textutil import shown_path

__all__ = [
    "ArticleInfo",
    "IndexUnavailable",
    "Library",
    "QueryError",
    "SourceFile",
    "UpdateReport",
    "scan",
]

ARTICLE_SUFFIXES = formats.SUFFIXES  # .txt .md .markdown .rst .html .htm .epub .pdf
MAX_DEPTH = 64  # folders inside the library folder, at most: deeper ones are not read (and said)
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class SourceFile:
    id: str  # the path inside the library folder, without its suffix
    path: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class ArticleInfo:
    """What the article list needs, kept in the manifest so listing never opens the index."""

    id: str
    path: str
    title: str
    title_derived: bool
    byline: str | None
    sentences: int
    size: int
    mtime_ns: int
    sha256: str
    warnings: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    format: str = "text"

    def metadata(self) -> dict:
        """The citation metadata, as ``list --json`` gives it."""
        return {
            "title": self.title,
            "title_derived": self.title_derived,
            "authors": list(self.authors),
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
            "format": self.format,
        }


@dataclass(slots=True)
class UpdateReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    rebuilt_because: str | None = None

    @property
    def did_work(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        parts = []
        for label, items in (
            ("added", self.added),
            ("changed", self.changed),
            ("removed", self.removed),
        ):
            if items:
                parts.append(f"{len(items)} {label}")
        parts.append(f"{self.unchanged} unchanged")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return ", ".join(parts)


def _ignored(name: str) -> bool:
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".bak", ".swp", ".tmp"))


def _valid_name(name: str) -> bool:
    """False for a name whose bytes are not UTF-8 (Python gives it with surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def scan(folder: Path, skipped: list[tuple[str, str]] | None = None) -> list[SourceFile]:
    """Article files under ``folder``, recursively, in path order.

    Regular files only (a FIFO or a device named like an article would block the reader);
    hidden files and folders and editor backups are left out; links to folders are not followed.
    The walk keeps its own stack (no recursion) and goes at most ``MAX_DEPTH`` folders deep. What
    is left out for a reason the person should hear is added to ``skipped`` as (path, why), the
    path shown safely: a folder that cannot be read or is too deep, a file or folder whose name
    is not valid UTF-8 (it could not be stored, searched or shown).
    """
    found: list[SourceFile] = []
    told = skipped if skipped is not None else []

    def entries(directory: str) -> Iterator[os.DirEntry[str]]:
        try:
            with os.scandir(directory) as it:
                listed = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            where = shown_path(directory).rstrip("/") + "/"
            told.append((where, f"the folder cannot be read: {exc.strerror or exc}"))
            return iter(())
        return iter(listed)

    # each level: (its entries still to look at, the id prefix of what is in it)
    stack: list[tuple[Iterator[os.DirEntry[str]], str]] = [(entries(os.fspath(folder)), "")]
    while stack:
        level, prefix = stack[-1]
        entry = next(level, None)
        if entry is None:
            stack.pop()
            continue
        name = entry.name
        if _ignored(name):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if is_dir:
            if not _valid_name(name):
                told.append(
                    (f"{shown_path(entry.path)}/", "the folder's name is not valid UTF-8; "
                     "rename it to have its articles read")
                )
            elif len(stack) > MAX_DEPTH:
                told.append(
                    (f"{shown_path(entry.path)}/", f"folders nested more than {MAX_DEPTH} deep "
                     "are not read")
                )
            else:
                stack.append((entries(entry.path), f"{prefix}{name}/"))
            continue
        stem, dot, suffix = name.rpartition(".")
        if not dot or f".{suffix.lower()}" not in ARTICLE_SUFFIXES:
            continue
        if not _valid_name(name):
            told.append(
                (shown_path(entry.path), "the file's name is not valid UTF-8; rename it to have "
                 "it read")
            )
            continue
        try:
            st = entry.stat()  # follows a link to a file
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            found.append(SourceFile(prefix + stem, entry.path, st.st_size, st.st_mtime_ns))
    return found


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Library:
    """One folder of articles and everything Glossator keeps about it."""

    def __init__(self, folder: Path | None = None, cache: Path | None = None) -> None:
        self.folder = (folder or paths.seeds_dir()).expanduser().resolve()
        self.is_seeds = folder is None
        self.key = paths.library_key(self.folder)
        self.index_dir = (cache or paths.cache_dir()) / "index" / self.key
        self.engine = Engine(self.index_dir)
        self._manifest: dict[str, ArticleInfo] | None = None
        self._update_lock = threading.Lock()

    @property
    def name(self) -> str:
        return "seed articles" if self.is_seeds else shown_path(self.folder.name)

    # -- the manifest: what is indexed, by file ----------------------------------------------

    def _manifest_path(self) -> Path:
        return self.index_dir / "manifest.json"

    def _load_manifest(self) -> dict[str, ArticleInfo]:
        try:
            raw = json.loads(self._manifest_path().read_text("utf-8"))
            return {a["id"]: ArticleInfo(**a) for a in raw["articles"]}
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def _save_manifest(self, manifest: dict[str, ArticleInfo]) -> None:
        data = {"folder": shown_path(str(self.folder)), "articles": [asdict(a) for a in manifest.values()]}
        tmp = self._manifest_path().with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        tmp.replace(self._manifest_path())
        self._manifest = manifest

    def articles(self) -> list[ArticleInfo]:
        """The indexed articles in library order (by file path)."""
        if self._manifest is None:
            self._manifest = self._load_manifest()
        return sorted(self._manifest.values(), key=lambda a: a.path)

    # -- keeping the index in step -----------------------------------------------------------

    def update(self, progress: Progress | None = None, rebuild: bool = False) -> UpdateReport:
        """Bring the index in step with the folder; only what changed is re-indexed."""
        with self._update_lock:
            return self._update(progress, rebuild)

    def _update(self, progress: Progress | None, rebuild: bool) -> UpdateReport:
        report = UpdateReport()
        if not self.folder.is_dir():
            raise IndexUnavailable(f"the library folder {self.folder} does not exist")
        if rebuild or self.engine.damaged:
            reason = "a rebuild was asked for" if rebuild else "the index was found damaged"
            self.engine.rebuild()
            report.rebuilt_because = reason
        else:
            self.engine.open()
            report.rebuilt_because = self.engine.rebuilt_because
        old = {} if report.rebuilt_because else self._load_manifest()
        if not old and self.engine.doc_count():
            self.engine.rebuild()  # a manifest lost beside a full index: start clean
            report.rebuilt_because = report.rebuilt_because or "the index manifest was missing"
        files = scan(self.folder, report.skipped)
        new: dict[str, ArticleInfo] = {}
        todo: list[tuple[SourceFile, str]] = []
        for f in files:
            known = old.get(f.id)
            if known and known.size == f.size and known.mtime_ns == f.mtime_ns:
                new[f.id] = known
                continue
            try:
                digest = _sha256(f.path)
            except OSError as exc:
                report.skipped.append((shown_path(f.path), f"cannot be read: {exc.strerror or exc}"))
                continue
            if known and known.sha256 == digest:  # touched, not changed
                new[f.id] = replace(known, mtime_ns=f.mtime_ns, size=f.size)
                continue
            todo.append((f, digest))
        report.unchanged = len(new)
        report.removed = sorted(set(old) - {f.id for f in files})

        def articles() -> Iterator[Article]:
            for done, (f, digest) in enumerate(todo):
                if progress:
                    progress(done, len(todo), os.path.basename(f.path))
                try:
                    article = formats.load_article(Path(f.path), f.id)
                except (ValueError, OSError) as exc:
                    report.skipped.append((shown_path(f.path), shown_path(str(exc))))
                    if f.id in old:
                        report.removed.append(f.id)
                        gone.append(f.id)
                    continue
                article.path = shown_path(article.path)  # a library folder not named in UTF-8
                (report.changed if f.id in old else report.added).append(f.id)
                new[f.id] = ArticleInfo(
                    id=f.id,
                    path=os.path.relpath(f.path, self.folder).replace(os.sep, "/"),
                    title=article.title,
                    title_derived=article.title_derived,
                    byline=article.byline,
                    sentences=article.sentence_count(),
                    size=f.size,
                    mtime_ns=f.mtime_ns,
                    sha256=digest,
                    warnings=list(article.warnings),
                    authors=list(article.authors),
                    outlet=article.outlet,
                    published=article.published,
                    url=article.url,
                    format=article.format,
                )
                yield article
            if progress:
                progress(len(todo), len(todo), "")

        gone: list[str] = []  # articles whose file became unreadable: removed after the others
        if todo or report.removed:
            self.engine.write(articles(), delete=report.removed, expected=len(todo))
        if gone:
            self.engine.write([], delete=gone)
        if todo or report.removed or new != old or not self._manifest_path().exists():
            self._save_manifest(new)
        else:
            self._manifest = new
        return report

    # -- reading -----------------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        return self.engine.article(article_id)

    def original(self, article_id: str) -> str | None:
        """The article's file as it was read, before any repair, site chrome included (for a
        web page, an EPUB or a PDF: the text taken out of it). See ``original_view``."""
        view = self.original_view(article_id)
        return view.text if view is not None else None

    def original_view(self, article_id: str) -> formats.Original | None:
        """``original`` with the (start, end) offsets of what was removed (site chrome,
        navigation, running headers, front matter), and whether the text was extracted from the
        file rather than being the file. Reads (and for a PDF, parses) the file again: call it
        off the event loop. None when the article or its file is gone."""
        info = next((a for a in self.articles() if a.id == article_id), None)
        if info is None:
            return None
        try:
            return formats.original(self.folder / info.path, info.id)
        except (OSError, ValueError):
            return None

    def search(self, text: str, limit: int | None = None, count: bool = True) -> SearchResult:
        """See ``Engine.search``: with ``count=False``, only the first ``limit`` sentences."""
        return self.engine.search(text, limit=limit, count=count)

    def close(self) -> None:
        self.engine.close()
