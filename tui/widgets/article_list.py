"""The Articles tab's list: every article of the library, or those a filter lets through, drawn
row by row as it scrolls (Textual's line API), so 100,000 articles cost what the rows on screen
cost. An entry's height comes from ``article_row`` without wrapping its title; an entry is drawn
only when it is on screen, and kept for the next frame.

Keys as every list of the app (arrows, j/k, g/G, home/end, page up/down), enter or a click opens
the highlighted article: the list posts ``Chosen``; the sidebar tells the screen.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from glossator.index.model import place_of

from .article_row import (
    ROWS_BEFORE,
    entry_lines,
    entry_starts,
)

if TYPE_CHECKING:
    from glossator.index.model import ArticleInfo

KEPT = 256  # entries drawn and kept (a screen shows a dozen)


class ArticleList(ScrollView, can_focus=True):
    """The articles ``shown`` (indices into ``articles``), one entry each, a rule between."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down in a list", show=False, id="pane.list_down"),
        Binding("k", "cursor_up", "Up in a list", show=False, id="pane.list_up"),
        Binding("g", "first", "First in a list", show=False, id="pane.list_first"),
        Binding("G", "last", "Last in a list", show=False, id="pane.list_last"),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--entry",
        "article-list--highlighted",
        "article-list--hover",
        "article-list--separator",
    }

    DEFAULT_CSS = """
    ArticleList {
        width: 100%;
        height: 1fr;
        color: $foreground;
        background: transparent;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        & > .article-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus {
            background-tint: $foreground 3%;
            & > .article-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .article-list--separator { color: $foreground 15%; }
        & > .article-list--hover { background: $block-hover-background; }
    }
    """

    class Chosen(Message):
        """Enter or a click on the entry of ``article_id``."""

        def __init__(self, article_list: ArticleList, article_id: str) -> None:
            super().__init__()
            self.article_list, self.article_id = article_list, article_id

        @property
        def control(self) -> ArticleList:
            return self.article_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.articles: list[ArticleInfo] = []
        self.shown: list[int] = []  # indices into articles, ascending (the library's order)
        self.current: str | None = None  # the article being read (marked)
        self.note_counts: dict[str, int] = {}
        self._highlighted: int | None = None  # index into shown
        self._hover: int | None = None
        self._starts: list[int] = []  # first row of each shown entry (the rule before it)
        self._width = 0  # the width the starts were counted for
        self._drawn: dict[tuple[int, str, bool], list[Strip]] = {}  # by (entry, style, focus)

    # -- attributes down ---------------------------------------------------------------------

    def set_articles(
        self, articles: Sequence[ArticleInfo], shown: Sequence[int], current: str | None
    ) -> None:
        """A new list: the highlight on the entry it was on (by article), else on the current
        article, else the first; that entry in view with a few above it."""
        before = self.highlighted_article
        self.articles = articles if isinstance(articles, list) else list(articles)
        self.current = current
        self._show(shown, before)

    def set_shown(self, shown: Sequence[int]) -> None:
        """The filter changed: these entries, the highlight kept on its article if shown."""
        self._show(shown, self.highlighted_article)

    def _show(self, shown: Sequence[int], before: str | None) -> None:
        self.shown = list(shown)
        self._count_rows()
        n = self.entry_of(before)
        if n is None:
            n = self.entry_of(self.current)
        self._highlighted = (n or 0) if self.shown else None
        self._hover = None
        if self._highlighted is not None:
            self._reveal(self._highlighted, above=ROWS_BEFORE)

    def mark_current(self, article_id: str | None) -> None:
        """``article_id`` is read now: marked, highlighted and in view."""
        self.current = article_id
        self._drawn.clear()
        n = self.entry_of(article_id)
        if n is not None:
            self.highlighted = n
        self.refresh()

    def set_note_counts(self, counts: Mapping[str, int]) -> None:
        """The notes of each article, counted in its entry (which may take a row more)."""
        self.note_counts = dict(counts)
        self._count_rows()

    # -- what it shows -----------------------------------------------------------------------

    @property
    def option_count(self) -> int:
        return len(self.shown)

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, n: int | None) -> None:
        if n is not None and self.shown:
            n = max(0, min(n, len(self.shown) - 1))
        else:
            n = None
        if n != self._highlighted:
            self._highlighted = n
            self.refresh()
        if n is not None:
            self._reveal(n)

    @property
    def highlighted_article(self) -> str | None:
        n = self._highlighted
        return self.articles[self.shown[n]].id if n is not None and n < len(self.shown) else None

    def entry_of(self, article_id: str | None) -> int | None:
        """The entry of ``article_id`` (None: not shown)."""
        i = place_of(self.articles, article_id)
        n = bisect.bisect_left(self.shown, i)  # shown keeps the library's order
        return n if i >= 0 and n < len(self.shown) and self.shown[n] == i else None

    def entry_text(self, n: int) -> str:
        """Entry ``n``'s text as drawn, its rows joined by line breaks."""
        info = self.articles[self.shown[n]]
        lines = entry_lines(info, info.id == self.current, self._text_width(), self._notes(info))
        return "\n".join(line.plain for line in lines)

    def _notes(self, info: ArticleInfo) -> int:
        return self.note_counts.get(info.id, 0)

    # -- rows --------------------------------------------------------------------------------

    def _text_width(self) -> int:
        return self.scrollable_content_region.width

    def _count_rows(self) -> None:
        """Where each entry starts, for the width the list has now."""
        width = self._width = self._text_width()
        starts, row = entry_starts(self.articles, self.shown, self._notes_by_index(), width)
        self._starts = starts
        self._drawn.clear()
        self.virtual_size = Size(width, row)
        self.refresh()

    def _notes_by_index(self) -> dict[int, int]:
        found: dict[int, int] = {}
        for article_id, k in self.note_counts.items():
            i = place_of(self.articles, article_id)
            if i >= 0:
                found[i] = k
        return found

    def _rows_of(self, n: int) -> tuple[int, int]:
        """The first and last rows of entry ``n``'s text (the rule before it left out)."""
        first = self._starts[n] + (1 if n else 0)
        end = self._starts[n + 1] if n + 1 < len(self._starts) else self.virtual_size.height
        return first, end - 1

    def _entry_at(self, row: int) -> int | None:
        """The entry drawn on ``row`` of the list (None: a rule, or past the end)."""
        if not self._starts or row < 0 or row >= self.virtual_size.height:
            return None
        n = bisect.bisect_right(self._starts, row) - 1
        return None if n and row == self._starts[n] else n

    def _reveal(self, n: int, above: int = 0) -> None:
        """Scroll so entry ``n`` is in view (with ``above`` entries over it, when it was not)."""
        if not self._starts or not self.size.height:
            self.call_after_refresh(self._reveal_later, n, above)
            return
        first, last = self._rows_of(n)
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if first >= top and last < top + height:
            return
        if above:  # the first screen's view: that entry's title on the top row
            y = min(self._rows_of(max(0, n - above))[0], first)
        elif first < top:
            y = first - (1 if n else 0)
        else:
            y = last - height + 1
        self.scroll_to(y=max(0, y), animate=False, immediate=True)

    def _reveal_later(self, n: int, above: int) -> None:
        if self._starts and self.size.height and n < len(self._starts):
            self._reveal(n, above)

    def on_resize(self, event: events.Resize) -> None:
        if self._text_width() != self._width:
            self._count_rows()
            if self._highlighted is not None:
                self._reveal(self._highlighted, above=ROWS_BEFORE)

    # -- drawing -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self._text_width()
        row = round(self.scroll_y) + y
        entry_style = self.get_visual_style("article-list--entry")
        if not self._starts or row >= self.virtual_size.height:
            return Strip.blank(width, entry_style.rich_style)
        n = self._entry_at(row)
        if n is None:  # the rule between two entries
            rule = self.get_visual_style("article-list--separator")
            return Strip([Segment("─" * width, rule.rich_style)], width)
        part = (
            "article-list--highlighted"
            if n == self._highlighted
            else "article-list--hover"
            if n == self._hover
            else ""
        )
        key = (n, part, self.has_focus)
        strips = self._drawn.get(key)
        if strips is None:
            style = self.get_visual_style("article-list--entry", part) if part else entry_style
            info = self.articles[self.shown[n]]
            lines = entry_lines(info, info.id == self.current, width, self._notes(info))
            strips = [
                Visual.to_strips(self, line, width, 1, style)[0].extend_cell_length(
                    width, style.rich_style
                )
                for line in lines
            ]
            if len(self._drawn) >= KEPT:
                self._drawn.clear()
            self._drawn[key] = strips
        k = row - self._rows_of(n)[0]
        return strips[k] if 0 <= k < len(strips) else Strip.blank(width, entry_style.rich_style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()

    # -- keys and the mouse ------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        if self.shown:
            self.highlighted = 0 if self._highlighted is None else self._highlighted + 1

    def action_cursor_up(self) -> None:
        if self.shown:
            self.highlighted = 0 if self._highlighted is None else self._highlighted - 1

    def action_first(self) -> None:
        if self.shown:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.shown:
            self.highlighted = len(self.shown) - 1

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        """The highlight a screen further, the view with it."""
        if not self.shown or self._highlighted is None:
            return
        height = max(1, self.scrollable_content_region.height)
        first, _ = self._rows_of(self._highlighted)
        row = max(0, min(first + direction * height, self.virtual_size.height - 1))
        target = bisect.bisect_right(self._starts, row) - 1  # on a rule: the entry after it
        if target == self._highlighted:
            target += direction
        self.highlighted = target

    def action_select(self) -> None:
        article = self.highlighted_article
        if article is not None:
            self.post_message(self.Chosen(self, article))

    def on_click(self, event: events.Click) -> None:
        n = self._entry_at(round(self.scroll_y) + event.y)
        if n is not None:
            event.stop()
            self.highlighted = n
            self.post_message(self.Chosen(self, self.articles[self.shown[n]].id))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        n = self._entry_at(round(self.scroll_y) + event.y)
        if n != self._hover:
            self._hover = n
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()
