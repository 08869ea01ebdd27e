"""The sidebar: tabs for the articles of the library, the themes and the notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, TabbedContent, TabPane

from .article_list import ArticleList
from .names import NamesPanel
from .notes_list import NotesList
from .themes import ThemesPanel

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo

TABS = ("articles", "themes", "notes", "names")
NARROW = 100  # below this many columns the sidebar starts collapsed


def tab_title(key: int, name: str) -> Content:
    """A tab's label: the key that shows it, in the accent colour, then its name (no space
    between: four tabs fit the sidebar's width, one cell apart)."""
    return Content.assemble((str(key), "$text-accent"), name)


class Sidebar(Vertical):
    """Posts ``ArticleChosen`` when an article is picked from the list."""

    class ArticleChosen(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.articles: list[ArticleInfo] = []
        self.current: str | None = None
        self.note_counts: dict[str, int] = {}  # by article id
        self.chosen: bool | None = None  # the person's ctrl+b choice, if any
        # each article's title, byline and id, casefolded: made when the filter is first used
        self._hay: list[str] | None = None

    def compose(self) -> ComposeResult:
        with TabbedContent(id="sidebar-tabs"):
            with TabPane(tab_title(1, "Articles"), id="articles"):
                yield Input(
                    placeholder="Filter: words of a title", id="articles-filter", compact=True
                )
                yield ArticleList(id="articles-list")
            with TabPane(tab_title(2, "Themes"), id="themes"):
                yield ThemesPanel(id="themes-panel")
            with TabPane(tab_title(3, "Notes"), id="notes"):
                yield NotesList(id="notes-panel")
            with TabPane(tab_title(4, "Names"), id="names"):
                yield NamesPanel(id="names-panel")

    def fit(self, width: int) -> None:
        """The terminal is ``width`` columns wide: shown when it is wide enough, unless the
        person chose (ctrl+b)."""
        if self.chosen is None:
            self.display = width >= NARROW

    def toggle(self) -> None:
        """ctrl+b: hidden or shown, and kept so whatever the width."""
        self.display = not self.display
        self.chosen = bool(self.display)
        self._refit_beside()

    def open_tab(self, tab: str) -> None:
        """Show the sidebar (when hidden) at ``tab``, the focus in its list."""
        if not self.display:
            self.display = True
            self._refit_beside()
        self.show_tab(tab)

    def _refit_beside(self) -> None:
        """The sidebar came or went: once laid out, tell the widgets beside it (and itself)
        their size again.

        Textual 8 can skip a widget's Resize when a region is looked up between the change and the
        next layout (the compositor's full map is then rebuilt early and the reflow finds nothing
        resized), which left the reader and the lists wrapped for the old width.
        """
        body = self.parent

        def resend() -> None:
            for widget in body.query("*") if body is not None else ():
                widget.post_message(
                    events.Resize(widget.size, widget.virtual_size, widget.container_size)
                )

        self.screen.call_after_refresh(resend)

    def set_articles(self, articles: Sequence[ArticleInfo], current: str | None) -> None:
        self.articles = articles if isinstance(articles, list) else list(articles)
        self.current = current
        self._hay = None
        self._list.set_articles(self.articles, self._shown(), current)

    @property
    def _list(self) -> ArticleList:
        return self.query_one("#articles-list", ArticleList)

    def _shown(self) -> list[int]:
        """The articles the filter lets through (all words in the title or byline)."""
        words = self.query_one("#articles-filter", Input).value.casefold().split()
        if not words:
            return list(range(len(self.articles)))
        if self._hay is None:
            self._hay = [f"{a.title} {a.byline or ''} {a.id}".casefold() for a in self.articles]
        hay = self._hay
        found = [i for i, text in enumerate(hay) if words[0] in text]  # no call per article
        for word in words[1:]:  # at 100,000 articles: 16 ms for two words, all() took 45
            found = [i for i in found if word in hay[i]]
        return found

    @on(Input.Changed, "#articles-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._list.set_shown(self._shown())

    @on(Input.Submitted, "#articles-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        article = self._list.highlighted_article
        if article is not None:
            self.post_message(self.ArticleChosen(article))

    @property
    def themes(self) -> ThemesPanel:
        return self.query_one(ThemesPanel)

    @property
    def names(self) -> NamesPanel:
        return self.query_one(NamesPanel)

    def mark_current(self, article_id: str | None) -> None:
        self.themes.set_current(article_id)
        self.query_one(NotesList).set_current(article_id)
        self.current = article_id
        self._list.mark_current(article_id)

    def set_note_counts(self, counts: Mapping[str, int]) -> None:
        """The number of notes of each article, shown in its entry."""
        counts = dict(counts)
        if counts != self.note_counts:
            self.note_counts = counts
            self._list.set_note_counts(counts)

    def show_tab(self, tab: str) -> None:
        """Show ``tab`` and put the focus in its list."""
        self.query_one("#sidebar-tabs", TabbedContent).active = tab
        self.screen.set_focus(self.query_one(f"#{tab}-list"))

    def focus_filter(self) -> bool:
        """``/`` in a tab with a filter: the focus in it (False: this tab has none)."""
        tab = self.active_tab
        if tab not in ("articles", "notes"):
            return False
        self.screen.set_focus(self.query_one(f"#{tab}-filter", Input))
        return True

    @property
    def active_tab(self) -> str:
        return self.query_one("#sidebar-tabs", TabbedContent).active

    @on(ArticleList.Chosen, "#articles-list")
    def _chosen(self, event: ArticleList.Chosen) -> None:
        event.stop()
        self.post_message(self.ArticleChosen(event.article_id))
