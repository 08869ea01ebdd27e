"""One article of the article list as it is shown: its title (marked when it is the article
being read) on one or two rows, then its byline, sentence and note counts on one or two. Every
entry is as high as its title and byline need, and that is known without wrapping them (they
fit one row, or take two; a longer title ends in "…"), so a list of 100,000 articles is laid
out in a blink. Apart from the list, so the first screen (drawn from the start-up snapshot)
shows the list the same way without importing the sidebar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content

from .layout import display_text, wrap_offsets

if TYPE_CHECKING:
    from glossator.index.model import ArticleInfo

CURRENT_MARK = "▶"
INDENT = 2  # cells before the title and the detail (the mark and a space on the title's first)
TITLE_ROWS = 2  # at most; a longer title ends in an ellipsis
ROWS_BEFORE = 3  # entries above the one read, when the list is first shown


def entry_title(info: ArticleInfo) -> str:
    """The title as the list shows it: safe to show, on one line, no spaces at its ends."""
    return " ".join(display_text(info.title).split())


def _cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def title_rows(title: str, width: int) -> int:
    """The rows ``title`` (from ``entry_title``) takes in a list ``width`` cells wide."""
    return 1 if _cells(title) <= max(8, width - INDENT) else TITLE_ROWS


def entry_byline(info: ArticleInfo) -> str:
    return " ".join(display_text(info.byline or "").split())


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
