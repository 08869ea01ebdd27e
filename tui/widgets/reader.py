"""The reader: the view of an article (``ArticleView``, ``reader_view.py``: the article laid out,
the current sentence, the view kept on it) with the person's keys (declared in ``reader_keys``).

Its actions move the view's place (where a key lands is its ``place``'s to say) or say what the
person asked for that the reader cannot do alone, as messages up (another article, another hit,
the original text, writing, editing, deleting or finding a note, a link, a study view),
declared in ``reader_messages``. What it asks of the notes (write, highlight or label a passage,
edit or delete a note, undo a deletion) goes to its ``notes_owner`` when it has one (the main
screen's notes' requests), as the Notes tab's requests go to theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeAlias

from textual.binding import BindingType

from . import reader_messages as messages
from . import reader_nav as nav
from .reader_keys import READER_BINDINGS
from .reader_text import citation
from .reader_view import ArticleView

if TYPE_CHECKING:
    from textual.message import Message
    from textual.message_pump import MessagePump


class Reader(ArticleView, can_focus=True):
    """An article's view with the keys that read it; it keeps no state of its own."""

    BINDINGS: ClassVar[list[BindingType]] = READER_BINDINGS

    # what it asks for, declared in reader_messages (handlers named on_reader_…); what the view
    # tells (PositionChanged, ViewChanged, SelectionChanged) comes with ArticleView
    Stepped: TypeAlias = messages.Stepped
    OriginalRequested: TypeAlias = messages.OriginalRequested
    DetailsRequested: TypeAlias = messages.DetailsRequested
    AnnotateRequested: TypeAlias = messages.AnnotateRequested
    NoteActionRequested: TypeAlias = messages.NoteActionRequested
    NoteUndoRequested: TypeAlias = messages.NoteUndoRequested
    MarkRequested: TypeAlias = messages.MarkRequested
    LinkRequested: TypeAlias = messages.LinkRequested
    StudyRequested: TypeAlias = messages.StudyRequested

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.notes_owner: MessagePump | None = None  # where notes' requests go (None: up)

    def ask_notes(self, message: Message, tell: bool = True) -> None:
        """A request of the notes, to the notes' owner (or up from the reader, told as sent
        by the reader when ``tell``, without one)."""
        if self.notes_owner is not None:
            self.notes_owner.post_message(message.set_sender(self))
        elif tell:
            self.tell(message)
        else:
            self.post_message(message)

    # -- actions -------------------------------------------------------------------------------

    # The keys' actions take the direction (``step``: 1 on, -1 back) as their bindings say:
    # "sentence(1)" is j, "sentence(-1)" k (reader_keys).

    def action_sentence(self, step: int) -> None:
        if self.original is not None:
            self.place.scroll_lines(step)
            return
        resume = self.place.off_view() if self.article is not None else None  # after the wheel
        self.go_to_sentence(self.sentence + step if resume is None else resume)

    def action_paragraph(self, step: int) -> None:
        if self.original is not None:
            self.place.scroll_lines(step * max(1, self.place.height // 2))
            return
        starts = nav.block_starts(self.article)
        self.go_to_sentence(nav.paragraph_target(starts, self.sentence, self.sentence_count, step))

    def action_page(self, step: int) -> None:
        target = self.place.page(step, self.reading)
        if target is not None:
            self.go_to_sentence(target[0], keep_view=target[1])

    def action_edge(self, step: int) -> None:
        """The top of the article (``step`` -1) or its bottom (1)."""
        if self.original is not None:
            self.scroll_to(y=0 if step < 0 else self.max_scroll_y, animate=False)
        else:
            self.go_to_sentence(0 if step < 0 else self.sentence_count - 1)

    def action_step(self, what: str, step: int) -> None:
        """Another article, search hit or note ("article", "hit", "note"): not the reader's."""
        self.tell(self.Stepped(what, step))

    def action_study(self, view: str) -> None:
        self.post_message(self.StudyRequested(view))

    def citation(self) -> str | None:
        """The current sentence (or the selected run) with its citation."""
        if self.article is None or not self.sentences:
            return None
        return citation(self.article, *self.place.passage)

    def action_copy_sentence(self) -> None:
        text = self.citation()
        if text is None:
            self.notify("Nothing to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(text)
        first, last = self.place.passage
        what = "the sentence" if first == last else f"{last - first + 1} sentences"
        self.notify(f"Copied {what} with the citation.", timeout=2)

    def action_toggle_original(self) -> None:
        if self.article is None:
            return
        if self.original is not None:
            self.hide_original()
        else:
            self.tell(self.OriginalRequested(self.article.id))

    # -- notes: written elsewhere; the reader says what the person asked for -------------------

    def _can_annotate(self) -> bool:
        if self.article is None or not self.sentences:
            self.notify("Open an article first.", timeout=2)
            return False
        self.hide_original()
        return True

    def action_details(self) -> None:
        if self.article is not None:
            self.tell(self.DetailsRequested(self.article.id))

    def action_annotate(self) -> None:
        if self._can_annotate():
            assert self.article is not None
            self.ask_notes(self.AnnotateRequested(self.article, *self.place.passage))

    def action_mark(self, what: str) -> None:
        if self._can_annotate():
            assert self.article is not None
            first, last = self.place.passage
            notes = self.passage_notes
            self.ask_notes(self.MarkRequested(what, self.article, first, last, notes), tell=False)

    def action_follow_link(self) -> None:
        if self.article is not None:
            self.post_message(self.LinkRequested())

    def action_link_back(self) -> None:
        self.post_message(self.LinkRequested(back=True))

    def action_select(self) -> None:
        if self._can_annotate():
            self.select(None if self.place.selection_start is not None else self.sentence)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_selection":  # otherwise escape goes on to the screen
            return self.place.selection_start is not None
        return True

    def action_clear_selection(self) -> None:
        self.select(None)

    def action_note_action(self, action: str) -> None:
        notes = self.notes_here
        if not notes:
            self.notify(f"No note here to {action}: m goes to the next note.", timeout=3)
            return
        self.ask_notes(self.NoteActionRequested(action, notes))

    def action_undo_delete(self) -> None:
        self.ask_notes(self.NoteUndoRequested())
