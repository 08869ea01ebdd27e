"""The main screen: the sidebar beside the reading view, the status line and the footer.

It composes the parts that own the library (``LibraryController``), the reading and search flow
(``ReadingView``), the sidebar and the focus (``Desk``), the notes (``NotesController``, and
``NoteRequests`` that the reader and the Notes tab ask directly), the themes
(``ThemesController``, which the Themes tab asks directly), the study views, the status line and
the saved state; it routes their messages and holds no state of its own. Keys: ``main_keys.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.timer import Timer

from ..controllers import library as library_part
from ..controllers.library import LibraryController, LibraryFactory, default_factory
from ..controllers.note_requests import NoteRequests, Passage
from ..controllers.notes import NotesController
from ..controllers.saving import StateKeeper
from ..controllers.snapshot import SnapshotKeeper
from ..controllers.status import StatusController
from ..controllers.study import StudyController
from ..controllers.themes import ThemesController
from ..state import AppState, StateStore
from ..widgets import Reader, ResultsList, SearchBar, Sidebar, StatusLine
from ..widgets.desk import Desk
from ..widgets.footer import FittingFooter
from ..widgets.notes_list import NotesList
from ..widgets.reading import ReadingView
from ..widgets.study_pane import StudyPane
from . import main_keys
from .help import HelpRow, HelpScreen

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo, Library
    from glossator.index.model import SearchResult
    from glossator.index.notes import Note
    from glossator.index.review import Scope

    from ..snapshot import Snapshot
    from .review_scope import ScopeOption


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = main_keys.MAIN_BINDINGS
    # the app's look, read when this screen is first shown (the first screen, drawn from the
    # start-up snapshot before it, needs only reader.tcss, which the app reads at its start)
    CSS_PATH = "../app.tcss"

    def __init__(
        self,
        library_dir: Path | None,
        store: StateStore,
        state: AppState,
        cache_dir: Path | None = None,
        factory: LibraryFactory = default_factory,
        snapshot: Snapshot | None = None,
        snapshot_dir: Path | None = None,
    ) -> None:
        super().__init__(id="main")
        self.store, self.state = store, state
        self.snapshot = snapshot  # the last screen, shown until the library opens
        self.reader_width = 0  # the first screen's reader's, when it showed the snapshot
        self.library_part = LibraryController(library_dir, cache_dir, factory, id="library-part")
        self.notes_part = NotesController(store.directory, id="notes-part")
        self.themes_part = ThemesController(id="themes-part")
        self.saving = StateKeeper(store, state, id="state-part")
        self.snapshots = SnapshotKeeper(snapshot_dir or Path("."), id="snapshot-part")
        self.study = StudyController(id="study-part")
        self.note_requests = NoteRequests(
            self.notes_part,
            self.study,
            opening=lambda: self.reading.showing_snapshot,
            passage=self._passage,
            id="note-requests",
        )
        line, showing = StatusLine(id="status"), lambda: self.reading.showing_snapshot
        self.status_part = StatusController(
            line, self.library_part, self.saving, self.snapshots, snapshot, showing
        )
        self._looking: Timer | None = None
        self.desk = Desk(id="body")  # the sidebar beside the reading view

    def compose(self) -> ComposeResult:
        yield self.desk
        yield self.status_part.line
        yield FittingFooter()
        yield self.library_part
        yield self.notes_part
        yield self.themes_part
        yield self.saving
        yield self.snapshots
        yield self.study
        yield self.note_requests

    # -- what is shown ---------------------------------------------------------------------------

    @property
    def reading(self) -> ReadingView:
        return self.query_one(ReadingView)

    @property
    def reader(self) -> Reader:
        return self.reading.reader

    @property
    def search_bar(self) -> SearchBar:
        return self.reading.search_bar

    @property
    def results(self) -> ResultsList:
        return self.reading.results

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def library(self) -> Library | None:
        return self.library_part.library

    @property
    def articles(self) -> list[ArticleInfo]:
        return self.library_part.articles

    @property
    def error(self) -> str | None:
        return self.library_part.error

    @property
    def notes(self) -> list[Note]:
        return self.notes_part.notes

    @property
    def search_result(self) -> SearchResult | None:
        return self.reading.search_result

    def on_mount(self) -> None:
        self.search_bar.history = list(self.state.history)
        self.sidebar.fit(self.app.size.width)
        self.reading.note_finder = self.notes_part.search
        self.study.open_store = self.notes_part.open_store
        self.sidebar.themes.owner = self.themes_part  # the Themes tab asks it directly
        self.query_one(NotesList).owner = self.note_requests  # and the Notes tab this one,
        self.reader.notes_owner = self.note_requests  # as the reader does
        self.set_focus(self.reader)
        snap = self.snapshot
        if snap is not None and snap.article is not None:
            # the last screen at once; Whoosh and the folder once it is painted
            self.sidebar.set_articles(snap.articles, snap.article.id)
            self.reader.expected_width = self.reader_width
            self.reading.show_snapshot(snap)
            self.status_part.told("Opening the library…")
            self.call_after_refresh(self.library_part.open)
        else:
            self.library_part.open()

    def on_resize(self) -> None:
        self.sidebar.fit(self.app.size.width)

    # -- the library -----------------------------------------------------------------------------

    @on(LibraryController.Progressed)
    def _progressed(self, event: LibraryController.Progressed) -> None:
        self.status_part.indexing(event.done, event.total, event.name)

    @on(LibraryController.Opened)
    def _opened(self, event: LibraryController.Opened) -> None:
        library, articles = event.library, event.articles
        self.status_part.settled()
        if self._looking is None:  # the folder and the notes, looked at every few seconds
            every = library_part.REFRESH_EVERY
            self._looking = self.set_interval(every, lambda: self.check_library("timer"))
        self.reading.set_library(library, articles)
        self.notes_part.library_opened(library, articles)
        self.themes_part.library_opened(library)
        self.snapshots.library_opened(library.key, library.folder, articles)
        self.study.library_opened(library)
        self.sidebar.names.set_library(library, articles)
        marked = self.reading.open_first(self.saving.position(library.key))
        self.sidebar.set_articles(articles, marked)

    @on(LibraryController.Changed)
    def _changed(self, event: LibraryController.Changed) -> None:
        change, library = event.change, self.library
        assert library is not None
        self.status_part.settled()
        marked = self.reading.library_changed(change, self.notes)  # where the reader goes
        self.sidebar.set_articles(change.after, marked)
        self.notes_part.library_opened(library, change.after)
        self.themes_part.library_opened(library, changed=True)
        self.snapshots.articles_changed(change.after)
        self.sidebar.names.set_library(library, change.after)

    @on(Reader.DetailsRequested)
    def _details(self, event: Reader.DetailsRequested) -> None:
        self.library_part.details(event.article_id)

    @on(LibraryController.Corrected)
    def _corrected(self, event: LibraryController.Corrected) -> None:
        current = self.reader.article
        self.reading.articles_changed(event.articles, {event.article_id})
        self.sidebar.set_articles(event.articles, current.id if current else None)
        if self.library is not None:
            self.notes_part.library_opened(self.library, event.articles)

    @on(ReadingView.IndexLost)
    def _index_lost(self) -> None:
        self.library_part.check("lost")

    @on(LibraryController.Failed)
    def _failed(self, event: LibraryController.Failed) -> None:
        self.status_part.settled()
        self.reading.library_failed(event.message)

    @on(LibraryController.Told)
    @on(ReadingView.Told)
    @on(NotesController.Told)
    def _told(
        self, event: LibraryController.Told | ReadingView.Told | NotesController.Told
    ) -> None:
        event.stop()
        self.status_part.told(event.text, event.kind)

    # -- reading ---------------------------------------------------------------------------------

    @on(ReadingView.ArticleShown)
    def _article_shown(self, event: ReadingView.ArticleShown) -> None:
        self.sidebar.mark_current(event.article.id)
        self.notes_part.article_shown(event.article)
        sentence = self.reader.sentence
        self.snapshots.article_shown(event.article, sentence, self.reader.current_row)

    @on(Reader.PositionChanged)
    def _position_changed(self, event: Reader.PositionChanged) -> None:
        self.status_part.place(event)

    @on(Reader.SelectionChanged)
    def _selection_changed(self, event: Reader.SelectionChanged) -> None:
        self.status_part.selection(event.selection)

    @on(Reader.Stepped)
    def _note_stepped(self, event: Reader.Stepped) -> None:
        if event.what != "note":  # articles and hits are the reading view's
            return
        places = self.notes_part.places()
        if not places:
            self.notify("No notes yet: a annotates the sentence you are on.", timeout=3)
            return
        self.reading.step_through(places, event.step, lambda n, count: f"note {n}/{count}")

    @on(ReadingView.SearchRemembered)
    def _remember(self, event: ReadingView.SearchRemembered) -> None:
        self.search_bar.history = self.saving.remember_search(event.query)

    @on(SearchBar.QueryChanged)
    def _query_changed(self, event: SearchBar.QueryChanged) -> None:
        self.themes_part.cancel_listing()

    # -- notes -----------------------------------------------------------------------------------

    @on(NotesController.Changed)
    def _notes_changed(self, event: NotesController.Changed) -> None:
        self.reading.set_notes(event.notes)
        self.snapshots.notes_changed(event.notes)
        self.sidebar.set_note_counts(self.notes_part.counts())
        self.query_one(NotesList).set_notes(event.notes, event.deleted, self.articles)
        self.study.count_due()

    @on(NotesController.Wanted)
    @on(StudyController.Wanted)
    def _note_wanted(self, event: NotesController.Wanted | StudyController.Wanted) -> None:
        if event.sentence is None:
            self.reading.open_article(event.article_id, 0)
            self.reading.show_reader()
        else:
            self.reading.go_to(event.article_id, event.sentence)

    @on(NotesController.Submitted)
    def _note_submitted(self) -> None:
        self.reader.clear_selection()

    def _passage(self) -> Passage:
        """The article shown and the run of sentences the notes keys act on."""
        reader = self.reader
        return reader.article, reader.selection or (reader.sentence,) * 2

    @on(StudyPane.AnnotateRequested)
    def _annotate(self, event: StudyPane.AnnotateRequested) -> None:
        self.note_requests.annotate(event.article, event.first, event.last)

    @on(StudyController.LabelsChosen)
    def _labels_chosen(self, event: StudyController.LabelsChosen) -> None:
        self.note_requests.labels_chosen(event)

    @on(StudyController.LabelsChanged)
    def _labels_changed(self, event: StudyController.LabelsChanged) -> None:
        self.desk.set_label_colours(event.labels)
        if event.renamed:
            self.notes_part.reload_notes()

    @on(StudyController.DueCounted)
    def _due_counted(self, event: StudyController.DueCounted) -> None:
        self.status_part.due(event.count)

    @on(Reader.LinkRequested)
    def _link(self, event: Reader.LinkRequested) -> None:
        if event.back:
            self.study.back()
        else:
            article = self.reader.article
            here = (article.id, self.reader.sentence) if article is not None else None
            self.study.follow(self.reading.jumps_here(), here, self.reading.nowhere_here())

    @on(ResultsList.NoteSelected)
    def _note_chosen(self, event: ResultsList.NoteSelected) -> None:
        self.search_bar.history = self.saving.remember_search(event.query)
        self.notes_part.go_to(event.note)

    @on(NotesList.ReviewRequested)
    def _notes_review(self, event: NotesList.ReviewRequested) -> None:
        self.action_review(event.scope)

    # -- themes ----------------------------------------------------------------------------------

    @on(ResultsList.SaveRequested)
    @on(StudyPane.SaveRequested)
    def _save_search(self, event: ResultsList.SaveRequested | StudyPane.SaveRequested) -> None:
        self.themes_part.save_search(event.query)

    @on(ThemesController.Loaded)
    def _themes_loaded(self, event: ThemesController.Loaded) -> None:
        article = self.reader.article
        self.sidebar.themes.set_themes(
            event.themes,
            event.warnings,
            [a.id for a in self.articles],
            article.id if article else None,
            event.select,
        )

    @on(ThemesController.Failed)
    def _themes_failed(self, event: ThemesController.Failed) -> None:
        self.sidebar.themes.show_note(event.message)

    @on(ThemesController.PassagesListed)
    def _passages(self, event: ThemesController.PassagesListed) -> None:
        self.reading.show_theme(event.theme.name, event.theme.query, event.result)

    # -- actions ---------------------------------------------------------------------------------

    def check_library(self, why: str) -> None:
        """ctrl+r, focus back, every few seconds: the folder, and the notes other processes
        may have written."""
        self.library_part.check(why)
        self.notes_part.check_changed()

    async def flush_state(self) -> None:
        await self.saving.flush()
        await self.snapshots.flush()

    def action_search(self) -> None:
        self.desk.search()

    def action_show_tab(self, tab: str) -> None:
        self.sidebar.open_tab(tab)

    def action_toggle_sidebar(self) -> None:
        self.desk.toggle_sidebar()

    def action_back(self) -> None:
        """escape: from the search or the sidebar back to the reader, where it was."""
        self.desk.back()

    def help_sections(self) -> list[tuple[str, list[HelpRow]]]:
        return main_keys.help_sections(self)

    def action_review(self, scope: Scope | None = None) -> None:
        """R: a review session of what is due (in ``scope``); it ends where it says to read."""
        from .review_scope import scope_options

        async def scopes() -> list[ScopeOption]:
            themes = await self.themes_part.for_palette()
            return scope_options(self.reader.article, self.study.labels, self.notes, themes)

        if self.library is None:
            self.notify("The library is still opening; R reviews once it is open.", timeout=3)
            return
        self.study.review(self.library, scope, {a.id: a.title for a in self.articles}, scopes)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.help_sections()))
