"""The spread of a query or a theme: for each article holding it, its count, its rate per 1,000
words and a strip of where in the article its occurrences fall (Textual's sparkline), highest
rate first; Gries' DP over the library in the header (0 spread evenly, 1 all in one place)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.color import Color
from textual.content import Content
from textual.renderables.sparkline import Sparkline
from textual.widgets.option_list import Option

from glossator.index.model import sentence_number

from .layout import display_text
from .study_pane import StudyPane, Subject

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from glossator.index.library import Library
    from glossator.index.study import Spread

SHOWN_AT_MOST = 500  # articles listed (the highest rates); the header counts them all


def bins(positions: Sequence[float], width: int) -> list[int]:
    """How many occurrences fall in each of ``width`` equal stretches of the article."""
    counts = [0] * max(1, width)
    for p in positions:
        counts[min(len(counts) - 1, max(0, int(p * len(counts))))] += 1
    return counts


class SpreadView(StudyPane):
    VIEW = "spread"
    TITLE = "Spread"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.spread: Spread | None = None
        self._width = 0

    def load(self, library: Library, articles: list, subject: Subject) -> None:
        self.spread = None
        super().load(library, articles, subject)

    def run_study(
        self, generation: int, library: Library, subject: Subject, cancelled: Callable[[], bool]
    ) -> None:
        from glossator.index import study

        assert subject.query is not None
        self.deliver(generation, self._show, study.spread(library, subject.query, cancelled))

    def _colours(self) -> tuple[Any, Any]:
        theme = self.app.current_theme
        background = Color.parse(theme.background or "#1e1e1e")
        foreground = Color.parse(theme.foreground or "#e0e0e0")
        low = background.blend(foreground, 0.25)
        return low.rich_color, Color.parse(theme.accent or theme.primary).rich_color

    def _row(self, row: dict[str, Any], width: int, colours: tuple[Any, Any]) -> Table:
        strip = max(8, min(40, width // 4))
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=8, justify="right", no_wrap=True)
        grid.add_column(width=5, justify="right", no_wrap=True)
        grid.add_column(width=strip, no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        low, high = colours
        grid.add_row(
            Text(f"{row['per_1000_words']:.2f}"),
            Text(f"{row['count']}×", style="bold"),
            Sparkline(bins(row["positions"], strip), width=strip, min_color=low, max_color=high),
            Text(display_text(row["title"]).replace("\n", " ")),
        )
        return grid

    def _show(self, spread: Spread) -> None:
        self.spread = spread
        subject = self.subject
        assert subject is not None
        if not spread.total:
            self.say(f"{subject.said} occurs in no article.")
            self.options.clear_options()
            return
        rows = spread.articles[:SHOWN_AT_MOST]
        self._width = width = self.list_width()
        colours = self._colours()
        highlighted = self.options.highlighted
        self.options.set_options(
            [Option(self._row(row, width, colours), id=str(i)) for i, row in enumerate(rows)]
        )
        self.options.highlighted = min(highlighted or 0, len(rows) - 1)
        n = len(spread.articles)
        shown = f" (the {SHOWN_AT_MOST} highest shown)" if n > SHOWN_AT_MOST else ""
        self.set_header(
            Content.assemble(
                ("Spread ", "bold"),
                (f"of {display_text(subject.said)}", "bold $text-accent"),
                f" · {spread.total}× in {n} of {spread.library_articles} articles{shown}"
                f" · DP {spread.dp:.2f} (0 even, 1 bunched)",
                ("\n    per 1,000 words · count · where in the article it falls", "dim"),
            )
        )
        self.highlighted(self.options.highlighted or 0)

    def on_resize(self) -> None:
        if self.spread is not None and self.spread.total and self.list_width() != self._width:
            self._show(self.spread)

    def _article(self, index: int | None) -> dict[str, Any] | None:
        spread = self.spread
        if spread is None or index is None or not 0 <= index < len(spread.articles):
            return None
        return spread.articles[index]

    def highlighted(self, index: int) -> None:
        row, spread = self._article(index), self.spread
        if row is None or spread is None:
            self.show_detail("")
            return
        places = spread.sentences.get(row["article_id"], [])
        first = places[0] if places else 0
        where = "the title" if first < 0 else f"§{sentence_number(first)}"
        self.show_detail(
            Content.assemble(
                (display_text(row["title"]).replace("\n", " "), "bold"),
                (f" · {row['words']} words · first at {where}", "dim"),
            )
        )

    def sentence(self) -> tuple[str, int] | None:
        row, spread = self._article(self.options.highlighted), self.spread
        if row is None or spread is None:
            return None
        places = spread.sentences.get(row["article_id"], [])
        return row["article_id"], places[0] if places else 0
