"""The sidebar: tabs for the articles of the library, the themes and the notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, TabbedContent, TabPane
from textual.widgets.option_list import Option

from .article_row import article_prompt
from .lists import KeyList
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
        self._width = 0

    def compose(self) -> ComposeResult:
        with TabbedContent(id="sidebar-tabs"):
            with TabPane(tab_title(1, "Articles"), id="articles"):
                yield Input(
                    placeholder="Filter: words of a title", id="articles-filter", compact=True
                )
                yield KeyList(id="articles-list", markup=False)
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
        self.articles = list(articles)
        self.current = current
        self._fill()

    def _shown(self) -> list[int]:
        """The articles the filter lets through (all words in the title or byline)."""
        words = self.query_one("#articles-filter", Input).value.casefold().split()
        if not words:
            return list(range(len(self.articles)))
        found = []
        for i, a in enumerate(self.articles):
            hay = f"{a.title} {a.byline or ''} {a.id}".casefold()
            if all(w in hay for w in words):
                found.append(i)
        return found

    def _fill(self) -> None:
        option_list = self.query_one("#articles-list", OptionList)
        before = option_list.highlighted_option
        self._width = self._list_width()
        options: list[Option | None] = []
        for n, i in enumerate(self._shown()):
            if n:
                options.append(None)
            a = self.articles[i]
            prompt = article_prompt(
                a, a.id == self.current, self._width, self.note_counts.get(a.id, 0)
            )
            options.append(Option(prompt, id=f"article-{i}"))
        option_list.set_options(options)
        wanted = before.id if before is not None else f"article-{self._index(self.current)}"
        try:
            option_list.highlighted = option_list.get_option_index(wanted or "")
        except Exception:  # filtered out, or the list changed: the first one
            option_list.highlighted = 0 if option_list.option_count else None

    def _index(self, article_id: str | None) -> int:
        for i, a in enumerate(self.articles):
            if a.id == article_id:
                return i
        return 0

    def _row(self, index: int) -> int | None:
        """The option list's row of article ``index`` (None: filtered out)."""
        try:
            return self.query_one("#articles-list", OptionList).get_option_index(f"article-{index}")
        except Exception:
            return None

    @on(Input.Changed, "#articles-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill()

    @on(Input.Submitted, "#articles-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.query_one("#articles-list", OptionList).highlighted_option
        if option is not None and option.id:
            self.post_message(self.ArticleChosen(self.articles[int(option.id[8:])].id))

    def _list_width(self) -> int:
        option_list = self.query_one("#articles-list", OptionList)
        styles = option_list.styles
        return max(0, option_list.size.width - styles.gutter.width - styles.scrollbar_size_vertical)

    def on_resize(self) -> None:
        if self.articles and self._list_width() != self._width:
            self._fill()

    @on(TabbedContent.TabActivated, "#sidebar-tabs")
    def _tab_shown(self) -> None:
        # the articles list has no width while its tab is hidden: fit it when it shows
        self.call_after_refresh(self.on_resize)

    @property
    def themes(self) -> ThemesPanel:
        return self.query_one(ThemesPanel)

    @property
    def names(self) -> NamesPanel:
        return self.query_one(NamesPanel)

    def mark_current(self, article_id: str | None) -> None:
        self.themes.set_current(article_id)
        self.query_one(NotesList).set_current(article_id)
        if article_id == self.current:
            return
        option_list = self.query_one("#articles-list", OptionList)
        for i, a in enumerate(self.articles):
            row = self._row(i)
            if a.id in (self.current, article_id) and row is not None:
                prompt = article_prompt(
                    a, a.id == article_id, self._width, self.note_counts.get(a.id, 0)
                )
                option_list.replace_option_prompt_at_index(row, prompt)
        self.current = article_id
        row = self._row(self._index(article_id))
        if self.articles and row is not None:
            option_list.highlighted = row

    def set_note_counts(self, counts: Mapping[str, int]) -> None:
        """The number of notes of each article, shown in its entry."""
        counts = dict(counts)
        if counts == self.note_counts:
            return
        before = self.note_counts
        changed = {k for k in counts.keys() | before.keys() if counts.get(k) != before.get(k)}
        self.note_counts = counts
        option_list = self.query_one("#articles-list", OptionList)
        for i, a in enumerate(self.articles):
            row = self._row(i)
            if a.id in changed and row is not None:
                prompt = article_prompt(a, a.id == self.current, self._width, counts.get(a.id, 0))
                option_list.replace_option_prompt_at_index(row, prompt)

    def show_tab(self, tab: str) -> None:
        """Show ``tab`` and put the focus in its list."""
        self.query_one("#sidebar-tabs", TabbedContent).active = tab
        self.screen.set_focus(self.query_one(f"#{tab}-list", OptionList))

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

    @on(OptionList.OptionSelected, "#articles-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("article-"):
            index = int(option_id.removeprefix("article-"))
            if 0 <= index < len(self.articles):
                self.post_message(self.ArticleChosen(self.articles[index].id))
