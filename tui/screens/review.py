"""A review session: the notes and highlights due today, one card at a time, scheduled by FSRS
(``glossator.index.review``).

A card shows its passage in its paragraph; space shows the note (and the hidden word in cloze
mode), then 1–4 rate it Again, Hard, Good or Easy. Each rating is committed to the notes file
before the next card shows (the keys typed after it wait for that), so a session killed at any
moment loses at most the card on screen. ``c`` hides a word of the passage (one of the note's
tags, else the longest word; ``w`` hides another), ``s`` limits the session to a label, a tag, a
theme or the article being read, ``r`` closes it at the card's passage in the reader.

The screen owns its session: the queue, the card shown and its workers (reading what is due,
the card's article, each rating). It is dismissed with the place to read (or None).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from ..keygate import hold_keys
from ..widgets.footer import FittingFooter
from ..widgets.layout import display_text
from ..widgets.review_card import (
    RATINGS,
    Hidden,
    answer_content,
    first_hidden,
    intervals,
    next_hidden,
    passage_content,
    rating_keys,
    session_end,
    source_line,
)
from ..widgets.review_view import ReviewView

if TYPE_CHECKING:
    from glossator.index.library import Library
    from glossator.index.model import Article
    from glossator.index.notes import NoteStore
    from glossator.index.review import Review, ReviewCard, Scope
    from glossator.index.themes import Theme

    from .review_scope import ScopeOption

Place = tuple[str, int]  # an article id and a sentence id, to read after the review
ScopeOptions = Callable[[], Awaitable[list["ScopeOption"]]]


RATE = Binding.Group("rate", compact=True)


def _rate(n: int, name: str, tip: str) -> Binding:
    return Binding(
        str(n), f"rate({n})", name, group=RATE, id=f"review.rate_{name.lower()}", tooltip=tip
    )


class ReviewScreen(Screen["Place | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "show", "Show", id="review.show", tooltip="the note, and the hidden word"),
        Binding("enter", "show", "Show", show=False, id="review.show_enter"),
        _rate(1, "Again", "you had forgotten it; it comes back in a few minutes"),
        _rate(2, "Hard", "you remembered it with difficulty"),
        _rate(3, "Good", "you remembered it"),
        _rate(4, "Easy", "you remembered it at once; it comes back much later"),
        Binding(
            "c",
            "cloze",
            "Cloze",
            id="review.cloze",
            tooltip="hide a word of the passage: a word tagged in the note, else the longest",
        ),
        Binding(
            "w",
            "word(1)",
            "Another word",
            show=False,
            id="review.word",
            tooltip="to hide, in cloze",
        ),
        Binding("W", "word(-1)", "Word before", show=False, id="review.word_back"),
        Binding(
            "s",
            "scope",
            "Limit",
            id="review.scope",
            tooltip="the review to a label, a tag, a theme or the article being read",
        ),
        Binding("r", "read", "Read", show=False, id="review.read", tooltip="close the review here"),
        Binding("escape", "close", "End", id="review.close", tooltip="back to reading"),
    ]

    def __init__(
        self,
        library: Library | None = None,
        open_store: Callable[[], NoteStore] | None = None,
        *,
        scope: Scope | None = None,
        titles: Mapping[str, str] | None = None,
        colours: Mapping[str, str] | None = None,
        scopes: ScopeOptions | None = None,
    ) -> None:
        super().__init__(id="review")
        self.library, self.open_store = library, open_store
        self.scope = scope
        self.titles = dict(titles or {})
        self.colours = dict(colours or {})
        self.scopes = scopes
        self.cards: list[ReviewCard] = []
        self.index = 0
        self.revealed = False
        self.cloze = False
        self.hidden: Hidden | None = None
        self.rated: Counter[str] = Counter()
        self.busy = True
        self._articles: dict[str, Article | None] = {}
        self._waits: list[str] | None = None
        self._shown_at = 0.0
        self._review: Review | None = None

    def compose(self) -> ComposeResult:
        yield ReviewView(id="review-column")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._say("Reading what is due…")
        self.load()

    # -- what is shown ---------------------------------------------------------------------------

    @property
    def card(self) -> ReviewCard | None:
        return self.cards[self.index] if 0 <= self.index < len(self.cards) else None

    @property
    def scope_name(self) -> str:
        return self.scope.describe() if self.scope is not None else "all notes"

    @property
    def view(self) -> ReviewView:
        return self.query_one(ReviewView)

    @property
    def text(self) -> str:
        """What the screen shows, as plain text (for tests)."""
        return self.view.text

    def _say(self, text: str) -> None:
        """A session with no card on screen: ``text`` says why."""
        self._header()
        self.view.say(text)
        self.refresh_bindings()

    def _header(self) -> None:
        done = sum(self.rated.values())
        position = f"card {self.index + 1} of {len(self.cards)}" if self.card else ""
        self.view.header(["Review", self.scope_name, position, f"{done} rated" if done else ""])

    def _draw(self) -> None:
        card = self.card
        if card is None:
            return
        article = self._articles.get(card.note.article_id)
        title = self.titles.get(card.note.article_id, card.note.article_id)
        hidden = self.hidden if self.cloze else None
        self._header()
        source = source_line(card, title)
        passage = passage_content(card, article, hidden, self.revealed)
        if self.revealed:
            answer = answer_content(card, self.colours)
            self.view.card(source, passage, answer, rating_keys(self._waits))
        else:
            keys: list[str | tuple[str, str]] = [("space", "bold"), " shows the note"]
            keys += ["   ", ("c", "bold"), " cloze on" if not self.cloze else " cloze off"]
            if self.cloze:
                keys += ["   ", ("w", "bold"), " another word"]
            self.view.card(source, passage, None, keys)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        card = self.card is not None and not self.busy
        if action == "rate":
            return True if card and self.revealed else None
        if action == "word":
            return True if card and self.cloze else None
        if action in ("cloze", "read"):
            return True if card else None
        return True

    # -- the session -----------------------------------------------------------------------------

    def load(self) -> None:
        """Read what is due now, in the session's scope."""
        if self.library is None or self.open_store is None:
            self._say("The library is still opening.")
            return
        self.busy = True
        hold_keys(self, self._load(self.library, self.scope))

    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False)
    def _load(self, library: Library, scope: Scope | None) -> None:
        from glossator.index.review import Review

        assert self.open_store is not None
        review = Review(self.open_store(), library.key)
        cards = review.due(scope=scope)
        if cards:
            self._read_article(library, cards[0].note.article_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, review, cards)

    def _read_article(self, library: Library, article_id: str) -> None:
        """In a worker: the card's article (kept for the cards after it)."""
        if article_id not in self._articles:
            article = library.article(article_id)
            self.app.call_from_thread(self._articles.__setitem__, article_id, article)

    def _loaded(self, review: Review, cards: list[ReviewCard]) -> None:
        self._review, self.cards, self.index = review, cards, 0
        self.busy = False
        if not cards:
            self._finish(looked=True)
            return
        self._present()

    def _present(self) -> None:
        """The card at ``index``: its article read (a worker, if not read yet), shown."""
        card, library = self.card, self.library
        if card is None:
            self._finish()
            return
        self.revealed = False
        self.hidden = None
        self._waits = None
        if card.note.article_id not in self._articles and library is not None:
            self.busy = True
            hold_keys(self, self._prepare(library, card))
            return
        self._ready()

    @work(thread=True, exclusive=True, group="review-card", exit_on_error=False)
    def _prepare(self, library: Library, card: ReviewCard) -> None:
        self._read_article(library, card.note.article_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._ready)

    def _ready(self) -> None:
        card = self.card
        if card is None:
            return
        self.busy = False
        article = self._articles.get(card.note.article_id)
        self.hidden = first_hidden(card, article) if self.cloze else None
        if self._review is not None:
            self._waits = intervals(card, self._review.scheduler, datetime.now(UTC))
        self._shown_at = time.monotonic()
        self._draw()

    def _finish(self, looked: bool = False) -> None:
        """The queue is done (``looked``: what is due was read afresh, and nothing is)."""
        told = session_end(self.rated, self.scope_name, looked)
        self.cards, self.index = [], 0
        self._say(told)

    # -- keys ------------------------------------------------------------------------------------

    def action_show(self) -> None:
        if self.busy:
            return
        if self.card is None:
            self.load()  # the session ended: anything due since?
        elif not self.revealed:
            self.revealed = True
            self._draw()

    def action_rate(self, grade: int) -> None:
        card, review = self.card, self._review
        if card is None or review is None or not self.revealed or self.busy:
            return
        self.busy = True
        duration = int((time.monotonic() - self._shown_at) * 1000)
        hold_keys(self, self._rate(review, card, grade, duration))

    @work(thread=True, exclusive=True, group="review-rate", exit_on_error=False)
    def _rate(self, review: Review, card: ReviewCard, grade: int, duration: int) -> None:
        review.rate(card, grade, duration_ms=duration)  # committed before it returns
        self.app.call_from_thread(self._rated, grade)

    def _rated(self, grade: int) -> None:
        self.rated[RATINGS[grade - 1]] += 1
        self.index += 1
        self.busy = False
        self._present()

    def action_cloze(self) -> None:
        card = self.card
        if card is None or self.busy:
            return
        self.cloze = not self.cloze
        article = self._articles.get(card.note.article_id)
        self.hidden = first_hidden(card, article) if self.cloze else None
        if self.cloze and self.hidden is None:
            self.notify("This passage has no word to hide.", timeout=3)
        self._draw()

    def action_word(self, step: int) -> None:
        card = self.card
        if card is None or not self.cloze or self.busy:
            return
        article = self._articles.get(card.note.article_id)
        self.hidden = next_hidden(card, article, self.hidden, step)
        self._draw()

    def action_scope(self) -> None:
        if self.scopes is not None:
            self.run_worker(self._ask_scope(), group="review-scope", exit_on_error=False)

    async def _ask_scope(self) -> None:
        from .review_scope import ScopePicker

        assert self.scopes is not None
        options = await self.scopes()

        def chosen(option: ScopeOption | None) -> None:
            if option is None:
                return
            if option.kind == "theme" and option.theme is not None:
                self._say(f"Finding the passages of the theme {option.value!r}…")
                if self.library is not None:
                    self.busy = True
                    hold_keys(self, self._theme(self.library, option.theme))
                return
            self.scope = option.scope()
            self.load()

        self.app.push_screen(ScopePicker(options, self.scope_name), chosen)

    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False)
    def _theme(self, library: Library, theme: Theme) -> None:
        """A theme's passages (one search of its query), and what of them is due."""
        from glossator.index.review import Review, theme_scope

        assert self.open_store is not None
        store = self.open_store()
        scope = theme_scope(library, theme, store)
        review = Review(store, library.key)
        cards = review.due(scope=scope)
        if cards:
            self._read_article(library, cards[0].note.article_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._scoped, scope, review, cards)

    def _scoped(self, scope: Scope, review: Review, cards: list[ReviewCard]) -> None:
        self.scope = scope
        self._loaded(review, cards)

    def action_read(self) -> None:
        card = self.card
        if card is not None and card.note.sentence_id is not None:
            self.dismiss((card.note.article_id, card.note.sentence_id))
        elif card is not None:
            self.notify("This note's sentence is not found in its article now.", timeout=3)

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        what = {
            "review-load": "What is due could not be read",
            "review-card": "The card's article could not be read",
            "review-rate": "The rating could not be saved",
        }.get(event.worker.group, "Something went wrong in the review")
        message = display_text(f"{what}: {error or type(error).__name__}")
        self.notify(message, severity="error", timeout=8, markup=False)
        self.busy = False
        if event.worker.group == "review-rate":
            self._draw()  # the card stays: rate it again
        elif event.worker.group == "review-load" or self.card is None:
            self._say(message)
        else:
            self._ready()
