"""The main screen: search bar, sidebar, reader (or results), status line and footer.

This screen is the one place that talks to the back end. Every call into the library (opening and
indexing it, loading an article or its original file, searching) and every write of the state file
runs in a thread worker; results come back as messages, and worker failures are all handled in
``_worker_state_changed``. Widgets get their data through methods and attributes and report what
the person did through messages.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Input
from textual.worker import Worker, WorkerState, get_current_worker

from glossator.index.model import Article, SearchResult
from glossator.index.textutil import neutralise

from ..state import AppState, Position, StateStore
from ..widgets import Overview, Reader, ResultsList, SearchBar, Sidebar, StatusLine
from ..widgets.note_panel import NotePanel
from ..widgets.results import FIRST_PAGE, SHOWN_AT_MOST
from .help import HelpScreen, help_rows
from .main_notes import NotesMixin
from .main_themes import ThemesMixin

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo, Library, UpdateReport

NARROW = 100  # below this many columns the sidebar starts collapsed
SAVE_DELAY = 0.4  # seconds of quiet before the position is written
PROGRESS_EVERY = 0.1  # seconds between two indexing progress messages
REFRESH_EVERY = 5.0  # seconds between two looks at the library's folder
NAMES_TOLD = 3  # articles named in a notification; the rest are counted


# -- messages from the workers -----------------------------------------------------------------


class IndexProgressed(Message):
    def __init__(self, done: int, total: int, name: str) -> None:
        super().__init__()
        self.done, self.total, self.name = done, total, name


class LibraryOpened(Message):
    def __init__(self, library: Library, articles: list[ArticleInfo], report: UpdateReport) -> None:
        super().__init__()
        self.library, self.articles, self.report = library, articles, report


class LibraryRefreshed(Message):
    """The library was brought in step with its folder while the app was open.

    ``article`` is the new text of the article being read (``was_at``) when it changed, and
    ``sentence`` where its sentence is now; ``active`` is the search highlighted in the reader,
    run again."""

    def __init__(
        self,
        articles: list[ArticleInfo],
        report: UpdateReport | None,  # None: nothing in the folder changed, nothing was updated
        seen: frozenset[tuple[str, int, int]],
        manual: bool,
        article: Article | None = None,
        was_at: int = 0,
        sentence: int = 0,
        active: SearchResult | None = None,
    ) -> None:
        super().__init__()
        self.articles, self.report, self.seen, self.manual = articles, report, seen, manual
        self.article, self.was_at, self.sentence, self.active = article, was_at, sentence, active


class ArticleLoaded(Message):
    def __init__(self, article: Article | None, article_id: str, sentence: int) -> None:
        super().__init__()
        self.article, self.article_id, self.sentence = article, article_id, sentence


class OriginalLoaded(Message):
    def __init__(self, article_id: str, text: str | None) -> None:
        super().__init__()
        self.article_id, self.text = article_id, text


class SearchFinished(Message):
    def __init__(self, result: SearchResult, notes: list | None = None) -> None:
        super().__init__()
        self.result = result
        self.notes = notes or []  # the notes that match too


@dataclass(frozen=True, slots=True, order=True)
class HitPlace:
    """A search hit in reading order: library order of articles, then sentence."""

    article_index: int
    sentence: int
    article_id: str


class MainScreen(ThemesMixin, NotesMixin, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "/",
            "search",
            "Search",
            id="search.focus",
            tooltip="results update as you type; enter moves to them, escape returns",
            # priority: the focus must move before the keys typed right after "/" are routed
            # (they would reach the reader, where "a" opens the note editor)
            priority=True,
        ),
        Binding(
            "1",
            "show_tab('articles')",
            "Articles",
            show=False,
            id="pane.articles",
            tooltip="the list of articles; enter opens one",
        ),
        Binding(
            "2",
            "show_tab('themes')",
            "Themes",
            show=False,
            id="pane.themes",
            tooltip="curated, discovered and your own; enter lists a theme's passages",
        ),
        Binding("3", "show_tab('notes')", "Notes", show=False, id="pane.notes"),
        Binding(
            "ctrl+b",
            "toggle_sidebar",
            "Sidebar",
            show=False,
            id="pane.sidebar",
            tooltip="hide or show the sidebar",
        ),
        Binding("escape", "back", "Back to the reader", show=False, id="pane.back"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="pane.next"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="pane.previous"),
    ]

    def __init__(
        self,
        library_dir: Path | None,
        store: StateStore,
        state: AppState,
        cache_dir: Path | None = None,
    ) -> None:
        super().__init__(id="main")
        self.library_dir = library_dir
        self.cache_dir = cache_dir
        self.store = store
        self.state = state
        self.library: Library | None = None
        self.articles: list[ArticleInfo] = []
        self.cache: dict[str, Article] = {}
        self.search_result: SearchResult | None = None  # shown in the results list
        self.active_result: SearchResult | None = None  # highlighted in the reader, n/N
        self.error: str | None = None
        self._generation = 0
        self._save_timer = None
        self._results_wanted = False  # enter pressed before the results came
        self._sidebar_chosen: bool | None = None  # the person's ctrl+b choice, if any
        self._refresh_timer = None
        self._refresh_worker: Worker | None = None
        self._refresh_asked = False  # ctrl+r pressed while a check was running
        self._files_seen: frozenset[tuple[str, int, int]] | None = None  # at the last check
        self._skipped_told: set[str] = set()
        self._refresh_error: str | None = None  # the last failure told, not told again
        self.init_notes()

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBar(id="search")
        with Horizontal(id="body"):
            yield Sidebar(id="sidebar")
            with ContentSwitcher(initial="reading", id="centre"):
                with Horizontal(id="reading"):
                    with Vertical(id="reader-column"):
                        yield Reader(id="reader")
                        yield NotePanel(id="note-panel")
                    yield Overview(id="overview")
                yield ResultsList(id="results")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def results(self) -> ResultsList:
        return self.query_one(ResultsList)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def searching(self) -> bool:
        return self.query_one("#centre", ContentSwitcher).current == "results"

    @property
    def ready(self) -> bool:
        return self.library is not None

    def on_mount(self) -> None:
        self.search_bar.history = list(self.state.history)
        self.search_bar.show_message(None)
        self.sidebar.display = self.app.size.width >= NARROW
        self.set_focus(self.reader)
        self.status.set_text("Opening the library…")
        self.open_library()

    def on_resize(self) -> None:
        if self._sidebar_chosen is None:
            self.sidebar.display = self.app.size.width >= NARROW

    # -- workers: all back-end calls -----------------------------------------------------------

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def open_library(self) -> None:
        from glossator.index.library import Library  # whoosh: imported off the event loop, when needed

        library = Library(self.library_dir, cache=self.cache_dir)

        report = library.update(progress=self._progress_poster())
        articles = library.articles()
        if not get_current_worker().is_cancelled:
            self.post_message(LibraryOpened(library, articles, report))

    @work(thread=True, exclusive=False, group="refresh", exit_on_error=False)
    def refresh_library(
        self,
        library: Library,
        before: list[ArticleInfo],
        seen: frozenset[tuple[str, int, int]] | None,
        manual: bool,
        current: Article | None,
        sentence: int,
        active_query: str | None,
    ) -> None:
        """Look at the folder (names, sizes, times) and bring the index in step if it changed."""
        from glossator.index.library import scan

        files = frozenset((f.id, f.size, f.mtime_ns) for f in scan(library.folder))
        if seen is None:  # the first look: compare with what the index holds
            seen = frozenset((a.id, a.size, a.mtime_ns) for a in before)
        if files == seen and not manual:
            self.post_message(LibraryRefreshed(before, None, files, manual))
            return

        report = library.update(progress=self._progress_poster())
        articles = library.articles()
        if get_current_worker().is_cancelled:
            return
        old = {a.id: a.sha256 for a in before}
        changed = {a.id for a in articles if old.get(a.id, a.sha256) != a.sha256}
        new_text, at = None, sentence
        if current is not None and current.id in changed:
            new_text = library.article(current.id)
            if new_text is not None:
                at = _follow(current, new_text, sentence)
        active = None
        if active_query and (changed or set(old) != {a.id for a in articles}):
            active = library.search(active_query)
        self.post_message(
            LibraryRefreshed(articles, report, files, manual, new_text, sentence, at, active)
        )

    def _progress_poster(self) -> Callable[[int, int, str], None]:
        """Indexing progress as messages, at most ten a second (a message per article of a
        large library kept the event loop busy repainting the status line)."""
        last = [0.0]

        def progress(done: int, total: int, name: str) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY or done in (0, total):
                last[0] = now
                self.post_message(IndexProgressed(done, total, name))

        return progress

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def load_article(self, article_id: str, sentence: int) -> None:
        assert self.library is not None
        article = self.library.article(article_id)
        if not get_current_worker().is_cancelled:
            self.post_message(ArticleLoaded(article, article_id, sentence))

    @work(thread=True, exclusive=True, group="original", exit_on_error=False)
    def load_original(self, article_id: str) -> None:
        assert self.library is not None
        text = self.library.original(article_id)
        if not get_current_worker().is_cancelled:
            self.post_message(OriginalLoaded(article_id, text))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        """The first screen of results at once, then the full count and the rest of the list
        (a new keystroke cancels both)."""
        library = self.library
        assert library is not None
        worker = get_current_worker()
        first = library.search(query, limit=FIRST_PAGE, count=False)
        if worker.is_cancelled:
            return
        notes = self.search_notes(query)
        if worker.is_cancelled:
            return
        self.post_message(SearchFinished(first, notes))
        if first.error or (first.complete and len(first.hits) < FIRST_PAGE):
            return  # that was everything
        full = library.search(query, limit=SHOWN_AT_MOST)
        if not worker.is_cancelled:
            self.post_message(SearchFinished(full, notes))

    @work(thread=True, exclusive=False, group="state", exit_on_error=False)
    def write_state(self, state: AppState, generation: int) -> None:
        self.store.save(state, generation)

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker is turned into a message for the person."""
        if event.worker.group == "refresh" and event.worker.is_finished and self._refresh_asked:
            self.check_library("key")  # ctrl+r was pressed during that look: look again
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if event.worker.group.startswith("note") and self.note_worker_corrupt(event.worker):
            return  # a damaged notes file: the person is asked what to do with it
        what = {
            "library": "The library could not be opened",
            "article": "The article could not be loaded",
            "original": "The original text could not be read",
            "search": "The search failed",
            "state": "Your reading position could not be saved",
            "themes": "The themes could not be loaded",
            "theme": "The theme's passages could not be listed",
            "user-themes": "Your themes could not be changed",
            "notes": "Your notes could not be read",
            "note-anchor": "Your notes could not be re-anchored",
            "note-write": "Your note could not be saved",
            "note-recover": "The damaged notes file could not be set aside",
            "refresh": "The library could not be checked for changes",
        }.get(event.worker.group, "Something went wrong")
        why = str(error) or type(error).__name__
        message = f"{what}: {why}"
        if event.worker.group == "refresh":
            self.status.set_progress(None, None)
            self._show_library_status()
            if message == self._refresh_error:
                return  # told already: the check runs every few seconds
            self._refresh_error = message
        self.notify(neutralise(message), severity="error", timeout=8, markup=False)
        if event.worker.group == "library":
            self.error = message
            self.status.set_progress(None, None)
            self.status.set_text(message, "error")
            self.reader.show_message(message)
            self.results.show_text(message)
        elif event.worker.group == "search":
            self.search_bar.show_message(message, "error")
            self.results.show_text(message)
        elif event.worker.group == "themes":
            self.theme_failed(message)
        elif event.worker.group.startswith("note"):
            self.note_worker_failed(event.worker, message)

    # -- the library ---------------------------------------------------------------------------

    @on(IndexProgressed)
    def _index_progress(self, event: IndexProgressed) -> None:
        if event.total <= 0:
            return
        if event.done >= event.total:
            self.status.set_text(f"indexed {event.total} …")
        else:
            self.status.set_text(f"indexing {event.done + 1}/{event.total} {event.name} …")
        self.status.set_progress(event.done, event.total)

    @on(LibraryOpened)
    def _library_opened(self, event: LibraryOpened) -> None:
        self.library = event.library
        self.articles = event.articles
        report = event.report
        self.status.set_progress(None, None)
        self._show_library_status()
        self._tell_report(report)
        position = self.state.positions.get(self.library.key)
        known = {a.id for a in self.articles}
        first = position if position and position.article in known else None
        self.sidebar.set_articles(self.articles, first.article if first else None)
        self.notes_library_opened()
        if not self.articles:
            self.reader.show_message(
                "This library has no articles yet: add .txt or .md files to its folder."
            )
        elif first is not None:
            self.open_article(first.article, first.sentence)
        else:
            self.open_article(self.articles[0].id, 0)
        query = self.search_bar.value
        if query.strip():
            self.run_search(query)
        self.themes_library_opened()
        if self._refresh_timer is None:
            self._refresh_timer = self.set_interval(
                REFRESH_EVERY, lambda: self.check_library("timer")
            )

    # -- keeping up with the folder: files added, changed or removed while the app is open ----

    def check_library(self, why: str) -> None:
        """Look for changes in the library's folder (``why``: "timer", "focus" or "key").

        The look runs in a thread worker; one at a time, never while the library is being
        opened or built."""
        manual = why == "key"
        if self.library is None or self.error is not None:
            if manual:
                self.notify("The library is still opening; it is read as it is now.", timeout=3)
            return
        if any(w.group == "library" and not w.is_finished for w in self.workers):
            return
        running = self._refresh_worker
        if running is not None and not running.is_finished:
            self._refresh_asked = self._refresh_asked or manual
            return
        if manual:
            self.status.set_text("Looking for changes in the library's folder…")
        current = self.reader.article
        active = self.active_result.query if self.active_result is not None else None
        self._refresh_worker = self.refresh_library(
            self.library,
            list(self.articles),
            self._files_seen,
            manual or self._refresh_asked,
            current,
            self.reader.sentence if current is not None else 0,
            active,
        )
        self._refresh_asked = False

    def _tell_report(self, report: UpdateReport) -> None:
        """Say why the index was rebuilt, if it was, and name the files skipped that were not
        named before (the folder is looked at every few seconds)."""
        if report.rebuilt_because:
            self.notify(
                f"Rebuilt the index: {neutralise(report.rebuilt_because)}", timeout=6, markup=False
            )
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

    @on(LibraryRefreshed)
    def _library_refreshed(self, event: LibraryRefreshed) -> None:
        self._files_seen = event.seen
        self._refresh_error = None
        report = event.report
        if report is None or self.library is None:
            return
        self.status.set_progress(None, None)
        self._tell_report(report)
        old = {a.id: a for a in self.articles}
        new = {a.id: a for a in event.articles}
        added = [a for a in event.articles if a.id not in old]
        removed = [a for a in self.articles if a.id not in new]
        changed = [a for a in event.articles if a.id in old and old[a.id].sha256 != a.sha256]
        if not (added or removed or changed):
            if event.manual:
                self._show_library_status()
                self.notify("The library is up to date: nothing was added, changed or removed.")
            return
        self.articles = event.articles
        gone = {a.id for a in removed}
        for info in changed + removed:
            self.cache.pop(info.id, None)
        if event.active is not None and self.active_result is not None:
            if event.active.query == self.active_result.query:
                self.active_result = event.active
        self._show_library_status()
        parts = []
        for verb, infos in (("added", added), ("changed", changed), ("removed", removed)):
            if infos:
                titles = ", ".join(f"“{a.title}”" for a in infos[:NAMES_TOLD])
                more = f" and {len(infos) - NAMES_TOLD} more" if len(infos) > NAMES_TOLD else ""
                parts.append(f"{verb} {titles}{more}")
        self.notify(
            neutralise("Library updated: " + "; ".join(parts) + "."), timeout=8, markup=False
        )

        # The article being read: reloaded where the reader was, or another one if it went.
        current = self.reader.article
        target: tuple[str, int] | None = None
        if current is None:
            if self.articles:
                target = (self.articles[0].id, 0)
        elif current.id in gone:
            # the next article that is still there, else the one before it
            order = list(old.values())
            index = order.index(old[current.id])
            nearby = [*order[index + 1 :], *reversed(order[:index])]
            following = next((new[a.id] for a in nearby if a.id in new), None)
            if following is None and self.articles:  # all new ones
                following = self.articles[0]
            orphans = sum(1 for n in self.notes if n.article_id == current.id)
            told = (
                f"“{old[current.id].title}” is no longer in the library: its file "
                f"{old[current.id].path} was removed or can no longer be read."
            )
            if orphans:
                told += (
                    f" Its {orphans} note{'' if orphans == 1 else 's'} "
                    f"{'is' if orphans == 1 else 'are'} kept, orphaned, in the Notes tab (3)."
                )
            if following is not None:
                told += f" Now reading “{following.title}”."
                target = (following.id, 0)
            self.notify(neutralise(told), severity="warning", timeout=12, markup=False)
        elif current.id in {a.id for a in changed}:
            article = event.article
            if article is not None and article.id == current.id:
                self.cache[article.id] = article
                here = self.reader.sentence
                # where the reader was when the check began, followed into the new text
                sentence = event.sentence if here == event.was_at else here
                sentence = max(0, min(sentence, article.sentence_count() - 1))
                self.reader.clear_selection()
                self._show_article(article, sentence)
            else:
                self.reader.clear_selection()
                self.load_article(current.id, self.reader.sentence)
        elif self.active_result is not None:
            self.reader.set_hits(self._hit_spans(current))
        current_id = target[0] if target else (current.id if current else None)
        self.sidebar.set_articles(self.articles, current_id)
        if target is not None:
            self.open_article(*target)
        elif not self.articles:
            self.reader.show_message(
                "This library has no articles now: its files were removed from its folder. "
                "Add .txt or .md files and they appear here."
            )
        self.notes_library_opened()  # notes placed again; those of a removed article orphaned
        query = self.search_bar.value
        if query.strip() and self.results.theme is None:
            self.run_search(query)
        if self.themes or self._themes_worker is not None:
            self._themes_worker = self.load_themes()

    def _show_library_status(self) -> None:
        if self.library is None:
            return
        n = len(self.articles)
        self.status.set_text(f"{self.library.name} · {n} article{'' if n == 1 else 's'} · ready")

    def _article_index(self, article_id: str | None) -> int:
        for i, a in enumerate(self.articles):
            if a.id == article_id:
                return i
        return -1

    # -- opening articles ----------------------------------------------------------------------

    def open_article(self, article_id: str, sentence: int = 0) -> None:
        """Show ``article_id`` at ``sentence`` (from the cache, or load it in a worker)."""
        if self.library is None:
            return
        article = self.cache.get(article_id)
        if article is not None:
            self._show_article(article, sentence)
        else:
            self.load_article(article_id, sentence)

    @on(ArticleLoaded)
    def _article_loaded(self, event: ArticleLoaded) -> None:
        if event.article is None:
            self.notify(
                f"The article {neutralise(event.article_id)!r} is not in the index.",
                severity="error",
                markup=False,
            )
            return
        self.cache[event.article.id] = event.article
        self._show_article(event.article, event.sentence)

    def _hit_spans(self, article: Article) -> list[tuple[int, int]]:
        result = self.active_result
        if result is None:
            return []
        sentences = article.sentences
        spans: list[tuple[int, int]] = []
        for hit in result.hits:
            if hit.article_id != article.id or not (0 <= hit.sentence_id < len(sentences)):
                continue
            s = sentences[hit.sentence_id]
            spans.extend((s.start + a, s.start + b) for a, b in hit.highlights)
        return spans

    def _show_article(self, article: Article, sentence: int) -> None:
        self.reader.show_article(article, sentence, self._hit_spans(article))
        self.sidebar.mark_current(article.id)
        self.notes_article_shown(article)

    @on(Reader.PositionChanged)
    def _position_changed(self, event: Reader.PositionChanged) -> None:
        index = self._article_index(event.article_id)
        self.status.set_position(
            f"article {index + 1}/{len(self.articles)} · sentence "
            f"{event.sentence + 1}/{event.count}"
        )
        self.notes_position_changed()
        if self.library is not None:
            self.state.positions[self.library.key] = Position(event.article_id, event.sentence)
            self.schedule_save()

    @on(Reader.ViewChanged)
    def _view_changed(self, event: Reader.ViewChanged) -> None:
        self.query_one(Overview).view = event.view

    @on(Overview.Jumped)
    def _overview_jumped(self, event: Overview.Jumped) -> None:
        self.reader.scroll_to_fraction(event.fraction)
        self.set_focus(self.reader)

    @on(Reader.ArticleRequested)
    def _article_requested(self, event: Reader.ArticleRequested) -> None:
        if not self.articles or self.reader.article is None:
            return
        index = self._article_index(self.reader.article.id) + event.step
        if not 0 <= index < len(self.articles):
            self.notify(
                "This is the last article." if event.step > 0 else "This is the first article.",
                timeout=2,
            )
            return
        self.open_article(self.articles[index].id, 0)

    @on(Sidebar.ArticleChosen)
    def _article_chosen(self, event: Sidebar.ArticleChosen) -> None:
        current = self.reader.article
        if current is None or current.id != event.article_id:
            self.open_article(event.article_id, 0)
        self.show_reader()

    @on(Reader.OriginalRequested)
    def _original_requested(self, event: Reader.OriginalRequested) -> None:
        if self.library is not None:
            self.load_original(event.article_id)

    @on(OriginalLoaded)
    def _original_loaded(self, event: OriginalLoaded) -> None:
        reader = self.reader
        if reader.article is None or reader.article.id != event.article_id:
            return
        if event.text is None:
            self.notify("The article's file can no longer be read.", severity="warning")
            return
        reader.show_original(event.text)

    # -- search hits in the reader: n / N ------------------------------------------------------

    def _hit_places(self) -> list[HitPlace]:
        result = self.active_result
        if result is None:
            return []
        order = {a.id: i for i, a in enumerate(self.articles)}
        places = {
            HitPlace(order[h.article_id], max(0, h.sentence_id), h.article_id)
            for h in result.hits
            if h.article_id in order
        }
        return sorted(places)

    @on(Reader.HitRequested)
    def _hit_requested(self, event: Reader.HitRequested) -> None:
        places = self._hit_places()
        if not places:
            self.notify("No search yet: press / to search, then open a passage.", timeout=3)
            return
        query = self.active_result.query if self.active_result else ""
        what = f"theme {self.active_theme!r}" if self.active_theme else repr(query)
        self.step_through(
            [(p.article_index, p.sentence, p.article_id) for p in places],
            event.step,
            lambda number, count: f"hit {number}/{count} for {what}",
        )

    def step_through(
        self,
        places: list[tuple[int, int, str]],
        step: int,
        label: Callable[[int, int], str],
    ) -> None:
        """Go to the next (``step`` > 0) or previous place after the reader's, wrapping round.

        ``places`` are (article's library index, sentence, article id) in reading order; the
        status line says which one this is, as ``label(number, count)`` puts it.
        """
        article = self.reader.article
        here = (self._article_index(article.id if article else None), self.reader.sentence)
        keys = [(index, sentence) for index, sentence, _ in places]
        if step > 0:
            i = bisect.bisect_right(keys, here)
            wrapped = i >= len(places)
            target = places[0 if wrapped else i]
        else:
            i = bisect.bisect_left(keys, here) - 1
            wrapped = i < 0
            target = places[-1 if wrapped else i]
        _index, sentence, article_id = target
        note = " (wrapped)" if wrapped else ""
        self.status.set_text(label(places.index(target) + 1, len(places)) + note)
        if article is not None and article_id == article.id:
            self.reader.go_to_sentence(sentence, center=True)
        else:
            self.open_article(article_id, sentence)

    # -- live search ---------------------------------------------------------------------------

    def _show_results(self) -> None:
        self.query_one("#centre", ContentSwitcher).current = "results"

    def show_reader(self) -> None:
        self.query_one("#centre", ContentSwitcher).current = "reading"
        self.set_focus(self.reader)

    @on(SearchBar.QueryChanged)
    def _query_changed(self, event: SearchBar.QueryChanged) -> None:
        query = event.query
        self._results_wanted = False
        if not query.strip():
            self.workers.cancel_group(self, "search")
            self.search_bar.show_message(None)
            self.results.show_text("Type to search the library.")
            return
        self._show_results()
        if self.error is not None:
            self.results.show_text(self.error)
            return
        if self.library is None:
            self.search_bar.show_message(
                "The library is still being indexed; results will appear when it is ready.",
                "info",
            )
            self.results.show_text("Indexing… search starts when the index is ready.")
            return
        self.run_search(query)

    @on(SearchFinished)
    def _search_finished(self, event: SearchFinished) -> None:
        result = event.result
        if result.query != self.search_bar.value:
            return  # typing has moved on
        self.search_result = result
        bar = self.search_bar
        if result.error:
            bar.show_message(f"Unusable query: {result.error}", "error")
            self.results.show_text("No results: the query cannot be used as it is.")
            if event.notes:  # "#tag" finds no passages, but notes
                self.results.show_result(result, notes=event.notes)
            self._results_wanted = False
            return
        shown = self.results.result
        rest = shown is not None and shown.query == result.query and not shown.complete
        self.results.show_result(result, notes=event.notes, keep_place=rest)
        if not result.total and not event.notes:  # notes found: enter goes to them
            bar.offer_suggestion(result.query, result.suggestion)
            self._results_wanted = False
            return
        bar.show_message(None)
        if self._results_wanted:
            self._results_wanted = False
            self._focus_results()

    def _focus_results(self) -> None:
        self._show_results()
        self.results.focus_list()

    @on(SearchBar.Submitted)
    def _search_submitted(self, event: SearchBar.Submitted) -> None:
        query = event.query
        if not query.strip():
            return
        self.remember_search(query)
        result = self.search_result
        running = any(w.group == "search" and w.is_running for w in self.workers)
        if result is not None and result.query == query and not running:
            if result.total or self.results.notes:
                self._focus_results()
        else:
            self._results_wanted = True

    @on(ResultsList.PassageSelected)
    def _passage_selected(self, event: ResultsList.PassageSelected) -> None:
        if event.theme is None:  # a theme's passages are not a search to remember
            self.remember_search(event.query)
        self.active_result = self.results.result if event.theme else self.search_result
        self.active_theme = event.theme
        current = self.reader.article
        sentence = max(0, event.hit.sentence_id)
        if current is not None and current.id == event.hit.article_id:
            self.reader.set_hits(self._hit_spans(current))
            self.reader.go_to_sentence(sentence, center=True)
        else:
            self.open_article(event.hit.article_id, sentence)
        self.show_reader()

    def remember_search(self, query: str) -> None:
        self.state.remember_search(query)
        self.search_bar.history = list(self.state.history)
        self.schedule_save(at_once=True)

    # -- saving the state ----------------------------------------------------------------------

    def schedule_save(self, at_once: bool = False) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if at_once:
            self.save_state()
        else:
            self._save_timer = self.set_timer(SAVE_DELAY, self.save_state)

    def save_state(self) -> Worker[None]:
        self._save_timer = None
        self._generation += 1
        return self.write_state(self.state.copy(), self._generation)

    async def flush_state(self) -> None:
        """Write the state now and wait for it (on quitting)."""
        if self._save_timer is not None:
            self._save_timer.stop()
        worker = self.save_state()
        try:
            await worker.wait()
        except Exception:  # reported by _worker_state_changed
            pass

    # -- actions -------------------------------------------------------------------------------

    def action_search(self) -> None:
        if isinstance(self.focused, Input):  # "/" typed in a text field is a character
            self.focused.insert_text_at_cursor("/")
            return
        self.restore_search_results()
        if self.search_bar.value.strip():
            self._show_results()
        self.set_focus(self.search_bar.input)

    def action_show_tab(self, tab: str) -> None:
        if not self.sidebar.display:
            self.sidebar.display = True
            self.refit_after_layout()
        self.sidebar.show_tab(tab)

    def action_toggle_sidebar(self) -> None:
        sidebar = self.sidebar
        sidebar.display = not sidebar.display
        self.refit_after_layout()
        self._sidebar_chosen = bool(sidebar.display)
        if not sidebar.display and self.focused is not None and sidebar in self.focused.ancestors:
            self.set_focus(self.reader)

    def refit_after_layout(self) -> None:
        """The sidebar came or went: once laid out, tell the widgets beside it their size again.

        Textual 8 can skip a widget's Resize when a region is looked up between the change and the
        next layout (the compositor's full map is then rebuilt early and the reflow finds nothing
        resized), which left the reader and the lists wrapped for the old width.
        """

        def resend() -> None:
            for widget in self.query_one("#body").query("*"):
                widget.post_message(
                    events.Resize(widget.size, widget.virtual_size, widget.container_size)
                )

        self.call_after_refresh(resend)

    def action_back(self) -> None:
        """escape: from the search or the sidebar back to the reader, where it was."""
        self._results_wanted = False
        if self.searching:
            self.workers.cancel_group(self, "search")
            self.show_reader()
            self.return_to_themes()
            return
        focused = self.focused
        if focused is not self.reader:
            self.set_focus(self.reader)

    def help_sections(self) -> list:
        nodes = [self.reader, self.search_bar, self.results, self.sidebar.themes, self, self.app]
        nodes[4:4] = self.notes_help_nodes()
        return help_rows(nodes)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.help_sections()))


def _follow(old: Article, new: Article, sentence: int) -> int:
    """The sentence of ``new`` that sentence ``sentence`` of ``old`` became (the same text, or
    the closest passage), else the same number, within the new article."""
    from glossator.index import anchor

    count = new.sentence_count()
    try:
        found = anchor.locate(
            anchor.selector_for(old.text, old.sentences, sentence), new.text, new.sentences
        )
    except ValueError:
        found = None
    if found is not None and found.sentence_id is not None:
        return found.sentence_id
    return max(0, min(sentence, count - 1))
