"""The reader's lines: what it shows (an article, its original text, or a line of text instead),
laid out for its width, the note marks over them, and the strips painted from them, each kept
until something on its line changes.

A small class that owns that state and no widget (as ``reader_paint`` and ``reader_nav``): the
reader says what to show and how wide, which spans to mark, and asks for a line's strip.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console
from rich.style import Style
from textual.strip import Strip

from glossator.index.model import Article, Sentence

from .layout import Layout, layout_article, layout_message, layout_original
from .reader_paint import LinePainter, NoteMarks, Span

Run = tuple[int, int]  # first and last sentence


class ReaderLines:
    """What is shown, its layout for one width and its strips. ``component_style(name)`` gives
    the reader's component style ``reader--name`` ("base" for the widget's own)."""

    def __init__(
        self, component_style: Callable[[str], Style], console: Callable[[], Console]
    ) -> None:
        self.article: Article | None = None
        self.sentences: list[Sentence] = []  # article.sentences, kept (the property builds one)
        self.original: str | None = None  # shown instead of the article when set
        self.removed: list[tuple[int, int]] = []  # offsets in ``original`` not in the article
        self.extracted = False
        self.message = "Opening the library…"
        self.layout: Layout | None = None
        self.width = -1
        self.marks = NoteMarks()
        self._cache: dict[int, Strip] = {}
        self._component_style = component_style
        self._styles: dict[str, Style] = {}
        self._painter = LinePainter(self.style, console)

    # -- what is shown -------------------------------------------------------------------------

    def show_message(self, message: str) -> None:
        """A line of text instead of an article (while opening, or when there is none)."""
        self.article, self.sentences, self.original = None, [], None
        self.message = message

    def show_article(self, article: Article) -> None:
        self.article, self.sentences, self.original = article, article.sentences, None

    def show_original(self, text: str, removed: Sequence[tuple[int, int]], extracted: bool) -> None:
        """The article's file as it was read, ``removed`` offsets dimmed."""
        self.original, self.removed, self.extracted = text, list(removed), extracted

    def hide_original(self) -> None:
        self.original = None

    @property
    def reading(self) -> bool:
        """An article is shown, not its original text."""
        return self.article is not None and self.original is None

    def lay_out(self, width: int) -> Layout:
        """Lay out the original text when shown, else the article, else the message, for
        ``width`` cells; the strips painted before are dropped."""
        self.width = width
        if self.article is None:
            self.layout = layout_message(self.message, width)
        elif self.original is not None:
            self.layout = layout_original(self.original, self.removed, width, self.extracted)
        else:
            self.layout = layout_article(self.article, width)
        self._cache.clear()
        return self.layout

    # -- painting ------------------------------------------------------------------------------

    def style(self, name: str) -> Style:
        """The component style ``reader--name``, kept until the styles change."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self._component_style(name)
        return style

    def forget(self, styles: bool = False) -> None:
        """Paint every line again (the marks, hits or, with ``styles``, the styles changed)."""
        if styles:
            self._styles.clear()
        self._cache.clear()

    def span_of(self, run: Run | None) -> Span | None:
        """The offsets of the sentences ``run`` holds (None in the original text)."""
        if run is None or self.original is not None or not self.sentences:
            return None
        last = len(self.sentences) - 1
        return self.sentences[min(run[0], last)].start, self.sentences[min(run[1], last)].end

    def strip(
        self, number: int, hits: Sequence[Span], current: Span | None, selected: Span | None
    ) -> Strip:
        """Line ``number`` painted: kept, unless it shows the current sentence or the selection."""
        layout = self.layout
        assert layout is not None
        line = layout.lines[number]
        marked = self._painter.marked(line, current, selected)
        strip = None if marked else self._cache.get(number)
        if strip is None:
            strip = self._painter.paint(
                number, line, layout, self.marks, hits, current, selected, self.width
            )
            if not marked:
                self._cache[number] = strip
        return strip

    def view_line(
        self,
        number: int,
        sentence: int,
        selection: Run | None,
        hits: Sequence[Span],
        mouse: tuple[int, int] | None,
        mouse_style: Callable[[], Style],
    ) -> Strip:
        """Line ``number`` as the view shows it: the current ``sentence`` and the ``selection``
        (v's run) marked, and the ``mouse``'s selection on it (a span, its end -1 for the end of
        the line) in ``mouse_style``."""
        current = self.span_of((sentence, sentence)) if self.article else None
        strip = self.strip(number, hits, current, self.span_of(selection))
        if mouse is not None:
            start, end = mouse
            end = strip.cell_length if end == -1 else end
            select = mouse_style()
            strip = Strip.join(
                [strip.crop(0, start), strip.crop(start, end).apply_style(select), strip.crop(end)]
            )
        return strip

    def text(self) -> str:
        """The lines as the screen shows them, margins and indents as spaces (what the mouse
        selects)."""
        layout = self.layout
        if layout is None:
            return ""
        return "\n".join(" " * (layout.margin + line.indent) + line.text for line in layout.lines)
