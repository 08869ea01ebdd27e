"""The library: opening it (and with it Whoosh), keeping its index in step with its folder, and
telling what happened. A non-visual widget that owns the Library object, the list of articles and
its workers; the screen hears what it did through its messages.

Nothing slow runs on the event loop: opening, indexing and every look at the folder happen in
thread workers (one at a time, never a look during a build). The screen asks for a look on
ctrl+r, when the terminal gives the app its focus back, and every ``REFRESH_EVERY`` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker

from glossator.index.model import place_of
from glossator.index.textutil import neutralise

from ..keygate import hold_keys
from ..widgets.article_row import warm
from .library_change import Change

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo, Library, UpdateReport

PROGRESS_EVERY = 0.1  # seconds between two indexing progress messages
REFRESH_EVERY = 5.0  # seconds between two looks at the library's folder
# a look of the timer's waits at least this many times as long as the last look took, so that
# a big library's looks (0.4 s at 100,000 articles) take at most a twentieth of a core
LOOK_SPACING = 20
RETRY_EVERY = 3.0  # seconds before opening is tried again after another process held the index
WAITING = "Waiting for another Glossator process to finish updating the index…"
NAMES_TOLD = 3  # articles named in a notification; the rest are counted

Seen = frozenset[tuple[str, int, int]]
LibraryFactory = Callable[[Path | None, Path | None], "Library"]


def default_factory(folder: Path | None, cache: Path | None) -> Library:
    from glossator.index.library import Library  # whoosh: imported off the event loop

    return Library(folder, cache=cache)


class LibraryController(Widget):
    """Opens the library, keeps it in step with its folder, and says so."""

    DEFAULT_CSS = "LibraryController { display: none; }"

    class Progressed(Message):
        def __init__(self, done: int, total: int, name: str) -> None:
            super().__init__()
            self.done, self.total, self.name = done, total, name

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, LibraryController.Progressed)

    class Opened(Message):
        def __init__(self, library: Library, articles: list[ArticleInfo]) -> None:
            super().__init__()
            self.library, self.articles = library, articles

    class Changed(Message):
        """Articles were added, changed or removed in the folder while the app was open."""

        def __init__(self, change: Change) -> None:
            super().__init__()
            self.change = change

    class Failed(Message):
        """The library could not be opened: ``message`` says why, for the person."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    class Corrected(Message):
        """An article's metadata was corrected: ``articles`` as they are now."""

        def __init__(self, article_id: str, articles: list[ArticleInfo]) -> None:
            super().__init__()
            self.article_id, self.articles = article_id, articles

    class Told(Message):
        """A line for the status bar (``kind`` "error" for a failure)."""

        def __init__(self, text: str, kind: str = "") -> None:
            super().__init__()
            self.text, self.kind = text, kind

    def __init__(
        self,
        folder: Path | None,
        cache: Path | None = None,
        factory: LibraryFactory = default_factory,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.folder, self.cache, self.factory = folder, cache, factory
        self.library: Library | None = None
        self.articles: list[ArticleInfo] = []
        self.error: str | None = None
        self._look: Worker[None] | None = None
        self._asked = False  # ctrl+r pressed while a look was running
        self._seen: Seen | None = None  # the folder at the last look
        self._next_look = 0.0  # time.monotonic() before which the timer does not look again
        self._skipped_told: set[str] = set()
        self._refresh_error: str | None = None  # the last failure told, not told again

    # -- what the screen reads ------------------------------------------------------------------

    def index_of(self, article_id: str | None) -> int:
        return place_of(self.articles, article_id)

    def title_of(self, article_id: str) -> str:
        i = self.index_of(article_id)
        return self.articles[i].title if i >= 0 else article_id

    def status(self) -> str:
        if self.library is None:
            return self.error or "Opening the library…"
        n = len(self.articles)
        return f"{self.library.name} · {n} article{'' if n == 1 else 's'} · ready"

    # -- opening --------------------------------------------------------------------------------

    def open(self) -> None:
        self.error = None
        self.post_message(self.Told("Opening the library…"))
        self._open()

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def _open(self) -> None:
        library = self.factory(self.folder, self.cache)
        report = library.update(progress=self._progress_poster(), wait=self._waiter())
        articles = library.articles()
        warm(articles)  # the list's titles worked out here, not on the event loop
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._opened, library, articles, report)

    def _waiter(self) -> Callable[[float], bool]:
        """Another process holds the index: say so once, and wait as long as it takes (or
        until this worker is cancelled); called in the worker's thread."""
        worker = get_current_worker()
        told = [False]

        def wait(seconds: float) -> bool:
            if not told[0]:
                told[0] = True
                self.post_message(self.Told(WAITING))
            return not worker.is_cancelled

        return wait

    def _opened(self, library: Library, articles: list[ArticleInfo], report: UpdateReport) -> None:
        self.library, self.articles, self.error = library, articles, None
        self._tell_report(report)
        self.post_message(self.Told(self.status()))
        self.post_message(self.Opened(library, articles))

    def _progress_poster(self) -> Callable[[int, int, str], None]:
        """Indexing progress as messages, at most ten a second (each replaces the one before
        it in the queue). Called in the worker that updates: when the worker is cancelled,
        the update ends (its write cancelled; the next start does it again)."""
        from glossator.index.engine import Cancelled

        last, worker = [0.0], get_current_worker()

        def progress(done: int, total: int, name: str) -> None:
            if worker.is_cancelled:  # the app is closing: the update stops, nothing half-written
                raise Cancelled("the app is closing")
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY or done in (0, total):
                last[0] = now
                self.post_message(self.Progressed(done, total, name))

        return progress

    def _tell_report(self, report: UpdateReport) -> None:
        """Say why the index was rebuilt, if it was, and name the files skipped that were not
        named before (the folder is looked at every few seconds)."""
        if report.rebuilt_because:
            self.notify(
                f"Rebuilt the index: {neutralise(report.rebuilt_because)}", timeout=6, markup=False
            )
        if report.fallback:
            self.notify(neutralise(report.fallback), severity="warning", timeout=12, markup=False)
        new = [(p, why) for p, why in report.skipped if p not in self._skipped_told]
        self._skipped_told.update(p for p, _why in report.skipped)
        if not new:
            return
        names = ", ".join(Path(p).name for p, _why in new[:NAMES_TOLD])
        more = "…" if len(new) > NAMES_TOLD else ""
        self.notify(
            neutralise(f"Skipped {len(new)} file(s) that could not be read: {names}{more}"),
            severity="warning",
            timeout=8,
            markup=False,
        )

    # -- keeping up with the folder --------------------------------------------------------------

    def check(self, why: str) -> None:
        """Look for changes in the folder (``why``: "timer", "focus" or "key")."""
        manual = why in ("key", "lost")
        if self.library is None:
            opening = any(w.group == "library" and not w.is_finished for w in self.workers)
            if self.error is not None and not opening and why != "timer":
                self.open()  # it failed before (another process, a folder back): try again
            elif manual:
                self.notify("The library is still opening; it is read as it is now.", timeout=3)
            return
        if any(w.group == "library" and not w.is_finished for w in self.workers):
            return
        if self._look is not None and not self._look.is_finished:
            self._asked = self._asked or manual
            return
        if why == "timer" and time.monotonic() < self._next_look:
            return
        if manual:
            self.post_message(self.Told("Looking for changes in the library's folder…"))
        self._look = self._refresh(self.library, list(self.articles), self._seen, manual)
        self._asked = False

    @work(thread=True, exclusive=False, group="refresh", exit_on_error=False)
    def _refresh(
        self, library: Library, before: list[ArticleInfo], seen: Seen | None, manual: bool
    ) -> None:
        """Look at the folder (names, sizes, times) and bring the index in step if it changed."""
        from glossator.index.library import scan

        started = time.monotonic()
        files = frozenset((f.id, f.size, f.mtime_ns) for f in scan(library.folder))
        ended = time.monotonic()
        self._next_look = ended + LOOK_SPACING * (ended - started)
        if seen is None:  # the first look: compare with what the index accounts for
            seen = library.known_files()
        if files == seen and not manual and library.needs_update() is None:
            self.app.call_from_thread(self._refreshed, files, None, None, manual)
            return
        report = library.update(progress=self._progress_poster(), wait=self._waiter())
        change = Change(before, library.articles())  # worked out here: 0.2 s at 100,000
        warm(change.after)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._refreshed, files, report, change, manual)

    def _refreshed(
        self,
        files: Seen,
        report: UpdateReport | None,
        change: Change | None,
        manual: bool,
    ) -> None:
        """After a look at the folder; ``report`` and ``change`` None when nothing changed."""
        self._seen, self._refresh_error = files, None
        if report is None or change is None or self.library is None:
            return
        self._tell_report(report)
        self.post_message(self.Told(self.status()))  # the update is over: "ready" again
        articles = change.after
        if not change.any:
            if report.rebuilt_because:  # the same articles, a new index: search again
                self.post_message(self.Changed(change))
            elif manual:
                self.notify("The library is up to date: nothing was added, changed or removed.")
            return
        self.articles = articles
        parts = []
        for verb, infos in (
            ("added", change.added),
            ("changed", change.changed),
            ("removed", change.removed),
        ):
            if infos:
                titles = ", ".join(f"“{a.title}”" for a in infos[:NAMES_TOLD])
                more = f" and {len(infos) - NAMES_TOLD} more" if len(infos) > NAMES_TOLD else ""
                parts.append(f"{verb} {titles}{more}")
        self.notify(
            neutralise("Library updated: " + "; ".join(parts) + "."), timeout=8, markup=False
        )
        self.post_message(self.Told(self.status()))
        self.post_message(self.Changed(change))

    # -- metadata corrections -------------------------------------------------------------------

    def details(self, article_id: str) -> None:
        """Open the details of an article to read and correct (what its file says read in a
        worker; the keys typed meanwhile go to the dialog)."""
        if self.library is not None and self.index_of(article_id) >= 0:
            hold_keys(self, self._details(self.library, article_id))

    @work(thread=True, group="details", exit_on_error=False)
    def _details(self, library: Library, article_id: str) -> None:
        found, info = library.found_metadata(article_id), library.info(article_id)
        if found is not None and info is not None:
            self.app.call_from_thread(self._show_details, info, found)

    def _show_details(self, info: ArticleInfo, found: dict) -> None:
        from ..screens.details import KINDS, Corrections, DetailsScreen

        def corrected(wanted: Corrections | None) -> None:
            if wanted is not None and self.library is not None:
                self._correct(self.library, info.id, wanted.changes, wanted.unset)

        kind = f"{KINDS.get(info.format, info.format)} · {info.path}"
        screen = DetailsScreen(info.title, info.metadata(), found, kind, info.warnings)
        self.app.push_screen(screen, corrected)

    @work(thread=True, group="correct", exit_on_error=False)
    def _correct(self, library: Library, article_id: str, changes: dict, unset: tuple) -> None:
        library.set_metadata(article_id, changes, unset)
        self.app.call_from_thread(self._corrected, article_id, library.articles())

    def _corrected(self, article_id: str, articles: list[ArticleInfo]) -> None:
        self.articles = articles
        self.notify(
            neutralise(f"The details of “{self.title_of(article_id)}” are corrected."),
            markup=False,
        )
        self.post_message(self.Corrected(article_id, articles))

    # -- failures -------------------------------------------------------------------------------

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        worker = event.worker
        if worker.group == "refresh" and worker.is_finished and self._asked:
            self.check("key")  # ctrl+r was pressed during that look: look again
        if event.state != WorkerState.ERROR:
            return
        why = str(worker.error) or type(worker.error).__name__
        if worker.group == "library" and _busy(worker.error):
            self.error = f"The library could not be opened yet: {why}"
            self.post_message(self.Told(f"{self.error} · trying again…"))
            self.set_timer(RETRY_EVERY, lambda: self.check("retry"))
            return
        if worker.group == "library":
            self.error = f"The library could not be opened: {why}"
            self.notify(neutralise(self.error), severity="error", timeout=8, markup=False)
            self.post_message(self.Told(self.error, "error"))
            self.post_message(self.Failed(self.error))
            return
        if _busy(worker.error):  # another process is updating it: the next look tries again
            self.post_message(self.Told(self.status()))
            return
        if worker.group in ("details", "correct"):
            what = "read" if worker.group == "details" else "corrected"
            self.notify(
                neutralise(f"The article's details could not be {what}: {why}"),
                severity="error",
                timeout=8,
                markup=False,
            )
            return
        message = f"The library could not be checked for changes: {why}"
        self.post_message(self.Told(self.status()))
        if message != self._refresh_error:  # the look runs every few seconds: say it once
            self._refresh_error = message
            self.notify(neutralise(message), severity="error", timeout=8, markup=False)


def _busy(error: BaseException | None) -> bool:
    """Another Glossator process held the index for the whole wait: try again later."""
    from glossator.index.engine import IndexBusy

    return isinstance(error, IndexBusy)
