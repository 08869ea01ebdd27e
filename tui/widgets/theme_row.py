"""One theme of the Themes tab as it is shown: its name (wrapped), a bar across the articles
showing where it appears (the article being read marked) with its number of passages, and its
description. Pure drawing: what the panel (``themes.py``) puts in each entry of its list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content

from .layout import display_text, plural, wrap_offsets

if TYPE_CHECKING:
    from glossator.index.themes import Theme

SHADES = " ░▒▓█"  # a cell of the bar: no passages, then up to the theme's busiest article
BAR_MAX = 20  # at most this many cells; past it, neighbouring articles share a cell
BAR_STYLE = "$foreground on $foreground 10%"
BAR_CURRENT_STYLE = "$text-accent on $accent 35%"  # the article being read
NAME_STYLE = "bold"
INDENT = 2
DESCRIPTION_LINES = 2


def bar_cells(
    counts: Sequence[int], current: int | None, width: int = BAR_MAX
) -> list[tuple[int, bool]]:
    """The cells of a theme's bar: (shade 0-4, holds the current article) for each.

    One cell per article in library order, or per run of neighbouring articles when there are more
    than ``width``. Shades are relative to the theme's busiest cell: 0 is none, 4 the most.
    """
    if not counts:
        return []
    size = -(-len(counts) // max(1, width))  # ceiling division
    groups = [
        (sum(counts[i : i + size]), current is not None and i <= current < i + size)
        for i in range(0, len(counts), size)
    ]
    top = max(n for n, _ in groups)
    cells = []
    for n, here in groups:
        level = 0 if n <= 0 or top <= 0 else max(1, min(4, -(-4 * n // top)))
        cells.append((level, here))
    return cells


class Bars:
    """The themes' bars over one list of articles: each theme's shades worked out once, from
    the articles it is in (not from every article of the library), so marking the article
    read in every bar at each article change costs a few cells a theme, at any library size.
    The same cells as ``bar_cells`` gives."""

    def __init__(self, article_ids: Sequence[str], width: int = BAR_MAX) -> None:
        self.count = len(article_ids)
        self._at = {a: i for i, a in enumerate(article_ids)}
        self._size = max(1, -(-self.count // max(1, width)))
        self._levels: dict[int, tuple[Theme, list[int]]] = {}  # by id(theme)

    def cells(self, theme: Theme, current: str | None) -> list[tuple[int, bool]]:
        kept = self._levels.get(id(theme))
        if kept is None or kept[0] is not theme:
            kept = self._levels[id(theme)] = (theme, self._work_out(theme))
        levels = kept[1]
        at = self._at.get(current) if current is not None else None
        here = at // self._size if at is not None else -1
        return [(level, n == here) for n, level in enumerate(levels)]

    def _work_out(self, theme: Theme) -> list[int]:
        if not self.count:
            return []
        sums = [0] * -(-self.count // self._size)
        at, size = self._at, self._size
        for article, n in theme.articles.items():
            i = at.get(article)
            if i is not None:
                sums[i // size] += n
        top = max(sums)
        return [0 if n <= 0 or top <= 0 else max(1, min(4, -(-4 * n // top))) for n in sums]


def theme_bar(theme: Theme, bars: Bars, current: str | None) -> Content:
    return Content.assemble(
        *(
            (SHADES[level], BAR_CURRENT_STYLE if marked else BAR_STYLE)
            for level, marked in bars.cells(theme, current)
        )
    )


def one_line(text: str, width: int) -> str:
    text = " ".join(display_text(text).split())
    if len(text) <= width:
        return text
    return text[: max(0, width - 1)].rstrip() + "…"


def _lines(text: str, width: int, most: int) -> list[str]:
    """``text`` wrapped to ``width``, at most ``most`` lines, the last one cut with "…"."""
    text = " ".join(display_text(text).split())
    spans = wrap_offsets(text, width)
    lines = [text[a:b] for a, b in spans[:most]]
    if len(spans) > most:
        lines[-1] = one_line(text[spans[most - 1][0] :], width)
    return lines


def theme_prompt(
    theme: Theme,
    bars: Bars,
    current: str | None,
    width: int = 0,
    describe: bool = True,
) -> Content:
    """The name (wrapped), then the bar and the number of passages, then the description."""
    width = width or 1000
    inner = max(8, width - INDENT - 1)
    name = display_text(theme.name)
    parts: list[str | tuple[str, str] | Content] = [" "]
    for n, (a, b) in enumerate(wrap_offsets(name, max(8, width - 2), inner)):
        parts.append("\n" + " " * (INDENT + 1) if n else "")
        parts.append((name[a:b], NAME_STYLE))
    parts.append("\n" + " " * INDENT)
    if theme.error:
        parts.append(("unusable query", "$text-error"))
    else:
        parts.append(theme_bar(theme, bars, current))
        parts.append(f" {plural(theme.passages, 'passage')}")
    if describe and theme.description:
        for line in _lines(theme.description, inner, DESCRIPTION_LINES):
            parts.append("\n" + " " * INDENT)
            parts.append((line, "dim italic"))
    return Content.assemble(*parts)
