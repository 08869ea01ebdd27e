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

Deleting is soft (``deleted`` holds the time), so ``restore`` can undo it.
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import json
import os
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import anchor, paths
from .model import Article
from .textutil import neutralise

__all__ = [
    "MIGRATIONS",
    "STATUSES",
    "Note",
    "NoteError",
    "NoteNotFound",
    "NoteStore",
    "NoteStoreCorrupt",
    "NoteStoreError",
    "default_path",
    "parse_tags",
    "text_hash",
]

FILE_NAME = "notes.sqlite3"
BUSY_TIMEOUT_MS = 10_000
STATUSES = (anchor.ANCHORED, anchor.MOVED, anchor.ORPHANED)

# "#supply", "#supply-chain", "#café"; not "C#", "a#b", "&#39;" or a bare number ("#1").
_TAG = re.compile(r"(?<![\w&#/])#(\w+(?:[-_]\w+)*)")


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

    @property
    def quote(self) -> str:
        return self.exact

    @property
    def orphaned(self) -> bool:
        return self.status == anchor.ORPHANED

    @property
    def selector(self) -> anchor.Selector:
        return anchor.Selector(self.exact, self.prefix, self.suffix, self.start, self.end)

    def to_json(self) -> dict:
        data = asdict(self)
        data["tags"] = list(self.tags)
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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _clean_text(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
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


# MIGRATIONS[n] brings a file at user_version n to n + 1, inside the caller's transaction.
# Append, never edit: a file's version says which of these it has had.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1]

_COLUMNS = (
    'id, library, article_id, article_hash, exact, prefix, suffix, start, "end", sentence_id, '
    "last_sentence_id, text, tags, status, created, updated, deleted"
)


def _note(row: sqlite3.Row) -> Note:
    try:
        tags = tuple(str(t) for t in json.loads(row["tags"]))
    except (TypeError, ValueError):
        tags = parse_tags(row["text"])
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
    )


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
                f"SELECT rowid AS rowid_, {_COLUMNS} FROM notes WHERE rowid > ? ORDER BY rowid",
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
    if note.status not in STATUSES or not note.text.strip():
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


class NoteStore:
    """The notes file. Safe to share between threads; other processes may write at once."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.backup_path: Path | None = None  # the copy taken before the last migration
        self._lock = threading.RLock()
        try:
            _private_dir(self.path.parent, always=path is None)
            _private_file(self.path)
        except OSError as exc:
            raise NoteStoreError(
                f"cannot create the notes file {self.path}: {exc.strerror or exc}"
                + (f" ({exc.filename})" if exc.filename and exc.filename != str(self.path) else "")
            ) from exc
        try:
            self._conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # transactions are begun and ended here, explicitly
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise NoteStoreError(f"cannot open the notes file {self.path}: {exc}") from exc
        self._conn.row_factory = sqlite3.Row
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._check_integrity()  # before anything writes to the file, even its header
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._use_wal()
            self._conn.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except sqlite3.Error as exc:
            self._conn.close()
            raise self._problem(exc) from exc
        except BaseException:
            self._conn.close()
            raise

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
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while any(Path(f"{aside}{s}").exists() for s in ("", "-wal", "-shm")):
            n += 1
            aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        try:
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{path}{suffix}")
                if source.exists():
                    os.replace(source, Path(f"{aside}{suffix}"))
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

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with BEGIN IMMEDIATE (waits up to the busy timeout)."""
        with self._lock:
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

    def _read(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self._problem(exc) from exc

    @property
    def version(self) -> int:
        return self._read("PRAGMA user_version")[0][0]

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
                if found > 0 or conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
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

    def get(self, note_id: str) -> Note:
        """The note with this id, deleted or not; NoteNotFound if there is none."""
        rows = self._read(f"SELECT {_COLUMNS} FROM notes WHERE id = ?", (note_id,))
        if not rows:
            raise NoteNotFound(f"no note {note_id!r}")
        return _note(rows[0])

    def list(self, library: str, include_deleted: bool = False) -> list[Note]:
        """The notes of one library, oldest first."""
        where = "" if include_deleted else " AND deleted IS NULL"
        rows = self._read(
            f"SELECT {_COLUMNS} FROM notes WHERE library = ?{where} ORDER BY created, rowid",
            (library,),
        )
        return [_note(r) for r in rows]

    def for_article(self, library: str, article_id: str) -> builtins.list[Note]:
        """The notes of one article (not deleted), in text order."""
        rows = self._read(
            f"SELECT {_COLUMNS} FROM notes WHERE library = ? AND article_id = ? "
            'AND deleted IS NULL ORDER BY start, "end", created, rowid',
            (library, article_id),
        )
        return [_note(r) for r in rows]

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
        """For each article with notes (deleted ones too), the text hashes its notes refer to."""
        rows = self._read(
            "SELECT DISTINCT article_id, article_hash FROM notes WHERE library = ?", (library,)
        )
        hashes: dict[str, set[str]] = {}
        for row in rows:
            hashes.setdefault(row["article_id"], set()).add(row["article_hash"])
        return hashes

    # -- writing -----------------------------------------------------------------------------

    def _insert(self, conn: sqlite3.Connection, note: Note) -> None:
        conn.execute(
            "INSERT OR IGNORE INTO libraries (key, created) VALUES (?, ?)",
            (note.library, note.created),
        )
        conn.execute(
            f"INSERT INTO notes ({_COLUMNS}) VALUES ({', '.join('?' * 17)})",
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
            ),
        )

    def _one(self, conn: sqlite3.Connection, note_id: str) -> Note:
        row = conn.execute(f"SELECT {_COLUMNS} FROM notes WHERE id = ?", (note_id,)).fetchone()
        if row is None:
            raise NoteNotFound(f"no note {note_id!r}")
        return _note(row)

    def add(
        self,
        library: str,
        article: Article,
        first_sentence: int,
        last_sentence: int | None,
        text: str,
    ) -> Note:
        """A new note on sentences ``first_sentence``..``last_sentence`` (ids) of ``article``."""
        text = _clean_text(text)
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
        )
        with self._write() as conn:
            self._insert(conn, note)
        return note

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
    ) -> Note:
        """A note from elsewhere (an import), placed in ``article``'s text by re-anchoring.

        ``selector`` is where the passage was; ``article`` None means the article is not in the
        library (the note is kept, orphaned). ``note_id`` is used unless a note already has it.
        """
        text = _clean_text(text)
        selector = anchor.Selector(
            neutralise(selector.exact),  # as article texts are: the quote is found in them
            neutralise(selector.prefix),
            neutralise(selector.suffix),
            selector.start,
            selector.end,
        )
        now = _now()
        note_id = note_id or str(uuid.uuid4())
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM notes WHERE id = ?", (note_id,)).fetchone():
                note_id = str(uuid.uuid4())
            found = (
                anchor.locate(selector, article.text, article.sentences)
                if article is not None
                else anchor.orphan(selector)
            )
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
            )
            self._insert(conn, note)
        return note

    def update(self, note_id: str, text: str) -> Note:
        """Change a note's text (its tags follow the text)."""
        text = _clean_text(text)
        with self._write() as conn:
            self._one(conn, note_id)
            conn.execute(
                "UPDATE notes SET text = ?, tags = ?, updated = ? WHERE id = ?",
                (text, json.dumps(list(parse_tags(text)), ensure_ascii=False), _now(), note_id),
            )
            return self._one(conn, note_id)

    def delete(self, note_id: str) -> Note:
        """Soft delete: the note is hidden until ``restore``; deleting twice changes nothing."""
        with self._write() as conn:
            self._one(conn, note_id)
            conn.execute(
                "UPDATE notes SET deleted = ? WHERE id = ? AND deleted IS NULL", (_now(), note_id)
            )
            return self._one(conn, note_id)

    def restore(self, note_id: str) -> Note:
        """Undo ``delete``."""
        with self._write() as conn:
            self._one(conn, note_id)
            conn.execute("UPDATE notes SET deleted = NULL WHERE id = ?", (note_id,))
            return self._one(conn, note_id)

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
            return self._one(conn, note_id)

    # -- re-anchoring ------------------------------------------------------------------------

    def reanchor(
        self, library: str, article: Article | None, article_id: str | None = None
    ) -> builtins.list[Note]:
        """Find the passages of an article's notes again, if its text has changed since.

        ``article`` None means the article has gone (give ``article_id``): its notes are
        orphaned and kept. Deleted notes are re-anchored too, so ``restore`` finds them right.
        A note that had moved stays "moved" until ``reattach``. Returns the notes changed.
        """
        if article is not None:
            article_id = article.id
        if article_id is None:
            raise ValueError("reanchor needs the article or its id")
        digest = text_hash(article.text) if article is not None else ""
        changed: builtins.list[Note] = []
        with self._write() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM notes WHERE library = ? AND article_id = ? "
                "AND article_hash != ?",
                (library, article_id, digest),
            ).fetchall()
            for note in map(_note, rows):
                if article is None:
                    found = anchor.Anchor(
                        anchor.ORPHANED,
                        note.start,
                        note.end,
                        None,
                        None,
                        note.exact,
                        note.prefix,
                        note.suffix,
                        0.0,
                    )
                else:
                    found = anchor.locate(note.selector, article.text, article.sentences)
                status = found.status
                if status == anchor.ANCHORED and note.status == anchor.MOVED:
                    status = anchor.MOVED
                conn.execute(
                    "UPDATE notes SET article_hash = ?, exact = ?, prefix = ?, suffix = ?, "
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
                        status,
                        note.id,
                    ),
                )
                changed.append(self._one(conn, note.id))
        return changed

    def reanchor_library(self, library: str, lookup: Callable[[str], Article | None]) -> builtins.list[Note]:
        """Re-anchor every article with notes whose text has changed or gone.

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
