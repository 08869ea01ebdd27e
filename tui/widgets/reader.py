"""The reader: one article laid out as lines, the current sentence marked, search hits highlighted,
annotated sentences marked (a bar in the margin, underlined, their tags beside them).

A Line-API widget (a ScrollView rendering one Strip per line): the article is wrapped once per
width (``layout.py``), and moving the current sentence repaints only the lines of the old and the
new sentence (and of the selection ``v`` started), so j/k stay instant even in a 5,000-character
paragraph.

Attributes come down from the screen (``show_article``, ``set_hits``, ``set_notes``,
``show_original``); what the reader cannot do alone goes up as messages (another article, another
hit, the original text, writing, editing, deleting or finding a note).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from glossator.index.model import Article

from .layout import Layout, Line, display_text, layout_article, layout_message, layout_original

if TYPE_CHECKING:
    from glossator.index.notes import Note

SENTENCE = Binding.Group("sentence", compact=True)
ARTICLE = Binding.Group("article", compact=True)
HIT = Binding.Group("hit", compact=True)

NOTE_MARK = "▌"  # in the left margin, beside every line of an annotated passage


@dataclass(frozen=True, slots=True)
class ViewMap:
    """Where things are in the laid-out article, in lines: what the overview strip draws."""

    total: int
    top: int
    height: int
    current: tuple[int, int] | None
    hits: tuple[int, ...]
    notes: tuple[int, ...] = ()  # lines of annotated passages


class Reader(ScrollView, can_focus=True):
    """Shows one article and keeps a current sentence."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reader--title",
        "reader--byline",
        "reader--heading",
        "reader--paragraph",
        "reader--item",
        "reader--current",
        "reader--hit",
        "reader--chrome",
        "reader--original",
        "reader--note",
        "reader--noted",
        "reader--note-mark",
        "reader--note-tags",
        "reader--selected",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "next_sentence", "Next sentence", group=SENTENCE, id="reader.next"),
        Binding("down", "next_sentence", "Next sentence", show=False, id="reader.next_arrow"),
        Binding(
            "k", "previous_sentence", "Previous sentence", group=SENTENCE, id="reader.previous"
        ),
        Binding(
            "up", "previous_sentence", "Previous sentence", show=False, id="reader.previous_arrow"
        ),
        Binding("}", "next_paragraph", "Next paragraph", show=False, id="reader.next_paragraph"),
        Binding(
            "{",
            "previous_paragraph",
            "Previous paragraph",
            show=False,
            id="reader.previous_paragraph",
        ),
        Binding("space", "next_page", "Page down", show=False, id="reader.next_page"),
        Binding("pagedown", "next_page", "Page down", show=False, id="reader.next_page_key"),
        Binding("b", "previous_page", "Page up", show=False, id="reader.previous_page"),
        Binding("pageup", "previous_page", "Page up", show=False, id="reader.previous_page_key"),
        Binding("g", "first_sentence", "Top of the article", show=False, id="reader.top"),
        Binding("home", "first_sentence", "Top of the article", show=False, id="reader.top_key"),
        Binding("G", "last_sentence", "Bottom of the article", show=False, id="reader.bottom"),
        Binding(
            "end", "last_sentence", "Bottom of the article", show=False, id="reader.bottom_key"
        ),
        Binding("]", "next_article", "Next article", group=ARTICLE, id="reader.next_article"),
        Binding(
            "[", "previous_article", "Previous article", group=ARTICLE, id="reader.previous_article"
        ),
        Binding(
            "n",
            "next_hit",
            "Next search hit",
            group=HIT,
            id="reader.next_hit",
            tooltip="crosses into the next article with hits",
        ),
        Binding(
            "N",
            "previous_hit",
            "Previous search hit",
            group=HIT,
            id="reader.previous_hit",
            tooltip="crosses into the previous article",
        ),
        Binding(
            "y",
            "copy_sentence",
            "Copy the sentence with its citation",
            show=False,
            id="reader.copy",
            tooltip="title, outlet and sentence number",
        ),
        Binding(
            "o",
            "toggle_original",
            "Original text",
            show=False,
            id="reader.original",
            tooltip="the file as it was, site chrome dimmed; o again returns",
        ),
        Binding(
            "a",
            "annotate",
            "Annotate the current sentence",
            show=False,
            id="reader.annotate",
            tooltip="or the run v selected; ctrl+s saves, escape cancels, #words are tags",
        ),
        Binding(
            "v",
            "select",
            "Select sentences for a note",
            show=False,
            id="reader.select",
            tooltip="j/k extend the selection, a annotates it, escape (or v) clears it",
        ),
        Binding("e", "edit_note", "Edit the note here", show=False, id="reader.edit"),
        Binding(
            "d",
            "delete_note",
            "Delete the note here",
            show=False,
            id="reader.delete",
            tooltip="u brings it back",
        ),
        Binding("u", "undo_delete", "Undo deleting a note", show=False, id="reader.undo"),
        Binding(
            "m",
            "next_note",
            "Next note",
            show=False,
            id="reader.next_note",
            tooltip="crosses into the next article with notes",
        ),
        Binding("M", "previous_note", "Previous note", show=False, id="reader.previous_note"),
        Binding("escape", "clear_selection", "Clear selection", id="reader.clear_selection"),
    ]

    class PositionChanged(Message):
        """The current sentence (or article) changed."""

        def __init__(self, reader: Reader, article_id: str, sentence: int, count: int) -> None:
            super().__init__()
            self.reader = reader
            self.article_id = article_id
            self.sentence = sentence
            self.count = count

    class ViewChanged(Message):
        """The visible part, the current sentence or the hits moved: redraw the overview."""

        def __init__(self, view: ViewMap) -> None:
            super().__init__()
            self.view = view

    class ArticleRequested(Message):
        """Open the next (step 1) or previous (step -1) article of the library."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class HitRequested(Message):
        """Go to the next (1) or previous (-1) search hit, crossing articles."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class OriginalRequested(Message):
        """Show the original file of this article (the screen loads it in a worker)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class AnnotateRequested(Message):
        """Write a note on sentences ``first``..``last`` of the article shown."""

        def __init__(self, article: Article, first: int, last: int) -> None:
            super().__init__()
            self.article, self.first, self.last = article, first, last

    class NoteEditRequested(Message):
        def __init__(self, note: Note) -> None:
            super().__init__()
            self.note = note

    class NoteDeleteRequested(Message):
        def __init__(self, note: Note) -> None:
            super().__init__()
            self.note = note

    class NoteUndoRequested(Message):
        """Bring back the note deleted last."""

    class NoteJumpRequested(Message):
        """Go to the next (1) or previous (-1) note, crossing articles."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class SelectionChanged(Message):
        """The selected run of sentences changed (None: no selection)."""

        def __init__(self, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.selection = selection

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.sentence = 0
        self.hits: list[tuple[int, int]] = []  # offsets into article.text, sorted
        self.original: str | None = None  # shown instead of the article when set
        self.message = "Opening the library…"
        self._layout: Layout | None = None
        self._layout_width = -1
        self._cache: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._last_view: ViewMap | None = None
        self._sentences: list = []  # article.sentences, kept (the property builds a list)
        self._height = -1
        # Notes: the placed notes of this article (set by the screen) and what is drawn for them.
        self.notes: list[Note] = []
        self.selection_start: int | None = None  # where ``v`` was pressed
        self._note_spans: list[tuple[int, int]] = []  # offsets of annotated passages, sorted
        self._note_lines: set[int] = set()  # lines with a gutter mark
        self._line_tags: dict[int, str] = {}  # line -> tags shown beside it

    # -- attributes down -----------------------------------------------------------------------

    @property
    def original_shown(self) -> bool:
        return self.original is not None

    @property
    def sentence_count(self) -> int:
        return self.article.sentence_count() if self.article else 0

    def show_message(self, message: str) -> None:
        """Show a line of text instead of an article (while opening, or when there is none)."""
        self.article = None
        self._sentences = []
        self.original = None
        self.message = message
        self.notes = []
        self._set_selection(None)
        self._relayout(force=True)

    def show_article(
        self, article: Article, sentence: int = 0, hits: list[tuple[int, int]] | None = None
    ) -> None:
        same = self.article is not None and self.article.id == article.id
        self.article = article
        self._sentences = article.sentences
        self.original = None
        if not same:
            self.notes = [n for n in self.notes if n.article_id == article.id]
            self._set_selection(None)
        self.hits = sorted(hits or [])
        self._relayout(force=True)
        if not same:
            self.scroll_to(y=0, animate=False)
        self.go_to_sentence(sentence, force=True)

    def set_hits(self, hits: list[tuple[int, int]]) -> None:
        self.hits = sorted(hits)
        self._cache.clear()
        self.refresh()
        self._post_view()

    def set_notes(self, notes: Sequence[Note]) -> None:
        """The notes to mark: those of the article shown that are tied to its sentences."""
        article = self.article
        count = len(self._sentences)
        self.notes = sorted(
            (
                n
                for n in notes
                if article is not None
                and n.article_id == article.id
                and n.sentence_id is not None
                and 0 <= n.sentence_id < count
            ),
            key=lambda n: (n.sentence_id, n.last_sentence_id or n.sentence_id, n.created),
        )
        self._index_notes()
        self._cache.clear()
        self.refresh()
        self._post_view()

    def _run(self, note: Note) -> tuple[int, int]:
        """First and last sentence of ``note`` (clamped to the article)."""
        first = note.sentence_id or 0
        last = note.last_sentence_id if note.last_sentence_id is not None else first
        return first, max(first, min(last, len(self._sentences) - 1))

    def _index_notes(self) -> None:
        """Where the marks go for the notes, in offsets and in lines of the current layout."""
        self._note_spans, self._note_lines, self._line_tags = [], set(), {}
        layout, sentences = self._layout, self._sentences
        if layout is None or self.original is not None or not sentences:
            return
        tags: dict[int, list[str]] = {}
        for note in self.notes:
            first, last = self._run(note)
            self._note_spans.append((sentences[first].start, sentences[last].end))
            if last < len(layout.sentence_lines):
                top, bottom = layout.sentence_lines[first][0], layout.sentence_lines[last][1]
                self._note_lines.update(range(top, bottom + 1))
                shown = tags.setdefault(top, [])
                shown.extend(f"#{t}" for t in note.tags if f"#{t}" not in shown)
        self._note_spans.sort()
        self._line_tags = {y: display_text(" ".join(t)) for y, t in tags.items() if t}

    def notes_at(self, sentence: int) -> list[Note]:
        """The notes whose passage holds ``sentence``: the innermost (latest start) first."""
        found = [n for n in self.notes if self._run(n)[0] <= sentence <= self._run(n)[1]]
        return sorted(found, key=lambda n: (-self._run(n)[0], self._run(n)[1]))

    @property
    def notes_here(self) -> list[Note]:
        if self.article is None or self.original is not None:
            return []
        return self.notes_at(self.sentence)

    @property
    def noted_sentences(self) -> set[int]:
        """Ids of the sentences that carry a note mark."""
        found: set[int] = set()
        for note in self.notes:
            first, last = self._run(note)
            found.update(range(first, last + 1))
        return found

    # -- the selection (v): a run of sentences for one note --------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """First and last sentence of the selected run, when ``v`` started one."""
        if self.selection_start is None or self.article is None:
            return None
        start = min(self.selection_start, max(0, len(self._sentences) - 1))
        return min(start, self.sentence), max(start, self.sentence)

    def _set_selection(self, start: int | None) -> None:
        before = self.selection
        self.selection_start = start
        after = self.selection
        if before == after:
            return
        for run in (before, after):
            if run is not None:
                self._refresh_sentences(*run)
        self.post_message(self.SelectionChanged(after))
        self.refresh_bindings()

    def clear_selection(self) -> None:
        self._set_selection(None)

    def show_original(self, text: str) -> None:
        if self.article is None:
            return
        self.original = text
        self._relayout(force=True)
        self.scroll_to(y=0, animate=False)
        self._post_view()

    def hide_original(self) -> None:
        if self.original is None:
            return
        self.original = None
        self._relayout(force=True)
        self._scroll_into_view(center=True)
        self._post_view()

    @property
    def plain_lines(self) -> list[str]:
        """The laid-out lines as text (for tests and the overview)."""
        return self._layout.plain if self._layout else []

    def line_kinds(self) -> list[tuple[str, str]]:
        return [(line.kind, line.text) for line in self._layout.lines] if self._layout else []

    # -- layout and rendering ------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(1, self.scrollable_content_region.width)

    def _relayout(self, force: bool = False) -> None:
        width = self._text_width()
        if not force and width == self._layout_width:
            return
        self._layout_width = width
        if self.article is None:
            self._layout = layout_message(self.message, width)
        elif self.original is not None:
            self._layout = layout_original(self.original, self.article.removed, width)
        else:
            self._layout = layout_article(self.article, width)
        self._index_notes()
        self._cache.clear()
        self.virtual_size = Size(width, len(self._layout.lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        height = self.scrollable_content_region.height
        if self.scrollable_content_region.width != self._layout_width:
            self._relayout()
            if self.article is not None and self.original is None:
                self._scroll_into_view(center=True)
        elif height != self._height and self.article is not None and self.original is None:
            self._scroll_into_view()  # the note panel came or went: keep the sentence in view
        self._height = height
        self._post_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            if name == "base":
                style = self.rich_style
            else:
                style = self.get_component_rich_style(f"reader--{name}", default=Style())
            self._styles[name] = style
        return style

    def _current_span(self) -> tuple[int, int] | None:
        if self.article is None or self.original is not None:
            return None
        sentences = self._sentences
        if not sentences:
            return None
        s = sentences[min(self.sentence, len(sentences) - 1)]
        return s.start, s.end

    def _selection_span(self) -> tuple[int, int] | None:
        run = self.selection
        if run is None or self.original is not None or not self._sentences:
            return None
        return self._sentences[run[0]].start, self._sentences[run[1]].end

    def _render(
        self,
        y: int,
        line: Line,
        current: tuple[int, int] | None,
        selected: tuple[int, int] | None = None,
    ) -> Strip:
        def overlaps(span: tuple[int, int] | None) -> bool:
            return (
                span is not None and line.start >= 0 and line.start < span[1] and line.end > span[0]
            )

        marked = overlaps(current) or overlaps(selected)
        if not marked and y in self._cache:
            return self._cache[y]
        assert self._layout is not None
        margin = self._layout.margin
        prefix = margin + line.indent
        if y in self._note_lines and margin >= 2:
            text = Text(" " * (margin - 2), no_wrap=True, end="")
            text.append(NOTE_MARK, style=self._style("note-mark"))
            text.append(" " * (prefix - margin + 1))
        else:
            text = Text(" " * prefix, no_wrap=True, end="")
        kind_style = self._style(line.kind) if line.kind != "blank" else Style()
        text.append(line.text, style=kind_style)
        if line.start >= 0:
            lo, hi = line.start, line.end
            for a, b in self._note_spans:
                if b <= lo:
                    continue
                if a >= hi:
                    break
                text.stylize(
                    self._style("noted"), prefix + max(a, lo) - lo, prefix + min(b, hi) - lo
                )
            for span, style in ((selected, "selected"), (current, "current")):
                if overlaps(span) and span is not None:
                    a, b = max(lo, span[0]), min(hi, span[1])
                    text.stylize(self._style(style), prefix + a - lo, prefix + b - lo)
            for a, b in self.hits:
                if b <= lo:
                    continue
                if a >= hi:
                    break
                text.stylize(self._style("hit"), prefix + max(a, lo) - lo, prefix + min(b, hi) - lo)
        tags = self._line_tags.get(y)
        if tags:
            self._append_tags(text, tags, margin)
        strip = Strip(list(text.render(self.app.console)), text.cell_len).apply_style(
            self._style("base")
        )
        if not marked:
            self._cache[y] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        number = scroll_y + y
        layout = self._layout
        base = self._style("base")
        if layout is None or number >= len(layout.lines):
            return Strip.blank(width, base)
        strip = self._render(
            number, layout.lines[number], self._current_span(), self._selection_span()
        )
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _append_tags(self, text: Text, tags: str, margin: int) -> None:
        """A note's tags beside the first line of its passage: in the right margin when there
        is room for them there, else just after the text if the line has room."""
        width = self._layout_width
        if margin >= 8:
            column, room = width - margin + 2, margin - 3
        else:
            column, room = text.cell_len + 2, width - text.cell_len - 2
        if room < 4:
            return
        if len(tags) > room:
            tags = tags[: room - 1].rstrip() + "…"
        text.append(" " * max(1, column - text.cell_len))
        text.append(tags, style=self._style("note-tags"))

    # -- the current sentence ------------------------------------------------------------------

    def go_to_sentence(
        self, sentence: int, force: bool = False, center: bool = False, keep_view: bool = False
    ) -> None:
        """Make ``sentence`` current, repaint the lines that change and keep it in view
        (``keep_view``: do not scroll if it is on screen at all, as after a page key)."""
        if self.article is None:
            return
        if self.original is not None:
            self.hide_original()
        count = self.sentence_count
        sentence = max(0, min(sentence, count - 1)) if count else 0
        if sentence == self.sentence and not force:
            return
        before = self.selection
        self._refresh_sentence(self.sentence)
        self.sentence = sentence
        self._refresh_sentence(sentence)
        if before is not None:
            after = self.selection
            self._refresh_sentences(*before)
            if after is not None and after != before:
                self._refresh_sentences(*after)
                self.post_message(self.SelectionChanged(after))
        if not (keep_view and self._visible(sentence)):
            self._scroll_into_view(center=center)
        self.post_message(self.PositionChanged(self, self.article.id, sentence, count))
        self._post_view()

    def _refresh_sentence(self, sentence: int) -> None:
        layout = self._layout
        if layout is None or not (0 <= sentence < len(layout.sentence_lines)):
            return
        first, last = layout.sentence_lines[sentence]
        self.refresh_lines(first, last - first + 1)

    def _refresh_sentences(self, first: int, last: int) -> None:
        layout = self._layout
        if layout is None or not layout.sentence_lines:
            return
        n = len(layout.sentence_lines)
        top = layout.sentence_lines[max(0, min(first, n - 1))][0]
        bottom = layout.sentence_lines[max(0, min(last, n - 1))][1]
        self.refresh_lines(top, bottom - top + 1)

    def _scroll_into_view(self, center: bool = False) -> None:
        """Scroll only when the current sentence nears an edge; then give it room around it
        (a third of the view above), so reading on does not scroll at every sentence."""
        layout = self._layout
        if layout is None or not (0 <= self.sentence < len(layout.sentence_lines)):
            return
        first, last = layout.sentence_lines[self.sentence]
        if self.sentence == 0:
            first = 0  # show the title with the first sentence
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        margin = 1 if height < 12 else 2
        size = last - first + 1
        if size > height - 2 * margin:  # taller than the view: its start in the upper third
            comfortable = top <= first <= top + height // 3
        else:
            comfortable = first >= top + min(margin, first) and last <= top + height - 1 - margin
        if comfortable and not center:
            return
        if size >= height - 2 * margin:
            target = first - margin
        else:
            target = first - max(margin, (height - size) // 3)
        self.scroll_to(y=max(0, min(target, self.max_scroll_y)), animate=False)

    def _visible(self, sentence: int) -> bool:
        layout = self._layout
        if layout is None or not (0 <= sentence < len(layout.sentence_lines)):
            return False
        first, last = layout.sentence_lines[sentence]
        top = round(self.scroll_y)
        return last >= top and first < top + max(1, self.scrollable_content_region.height)

    def _first_sentence_from(self, line: int) -> int:
        layout = self._layout
        assert layout is not None
        for i, (first, _last) in enumerate(layout.sentence_lines):
            if first >= line:
                return i
        return max(0, len(layout.sentence_lines) - 1)

    def _sentence_at_line(self, line: int) -> int | None:
        layout = self._layout
        if layout is None:
            return None
        for i, (first, last) in enumerate(layout.sentence_lines):
            if first <= line <= last:
                return i
        return None

    # -- the view map for the overview strip ---------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._post_view()

    # The scrollbars (hidden, but taking room) come after the first layout and change the height
    # of the view without a Resize: tell the overview, or it keeps the first paint's view.
    def watch_show_vertical_scrollbar(self) -> None:
        self.call_after_refresh(self._post_view)

    def watch_show_horizontal_scrollbar(self) -> None:
        self.call_after_refresh(self._post_view)

    def _post_view(self) -> None:
        layout = self._layout
        if layout is None:
            return
        current = None
        if self.original is None and 0 <= self.sentence < len(layout.sentence_lines):
            current = layout.sentence_lines[self.sentence]
        hits: tuple[int, ...] = ()
        if self.original is None and self.article is not None:
            hits = tuple(sorted({layout.line_of_offset(a) for a, _ in self.hits}))
        view = ViewMap(
            total=len(layout.lines),
            top=round(self.scroll_y),
            height=self.scrollable_content_region.height,
            current=current,
            hits=hits,
            notes=tuple(sorted(self._note_lines)) if self.original is None else (),
        )
        if view != self._last_view:
            self._last_view = view
            self.post_message(self.ViewChanged(view))

    def scroll_to_fraction(self, fraction: float) -> None:
        """Jump to a place given as a fraction of the article (a click on the overview)."""
        layout = self._layout
        if layout is None:
            return
        line = int(fraction * len(layout.lines))
        if self.original is not None or self.article is None:
            self.scroll_to(
                y=max(0, line - self.scrollable_content_region.height // 2), animate=False
            )
            return
        self.go_to_sentence(self._first_sentence_from(line), center=True)

    # -- mouse ---------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if self.article is None or self.original is not None:
            return
        sentence = self._sentence_at_line(round(self.scroll_y) + event.y)
        if sentence is not None:
            self.go_to_sentence(sentence)

    # -- actions -------------------------------------------------------------------------------

    def _scroll_lines(self, lines: int) -> None:
        self.scroll_to(
            y=max(0, min(self.max_scroll_y, round(self.scroll_y) + lines)), animate=False
        )

    def _resume_in_view(self) -> bool:
        """After the wheel moved the view away, j/k start from what is on screen."""
        if self.article is None or self._layout is None or self._visible(self.sentence):
            return False
        self.go_to_sentence(self._first_sentence_from(round(self.scroll_y)))
        return True

    def action_next_sentence(self) -> None:
        if self.original is not None:
            self._scroll_lines(1)
        elif not self._resume_in_view():
            self.go_to_sentence(self.sentence + 1)

    def action_previous_sentence(self) -> None:
        if self.original is not None:
            self._scroll_lines(-1)
        elif not self._resume_in_view():
            self.go_to_sentence(self.sentence - 1)

    def _block_starts(self) -> list[int]:
        """The id of the first sentence of every block that has sentences."""
        starts: list[int] = []
        if self.article is None:
            return starts
        n = 0
        for block in self.article.blocks:
            if block.sentences:
                starts.append(n)
                n += len(block.sentences)
        return starts

    def action_next_paragraph(self) -> None:
        if self.original is not None:
            self._scroll_lines(max(1, self.scrollable_content_region.height // 2))
            return
        later = [s for s in self._block_starts() if s > self.sentence]
        self.go_to_sentence(later[0] if later else self.sentence_count - 1)

    def action_previous_paragraph(self) -> None:
        if self.original is not None:
            self._scroll_lines(-max(1, self.scrollable_content_region.height // 2))
            return
        earlier = [s for s in self._block_starts() if s < self.sentence]
        self.go_to_sentence(earlier[-1] if earlier else 0)

    def action_next_page(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if self.original is not None or self.article is None:
            self._scroll_lines(height - 1)
            return
        if top >= self.max_scroll_y:
            self.go_to_sentence(self.sentence_count - 1)
            return
        new_top = min(self.max_scroll_y, top + height - 1)
        self.scroll_to(y=new_top, animate=False)
        target = self._first_sentence_from(new_top)
        self.go_to_sentence(max(target, self.sentence + 1), keep_view=True)

    def action_previous_page(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if self.original is not None or self.article is None:
            self._scroll_lines(-(height - 1))
            return
        if top <= 0:
            self.go_to_sentence(0)
            return
        new_top = max(0, top - (height - 1))
        self.scroll_to(y=new_top, animate=False)
        target = self._first_sentence_from(new_top)
        self.go_to_sentence(min(target, max(0, self.sentence - 1)), keep_view=True)

    def action_first_sentence(self) -> None:
        if self.original is not None:
            self.scroll_to(y=0, animate=False)
        else:
            self.go_to_sentence(0)

    def action_last_sentence(self) -> None:
        if self.original is not None:
            self.scroll_to(y=self.max_scroll_y, animate=False)
        else:
            self.go_to_sentence(self.sentence_count - 1)

    def action_next_article(self) -> None:
        self.post_message(self.ArticleRequested(1))

    def action_previous_article(self) -> None:
        self.post_message(self.ArticleRequested(-1))

    def action_next_hit(self) -> None:
        self.post_message(self.HitRequested(1))

    def action_previous_hit(self) -> None:
        self.post_message(self.HitRequested(-1))

    def citation(self) -> str | None:
        """The current sentence with its title, outlet and sentence number."""
        article = self.article
        if article is None or not article.sentences:
            return None
        s = article.sentences[min(self.sentence, len(article.sentences) - 1)]
        source = [display_text(article.title)]
        if article.byline:
            source.append(display_text(article.byline))
        source.append(f"sentence {s.id + 1} of {len(article.sentences)}")
        return f"“{display_text(s.text)}”\n— {', '.join(source)}"

    def action_copy_sentence(self) -> None:
        citation = self.citation()
        if citation is None:
            self.notify("Nothing to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(citation)
        self.notify("Copied the sentence with its citation.", timeout=2)

    def action_toggle_original(self) -> None:
        if self.article is None:
            return
        if self.original is not None:
            self.hide_original()
        else:
            self.post_message(self.OriginalRequested(self.article.id))

    # -- notes: the screen writes them; the reader says what the person asked for ---------------

    def _can_annotate(self) -> bool:
        if self.article is None or not self._sentences:
            self.notify("Open an article first.", timeout=2)
            return False
        if self.original is not None:
            self.hide_original()
        return True

    def action_annotate(self) -> None:
        if not self._can_annotate():
            return
        assert self.article is not None
        first, last = self.selection or (self.sentence, self.sentence)
        self.post_message(self.AnnotateRequested(self.article, first, last))

    def action_select(self) -> None:
        if not self._can_annotate():
            return
        self._set_selection(None if self.selection_start is not None else self.sentence)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_selection":  # otherwise escape goes on to the screen
            return self.selection_start is not None
        return True

    def action_clear_selection(self) -> None:
        self._set_selection(None)

    def _note_here(self, verb: str) -> Note | None:
        notes = self.notes_here
        if not notes:
            self.notify(f"No note here to {verb}: m goes to the next note.", timeout=3)
            return None
        return notes[0]

    def action_edit_note(self) -> None:
        note = self._note_here("edit")
        if note is not None:
            self.post_message(self.NoteEditRequested(note))

    def action_delete_note(self) -> None:
        note = self._note_here("delete")
        if note is not None:
            self.post_message(self.NoteDeleteRequested(note))

    def action_undo_delete(self) -> None:
        self.post_message(self.NoteUndoRequested())

    def action_next_note(self) -> None:
        self.post_message(self.NoteJumpRequested(1))

    def action_previous_note(self) -> None:
        self.post_message(self.NoteJumpRequested(-1))
