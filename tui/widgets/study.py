"""The study views in one place: the concordance, the spread, the collocates and the keywords of
one subject (a search, a theme, a name, an article), shown where the reader or the results are.

``StudyView`` switches between them with one key each (c, p, w, K: the view's subject stays) and
goes back with escape to where the person came from; showing a view cancels the work of the one
before. The panes' messages (a sentence to open or annotate, a query to save) go on up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher

from .concordance import ConcordanceView
from .spread import SpreadView
from .study_pane import StudyPane, Subject
from .words import CollocatesView, KeywordsView

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo, Library

VIEWS = Binding.Group("Views", compact=True)
NEEDS_QUERY = ("concordance", "spread", "collocates")


class StudyView(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "view('concordance')",
            "Concordance",
            group=VIEWS,
            id="study.concordance",
            tooltip="every occurrence on a line, aligned on it, with its article and §N",
        ),
        Binding(
            "p",
            "view('spread')",
            "Spread",
            group=VIEWS,
            id="study.spread",
            tooltip="a plot of where it falls: count, rate per 1,000 words, a strip per article",
        ),
        Binding(
            "w",
            "view('collocates')",
            "Collocates",
            group=VIEWS,
            id="study.collocates",
            tooltip="the words found with it within 5 words, scored",
        ),
        Binding(
            "K",
            "view('keywords')",
            "Keywords",
            group=VIEWS,
            id="study.keywords",
            tooltip="what is distinctive of its passages against the rest of the library",
        ),
        Binding("escape", "close", "Back", id="study.back", tooltip="to where you came from"),
    ]

    class Closed(Message):
        """escape: back to ``origin`` ("results", "reading", or a sidebar tab's name)."""

        def __init__(self, origin: str) -> None:
            super().__init__()
            self.origin = origin

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library: Library | None = None
        self.articles: list[ArticleInfo] = []
        self.subject: Subject | None = None
        self.origin = "reading"
        self.history: list[tuple[str, Subject]] = []  # views opened from a word, for escape

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="concordance", id="study-views"):
            yield ConcordanceView(id="concordance")
            yield SpreadView(id="spread")
            yield CollocatesView(id="collocates")
            yield KeywordsView(id="keywords")

    @property
    def current(self) -> StudyPane:
        switcher = self.query_one("#study-views", ContentSwitcher)
        return self.query_one(f"#{switcher.current}", StudyPane)

    def pane(self, view: str) -> StudyPane:
        return self.query_one(f"#{view}", StudyPane)

    def set_library(self, library: Library, articles: list[ArticleInfo]) -> None:
        self.library, self.articles = library, articles

    def show(self, view: str, subject: Subject, origin: str | None = None) -> None:
        """Show ``view`` of ``subject``; ``origin`` is where escape returns (kept when None)."""
        if self.library is None:
            return
        if origin is not None:
            self.origin = origin
            self.history = []
        self.stop()
        self.subject = subject
        self.query_one("#study-views", ContentSwitcher).current = view
        pane = self.pane(view)
        if pane.subject != subject or not pane.finished or pane.library is not self.library:
            pane.load(self.library, self.articles, subject)
        self.screen.set_focus(pane.options)

    def stop(self) -> None:
        """Cancel the work of every view."""
        for pane in self.query(StudyPane):
            pane.stop()

    def focus_current(self) -> None:
        self.screen.set_focus(self.current.options)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "view":
            subject = self.subject
            if subject is None:
                return False
            if parameters and parameters[0] in NEEDS_QUERY:
                return subject.query is not None
        return True

    def action_view(self, view: str) -> None:
        subject = self.subject
        if subject is None or (view in NEEDS_QUERY and subject.query is None):
            return
        if subject.near is not None:  # a collocate's concordance: the term's views
            subject = Subject(query=subject.query, theme=subject.theme)
        self.show(view, subject)

    def on_study_pane_study_requested(self, event: StudyPane.StudyRequested) -> None:
        event.stop()
        assert self.subject is not None
        self.history.append((self.current.VIEW, self.subject))
        self.show(event.view, event.subject)

    def action_close(self) -> None:
        if self.history:  # back to the word list this came from
            view, subject = self.history.pop()
            self.show(view, subject)
            return
        self.stop()
        self.post_message(self.Closed(self.origin))
