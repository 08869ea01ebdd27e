"""The study loop around the notes: the codebook of labels, the label picker, links followed
from the reader (and back), the count of what is due for review and the review session.

A non-visual widget. It reads and writes the notes store only in thread workers (the store is
the notes controller's, handed in as ``open_store``); the screen hears ``LabelsChanged`` (the
codebook, for the gutter and the lists), ``LabelsChosen`` (labels to put on a note, or on a new
highlight: the notes controller writes them), ``Wanted`` (a place a link leads to, or where a
review ended) and ``DueCounted`` (for the status line).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker

from ..widgets.layout import display_text
from ..widgets.reader_text import run_label

if TYPE_CHECKING:
    from glossator.index.library import Library
    from glossator.index.model import Article
    from glossator.index.notes import Label, Note, NoteStore
    from glossator.index.review import Scope

    from ..screens.label_picker import LabelChoice
    from ..screens.review import ScopeOptions
    from ..widgets.links import Jump

DUE_EVERY = 60.0  # seconds between counts of what is due (cards fall due as time passes)
BACK_DEPTH = 50  # places F goes back to


class StudyController(Widget):
    DEFAULT_CSS = "StudyController { display: none; }"

    class LabelsChanged(Message):
        """The codebook; ``renamed``: names on notes changed (read the notes again)."""

        def __init__(self, labels: list[Label], renamed: bool = False) -> None:
            super().__init__()
            self.labels, self.renamed = labels, renamed

    class LabelsChosen(Message):
        """Give ``note`` these labels; with no note, highlight sentences ``first``..``last``
        of ``article`` with them."""

        def __init__(
            self,
            names: tuple[str, ...],
            note: Note | None,
            article: Article | None = None,
            first: int = 0,
            last: int = 0,
        ) -> None:
            super().__init__()
            self.names, self.note = names, note
            self.article, self.first, self.last = article, first, last

    class Wanted(Message):
        def __init__(self, article_id: str, sentence: int) -> None:
            super().__init__()
            self.article_id, self.sentence = article_id, sentence

    class DueCounted(Message):
        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.open_store: Callable[[], NoteStore] | None = None  # the notes controller's
        self.library: Library | None = None
        self.labels: list[Label] = []
        self.due: int | None = None
        self._back: list[tuple[str, int]] = []
        self._edits = 0  # codebook changes made in the picker (a count read before is stale)

    def on_mount(self) -> None:
        self.set_interval(DUE_EVERY, self.count_due)

    def library_opened(self, library: Library) -> None:
        self.library = library
        self._back.clear()
        self._load_labels()
        self.count_due()

    # -- labels ----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="study-labels", exit_on_error=False)
    def _load_labels(self) -> None:
        assert self.open_store is not None
        labels = self.open_store().labels()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._labels_loaded, labels, False)

    def _labels_loaded(self, labels: list[Label], renamed: bool) -> None:
        self.labels = list(labels)
        self.post_message(self.LabelsChanged(self.labels, renamed))

    def pick_labels(
        self, note: Note | None, article: Article | None, first: int, last: int
    ) -> None:
        """The label picker for ``note`` (None: a new highlight of ``first``..``last``)."""
        from ..screens.label_picker import LabelPicker

        if self.open_store is None or self.library is None:
            self.notify("The library is still opening.", timeout=3)
            return
        if note is not None:
            what = "highlight" if note.is_highlight else "note"
            where = (
                f"for the {what} on {run_label(note.sentence_id or 0, note.last_sentence_id or 0)}"
            )
        else:
            where = f"for {run_label(first, last)}: a highlight is made with them"

        def chosen(choice: LabelChoice | None) -> None:
            if choice is None:
                return
            if choice.codebook is not None:
                self._edits += 1
                self._labels_loaded(list(choice.codebook), choice.renamed)
            if choice.names is not None and (note is not None or choice.names):
                self.post_message(self.LabelsChosen(choice.names, note, article, first, last))

        picker = LabelPicker(self.labels, note.labels if note else (), where, self.open_store)
        self.app.push_screen(picker, chosen)

    # -- links -----------------------------------------------------------------------------------

    def follow(
        self, jumps: list[Jump], here: tuple[str, int] | None, nowhere: Sequence[str] = ()
    ) -> None:
        """``f``: go where the link leads (asks which when there are several); ``nowhere``: the
        links here that lead nowhere, said when none leads anywhere."""
        if not jumps and nowhere:
            more = len(nowhere) - 3
            shown = "; ".join(nowhere[:3]) + (f"; and {more} more" if more > 0 else "")
            self.notify(
                display_text(f"This note's links lead nowhere now: {shown}. e edits the note."),
                timeout=6,
                markup=False,
            )
            return
        if not jumps:
            self.notify(
                "No link here: write [[004 §7]] in a note (ctrl+l in the editor picks the "
                "sentence), then f follows it.",
                timeout=5,
            )
            return

        def go(jump: Jump | None) -> None:
            if jump is None:
                return
            if here is not None:
                self._back = [*self._back[-BACK_DEPTH + 1 :], here]
            self.post_message(self.Wanted(jump.article_id, jump.sentence))
            self.notify(display_text(f"{jump.label} · F goes back"), timeout=3, markup=False)

        if len(jumps) == 1:
            go(jumps[0])
            return
        from ..screens.jump_picker import JumpPicker

        self.app.push_screen(JumpPicker(jumps), go)

    def back(self) -> None:
        """``F``: back to where the last link was followed from."""
        if not self._back:
            self.notify("No link followed yet: f follows the link of a note.", timeout=3)
            return
        article_id, sentence = self._back.pop()
        self.post_message(self.Wanted(article_id, sentence))

    # -- what is due -----------------------------------------------------------------------------

    def count_due(self) -> None:
        """Count what is due, and read the codebook again (another process may have changed
        it): on every change of the notes and every minute."""
        if self.library is not None and self.open_store is not None:
            self._count(self.library.key, self._edits)

    @work(thread=True, exclusive=True, group="study-due", exit_on_error=False)
    def _count(self, library_key: str, edits: int) -> None:
        from glossator.index.review import Review

        assert self.open_store is not None
        store = self.open_store()
        count = Review(store, library_key).count_due()
        labels = store.labels()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, count, labels, edits)

    def _counted(self, count: int, labels: list[Label], edits: int) -> None:
        self.due = count
        self.post_message(self.DueCounted(count))
        if edits == self._edits and labels != self.labels:  # not older than the picker's
            self._labels_loaded(labels, False)

    # -- reviewing -------------------------------------------------------------------------------

    def review(
        self,
        library: Library,
        scope: Scope | None,
        titles: Mapping[str, str],
        scopes: ScopeOptions,
    ) -> None:
        """A review session of what is due (in ``scope``): what is due counted again when it
        ends, and ``Wanted`` where it says to read."""
        from ..screens.review import ReviewScreen
        from ..widgets.labels import colour_map

        def ended(place: tuple[str, int] | None) -> None:
            self.count_due()
            if place is not None:
                self.post_message(self.Wanted(*place))

        colours = colour_map(self.labels)
        screen = ReviewScreen(
            library, self.open_store, scope=scope, titles=titles, colours=colours, scopes=scopes
        )
        self.app.push_screen(screen, ended)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        if event.state != WorkerState.ERROR:
            return
        from glossator.index.notes import NoteStoreError

        error = event.worker.error
        if event.worker.group == "study-due" or isinstance(error, NoteStoreError):
            return  # the count stays as it was; the notes file's trouble is told by the notes
        message = f"Your labels could not be read: {error or type(error).__name__}"
        self.notify(display_text(message), severity="error", timeout=8, markup=False)
