"""The changes to the notes: the notes controller's part that makes each change asked for (a
``NoteOp``) in a write worker, keeps it until the worker says how it went, and keeps the undo of
deletions.

What each change does in the store is ``notes_write.apply``'s. A change in flight is waited for
before quitting; one that fails goes back to where it came from (a note's text to its editor, a
note that could not be restored back to the undo).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.worker import Worker

if TYPE_CHECKING:
    from glossator.index.model import Article
    from glossator.index.notes import Note

    from .notes import NotesController
    from .notes_write import Outcome

UNDO_DEPTH = 20  # deleted notes that u brings back, last first


@dataclass(frozen=True, slots=True)
class NoteOp:
    """One change to the notes, as asked for; kept until the worker says how it went."""

    kind: str  # "add", "highlight", "update", "labels", "delete", "restore" or "reattach"
    library_key: str
    text: str = ""
    note: Note | None = None  # the note changed (all but add and highlight)
    article: Article | None = None  # add, highlight, reattach: the article and the run
    first: int = 0
    last: int = 0
    draft: str | None = None  # the draft this text was typed in, removed once saved
    labels: tuple[str, ...] | None = None  # highlight, labels: the label names it gets


class ChangeFlow:
    """Kept by a ``NotesController`` (its host), whose workers make the changes."""

    def __init__(self, host: NotesController) -> None:
        self.host = host
        self._ops: dict[Worker[None], NoteOp] = {}
        self._undo: list[Note] = []

    # -- writing -----------------------------------------------------------------------------------

    def write(self, op: NoteOp) -> Worker[None] | None:
        """Make ``op`` in a worker (None: held back, the notes file being damaged)."""
        host = self.host
        if host.damaged.holds(op):  # a damaged file: nothing is written until the person chose
            return None
        worker = host.run_worker(
            lambda: self._write(op),
            name="_write",
            group="note-write",
            exclusive=False,
            exit_on_error=False,
            thread=True,
        )
        self._ops[worker] = op
        return worker

    def _write(self, op: NoteOp) -> None:
        """Save one change at once (the store commits it before returning) and read the notes."""
        from .notes_write import apply

        host = self.host
        store = host.open_store(write=True)
        outcome = apply(store, op, host.resolver())
        if op.draft is not None:
            host.drafts().discard(op.draft)
        read = host.read(store, op.library_key)
        host.take_notices(store)
        host.app.call_from_thread(self._written, op, outcome, read)

    def _written(self, op: NoteOp, outcome: Outcome, read: tuple[int, list[Note], object]) -> None:
        self._ops = {w: o for w, o in self._ops.items() if o is not op}
        number, notes, token = read
        self.host.loaded(number, op.library_key, notes, token)
        note = outcome.note
        if op.kind == "delete":
            self._undo = [n for n in self._undo if n.id != note.id][-UNDO_DEPTH + 1 :]
            self._undo.append(note)
        self.host.notify(outcome.told, severity=outcome.severity, timeout=outcome.timeout)

    async def wait_for_saves(self) -> bool:
        """Before quitting: every save asked for is finished; False when one failed (it is
        back in its editor, or the undo, and a note's draft stays on disk)."""
        pending = [w for w in self._ops if not w.is_finished]
        if pending:
            self.host.post_message(self.host.Told("Saving your note before quitting…"))
        saved = True
        for worker in pending:
            try:
                await worker.wait()
            except Exception:  # told by the worker handler; the draft is kept
                saved = False
        return saved

    # -- the undo of deletions ---------------------------------------------------------------------

    def undo(self) -> None:
        if not self._undo:
            self.host.notify("No deleted note to bring back.", timeout=3)
            return
        note = self._undo.pop()
        self.write(NoteOp("restore", note.library, note=note))

    def restore(self, note: Note) -> None:
        self._undo = [n for n in self._undo if n.id != note.id]
        self.write(NoteOp("restore", note.library, note=note))

    def restore_later(self, note: Note) -> None:
        """``note`` could not be restored now: u tries again."""
        self._undo.append(note)

    # -- failures ----------------------------------------------------------------------------------

    def op_of(self, worker: Worker[None]) -> NoteOp | None:
        return self._ops.pop(worker, None)

    def failed(self, worker: Worker[None], message: str) -> None:
        """From the host's worker error handler (``message`` told already): a note's text back
        in its editor, a note that could not be restored back to the undo."""
        op = self._ops.pop(worker, None)
        if op is not None and op.kind in ("add", "update"):
            baseline = op.note.text if op.note is not None else ""
            self.host.editor.open(
                op,
                op.text,
                error=f"{message}\nYour text is kept here: ctrl+s tries again.",
                baseline=baseline,
            )
        elif op is not None and op.kind == "restore" and op.note is not None:
            self._undo.append(op.note)  # u can try again
