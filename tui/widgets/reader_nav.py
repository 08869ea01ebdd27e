"""Where the reader goes: pure functions over a laid-out article (``layout.Layout``), in lines
and sentence ids, with no widget in them. The reader asks them where to scroll, which sentence a
line or a page lands on, and what the overview strip should draw."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from glossator.index.model import Article

from .layout import Layout
from .reader_paint import Span


@dataclass(frozen=True, slots=True)
class ViewMap:
    """Where things are in the laid-out article, in lines: what the overview strip draws."""

    total: int
    top: int
    height: int
    current: tuple[int, int] | None
    hits: tuple[int, ...]
    notes: tuple[int, ...] = ()  # lines of annotated passages


def view_map(
    layout: Layout,
    sentence: int | None,
    hits: Sequence[Span],
    note_lines: Iterable[int],
    top: int,
    height: int,
) -> ViewMap:
    """The overview of ``layout`` seen from ``top``; ``sentence`` None for the original text
    (no current sentence, hits or notes)."""
    current = None
    if sentence is not None and 0 <= sentence < len(layout.sentence_lines):
        current = layout.sentence_lines[sentence]
    reading = sentence is not None
    return ViewMap(
        total=len(layout.lines),
        top=top,
        height=height,
        current=current,
        hits=tuple(sorted({layout.line_of_offset(a) for a, _ in hits})) if reading else (),
        notes=tuple(sorted(note_lines)) if reading else (),
    )


def scroll_target(
    layout: Layout, sentence: int, top: int, height: int, center: bool = False
) -> int | None:
    """The top line that brings ``sentence`` into view, or None to stay. Only a sentence near an
    edge moves the view; it then gets room around it (a third of the view above), so reading on
    does not scroll at every sentence. ``center``: always place it so."""
    if not 0 <= sentence < len(layout.sentence_lines):
        return None
    first, last = layout.sentence_lines[sentence]
    height = max(1, height)
    if sentence == 0 and last < height:
        first = 0  # show the title with the first sentence, when both fit
    margin = min(1 if height < 12 else 2, (height - 1) // 2)  # none in a view of a line or two
    size = last - first + 1
    if size > height - 2 * margin:  # taller than the view: its start in the upper third
        comfortable = top <= first <= top + height // 3
    else:
        comfortable = first >= top + min(margin, first) and last <= top + height - 1 - margin
    if comfortable and not center:
        return None
    if size >= height - 2 * margin:
        return first - margin
    return first - max(margin, (height - size) // 3)


def visible(layout: Layout, sentence: int, top: int, height: int) -> bool:
    """Whether any line of ``sentence`` is on screen."""
    if not 0 <= sentence < len(layout.sentence_lines):
        return False
    first, last = layout.sentence_lines[sentence]
    return last >= top and first < top + max(1, height)


def first_sentence_from(layout: Layout, line: int) -> int:
    """The first sentence that starts on ``line`` or after it (the last one if none)."""
    for i, (first, _last) in enumerate(layout.sentence_lines):
        if first >= line:
            return i
    return max(0, len(layout.sentence_lines) - 1)


def sentence_at_line(layout: Layout, line: int) -> int | None:
    """The sentence shown on ``line``, or None (a title, a blank line)."""
    for i, (first, last) in enumerate(layout.sentence_lines):
        if first <= line <= last:
            return i
    return None


def block_starts(article: Article | None) -> list[int]:
    """The id of the first sentence of every block that has sentences."""
    starts: list[int] = []
    n = 0
    for block in article.blocks if article else ():
        if block.sentences:
            starts.append(n)
            n += len(block.sentences)
    return starts


def paragraph_target(starts: Sequence[int], sentence: int, count: int, step: int) -> int:
    """The sentence } (step 1) or { (step -1) goes to: the next block's first sentence (the
    last sentence after the last block), or the start of this or the previous block."""
    if step > 0:
        later = [s for s in starts if s > sentence]
        return later[0] if later else count - 1
    earlier = [s for s in starts if s < sentence]
    return earlier[-1] if earlier else 0
