"""The reader's lines: what it shows laid out for its width, the note marks over them, and the
strips painted from them, each kept until something on its line changes.

A small class that owns that state and no widget (as ``reader_paint`` and ``reader_nav``): the
reader says what is shown and how wide, which spans to mark, and asks for a line's strip.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console
from rich.style import Style
from textual.strip import Strip

from glossator.index.model import Article

from .layout import Layout, layout_article, layout_message, layout_original
from .reader_paint import LinePainter, NoteMarks, Span


class ReaderLines:
    """The layout of one width and its strips. ``style(name)`` gives the reader's component
    style ``reader--name`` ("base" for the widget's own)."""

    def __init__(self, style: Callable[[str], Style], console: Callable[[], Console]) -> None:
        self.layout: Layout | None = None
        self.width = -1
        self.marks = NoteMarks()
        self._cache: dict[int, Strip] = {}
        self._painter = LinePainter(style, console)

    def lay_out(
        self,
        width: int,
        article: Article | None,
        message: str,
        original: str | None,
        removed: Sequence[tuple[int, int]],
        extracted: bool,
    ) -> Layout:
        """Lay out ``original`` (the article's file) when given, else ``article``, else
        ``message``, for ``width`` cells; the strips painted before are dropped."""
        self.width = width
        if article is None:
            self.layout = layout_message(message, width)
        elif original is not None:
            self.layout = layout_original(original, removed, width, extracted)
        else:
            self.layout = layout_article(article, width)
        self._cache.clear()
        return self.layout

    def forget(self) -> None:
        """Paint every line again (the marks, hits or styles changed)."""
        self._cache.clear()

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

    def text(self) -> str:
        """The lines as the screen shows them, margins and indents as spaces (what the mouse
        selects)."""
        layout = self.layout
        if layout is None:
            return ""
        return "\n".join(" " * (layout.margin + line.indent) + line.text for line in layout.lines)
