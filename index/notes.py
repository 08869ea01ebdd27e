"""Notes tied to sentences, kept in SQLite in the user's data folder.

One file, ``notes.sqlite3``, holds the notes of every library; a note belongs to one library (its
``Library.key``) and is never shown in another. A note quotes one sentence or a run of
consecutive sentences and remembers where they were (see ``index.anchor``); when its article
changes, ``reanchor`` finds the passage again, or marks the note orphaned. Re-anchoring never
deletes a note, and an orphan keeps its quote.

Safety: the database is in WAL mode with a busy timeout, so two Glossator processes can write at
once; every write is one ``BEGIN IMMEDIATE`` transaction with ``synchronous=FULL``, so a note is on
disk when ``add`` returns. The schema version lives in ``PRAGMA user_version`` and ``MIGRATIONS``
brings an older file up to date, after taking a backup copy of it; a migration that would leave
fewer notes than it found is undone. The file is created 0600, its folder 0700.

A damaged file (checked with ``PRAGMA quick_check`` before anything is written to it) raises
``NoteStoreCorrupt``, naming the file, and is never written to. ``NoteStore.recover`` is the way
out, only when the person asks for it: it renames the damaged file (with its ``-wal`` journal) to
``notes.sqlite3.corrupt-<time>``, beside it, opens a fresh store and copies into it every note
that can still be read from the damaged copy, which is left as it is. A full disk or a folder
that cannot be written is a ``NoteStoreError`` saying so; nothing half-written is kept.

Deleting is soft (``deleted`` holds the time), so ``restore`` can undo it, after a restart too;
``recently_deleted`` lists what can be brought back.

Schema 2 adds, for the study loop: highlights (``kind = 'highlight'``: a note with no text, with
the same anchoring, re-anchoring and orphan rules), labels (a codebook in ``labels``, any number
per note in ``note_labels``), links (``[[004 §7]]`` in a note's text, each one an anchor of its
own in ``links``, re-anchored like notes), and the review schedule (``cards``, one row per
reviewed note, and ``reviews``, every rating ever given; see ``index.review``).

Two processes, one file. Each note has a ``version`` that every change of its text raises. An
editor that opened a note at version v saves with ``update(id, text, expected_version=v)``: if the
note has changed since, the stored text stays and the new one is kept beside it as a conflict
copy (``conflict_of`` names the note), so neither is lost; a note deleted meanwhile is brought
back by the edit (``save`` says which happened). ``change_token`` is a cheap way to notice that
another process wrote (SQLite's ``data_version``). Before each write the store checks that the
file is still the one it opened (device and inode): a notes file deleted or replaced under it is
noticed, a fresh one is written with everything this process can still read from the old one, and
``notices`` says so. A file that is not a Glossator notes file (another program's database) is
recognised, set aside once as ``notes.sqlite3.foreign-<time>`` and a fresh file started. A folder
or disk that cannot be written does not stop reading: ``NoteStore.snapshot`` reads the notes into
memory, where listing and exporting work as usual and nothing is written to disk.

Threads: one ``NoteStore`` may be shared by any number of threads (one connection behind a lock;
each call is atomic). Every method may be called from a worker thread.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import hashlib
import json
import os
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from . import anchor, paths
from .model import Article
from .textutil import neutralise, shown_path

__all__ = [
    "COLOURS",
    "HIGHLIGHT",
    "KINDS",
    "MIGRATIONS",
    "NOTE",
    "STATUSES",
    "Backlink",
    "Label",
    "Link",
    "Note",
    "NoteError",
    "NoteNotFound",
    "NoteStore",
    "NoteStoreCorrupt",
    "NoteStoreError",
    "Saved",
    "default_path",
    "parse_links",
    "parse_tags",
    "text_hash",
]

FILE_NAME = "notes.sqlite3"
BUSY_TIMEOUT_MS = 10_000
STATUSES = (anchor.ANCHORED, anchor.MOVED, anchor.ORPHANED)
NOTE, HIGHLIGHT = "note", "highlight"
KINDS = (NOTE, HIGHLIGHT)
UNRESOLVED = "unresolved"  # a link whose article or sentence was not found when it was written
COLOURS = ("red", "orange", "yellow", "green", "blue", "purple", "grey")
APPLICATION_ID = 0x474C5353  # "GLSS" in the file header: this is a Glossator notes file
DELETED_KEPT_DAYS = 30  # recently_deleted looks this far back by default
_POSITION_LIMIT = 1 << 62  # offsets beyond this are nonsense (and beyond SQLite's integers)

# "#supply", "#supply-chain", "#café"; not "C#", "a#b", "&#39;" or a bare number ("#1").
_TAG = re.compile(r"(?<![\w&#/])#(\w+(?:[-_]\w+)*)")
# "[[004 §7]]", "[[notes/a §3-5]]", "[[004 § 7–9]]": an article id (or prefix) and §N from 1.
_LINK = re.compile(r"\[\[\s*([^\[\]§]*?)\s*§\s*(\d{1,9})(?:\s*[-–]\s*(\d{1,9}))?\s*\]\]")


class NoteError(ValueError):
    """A note that cannot be made as asked: no text, a sentence that is not there."""


class NoteNotFound(LookupError):
    """No note has this id."""


class NoteStoreError(Exception):
    """The notes file cannot be used: damaged, made by a newer version, locked too long, on a
    full disk or in a folder that cannot be written. The message names the file."""


class NoteStoreCorrupt(NoteStoreError):
    """The notes file is damaged (or is not a notes database). It has not been written to;
    ``path`` is where it is. ``NoteStore.recover(path)`` sets it aside and starts afresh."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True, slots=True)
class Link:
    """A ``[[article §N]]`` in a note's text: where it points, kept as an anchor of its own."""

    id: str
    note_id: str
    position: int  # its order among the note's links
    ref: str  # as written between the brackets, normalised: "004 §7"
    library: str
    article_id: str  # the article found for the ref (the ref's own text when unresolved)
    article_hash: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    sentence_id: int | None
    last_sentence_id: int | None
    status: str  # "anchored" | "moved" | "orphaned" | "unresolved"

    @property
    def selector(self) -> anchor.Selector:
        return anchor.Selector(self.exact, self.prefix, self.suffix, self.start, self.end)

    def to_json(self) -> dict:
        """For output: sentences numbered from 1 (§N), as people see them."""
        return {
            "ref": self.ref,
            "article_id": self.article_id,
            "sentence": None if self.sentence_id is None else self.sentence_id + 1,
            "last_sentence": None if self.last_sentence_id is None else self.last_sentence_id + 1,
            "quote": self.exact,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class Label:
    """One entry of the person's codebook: a name, a colour (``COLOURS``), a key 1-9 or None."""

    id: str
    name: str
    colour: str
    key: int | None
    created: str

    def to_json(self) -> dict:
        return {"name": self.name, "colour": self.colour, "key": self.key}


@dataclass(frozen=True, slots=True)
class Backlink:
    """A link pointing at a sentence, with the note it is written in."""

    link: Link
    note: Note


@dataclass(frozen=True, slots=True)
class Saved:
    """What ``NoteStore.save`` did: ``note`` holds the text saved (the conflict copy, when
    ``conflict``); ``was_deleted``: the note had been deleted meanwhile and is back."""

    note: Note
    conflict: bool = False
    was_deleted: bool = False


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    library: str  # Library.key
    article_id: str
    article_hash: str  # sha256 of the Article.text the selector refers to ("" once vanished)
    exact: str  # the quoted sentence(s)
    prefix: str  # up to 32 characters of article text before the quote
    suffix: str  # ... and after it
    start: int  # offsets into Article.text
    end: int
    sentence_id: int | None  # first sentence of the run; None for an orphan
    last_sentence_id: int | None
    text: str
    tags: tuple[str, ...]
    status: str  # "anchored" | "moved" | "orphaned"
    created: str  # ISO 8601, UTC
    updated: str
    deleted: str | None = None
    kind: str = NOTE  # "note" | "highlight" (a highlight has no text)
    version: int = 1  # raised by every change of the text
    conflict_of: str | None = None  # a conflict copy: the id of the note it was saved over
    labels: tuple[str, ...] = ()  # label names
    links: tuple[Link, ...] = ()

    @property
    def quote(self) -> str:
        return self.exact

    @property
    def orphaned(self) -> bool:
        return self.status == anchor.ORPHANED

    @property
    def selector(self) -> anchor.Selector:
        return anchor.Selector(self.exact, self.prefix, self.suffix, self.start, self.end)

    @property
    def is_highlight(self) -> bool:
        return self.kind == HIGHLIGHT

    def to_json(self) -> dict:
        data = asdict(self)
        data["tags"] = list(self.tags)
        data["labels"] = list(self.labels)
        data["links"] = [link.to_json() for link in self.links]
        return data


def default_path() -> Path:
    return paths.data_dir() / FILE_NAME


def text_hash(text: str) -> str:
    """The hash a note keeps of its article's text: sha256 of ``Article.text``."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def parse_tags(text: str) -> tuple[str, ...]:
    """The words starting with ``#`` in ``text``, without the ``#``: unique, in order."""
    seen: set[str] = set()
    tags: list[str] = []
    for match in _TAG.finditer(text):
        tag = match.group(1)
        if tag.isdigit() or tag.casefold() in seen:
            continue
        seen.add(tag.casefold())
        tags.append(tag)
    return tuple(tags)


def parse_links(text: str) -> list[tuple[str, str, int, int]]:
    """The ``[[article §N]]`` links in ``text``: (ref, article part, first §, last §), in order.

    ``ref`` is the link normalised ("004 §7", "004 §7-9"); sentences are numbered from 1, as
    written. A link written twice counts once.
    """
    found: list[tuple[str, str, int, int]] = []
    seen: set[str] = set()
    for match in _LINK.finditer(text):
        article_part = " ".join(match.group(1).split())
        first = int(match.group(2))
        last = int(match.group(3)) if match.group(3) else first
        ref = f"{article_part} §{first}" + (f"-{last}" if last != first else "")
        if ref not in seen:
            seen.add(ref)
            found.append((ref, article_part, first, last))
    return found


def iso(moment: datetime) -> str:
    """A time as the store writes it: ISO 8601 in UTC to the millisecond, ending in Z (so that
    stored times compare as strings)."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _now() -> str:
    return iso(datetime.now(UTC))


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise NoteError("a note's text must be text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise NoteError(
            f"the note's text holds a character that is not valid Unicode "
            f"(position {exc.start}, {text[exc.start]!r}); nothing was saved"
        ) from exc
    return text


def _clean_text(text: str, kind: str = NOTE) -> str:
    text = _check_text(text)
    if kind not in KINDS:
        raise NoteError(f"a note is a note or a highlight, not {kind!r}")
    if kind == NOTE and not text.strip():
        raise NoteError("a note needs some text")
    return text.strip()


# -- schema -----------------------------------------------------------------------------------


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE libraries (
            key TEXT PRIMARY KEY,
            created TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE notes (
            id TEXT PRIMARY KEY,
            library TEXT NOT NULL REFERENCES libraries(key),
            article_id TEXT NOT NULL,
            article_hash TEXT NOT NULL,
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" >= start),
            sentence_id INTEGER,
            last_sentence_id INTEGER,
            text TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL CHECK (status IN ('anchored', 'moved', 'orphaned')),
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted TEXT
        )"""
    )
    conn.execute("CREATE INDEX notes_by_article ON notes (library, article_id)")


def _v2(conn: sqlite3.Connection) -> None:
    """Highlights, labels, links, the review schedule, versions and conflict copies."""
    conn.execute(
        "ALTER TABLE notes ADD COLUMN kind TEXT NOT NULL DEFAULT 'note' "
        "CHECK (kind IN ('note', 'highlight'))"
    )
    conn.execute("ALTER TABLE notes ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
    conn.execute("ALTER TABLE notes ADD COLUMN conflict_of TEXT")
    conn.execute("ALTER TABLE libraries ADD COLUMN folder TEXT")
    conn.execute(
        """CREATE TABLE labels (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            colour TEXT NOT NULL,
            key INTEGER UNIQUE CHECK (key BETWEEN 1 AND 9),
            created TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE note_labels (
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            label_id TEXT NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
            PRIMARY KEY (note_id, label_id)
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX note_labels_by_label ON note_labels (label_id)")
    conn.execute(
        """CREATE TABLE links (
            id TEXT PRIMARY KEY,
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            ref TEXT NOT NULL,
            library TEXT NOT NULL,
            article_id TEXT NOT NULL,
            article_hash TEXT NOT NULL,
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            sentence_id INTEGER,
            last_sentence_id INTEGER,
            status TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX links_by_note ON links (note_id)")
    conn.execute("CREATE INDEX links_by_target ON links (library, article_id)")
    conn.execute(
        """CREATE TABLE cards (
            note_id TEXT PRIMARY KEY REFERENCES notes(id) ON DELETE CASCADE,
            state INTEGER NOT NULL,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT NOT NULL,
            last_review TEXT
        )"""
    )
    conn.execute("CREATE INDEX cards_by_due ON cards (due)")
    conn.execute(
        """CREATE TABLE reviews (
            id TEXT PRIMARY KEY,
            note_id TEXT NOT NULL,
            library TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            reviewed TEXT NOT NULL,
            duration_ms INTEGER,
            state_before INTEGER,
            state INTEGER NOT NULL,
            stability REAL,
            difficulty REAL,
            due TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX reviews_by_time ON reviews (library, reviewed)")
    conn.execute("CREATE INDEX reviews_by_note ON reviews (note_id)")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


# MIGRATIONS[n] brings a file at user_version n to n + 1, inside the caller's transaction.
# Append, never edit: a file's version says which of these it has had.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2]
# The tables a file of ours holds, in the order they are copied (rows referred to come first).
TABLES = ("libraries", "notes", "labels", "note_labels", "links", "cards", "reviews")

_COLUMNS = (
    'id, library, article_id, article_hash, exact, prefix, suffix, start, "end", sentence_id, '
    "last_sentence_id, text, tags, status, created, updated, deleted, kind, version, conflict_of"
)
_LINK_COLUMNS = (
    "id, note_id, position, ref, library, article_id, article_hash, exact, prefix, suffix, start, "
    '"end", sentence_id, last_sentence_id, status'
)


@functools.lru_cache(maxsize=4096)
def _stored_tags(raw: str) -> tuple[str, ...] | None:
    try:
        found = json.loads(raw)
    except (TypeError, ValueError):
        return None
    return tuple(str(t) for t in found) if isinstance(found, list) else None


def _tags(raw: object, text: str) -> tuple[str, ...]:
    """A note's tags as stored (JSON), or read again from its text if that cannot be read."""
    tags = _stored_tags(raw) if isinstance(raw, str) else None
    return tags if tags is not None else parse_tags(text)


def _note(row: sqlite3.Row) -> Note:
    """A note from a row by column names (any schema, as ``salvage`` reads them)."""
    tags = _tags(row["tags"], row["text"])
    keys = row.keys()  # a file of an older schema (salvaged) lacks the newer columns
    return Note(
        id=row["id"],
        library=row["library"],
        article_id=row["article_id"],
        article_hash=row["article_hash"],
        exact=row["exact"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        start=row["start"],
        end=row["end"],
        sentence_id=row["sentence_id"],
        last_sentence_id=row["last_sentence_id"],
        text=row["text"],
        tags=tags,
        status=row["status"],
        created=row["created"],
        updated=row["updated"],
        deleted=row["deleted"],
        kind=row["kind"] if "kind" in keys else NOTE,
        version=row["version"] if "version" in keys else 1,
        conflict_of=row["conflict_of"] if "conflict_of" in keys else None,
    )


def _link(row: sqlite3.Row) -> Link:
    """A link from a row of ``_LINK_COLUMNS`` (in that order, the order of Link's fields)."""
    return Link(*tuple(row)[:15])


def _label(row: sqlite3.Row) -> Label:
    return Label(row["id"], row["name"], row["colour"], row["key"], row["created"])


def _note_count(conn: sqlite3.Connection) -> int | None:
    """The number of rows in the notes table, deleted ones included; None if there is none."""
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'notes'"
    ).fetchone():
        return None
    return conn.execute("SELECT count(*) FROM notes").fetchone()[0]


def salvage(path: Path) -> list[Note]:
    """The notes that can still be read from a damaged file, which is opened read-only.

    The table is read in rowid order; where a damaged page stops the reading, it goes on past
    it (skipping ever more rowids until something can be read again), so the notes on both
    sides of the damage are found. A file cut short is read as far as it goes. Rows that do not
    make a sound note are left out.
    """
    found: dict[str, Note] = {}
    uri = path.resolve().as_uri()
    for options in ("mode=ro", "mode=ro&immutable=1"):  # immutable: without its journal
        try:
            conn = sqlite3.connect(f"{uri}?{options}", uri=True)
        except sqlite3.Error:
            continue
        conn.row_factory = sqlite3.Row
        try:
            # A file shorter than its header says is refused outright unless this is on; the
            # connection is read-only, so nothing is written.
            conn.execute("PRAGMA writable_schema = ON")
            _read_rows(conn, found)
        except sqlite3.Error:
            pass
        finally:
            conn.close()
        if found:
            break
    return sorted(found.values(), key=lambda n: (n.created, n.id))


def _read_rows(conn: sqlite3.Connection, found: dict[str, Note], attempts: int = 200) -> None:
    last, skip = 0, 1
    for _ in range(attempts):
        progressed = False
        try:
            cursor = conn.execute(
                "SELECT rowid AS rowid_, * FROM notes WHERE rowid > ? ORDER BY rowid",
                (last,),
            )
            while (row := cursor.fetchone()) is not None:
                last, skip, progressed = row["rowid_"], 1, True
                note = _sound(row)
                if note is not None:
                    found.setdefault(note.id, note)
            return  # read to the end
        except sqlite3.Error:
            if not progressed:
                last += skip
                skip *= 2
                if last >= 1 << 62:  # past any rowid SQLite gives
                    return


def _sound(row: sqlite3.Row) -> Note | None:
    """The note in ``row`` if every field has the type it should (a damaged page may not)."""
    try:
        note = _note(row)
    except (TypeError, ValueError, KeyError, IndexError):
        return None
    texts = (
        note.id, note.library, note.article_id, note.article_hash, note.exact, note.prefix,
        note.suffix, note.text, note.created, note.updated,
    )  # fmt: skip
    if not all(isinstance(x, str) for x in texts):
        return None
    if not isinstance(note.start, int) or not isinstance(note.end, int):
        return None
    if note.status not in STATUSES or note.kind not in KINDS:
        return None
    if note.kind == NOTE and not note.text.strip():
        return None
    return note


def _private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it is not there (SQLite takes an empty file)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _private_dir(folder: Path, always: bool) -> None:
    """Make ``folder`` (0700 when made here, or when it is Glossator's own data folder)."""
    existed = folder.is_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not existed or always:
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)


def _aside_name(path: Path, what: str) -> Path:
    """A free name beside ``path`` for setting it aside: ``<name>.<what>-<UTC time>[-n]``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.{what}-{stamp}")
    n = 1
    while any(Path(f"{aside}{s}").exists() for s in ("", "-wal", "-shm")):
        n += 1
        aside = path.with_name(f"{path.name}.{what}-{stamp}-{n}")
    return aside


def _move_aside(path: Path, aside: Path) -> None:
    """Rename ``path`` and its ``-wal`` and ``-shm`` companions to ``aside`` (+ the same)."""
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{aside}{suffix}"))


def _foreign(conn: sqlite3.Connection) -> str | None:
    """Why the open database is not a Glossator notes file, or None if it is one (or empty)."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return None
    if app_id != 0:
        return f"it belongs to another program (application id {app_id:#x})"
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0:  # empty, or an old layout of ours that MIGRATIONS[0] starts from
        clash = sorted(tables & set(TABLES))
        if clash:
            return f"it has tables of its own named {', '.join(clash)}"
        return None
    if "notes" not in tables or "libraries" not in tables:
        return "it has no notes and libraries tables"
    columns = {r[1] for r in conn.execute("PRAGMA table_info(notes)")}
    if not {"id", "library", "article_id", "exact", "text", "status", "tags"} <= columns:
        return "its notes table is not Glossator's"
    return None


def _connect(path: Path | str, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,  # transactions are begun and ended here, explicitly
        check_same_thread=False,
        uri=uri,
    )
    conn.row_factory = sqlite3.Row
    return conn


def _copy_rows(source: sqlite3.Connection, target: sqlite3.Connection) -> dict[str, int]:
    """Copy every row of our tables that ``target`` lacks (by key) from ``source``; ``target``
    must be outside a transaction. Returns the rows added, by table. Tables ``source`` cannot
    read (an older schema, damage) are passed over."""
    added: dict[str, int] = {}
    target.execute("PRAGMA foreign_keys = OFF")  # rows come in table order, not key order
    try:
        target.execute("BEGIN IMMEDIATE")
        try:
            for table in TABLES:
                try:
                    cursor = source.execute(f"SELECT * FROM {table}")
                    columns = [d[0] for d in cursor.description]
                    rows = [tuple(r) for r in cursor.fetchall()]
                except sqlite3.Error:
                    continue
                if not rows:
                    continue
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" * len(columns))
                before = target.total_changes
                target.executemany(
                    f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})", rows
                )
                added[table] = target.total_changes - before
            target.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                target.execute("ROLLBACK")
            raise
    finally:
        target.execute("PRAGMA foreign_keys = ON")
    return added


def _folder_value(folder: Path) -> str | bytes:
    """A library folder as the libraries table keeps it: its text, or its bytes when its name
    is not valid UTF-8 (SQLite takes no lone surrogate; escaping the bytes would name another
    folder, one that does not exist, and the library would look moved)."""
    text = os.fspath(folder)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text)
    return text


def _folder_path(value: str | bytes) -> str:
    return os.fsdecode(value) if isinstance(value, bytes) else value


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class NoteStore:
    """The notes file. Safe to share between threads (one connection behind a lock: every call
    is atomic); other processes may write at once.

    ``notices`` collects what the person should be told and was not asked about: a foreign file
    set aside, a deleted notes file written afresh, notes adopted from a moved library. Callers
    show them and may clear the list.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.backup_path: Path | None = None  # the copy taken before the last migration
        self.notices: list[str] = []
        self.read_only = False  # a snapshot in memory (see ``snapshot``): nothing reaches disk
        self.foreign_path: Path | None = None  # where a foreign file found here was set aside
        self._lock = threading.RLock()
        self._generation = 0  # raised by every write of this store (see change_token)
        self._identity: tuple[int, int] | None = None
        self._own_folder = path is None
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        """Connect to the file at ``self.path`` (made if missing), checked, migrated; remember
        which file it is. A foreign database found there is set aside once and replaced."""
        for attempt in range(2):
            try:
                _private_dir(self.path.parent, always=self._own_folder)
                _private_file(self.path)
            except OSError as exc:
                raise NoteStoreError(
                    f"cannot create the notes file {self.path}: {exc.strerror or exc}"
                    + (
                        f" ({exc.filename})"
                        if exc.filename and exc.filename != str(self.path)
                        else ""
                    )
                ) from exc
            try:
                conn = _connect(self.path)
            except sqlite3.Error as exc:
                raise NoteStoreError(f"cannot open the notes file {self.path}: {exc}") from exc
            self._conn = conn
            try:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                self._check_integrity()  # before anything writes to the file, even its header
                why = _foreign(conn)
                if why is not None and attempt == 0:
                    conn.close()
                    self._set_foreign_aside(why)
                    continue
                if why is not None:
                    raise NoteStoreError(f"the notes file {self.path} cannot be used: {why}")
                conn.execute("PRAGMA foreign_keys = ON")
                self._use_wal()
                conn.execute("PRAGMA synchronous = FULL")
                self._migrate()
                st = os.stat(self.path)
                self._identity = (st.st_dev, st.st_ino)
            except sqlite3.Error as exc:
                conn.close()
                raise self._problem(exc) from exc
            except OSError as exc:
                conn.close()
                raise NoteStoreError(
                    f"the notes file {self.path} cannot be used: {exc.strerror or exc}"
                ) from exc
            except BaseException:
                conn.close()
                raise
            return conn
        raise AssertionError("unreachable")  # pragma: no cover

    def _set_foreign_aside(self, why: str) -> None:
        aside = _aside_name(self.path, "foreign")
        try:
            _move_aside(self.path, aside)
        except OSError as exc:
            raise NoteStoreError(
                f"the file {self.path} is not a Glossator notes file ({why}) and could not be "
                f"moved aside: {exc.strerror or exc}"
            ) from exc
        self.foreign_path = aside
        self.notices.append(
            f"{self.path} was not a Glossator notes file ({why}); it was moved, as it was, to "
            f"{aside}, and a fresh notes file was started"
        )

    @classmethod
    def snapshot(cls, path: Path | None = None, why: str = "") -> NoteStore:
        """The notes file read into memory, for reading when the file cannot be written (a full
        disk, a read-only folder): listing, filtering, re-anchoring and exporting work as usual,
        and nothing is ever written to disk (``read_only`` is True). A missing file reads as no
        notes; a damaged one raises NoteStoreCorrupt (``salvage`` reads what it can)."""
        path = Path(path) if path is not None else default_path()
        store = cls.__new__(cls)
        store.path = path
        store.backup_path = None
        store.notices = []
        store.read_only = True
        store.foreign_path = None
        store._lock = threading.RLock()
        store._generation = 0
        store._identity = None
        store._own_folder = False
        memory = _connect(":memory:")
        store._conn = memory
        source: sqlite3.Connection | None = None
        if path.exists():
            uri = path.resolve().as_uri()
            for options in ("mode=ro", "mode=ro&immutable=1"):
                try:
                    source = _connect(f"{uri}?{options}", uri=True)
                    source.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    break
                except sqlite3.Error:
                    if source is not None:
                        source.close()
                    source = None
            if source is None:
                memory.close()
                raise NoteStoreError(f"the notes file {path} cannot be read")
            try:
                source.backup(memory)
            except sqlite3.Error as exc:
                memory.close()
                raise store._problem(exc) from exc
            finally:
                source.close()
        try:
            store._check_integrity()
            foreign = _foreign(memory)
            if foreign is not None:
                memory.close()
                memory = _connect(":memory:")
                store._conn = memory
                store.notices.append(
                    f"{path} is not a Glossator notes file ({foreign}); it was left as it is"
                )
            memory.execute("PRAGMA foreign_keys = ON")
            store._migrate()
        except sqlite3.Error as exc:
            memory.close()
            raise store._problem(exc) from exc
        store.notices.append(
            f"the notes file {path} cannot be written"
            + (f" ({why})" if why else "")
            + "; the notes are shown read-only and nothing is saved"
        )
        return store

    @classmethod
    def recover(cls, path: Path | None = None) -> tuple[NoteStore, Path, int]:
        """Set a damaged notes file aside and start afresh with every note that can still be read.

        Only when the person asks for it, and only for a damaged file (NoteStoreError otherwise;
        nothing is moved). The file, with its ``-wal`` and ``-shm`` companions, is renamed to
        ``<name>.corrupt-<UTC time>`` in the same folder and never written to; a fresh store is
        created in its place and the notes read from the damaged copy are added to it (same ids,
        texts, anchors and dates). Returns the fresh store, where the damaged copy is, and how
        many notes were saved from it.
        """
        path = Path(path) if path is not None else default_path()
        try:
            cls(path).close()
        except NoteStoreCorrupt:
            pass
        else:
            raise NoteStoreError(f"the notes file {path} is not damaged; nothing was moved")
        aside = _aside_name(path, "corrupt")
        try:
            _move_aside(path, aside)
        except OSError as exc:
            raise NoteStoreError(
                f"could not move the damaged notes file {path} aside: {exc.strerror or exc}"
            ) from exc
        rows = salvage(aside)
        store: NoteStore | None = None
        try:
            store = cls(path)
            saved = 0
            with store._write() as conn:
                for note in rows:
                    try:
                        store._insert(conn, note)
                    except sqlite3.IntegrityError:
                        continue
                    saved += 1
        except NoteStoreError as exc:
            if store is not None:
                store.close()
            raise NoteStoreError(f"{exc}; the damaged notes file is now {aside}") from exc
        return store, aside, saved

    def _use_wal(self) -> None:
        """Switch the file to WAL mode (once: it stays so). Switching needs the file to itself
        and SQLite does not wait for that, so a process opening a new file at the same moment as
        another one retries here, until the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        delay = 0.005
        while True:
            try:
                mode = self._conn.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":
                    mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise
            else:
                if str(mode).lower() == "wal":
                    return
                if time.monotonic() > deadline:
                    raise NoteStoreError(f"the notes file {self.path} cannot use WAL ({mode})")
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def _check_integrity(self) -> None:
        """Raise NoteStoreCorrupt unless SQLite's quick check finds the file sound."""
        try:
            rows = self._conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.OperationalError:
            raise  # busy or locked: reported as such by the caller
        except sqlite3.DatabaseError as exc:
            raise self._problem(exc) from exc
        found = [str(r[0]) for r in rows]
        if found != ["ok"]:
            raise self._damaged("; ".join(found[:3]))

    def _damaged(self, why: str) -> NoteStoreCorrupt:
        return NoteStoreCorrupt(
            f"the notes file {self.path} is damaged or not a notes database ({why}); "
            "it has been left as it is",
            self.path,
        )

    def _problem(self, exc: sqlite3.Error) -> NoteStoreError:
        message = str(exc)
        if isinstance(exc, sqlite3.OperationalError):
            if "locked" in message or "busy" in message:
                return NoteStoreError(
                    f"the notes file {self.path} is busy (another process holds it); try again"
                )
            if "disk is full" in message or "disk I/O error" in message:
                return NoteStoreError(
                    f"could not write to the notes file {self.path}: the disk is full or "
                    f"failing ({message}); nothing was changed"
                )
            if "readonly" in message or "read-only" in message or "unable to open" in message:
                return NoteStoreError(
                    f"could not write to the notes file {self.path}: the file or its folder "
                    f"cannot be written ({message}); nothing was changed"
                )
            return NoteStoreError(f"the notes file {self.path} cannot be used: {message}")
        if isinstance(exc, sqlite3.DatabaseError):
            return self._damaged(message)
        return NoteStoreError(f"the notes file {self.path} cannot be used: {message}")

    # -- connection, transactions, schema ----------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> NoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_file(self) -> None:
        """Make sure the file at ``path`` is still the one this store opened (device and inode);
        if it was deleted or replaced, open (or make) the file now there and copy into it every
        row this process can still read from the old one, and say so in ``notices``."""
        if self.read_only:
            return
        try:
            st = os.stat(self.path)
            identity: tuple[int, int] | None = (st.st_dev, st.st_ino)
        except OSError:
            identity = None
        if identity == self._identity:
            return
        old = self._conn
        try:
            self._conn = self._open()
        except BaseException:
            self._conn = old
            raise
        try:
            added = _copy_rows(old, self._conn)
        except sqlite3.Error as exc:
            raise self._problem(exc) from exc
        finally:
            old.close()
        self._generation += 1
        notes = added.get("notes", 0)
        kept = f"{notes} note{'' if notes == 1 else 's'} this process still had"
        if identity is None:
            self.notices.append(
                f"the notes file {self.path} was deleted while Glossator had it open; "
                f"a fresh one was written with the {kept}"
            )
        else:
            self.notices.append(
                f"the notes file {self.path} was replaced while Glossator had it open; "
                f"the {kept} were copied into the new one"
            )

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with BEGIN IMMEDIATE (waits up to the busy timeout),
        after checking that the file is still there (see ``_check_file``)."""
        with self._lock:
            self._check_file()
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._problem(exc) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._problem(exc) from exc
                raise
            self._generation += 1

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                raise self._problem(exc) from exc

    @property
    def version(self) -> int:
        return self._read("PRAGMA user_version")[0][0]

    def change_token(self) -> tuple[int, int]:
        """A value that changes whenever the notes may have changed: a write of this store, of
        another connection or process (SQLite's ``data_version``), or the file being replaced.
        Costs one ``stat`` and one pragma (microseconds): call it on focus, on ``ctrl+r`` and
        in the periodic look, and re-read the notes shown when it differs from the last one."""
        with self._lock:
            self._check_file()
            data_version = self._read("PRAGMA data_version")[0][0]
            return (self._generation, data_version)

    def _migrate(self) -> None:
        conn = self._conn
        target = len(MIGRATIONS)
        found = conn.execute("PRAGMA user_version").fetchone()[0]
        if found > target:
            raise NoteStoreError(
                f"the notes file {self.path} was written by a newer Glossator "
                f"(schema {found}, this one knows {target}); it has been left as it is"
            )
        if found == target:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            found = conn.execute("PRAGMA user_version").fetchone()[0]  # another process's work?
            if found < target:
                if not self.read_only and (
                    found > 0 or conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                ):
                    self.backup_path = self._backup(found)
                before = _note_count(conn)
                for step in range(found, target):
                    MIGRATIONS[step](conn)
                    conn.execute(f"PRAGMA user_version = {step + 1}")
                after = _note_count(conn)
                if before is not None and (after or 0) < before:
                    raise NoteStoreError(
                        f"upgrading the notes file {self.path} would have lost notes "
                        f"({before} before, {after or 0} after); it has been left as it is"
                    )
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    def _backup(self, version: int) -> Path:
        """A consistent copy of the file (WAL included) beside it, before migrating it."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.path.with_name(f"{self.path.name}.v{version}-{stamp}.bak")
        _private_file(target)
        # A second connection reads the last committed state; this one holds the write lock
        # (a connection cannot be the source of a backup while it is writing).
        source = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target

    # -- reading -----------------------------------------------------------------------------

    def _build(
        self, rows: Sequence[sqlite3.Row], library: str | None = None
    ) -> builtins.list[Note]:
        """Notes from rows of ``_COLUMNS``, their labels and links filled in: two queries for
        the whole ``library`` when many rows are asked for, else two per 500 notes."""
        if not rows:
            return []
        labels: dict[str, builtins.list[str]] = {}
        links: dict[str, builtins.list[Link]] = {}
        label_sql = (
            "SELECT nl.note_id, l.name FROM note_labels nl JOIN labels l ON l.id = nl.label_id "
        )
        parts: builtins.list[tuple[str, str, tuple[str, ...]]]
        if library is not None and len(rows) > 500:
            parts = [
                (
                    label_sql + "JOIN notes n ON n.id = nl.note_id WHERE n.library = ? "
                    "ORDER BY l.name COLLATE NOCASE",
                    f"SELECT {_LINK_COLUMNS} FROM links l WHERE l.note_id IN "
                    "(SELECT id FROM notes WHERE library = ?) ORDER BY position",
                    (library,),
                )
            ]
        else:
            parts = []
            for chunk in _chunks([r[0] for r in rows]):
                marks = ", ".join("?" * len(chunk))
                parts.append(
                    (
                        label_sql + f"WHERE nl.note_id IN ({marks}) ORDER BY l.name COLLATE NOCASE",
                        f"SELECT {_LINK_COLUMNS} FROM links WHERE note_id IN ({marks}) "
                        "ORDER BY position",
                        tuple(chunk),
                    )
                )
        for labels_sql, links_sql, params in parts:
            for row in self._read(labels_sql, params):
                labels.setdefault(row[0], []).append(row[1])
            for row in self._read(links_sql, params):
                links.setdefault(row[1], []).append(_link(row))
        fields: builtins.list[tuple[Any, ...]] = [
            tuple(row[:12])
            + (_tags(row[12], row[11]),)
            + tuple(row[13:20])
            + (tuple(labels.get(row[0], ())), tuple(links.get(row[0], ())))
            for row in rows
        ]
        return [Note(*f) for f in fields]

    def get(self, note_id: str) -> Note:
        """The note with this id, deleted or not, read afresh from the file (an editor opening
        a note calls this, so it edits the text as it is now, and its ``version``); NoteNotFound
        if there is none. One indexed query; call it from a worker."""
        rows = self._read(f"SELECT {_COLUMNS} FROM notes WHERE id = ?", (note_id,))
        if not rows:
            raise NoteNotFound(f"no note {note_id!r}")
        return self._build(rows)[0]

    def resolve_id(self, prefix: str, library: str | None = None) -> str:
        """The id of the one note whose id is ``prefix`` or starts with it (4 characters at
        least), deleted notes included; NoteNotFound or NoteError (several) otherwise."""
        prefix = prefix.strip().lower()
        if len(prefix) < 4 or not re.fullmatch(r"[0-9a-f-]+", prefix):
            raise NoteNotFound(f"no note {prefix!r} (give at least 4 characters of its id)")
        where = " AND library = ?" if library is not None else ""
        params: tuple = (prefix, prefix + "%") + ((library,) if library is not None else ())
        rows = self._read(
            f"SELECT id FROM notes WHERE (id = ? OR id LIKE ?){where} LIMIT 3", params
        )
        ids = [r[0] for r in rows]
        if prefix in ids:
            return prefix
        if not ids:
            raise NoteNotFound(f"no note {prefix!r}")
        if len(ids) > 1:
            raise NoteError(f"{prefix!r} fits several notes; give more of the id")
        return ids[0]

    def list(
        self,
        library: str,
        include_deleted: bool = False,
        *,
        label: str | None = None,
        tag: str | None = None,
        article: str | None = None,
        kind: str | None = None,
    ) -> list[Note]:
        """The notes of one library, oldest first; ``label``, ``tag`` (any case, without the
        ``#``), ``article`` (an id) and ``kind`` ("note" or "highlight") keep only those."""
        where = ["library = ?"]
        params: builtins.list[object] = [library]
        if not include_deleted:
            where.append("deleted IS NULL")
        if article is not None:
            where.append("article_id = ?")
            params.append(article)
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if label is not None:
            where.append(
                "EXISTS (SELECT 1 FROM note_labels nl JOIN labels l ON l.id = nl.label_id "
                "WHERE nl.note_id = notes.id AND l.name = ? COLLATE NOCASE)"
            )
            params.append(label)
        rows = self._read(
            f"SELECT {_COLUMNS} FROM notes WHERE {' AND '.join(where)} ORDER BY created, rowid",
            params,
        )
        if tag is not None:
            wanted = tag.removeprefix("#").casefold()
            rows = [r for r in rows if wanted in (t.casefold() for t in _tags(r[12], r[11]))]
        return self._build(rows, library)

    def for_article(self, library: str, article_id: str) -> builtins.list[Note]:
        """The notes of one article (not deleted), in text order."""
        rows = self._read(
            f"SELECT {_COLUMNS} FROM notes WHERE library = ? AND article_id = ? "
            'AND deleted IS NULL ORDER BY start, "end", created, rowid',
            (library, article_id),
        )
        return self._build(rows)

    def recently_deleted(
        self, library: str, limit: int = 50, days: int = DELETED_KEPT_DAYS
    ) -> builtins.list[Note]:
        """The notes of ``library`` deleted in the last ``days`` days, the latest first (for a
        "Recently deleted" group; ``restore`` brings one back). One query on an index."""
        since = iso(datetime.now(UTC) - timedelta(days=days))
        rows = self._read(
            f"SELECT {_COLUMNS} FROM notes WHERE library = ? AND deleted IS NOT NULL "
            "AND deleted >= ? ORDER BY deleted DESC, rowid DESC LIMIT ?",
            (library, since, limit),
        )
        return self._build(rows)

    def search(self, library: str, query: str) -> builtins.list[Note]:
        """Notes whose text or tags hold every word of ``query`` (any case); ``#w`` means tag w."""
        words = [w.casefold() for w in query.split()]
        if not words:
            return []
        found = []
        for note in self.list(library):
            text = note.text.casefold()
            tags = [t.casefold() for t in note.tags]
            if all(
                (w[1:] in tags)
                if w.startswith("#") and len(w) > 1
                else (w in text or any(w in t for t in tags))
                for w in words
            ):
                found.append(note)
        return found

    def article_hashes(self, library: str) -> dict[str, set[str]]:
        """For each article with notes (deleted ones too) or links pointing into it, the text
        hashes they refer to."""
        rows = self._read(
            "SELECT DISTINCT article_id, article_hash FROM notes WHERE library = ? "
            "UNION SELECT DISTINCT article_id, article_hash FROM links "
            "WHERE library = ? AND status != ?",
            (library, library, UNRESOLVED),
        )
        hashes: dict[str, set[str]] = {}
        for row in rows:
            hashes.setdefault(row["article_id"], set()).add(row["article_hash"])
        return hashes

    def backlinks(
        self, library: str, article_id: str, sentence_id: int | None = None
    ) -> builtins.list[Backlink]:
        """The links pointing into an article (at sentence ``sentence_id``, an internal id, if
        given), each with its note; notes deleted are left out. One indexed query."""
        rows = self._read(
            f"SELECT {', '.join('l.' + c.strip() for c in _LINK_COLUMNS.split(','))} "
            "FROM links l JOIN notes n ON n.id = l.note_id "
            "WHERE l.library = ? AND l.article_id = ? AND l.status != ? "
            "AND n.deleted IS NULL ORDER BY l.sentence_id, n.created",
            (library, article_id, UNRESOLVED),
        )
        links = [_link(r) for r in rows]
        if sentence_id is not None:
            links = [
                k
                for k in links
                if k.sentence_id is not None
                and k.sentence_id <= sentence_id <= (k.last_sentence_id or k.sentence_id)
            ]
        notes = {n.id: n for n in self._notes_by_id([k.note_id for k in links])}
        return [Backlink(k, notes[k.note_id]) for k in links if k.note_id in notes]

    def _notes_by_id(self, ids: Iterable[str]) -> builtins.list[Note]:
        unique = builtins.list(dict.fromkeys(ids))
        rows: builtins.list[sqlite3.Row] = []
        for chunk in _chunks(unique):
            marks = ", ".join("?" * len(chunk))
            rows += self._read(f"SELECT {_COLUMNS} FROM notes WHERE id IN ({marks})", chunk)
        return self._build(rows)

    # -- labels ------------------------------------------------------------------------------

    def labels(self) -> builtins.list[Label]:
        """The codebook: every label, by key (those without one after), then name."""
        rows = self._read(
            "SELECT id, name, colour, key, created FROM labels "
            "ORDER BY key IS NULL, key, name COLLATE NOCASE"
        )
        return [_label(r) for r in rows]

    def label(self, name: str) -> Label:
        rows = self._read(
            "SELECT id, name, colour, key, created FROM labels WHERE name = ? COLLATE NOCASE",
            (name.strip(),),
        )
        if not rows:
            raise NoteNotFound(f"no label {name!r}")
        return _label(rows[0])

    @staticmethod
    def _label_fields(name: str | None, colour: str | None, key: int | None) -> None:
        if name is not None:
            _check_text(name)
            if not name.strip() or len(name.strip()) > 40 or any(c in name for c in "\n\r\t"):
                raise NoteError("a label's name is 1 to 40 characters on one line")
        if colour is not None and colour not in COLOURS:
            raise NoteError(f"a label's colour is one of {', '.join(COLOURS)}, not {colour!r}")
        if key is not None and not (isinstance(key, int) and 1 <= key <= 9):
            raise NoteError(f"a label's key is 1 to 9, not {key!r}")

    def _key_free(self, conn: sqlite3.Connection, key: int | None, label_id: str) -> None:
        if key is None:
            return
        row = conn.execute(
            "SELECT name FROM labels WHERE key = ? AND id != ?", (key, label_id)
        ).fetchone()
        if row is not None:
            raise NoteError(f"key {key} is already taken by the label {row[0]!r}")

    def add_label(self, name: str, colour: str = "yellow", key: int | None = None) -> Label:
        """A new label in the codebook; NoteError if the name (any case) or the key is taken."""
        self._label_fields(name, colour, key)
        label = Label(str(uuid.uuid4()), name.strip(), colour, key, _now())
        with self._write() as conn:
            if conn.execute(
                "SELECT 1 FROM labels WHERE name = ? COLLATE NOCASE", (label.name,)
            ).fetchone():
                raise NoteError(f"there is already a label {label.name!r}")
            self._key_free(conn, key, label.id)
            conn.execute(
                "INSERT INTO labels (id, name, colour, key, created) VALUES (?, ?, ?, ?, ?)",
                (label.id, label.name, label.colour, label.key, label.created),
            )
        return label

    _UNCHANGED: Any = object()

    def edit_label(
        self,
        name: str,
        *,
        new_name: str | None = None,
        colour: str | None = None,
        key: int | None | Any = _UNCHANGED,
    ) -> Label:
        """Rename a label, change its colour, or its key (``key=None`` takes it away)."""
        self._label_fields(new_name, colour, None if key is self._UNCHANGED else key)
        with self._write() as conn:
            row = conn.execute(
                "SELECT id, name, colour, key, created FROM labels WHERE name = ? COLLATE NOCASE",
                (name.strip(),),
            ).fetchone()
            if row is None:
                raise NoteNotFound(f"no label {name!r}")
            label = _label(row)
            if (
                new_name is not None
                and conn.execute(
                    "SELECT 1 FROM labels WHERE name = ? COLLATE NOCASE AND id != ?",
                    (new_name.strip(), label.id),
                ).fetchone()
            ):
                raise NoteError(f"there is already a label {new_name.strip()!r}")
            if key is not self._UNCHANGED:
                self._key_free(conn, key, label.id)
            label = replace(
                label,
                name=new_name.strip() if new_name is not None else label.name,
                colour=colour or label.colour,
                key=label.key if key is self._UNCHANGED else key,
            )
            conn.execute(
                "UPDATE labels SET name = ?, colour = ?, key = ? WHERE id = ?",
                (label.name, label.colour, label.key, label.id),
            )
        return label

    def remove_label(self, name: str) -> int:
        """Take a label out of the codebook and off every note; returns how many notes had it."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT id FROM labels WHERE name = ? COLLATE NOCASE", (name.strip(),)
            ).fetchone()
            if row is None:
                raise NoteNotFound(f"no label {name!r}")
            count = conn.execute(
                "SELECT count(*) FROM note_labels WHERE label_id = ?", (row[0],)
            ).fetchone()[0]
            conn.execute("DELETE FROM note_labels WHERE label_id = ?", (row[0],))
            conn.execute("DELETE FROM labels WHERE id = ?", (row[0],))
        return count

    def set_labels(self, note_id: str, names: Iterable[str], *, add: bool = False) -> Note:
        """Give a note exactly these labels (or, with ``add``, these as well as its own).
        Every name must be in the codebook (NoteNotFound otherwise)."""
        wanted = builtins.list(dict.fromkeys(n.strip() for n in names))
        with self._write() as conn:
            self._one(conn, note_id)
            ids = []
            for name in wanted:
                row = conn.execute(
                    "SELECT id FROM labels WHERE name = ? COLLATE NOCASE", (name,)
                ).fetchone()
                if row is None:
                    raise NoteNotFound(f"no label {name!r}; `glossator labels add` makes one")
                ids.append(row[0])
            if not add:
                conn.execute("DELETE FROM note_labels WHERE note_id = ?", (note_id,))
            conn.executemany(
                "INSERT OR IGNORE INTO note_labels (note_id, label_id) VALUES (?, ?)",
                [(note_id, i) for i in ids],
            )
        return self.get(note_id)

    def adopt_labels(self, note_id: str, names: Iterable[str]) -> None:
        """Give a note these labels, adding to the codebook (yellow, no key) those it lacks
        (an import bringing labels from another machine)."""
        wanted = [n.strip() for n in names if isinstance(n, str) and n.strip()]
        known = {lb.name.casefold() for lb in self.labels()}
        for name in wanted:
            if name.casefold() not in known:
                with contextlib.suppress(NoteError):
                    self.add_label(name)
                known.add(name.casefold())
        known = {lb.name.casefold() for lb in self.labels()}
        usable = [n for n in wanted if n.casefold() in known]
        with contextlib.suppress(NoteNotFound):
            self.set_labels(note_id, usable, add=True)

    def unlabel(self, note_id: str, name: str) -> Note:
        """Take one label off a note (nothing happens if it did not have it)."""
        with self._write() as conn:
            self._one(conn, note_id)
            conn.execute(
                "DELETE FROM note_labels WHERE note_id = ? AND label_id IN "
                "(SELECT id FROM labels WHERE name = ? COLLATE NOCASE)",
                (note_id, name.strip()),
            )
        return self.get(note_id)

    # -- writing -----------------------------------------------------------------------------

    def _insert(self, conn: sqlite3.Connection, note: Note) -> None:
        conn.execute(
            "INSERT OR IGNORE INTO libraries (key, created) VALUES (?, ?)",
            (note.library, note.created),
        )
        conn.execute(
            f"INSERT INTO notes ({_COLUMNS}) VALUES ({', '.join('?' * 20)})",
            (
                note.id,
                note.library,
                note.article_id,
                note.article_hash,
                note.exact,
                note.prefix,
                note.suffix,
                note.start,
                note.end,
                note.sentence_id,
                note.last_sentence_id,
                note.text,
                json.dumps(list(note.tags), ensure_ascii=False),
                note.status,
                note.created,
                note.updated,
                note.deleted,
                note.kind,
                note.version,
                note.conflict_of,
            ),
        )

    def _one(self, conn: sqlite3.Connection, note_id: str) -> Note:
        row = conn.execute(f"SELECT {_COLUMNS} FROM notes WHERE id = ?", (note_id,)).fetchone()
        if row is None:
            raise NoteNotFound(f"no note {note_id!r}")
        return _note(row)

    def _targets(
        self, text: str, resolve: Resolver | None
    ) -> dict[str, tuple[Article, int, int] | None]:
        """For each link in ``text``: its article and sentence ids, or None if not found.
        Called before the write transaction (``resolve`` may read the index)."""
        if resolve is None:
            return {}
        found: dict[str, tuple[Article, int, int] | None] = {}
        for ref, article_part, first, last in parse_links(text):
            try:
                article = resolve(article_part) if article_part else None
            except (LookupError, ValueError):
                article = None
            count = article.sentence_count() if article is not None else 0
            if article is None or not (1 <= first <= last <= count):
                found[ref] = None
            else:
                found[ref] = (article, first - 1, last - 1)
        return found

    def _write_links(
        self,
        conn: sqlite3.Connection,
        note: Note,
        targets: dict[str, tuple[Article, int, int] | None],
        resolved: bool,
    ) -> None:
        """Make the note's links those written in its text. A link already there keeps its
        anchor (it follows its sentence when articles change); a new one is placed with
        ``targets`` (or left unresolved)."""
        existing = {
            r["ref"]: _link(r)
            for r in conn.execute(
                f"SELECT {_LINK_COLUMNS} FROM links WHERE note_id = ?", (note.id,)
            ).fetchall()
        }
        conn.execute("DELETE FROM links WHERE note_id = ?", (note.id,))
        for position, (ref, article_part, _, _) in enumerate(parse_links(note.text)):
            old = existing.get(ref)
            target = targets.get(ref)
            if old is not None and (old.status != UNRESOLVED or not resolved or target is None):
                link = replace(old, position=position)
            elif target is not None:
                article, first, last = target
                sel = anchor.selector_for(article.text, article.sentences, first, last)
                link = Link(
                    str(uuid.uuid4()), note.id, position, ref, note.library, article.id,
                    text_hash(article.text), sel.exact, sel.prefix, sel.suffix, sel.start,
                    sel.end, first, last, anchor.ANCHORED,
                )  # fmt: skip
            else:
                link = Link(
                    str(uuid.uuid4()), note.id, position, ref, note.library, article_part, "",
                    "", "", "", 0, 0, None, None, UNRESOLVED,
                )  # fmt: skip
            self._insert_link(conn, link)

    @staticmethod
    def _insert_link(conn: sqlite3.Connection, link: Link) -> None:
        conn.execute(
            f"INSERT INTO links ({_LINK_COLUMNS}) VALUES ({', '.join('?' * 15)})",
            (
                link.id,
                link.note_id,
                link.position,
                link.ref,
                link.library,
                link.article_id,
                link.article_hash,
                link.exact,
                link.prefix,
                link.suffix,
                link.start,
                link.end,
                link.sentence_id,
                link.last_sentence_id,
                link.status,
            ),  # fmt: skip
        )

    def add(
        self,
        library: str,
        article: Article,
        first_sentence: int,
        last_sentence: int | None,
        text: str = "",
        *,
        kind: str = NOTE,
        labels: Iterable[str] = (),
        resolve: Resolver | None = None,
    ) -> Note:
        """A new note on sentences ``first_sentence``..``last_sentence`` (ids) of ``article``.

        ``kind="highlight"`` makes a highlight (its text may be empty). ``labels`` are names
        from the codebook. ``resolve(article_part)`` finds the article of each ``[[… §N]]``
        link in the text (see ``Resolver``); without it the links are kept unresolved.
        """
        text = _clean_text(text, kind)
        try:
            sel = anchor.selector_for(
                article.text, article.sentences, first_sentence, last_sentence
            )
        except ValueError as exc:
            raise NoteError(f"{exc} in {article.id!r}") from exc
        now = _now()
        note = Note(
            id=str(uuid.uuid4()),
            library=library,
            article_id=article.id,
            article_hash=text_hash(article.text),
            exact=sel.exact,
            prefix=sel.prefix,
            suffix=sel.suffix,
            start=sel.start,
            end=sel.end,
            sentence_id=first_sentence,
            last_sentence_id=first_sentence if last_sentence is None else last_sentence,
            text=text,
            tags=parse_tags(text),
            status=anchor.ANCHORED,
            created=now,
            updated=now,
            kind=kind,
        )
        targets = self._targets(text, resolve)
        labels = builtins.list(labels)
        with self._write() as conn:
            self._insert(conn, note)
            self._write_links(conn, note, targets, resolve is not None)
            for name in labels:
                row = conn.execute(
                    "SELECT id FROM labels WHERE name = ? COLLATE NOCASE", (name.strip(),)
                ).fetchone()
                if row is None:
                    raise NoteNotFound(f"no label {name!r}; `glossator labels add` makes one")
                conn.execute(
                    "INSERT OR IGNORE INTO note_labels (note_id, label_id) VALUES (?, ?)",
                    (note.id, row[0]),
                )
        return self.get(note.id) if labels or parse_links(text) else note

    def highlight(
        self,
        library: str,
        article: Article,
        first_sentence: int,
        last_sentence: int | None = None,
        labels: Iterable[str] = (),
    ) -> Note:
        """A highlight: a note with no text, on sentences ``first_sentence``..``last_sentence``."""
        return self.add(
            library, article, first_sentence, last_sentence, "", kind=HIGHLIGHT, labels=labels
        )

    def import_note(
        self,
        library: str,
        article_id: str,
        article: Article | None,
        selector: anchor.Selector,
        text: str,
        *,
        status: str = anchor.ANCHORED,
        note_id: str | None = None,
        created: str | None = None,
        updated: str | None = None,
        kind: str = NOTE,
        unless_duplicate: bool = False,
        resolve: Resolver | None = None,
    ) -> Note | None:
        """A note from elsewhere (an import), placed in ``article``'s text by re-anchoring.

        ``selector`` is where the passage was; ``article`` None means the article is not in the
        library (the note is kept, orphaned). ``note_id`` is used unless a note already has it.
        Offsets that cannot be (negative, or past 2^62) are not used: the quote is searched.
        With ``unless_duplicate``, a note of the library on the same article with the same quote,
        text and kind is looked for inside the write transaction, and if there is one nothing is
        added and None is returned: two imports of one file at once add each note once.
        """
        text = _clean_text(text, kind)
        targets = self._targets(text, resolve)
        start, end = selector.start, selector.end
        if not (
            isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= _POSITION_LIMIT
        ):
            start, end = 0, len(selector.exact)
        selector = anchor.Selector(
            neutralise(_check_text(selector.exact)),  # as article texts are: found in them
            neutralise(_check_text(selector.prefix)),
            neutralise(_check_text(selector.suffix)),
            start,
            end,
        )
        now = _now()
        note_id = note_id or str(uuid.uuid4())
        found = (
            anchor.locate(selector, article.text, article.sentences)
            if article is not None
            else anchor.orphan(selector)
        )
        with self._write() as conn:
            if (
                unless_duplicate
                and conn.execute(
                    "SELECT 1 FROM notes WHERE library = ? AND article_id = ? AND text = ? "
                    "AND kind = ? AND (exact = ? OR exact = ?) AND deleted IS NULL LIMIT 1",
                    (library, article_id, text, kind, selector.exact, found.exact),
                ).fetchone()
            ):
                return None
            if conn.execute("SELECT 1 FROM notes WHERE id = ?", (note_id,)).fetchone():
                note_id = str(uuid.uuid4())
            new_status = found.status
            if new_status == anchor.ANCHORED and status == anchor.MOVED:
                new_status = anchor.MOVED
            note = Note(
                id=note_id,
                library=library,
                article_id=article_id,
                article_hash=text_hash(article.text) if article is not None else "",
                exact=found.exact,
                prefix=found.prefix,
                suffix=found.suffix,
                start=found.start,
                end=found.end,
                sentence_id=found.sentence_id,
                last_sentence_id=found.last_sentence_id,
                text=text,
                tags=parse_tags(text),
                status=new_status,
                created=created or now,
                updated=updated or created or now,
                kind=kind,
            )
            self._insert(conn, note)
            self._write_links(conn, note, targets, resolve is not None)
        return self.get(note.id) if targets else note

    def save(
        self,
        note_id: str,
        text: str,
        expected_version: int | None = None,
        resolve: Resolver | None = None,
    ) -> Saved:
        """Save a note's new text, safely when another process may have changed it.

        ``expected_version`` is the ``version`` of the note as the editor opened it (``get``).
        If the note has a newer text since, that text stays and ``text`` is kept beside it as a
        conflict copy (a new note on the same passage, with the same labels, whose
        ``conflict_of`` names the note): ``Saved.conflict`` is True and ``Saved.note`` is the
        copy. A note deleted meanwhile is brought back with the new text
        (``Saved.was_deleted``). Without ``expected_version`` the text is simply saved. Tags
        follow the text; so do links (see ``add`` for ``resolve``). An empty text is allowed
        for a highlight only; text given to a highlight makes it a note.
        """
        text = _check_text(text).strip()
        targets = self._targets(text, resolve)
        with self._write() as conn:
            current = self._one(conn, note_id)
            if not text and current.kind == NOTE:
                raise NoteError("a note needs some text")
            kind = NOTE if text else current.kind
            was_deleted = current.deleted is not None
            now = _now()
            if (
                expected_version is not None
                and current.version != expected_version
                and current.text != text
            ):
                copy = replace(
                    current,
                    id=str(uuid.uuid4()),
                    text=text,
                    tags=parse_tags(text),
                    kind=kind,
                    version=1,
                    conflict_of=current.id,
                    created=now,
                    updated=now,
                    deleted=None,
                    labels=(),
                    links=(),
                )
                self._insert(conn, copy)
                conn.execute(
                    "INSERT INTO note_labels (note_id, label_id) "
                    "SELECT ?, label_id FROM note_labels WHERE note_id = ?",
                    (copy.id, current.id),
                )
                # the copy's links: those of the note where the text agrees, else resolved
                for link in conn.execute(
                    f"SELECT {_LINK_COLUMNS} FROM links WHERE note_id = ?", (current.id,)
                ).fetchall():
                    self._insert_link(
                        conn, replace(_link(link), id=str(uuid.uuid4()), note_id=copy.id)
                    )
                self._write_links(conn, copy, targets, resolve is not None)
                result_id, conflict = copy.id, True
            else:
                conn.execute(
                    "UPDATE notes SET text = ?, tags = ?, kind = ?, updated = ?, deleted = NULL, "
                    "version = version + (text != ?) WHERE id = ?",
                    (
                        text,
                        json.dumps(list(parse_tags(text)), ensure_ascii=False),
                        kind,
                        now,
                        text,
                        note_id,
                    ),
                )
                self._write_links(conn, self._one(conn, note_id), targets, resolve is not None)
                result_id, conflict = note_id, False
        return Saved(self.get(result_id), conflict=conflict, was_deleted=was_deleted)

    def update(
        self,
        note_id: str,
        text: str,
        expected_version: int | None = None,
        resolve: Resolver | None = None,
    ) -> Note:
        """Change a note's text (its tags and links follow the text); see ``save``. Returns the
        note holding the text: a conflict copy (``conflict_of`` set) if, with
        ``expected_version``, another process had changed the note meanwhile."""
        return self.save(note_id, text, expected_version, resolve).note

    def delete(self, note_id: str) -> Note:
        """Soft delete: the note is hidden until ``restore``; deleting twice changes nothing."""
        with self._write() as conn:
            self._one(conn, note_id)
            conn.execute(
                "UPDATE notes SET deleted = ? WHERE id = ? AND deleted IS NULL", (_now(), note_id)
            )
        return self.get(note_id)

    def restore(self, note_id: str) -> Note:
        """Undo ``delete`` (whenever it was: deleted notes stay in the file)."""
        with self._write() as conn:
            self._one(conn, note_id)
            conn.execute("UPDATE notes SET deleted = NULL WHERE id = ?", (note_id,))
        return self.get(note_id)

    def reattach(
        self, note_id: str, article: Article, sentence_id: int, last_sentence_id: int | None = None
    ) -> Note:
        """Tie a note (an orphan, usually) to sentences of ``article`` chosen by the reader."""
        try:
            sel = anchor.selector_for(
                article.text, article.sentences, sentence_id, last_sentence_id
            )
        except ValueError as exc:
            raise NoteError(f"{exc} in {article.id!r}") from exc
        last = sentence_id if last_sentence_id is None else last_sentence_id
        with self._write() as conn:
            self._one(conn, note_id)
            conn.execute(
                "UPDATE notes SET article_id = ?, article_hash = ?, exact = ?, prefix = ?, "
                'suffix = ?, start = ?, "end" = ?, sentence_id = ?, last_sentence_id = ?, '
                "status = ?, updated = ? WHERE id = ?",
                (
                    article.id,
                    text_hash(article.text),
                    sel.exact,
                    sel.prefix,
                    sel.suffix,
                    sel.start,
                    sel.end,
                    sentence_id,
                    last,
                    anchor.ANCHORED,
                    _now(),
                    note_id,
                ),
            )
        return self.get(note_id)

    # -- re-anchoring ------------------------------------------------------------------------

    @staticmethod
    def _place(selector: anchor.Selector, status: str, article: Article | None) -> anchor.Anchor:
        if article is None:
            return anchor.orphan(selector)
        found = anchor.locate(selector, article.text, article.sentences)
        if found.status == anchor.ANCHORED and status == anchor.MOVED:
            return replace(found, status=anchor.MOVED)
        return found

    @staticmethod
    def _move_anchor(
        conn: sqlite3.Connection, table: str, row_id: str, digest: str, found: anchor.Anchor
    ) -> None:
        """Write where a note's (or a link's) passage is now."""
        conn.execute(
            f"UPDATE {table} SET article_hash = ?, exact = ?, prefix = ?, suffix = ?, "
            'start = ?, "end" = ?, sentence_id = ?, last_sentence_id = ?, status = ? '
            "WHERE id = ?",
            (
                digest,
                found.exact,
                found.prefix,
                found.suffix,
                found.start,
                found.end,
                found.sentence_id,
                found.last_sentence_id,
                found.status,
                row_id,
            ),
        )

    def reanchor(
        self, library: str, article: Article | None, article_id: str | None = None
    ) -> builtins.list[Note]:
        """Find the passages of an article's notes (and of the links pointing into it) again,
        if its text has changed since.

        ``article`` None means the article has gone (give ``article_id``): its notes are
        orphaned and kept. Deleted notes are re-anchored too, so ``restore`` finds them right.
        A note that had moved stays "moved" until ``reattach``. Returns the notes changed: those
        on the article, and those with a link into it.
        """
        if article is not None:
            article_id = article.id
        if article_id is None:
            raise ValueError("reanchor needs the article or its id")
        digest = text_hash(article.text) if article is not None else ""
        changed: builtins.list[str] = []
        with self._write() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM notes WHERE library = ? AND article_id = ? "
                "AND article_hash != ?",
                (library, article_id, digest),
            ).fetchall()
            for note in map(_note, rows):
                found = self._place(note.selector, note.status, article)
                self._move_anchor(conn, "notes", note.id, digest, found)
                changed.append(note.id)
            links = conn.execute(
                f"SELECT {_LINK_COLUMNS} FROM links WHERE library = ? AND article_id = ? "
                "AND article_hash != ? AND status != ?",
                (library, article_id, digest, UNRESOLVED),
            ).fetchall()
            for link in map(_link, links):
                found = self._place(link.selector, link.status, article)
                self._move_anchor(conn, "links", link.id, digest, found)
                changed.append(link.note_id)
        return self._notes_by_id(changed)

    def reanchor_library(
        self, library: str, lookup: Callable[[str], Article | None]
    ) -> builtins.list[Note]:
        """Re-anchor every article with notes (or links into it) whose text has changed or gone.

        ``lookup(article_id)`` gives the article as it is now, or None if it is no longer in the
        library. Returns the notes changed.
        """
        changed: builtins.list[Note] = []
        for article_id, hashes in sorted(self.article_hashes(library).items()):
            article = lookup(article_id)
            if article is None:
                if hashes != {""}:
                    changed += self.reanchor(library, None, article_id)
            elif hashes != {text_hash(article.text)}:
                changed += self.reanchor(library, article)
        return changed

    # -- libraries that move -----------------------------------------------------------------

    def register_library(self, key: str, folder: Path) -> None:
        """Remember where library ``key``'s folder is (call it each time a library is opened;
        ``adopt_moved`` needs it to tell a library that vanished). One small write, skipped when
        nothing changed."""
        folder_text = _folder_value(folder)
        rows = self._read("SELECT folder FROM libraries WHERE key = ?", (key,))
        if rows and rows[0][0] == folder_text:
            return
        if self.read_only:
            return
        with self._write() as conn:
            conn.execute(
                "INSERT INTO libraries (key, created, folder) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET folder = excluded.folder",
                (key, _now(), folder_text),
            )

    def adopt_moved(
        self, key: str, folder: Path, lookup: Callable[[str], Article | None]
    ) -> builtins.list[tuple[str, str, int]]:
        """Take over the notes of libraries whose folder has vanished and whose articles are
        these (a library folder moved or renamed).

        A library is adopted when its recorded folder no longer exists and, of the articles its
        notes are on, at least half (and at least one) are in this library under the same id
        with the very text the notes were made on (``lookup`` gives this library's article by
        id, as in ``reanchor_library``). Its notes, links and review history move here; the
        rest is re-anchored as usual. Returns (old key, old folder, notes moved) for each, and
        adds a notice. Costs one ``lookup`` per article with notes of each vanished library.
        """
        self.register_library(key, folder)
        rows = self._read(
            "SELECT key, folder FROM libraries WHERE key != ? AND folder IS NOT NULL", (key,)
        )
        adopted: builtins.list[tuple[str, str, int]] = []
        for row in rows:
            old_key, old_folder = row[0], _folder_path(row[1])
            try:
                if Path(old_folder).exists():
                    continue
            except OSError:
                continue
            hashes = self.article_hashes(old_key)
            if not hashes:
                continue
            matched = 0
            for article_id, digests in hashes.items():
                article = lookup(article_id)
                if article is not None and text_hash(article.text) in digests:
                    matched += 1
            if matched == 0 or matched * 2 < len(hashes):
                continue
            moved = self.relink(old_key, key)
            adopted.append((old_key, shown_path(old_folder), moved))
            self.notices.append(
                f"the library folder {shown_path(old_folder)} is gone and "
                f"{shown_path(os.fspath(folder))} holds its articles: "
                f"its {moved} note{'' if moved == 1 else 's'} now belong here"
            )
        return adopted

    def relink(self, old_key: str, new_key: str) -> int:
        """Move every note of library ``old_key`` (deleted ones too), its links and its review
        history to library ``new_key``; returns how many notes moved."""
        if old_key == new_key:
            return 0
        with self._write() as conn:
            count = conn.execute(
                "SELECT count(*) FROM notes WHERE library = ?", (old_key,)
            ).fetchone()[0]
            conn.execute(
                "INSERT OR IGNORE INTO libraries (key, created) VALUES (?, ?)", (new_key, _now())
            )
            conn.execute("UPDATE notes SET library = ? WHERE library = ?", (new_key, old_key))
            conn.execute("UPDATE links SET library = ? WHERE library = ?", (new_key, old_key))
            conn.execute("UPDATE reviews SET library = ? WHERE library = ?", (new_key, old_key))
            conn.execute("DELETE FROM libraries WHERE key = ?", (old_key,))
        return count


Resolver = Callable[[str], "Article | None"]
"""Finds the article a link names (``[[004 §7]]`` gives ``"004"``): an id or an id prefix, as the
command line takes them; None (or LookupError/ValueError) when there is no such article."""
