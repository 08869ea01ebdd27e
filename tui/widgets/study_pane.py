"""What the study views share: a header, a list whose every line is a sentence (or a word that
leads to them), a line about the highlighted entry, and the keys to open, annotate and save.

Each view (``ConcordanceView``, ``SpreadView``, ``CollocatesView``, ``KeywordsView``) is a
``StudyPane``: it is given the library and what to study (a ``Subject``), computes in its own
thread worker (group ``study``, exclusive: a new request cancels the old work; the back end's
``cancelled`` callback stops it early), and shows the result. What the person asks of a line goes
up as messages: a sentence to open or annotate, a query to save as a theme, another view to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.worker import Worker, WorkerState, get_current_worker

from glossator.index.model import place_of
from glossator.index.textutil import neutralise

from ..keygate import hold_keys
from .lists import KeyList

if TYPE_CHECKING:
    from collections.abc import Callable

    from glossator.index.library import ArticleInfo, Library
    from glossator.index.model import Article

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Subject:
    """What a study view is about: a query (a search, a theme's query, a name's), or an
    article (keywords only); ``label`` says it for the header; ``near`` narrows a concordance
    to the occurrences with that word within ``window`` words (a collocate)."""

    query: str | None = None
    article_id: str | None = None
    theme: str | None = None
    label: str = ""
    near: str | None = None
    window: int = 5

    @property
    def said(self) -> str:
        return self.label or repr(self.query or self.article_id or "")


class SentenceList(KeyList):
    """A study view's lines: enter opens the reader at the line's sentence."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="study.open", tooltip="the reader at that sentence"),
    ]


class StudyPane(Vertical):
    """A header, a list, a line about the highlighted entry; subclasses fill them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "annotate",
            "Annotate",
            id="study.annotate",
            tooltip="the note editor on that sentence",
        ),
        Binding(
            "s",
            "save_theme",
            "Save as theme",
            id="study.save_theme",
            tooltip="the view's query becomes one of your themes (asks for a name)",
        ),
    ]

    class SentenceChosen(Message):
        """Open the reader at ``sentence_id`` (-1: the title) of ``article_id``."""

        def __init__(self, article_id: str, sentence_id: int) -> None:
            super().__init__()
            self.article_id, self.sentence_id = article_id, sentence_id

    class AnnotateRequested(Message):
        def __init__(self, article: Article, first: int, last: int) -> None:
            super().__init__()
            self.article, self.first, self.last = article, first, last

    class SaveRequested(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class StudyRequested(Message):
        """Another view: ``view`` ("concordance", …) of ``subject``."""

        def __init__(self, view: str, subject: Subject) -> None:
            super().__init__()
            self.view, self.subject = view, subject

    VIEW = ""  # the view's name, as StudyRequested names it
    TITLE = ""
    opens_sentences = True  # lines are sentences (enter opens, a annotates)
    LIST: ClassVar[type[KeyList]] = SentenceList

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library: Library | None = None
        self.articles: list[ArticleInfo] = []
        self.subject: Subject | None = None
        self.error: str | None = None
        self.generation = 0  # of the request shown; results of older ones are dropped
        self.finished = False  # the request shown is done

    def compose(self) -> ComposeResult:
        yield Static("", classes="study-header", markup=False)
        yield self.LIST(classes="study-list", markup=False)
        yield Static("", classes="study-detail", markup=False)

    @property
    def options(self) -> OptionList:
        return self.query_one(KeyList)

    @property
    def header(self) -> str:
        return str(self.query_one(".study-header", Static).content)

    def say(self, header: str | Content, detail: str | Content = "") -> None:
        if isinstance(header, str):
            header = Content(neutralise(header))
        self.query_one(".study-header", Static).update(header)
        self.show_detail(detail)

    def set_header(self, header: Content) -> None:
        self.query_one(".study-header", Static).update(header)

    def show_detail(self, detail: str | Content) -> None:
        if isinstance(detail, str):
            detail = Content(neutralise(detail))
        self.query_one(".study-detail", Static).update(detail)

    def list_width(self) -> int:
        options = self.options
        width = options.size.width or self.size.width or self.app.size.width
        return max(20, width - options.styles.gutter.width - options.styles.scrollbar_size_vertical)

    def number_of(self, article_id: str) -> int:
        """The article's place in the library (1 the first), 0 when unknown."""
        return place_of(self.articles, article_id) + 1

    def title_of(self, article_id: str) -> str:
        i = place_of(self.articles, article_id)
        return self.articles[i].title if i >= 0 else article_id

    # -- loading ---------------------------------------------------------------------------------

    def load(self, library: Library, articles: list[ArticleInfo], subject: Subject) -> None:
        """Study ``subject`` (the old work, if any, is cancelled)."""
        self.library, self.articles, self.subject = library, articles, subject
        self.error = None
        self.finished = False
        self.options.clear_options()
        self.say(f"{self.TITLE} of {subject.said}: working…")
        self.start()

    def start(self) -> None:
        """Run the study afresh (the work before it cancelled)."""
        self.stop()
        self.generation += 1
        hold_keys(self, self.compute(self.generation))  # keys typed next act on what it shows

    def stop(self) -> None:
        self.workers.cancel_node(self)

    @work(thread=True, exclusive=True, group="study", exit_on_error=False)
    def compute(self, generation: int) -> None:
        from glossator.index.study import Cancelled  # the back end: when first studied

        worker = get_current_worker()
        library, subject = self.library, self.subject
        assert library is not None and subject is not None
        try:
            self.run_study(generation, library, subject, lambda: worker.is_cancelled)
        except Cancelled:
            return

    def run_study(
        self, generation: int, library: Library, subject: Subject, cancelled: Callable[[], bool]
    ) -> None:
        """In the worker: compute, and hand the result back with ``deliver``."""
        raise NotImplementedError

    def deliver(self, generation: int, show: Callable[[T], None], result: T) -> None:
        """From a worker: ``show(result)`` on the event loop, if it is still the request shown."""
        self.app.call_from_thread(self.receive, generation, show, result)

    def receive(self, generation: int, show: Callable[[T], None], result: T) -> None:
        if generation == self.generation and self.is_attached:
            show(result)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        if event.state == WorkerState.SUCCESS and event.worker.group == "study":
            self.finished = True
        if event.state != WorkerState.ERROR:
            return
        from glossator.index.study import StudyError

        error = event.worker.error
        if isinstance(error, StudyError):
            message = str(error)
        elif isinstance(error, OSError):
            message = f"the library could not be read: {error.strerror or error}"
        else:
            message = f"{type(error).__name__}: {error}"
        self.error = message
        subject = self.subject
        self.say(
            f"{self.TITLE} of {subject.said if subject else '…'}: nothing to show.",
            Content.assemble((neutralise(message[:1].upper() + message[1:]), "$text-error")),
        )

    # -- the highlighted line ------------------------------------------------------------------

    def sentence(self) -> tuple[str, int] | None:
        """(article id, sentence id) of the highlighted line (-1: the title), if it is one."""
        return None

    def saved_query(self) -> str | None:
        """What ``s`` saves as a theme."""
        subject = self.subject
        return subject.query if subject is not None and subject.near is None else None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.highlighted(event.option_index)

    def highlighted(self, index: int) -> None:
        """The person moved to line ``index``."""

    def action_open(self) -> None:
        place = self.sentence()
        if place is not None:
            self.post_message(self.SentenceChosen(*place))

    def action_annotate(self) -> None:
        place = self.sentence()
        if place is None or self.library is None:
            return
        if place[1] < 0:
            self.notify("A title cannot be annotated: enter opens the article.", timeout=3)
            return
        hold_keys(self, self._fetch(place[0], place[1]))  # what is typed next goes to the editor

    @work(thread=True, exclusive=True, group="study-article", exit_on_error=False)
    def _fetch(self, article_id: str, sentence_id: int) -> None:
        assert self.library is not None
        article = self.library.article(article_id)
        if article is not None and not get_current_worker().is_cancelled:
            self.post_message(self.AnnotateRequested(article, sentence_id, sentence_id))

    def action_save_theme(self) -> None:
        query = self.saved_query()
        if query:
            self.post_message(self.SaveRequested(query))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "annotate"):
            return self.opens_sentences or action == "open"
        if action == "save_theme":
            return bool(self.saved_query())
        return True
