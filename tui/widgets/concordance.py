"""The concordance: every occurrence of a query on a line of its own, aligned on the match, with
its article (its place in the library) and §N; sorted by article order or by the words left or
right of the match.

The first screen comes from the first articles holding the query (``study.kwic_first``), so it
shows at once however frequent the query; the whole concordance follows from a second worker.
Lines are filled with their text a page at a time as the person scrolls (``Concordance.fill``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from glossator.index.model import sentence_number

from ..keygate import hold_keys
from .layout import display_text
from .results import MATCH_STYLE
from .study_pane import StudyPane, Subject

if TYPE_CHECKING:
    from collections.abc import Callable

    from glossator.index.library import Library
    from glossator.index.study import Concordance, KwicLine

PAGE = 100  # lines filled at a time
FIRST_ROWS = 20  # lines of the first screen at least (the list's height when taller, and 10)
SORT = Binding.Group("Sort", compact=True)
LEFT_SORTS, RIGHT_SORTS = ("L1", "L2", "L3"), ("R1", "R2", "R3")
SORT_NAMES = {"article": "article order", **{s: s for s in LEFT_SORTS + RIGHT_SORTS}}
LABEL = 10  # cells for "  12 §123 "


def fit_left(text: str, width: int) -> str:
    """The end of ``text`` in ``width`` cells, padded on the left."""
    out, used = [], 0
    for char in reversed(text):
        w = cell_len(char)
        if used + w > width:
            break
        out.append(char)
        used += w
    return " " * (width - used) + "".join(reversed(out))


def fit_right(text: str, width: int) -> str:
    """The start of ``text`` in at most ``width`` cells."""
    out, used = [], 0
    for char in text:
        w = cell_len(char)
        if used + w > width:
            break
        out.append(char)
        used += w
    return "".join(out)


def flat(text: str) -> str:
    return display_text(text).replace("\n", " ")


def kwic_prompt(line: KwicLine, number: int, width: int) -> Content:
    """One aligned line: the article's number and §N, the left context ending at the middle,
    the match, the right context."""
    where = "title" if line.sentence_id < 0 else f"§{sentence_number(line.sentence_id)}"
    label = f"{number or '?':>4} {where:<5}"[: LABEL - 1] + " "
    rest = max(10, width - LABEL)
    match = flat(line.match)
    side = max(4, (rest - min(cell_len(match), rest // 3)) // 2)
    left = fit_left(flat(line.left), side)
    match = fit_right(match, max(1, rest - side))
    right = fit_right(flat(line.right), max(0, rest - side - cell_len(match)))
    return Content.assemble((label, "dim"), left, (match, MATCH_STYLE), right)


class ConcordanceView(StudyPane):
    """Keys: h sorts by the words to the left (again: the 2nd, the 3rd), l to the right, t in
    article order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "h",
            "sort_left",
            "Left",
            group=SORT,
            id="study.sort_left",
            tooltip="sort by the word left of the match (L1); again: L2, L3",
        ),
        Binding(
            "l",
            "sort_right",
            "Right",
            group=SORT,
            id="study.sort_right",
            tooltip="sort by the word right of the match (R1); again: R2, R3",
        ),
        Binding(
            "t",
            "sort_article",
            "Article",
            group=SORT,
            id="study.sort_article",
            tooltip="sort in article order, as the articles are read",
        ),
    ]

    VIEW = "concordance"
    TITLE = "Concordance"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sort = "article"
        self.concordance: Concordance | None = None
        self.shown = 0  # lines in the list
        self._width = 0
        self._chars = 40

    @property
    def lines(self) -> list[KwicLine]:
        return self.concordance.lines if self.concordance is not None else []

    def load(self, library: Library, articles: list, subject: Subject) -> None:
        self.concordance, self.shown = None, 0
        super().load(library, articles, subject)

    def start(self) -> None:
        self.stop()
        self.generation += 1
        self._chars = max(40, self.list_width())  # characters each side: enough at any width
        if self.sort == "article" and self.subject is not None and self.subject.near is None:
            # the first screen (keys wait for it), then the whole, counted, in the background
            rows = max(FIRST_ROWS, self.options.size.height or self.app.size.height) + 10
            hold_keys(self, self._first(self.generation, rows))
        else:
            hold_keys(self, self.compute(self.generation))

    @work(thread=True, exclusive=True, group="study-first", exit_on_error=False)
    def _first(self, generation: int, rows: int) -> None:
        from glossator.index import study

        worker = get_current_worker()
        library, subject = self.library, self.subject
        assert library is not None and subject is not None and subject.query is not None
        try:
            first = study.kwic_first(
                library, subject.query, self._chars, rows, lambda: worker.is_cancelled
            )
        except study.Cancelled:
            return
        self.deliver(generation, self._show_first, first)

    def run_study(
        self, generation: int, library: Library, subject: Subject, cancelled: Callable[[], bool]
    ) -> None:
        from glossator.index import study

        assert subject.query is not None
        found = study.kwic(
            library,
            subject.query,
            self.sort,
            self._chars,
            PAGE,
            cancelled,
            near=subject.near,
            window=subject.window,
        )
        self.deliver(generation, self._show_all, found)

    def _show_first(self, first: Concordance) -> None:
        self._show(first)
        if first.complete:  # that was all of it
            self.finished = True
        else:
            self.compute(self.generation)

    def _show_all(self, found: Concordance) -> None:
        keep = self.concordance is not None and self.concordance.sort == found.sort
        self._show(found, self.options.highlighted if keep else None)

    def _show(self, found: Concordance, highlighted: int | None = None) -> None:
        self.concordance = found
        filled = next((i for i, line in enumerate(found.lines) if not line.filled), found.total)
        self._width = self.list_width()
        options = [self._option(i) for i in range(filled)]
        self.shown = filled
        self.options.set_options(options)
        if options:
            self.options.highlighted = min(highlighted or 0, len(options) - 1)
        self._header()
        self.highlighted(self.options.highlighted or 0)

    def _option(self, i: int) -> Option:
        line = self.lines[i]
        return Option(kwic_prompt(line, self.number_of(line.article_id), self._width), id=str(i))

    def _header(self) -> None:
        found, subject = self.concordance, self.subject
        if found is None or subject is None:
            return
        near = f" within {subject.window} words of {subject.near!r}" if subject.near else ""
        if not found.total:
            self.say(f"No occurrences of {subject.said}{near}.")
            return
        count = f"{found.total} line{'s' if found.total != 1 else ''}"
        if not found.complete:
            count = f"the first {found.total} lines, counting…"
        self.set_header(
            Content.assemble(
                ("Concordance ", "bold"),
                (f"of {display_text(subject.said)}{display_text(near)}", "bold $text-accent"),
                f" · {count} · sorted by {SORT_NAMES[found.sort]}",
            )
        )

    def highlighted(self, index: int) -> None:
        lines = self.lines
        if not 0 <= index < len(lines):
            self.show_detail("")
            return
        line = lines[index]
        where = "title" if line.sentence_id < 0 else f"§{sentence_number(line.sentence_id)}"
        total = self.concordance.total if self.concordance else 0
        self.show_detail(
            Content.assemble(
                (f"{index + 1}/{total} ", "dim"),
                (flat(self.title_of(line.article_id)), "bold"),
                f" {where}",
            )
        )
        if index >= self.shown - 10 and self.shown < total:
            self._more(self.generation, self.shown)

    @work(thread=True, exclusive=True, group="study-more", exit_on_error=False)
    def _more(self, generation: int, lo: int) -> None:
        from glossator.index.study import Cancelled

        found = self.concordance
        worker = get_current_worker()
        if found is None:
            return
        try:
            found.fill(lo, lo + PAGE, lambda: worker.is_cancelled)
        except Cancelled:
            return
        self.deliver(generation, self._append, (found, lo))

    def _append(self, got: tuple[Concordance, int]) -> None:
        found, lo = got
        if found is not self.concordance or lo != self.shown:
            return
        hi = min(lo + PAGE, found.total)
        self.options.add_options([self._option(i) for i in range(lo, hi)])
        self.shown = hi

    def on_resize(self) -> None:
        if self.concordance is not None and self.list_width() != self._width:
            self._show(self.concordance, self.options.highlighted)

    # -- the line ------------------------------------------------------------------------------

    def sentence(self) -> tuple[str, int] | None:
        index = self.options.highlighted
        if index is None or not 0 <= index < self.shown:
            return None
        line = self.lines[index]
        return line.article_id, line.sentence_id

    def _resort(self, sort: str) -> None:
        if self.subject is None or self.library is None:
            return
        self.sort = sort
        self.concordance, self.shown = None, 0
        self.options.clear_options()
        self.say(f"Concordance of {self.subject.said}: sorting by {SORT_NAMES[sort]}…")
        self.start()

    def action_sort_left(self) -> None:
        i = LEFT_SORTS.index(self.sort) + 1 if self.sort in LEFT_SORTS else 0
        self._resort(LEFT_SORTS[i % 3])

    def action_sort_right(self) -> None:
        i = RIGHT_SORTS.index(self.sort) + 1 if self.sort in RIGHT_SORTS else 0
        self._resort(RIGHT_SORTS[i % 3])

    def action_sort_article(self) -> None:
        self._resort("article")
