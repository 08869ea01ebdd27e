"""Where the reader is: its current sentence, the run of sentences ``v`` selects, the row of the
view a sentence was put at; and the view kept on that place (scrolled so the sentence shows, the
lines whose marking changes repainted).

A part that owns that state and no widget of its own: it is given the view it scrolls (the
reader, a ScrollView) and a way to the lines laid out in it. It says where a key lands and what
changed; the reader tells the screen (``PositionChanged``, ``SelectionChanged``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from textual.scroll_view import ScrollView

from . import reader_nav as nav
from .layout import Layout
from .reader_nav import ViewMap
from .reader_paint import Span


class Moved(NamedTuple):
    """What a move changed: the selected run, and whether it is another run than before."""

    selection: tuple[int, int] | None
    selection_changed: bool


class ReaderPlace:
    """The current sentence of an article of ``count`` sentences, and the selection from it."""

    def __init__(self, view: ScrollView, layout: Callable[[], Layout | None]) -> None:
        self._view, self._layout = view, layout
        self.sentence = 0
        self.count = 0  # sentences in the article shown (none: 0)
        self.selection_start: int | None = None  # where ``v`` was pressed
        # the screen row the current sentence was shown at: kept through the resizes of the
        # first layout (the scrollbars come after it), until the person moves
        self.row: int | None = None
        self._last_view: ViewMap | None = None

    # -- the view ------------------------------------------------------------------------------

    @property
    def top(self) -> int:
        return round(self._view.scroll_y)

    @property
    def height(self) -> int:
        return self._view.scrollable_content_region.height

    def clamp(self, sentence: int) -> int:
        return max(0, min(sentence, self.count - 1)) if self.count else 0

    # -- the selection (v): a run of sentences for one note ------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """First and last sentence of the selected run, when ``v`` started one."""
        if self.selection_start is None:
            return None
        start = min(self.selection_start, max(0, self.count - 1))
        return min(start, self.sentence), max(start, self.sentence)

    @property
    def passage(self) -> tuple[int, int]:
        """What the notes and copy keys act on: the selected run, else the current sentence."""
        return self.selection or (self.sentence, self.sentence)

    def select(self, start: int | None) -> bool:
        """Start the run at ``start`` (None: no run); True when the run is another (its old and
        new lines repainted)."""
        before = self.selection
        self.selection_start = start
        after = self.selection
        if before == after:
            return False
        for run in (before, after):
            if run is not None:
                self.repaint(*run)
        return True

    # -- moving --------------------------------------------------------------------------------

    def move(self, sentence: int, force: bool = False) -> Moved | None:
        """Make ``sentence`` current (clamped), repainting the lines that change; None when it
        is current already (and not ``force``)."""
        sentence = self.clamp(sentence)
        if sentence == self.sentence and not force:
            return None
        if not force:
            self.row = None  # moved: resizes keep the sentence in view as usual
        before = self.selection
        self.repaint(self.sentence, self.sentence)
        self.sentence = sentence
        self.repaint(sentence, sentence)
        if before is None:
            return Moved(None, False)
        after = self.selection
        self.repaint(*before)
        if after is not None and after != before:
            self.repaint(*after)
            return Moved(after, True)
        return Moved(after, False)

    def keep_in_view(self, center: bool = False, keep_view: bool = False) -> None:
        """Scroll to the current sentence (``keep_view``: not if it is on screen at all)."""
        if not (keep_view and self.visible(self.sentence)):
            self.scroll_into_view(center=center)

    def repaint(self, first: int, last: int) -> None:
        """Paint again the lines of the sentences ``first`` to ``last``."""
        layout = self._layout()
        if layout is None or not layout.sentence_lines:
            return
        n = len(layout.sentence_lines)
        top = layout.sentence_lines[max(0, min(first, n - 1))][0]
        bottom = layout.sentence_lines[max(0, min(last, n - 1))][1]
        self._view.refresh_lines(top, bottom - top + 1)

    def scroll_into_view(self, center: bool = False) -> None:
        layout = self._layout()
        if layout is None:
            return
        target = nav.scroll_target(layout, self.sentence, self.top, self.height, center)
        if target is not None:
            self._view.scroll_to(y=max(0, min(target, self._view.max_scroll_y)), animate=False)

    def visible(self, sentence: int) -> bool:
        layout = self._layout()
        return layout is not None and nav.visible(layout, sentence, self.top, self.height)

    def first_sentence_from(self, line: int) -> int:
        """The first sentence that starts on ``line`` or after it (the last one if none)."""
        layout = self._layout()
        assert layout is not None
        return nav.first_sentence_from(layout, line)

    # -- rows of the view ----------------------------------------------------------------------

    @property
    def current_row(self) -> int | None:
        """The row of the view the current sentence's first line is on: the row it was put at,
        while the person has not moved since."""
        if self.row is not None:
            return self.row
        return self.row_of(self.sentence)

    def row_of(self, sentence: int) -> int | None:
        """The row of the view that ``sentence``'s first line is on (may be off the view)."""
        layout = self._layout()
        if layout is None or not 0 <= sentence < len(layout.sentence_lines):
            return None
        return layout.sentence_lines[sentence][0] - self.top

    def scroll_to_row(self, row: int) -> None:
        """Scroll so that the current sentence's first line is on ``row`` of the view."""
        layout = self._layout()
        if layout is None or not 0 <= self.sentence < len(layout.sentence_lines):
            return
        top = layout.sentence_lines[self.sentence][0] - row
        self._view.scroll_to(y=max(0, min(top, self._view.max_scroll_y)), animate=False, force=True)

    def sentence_on_row(self, row: int) -> int | None:
        """The sentence shown on ``row`` of the view (a click), or None."""
        layout = self._layout()
        return None if layout is None else nav.sentence_at_line(layout, self.top + row)

    def view_map(
        self, hits: Sequence[Span], note_lines: Iterable[int], reading: bool
    ) -> ViewMap | None:
        """What the overview strip should draw now (the view, the current sentence when
        ``reading``, the lines of the hits and notes), when it is not what it was last told."""
        layout = self._layout()
        if layout is None:
            return None
        sentence = self.sentence if reading else None
        view = nav.view_map(layout, sentence, hits, note_lines, self.top, self.height)
        if view == self._last_view:
            return None
        self._last_view = view
        return view

    # -- where the keys land -------------------------------------------------------------------

    def scroll_lines(self, lines: int) -> None:
        """Scroll the view by ``lines`` (the original text, which has no current sentence)."""
        self.row = None
        view = self._view
        view.scroll_to(y=max(0, min(view.max_scroll_y, self.top + lines)), animate=False)

    def off_view(self) -> int | None:
        """When the wheel moved the view away from the current sentence: the first sentence on
        screen, where j/k start from; else None."""
        if self._layout() is None or self.visible(self.sentence):
            return None
        return self.first_sentence_from(self.top)

    def page(self, step: int, reading: bool) -> tuple[int, bool] | None:
        """A page on (``step`` 1) or back (-1): the view scrolled by its height less a line, and
        the sentence to go to with whether to keep the view (not at the article's ends). None
        when not ``reading`` an article (the view only scrolled)."""
        self.row = None
        height, top = max(1, self.height), self.top
        if not reading:
            self.scroll_lines(step * (height - 1))
            return None
        max_y = self._view.max_scroll_y
        if (top >= max_y) if step > 0 else (top <= 0):
            return (self.count - 1 if step > 0 else 0), False
        new_top = max(0, min(max_y, top + step * (height - 1)))
        self._view.scroll_to(y=new_top, animate=False)
        target = self.first_sentence_from(new_top)
        if step > 0:
            return max(target, self.sentence + 1), True
        return min(target, max(0, self.sentence - 1)), True

    def at_fraction(self, fraction: float, reading: bool) -> int | None:
        """A place given as a fraction of the article (a click on the overview): the sentence to
        go to, or None (nothing laid out, or not ``reading``: the view scrolled there)."""
        self.row = None
        layout = self._layout()
        if layout is None:
            return None
        line = int(fraction * len(layout.lines))
        if not reading:
            self._view.scroll_to(y=max(0, line - self.height // 2), animate=False)
            return None
        return self.first_sentence_from(line)
