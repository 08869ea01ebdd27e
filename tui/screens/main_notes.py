"""The notes part of the main screen: every call into the notes store, and what follows from it.

``NotesMixin`` is mixed into ``MainScreen``, which stays the one place that talks to the back end.
The store (SQLite, ``index.notes``) is opened, read, re-anchored and written only in thread
workers; results come back as ``NotesLoaded`` and ``NoteWritten`` messages, and a failed worker is
reported by the screen's one ``Worker.StateChanged`` handler, which calls ``note_worker_failed``
(a failed save reopens the editor with the text, so nothing typed is lost).

A damaged notes file (``NoteStoreCorrupt``) is never written to. The first time a worker finds
one, the ``NotesDamaged`` modal says where it is and asks: keep reading with the notes read-only
(those still readable are shown from a read-only copy; nothing is written), or move it aside and
start afresh (``NoteStore.recover``, as ``glossator notes recover`` does). Changes asked for
meanwhile are held: saved in the fresh file, or given back (a note's text, in its editor).

The screen keeps the one copy of the library's notes (``self.notes``) and hands it down: the
reader marks the current article's notes, the panel under it shows the note at the cursor, the
article list counts them, the Notes tab lists them, the palette offers them.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.worker import Worker, get_current_worker

from ..widgets.layout import display_text
from ..widgets.note_panel import NotePanel, run_label
from ..widgets.notes_list import NotesList
from ..widgets.reader import Reader
from ..widgets.results import ResultsList

if TYPE_CHECKING:
    from glossator.index.library import Library
    from glossator.index.model import Article
    from glossator.index.notes import Note, NoteStore

    from .notes_damaged import Choice

UNDO_DEPTH = 20  # deleted notes that u can bring back, last first
_FIELD = re.compile(r"^\w+:")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


def note_query(query: str) -> str:
    """The words of a search query worth looking for in notes: no operators, fields, quotes or
    wildcards (the notes store matches plain words and #tags)."""
    words = []
    for raw in query.split():
        if raw in _OPERATORS or _FIELD.match(raw):
            continue
        word = raw.strip("\"'()+-").rstrip("*?~0123456789.").rstrip("*?~")
        if word and word != "#":
            words.append(word)
    return " ".join(words)


def first_words(text: str, count: int = 6) -> str:
    words = display_text(text).split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def note_help(note: Note, main: object) -> str:
    """The palette's line under a note: where it is, and its tags."""
    titles = {a.id: a.title for a in getattr(main, "articles", [])}
    where = titles.get(note.article_id, note.article_id)
    place = "orphaned" if note.sentence_id is None else run_label(note)
    tags = " ".join(f"#{t}" for t in note.tags)
    return display_text(" · ".join(p for p in (place, where, tags) if p))


# -- messages from the notes workers -----------------------------------------------------------


class NotesLoaded(Message):
    """The notes of a library, as stored now (after re-anchoring)."""

    def __init__(self, library_key: str, notes: list[Note]) -> None:
        super().__init__()
        self.library_key, self.notes = library_key, notes


@dataclass(frozen=True, slots=True)
class NoteOp:
    """One change to the notes, as asked for; kept until the worker says how it went."""

    kind: str  # "add", "update", "delete", "restore" or "reattach"
    library_key: str
    text: str = ""
    note: Note | None = None  # the note changed (all but add)
    article: Article | None = None  # add, reattach: the article and the run of sentences
    first: int = 0
    last: int = 0


class NoteWritten(Message):
    def __init__(self, op: NoteOp, note: Note, notes: list[Note]) -> None:
        super().__init__()
        self.op, self.note, self.notes = op, note, notes


class NotesRecovered(Message):
    """The damaged notes file at ``path`` was moved to ``aside`` (None: it was found sound
    again) and a fresh one holds the ``saved`` notes read from it."""

    def __init__(self, path: Path, aside: Path | None, saved: int) -> None:
        super().__init__()
        self.path, self.aside, self.saved = path, aside, saved


class NotesMixin:
    """Notes for ``MainScreen`` (which provides library, articles, reader, sidebar, status...)."""

    def init_notes(self) -> None:
        self.notes: list[Note] = []
        self.notes_store: NoteStore | None = None
        self.notes_error: str | None = None
        self._notes_lock = threading.Lock()
        self._note_ops: dict[Worker, NoteOp] = {}
        self._deleted: list[Note] = []
        self.notes_damaged: Path | None = None  # a damaged notes file, not set aside (yet)
        self.notes_read_only = False  # the person chose to keep reading without writing to it
        self._asking_damaged = False
        self._held_ops: list[NoteOp] = []  # changes asked for while the file is damaged

    @property
    def note_panel(self) -> NotePanel:
        return self.query_one(NotePanel)

    @property
    def notes_list(self) -> NotesList:
        return self.query_one(NotesList)

    def notes_help_nodes(self) -> list:
        from .note_editor import NoteEditor  # the editor and its TextArea: when first needed

        return [*self.notes_list.help_nodes(), NoteEditor("")]

    # -- workers: every call into the notes store ----------------------------------------------

    def _open_notes(self) -> NoteStore:
        """The notes store, opened on first use (in a worker thread; a failure is retried)."""
        from glossator.index.notes import NoteStoreCorrupt

        with self._notes_lock:
            damaged = self.notes_damaged
            if damaged is not None:  # not even opened again until the person has chosen
                raise NoteStoreCorrupt(f"the notes file {damaged} is damaged", damaged)
            if self.notes_store is None:
                self.notes_store = self._new_store()
            return self.notes_store

    def _notes_path(self) -> Path:
        from glossator.index.notes import FILE_NAME

        return self.store.directory / FILE_NAME

    def _new_store(self) -> NoteStore:
        from glossator.index.notes import NoteStore, default_path

        path = self._notes_path()
        return NoteStore(None if path == default_path() else path)

    def _drop_store(self) -> None:
        """Close the store the app had open (its file was found damaged)."""
        with self._notes_lock:
            store, self.notes_store = self.notes_store, None
        if store is not None:
            try:
                store.close()
            except Exception:  # closing a damaged file's connection: nothing left to lose
                pass

    @work(thread=True, exclusive=True, group="notes", exit_on_error=False)
    def load_notes(self, library: Library, known: frozenset[str]) -> None:
        """Re-anchor the notes of every article that changed or went, then read them all."""
        store = self._open_notes()

        def lookup(article_id: str) -> Article | None:
            return library.article(article_id) if article_id in known else None

        store.reanchor_library(library.key, lookup)
        notes = store.list(library.key)
        if not get_current_worker().is_cancelled:
            self.post_message(NotesLoaded(library.key, notes))

    @work(thread=True, exclusive=True, group="notes", exit_on_error=False)
    def load_damaged_notes(self, path: Path, library_key: str) -> None:
        """The notes still readable from a damaged file, read from a read-only connection (the
        same reading ``glossator notes recover`` does); nothing is written to the file."""
        from glossator.index.notes import salvage

        self._drop_store()
        notes = [n for n in salvage(path) if n.library == library_key and n.deleted is None]
        if not get_current_worker().is_cancelled:
            self.post_message(NotesLoaded(library_key, notes))

    @work(thread=True, exclusive=True, group="note-recover", exit_on_error=False)
    def recover_notes(self, path: Path) -> None:
        """Move the damaged file aside and start a fresh store with every note still readable."""
        from glossator.index.notes import NoteStore, NoteStoreCorrupt, default_path

        self._drop_store()
        try:  # another Glossator may have recovered it meanwhile
            store = NoteStore(None if path == default_path() else path)
            aside, saved = None, 0
        except NoteStoreCorrupt:
            store, aside, saved = NoteStore.recover(path)
        with self._notes_lock:
            self.notes_store = store
        self.post_message(NotesRecovered(path, aside, saved))

    @work(thread=True, exclusive=True, group="note-anchor", exit_on_error=False)
    def reanchor_article(self, library_key: str, article: Article, hashes: frozenset[str]) -> None:
        """An article was opened: if its notes refer to another version of its text, find their
        sentences again (or mark them orphaned)."""
        from glossator.index.notes import text_hash

        if hashes <= {text_hash(article.text)}:
            return
        store = self._open_notes()
        store.reanchor(library_key, article)
        notes = store.list(library_key)
        if not get_current_worker().is_cancelled:
            self.post_message(NotesLoaded(library_key, notes))

    @work(thread=True, exclusive=False, group="note-write", exit_on_error=False)
    def write_note(self, op: NoteOp) -> None:
        """Save one change at once (the store commits it before returning) and read the notes."""
        store = self._open_notes()
        if op.kind == "add":
            assert op.article is not None
            note = store.add(op.library_key, op.article, op.first, op.last, op.text)
        elif op.kind == "reattach":
            assert op.note is not None and op.article is not None
            note = store.reattach(op.note.id, op.article, op.first, op.last)
        else:
            assert op.note is not None
            if op.kind == "update":
                note = store.update(op.note.id, op.text)
            elif op.kind == "delete":
                note = store.delete(op.note.id)
            else:
                note = store.restore(op.note.id)
        self.post_message(NoteWritten(op, note, store.list(op.library_key)))

    def search_notes(self, query: str) -> list[Note]:
        """Notes matching a search (called in the search worker); [] when notes are unusable."""
        from glossator.index.notes import NoteStoreError

        library = self.library
        words = note_query(query)
        if library is None or not words or self.notes_damaged is not None:
            return []
        try:
            return self._open_notes().search(library.key, words)
        except (NoteStoreError, OSError):
            return []  # the search of the articles goes on; the notes' trouble is told elsewhere

    def note_worker_corrupt(self, worker: Worker) -> bool:
        """From the screen's worker error handler: True when the worker found the notes file
        damaged; the person is then asked what to do, and the change it was making is held."""
        from glossator.index.notes import NoteStoreCorrupt

        error = worker.error
        if worker.group == "note-recover" or not isinstance(error, NoteStoreCorrupt):
            return False
        op = self._note_ops.pop(worker, None)
        if op is not None:
            self._held_ops.append(op)
        self.notes_found_damaged(error.path)
        return True

    def note_worker_failed(self, worker: Worker, message: str) -> None:
        """From the screen's worker error handler: keep what the person wrote."""
        if worker.group == "notes":
            self.notes_error = message
        if worker.group == "note-recover" and self.notes_damaged is not None:
            self._keep_read_only(self.notes_damaged)  # it could not be moved: leave it be
            return
        op = self._note_ops.pop(worker, None)
        if op is None or op.kind not in ("add", "update"):
            return
        baseline = op.note.text if op.note is not None else ""
        self._open_editor(
            op,
            op.text,
            error=f"{message}\nYour text is kept here: ctrl+s tries again.",
            baseline=baseline,
        )

    def _write(self, op: NoteOp) -> None:
        if self.notes_damaged is not None:  # nothing is written until the person has chosen
            self._held_ops.append(op)
            if not self._asking_damaged:
                self._ask_damaged()
            return
        self._note_ops[self.write_note(op)] = op

    # -- a damaged notes file ------------------------------------------------------------------

    def notes_found_damaged(self, path: Path) -> None:
        self.notes_damaged = path
        self.notes_error = f"the notes file {path} is damaged"
        if self._asking_damaged or (self.notes_read_only and not self._held_ops):
            return  # asked already, or the answer stands and nothing waits
        self._ask_damaged()

    def _ask_damaged(self) -> None:
        assert self.notes_damaged is not None
        self._asking_damaged = True
        from .notes_damaged import NotesDamaged

        modal = NotesDamaged(self.notes_damaged, pending=len(self._held_ops))
        self.app.push_screen(modal, self._damaged_answered)

    def _damaged_answered(self, choice: Choice | None) -> None:
        self._asking_damaged = False
        path = self.notes_damaged
        if path is None:
            return
        from .notes_damaged import RECOVER

        if choice == RECOVER:
            self.status.set_text("Moving the damaged notes file aside…")
            self.recover_notes(path)
        else:
            self._keep_read_only(path)

    def _keep_read_only(self, path: Path) -> None:
        first = not self.notes_read_only
        self.notes_read_only = True
        if first:
            if self.library is not None:
                self.load_damaged_notes(path, self.library.key)
            self.notify(
                display_text(
                    f"Notes are read-only: the notes file {path} is damaged and is left as it "
                    "is. Writing a note asks again; `glossator notes recover` also sets it aside."
                ),
                severity="warning",
                timeout=12,
                markup=False,
            )
        held, self._held_ops = self._held_ops, []
        for op in held:
            if op.kind in ("add", "update"):
                self._open_editor(
                    op,
                    op.text,
                    error=(
                        f"Not saved: the notes file {path} is damaged and notes are read-only. "
                        "ctrl+s asks again (m saves your note in a fresh file); escape discards "
                        "it (asks first)."
                    ),
                    baseline=op.note.text if op.note is not None else "",
                )
            else:
                if op.kind == "restore" and op.note is not None:
                    self._deleted.append(op.note)  # u can try again
                self.notify(
                    "Not done: notes are read-only while the notes file is damaged.", timeout=6
                )

    def on_notes_recovered(self, event: NotesRecovered) -> None:
        self.notes_damaged = None
        self.notes_read_only = False
        self.notes_error = None
        if event.aside is not None:
            plural = "note" if event.saved == 1 else "notes"
            kept = (
                f"with the {event.saved} {plural} read from it"
                if event.saved
                else "(no note could be read from the damaged one)"
            )
            message = (
                f"Moved the damaged notes file to {event.aside} (kept as it was) and started a "
                f"fresh notes file {event.path} {kept}."
            )
        else:
            message = f"The notes file {event.path} is sound again; nothing was moved."
        self.notify(display_text(message), timeout=15, markup=False)
        self._show_library_status()
        if self.library is not None:
            self.load_notes(self.library, frozenset(a.id for a in self.articles))
        held, self._held_ops = self._held_ops, []
        for op in held:  # saved now; one that fails reopens its editor with the text
            self._write(op)

    # -- results of the workers ----------------------------------------------------------------

    def on_notes_loaded(self, event: NotesLoaded) -> None:
        if self.library is not None and event.library_key == self.library.key:
            self.notes_error = None
            self._set_notes(event.notes)

    def on_note_written(self, event: NoteWritten) -> None:
        self._note_ops = {w: op for w, op in self._note_ops.items() if op is not event.op}
        op, note = event.op, event.note
        if self.library is not None and op.library_key == self.library.key:
            self._set_notes(event.notes)
            if op.article is not None and self.cache.get(op.article.id) is not op.article:
                # written on a version of the article that has since changed or gone
                self.notes_library_opened()
        if op.kind == "add":
            self.notify("Note saved", timeout=3)
        elif op.kind == "update":
            self.notify("Note saved", timeout=3)
        elif op.kind == "delete":
            self._deleted = [n for n in self._deleted if n.id != note.id][-UNDO_DEPTH + 1 :]
            self._deleted.append(note)
            self.notify("Note deleted — u to undo", timeout=6)
        elif op.kind == "restore":
            self.notify("Note restored", timeout=3)
        elif op.kind == "reattach":
            self.notify(f"Note re-attached to {run_label(note)}", timeout=4)

    def _set_notes(self, notes: list[Note]) -> None:
        self.notes = notes
        self.reader.set_notes(notes)
        self.notes_position_changed()
        self.sidebar.set_note_counts(Counter(n.article_id for n in notes))
        self.notes_list.set_notes(notes, self.articles)

    # -- hooks called by the screen ------------------------------------------------------------

    def notes_library_opened(self) -> None:
        """The library opened, or its articles changed: notes of a changed article are placed
        again, those of an article that went are kept as orphans."""
        self.results.titles = {a.id: a.title for a in self.articles}
        if self.library is None:
            return
        if self.notes_damaged is not None:
            if self.notes_read_only:
                self.load_damaged_notes(self.notes_damaged, self.library.key)
            return
        self.load_notes(self.library, frozenset(a.id for a in self.articles))

    def notes_article_shown(self, article: Article) -> None:
        self.reader.set_notes(self.notes)
        hashes = frozenset(n.article_hash for n in self.notes if n.article_id == article.id)
        if hashes and self.library is not None and self.notes_damaged is None:
            self.reanchor_article(self.library.key, article, hashes)

    def notes_position_changed(self) -> None:
        self.note_panel.show_notes(self.reader.notes_here)

    # -- writing, editing, deleting -------------------------------------------------------------

    def _open_editor(
        self, op: NoteOp, text: str, *, error: str | None = None, baseline: str | None = None
    ) -> None:
        if op.kind == "add":
            assert op.article is not None
            sentences = op.article.sentences[op.first : op.last + 1]
            quote = " ".join(s.text for s in sentences)
            count = op.last - op.first + 1
            run = (
                f"sentence {op.first + 1}"
                if count == 1
                else f"sentences {op.first + 1}–{op.last + 1}"
            )
            where, title = f"{run} · {op.article.title}", "New note"
        else:
            assert op.note is not None
            quote, title = op.note.quote, "Edit note"
            where = f"{run_label(op.note)} · {self._title_of(op.note.article_id)}"

        if error is None and self.notes_damaged is not None:
            error = "Notes are read-only: the notes file is damaged. ctrl+s asks what to do."

        def done(result: str | None) -> None:
            if result is None:
                return
            if op.kind == "update" and op.note is not None and result.strip() == op.note.text:
                return  # nothing changed
            self._write(replace(op, text=result))
            if op.kind == "add":
                self.reader.clear_selection()

        from .note_editor import NoteEditor

        editor = NoteEditor(quote, text, title=title, where=where, error=error, baseline=baseline)
        self.app.push_screen(editor, done)

    def _title_of(self, article_id: str) -> str:
        for info in self.articles:
            if info.id == article_id:
                return info.title
        return article_id

    def _notes_usable(self) -> bool:
        if self.library is None:
            self.notify("The library is still opening; notes come with it.", timeout=3)
            return False
        return True

    def on_reader_annotate_requested(self, event: Reader.AnnotateRequested) -> None:
        if not self._notes_usable():
            return
        assert self.library is not None
        op = NoteOp(
            "add", self.library.key, article=event.article, first=event.first, last=event.last
        )
        self._open_editor(op, "")

    def on_reader_note_edit_requested(self, event: Reader.NoteEditRequested) -> None:
        if not self._notes_usable():
            return
        assert self.library is not None
        op = NoteOp("update", self.library.key, note=event.note)
        self._open_editor(op, event.note.text)

    def on_reader_note_delete_requested(self, event: Reader.NoteDeleteRequested) -> None:
        if self._notes_usable():
            assert self.library is not None
            self._write(NoteOp("delete", self.library.key, note=event.note))

    def on_reader_note_undo_requested(self, event: Reader.NoteUndoRequested) -> None:
        if not self._deleted:
            self.notify("No deleted note to bring back.", timeout=3)
            return
        note = self._deleted.pop()
        self._write(NoteOp("restore", note.library, note=note))

    def on_reader_selection_changed(self, event: Reader.SelectionChanged) -> None:
        if event.selection is None:
            self._show_library_status()
            return
        first, last = event.selection
        n = last - first + 1
        what = "1 sentence" if n == 1 else f"{n} sentences"
        self.status.set_text(f"{what} selected · a annotates · escape clears")

    def on_notes_list_reattach_requested(self, event: NotesList.ReattachRequested) -> None:
        reader = self.reader
        article = reader.article
        if article is None or not self._notes_usable():
            self.notify("Open the article and go to the sentence first.", timeout=3)
            return
        assert self.library is not None
        first, last = reader.selection or (reader.sentence, reader.sentence)
        self._write(
            NoteOp(
                "reattach",
                self.library.key,
                note=event.note,
                article=article,
                first=first,
                last=last,
            )
        )
        reader.clear_selection()

    # -- going to notes: m/M, the Notes tab, search results, the palette ----------------------

    def go_to_note(self, note: Note) -> None:
        """Show the note's sentence in the reader (an orphan: its article, and say so)."""
        known = any(a.id == note.article_id for a in self.articles)
        if note.sentence_id is None:
            if known:
                self.open_article(note.article_id, 0)
            self.notify(
                "This note is orphaned: its sentence was not found after the article changed. "
                "Go to the right sentence, then press r on the note in the Notes tab (3).",
                severity="warning",
                timeout=8,
            )
            self.show_reader()
            return
        if not known:
            return
        current = self.reader.article
        if current is not None and current.id == note.article_id:
            self.reader.go_to_sentence(note.sentence_id, center=True)
        else:
            self.open_article(note.article_id, note.sentence_id)
        self.show_reader()

    def on_notes_list_note_chosen(self, event: NotesList.NoteChosen) -> None:
        self.go_to_note(event.note)

    def on_results_list_note_selected(self, event: ResultsList.NoteSelected) -> None:
        self.remember_search(event.query)
        self.go_to_note(event.note)

    def on_reader_note_jump_requested(self, event: Reader.NoteJumpRequested) -> None:
        order = {a.id: i for i, a in enumerate(self.articles)}
        places = sorted(
            {
                (order[n.article_id], n.sentence_id, n.article_id)
                for n in self.notes
                if n.sentence_id is not None and n.article_id in order
            }
        )
        if not places:
            self.notify("No notes yet: a annotates the sentence you are on.", timeout=3)
            return
        self.step_through(places, event.step, lambda number, count: f"note {number}/{count}")
