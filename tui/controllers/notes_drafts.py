"""The note editor and its draft: the notes controller's part that opens the editor, keeps what is
typed on disk while it is open, and offers back a note left half-typed by a process that ended.

While the editor is open its text is written to a draft (``glossator.index.drafts``) a moment
after the person stops typing, and never more than a second after the last key; the draft goes
once the note is saved or given up. At the next start, a draft whose process is gone is found
again on its sentence (by the quote and context it keeps, as notes are found when an article
changes): the reader goes there and the editor opens with the text. Nothing is dropped: a draft
whose article has gone stays on disk, and its text is shown so it can be copied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.worker import get_current_worker

from ..keygate import hold_keys
from ..widgets.layout import display_text
from ..widgets.reader_text import run_label

if TYPE_CHECKING:
    from glossator.index.drafts import Draft
    from glossator.index.model import Article
    from glossator.index.notes import Note

    from .notes import NotesController
    from .notes_changes import NoteOp

DRAFT_QUIET = 0.3  # seconds after the last key before the draft is written...
DRAFT_AT_MOST = 1.0  # ...and never more than this behind it
RECOVERED = (
    "Recovered: you were writing this when Glossator last closed without saving it. "
    "ctrl+s saves it; escape gives it up (asks first)."
)


class EditorFlow:
    """Kept by a ``NotesController`` (its host)."""

    def __init__(self, host: NotesController) -> None:
        self.host = host
        self.draft: Draft | None = None  # the draft of the editor that is open
        self.offered = False  # drafts left behind were looked for (once a run)
        self._quiet: Timer | None = None
        self._due: Timer | None = None

    # -- the editor ------------------------------------------------------------------------------

    def open(
        self,
        op: NoteOp,
        text: str,
        *,
        error: str | None = None,
        baseline: str | None = None,
        title: str | None = None,
        after: Callable[[], None] | None = None,
    ) -> None:
        """The editor for ``op`` holding ``text``; ``after`` runs once it closes."""
        from glossator.index import anchor
        from glossator.index.drafts import Draft

        from ..screens.note_editor import NoteEditor

        host = self.host
        if op.kind == "add":
            assert op.article is not None
            article, first, last = op.article, op.first, op.last
            selector = anchor.selector_for(article.text, article.sentences, first, last)
            where = f"{run_label(first, last)} · {article.title}"
            article_id, heading = article.id, "New note"
        else:
            assert op.note is not None
            note = op.note
            selector, heading = note.selector, "Edit note"
            first = note.sentence_id or 0
            last = note.last_sentence_id if note.last_sentence_id is not None else first
            where = f"{run_label(first, last)} · {host.title_of(note.article_id)}"
            article_id = note.article_id
        if error is None and host.damaged.path is not None:
            error = "Notes are read-only: the notes file is damaged. ctrl+s asks what to do."
        s = selector
        draft = Draft(op.library_key, article_id, first, last, s.exact, s.prefix, s.suffix)
        draft = replace(draft, start=s.start, end=s.end, text=text, id=op.draft or Draft.new_id())
        if op.note is not None:
            draft = replace(draft, note_id=op.note.id)
        self.draft = draft
        op = replace(op, draft=draft.id)
        if text != (baseline if baseline is not None else text) or error:
            self._save()  # a text handed back (a failed save, a recovered draft) is kept at once

        def done(result: str | None) -> None:
            self._stop_timers()
            self.draft = None
            if result is None or (
                op.kind == "update" and op.note is not None and result.strip() == op.note.text
            ):
                self._discard(draft.id)  # given up, or nothing changed
            else:
                host.write(replace(op, text=result))
                host.post_message(host.Submitted())
            if after is not None:
                after()

        editor = NoteEditor(
            s.exact,
            text,
            title=title or heading,
            where=where,
            error=error,
            baseline=baseline,
            on_change=self._typed,
            on_link=lambda insert: self._pick_link(article_id, insert),
        )
        host.app.push_screen(editor, done)

    def _pick_link(self, article_id: str, insert: Callable[[str], None]) -> None:
        """ctrl+l in the editor: a sentence chosen by article and §N, as ``[[004 §7]]``."""
        from ..screens.link_picker import LinkPicker

        host = self.host
        library = host.library
        if library is None:
            return

        def chosen(link: str | None) -> None:
            if link:
                insert(link)

        host.app.push_screen(LinkPicker(host.articles, library.article, article_id), chosen)

    def edit(self, library_key: str, note: Note) -> None:
        """Edit ``note``, starting from it as stored now (another window may have changed it):
        its ``version`` goes with the save, so a newer text is never overwritten unseen."""
        host = self.host
        worker = host.run_worker(
            lambda: self._read(library_key, note),
            thread=True,
            exclusive=True,
            group="note-read",
            exit_on_error=False,
        )
        hold_keys(host, worker)  # "e" and what is typed right after it reach the editor

    def _read(self, library_key: str, note: Note) -> None:
        from glossator.index.notes import NoteNotFound

        host = self.host
        try:
            fresh: Note | None = host.open_store().get(note.id)
        except NoteNotFound:
            fresh = None
        if not get_current_worker().is_cancelled:
            host.app.call_from_thread(self._edit, library_key, note, fresh)

    def _edit(self, library_key: str, note: Note, fresh: Note | None) -> None:
        from .notes_changes import NoteOp

        host = self.host
        if fresh is None:
            host.notify("This note is no longer in the notes file.", severity="warning")
            host.reload_notes()
            return
        error = None
        if fresh.deleted is not None:
            error = "This note was deleted elsewhere meanwhile: saving your edit brings it back."
        elif fresh.version != note.version:
            error = "This note was changed elsewhere: this is its text as it is now."
        op = NoteOp("update", library_key, note=fresh)
        title = "Note on the highlight" if fresh.is_highlight else None
        self.open(op, fresh.text, error=error, baseline=fresh.text, title=title)

    # -- the draft on disk -----------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        """A key in the editor: the draft is written after a pause, and at most a second late."""
        if self.draft is None:
            return
        self.draft = replace(self.draft, text=text)
        if self._quiet is not None:
            self._quiet.stop()
        self._quiet = self.host.set_timer(DRAFT_QUIET, self._save)
        if self._due is None:
            self._due = self.host.set_timer(DRAFT_AT_MOST, self._save)

    def _stop_timers(self) -> None:
        for timer in (self._quiet, self._due):
            if timer is not None:
                timer.stop()
        self._quiet = self._due = None

    def _save(self) -> None:
        self._stop_timers()
        draft = self.draft
        if draft is not None:
            drafts = self.host.drafts()
            self.host.run_worker(
                lambda: drafts.save(draft), thread=True, exclusive=True, group="draft"
            )

    def _discard(self, draft_id: str) -> None:
        drafts = self.host.drafts()
        self.host.run_worker(lambda: drafts.discard(draft_id), thread=True, group="draft-discard")

    def flush(self) -> None:
        """Write the open editor's draft now, on this thread (the terminal is going away)."""
        self._stop_timers()
        if self.draft is not None:
            try:
                self.host.drafts().save(self.draft)
            except OSError:
                pass  # nothing more can be done; the last draft written stays

    # -- drafts left behind ----------------------------------------------------------------------

    def offer(self, drafts: list[Draft]) -> None:
        """Notes typed when the app last ended without saving them: the newest first, in the
        editor on its sentence; the others follow, one after the other."""
        self.offered = True
        self._recover(drafts[-1], drafts[:-1])

    def _recover(self, draft: Draft, rest: list[Draft]) -> None:
        if self.host.library is not None:
            self.host.run_worker(lambda: self._find(draft, rest), thread=True, group="draft-find")

    def _find(self, draft: Draft, rest: list[Draft]) -> None:
        """In a worker thread: where the draft belongs now (its article, sentences and note)."""
        from glossator.index import anchor
        from glossator.index.notes import NoteNotFound

        host = self.host
        library = host.library
        assert library is not None
        draft = host.drafts().adopt(draft)  # this process writes it from now on
        article = library.article(draft.article_id)
        note = None
        if draft.note_id is not None:
            try:
                note = host.open_store().get(draft.note_id)
            except NoteNotFound:
                note = None
        run = None
        if article is not None:
            selector = anchor.Selector(
                draft.quote, draft.prefix, draft.suffix, draft.start, draft.end
            )
            found = anchor.locate(selector, article.text, article.sentences)
            if found.sentence_id is not None:
                last = found.last_sentence_id
                run = (found.sentence_id, found.sentence_id if last is None else last)
        if not get_current_worker().is_cancelled:
            host.app.call_from_thread(self._offer, draft, rest, article, note, run)

    def _offer(
        self,
        draft: Draft,
        rest: list[Draft],
        article: Article | None,
        note: Note | None,
        run: tuple[int, int] | None,
    ) -> None:
        from .notes_changes import NoteOp

        host = self.host

        def after() -> None:
            if rest:
                self._recover(rest[-1], rest[:-1])

        if article is None or run is None:
            where = (
                "its article is no longer in the library"
                if article is None
                else "its sentence was not found in the article as it is now"
            )
            host.notify(
                display_text(
                    f"A note you were writing could not be put back: {where}. It is kept in "
                    f"{host.drafts().folder}. Its text:\n{draft.text}"
                ),
                severity="warning",
                timeout=30,
                markup=False,
            )
            after()
            return
        host.post_message(host.Wanted(article.id, run[0]))
        key = draft.library
        if note is not None and note.deleted is None:
            op = NoteOp("update", key, note=note, draft=draft.id)
        else:  # a new note, or an edit of a note deleted since: written as a new note
            op = NoteOp("add", key, article=article, first=run[0], last=run[1], draft=draft.id)
        self.open(op, draft.text, error=RECOVERED, baseline="", title="Recovered note", after=after)
