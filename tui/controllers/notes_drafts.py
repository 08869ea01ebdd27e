"""Offering back a note that was being typed when Glossator last ended without saving it.

``find_draft`` runs in a worker: it reads the draft's article (and its note, when it was an edit)
and finds its sentences again from the quote and context kept in the draft, as notes are found
again when an article changes. Back on the event loop, the reader goes to the sentence and the
editor opens with the text, saying where it comes from. Nothing is dropped: a draft whose article
has gone stays on disk, and its text is shown so it can be copied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..widgets.layout import display_text

if TYPE_CHECKING:
    from glossator.index.drafts import Draft
    from glossator.index.model import Article
    from glossator.index.notes import Note

    from .notes import NotesController

RECOVERED = (
    "Recovered: you were writing this when Glossator last closed without saving it. "
    "ctrl+s saves it; escape gives it up (asks first)."
)


def find_draft(host: NotesController, draft: Draft, rest: list[Draft]) -> None:
    """In a worker thread: where the draft belongs now, then ``offer`` on the event loop."""
    from glossator.index import anchor
    from glossator.index.notes import NoteNotFound

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
        selector = anchor.Selector(draft.quote, draft.prefix, draft.suffix, draft.start, draft.end)
        found = anchor.locate(selector, article.text, article.sentences)
        if found.sentence_id is not None:
            last = found.last_sentence_id
            run = (found.sentence_id, found.sentence_id if last is None else last)
    host.app.call_from_thread(offer, host, draft, rest, article, note, run)


def offer(
    host: NotesController,
    draft: Draft,
    rest: list[Draft],
    article: Article | None,
    note: Note | None,
    run: tuple[int, int] | None,
) -> None:
    from .notes import NoteOp

    def after() -> None:
        if rest:
            host._recover(rest[-1], rest[:-1])

    if article is None or run is None:
        where = "its article is no longer in the library" if article is None else (
            "its sentence was not found in the article as it is now"
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
    host.open_editor(
        op, draft.text, error=RECOVERED, baseline="", title="Recovered note", after=after
    )
