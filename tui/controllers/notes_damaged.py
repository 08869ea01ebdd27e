"""A damaged notes file: the notes controller's part that asks the person what to do with it.

The first time a worker finds the file damaged (``NoteStoreCorrupt``), the ``NotesDamaged`` modal
says where it is and asks: keep reading with the notes read-only (those still readable are shown
from a read-only copy; nothing is written), or move it aside and start afresh
(``NoteStore.recover``, as ``glossator notes recover`` does). Changes asked for meanwhile are held:
saved in the fresh file, or given back (a note's text, in its editor).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import Worker, get_current_worker

from ..widgets.layout import display_text

if TYPE_CHECKING:
    from glossator.index.notes import NoteStore

    from ..screens.notes_damaged import Choice
    from .notes import NotesController
    from .notes_changes import NoteOp


class DamagedFlow:
    """Kept by a ``NotesController`` (its host); ``path`` is the damaged file, if any."""

    def __init__(self, host: NotesController) -> None:
        self.host = host
        self.path: Path | None = None  # a damaged notes file, not set aside (yet)
        self.read_only = False  # the person chose to keep reading without writing to it
        self._asking = False
        self._held: list[NoteOp] = []  # changes asked for while the file is damaged

    def holds(self, op: NoteOp) -> bool:
        """Keep ``op`` back while the file is damaged (asking what to do); False: write it."""
        if self.path is None:
            return False
        self._held.append(op)
        if not self._asking:
            self._ask()
        return True

    def found(self, worker: Worker[None]) -> bool:
        """From the host's worker error handler: True when the worker found the notes file
        damaged; the person is then asked what to do, and the change it was making is held."""
        from glossator.index.notes import NoteStoreCorrupt

        error = worker.error
        if worker.group == "note-recover" or not isinstance(error, NoteStoreCorrupt):
            return False
        op = self.host.changes.op_of(worker)
        if op is not None:
            self._held.append(op)
        self.path = error.path
        self.host.error = f"the notes file {error.path} is damaged"
        if not self._asking and not (self.read_only and not self._held):
            self._ask()
        return True

    def reload(self) -> None:
        """The library (re)opened while the file is damaged: show what can still be read."""
        library = self.host.library
        if self.read_only and self.path is not None and library is not None:
            self._salvage(self.path, library.key)

    def _ask(self) -> None:
        from ..screens.notes_damaged import NotesDamaged

        assert self.path is not None
        self._asking = True
        self.host.app.push_screen(NotesDamaged(self.path, pending=len(self._held)), self._answered)

    def _answered(self, choice: Choice | None) -> None:
        from ..screens.notes_damaged import RECOVER

        self._asking = False
        if self.path is None:
            return
        if choice == RECOVER:
            self.host.post_message(self.host.Told("Moving the damaged notes file aside…"))
            self.host.run_worker(
                lambda: self._recover(self.path), thread=True, group="note-recover"
            )
        else:
            self._keep_read_only(self.path)

    def recover_failed(self) -> None:
        if self.path is not None:
            self._keep_read_only(self.path)  # it could not be moved: leave it be

    def _salvage(self, path: Path, library_key: str) -> None:
        def read() -> None:
            from glossator.index.notes import salvage

            self.host.set_store(None)
            notes = [n for n in salvage(path) if n.library == library_key and n.deleted is None]
            number = self.host.read(None, library_key)[0]
            if not get_current_worker().is_cancelled:
                self.host.app.call_from_thread(self.host.loaded, number, library_key, notes)

        self.host.run_worker(read, thread=True, exclusive=True, group="notes")

    def _recover(self, path: Path | None) -> None:
        """Move the damaged file aside and start a fresh store with every note still readable
        (in a worker thread)."""
        from glossator.index.notes import NoteStore, NoteStoreCorrupt, default_path

        assert path is not None
        self.host.set_store(None)
        aside: Path | None
        store: NoteStore
        try:  # another Glossator may have recovered it meanwhile
            store, aside, saved = NoteStore(None if path == default_path() else path), None, 0
        except NoteStoreCorrupt:
            store, aside, saved = NoteStore.recover(path)
        self.host.set_store(store)
        self.host.app.call_from_thread(self._recovered, path, aside, saved)

    def _recovered(self, path: Path, aside: Path | None, saved: int) -> None:
        self.path, self.read_only = None, False
        host = self.host
        host.error = None
        if aside is not None:
            plural = "note" if saved == 1 else "notes"
            kept = (
                f"with the {saved} {plural} read from it"
                if saved
                else "(no note could be read from the damaged one)"
            )
            message = (
                f"Moved the damaged notes file to {aside} (kept as it was) and started a "
                f"fresh notes file {path} {kept}."
            )
        else:
            message = f"The notes file {path} is sound again; nothing was moved."
        host.notify(display_text(message), timeout=15, markup=False)
        host.post_message(host.Told(""))
        if host.library is not None:
            host.library_opened(host.library, host.articles)
        held, self._held = self._held, []
        for op in held:  # saved now; one that fails reopens its editor with the text
            host.write(op)

    def _keep_read_only(self, path: Path) -> None:
        host = self.host
        if not self.read_only:
            self.read_only = True
            if host.library is not None:
                self._salvage(path, host.library.key)
            host.notify(
                display_text(
                    f"Notes are read-only: the notes file {path} is damaged and is left as it "
                    "is. Writing a note asks again; `glossator notes recover` also sets it aside."
                ),
                severity="warning",
                timeout=12,
                markup=False,
            )
        held, self._held = self._held, []
        for op in held:
            if op.kind in ("add", "update"):
                host.editor.open(
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
                    host.changes.restore_later(op.note)  # u can try again
                host.notify(
                    "Not done: notes are read-only while the notes file is damaged.", timeout=6
                )
