"""One article of the article list as it is shown: its title (marked when it is the article
being read) on one or two rows, then its byline, sentence and note counts on one or two. Every
entry is as high as its title and byline need, and that is known without wrapping them (they
fit one row, or take two; a longer title ends in "…"), so a list of 100,000 articles is laid
out in a blink. Apart from the list, so the first screen (drawn from the start-up snapshot)
shows the list the same way without importing the sidebar."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from rich.cells import cell_len
from textual.content import Content

from glossator.index.model import PerList, per_list

from .layout import display_text, wrap_offsets

if TYPE_CHECKING:
    from glossator.index.model import ArticleInfo

CURRENT_MARK = "▶"
INDENT = 2  # cells before the title and the detail (the mark and a space on the title's first)
TITLE_ROWS = 2  # at most; a longer title ends in an ellipsis
ROWS_BEFORE = 3  # entries above the one read, when the list is first shown


# a title or byline as given -> as the list shows it, and its cells: worked out once (in the
# library's worker, ``warm``), not for 100,000 articles on the event loop at each new list
_SHOWN: dict[str, tuple[str, int]] = {}
_SHOWN_KEPT = 500_000


def shown_line(text: str) -> tuple[str, int]:
    """``text`` safe to show, on one line, no spaces at its ends; and its width in cells."""
    found = _SHOWN.get(text)
    if found is None:
        line = " ".join(display_text(text).split())
        found = (line, _cells(line))
        if len(_SHOWN) >= _SHOWN_KEPT:
            _SHOWN.clear()
        _SHOWN[text] = found
    return found


# a list of articles -> the cells of each title and byline (-1: none) and each one's sentences
_LAYOUTS: PerList[tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def warm(articles: list[ArticleInfo]) -> None:
    """Work out the titles and bylines of ``articles`` as the list shows them, and how wide
    they are (in a worker thread, before the list is handed them)."""
    _layout_of(articles)


def _layout_of(articles: list[ArticleInfo]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    def make() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(articles)
        titles = np.fromiter((shown_line(a.title)[1] for a in articles), np.int64, n)
        bylines = np.fromiter(
            (shown_line(a.byline)[1] if a.byline else -1 for a in articles), np.int64, n
        )
        return titles, bylines, np.fromiter((a.sentences for a in articles), np.int64, n)

    return per_list(_LAYOUTS, articles, make, 8)


def entry_title(info: ArticleInfo) -> str:
    """The title as the list shows it: safe to show, on one line, no spaces at its ends."""
    return shown_line(info.title)[0]


def _cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def title_rows(title: str, width: int) -> int:
    """The rows ``title`` (from ``entry_title``) takes in a list ``width`` cells wide."""
    return 1 if _cells(title) <= max(8, width - INDENT) else TITLE_ROWS


def entry_byline(info: ArticleInfo) -> str:
    return shown_line(info.byline)[0] if info.byline else ""


def counts_text(info: ArticleInfo, notes: int = 0) -> str:
    counts = f"{info.sentences} sentences"
    if notes:
        counts += f" · {notes} note{'' if notes == 1 else 's'}"
    return counts


def detail_rows(byline: str, counts: str, width: int) -> int:
    """The rows of the byline and the counts: one when both fit it, else one each."""
    if not byline:
        return 1
    return 1 if _cells(byline) + 3 + _cells(counts) <= max(8, width - INDENT) else 2


def entry_starts(
    articles: list[ArticleInfo],
    shown: Sequence[int],
    notes: Mapping[int, int],
    width: int,
) -> tuple[list[int], int]:
    """The first row of each shown entry (``shown``: indices into ``articles``; a rule row
    before every entry but the first) and the rows of them all, in a list ``width`` cells
    wide; ``notes``: the notes of an article by its index. As ``title_rows`` and
    ``detail_rows`` count them, for every entry at once."""
    if not shown:
        return [], 0
    avail = max(8, width - INDENT)
    every_title, every_byline, every_count = _layout_of(articles)
    at = np.asarray(shown, dtype=np.int64)
    titles, bylines = every_title[at], every_byline[at]
    counts = _digits(every_count[at]) + len(" sentences")
    for i, k in notes.items():
        n = int(np.searchsorted(at, i))  # shown is ascending
        if k and n < len(at) and at[n] == i:
            counts[n] += _cells(counts_text(articles[i], k)) - _cells(counts_text(articles[i]))
    rows = np.where(titles <= avail, 1, TITLE_ROWS)
    # a byline of no cells ("\u200b") is still a byline: only -1 is none
    rows += np.where((bylines < 0) | (bylines + 3 + counts <= avail), 1, 2)
    rows[1:] += 1  # the rule before each entry but the first
    ends = np.cumsum(rows)
    return (ends - rows).tolist(), int(ends[-1])


def _digits(values: np.ndarray) -> np.ndarray:
    """The digits of each (a negative number's sign counted as one)."""
    size = np.abs(values)
    digits = np.ones(len(values), np.int64) + (values < 0)
    for power in range(1, 19):
        digits += size >= 10**power
    return digits


def entry_lines(info: ArticleInfo, current: bool, width: int = 0, notes: int = 0) -> list[Content]:
    """The entry's rows, each at most ``width`` cells: title (marked when it is the article
    being read), then byline, sentence and note counts."""
    width = width or 1000
    avail = max(8, width - INDENT)
    title = entry_title(info)
    title_style = "bold $text-accent" if current else "bold"
    mark = Content.styled(f"{CURRENT_MARK} ", "bold $text-accent") if current else Content("  ")
    rows = title_rows(title, width)
    spans = wrap_offsets(title, avail)[:rows] or [(0, 0)]
    lines = []
    for n, (a, b) in enumerate(spans):
        text = title[a:b] if n < rows - 1 or len(spans) == 1 else title[a:]
        part = Content.styled(text, title_style).truncate(avail, ellipsis=True)
        lines.append((mark if n == 0 else Content("  ")) + part)
    while len(lines) < rows:  # (a title wrapped on fewer rows than it was measured for)
        lines.append(Content(""))
    byline, counts = entry_byline(info), counts_text(info, notes)
    details = [counts]
    if byline and detail_rows(byline, counts, width) == 1:
        details = [f"{byline} · {counts}"]
    elif byline:
        details = [byline, counts]
    for text in details:
        lines.append(Content("  ") + Content.styled(text, "dim").truncate(avail, ellipsis=True))
    return lines
