"""A library: a folder of articles, its index in the cache directory, and keeping the two in step.

On opening, files are compared with what was indexed by size and modification time first, and by
content hash only where those differ; only changed, added or removed articles are re-indexed.
Files skipped for what they hold (binary, too large, empty) are remembered by size and time too,
and not read again until they change.

Several processes may open one library (two app windows, the command line). Finding out whether
anything changed reads only; changing the index is done under its update lock
(``Engine.updating``), planned again once the lock is held, since the process that held it may
have done the work already.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import threading
import time
import zlib
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from . import formats, paths
from .backend import SearchBackend
from .clean import decode_bytes, not_text
from .engine import Engine, IndexBusy, IndexLost, IndexUnavailable, QueryError, Wait
from .metadata import FIELDS, Corrections
from .model import Article, ArticleInfo, SearchResult
from .textutil import shown_path

__all__ = [
    "ArticleInfo",
    "IndexBusy",
    "IndexLost",
    "IndexUnavailable",
    "Library",
    "QueryError",
    "SourceFile",
    "UpdateReport",
    "Wait",
    "scan",
]

ARTICLE_SUFFIXES = formats.SUFFIXES  # .txt .md .markdown .rst .html .htm .epub .pdf
MAX_DEPTH = 64  # folders inside the library folder, at most: deeper ones are not read (and said)
# A file larger than this is not read (said, and remembered until it changes): a 50 MB article
# takes 400 MB to index; 100 MB is about 800 MB. A larger one is a mistake or an attack.
MAX_FILE_BYTES = 100 * 1024 * 1024
# A plain-text file larger than this is first judged by this many of its first bytes: a 2 GB
# file of zero bytes is then skipped at once instead of after being read (twice: hashed, loaded).
SNIFF_BYTES = 64 * 1024
_SNIFFED = {"text", "markdown", "rst", "html"}  # formats that are text: judged by their start
# Progress of an update: (done, total, file name). Called with done = 0 … total - 1 as files are
# read (the name: the first file to read, then the last one read; files of the slower kinds are
# read several at once), then once (total, total, "") when every file is read and the index is
# being committed; never when there is nothing to read. The update is over when ``update`` returns:
# its UpdateReport is the final state.
Progress = Callable[[int, int, str], None]


class SourceFile(NamedTuple):  # a tuple: made once per file at every look at the folder
    id: str  # the path inside the library folder, without its suffix
    path: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class Skipped:
    """A file left out for what it holds; not read again while its size and time stay."""

    id: str
    path: str  # inside the library folder
    size: int
    mtime_ns: int
    why: str


@dataclass(slots=True)
class UpdateReport:
    """What an update did. It is the final state: the update is over when it is returned."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    # (file, why), every file left out, each update: those remembered from before included
    skipped: list[tuple[str, str]] = field(default_factory=list)
    rebuilt_because: str | None = None  # the index was rebuilt, and why (say it)
    articles: int = 0  # articles in the index afterwards
    # the user's cache folder could not be used: this says so and where the index is instead;
    # set in the one update that made the change (say it once)
    fallback: str | None = None
    waited: float = 0.0  # seconds spent waiting for another process's update to finish

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


def _apply(target: Article | ArticleInfo, fields: dict) -> None:
    for key in FIELDS:
        if key in fields:
            value = fields[key]
            if key == "title":
                if not value:
                    continue  # a title cannot be nothing: the file's stays
                target.title_derived = False
            setattr(target, key, list(value) if key == "authors" else value)


def _corrected(info: ArticleInfo, fields: dict) -> ArticleInfo:
    copy = replace(info, authors=list(info.authors))
    _apply(copy, fields)
    return copy


_IGNORED_START = (".", "#", "~")
_IGNORED_END = ("~", ".bak", ".swp", ".tmp")


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
    found = [SourceFile(i, path, size, mtime) for i, size, mtime, path in _walk(folder, skipped)]
    return _unique_ids(found)


# one level of the walk: the names still to look at, the folder's path with a separator at its
# end, the id prefix of what is in it, the folder opened (None where it could not be)
_Level = tuple[Iterator[str], str, str, int | None]
# a file's stat by its name in its folder, opened once: no path to look up from the root again
# (at 100,000 articles, 220 ms of stat calls where the whole path took 380-510)
_BY_FOLDER = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


def _walk(
    folder: Path, skipped: list[tuple[str, str]] | None = None
) -> Iterator[tuple[str, int, int, str]]:
    """What ``scan`` finds, as (id before ``_unique_ids``, size, mtime_ns, path), as found: a name
    list per folder and a ``stat`` per article file (the start-up check's cost at 100,000
    articles; a folder is looked at with ``lstat`` only if its name is not an article's)."""
    told = skipped if skipped is not None else []
    root = os.fspath(folder)
    stack: list[_Level] = [_level(root, "", told)]
    suffixes, is_reg, stat_of = {s[1:] for s in ARTICLE_SUFFIXES}, stat.S_ISREG, os.stat
    try:
        while stack:
            level, base, prefix, fd = stack[-1]
            for name in level:  # a folder is gone into at once: the files come in path order
                if name.startswith(_IGNORED_START) or name.endswith(_IGNORED_END):
                    continue
                path = base + name
                stem, dot, suffix = name.rpartition(".")
                if dot and (suffix in suffixes or suffix.lower() in suffixes):
                    try:  # follows a link to a file
                        st = stat_of(path) if fd is None else stat_of(name, dir_fd=fd)
                    except (OSError, ValueError):
                        continue
                    if not is_reg(st.st_mode):
                        if stat.S_ISDIR(st.st_mode) and _folder(path, name, stack, prefix, told):
                            break  # a folder named like an article ("notes.txt/")
                        continue
                    if not name.isascii() and not _valid_name(name):
                        told.append(
                            (
                                shown_path(path),
                                "the file's name is not valid UTF-8; rename it to have it read",
                            )
                        )
                        continue
                    yield prefix + stem, st.st_size, st.st_mtime_ns, path
                    continue
                if _folder(path, name, stack, prefix, told):
                    break
            else:
                _close(stack.pop()[3])
    finally:  # the walk left before its end (a change found) closes the folders it opened
        for left in stack:
            _close(left[3])


def _level(directory: str, prefix: str, told: list[tuple[str, str]]) -> _Level:
    fd = None
    if _BY_FOLDER:
        try:
            fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        except (OSError, ValueError):
            fd = None  # the name list says why, if it cannot be read either
    return _names(directory, told), os.path.join(directory, ""), prefix, fd


def _close(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


def _names(directory: str, told: list[tuple[str, str]]) -> Iterator[str]:
    try:
        names = os.listdir(directory)
    except OSError as exc:
        where = shown_path(directory).rstrip("/") + "/"
        told.append((where, f"the folder cannot be read: {exc.strerror or exc}"))
        return iter(())
    names.sort()
    return iter(names)


def _folder(
    path: str, name: str, stack: list[_Level], prefix: str, told: list[tuple[str, str]]
) -> bool:
    """A folder met by the walk (not a link to one) goes on the stack (True: go into it now), or
    is told about; False for anything else."""
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            return False
    except (OSError, ValueError):
        return False
    if not _valid_name(name):
        told.append(
            (
                f"{shown_path(path)}/",
                "the folder's name is not valid UTF-8; rename it to have its articles read",
            )
        )
    elif len(stack) > MAX_DEPTH:
        told.append(
            (f"{shown_path(path)}/", f"folders nested more than {MAX_DEPTH} deep are not read")
        )
    else:
        stack.append(_level(path, f"{prefix}{name}/", told))
        return True
    return False


# When two files of a folder share a name but not a suffix (a.md and a.pdf), the one whose kind
# comes first in formats.FORMATS (.txt, .md, .markdown, .rst, .html, .htm, .epub, .pdf) keeps the
# bare name as its id and the others are known by their whole file name ("a.pdf"). An id
# without a collision is the name without its suffix, as it always was.
_ID_ORDER = {suffix: rank for rank, suffix in enumerate(formats.FORMATS)}


def _unique_ids(found: list[SourceFile]) -> list[SourceFile]:
    if len({f.id for f in found}) == len(found):
        return found
    groups: dict[str, list[SourceFile]] = {}
    for f in found:
        groups.setdefault(f.id, []).append(f)
    taken = set(groups)
    renamed: dict[str, str] = {}  # path -> id
    for article_id, group in groups.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda f: (_ID_ORDER.get(_suffix(f.path).lower(), 99), f.path))
        for f in group[1:]:
            new, n = article_id + _suffix(f.path), 1
            while new in taken:  # "a.pdf" may be the name of "a.pdf.txt" too
                n += 1
                new = f"{article_id}{_suffix(f.path)}-{n}"
            taken.add(new)
            renamed[f.path] = new
    return [f._replace(id=renamed[f.path]) if f.path in renamed else f for f in found]


def _suffix(path: str) -> str:
    return "." + path.rpartition(".")[2]


@dataclass(slots=True)
class _Plan:
    """What a look at the folder found against the manifest, before any file is read."""

    keep: dict[str, ArticleInfo]  # indexed, same size and time
    skip: dict[str, Skipped]  # remembered as skipped, same size and time
    look: list[SourceFile]  # new or changed by size or time: to hash, maybe to read
    removed: list[str]  # indexed, no longer in the folder


def _plan(old: dict[str, ArticleInfo], skips: dict[str, Skipped], files: list[SourceFile]) -> _Plan:
    keep: dict[str, ArticleInfo] = {}
    skip: dict[str, Skipped] = {}
    look: list[SourceFile] = []
    for f in files:
        known = old.get(f.id)
        if known and known.size == f.size and known.mtime_ns == f.mtime_ns:
            keep[f.id] = known
            continue
        was = skips.get(f.id)
        if was and was.size == f.size and was.mtime_ns == f.mtime_ns:
            skip[f.id] = was
            continue
        look.append(f)
    removed = sorted(set(old) - {f.id for f in files})
    return _Plan(keep, skip, look, removed)


def _unusable(folder: Path) -> str | None:
    """Why ``folder`` cannot hold an index (made if missing), or None."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return "a file is where the folder should be"
    except OSError as exc:
        return exc.strerror or str(exc)
    if not folder.is_dir():
        return "a file is where the folder should be"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "it cannot be written"
    return None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def _not_an_article(f: SourceFile) -> str | None:
    """Why the file is not read at all, judged from its size and (plain text larger than
    ``SNIFF_BYTES``) its first bytes, or None: then it is read."""
    if f.size > MAX_FILE_BYTES:
        return (
            f"too large to be read as an article ({_megabytes(f.size)}; at most "
            f"{_megabytes(MAX_FILE_BYTES)})"
        )
    suffix = os.path.splitext(f.path)[1].lower()
    if f.size <= SNIFF_BYTES or formats.FORMATS.get(suffix) not in _SNIFFED:
        return None  # read whole and judged whole when it is loaded
    try:
        with open(f.path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return None  # said when it is read
    text, _warnings = decode_bytes(head)
    return not_text(text)


def _study_builder(index_dir: Path, fresh: bool, work: bool) -> Any:
    """The study store's builder when the update has work for it: articles to index or remove,
    or no store yet (opening the store at every look at the folder would cost its reading)."""
    from .corpus import Builder, study_dir

    if not (work or fresh or not (study_dir(index_dir) / "store.json").exists()):
        return None
    return Builder(index_dir, fresh=fresh)


def _study_commit(library: Library, study: Any, keep: dict[str, str], with_names: bool) -> None:
    """The study store after the index (``corpus.py``), and with a whole build (``with_names``)
    the names list: a cache of the index, so a failure here is not the update's; what is missing
    is made when next asked for. After a few articles changed, the names (computed over the
    whole library: half of an update's time at 10,000 articles) are left to the next asking
    (the Names tab's worker, ``glossator names``), so saving an article is not held by them."""
    from .namelist import names

    try:
        study.commit(keep)
        if with_names:
            names(library)
    except OSError:
        pass


# The stamps: (id, size, mtime_ns) of every file the manifest accounts for, in a small binary
# file written with it, so that the start-up check with nothing changed needs neither the
# manifest's JSON nor an ArticleInfo per article. They name the manifest they were written with
# (its size, time and inode); a manifest written without them (an older Glossator, a write that
# failed) leaves them unused. Layout: magic, a JSON header (the counts, the manifest, the
# skipped files in full), the ids joined by NUL, the sizes and the times as int64, a CRC-32.
STAMPS = "stamps.bin"
_MAGIC = b"GLOSSATOR-STAMPS-1\n"


def _identity(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _write_stamps(
    path: Path,
    manifest_id: list[int] | None,
    manifest: dict[str, ArticleInfo],
    skips: dict[str, Skipped],
) -> None:
    if manifest_id is None:
        path.unlink(missing_ok=True)
        return
    ids = [a.id for a in manifest.values()]
    header = {
        "count": len(ids),
        "manifest": manifest_id,
        "skipped": [asdict(k) for k in skips.values()],
    }
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    names = "\0".join(ids).encode("utf-8", "surrogatepass")
    sizes = array("q", [a.size for a in manifest.values()]).tobytes()
    times = array("q", [a.mtime_ns for a in manifest.values()]).tobytes()
    body = b"".join(
        [len(head).to_bytes(8, "little"), head, len(names).to_bytes(8, "little"), names]
    )
    body += sizes + times
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    tmp.write_bytes(_MAGIC + body + zlib.crc32(body).to_bytes(4, "little"))
    tmp.replace(path)


def _read_stamps(
    path: Path, manifest_id: list[int] | None
) -> tuple[set[tuple[str, int, int]], int, dict[str, Skipped]] | None:
    """The stamps of the files and the skipped files, when they were written with the manifest
    that is there now; else None (read the manifest)."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    if manifest_id is None or not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + 20:
        return None
    body = blob[len(_MAGIC) : -4]
    if zlib.crc32(body) != int.from_bytes(blob[-4:], "little"):
        return None
    try:
        n = int.from_bytes(body[:8], "little")
        header = json.loads(body[8 : 8 + n].decode("utf-8"))
        at = 8 + n
        m = int.from_bytes(body[at : at + 8], "little")
        names = body[at + 8 : at + 8 + m].decode("utf-8", "surrogatepass")
        numbers = array("q")
        numbers.frombytes(body[at + 8 + m :])
        count = header["count"]
        if header["manifest"] != manifest_id or len(numbers) != 2 * count:
            return None
        ids = names.split("\0") if count else []
        skips = {k["id"]: Skipped(**k) for k in header["skipped"]}
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    if len(ids) != count:
        return None
    known = set(zip(ids, numbers[:count], numbers[count:], strict=True))
    known.update((k.id, k.size, k.mtime_ns) for k in skips.values())
    return known, count, skips


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
        self.engine: SearchBackend = Engine(self.index_dir)
        self._manifest: dict[str, ArticleInfo] | None = None
        # the manifest file (size, time, inode) that self._manifest was read from or written as
        self._manifest_id: list[int] | None = None
        self._skips: dict[str, Skipped] = {}
        self._update_lock = threading.Lock()
        self._aliases_stamp: list[tuple[str, int, int]] = []
        # why the index is in a temporary folder, when the cache folder could not be used
        self.fallback: str | None = None
        # a person's metadata corrections, beside the notes in the data folder
        self.corrections = Corrections(paths.data_dir() / "metadata" / f"{self.key}.json")
        self._shown: tuple[object, object, list[ArticleInfo]] | None = None

    @property
    def name(self) -> str:
        return "seed articles" if self.is_seeds else shown_path(self.folder.name)

    # -- the manifest: what is indexed, by file ----------------------------------------------

    def _manifest_path(self) -> Path:
        return self.index_dir / "manifest.json"

    def _load_manifest(
        self,
    ) -> tuple[dict[str, ArticleInfo], dict[str, Skipped], list[int] | None] | None:
        """The indexed articles, the files remembered as skipped and the manifest file's identity
        (taken before reading it: a newer file differs); None when there is no manifest that can
        be read."""
        identity = _identity(self._manifest_path())
        try:
            raw = json.loads(self._manifest_path().read_text("utf-8"))
            articles = {a["id"]: ArticleInfo(**a) for a in raw["articles"]}
            skips = {k["id"]: Skipped(**k) for k in raw.get("skipped", [])}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None
        return articles, skips, identity

    def _save_manifest(self, manifest: dict[str, ArticleInfo], skips: dict[str, Skipped]) -> None:
        data = {
            "folder": shown_path(str(self.folder)),
            "articles": [asdict(a) for a in manifest.values()],
            "skipped": [asdict(k) for k in skips.values()],
        }
        path = self._manifest_path()
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        tmp.replace(path)
        self._manifest, self._skips = manifest, skips
        self._manifest_id = _identity(path)
        with contextlib.suppress(OSError):  # without the stamps, the check reads the manifest
            _write_stamps(self.index_dir / STAMPS, self._manifest_id, manifest, skips)

    def articles(self) -> list[ArticleInfo]:
        """The indexed articles in library order (by file path), the person's metadata
        corrections applied (the manifest keeps what the files say)."""
        if self._manifest is None:
            loaded = self._load_manifest()
            self._manifest, self._skips, self._manifest_id = loaded or ({}, {}, None)
        manifest, version = self._manifest, self.corrections.version()
        if self._shown is not None and self._shown[0] is manifest and self._shown[1] == version:
            return list(self._shown[2])
        corrections = self.corrections.all()
        shown = [
            _corrected(a, corrections[a.id]) if a.id in corrections else a
            for a in sorted(manifest.values(), key=lambda a: a.path)
        ]
        self._shown = (manifest, version, shown)
        return list(shown)

    def info(self, article_id: str) -> ArticleInfo | None:
        """One article's entry in ``articles()`` (corrections applied), or None."""
        return next((a for a in self.articles() if a.id == article_id), None)

    # -- metadata corrections ----------------------------------------------------------------

    def found_metadata(self, article_id: str) -> dict | None:
        """The metadata as the article's file gives it, before any correction."""
        self.articles()  # the manifest, read when first needed
        assert self._manifest is not None
        info = self._manifest.get(article_id)
        return info.metadata() if info is not None else None

    def set_metadata(
        self, article_id: str, changes: dict, unset: Iterable[str] = ()
    ) -> ArticleInfo | None:
        """Correct fields of an article's metadata (``metadata.FIELDS``; values checked by
        ``metadata.parse_value``) and drop corrections (``unset``). Kept in the data folder,
        used at once by ``articles``, ``article``, ``search`` and citations. Writes one small
        file: fine on any thread, but not on the event loop of a busy app. Raises
        ``metadata.MetadataError`` for an unknown field or a file that cannot be written."""
        self.corrections.update(article_id, changes, unset)
        self._shown = None
        return self.info(article_id)

    def known_files(self) -> frozenset[tuple[str, int, int]]:
        """(id, size, mtime_ns) of every file the last update accounted for: the articles and
        the files remembered as skipped. A look at the folder (``scan``) that finds the same
        needs no update."""
        self.articles()
        return frozenset(
            [(a.id, a.size, a.mtime_ns) for a in (self._manifest or {}).values()]
            + [(k.id, k.size, k.mtime_ns) for k in self._skips.values()]
        )

    # -- keeping the index in step -----------------------------------------------------------

    def needs_update(self) -> str | None:
        """Why ``update`` should run now though no file changed, or None: the index was found
        damaged, or deleted or replaced under this process. Cheap (one ``stat``)."""
        if self.engine.damaged:
            return "the index was found damaged"
        return self.engine.lost()

    def update(
        self, progress: Progress | None = None, rebuild: bool = False, wait: Wait | None = None
    ) -> UpdateReport:
        """Bring the index in step with the folder; only what changed is re-indexed.

        When another process is updating the index, ``wait(seconds)`` is asked, every tenth of
        a second, whether to go on waiting for it (without ``wait``: up to 10 s); ``IndexBusy``
        when the waiting ends. Then the update is planned again: the other process has usually
        done the work. ``IndexUnavailable`` (one sentence) when the index cannot be written.
        """
        with self._update_lock:
            if not self.folder.is_dir():
                raise IndexUnavailable(
                    f"the library folder {shown_path(str(self.folder))} does not exist"
                )
            fallback = self._usable_index_dir()
            try:
                report = None if rebuild else self._up_to_date()
                if report is None:
                    started = time.monotonic()
                    with self.engine.updating(wait):
                        waited = time.monotonic() - started
                        report = self._update(progress, rebuild)
                    report.waited = waited
            except OSError as exc:
                raise IndexUnavailable(
                    f"the index in {shown_path(str(self.index_dir))} could not be written: "
                    f"{exc.strerror or exc}"
                ) from exc
            report.fallback = fallback
            return report

    def _usable_index_dir(self) -> str | None:
        """Move to a temporary index when the cache folder cannot be used (read-only, a file
        where the folder should be); the sentence saying so, the first time, else None."""
        if self.fallback is not None:
            return None
        problem = _unusable(self.index_dir)
        if problem is None:
            return None
        temporary = paths.temporary_cache_dir() / "index" / self.key
        also = _unusable(temporary)
        shown = shown_path(str(self.index_dir))
        if also is not None:
            raise IndexUnavailable(
                f"the index folder {shown} cannot be used ({problem}), nor a temporary one in "
                f"{shown_path(str(temporary))} ({also})"
            )
        self.engine.close()
        self.index_dir = temporary
        self.engine = Engine(temporary)
        self._manifest, self._skips = None, {}
        self.fallback = (
            f"the index folder {shown} cannot be used ({problem}); using a temporary index in "
            f"{shown_path(str(temporary))}"
        )
        return self.fallback

    def _up_to_date(self) -> UpdateReport | None:
        """The report of an update with nothing to do, found without writing anything (so with
        no lock); None when there is something to do."""
        engine = self.engine
        if engine.damaged or engine.lost() or engine.problem() is not None:
            return None
        if engine.open_existing() is not None:
            return None
        now = _identity(self._manifest_path())
        stamps = _read_stamps(self.index_dir / STAMPS, now)
        if stamps is not None:  # the files as the manifest has them, read without it
            return self._unchanged(now, *stamps)
        loaded = self._load_manifest()
        if loaded is None:
            return None
        old, skips, read_id = loaded
        if not old and engine.doc_count():
            return None
        report = UpdateReport()
        files = scan(self.folder, report.skipped)
        plan = _plan(old, skips, files)
        if plan.look or plan.removed or len(plan.skip) != len(skips):
            return None
        self._tell_skips(plan.skip, report)
        report.unchanged = report.articles = len(old)
        self._manifest, self._skips, self._manifest_id = old, skips, read_id
        with contextlib.suppress(OSError):  # the next check reads these instead
            _write_stamps(self.index_dir / STAMPS, read_id, old, skips)
        return report

    def _unchanged(
        self,
        manifest_id: list[int] | None,
        known: set[tuple[str, int, int]],
        count: int,
        skips: dict[str, Skipped],
    ) -> UpdateReport | None:
        """The report of a look at the folder that finds every file as the stamps have it, or
        None. The manifest is read when its articles are first asked for."""
        if not count and self.engine.doc_count():
            return None
        report = UpdateReport()
        seen = 0
        # the walk of scan, without its SourceFiles: a file's id as found is its id, unless two
        # files share a name; then one of them is not in the stamps as found, and the whole
        # look is made (two stamps never share an id)
        for found in _walk(self.folder, report.skipped):
            if found[:3] not in known:
                return None
            seen += 1
        if seen != len(known):
            return None
        self._tell_skips(skips, report)
        report.unchanged = report.articles = count
        if self._manifest_id != manifest_id:  # not read yet, or another process's update since
            self._manifest, self._manifest_id = None, None  # read when first asked for
        self._skips = skips
        return report

    def _tell_skips(self, skips: dict[str, Skipped], report: UpdateReport) -> None:
        for k in skips.values():
            report.skipped.append((shown_path(str(self.folder / k.path)), k.why))

    def _update(self, progress: Progress | None, rebuild: bool) -> UpdateReport:
        """The update itself, under the update lock."""
        report = UpdateReport()
        engine = self.engine
        lost = engine.lost()
        clear = False  # rebuild by replacing every article at the commit: readers keep the old
        if engine.damaged:
            engine.rebuild()
            report.rebuilt_because = "the index was found damaged"
        else:
            reason = engine.open()
            report.rebuilt_because = lost if reason == "new" else reason
        loaded = None if report.rebuilt_because or rebuild else self._load_manifest()
        old, skips, read_id = loaded or ({}, {}, None)
        if rebuild and not report.rebuilt_because:
            report.rebuilt_because = "a rebuild was asked for"
            clear = True
        elif not old and engine.doc_count():  # a manifest lost beside a full index
            report.rebuilt_because = report.rebuilt_because or "the index manifest was missing"
            clear = True
        files = scan(self.folder, report.skipped)
        plan = _plan(old, skips, files)
        self._tell_skips(plan.skip, report)
        new: dict[str, ArticleInfo] = dict(plan.keep)
        new_skips: dict[str, Skipped] = dict(plan.skip)
        report.removed = list(plan.removed)

        def skip(f: SourceFile, why: str, remember: bool = True) -> None:
            report.skipped.append((shown_path(f.path), why))
            if remember:
                rel = os.path.relpath(f.path, self.folder).replace(os.sep, "/")
                new_skips[f.id] = Skipped(f.id, shown_path(rel), f.size, f.mtime_ns, why)

        todo: list[tuple[SourceFile, str]] = []
        for f in plan.look:
            known = old.get(f.id)
            why = _not_an_article(f)
            if why is not None:
                skip(f, why)
                if known:
                    report.removed.append(f.id)
                continue
            try:
                digest = _sha256(f.path)
            except OSError as exc:  # not remembered: a permission may be given back
                skip(f, f"cannot be read: {exc.strerror or exc}", remember=False)
                if known:
                    new[f.id] = known  # still indexed as it was, until it can be read
                continue
            if known and known.sha256 == digest:  # touched, not changed
                new[f.id] = replace(known, mtime_ns=f.mtime_ns, size=f.size)
                continue
            todo.append((f, digest))
        report.unchanged = len(new)
        report.removed.sort()
        study = _study_builder(
            engine.directory, bool(report.rebuilt_because), bool(todo or report.removed or clear)
        )

        def articles() -> Generator[Article, None, None]:
            # the slower kinds are read by a pool of processes when there are many of them
            jobs = [(Path(f.path), f.id) for f, _ in todo]
            if progress and todo:
                progress(0, len(todo), os.path.basename(todo[0][0].path))
            # the pool's workers end with this, the update finished or not
            with contextlib.closing(formats.read_many(jobs)) as reads:
                for done, (i, article) in enumerate(reads, 1):
                    f, digest = todo[i]
                    if progress and done < len(todo):
                        progress(done, len(todo), os.path.basename(f.path))
                    if not isinstance(article, Article):  # the ValueError or OSError of reading
                        skip(f, shown_path(str(article)), remember=isinstance(article, ValueError))
                        if f.id in old:
                            report.removed.append(f.id)
                            gone.append(f.id)
                        continue
                    article.path = shown_path(article.path)  # a folder not named in UTF-8
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
                    if study is not None:
                        study.add(article, digest)
                    yield article
            if progress and todo:
                progress(len(todo), len(todo), "")

        gone: list[str] = []  # articles whose file became unreadable: removed after the others
        if todo or report.removed or clear:
            put = articles()
            try:
                engine.write(put, delete=report.removed, expected=len(todo), clear=clear)
            finally:
                put.close()  # a failed write: the files still being read are given up
        if gone:
            engine.write([], delete=gone)
        if todo or report.removed or new != old or new_skips != skips or loaded is None:
            self._save_manifest(new, new_skips)
        else:
            self._manifest, self._skips, self._manifest_id = new, new_skips, read_id
        if study is not None and (todo or report.removed or clear or study.stale):
            whole = not old or clear or len(todo) > len(old) // 2
            _study_commit(self, study, {a.id: a.sha256 for a in self.articles()}, whole)
        report.articles = len(new)
        return report

    # -- reading -----------------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        """The article as indexed, the person's metadata corrections applied."""
        article = self.engine.article(article_id)
        if article is not None:
            fields = self.corrections.get(article_id)
            if fields:
                _apply(article, fields)
        return article

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
        path = self.folder / info.path
        try:
            if path.stat().st_size > MAX_FILE_BYTES:  # grown since it was indexed
                return None
            return formats.original(path, info.id)
        except (OSError, ValueError):
            return None

    def search(self, text: str, limit: int | None = None, count: bool = True) -> SearchResult:
        """See ``Engine.search``: with ``count=False``, only the first ``limit`` sentences.
        Titles are the corrected ones where the person corrected them."""
        self.sync_aliases()
        result = self.engine.search(text, limit=limit, count=count)
        corrections = self.corrections.all()
        titles = {k: v["title"] for k, v in corrections.items() if v.get("title")}
        if titles:
            result.hits = [
                replace(h, title=titles[h.article_id]) if h.article_id in titles else h
                for h in result.hits
            ]
            result.articles = [(i, titles.get(i, t), n) for i, t, n in result.articles]
        return result

    def sync_aliases(self) -> None:
        """Give the engine the ``[aliases]`` of themes.toml and of the person's themes file,
        read again when either file changes (two stats a search otherwise)."""
        from .namelist import load_aliases
        from .themes import CURATED_FILE, user_themes_path

        stamp = []
        for path in (self.folder / CURATED_FILE, user_themes_path(self)):
            try:
                st = path.stat()
                stamp.append((str(path), st.st_mtime_ns, st.st_size))
            except OSError:
                stamp.append((str(path), 0, 0))
        if stamp != self._aliases_stamp or self.engine.aliases_of is not self:
            self.engine.set_aliases(load_aliases(self)[0])
            self.engine.aliases_of = self
            self._aliases_stamp = stamp

    def close(self) -> None:
        self.engine.close()
