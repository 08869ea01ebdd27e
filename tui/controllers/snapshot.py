"""Keeping the start-up snapshot (``tui/snapshot.py``) of the screen as it is: a non-visual widget
told by the screen what the real library shows (its articles, the article read, the position and
the notes' marks), which writes the snapshot a moment after it changes, in a worker, and says
``Written`` when it has (the app then keeps the frame that goes with it: ``tui/last_frame.py``).

Only what came from the opened library is written: a snapshot is never made from a snapshot.
The article's JSON is made once per article (and again when the position leaves the part kept
of a long one), so a move of the position writes a few small strings.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from .. import snapshot

if TYPE_CHECKING:
    from glossator.index.model import Article, ArticleInfo
    from glossator.index.notes import Note

WRITE_DELAY = 0.5  # seconds of quiet before the snapshot is written
MARK_TAGS = 20  # tags kept with one passage's mark (those of all its notes, first come)


class SnapshotKeeper(Widget):
    DEFAULT_CSS = "SnapshotKeeper { display: none; }"

    class Written(Message):
        """A snapshot was written (the app keeps the picture of the screen that goes with it)."""

    def __init__(self, cache: Path, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cache = cache
        self.library_key: str | None = None
        self.folder: Path | None = None
        self._articles: list[ArticleInfo] = []
        self._articles_json = ""
        self._reading: snapshot.Reading | None = None
        self._article: Article | None = None
        self._sentence = 0
        self._row: int | None = None
        self._marks: list[snapshot.Mark] = []
        self._notes: Sequence[Note] = ()
        self._timer: Timer | None = None
        self._writer: Worker[None] | None = None  # the last write handed to a worker
        self.failed = False  # a write failed: not tried again this run
        self._generation = 0  # of the text last handed to a writer
        self._written = 0  # of the text last written
        self._lock = threading.Lock()  # one writer at a time, the newest text last

    # -- what the screen tells -------------------------------------------------------------

    def library_opened(self, key: str, folder: Path, articles: list[ArticleInfo]) -> None:
        self.library_key, self.folder = key, folder
        self.articles_changed(articles)

    def articles_changed(self, articles: list[ArticleInfo]) -> None:
        self._articles = articles
        self._articles_json = ""
        if self._article is not None and not any(a.id == self._article.id for a in articles):
            self._article, self._reading, self._marks = None, None, []
        self._schedule()

    def article_shown(self, article: Article, sentence: int, row: int | None) -> None:
        self._article, self._sentence, self._row = article, sentence, row
        self._reading = None
        self._articles_json = ""  # centred on the article read
        self._marks = self._marks_of(self._notes)
        self._schedule()

    def position(self, article_id: str, sentence: int, row: int | None) -> None:
        if self._article is None or self._article.id != article_id:
            return
        self._sentence, self._row = sentence, row
        if self._reading is not None and not self._reading.holds(sentence):
            self._reading = None
        self._schedule()

    def notes_changed(self, notes: Sequence[Note]) -> None:
        self._notes = notes
        self._marks = self._marks_of(notes)
        self._schedule()

    def _marks_of(self, notes: Sequence[Note]) -> list[snapshot.Mark]:
        article = self._article
        if article is None:
            return []
        runs: dict[tuple[int, int], list[str]] = {}  # one mark a passage, its notes' tags
        for n in notes:
            if n.article_id != article.id or n.sentence_id is None:
                continue
            last = n.last_sentence_id if n.last_sentence_id is not None else n.sentence_id
            tags = runs.setdefault((n.sentence_id, last), [])
            if len(tags) < MARK_TAGS:
                tags.extend(t for t in n.tags if t not in tags)
        return [snapshot.Mark(a, b, tuple(tags[:MARK_TAGS])) for (a, b), tags in runs.items()]

    # -- writing ---------------------------------------------------------------------------

    def _text(self) -> str | None:
        """The snapshot as it should be now, or None before the library opened."""
        if self.library_key is None or self.folder is None:
            return None
        article = self._article
        if not self._articles_json:
            self._articles_json = snapshot.articles_json(
                self._articles, article.id if article else None
            )
        if article is not None and self._reading is None:
            sha = next((a.sha256 for a in self._articles if a.id == article.id), "")
            self._reading = snapshot.reading_for(article, sha, self._sentence)
        return snapshot.compose(
            self.library_key,
            self.folder,
            self._articles_json,
            self._reading,
            self._sentence,
            self._row,
            self._marks,
        )

    def _schedule(self) -> None:
        if self.failed or self.library_key is None:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(WRITE_DELAY, self._save)

    def _save(self) -> Worker[None] | None:
        self._timer = None
        text = self._text()
        if text is None or self.library_key is None:
            return None
        self._generation += 1
        worker: Worker[None] = self._write(self.library_key, text, self._generation)
        self._writer = worker
        return worker

    async def flush(self) -> None:
        """Write the snapshot now, if it changed, and wait for it, or for the write under way
        (on quitting)."""
        if self._timer is not None:
            self._timer.stop()
            self._save()
        worker = self._writer
        if worker is not None and not worker.is_finished:
            try:
                await worker.wait()
            except Exception:  # told by the worker handler
                pass

    def save_now(self) -> None:
        """Write it on this thread, now (the process is about to end)."""
        if self._timer is None or self.library_key is None:
            return
        text = self._text()
        if text is not None:
            try:
                with self._lock:
                    snapshot.save(self.cache, self.library_key, text)
            except OSError:
                pass

    @work(thread=True, exclusive=False, group="snapshot", exit_on_error=False)
    def _write(self, key: str, text: str, generation: int) -> None:
        with self._lock:
            if generation < self._written:
                return  # a newer one was written already
            snapshot.save(self.cache, key, text)
            self._written = generation

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """A snapshot that cannot be written costs only the fast start: nothing is said, and
        no more are tried this run (the cache folder may be read-only; the index says so)."""
        event.stop()
        if event.worker.group != "snapshot":
            return
        if event.state == WorkerState.ERROR:
            self.failed = True
        elif event.state == WorkerState.SUCCESS and event.worker is self._writer:
            self.post_message(self.Written())  # the latest write, not one overtaken
