"""A link for the note being written: pick an article, then its sentence by §N (the sentence
is shown as the number is typed); the editor gets ``[[004 §7]]`` at its cursor.

Opened from the note editor (ctrl+l). The article list starts on the article the note is in;
typing filters it by title. The article is read in a worker, for the sentence preview.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from glossator.index.model import place_of

from ..widgets.footer import FittingFooter
from ..widgets.layout import display_text
from ..widgets.links import short
from ..widgets.lists import KeyList

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo
    from glossator.index.model import Article

ARTICLE_HINT = "type to filter · enter chooses the article · escape cancels"
SHOWN = 200  # articles listed at most; typing narrows the rest down
SENTENCE_HINT = "the sentence's number, §N (or N–M) · enter inserts the link · escape goes back"


class LinkRefs:
    """The shortest way to write each article's id in a link that fits no other article: "004"
    for "004_1f2e…" (up to its first "_", "-" or "."), else the whole id. Counted in the sorted
    ids, so a library of 100,000 articles costs a few look-ups an article."""

    def __init__(self, ids: Sequence[str]) -> None:
        self._sorted = sorted(ids)

    def _starting(self, head: str) -> int:
        ids = self._sorted
        return bisect.bisect_left(ids, head + "\U0010ffff") - bisect.bisect_left(ids, head)

    def ref(self, article_id: str) -> str:
        for sep in "_-.":
            head = article_id.split(sep, 1)[0]
            if head and head != article_id and self._starting(head) == 1:
                return head
        return article_id


def link_ref(article_id: str, ids: Sequence[str]) -> str:
    """``LinkRefs(ids).ref(article_id)``: the shortest way to write ``article_id`` in a link."""
    return LinkRefs(ids).ref(article_id)


class LinkPicker(ModalScreen[str | None]):
    """Dismissed with the link's text (``[[004 §7]]``), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="link.back", tooltip="to the articles, or cancel"),
        Binding(
            "down",
            "move(1)",
            "Next article",
            show=False,
            id="link.next",
            tooltip="ctrl+l in the note editor opens this; type to filter the articles, enter "
            "chooses one, then its sentence's number §N and enter insert [[004 §7]]",
        ),
        Binding("up", "move(-1)", "Previous article", show=False, id="link.previous"),
    ]

    def __init__(
        self,
        articles: Sequence[ArticleInfo] = (),
        load: Callable[[str], Article | None] | None = None,
        current: str | None = None,
    ) -> None:
        super().__init__(id="link-picker")
        self.articles = list(articles)
        self.load = load
        self.current = current
        self.article: Article | None = None  # the article chosen, once read
        self._shown: list[ArticleInfo] = []
        self._refs = LinkRefs([a.id for a in self.articles])
        self._hay = [f"{a.title} {a.id}".casefold() for a in self.articles]
        self._hint = ARTICLE_HINT

    def compose(self) -> ComposeResult:
        with Vertical(id="link-box"):
            yield Static(Content.assemble(("Link to a sentence", "bold")), id="link-title")
            yield Input(placeholder="Filter: words of a title", id="link-filter", compact=True)
            yield KeyList(id="link-articles", markup=False)
            yield Input(placeholder="§N", id="link-sentence", compact=True, max_length=12)
            yield Static("", id="link-preview", markup=False)
            yield Static(ARTICLE_HINT, id="link-hint", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#link-sentence").display = False
        self.query_one("#link-preview").display = False
        self.query_one(KeyList).can_focus = False  # typing filters; up and down move in it
        self._fill()
        self.query_one("#link-filter").focus()

    # -- the articles ----------------------------------------------------------------------------

    def _fill(self) -> None:
        words = self.query_one("#link-filter", Input).value.casefold().split()
        found = [i for i, hay in enumerate(self._hay) if all(w in hay for w in words)]
        i = place_of(self.articles, self.current)
        at = bisect.bisect_left(found, i)  # found is ascending
        at = at if i >= 0 and at < len(found) and found[at] == i else 0
        start = max(0, min(at - SHOWN // 2, len(found) - SHOWN))  # the note's article among them
        self._shown = [self.articles[i] for i in found[start : start + SHOWN]]
        self._hint = ARTICLE_HINT
        if len(found) > SHOWN:
            self._hint = f"{SHOWN} of {len(found):,} articles shown: " + ARTICLE_HINT
        if not self.query_one("#link-sentence").display:
            self.query_one("#link-hint", Static).update(Content(self._hint))
        options = self.query_one(KeyList)
        options.set_options(
            Option(
                Content.assemble(
                    (display_text(a.title), "bold"), (f"  {self._refs.ref(a.id)}", "dim")
                )
            )
            for a in self._shown
        )
        ids = [a.id for a in self._shown]
        if self._shown:
            options.highlighted = ids.index(self.current) if self.current in ids else 0

    def action_move(self, step: int) -> None:
        options = self.query_one(KeyList)
        if self._shown and not self.query_one("#link-sentence").display:
            index = (options.highlighted or 0) + step
            options.highlighted = max(0, min(index, len(self._shown) - 1))

    @on(Input.Changed, "#link-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill()

    @on(Input.Submitted, "#link-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one(KeyList).highlighted
        if index is not None and index < len(self._shown):
            self._choose(self._shown[index])

    @on(OptionList.OptionSelected, "#link-articles")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self._shown):
            self._choose(self._shown[event.option_index])

    def _choose(self, info: ArticleInfo) -> None:
        self.current = info.id
        self.article = None
        sentence = self.query_one("#link-sentence", Input)
        sentence.display = True
        sentence.value = ""
        self.query_one("#link-title", Static).update(
            Content.assemble(("Link to ", "bold"), (display_text(info.title), "bold $text-accent"))
        )
        self.query_one("#link-hint", Static).update(Content(SENTENCE_HINT))
        self._preview(f"{info.sentences} sentences")
        sentence.focus()
        if self.load is not None:
            self._read(info.id)

    @work(thread=True, exclusive=True, group="link-article", exit_on_error=False)
    def _read(self, article_id: str) -> None:
        assert self.load is not None
        article = self.load(article_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._article_read, article_id, article)

    def _article_read(self, article_id: str, article: Article | None) -> None:
        if article_id == self.current:
            self.article = article
            self._typed(self.query_one("#link-sentence", Input).value)

    # -- the sentence ----------------------------------------------------------------------------

    def _preview(self, text: str, error: bool = False) -> None:
        preview = self.query_one("#link-preview", Static)
        preview.update(Content(display_text(text)))
        preview.set_class(error, "-error")
        preview.display = True

    def _run(self, text: str) -> tuple[int, int] | None:
        """§N or §N–M as typed, numbered from 1; None if it is not a number."""
        text = text.strip().lstrip("§").strip().replace("–", "-")
        first, _, last = text.partition("-")
        if not first.strip().isdigit() or (last and not last.strip().isdigit()):
            return None
        a = int(first)
        return a, int(last) if last else a

    @on(Input.Changed, "#link-sentence")
    def _sentence_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._typed(event.value)

    def _typed(self, value: str) -> None:
        article, run = self.article, self._run(value)
        if run is None or article is None:
            if value.strip():
                self._preview("A number: §N, or N–M for a run of sentences.", True)
            return
        count = article.sentence_count()
        first, last = run
        if not (1 <= first <= last <= count):
            self._preview(f"This article has sentences §1 to §{count}.", True)
            return
        sentences = article.sentences
        self._preview(f"§{first}: “{short(sentences[first - 1].text, 160)}”")

    @on(Input.Submitted, "#link-sentence")
    def _sentence_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        run, article = self._run(event.value), self.article
        if (
            run is None
            or article is None
            or not (1 <= run[0] <= run[1] <= article.sentence_count())
        ):
            if run is None or article is None:
                self._preview("Give the number of a sentence of this article (§N).", True)
            else:
                self._typed(event.value)  # why this number is not one: the article's range
            self.app.bell()
            return
        first, last = run
        where = f"§{first}" + (f"-{last}" if last != first else "")
        self.dismiss(f"[[{self._refs.ref(article.id)} {where}]]")

    def action_back(self) -> None:
        sentence = self.query_one("#link-sentence", Input)
        if sentence.display:
            sentence.display = False
            self.query_one("#link-preview").display = False
            self.query_one("#link-title", Static).update(
                Content.assemble(("Link to a sentence", "bold"))
            )
            self.query_one("#link-hint", Static).update(Content(self._hint))
            self.query_one("#link-filter").focus()
        else:
            self.dismiss(None)
