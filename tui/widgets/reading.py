"""The reading and searching flow: the search bar, the reader with its note panel and overview, and
the results that replace the reader while a search is shown.

``ReadingView`` owns what this flow needs and nothing else; the library comes down as an attribute,
what the rest of the screen should know goes up as messages (an article shown, a line for the
status bar, a search to remember). Its parts run their workers on its behalf: the search as it is
typed (``reading_search``), the search the reader highlights (``reading_hits``), the articles read,
their loading and the start-up snapshot (``reading_articles``), the study views
(``reading_study``); where stepping and a changed article lead is worked out in ``reading_places``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher
from textual.worker import Worker, WorkerState

from glossator.index.model import Article, SearchResult, place_of
from glossator.index.textutil import neutralise

from .links import BacklinkIndex, Jump, jumps, nowhere
from .note_panel import NotePanel
from .overview import Overview
from .reader import Reader
from .reading_articles import ArticleLoading
from .reading_hits import ActiveSearch
from .reading_places import Place, step_place
from .reading_search import LiveSearch, SearchFinished
from .reading_study import StudyOpening
from .results import ResultsList
from .search_bar import SearchBar
from .study import StudyView
from .study_pane import StudyPane, Subject

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo, Library
    from glossator.index.notes import Link, Note

    from ..controllers.library_change import Change
    from ..snapshot import Snapshot
    from ..state import Position

NoteFinder = Callable[[str], "list[Note]"]  # notes matching a query; called in a worker thread


class ReadingView(Vertical):
    """Search bar above, then the reader or the results."""

    class ArticleShown(Message):
        def __init__(self, article: Article) -> None:
            super().__init__()
            self.article = article

    class Told(Message):
        """A line for the status bar ("": its usual line)."""

        def __init__(self, text: str, kind: str = "") -> None:
            super().__init__()
            self.text, self.kind = text, kind

    class SearchRemembered(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class IndexLost(Message):
        """The index went from under the app (deleted, replaced): the library must be updated."""

    class ResultsClosed(Message):
        """escape left the results; ``theme`` is the theme whose passages they were."""

        def __init__(self, theme: str | None) -> None:
            super().__init__()
            self.theme = theme

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library: Library | None = None
        self.articles: list[ArticleInfo] = []
        self.error: str | None = None  # the library could not be opened
        self.note_finder: NoteFinder | None = None
        self.loader = ArticleLoading(self)  # the articles read, the start-up snapshot
        self.search = LiveSearch(self)  # the search shown in the results list
        self.hits = ActiveSearch(self)  # the search highlighted in the reader, walked by n/N
        self.studies = StudyOpening(self)  # which study view opens, and where escape returns
        self._notes: Sequence[Note] = ()
        self.backlinks = BacklinkIndex()  # the notes' links, by the article they point into

    def compose(self) -> ComposeResult:
        yield SearchBar(id="search")
        with ContentSwitcher(initial="reading", id="centre"):
            with Horizontal(id="reading"):
                with Vertical(id="reader-column"):
                    yield Reader(id="reader")
                    yield NotePanel(id="note-panel")
                yield Overview(id="overview")
            yield ResultsList(id="results")
            yield StudyView(id="study")

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
    def note_panel(self) -> NotePanel:
        return self.query_one(NotePanel)

    @property
    def study(self) -> StudyView:
        return self.query_one(StudyView)

    @property
    def search_result(self) -> SearchResult | None:
        """The search shown in the results list."""
        return self.search.result

    @property
    def searching(self) -> bool:
        return self.query_one("#centre", ContentSwitcher).current == "results"

    @property
    def studying(self) -> bool:
        return self.query_one("#centre", ContentSwitcher).current == "study"

    def _index(self, article_id: str | None) -> int:
        return place_of(self.articles, article_id)

    # -- attributes down -----------------------------------------------------------------------

    def set_library(self, library: Library, articles: list[ArticleInfo]) -> None:
        self.library, self.articles, self.error = library, articles, None
        self.results.titles = {a.id: a.title for a in articles}
        self.study.set_library(library, articles)
        query = self.search_bar.value
        if query.strip():
            self.search.run(query)

    def library_failed(self, message: str) -> None:
        self.error = message
        self.reader.show_message(message)
        self.results.show_text(message)

    def articles_changed(self, articles: list[ArticleInfo], changed: set[str]) -> None:
        """The folder changed: ``changed`` are the ids of articles changed or removed."""
        self.articles = articles
        self.results.titles = {a.id: a.title for a in articles}
        if self.library is not None:
            self.study.set_library(self.library, articles)
        self.loader.articles_changed(articles, changed)
        self.hits.rerun()
        query = self.search_bar.value
        if query.strip() and self.results.theme is None:
            self.search.run(query)

    def set_notes(self, notes: Sequence[Note]) -> None:
        self._notes = notes
        snap = self.loader.provisional
        if self.showing_snapshot and snap is not None and not snap.whole:
            return  # numbered from the part kept: placed once the whole article is shown
        self.reader.set_notes(notes)
        self.backlinks = BacklinkIndex(notes)
        self.show_note_panel()

    def backlinks_here(self) -> list[tuple[Link, Note]]:
        """The links pointing at the sentence the reader is on, with their notes."""
        reader = self.reader
        if reader.article is None or reader.original_shown:
            return []
        return self.backlinks.at(reader.article.id, reader.sentence)

    def jumps_here(self) -> list[Jump]:
        """Where f leads from the sentence the reader is on."""
        return jumps(self.reader.notes_here, self.backlinks_here())

    def nowhere_here(self) -> list[str]:
        """The links of the notes here that lead nowhere (to say so when f finds no jump)."""
        return nowhere(self.reader.notes_here)

    def show_note_panel(self) -> None:
        reader = self.reader
        self.note_panel.show_notes(reader.notes_here, self.backlinks_here(), reader.label_colours)

    # -- the start-up snapshot and opening articles (in reading_articles) ------------------------

    def show_snapshot(self, snap: Snapshot) -> None:
        """Show the article the snapshot kept, where it was on screen, with its notes' marks."""
        self.loader.show_snapshot(snap)

    @property
    def showing_snapshot(self) -> bool:
        """The reader still shows the snapshot's article, not the library's."""
        return self.loader.showing_snapshot

    def open_first(self, position: Position | None) -> str | None:
        """The library opened: the snapshot's article in place, else the article at
        ``position`` or the first; the article the article list marks."""
        return self.loader.open_first(self.articles, position)

    def library_changed(self, change: Change, notes: Sequence[Note]) -> str | None:
        """The folder changed: where the reader goes; the article the article list marks."""
        return self.loader.library_changed(change, notes)

    def open_article(self, article_id: str, sentence: int = 0) -> None:
        """Show ``article_id`` at ``sentence`` (from the cache, or load it in a worker)."""
        self.loader.open(article_id, sentence)

    def go_to(self, article_id: str, sentence: int) -> None:
        """The reader at ``sentence`` of ``article_id``, centred; the reader shown."""
        current = self.reader.article
        if current is not None and current.id == article_id:
            self.reader.go_to_sentence(sentence, center=True)
        else:
            self.open_article(article_id, sentence)
        self.show_reader()

    def hit_spans(self, article: Article) -> list[tuple[int, int]]:
        """The active search's hits in ``article``, for the reader to highlight."""
        return self.hits.spans(article)

    def article_shown(self, article: Article) -> None:
        """``article`` is in the reader now: its notes (the reader keeps the shown article's
        notes only), and the screen told."""
        self.set_notes(self._notes)
        self.post_message(self.ArticleShown(article))

    @on(Reader.PositionChanged)
    def _position_changed(self, event: Reader.PositionChanged) -> None:
        self.show_note_panel()  # and on up to the screen

    @on(Reader.ViewChanged)
    def _view_changed(self, event: Reader.ViewChanged) -> None:
        event.stop()
        self.query_one(Overview).view = event.view

    @on(Overview.Jumped)
    def _overview_jumped(self, event: Overview.Jumped) -> None:
        event.stop()
        self.reader.scroll_to_fraction(event.fraction)
        self.screen.set_focus(self.reader)

    @on(Reader.OriginalRequested)
    def _original_requested(self, event: Reader.OriginalRequested) -> None:
        event.stop()
        self.loader.load_original(event.article_id)

    # -- stepping: ] [ between articles, n N between hits (m M come from the notes) -------------

    @on(Reader.Stepped)
    def _stepped(self, event: Reader.Stepped) -> None:
        if event.what == "article":
            event.stop()
            self._step_article(event.step)
        elif event.what == "hit":
            event.stop()
            self.hits.step(event.step)

    def _step_article(self, step: int) -> None:
        if not self.articles or self.reader.article is None:
            return
        index = self._index(self.reader.article.id) + step
        if not 0 <= index < len(self.articles):
            last = "This is the last article." if step > 0 else "This is the first article."
            self.notify(last, timeout=2)
            return
        self.open_article(self.articles[index].id, 0)

    def step_through(
        self, places: list[Place], step: int, label: Callable[[int, int], str]
    ) -> None:
        """Go to the next (``step`` > 0) or previous place after the reader's, wrapping round;
        ``places`` in reading order. The status bar says which one this is."""
        article = self.reader.article
        here = (self._index(article.id if article else None), self.reader.sentence)
        target, wrapped = step_place(places, here, step)
        note = " (wrapped)" if wrapped else ""
        self.post_message(self.Told(label(places.index(target) + 1, len(places)) + note))
        self.go_to(target[2], target[1])

    # -- live search ---------------------------------------------------------------------------

    def show_results(self) -> None:
        self.study.stop()
        self.query_one("#centre", ContentSwitcher).current = "results"

    def show_reader(self) -> None:
        self.study.stop()
        self.query_one("#centre", ContentSwitcher).current = "reading"
        self.screen.set_focus(self.reader)

    def focus_search(self) -> None:
        """``/``: the search bar, with the search's results if something is typed."""
        self.search.restore()
        if self.search_bar.value.strip():
            self.show_results()
        self.screen.set_focus(self.search_bar.input)

    def close_results(self) -> None:
        """escape from the results: back to the reader, where it was."""
        self.search.stop()
        theme = self.results.theme
        self.show_reader()
        self.post_message(self.ResultsClosed(theme))

    @on(SearchBar.QueryChanged)
    def _query_changed(self, event: SearchBar.QueryChanged) -> None:
        event.stop()
        self.search.changed(event.query)

    @on(SearchFinished)
    def _search_finished(self, event: SearchFinished) -> None:
        event.stop()
        self.search.finished(event.result, event.notes)

    @on(SearchBar.Submitted)
    def _submitted(self, event: SearchBar.Submitted) -> None:
        event.stop()
        self.search.submitted(event.query)

    @on(ResultsList.PassageSelected)
    def _passage_selected(self, event: ResultsList.PassageSelected) -> None:
        event.stop()
        self.hits.chosen(event)

    def show_theme(self, name: str, query: str, result: SearchResult) -> None:
        """List a theme's passages; the bar shows the theme's query (not searched again)."""
        self.search.show_theme(name, query, result)

    # -- the study views (concordance, spread, collocates, keywords; opened in reading_study) ------

    def open_study(self, view: str, subject: Subject, origin: str) -> None:
        """Show ``view`` of ``subject`` where the reader is; escape returns to ``origin``."""
        self.studies.open(view, subject, origin)

    def close_study(self) -> None:
        self.study.action_close()

    @on(ResultsList.StudyRequested)
    def _results_study(self, event: ResultsList.StudyRequested) -> None:
        event.stop()
        self.studies.from_results(event.query, event.theme)

    @on(Reader.StudyRequested)
    def _reader_study(self, event: Reader.StudyRequested) -> None:
        event.stop()
        self.studies.from_reader(event.view)

    @on(StudyView.Closed)
    def _study_closed(self, event: StudyView.Closed) -> None:
        if self.studies.closed(event.origin):
            event.stop()

    @on(StudyPane.SentenceChosen)
    def _study_sentence(self, event: StudyPane.SentenceChosen) -> None:
        event.stop()
        self.go_to(event.article_id, max(0, event.sentence_id))

    # -- failures of this flow's workers ---------------------------------------------------------

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        if event.state != WorkerState.ERROR:
            return
        worker = event.worker
        what = {
            "article": "The article could not be loaded",
            "original": "The original text could not be read",
            "search": "The search failed",
            "active": "The search could not be run again",
        }.get(worker.group, "Something went wrong")
        from glossator.index.engine import IndexLost

        if isinstance(worker.error, IndexLost):
            self.post_message(self.IndexLost())
            told = "The index was deleted while Glossator was using it; it is being rebuilt."
            self.notify(told, severity="warning", timeout=8)
            if worker.group == "search":
                self.results.show_text("Rebuilding the index…", told)
            return
        message = f"{what}: {str(worker.error) or type(worker.error).__name__}"
        self.notify(neutralise(message), severity="error", timeout=8, markup=False)
        if worker.group == "search":
            self.results.show_text(message, message, "error")
