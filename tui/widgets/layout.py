"""Lay an article out as lines for a given width, keeping every line's offset into Article.text.

Pure functions and plain data (no Textual): the reader renders these lines and uses the offsets to
mark the current sentence and the search hits, so a key press only repaints the lines it changes.
All text is passed through ``neutralise`` first (length-preserving), so offsets stay valid and no
control character from an article ever reaches the terminal.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len

from glossator.index.model import Article
from glossator.index.textutil import neutralise

MEASURE = 92  # the widest a line of text gets: comfortable reading, centred in wide terminals
MIN_MARGIN = 2
ITEM_INDENT = 2

_WORD = re.compile(r"\S+\s*")


def display_text(text: str) -> str:
    """``neutralise`` plus tabs as spaces: safe to show, same length as ``text``."""
    return neutralise(text).replace("\t", " ")


@dataclass(frozen=True, slots=True)
class Line:
    text: str  # what is shown, after the indent
    kind: str  # title, byline, heading, paragraph, item, blank, note, original, chrome
    indent: int = 0  # cells before the text, inside the margin
    start: int = -1  # offset of text[0] in Article.text; -1 for lines outside it

    @property
    def end(self) -> int:
        return self.start + len(self.text) if self.start >= 0 else -1


@dataclass(slots=True)
class Layout:
    lines: list[Line]
    margin: int = MIN_MARGIN
    sentence_lines: list[tuple[int, int]] = field(default_factory=list)  # first, last line
    _starts: list[int] = field(default_factory=list)  # start offsets of text lines
    _rows: list[int] = field(default_factory=list)  # their line numbers

    def __post_init__(self) -> None:
        for y, line in enumerate(self.lines):
            if line.start >= 0:
                self._starts.append(line.start)
                self._rows.append(y)

    def line_of_offset(self, offset: int) -> int:
        """The line showing ``offset`` (or the nearest line before it)."""
        if not self._starts:
            return 0
        i = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self._rows[i]

    @property
    def plain(self) -> list[str]:
        return [" " * line.indent + line.text for line in self.lines]


def _fold(text: str, start: int, end: int, width: int) -> int:
    """The largest cut after ``start`` whose piece fits ``width`` cells (at least one character)."""
    cells = 0
    for i in range(start, end):
        cells += cell_len(text[i])
        if cells > width:
            return max(i, start + 1)
    return end


def wrap_offsets(text: str, width: int, rest_width: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each wrapped line of ``text``: words kept whole unless longer than a line.

    The first line may be ``width`` cells, the others ``rest_width`` (for hanging indents). Line
    breaks in the text are kept; spaces at the ends of wrapped lines are left out.
    """
    width = max(1, width)
    rest = max(1, rest_width if rest_width is not None else width)
    out: list[tuple[int, int]] = []
    base = 0
    for raw in text.split("\n"):
        avail = width if not out else rest
        cur_start = cur_end = -1
        cur_cells = 0
        for m in _WORD.finditer(raw):
            ws = m.start()
            we = ws + len(m.group().rstrip())
            if cur_start >= 0:
                extra = cell_len(raw[cur_end:we])
                if cur_cells + extra <= avail:
                    cur_end, cur_cells = we, cur_cells + extra
                    continue
                out.append((base + cur_start, base + cur_end))
                avail = rest
            word_cells = cell_len(raw[ws:we])
            while word_cells > avail:
                cut = _fold(raw, ws, we, avail)
                out.append((base + ws, base + cut))
                avail = rest
                ws = cut
                word_cells = cell_len(raw[ws:we])
            cur_start, cur_end, cur_cells = ws, we, word_cells
            if ws == we:
                cur_start = -1
        if cur_start >= 0:
            out.append((base + cur_start, base + cur_end))
        elif not raw.strip() or not out:
            out.append((base, base))
        base += len(raw) + 1
    return out


def _measure(width: int) -> tuple[int, int]:
    """(margin, text width) for a widget ``width`` cells wide."""
    text_width = min(MEASURE, max(10, width - 2 * MIN_MARGIN))
    margin = max(
        MIN_MARGIN if width >= text_width + 2 * MIN_MARGIN else 0, (width - text_width) // 2
    )
    return margin, text_width


def _wrap_plain(text: str, kind: str, width: int) -> list[Line]:
    shown = display_text(text)
    return [Line(shown[a:b], kind) for a, b in wrap_offsets(shown, width)]


def layout_article(article: Article, width: int) -> Layout:
    """Title, byline and the blocks of ``article`` wrapped for a widget ``width`` cells wide."""
    margin, measure = _measure(width)
    lines: list[Line] = []
    lines.extend(_wrap_plain(article.title, "title", measure))
    if article.byline:
        lines.extend(_wrap_plain(article.byline, "byline", measure))
    text = display_text(article.text)
    sentences = article.sentences
    sentence_lines: list[tuple[int, int]] = [(0, 0)] * len(sentences)
    for block in article.blocks:
        lines.append(Line("", "blank"))
        body = text[block.start : block.end]
        if block.kind == "item":
            hang = (
                cell_len(block.marker) + 1 if block.marker and body.startswith(block.marker) else 0
            )
            hang = min(hang, measure // 3)
            spans = wrap_offsets(body, measure - ITEM_INDENT, measure - ITEM_INDENT - hang)
            for n, (a, b) in enumerate(spans):
                indent = ITEM_INDENT + (hang if n else 0)
                lines.append(Line(body[a:b], "item", indent, block.start + a))
        else:
            for a, b in wrap_offsets(body, measure):
                lines.append(Line(body[a:b], block.kind, 0, block.start + a))
    layout = Layout(lines, margin)
    for i, s in enumerate(sentences):
        first = layout.line_of_offset(s.start)
        last = layout.line_of_offset(max(s.start, s.end - 1))
        sentence_lines[i] = (first, last)
    layout.sentence_lines = sentence_lines
    return layout


def layout_original(
    original: str, removed: Sequence[tuple[int, int]], width: int, extracted: bool = False
) -> Layout:
    """The file as it was (or the text taken out of it, ``extracted``), wrapped for ``width``
    cells; the pieces at the ``removed`` offsets (site chrome, navigation, running headers, front
    matter) marked as chrome."""
    margin, measure = _measure(width)
    what = "The text taken out of the file" if extracted else "The file as it was read"
    lines: list[Line] = [
        Line(f"{what}: what is not in the article is dimmed. o returns to it.", "note"),
        Line("", "blank"),
    ]
    spans = sorted(removed)
    shown = display_text(original.rstrip("\n"))
    base = 0
    for raw in shown.split("\n"):
        for a, b in wrap_offsets(raw, measure):
            piece = (base + a, base + b)
            gone = sum(max(0, min(e, piece[1]) - max(s, piece[0])) for s, e in spans)
            chrome = b > a and gone * 2 >= b - a
            lines.append(Line(raw[a:b], "chrome" if chrome else "original"))
        base += len(raw) + 1
    return Layout(lines, margin)


def layout_message(message: str, width: int) -> Layout:
    margin, measure = _measure(width)
    return Layout(_wrap_plain(message, "note", measure), margin)


def plural(n: int, word: str) -> str:
    """A count and its word: "1 note", "2 notes"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
