"""The notes of the library: every call into the notes store, the one copy of the notes in memory,
the undo of deletions, the note editor and its draft on disk.

A non-visual widget. The store (SQLite, ``glossator.index.notes``) is opened, read, re-anchored
and written only in thread workers; what they find comes back through ``call_from_thread``, and
the screen hears ``NotesController.Changed`` with the notes as stored now (and hands them down to
the reader, the note panel, the article list and the Notes tab). A failed save reopens the editor
with the text; while a note is typed its draft is on disk (``glossator.index.drafts``) at most a
second behind the last key, and a draft left by a process that died is offered back on its
sentence at the next start.

Each change (a ``NoteOp``) is made in a worker by ``ChangeFlow`` (``notes_changes.py``), which
keeps the changes in flight and the undo of deletions. A damaged notes file is never written to:
``DamagedFlow`` (``notes_damaged.py``) asks the person what to do and holds the changes asked for
meanwhile.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker

from ..widgets.layout import display_text
from .notes_changes import UNDO_DEPTH, ChangeFlow, NoteOp
from .notes_damaged import DamagedFlow
from .notes_drafts import EditorFlow
from .notes_marks import MarkFlow

if TYPE_CHECKING:
    from glossator.index.drafts import DraftStore
    from glossator.index.library import ArticleInfo, Library
    from glossator.index.model import Article
    from glossator.index.notes import Note, NoteStore

    from .notes_write import Resolve


class NotesController(Widget):
    """Owns the notes of the library shown; posts ``Changed`` and ``Wanted``."""

    DEFAULT_CSS = "NotesController { display: none; }"

    class Changed(Message):
        """The notes of the library, as stored now."""

        def __init__(self, notes: list[Note], deleted: list[Note]) -> None:
            super().__init__()
            self.notes, self.deleted = notes, deleted

    class Wanted(Message):
        """Show sentence ``sentence`` of ``article_id`` in the reader (``None``: its start)."""

        def __init__(self, article_id: str, sentence: int | None) -> None:
            super().__init__()
            self.article_id, self.sentence = article_id, sentence

    class Told(Message):
        def __init__(self, text: str, kind: str = "") -> None:
            super().__init__()
            self.text, self.kind = text, kind

    class Submitted(Message):
        """A note was written (or re-attached) from the reader's selection: clear it."""

    def __init__(self, data_dir: Path, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data_dir = data_dir
        self.library: Library | None = None
        self.articles: list[ArticleInfo] = []
        self.notes: list[Note] = []
        self.deleted: list[Note] = []  # recently deleted, restorable (from the store)
        self.error: str | None = None
        self.store: NoteStore | None = None
        self._lock = threading.Lock()
        self.changes = ChangeFlow(self)
        self.damaged = DamagedFlow(self)
        self._drafts: DraftStore | None = None
        self._token: object = None  # the store's change token when the notes were last read
        # Reads of the notes are numbered in the order they read the store: a read that ends
        # after a later one (a library's load overtaken by a save's own read) is not shown
        self._reads = threading.Lock()
        self._read_count = 0
        self._shown_read = 0
        self.editor = EditorFlow(self)
        self.marks = MarkFlow(self)

    # -- the store, opened in a worker on first use ------------------------------------------------

    @property
    def path(self) -> Path:
        from glossator.index.notes import FILE_NAME

        return self.data_dir / FILE_NAME

    def open_store(self, write: bool = False) -> NoteStore:
        """The notes store (called in worker threads; a failure is tried again next time).

        When the notes file cannot be opened for writing (a full disk, a read-only folder),
        reading goes on from a read-only copy (``NoteStore.snapshot``); a ``write`` tries the
        real file again first, and fails with the reason rather than write into the copy."""
        from glossator.index.notes import NoteStore, NoteStoreCorrupt, NoteStoreError, default_path

        with self._lock:
            if self.damaged.path is not None:  # not opened again until the person has chosen
                raise NoteStoreCorrupt(f"the notes file {self.damaged.path} is damaged", self.path)
            store = self.store
            if store is None or (write and store.read_only):
                path = self.path
                try:
                    fresh = NoteStore(None if path == default_path() else path)
                except NoteStoreCorrupt:
                    raise
                except NoteStoreError as exc:
                    if write or store is not None:
                        raise
                    fresh = NoteStore.snapshot(path, why=str(exc))
                if store is not None:
                    store.close()
                self.store = store = fresh
            return store

    def take_notices(self, store: NoteStore) -> None:
        """Say what the store noticed and was not asked about (in a worker thread)."""
        told, store.notices[:] = list(store.notices), []
        for notice in told:
            self.app.call_from_thread(
                self.notify, display_text(notice[:1].upper() + notice[1:] + "."),
                severity="warning", timeout=12, markup=False,
            )  # fmt: skip

    def read(self, store: NoteStore | None, library_key: str) -> tuple[int, list[Note], object]:
        """The notes of ``library_key`` with the deleted ones, the store's change token and the
        read's number, for ``loaded`` (in worker threads). ``store`` None: a number only, for
        notes read elsewhere (salvaged from a damaged file)."""
        with self._reads:
            self._read_count += 1
            if store is None:
                return self._read_count, [], None
            notes = store.list(library_key) + store.recently_deleted(library_key)
            return self._read_count, notes, store.change_token()

    def check_changed(self) -> None:
        """On focus, ctrl+r and the periodic look: another process may have written notes."""
        if self.library is not None and self.damaged.path is None and self.store is not None:
            self._check(self.library, self._token)

    @work(thread=True, exclusive=True, group="notes-check", exit_on_error=False)
    def _check(self, library: Library, token: object) -> None:
        store = self.open_store()
        now = store.change_token()
        if now != token and not get_current_worker().is_cancelled:
            number, notes, read_token = self.read(store, library.key)
            self.take_notices(store)
            self.app.call_from_thread(self.loaded, number, library.key, notes, read_token)

    def set_store(self, store: NoteStore | None) -> None:
        with self._lock:
            old, self.store = self.store, store
        if old is not None and old is not store:
            try:
                old.close()
            except Exception:  # closing a damaged file's connection: nothing left to lose
                pass

    def drafts(self) -> DraftStore:
        if self._drafts is None:
            from glossator.index.drafts import DraftStore

            self._drafts = DraftStore(self.data_dir)
        return self._drafts

    # -- reading -----------------------------------------------------------------------------------

    def library_opened(self, library: Library, articles: list[ArticleInfo]) -> None:
        """The library opened, or its articles changed: notes of a changed article are placed
        again, those of an article that went are kept as orphans."""
        self.library, self.articles = library, articles
        if self.damaged.path is not None:
            self.damaged.reload()
            return
        self._load(library, frozenset(a.id for a in articles))

    @work(thread=True, exclusive=True, group="notes", exit_on_error=False)
    def _load(self, library: Library, known: frozenset[str]) -> None:
        store = self.open_store()

        def lookup(article_id: str) -> Article | None:
            return library.article(article_id) if article_id in known else None

        if not store.read_only:  # a folder moved or renamed: its notes follow their articles
            store.adopt_moved(library.key, library.folder, lookup)
        store.reanchor_library(library.key, lookup)
        number, notes, token = self.read(store, library.key)
        self.take_notices(store)
        offer = [] if self.editor.offered else self.drafts().left_behind(library.key)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.loaded, number, library.key, notes, token)
            if offer:
                self.app.call_from_thread(self.editor.offer, offer)

    def loaded(
        self, number: int, library_key: str, notes: list[Note], token: object = None
    ) -> None:
        """The notes as read ``number`` found them (``read``): shown, unless a later read
        is shown already."""
        if self.library is None or library_key != self.library.key or number < self._shown_read:
            return
        self._shown_read = number
        if token is not None:
            self._token = token
        self.error = None
        self.notes = [n for n in notes if n.deleted is None]
        self.deleted = sorted(
            (n for n in notes if n.deleted is not None), key=lambda n: n.deleted or "", reverse=True
        )[:UNDO_DEPTH]
        self.post_message(self.Changed(self.notes, self.deleted))

    def article_shown(self, article: Article) -> None:
        """An article was opened: if its notes refer to another version of its text, find
        their sentences again (or mark them orphaned)."""
        hashes = frozenset(n.article_hash for n in self.notes if n.article_id == article.id)
        if hashes and self.library is not None and self.damaged.path is None:
            self._reanchor(self.library.key, article, hashes)

    @work(thread=True, exclusive=True, group="note-anchor", exit_on_error=False)
    def _reanchor(self, library_key: str, article: Article, hashes: frozenset[str]) -> None:
        from glossator.index.notes import text_hash

        if hashes <= {text_hash(article.text)}:
            return
        store = self.open_store()
        store.reanchor(library_key, article)
        number, notes, token = self.read(store, library_key)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.loaded, number, library_key, notes, token)

    def search(self, query: str) -> list[Note]:
        """Notes matching a search (called in the search worker); [] when notes are unusable."""
        from glossator.index.notes import NoteStoreError

        library = self.library
        words = note_query(query)
        if library is None or not words or self.damaged.path is not None:
            return []
        try:
            return self.open_store().search(library.key, words)
        except (NoteStoreError, OSError):
            return []  # the search of the articles goes on; the notes' trouble is told elsewhere

    def counts(self) -> Counter[str]:
        return Counter(n.article_id for n in self.notes)

    def places(self) -> list[tuple[int, int, str]]:
        """Every placed note as (article index, sentence, article id), in reading order."""
        order = {a.id: i for i, a in enumerate(self.articles)}
        return sorted(
            {
                (order[n.article_id], n.sentence_id, n.article_id)
                for n in self.notes
                if n.sentence_id is not None and n.article_id in order
            }
        )

    # -- writing -----------------------------------------------------------------------------------

    def write(self, op: NoteOp) -> Worker[None] | None:
        """Make ``op`` in a worker (see ``ChangeFlow.write``)."""
        return self.changes.write(op)

    def resolver(self) -> Resolve | None:
        """Finds the article of a ``[[004 §7]]`` link (in worker threads); None before the
        library is open."""
        from .notes_write import resolver

        library = self.library
        return resolver(library, [a.id for a in self.articles]) if library is not None else None

    async def wait_for_saves(self) -> bool:
        """Before quitting: every save asked for is finished; False when one failed (see
        ``ChangeFlow``)."""
        return await self.changes.wait_for_saves()

    def undo(self) -> None:
        self.changes.undo()

    def restore(self, note: Note) -> None:
        self.changes.restore(note)

    def usable(self) -> bool:
        if self.library is None:
            self.notify("The library is still opening; notes come with it.", timeout=3)
            return False
        return True

    def annotate(self, article: Article, first: int, last: int) -> None:
        if self.usable():
            assert self.library is not None
            op = NoteOp("add", self.library.key, article=article, first=first, last=last)
            self.editor.open(op, "")

    def pick(self, action: str, notes: list[Note], then: Callable[[Note], None]) -> None:
        """``then`` one of ``notes``: asks which when there are several."""
        if not notes or not self.usable():
            return
        if len(notes) == 1:
            then(notes[0])
            return
        from ..screens.note_picker import NotePicker

        def chosen(note: Note | None) -> None:
            if note is not None:
                then(note)

        self.app.push_screen(NotePicker(action, notes), chosen)

    def act(self, action: str, notes: list[Note]) -> None:
        """Edit or delete one of ``notes`` (asks which when there are several)."""
        self.pick(action, notes, lambda note: self._act(action, note))

    def _act(self, action: str, note: Note) -> None:
        assert self.library is not None
        if action == "edit":
            self.editor.edit(self.library.key, note)
        else:
            self.write(NoteOp("delete", self.library.key, note=note))

    def reload_notes(self) -> None:
        """Read the notes again (labels renamed or removed change them)."""
        if self.library is not None and self.damaged.path is None:
            self._check(self.library, None)

    def reattach(self, note: Note, article: Article | None, run: tuple[int, int]) -> None:
        if article is None or not self.usable():
            self.notify("Open the article and go to the sentence first.", timeout=3)
            return
        assert self.library is not None
        op = NoteOp("reattach", self.library.key, note=note, article=article)
        self.write(replace(op, first=run[0], last=run[1]))
        self.post_message(self.Submitted())

    def go_to(self, note: Note) -> None:
        """Show the note's sentence in the reader (an orphan: its article, and say so)."""
        known = any(a.id == note.article_id for a in self.articles)
        if note.sentence_id is None:
            if known:
                self.post_message(self.Wanted(note.article_id, None))
            self.notify(
                "This note is orphaned: its sentence was not found after the article changed. "
                "Go to the right sentence, then press r on the note in the Notes tab (3).",
                severity="warning",
                timeout=8,
            )
        elif known:
            self.post_message(self.Wanted(note.article_id, note.sentence_id))

    # -- the editor and its draft ------------------------------------------------------------------

    def flush_draft(self) -> None:
        """Write the open editor's draft now, on this thread (the terminal is going away)."""
        self.editor.flush()

    def title_of(self, article_id: str) -> str:
        return next((a.title for a in self.articles if a.id == article_id), article_id)

    # -- failures ------------------------------------------------------------------------------

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        if event.state != WorkerState.ERROR:
            return
        worker = event.worker
        if self.damaged.found(worker):
            return  # a damaged notes file: the person is asked what to do with it
        what = {
            "notes": "Your notes could not be read",
            "note-anchor": "Your notes could not be re-anchored",
            "note-write": "Your note could not be saved",
            "note-recover": "The damaged notes file could not be set aside",
            "draft": "The note you are typing could not be kept on disk",
            "note-read": "The note could not be read",
        }.get(worker.group, "Something went wrong with your notes")
        message = f"{what}: {str(worker.error) or type(worker.error).__name__}"
        self.notify(display_text(message), severity="error", timeout=8, markup=False)
        if worker.group == "notes":
            self.error = message
        if worker.group == "note-recover":
            self.damaged.recover_failed()
            return
        self.changes.failed(worker, message)


def note_query(query: str) -> str:
    """The words of a search query worth looking for in notes: no operators, fields, quotes or
    wildcards (the notes store matches plain words and #tags)."""
    import re

    words = []
    for raw in query.split():
        if raw in {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"} or re.match(r"^\w+:", raw):
            continue
        word = raw.strip("\"'()+-").rstrip("*?~0123456789.").rstrip("*?~")
        if word and word != "#":
            words.append(word)
    return " ".join(words)
