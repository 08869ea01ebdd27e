"""What the status line says and where the reader's place is kept: the line a part told (or, for
none, the library's own line), the indexing progress, the sentences selected, what is due for
review; and the reader's place, shown as article i/n · §s/c (numbered as the start-up snapshot
numbered it while the snapshot shows), kept for the next start in the saved state and, once
scrolled there, in the snapshot.

``StatusController`` owns those decisions; it is given the status line it writes, the library's
part (its line, its articles), the parts that keep the place (``StateKeeper``,
``SnapshotKeeper``), the start-up snapshot and one question only the screen can answer: whether
the reader still shows that snapshot. The screen hands it what the library, the reader and the
other parts say.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..snapshot import Snapshot
    from ..widgets.reader_messages import PositionChanged
    from ..widgets.reader_view import ArticleView
    from ..widgets.status import StatusLine
    from .library import LibraryController
    from .saving import StateKeeper
    from .snapshot import SnapshotKeeper


class StatusController:
    """Writes the status line and keeps the reader's place."""

    def __init__(
        self,
        line: StatusLine,
        library: LibraryController,
        saving: StateKeeper,
        snapshots: SnapshotKeeper,
        snapshot: Snapshot | None,
        showing_snapshot: Callable[[], bool],
    ) -> None:
        self.line, self.library, self.saving, self.snapshots = line, library, saving, snapshots
        self.snapshot = snapshot  # the last screen, shown until the library opens
        self._showing_snapshot = showing_snapshot

    # -- what the line says ----------------------------------------------------------------------

    def told(self, text: str, kind: str = "") -> None:
        """A part's line ("": the library's own line)."""
        self.line.set_text(text or self.library.status(), kind)

    def indexing(self, done: int, total: int, name: str) -> None:
        self.line.show_indexing(done, total, name)

    def settled(self) -> None:
        """The library opened, changed or failed: no progress bar."""
        self.line.set_progress(None, None)

    def selection(self, selection: tuple[int, int] | None) -> None:
        """The reader's selection (None: none, the library's own line again)."""
        if selection is None:
            self.line.set_text(self.library.status())
            return
        self.line.show_selection(*selection)

    def due(self, count: int | None) -> None:
        self.line.set_due(count)

    # -- the reader's place ----------------------------------------------------------------------

    def place(self, event: PositionChanged) -> None:
        """The reader moved: its place shown, and kept (not while the snapshot shows)."""
        library = self.library
        index, total = library.index_of(event.article_id), len(library.articles)
        sentence, count = event.sentence, event.count
        snap = self.snapshot
        if library.library is None and snap is not None and self._showing_snapshot():
            index, total, sentence = snap.index, snap.total, sentence + snap.offset
            count = next((a.sentences for a in snap.articles if a.id == event.article_id), count)
        article, sentences, page = event.reader.article, event.reader.sentences, None
        if article is not None and article.pages and event.sentence < len(sentences):
            page = article.page_at(sentences[event.sentence].start)
        self.line.show_place(index, total, sentence, count, page)
        if library.library is not None and not self._showing_snapshot():
            self.saving.set_position(library.library.key, event.article_id, event.sentence)
            reader = event.reader
            later = reader.screen.call_after_refresh
            later(self._keep, reader, event.article_id, event.sentence)

    def _keep(self, reader: ArticleView, article_id: str, sentence: int) -> None:
        """For the snapshot: the sentence and its row on screen, once scrolled there."""
        if reader.sentence == sentence:
            self.snapshots.position(article_id, sentence, reader.current_row)
