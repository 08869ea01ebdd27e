"""A one-column map of the whole article beside the reader.

Each row stands for a slice of the laid-out article. The slice on screen is lighter, search hits
are marked, annotated passages carry a diamond, the current sentence is a bright block. A click
jumps there.
"""

from __future__ import annotations

import bisect
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from .reader_nav import ViewMap

CURRENT = "█"
HIT = "━"
NOTE = "◆"
VISIBLE = "│"
EMPTY = " "


class Overview(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "overview--visible",
        "overview--hit",
        "overview--note",
        "overview--current",
    }

    view: reactive[ViewMap | None] = reactive(None, layout=False)

    class Jumped(Message):
        """The person clicked the overview: go to this fraction of the article."""

        def __init__(self, fraction: float) -> None:
            super().__init__()
            self.fraction = fraction

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._strips: list[Strip] = []
        self._key: tuple | None = None
        self._styles: dict[str, Style] = {}

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._key = None

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            if name == "base":
                style = self.rich_style
            else:
                style = self.rich_style + self.get_component_rich_style(f"overview--{name}")
            self._styles[name] = style
        return style

    def _draw(self) -> list[Strip]:
        """Every row at once: cheap, and done only when the view or the size changed."""
        view, size = self.view, self.size
        key = (view, size)
        if key == self._key:
            return self._strips
        width, height = size.width, max(1, size.height)
        base = self._style("base")
        strips: list[Strip] = []
        for y in range(height):
            if view is None or view.total <= 0:
                strips.append(Strip.blank(width, base))
                continue
            total = view.total
            start = y * total // height
            end = max(start + 1, (y + 1) * total // height)
            char, style = EMPTY, base
            if view.top < end and view.top + view.height > start:
                char, style = VISIBLE, self._style("visible")
            i = bisect.bisect_left(view.hits, start)
            if i < len(view.hits) and view.hits[i] < end:
                char, style = HIT, self._style("hit")
            i = bisect.bisect_left(view.notes, start)
            if i < len(view.notes) and view.notes[i] < end:
                char, style = NOTE, self._style("note")
            if view.current is not None and view.current[0] < end and view.current[1] >= start:
                char, style = CURRENT, self._style("current")
            strips.append(Strip([Segment(char * width, style)], width))
        self._strips, self._key = strips, key
        return strips

    def render_line(self, y: int) -> Strip:
        strips = self._draw()
        if 0 <= y < len(strips):
            return strips[y]
        return Strip.blank(self.size.width, self._style("base"))

    def on_click(self, event: events.Click) -> None:
        height = max(1, self.size.height)
        self.post_message(self.Jumped(min(1.0, max(0.0, event.y / height))))
