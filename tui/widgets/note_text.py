"""How a note is shown: its text with #tags coloured, shortened prompts for lists, and the filter
that matches words and tags. Pure functions over notes; everything shown literally (neutralised,
never read as markup)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from textual.content import Content

from .labels import label_parts
from .layout import display_text, wrap_offsets
from .reader_text import run_label

if TYPE_CHECKING:
    from glossator.index.notes import Note

TAG_STYLE = "bold $text-success"
HIGHLIGHT_STYLE = "italic $text-primary"
CONFLICT_COPY = "conflict copy: saved while the note changed elsewhere"
TAG_PATTERN = re.compile(r"(?<![\w&#/])#\w+(?:[-_]\w+)*")
TEXT_LINES = 3  # at most this many lines of a note's text in a list
QUOTE_LINES = 2
PREVIEW_CHARS = 2_000  # of a note's text or quote, what a list's few lines are made from


def one_line(text: str) -> str:
    return " ".join(display_text(text).split())


def first_words(text: str, count: int = 6) -> str:
    text = text.lstrip()
    words = display_text(text[:PREVIEW_CHARS]).split()
    more = len(words) > count or len(text) > PREVIEW_CHARS
    return " ".join(words[:count]) + (" …" if more else "")


def bounded(text: str, limit: int) -> str:
    """``text``, or its first ``limit`` characters and how many more there are."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"… ({len(text) - limit:,} more characters)"


def note_place(note: Note) -> str:
    """§N (or §N–M) of the note's passage, "orphaned" when it has none."""
    if note.sentence_id is None:
        return "orphaned"
    last = note.last_sentence_id if note.last_sentence_id is not None else note.sentence_id
    return run_label(note.sentence_id, last)


def shorten(text: str, width: int, lines: int, cut: bool = False) -> list[str]:
    """``text`` wrapped to ``width`` in at most ``lines`` lines, the last one ending in … if cut
    (or if ``cut``: ``text`` is the start of a longer one). Only the start of a long text is
    wrapped: the time is that of the lines shown, however long the text (a 5 MB note)."""
    width = max(8, width)
    limit = width * (lines + 1) * 4  # more than the lines can hold, zero-width marks included
    if len(text) > limit:
        text, cut = text[:limit], True
    spans = wrap_offsets(text, width)
    out = [text[a:b] for a, b in spans[:lines]]
    if (len(spans) > lines or cut) and out:
        last = out[-1]
        out[-1] = (last[: max(1, width - 1)].rstrip() + "…") if len(last) >= width else last + "…"
    return out


def tagged(line: str) -> list[str | tuple[str, str]]:
    """``line`` in parts, its #tags styled."""
    parts: list[str | tuple[str, str]] = []
    pos = 0
    for match in TAG_PATTERN.finditer(line):
        parts.append(line[pos : match.start()])
        parts.append((match.group(), TAG_STYLE))
        pos = match.end()
    parts.append(line[pos:])
    return parts


def note_content(text: str) -> Content:
    """A note's text as it was written, its #tags coloured."""
    return Content.assemble(*tagged(display_text(text)))


def note_prompt(
    note: Note,
    width: int,
    source: str | None = None,
    colours: Mapping[str, str] | None = None,
) -> Content:
    """The note's text (shortened), its tags and labels, the quoted sentence (shortened) and,
    if given, a line saying where it is from. A highlight (no text) shows its quote first."""
    width = max(12, width or 60)
    inner = width - 2
    text = note.text.lstrip()
    text_lines = shorten(
        one_line(text[:PREVIEW_CHARS]), inner, TEXT_LINES, cut=len(text) > PREVIEW_CHARS
    )
    parts: list[str | tuple[str, str]] = []
    for n, line in enumerate(text_lines):
        parts.append("\n  " if n else "▌ ")
        parts.extend(tagged(line))
    shown = " ".join(text_lines)
    missing = [f"#{t}" for t in note.tags if f"#{t}" not in shown]
    if missing:
        for line in shorten(" ".join(missing), inner, 1):
            parts.extend(["\n  ", (line, TAG_STYLE)])
    quote_text = one_line(note.quote[:PREVIEW_CHARS])
    more = len(note.quote) > PREVIEW_CHARS
    quote = shorten(f"“{quote_text}”", inner, QUOTE_LINES + (not text_lines), cut=more)
    for n, line in enumerate(quote):
        if not text_lines:  # a highlight: the passage is what it holds
            parts.extend(["\n  " if n else "▌ ", (line, HIGHLIGHT_STYLE)])
        else:
            parts.extend(["\n  ", (line, "dim italic")])
    if note.labels:
        parts.append("\n  ")
        parts.extend(label_parts(note.labels, colours or {}))
    if note.conflict_of:
        for line in shorten(CONFLICT_COPY, inner, 2):
            parts.extend(["\n  ", (line, "$text-warning")])
    if note.status == "moved":
        parts.extend(["\n  ", ("moved: its sentence changed", "dim")])
    if source is not None:
        for line in shorten(one_line(source), inner, 1):
            parts.extend(["\n  ", (line, "dim")])
    return Content.assemble(*parts)


def matches(note: Note, title: str, words: Sequence[str]) -> bool:
    """Every word is in the note's text, quote, tags, labels or article title; ``#w`` is a tag
    that starts with ``w``, ``@w`` a label that starts with ``w`` (any case)."""
    tags = [t.casefold() for t in note.tags]
    labels = [" ".join(n.split()).casefold() for n in note.labels]
    hay = " ".join((note.text, note.quote, title, *note.tags, *note.labels)).casefold()
    for word in words:
        if word.startswith("#") and len(word) > 1:
            if not any(t.startswith(word[1:]) for t in tags):
                return False
        elif word.startswith("@") and len(word) > 1:
            if not any(name.startswith(word[1:]) for name in labels):
                return False
        elif word not in hay:
            return False
    return True
