"""Painting the reader's lines: where the note marks go, and one line of the laid-out article as
a Strip (current sentence, selection, search hits, annotated passages, tags in the margin).

Plain functions and a small class that owns no widget state: the reader hands them its layout,
the spans to mark and a way to look up its component styles, and keeps the strips they return.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from glossator.index.model import Sentence

from .layout import Layout, Line, display_text

NOTE_MARK = "▌"  # in the left margin, beside every line of an annotated passage
Span = tuple[int, int]


class MarkRun(Protocol):
    """What a note mark needs of a note (a ``Note``, or a mark kept by the start-up snapshot)."""

    @property
    def sentence_id(self) -> int | None: ...
    @property
    def last_sentence_id(self) -> int | None: ...
    @property
    def tags(self) -> tuple[str, ...]: ...


def note_run(note: MarkRun, count: int) -> tuple[int, int]:
    """First and last sentence of ``note``, clamped to an article of ``count`` sentences."""
    first = note.sentence_id or 0
    last = note.last_sentence_id if note.last_sentence_id is not None else first
    return first, max(first, min(last, count - 1))


@dataclass(slots=True)
class NoteMarks:
    """Where the marks of an article's notes go: offsets of the annotated passages and of the
    highlighted ones (each sorted, those overlapping joined), the lines with a gutter mark (with
    the label colour of the innermost labelled passage there, if any), and the tags shown beside
    a passage's first line."""

    spans: list[Span] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)
    tags: dict[int, str] = field(default_factory=dict)
    highlights: list[Span] = field(default_factory=list)
    colours: dict[int, str] = field(default_factory=dict)  # line -> a label's colour (hex)
    kinds: dict[int, str] = field(default_factory=dict)  # line -> "note" or "highlight"


def note_marks(
    notes: Sequence[MarkRun],
    sentences: Sequence[Sentence],
    layout: Layout,
    colours: Mapping[str, str] | None = None,
) -> NoteMarks:
    """``notes`` in reading order (inner passages after the ones holding them); ``colours``:
    label name (casefolded) -> its colour (hex)."""
    marks = NoteMarks()
    if not sentences:
        return marks
    tags: dict[int, list[str]] = {}
    colours = colours or {}
    for note in notes:
        first, last = note_run(note, len(sentences))
        span = (sentences[first].start, sentences[last].end)
        highlight = getattr(note, "kind", "note") == "highlight"  # a snapshot's mark: a note
        (marks.highlights if highlight else marks.spans).append(span)
        if last < len(layout.sentence_lines):
            top, bottom = layout.sentence_lines[first][0], layout.sentence_lines[last][1]
            rows = range(top, bottom + 1)
            marks.lines.update(rows)
            names = map(str.casefold, getattr(note, "labels", ()))
            colour = next((colours[k] for k in names if k in colours), "")
            for y in rows:
                if colour:
                    marks.colours[y] = colour
                if marks.kinds.get(y) != "note":
                    marks.kinds[y] = "highlight" if highlight else "note"
            shown = tags.setdefault(top, [])
            shown.extend(f"#{t}" for t in note.tags if f"#{t}" not in shown)
    marks.spans = _union(marks.spans)
    marks.highlights = _union(marks.highlights)
    marks.tags = {y: display_text(" ".join(t)) for y, t in tags.items() if t}
    return marks


def _union(spans: list[Span]) -> list[Span]:
    """``spans`` sorted, those that overlap or touch joined: one style over each part of the
    text, however many notes hold it (20,000 notes on one sentence were 20,000 styles on each
    of its lines, and a key near it took seconds)."""
    joined: list[Span] = []
    for a, b in sorted(spans):
        if joined and a <= joined[-1][1]:
            if b > joined[-1][1]:
                joined[-1] = (joined[-1][0], b)
        else:
            joined.append((a, b))
    return joined


def _overlaps(line: Line, span: Span | None) -> bool:
    return span is not None and line.start >= 0 and line.start < span[1] and line.end > span[0]


class LinePainter:
    """Makes the Strip of one line. ``style(name)`` gives the reader's component style
    ``reader--name`` ("base" for the widget's own)."""

    def __init__(self, style: Callable[[str], Style], console: Callable[[], Console]) -> None:
        self._style = style
        self._console = console

    @staticmethod
    def marked(line: Line, current: Span | None, selected: Span | None) -> bool:
        """The line shows the current sentence or the selection (its strip is not kept)."""
        return _overlaps(line, current) or _overlaps(line, selected)

    def paint(
        self,
        y: int,
        line: Line,
        layout: Layout,
        marks: NoteMarks,
        hits: Sequence[Span],
        current: Span | None,
        selected: Span | None,
        width: int,
    ) -> Strip:
        style = self._style
        margin = layout.margin
        prefix = margin + line.indent
        if y in marks.lines and margin >= 2:
            text = Text(" " * (margin - 2), no_wrap=True, end="")
            colour = marks.colours.get(y)
            mark = f"{marks.kinds.get(y, 'note')}-mark"
            text.append(NOTE_MARK, style=Style(color=colour) if colour else style(mark))
            text.append(" " * (prefix - margin + 1))
        else:
            text = Text(" " * prefix, no_wrap=True, end="")
        text.append(line.text, style=style(line.kind) if line.kind != "blank" else Style())
        if line.start >= 0:
            self._stylize(text, line, prefix, marks.highlights, style("highlighted"))
            self._stylize(text, line, prefix, marks.spans, style("noted"))
            for span, name in ((selected, "selected"), (current, "current")):
                if span is not None and _overlaps(line, span):
                    a, b = max(line.start, span[0]), min(line.end, span[1])
                    text.stylize(style(name), prefix + a - line.start, prefix + b - line.start)
            self._stylize(text, line, prefix, hits, style("hit"))
        tags = marks.tags.get(y)
        if tags:
            _append_tags(text, tags, margin, width, style("note-tags"))
        segments = list(text.render(self._console()))
        return Strip(segments, text.cell_len).apply_style(style("base"))

    @staticmethod
    def _stylize(text: Text, line: Line, prefix: int, spans: Sequence[Span], style: Style) -> None:
        lo, hi = line.start, line.end
        for a, b in spans:  # sorted by start
            if b <= lo:
                continue
            if a >= hi:
                break
            text.stylize(style, prefix + max(a, lo) - lo, prefix + min(b, hi) - lo)


def _append_tags(text: Text, tags: str, margin: int, width: int, style: Style) -> None:
    """A note's tags beside the first line of its passage: in the right margin when there is
    room for them there, else just after the text if the line has room."""
    if margin >= 8:
        column, room = width - margin + 2, margin - 3
    else:
        column, room = text.cell_len + 2, width - text.cell_len - 2
    if room < 4:
        return
    if len(tags) > room:
        tags = tags[: room - 1].rstrip() + "…"
    text.append(" " * max(1, column - text.cell_len))
    text.append(tags, style=style)
