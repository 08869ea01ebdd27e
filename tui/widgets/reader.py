"""The reader: one article laid out as lines, the current sentence marked, search hits highlighted,
annotated sentences marked (a bar in the margin, underlined, their tags beside them).

A Line-API widget (a ScrollView rendering one Strip per line, through the public ``render_line``):
the article is wrapped once per width (``layout.py``), and moving the current sentence repaints
only the lines of the old and the new sentence (and of the selection ``v`` started), so j/k stay
instant even in a 5,000-character paragraph. Painting a line is ``reader_paint``'s job. The
laid-out lines and their strips are kept by ``reader_lines``, the article's notes by
``reader_notes``; the reader's messages are declared in ``reader_messages``.

Attributes come down from the screen (``show_article``, ``set_hits``, ``set_notes``,
``show_original``); what the reader cannot do alone goes up as messages (another article, another
hit, the original text, writing, editing, deleting or finding a note).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, TypeAlias

from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from glossator.index.model import Article, Sentence

from . import reader_messages as messages
from . import reader_nav as nav
from .layout import Layout
from .reader_keys import READER_BINDINGS
from .reader_lines import ReaderLines
from .reader_nav import ViewMap
from .reader_notes import ReaderNotes
from .reader_paint import MarkRun, NoteMarks, Span
from .reader_text import citation

if TYPE_CHECKING:
    from glossator.index.notes import Note


class Reader(ScrollView, can_focus=True):
    """Shows one article and keeps a current sentence."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"reader--{name}"
        for name in (
            "title byline heading paragraph item quote code current hit chrome original note "
            "noted note-mark note-tags selected highlighted highlight-mark"
        ).split()
    }
    BINDINGS: ClassVar[list[BindingType]] = READER_BINDINGS

    # its messages, declared in reader_messages (handlers named on_reader_…)
    PositionChanged: TypeAlias = messages.PositionChanged
    ViewChanged: TypeAlias = messages.ViewChanged
    Stepped: TypeAlias = messages.Stepped
    OriginalRequested: TypeAlias = messages.OriginalRequested
    DetailsRequested: TypeAlias = messages.DetailsRequested
    AnnotateRequested: TypeAlias = messages.AnnotateRequested
    NoteActionRequested: TypeAlias = messages.NoteActionRequested
    NoteUndoRequested: TypeAlias = messages.NoteUndoRequested
    MarkRequested: TypeAlias = messages.MarkRequested
    LinkRequested: TypeAlias = messages.LinkRequested
    StudyRequested: TypeAlias = messages.StudyRequested
    SelectionChanged: TypeAlias = messages.SelectionChanged

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.sentence = 0
        self.hits: list[Span] = []  # offsets into article.text, sorted
        self.original: str | None = None  # shown instead of the article when set
        self._removed: list[tuple[int, int]] = []  # offsets in ``original`` not in the article
        self._extracted = False
        self.message = "Opening the library…"
        self.selection_start: int | None = None  # where ``v`` was pressed
        self._sentences: list[Sentence] = []  # article.sentences, kept (the property builds one)
        self._height = -1
        self._styles: dict[str, Style] = {}
        self._last_view: ViewMap | None = None
        # the screen row the current sentence was shown at: kept through the resizes of the
        # first layout (the scrollbars come after it), until the person moves
        self._place_row: int | None = None
        self._notes = ReaderNotes()
        self._lines = ReaderLines(self._style, lambda: self.app.console)

    def tell(self, message: Message) -> None:
        """Post one of the reader's messages as sent by the reader. A message created while
        the reader's parent runs (it called ``show_article``) would name that parent as its
        sender, and Textual stops a message's bubbling at its sender: the screen above would
        never hear that the article, the sentence or the view changed."""
        self.post_message(message.set_sender(self))

    @property
    def notes(self) -> list[Note]:
        """The placed notes of this article."""
        return self._notes.notes

    @property
    def label_colours(self) -> dict[str, str]:
        """Label name, casefolded -> colour (hex)."""
        return self._notes.label_colours

    @property
    def _layout(self) -> Layout | None:
        return self._lines.layout

    @property
    def _marks(self) -> NoteMarks:
        return self._lines.marks

    # -- attributes down -----------------------------------------------------------------------

    @property
    def original_shown(self) -> bool:
        return self.original is not None

    @property
    def sentence_count(self) -> int:
        return len(self._sentences)

    @property
    def sentences(self) -> list[Sentence]:
        """The sentences of the article shown (kept: ``Article.sentences`` builds a list)."""
        return self._sentences

    def show_message(self, message: str) -> None:
        """Show a line of text instead of an article (while opening, or when there is none)."""
        self.article, self._sentences, self.original = None, [], None
        self.message = message
        self._notes.notes = []
        self._set_selection(None)
        self._relayout(force=True)

    def show_article(
        self,
        article: Article,
        sentence: int = 0,
        hits: Sequence[Span] = (),
        row: int | None = None,
    ) -> None:
        """Show ``article`` at ``sentence``; with ``row``, that sentence's first line on that
        row of the view (where it was on screen), else where reading on is comfortable."""
        same = self.article is not None and self.article.id == article.id
        self.article, self._sentences, self.original = article, article.sentences, None
        if not same:
            self._notes.keep_article(article.id)
            self._set_selection(None)
        self.hits = sorted(hits)
        self._place_row = row
        if row is not None and not self.scrollable_content_region.width:
            self.sentence = max(0, min(sentence, len(self._sentences) - 1))
            self.tell(self.PositionChanged(self, article.id, self.sentence, len(self._sentences)))
            return
        self._relayout(force=True)
        if not same:
            self.scroll_to(y=0, animate=False)
        self.go_to_sentence(sentence, force=True)
        if row is not None:
            self._scroll_to_row(row)

    @property
    def current_row(self) -> int | None:
        """The row of the view the current sentence's first line is on: the row it was put at,
        while the person has not moved since."""
        if self._place_row is not None:
            return self._place_row
        return self.row_of(self.sentence)

    def row_of(self, sentence: int) -> int | None:
        """The row of the view that ``sentence``'s first line is on (may be off the view)."""
        layout = self._layout
        if layout is None or not 0 <= sentence < len(layout.sentence_lines):
            return None
        return layout.sentence_lines[sentence][0] - round(self.scroll_y)

    def _scroll_to_row(self, row: int) -> None:
        layout = self._layout
        if layout is None or not 0 <= self.sentence < len(layout.sentence_lines):
            return
        top = layout.sentence_lines[self.sentence][0] - row
        self.scroll_to(y=max(0, min(top, self.max_scroll_y)), animate=False, force=True)

    def set_note_marks(self, marks: Sequence[MarkRun]) -> None:
        """Marks to show before the notes themselves are read (the start-up snapshot's): they
        mark passages but are no notes (nothing to edit or delete); ``set_notes`` ends them."""
        self._notes.mark_snapshot(marks)
        self._index_notes()
        self._repaint()

    def set_hits(self, hits: Sequence[Span]) -> None:
        self.hits = sorted(hits)
        self._repaint()

    def set_notes(self, notes: Sequence[Note]) -> None:
        """The notes to mark: those of the article shown that are tied to its sentences."""
        article_id = self.article.id if self.article is not None else None
        self._notes.place(notes, article_id, len(self._sentences))
        self._index_notes()
        self._repaint()

    def set_label_colours(self, colours: dict[str, str]) -> None:
        """The codebook's colours (label name, casefolded -> hex), for the gutter."""
        if self._notes.recolour(colours):
            self._index_notes()
            self._repaint()

    def _repaint(self) -> None:
        self._lines.forget()
        self.refresh()
        self._post_view()

    def _index_notes(self) -> None:
        layout = self._layout
        if layout is None or self.original is not None:
            self._lines.marks = NoteMarks()
        else:
            self._lines.marks = self._notes.marks(self._sentences, layout)

    def notes_at(self, sentence: int) -> list[Note]:
        """The notes whose passage holds ``sentence``: the innermost (latest start) first."""
        return self._notes.at(sentence, len(self._sentences))

    @property
    def notes_here(self) -> list[Note]:
        if self.article is None or self.original is not None:
            return []
        return self.notes_at(self.sentence)

    @property
    def noted_sentences(self) -> set[int]:
        """Ids of the sentences that carry a note mark."""
        return self._notes.noted(len(self._sentences))

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
        self.tell(self.SelectionChanged(after))
        self.refresh_bindings()

    def clear_selection(self) -> None:
        self._set_selection(None)

    def show_original(
        self, text: str, removed: Sequence[tuple[int, int]] = (), extracted: bool = False
    ) -> None:
        """Show the article's file as it was read, ``removed`` offsets dimmed."""
        if self.article is None:
            return
        self.original, self._removed, self._extracted = text, list(removed), extracted
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

    def _relayout(self, force: bool = False) -> None:
        width = max(1, self.scrollable_content_region.width)
        if not force and width == self._lines.width:
            return
        layout = self._lines.lay_out(
            width, self.article, self.message, self.original, self._removed, self._extracted
        )
        self._index_notes()
        self.virtual_size = Size(width, len(layout.lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        height = self.scrollable_content_region.height
        reading = self.article is not None and self.original is None
        if self.scrollable_content_region.width != self._lines.width:
            self._relayout()
            row = self._place_row
            if reading and row is not None:
                self._scroll_to_row(row)
            elif reading:
                self._scroll_into_view(center=True)
        elif height != self._height and reading:
            self._scroll_into_view()  # the note panel came or went: keep the sentence in view
        self._height = height
        self._post_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._lines.forget()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            if name == "base":
                style = self.rich_style
            else:
                style = self.get_component_rich_style(f"reader--{name}", default=Style())
            self._styles[name] = style
        return style

    def _span_of(self, run: tuple[int, int] | None) -> Span | None:
        if run is None or self.original is not None or not self._sentences:
            return None
        last = len(self._sentences) - 1
        return self._sentences[min(run[0], last)].start, self._sentences[min(run[1], last)].end

    def _line_strip(self, number: int) -> Strip:
        current = self._span_of((self.sentence, self.sentence)) if self.article else None
        return self._lines.strip(number, self.hits, current, self._span_of(self.selection))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        number = scroll_y + y
        layout, base = self._layout, self._style("base")
        if layout is None or number >= len(layout.lines):
            return Strip.blank(width, base)
        strip = self._line_strip(number)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(number)) is not None:
            start, end = span
            end = strip.cell_length if end == -1 else end
            select = self.screen.get_component_rich_style("screen--selection")
            strip = Strip.join(
                [strip.crop(0, start), strip.crop(start, end).apply_style(select), strip.crop(end)]
            )
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, number)

    # -- text selected with the mouse (Textual's own selection: ctrl+c copies it) ---------------

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        if self._layout is None:
            return None
        return selection.extract(self._lines.text()), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

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
        if not force:
            self._place_row = None  # moved: resizes keep the sentence in view as usual
        before = self.selection
        self._refresh_sentences(self.sentence, self.sentence)
        self.sentence = sentence
        self._refresh_sentences(sentence, sentence)
        if before is not None:
            after = self.selection
            self._refresh_sentences(*before)
            if after is not None and after != before:
                self._refresh_sentences(*after)
                self.tell(self.SelectionChanged(after))
        if not (keep_view and self._visible(sentence)):
            self._scroll_into_view(center=center)
        self.tell(self.PositionChanged(self, self.article.id, sentence, count))
        self._post_view()

    def _refresh_sentences(self, first: int, last: int) -> None:
        layout = self._layout
        if layout is None or not layout.sentence_lines:
            return
        n = len(layout.sentence_lines)
        top = layout.sentence_lines[max(0, min(first, n - 1))][0]
        bottom = layout.sentence_lines[max(0, min(last, n - 1))][1]
        self.refresh_lines(top, bottom - top + 1)

    def _scroll_into_view(self, center: bool = False) -> None:
        if self._layout is None:
            return
        height, top = self.scrollable_content_region.height, round(self.scroll_y)
        target = nav.scroll_target(self._layout, self.sentence, top, height, center)
        if target is not None:
            self.scroll_to(y=max(0, min(target, self.max_scroll_y)), animate=False)

    def _visible(self, sentence: int) -> bool:
        layout, top = self._layout, round(self.scroll_y)
        height = self.scrollable_content_region.height
        return layout is not None and nav.visible(layout, sentence, top, height)

    def first_sentence_from(self, line: int) -> int:
        """The first sentence that starts on ``line`` or after it (the last one if none)."""
        assert self._layout is not None
        return nav.first_sentence_from(self._layout, line)

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
        sentence = self.sentence if self.original is None and self.article is not None else None
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        view = nav.view_map(layout, sentence, self.hits, self._marks.lines, top, height)
        if view != self._last_view:
            self._last_view = view
            self.tell(self.ViewChanged(view))

    def scroll_to_fraction(self, fraction: float) -> None:
        """Jump to a place given as a fraction of the article (a click on the overview)."""
        self._place_row = None
        layout = self._layout
        if layout is None:
            return
        line = int(fraction * len(layout.lines))
        if self.original is not None or self.article is None:
            half = self.scrollable_content_region.height // 2
            self.scroll_to(y=max(0, line - half), animate=False)
            return
        self.go_to_sentence(self.first_sentence_from(line), center=True)

    def on_click(self, event: events.Click) -> None:
        if self.article is None or self.original is not None:
            return
        if self._layout is None:
            return
        sentence = nav.sentence_at_line(self._layout, round(self.scroll_y) + event.y)
        if sentence is not None:
            self.go_to_sentence(sentence)

    # -- actions -------------------------------------------------------------------------------

    def _scroll_lines(self, lines: int) -> None:
        self._place_row = None
        y = max(0, min(self.max_scroll_y, round(self.scroll_y) + lines))
        self.scroll_to(y=y, animate=False)

    def _resume_in_view(self) -> bool:
        """After the wheel moved the view away, j/k start from what is on screen."""
        if self.article is None or self._layout is None or self._visible(self.sentence):
            return False
        self.go_to_sentence(self.first_sentence_from(round(self.scroll_y)))
        return True

    # The keys' actions take the direction (``step``: 1 on, -1 back) as their bindings say:
    # "sentence(1)" is j, "sentence(-1)" k (reader_keys).

    def action_sentence(self, step: int) -> None:
        if self.original is not None:
            self._scroll_lines(step)
        elif not self._resume_in_view():
            self.go_to_sentence(self.sentence + step)

    def action_paragraph(self, step: int) -> None:
        if self.original is not None:
            self._scroll_lines(step * max(1, self.scrollable_content_region.height // 2))
            return
        starts = nav.block_starts(self.article)
        self.go_to_sentence(nav.paragraph_target(starts, self.sentence, self.sentence_count, step))

    def action_page(self, step: int) -> None:
        self._place_row = None
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if self.original is not None or self.article is None:
            self._scroll_lines(step * (height - 1))
            return
        edge = top >= self.max_scroll_y if step > 0 else top <= 0
        if edge:
            self.go_to_sentence(self.sentence_count - 1 if step > 0 else 0)
            return
        new_top = max(0, min(self.max_scroll_y, top + step * (height - 1)))
        self.scroll_to(y=new_top, animate=False)
        target = self.first_sentence_from(new_top)
        if step > 0:
            self.go_to_sentence(max(target, self.sentence + 1), keep_view=True)
        else:
            self.go_to_sentence(min(target, max(0, self.sentence - 1)), keep_view=True)

    def action_edge(self, step: int) -> None:
        """The top of the article (``step`` -1) or its bottom (1)."""
        if self.original is not None:
            self.scroll_to(y=0 if step < 0 else self.max_scroll_y, animate=False)
        else:
            self.go_to_sentence(0 if step < 0 else self.sentence_count - 1)

    def action_step(self, what: str, step: int) -> None:
        """Another article, search hit or note ("article", "hit", "note"): not the reader's."""
        self.tell(self.Stepped(what, step))

    def action_study(self, view: str) -> None:
        self.post_message(self.StudyRequested(view))

    def citation(self) -> str | None:
        """The current sentence (or the selected run) with its citation."""
        if self.article is None or not self._sentences:
            return None
        first, last = self.selection or (self.sentence, self.sentence)
        return citation(self.article, first, last)

    def action_copy_sentence(self) -> None:
        text = self.citation()
        if text is None:
            self.notify("Nothing to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(text)
        first, last = self.selection or (self.sentence, self.sentence)
        what = "the sentence" if first == last else f"{last - first + 1} sentences"
        self.notify(f"Copied {what} with the citation.", timeout=2)

    def action_toggle_original(self) -> None:
        if self.article is None:
            return
        if self.original is not None:
            self.hide_original()
        else:
            self.tell(self.OriginalRequested(self.article.id))

    # -- notes: written elsewhere; the reader says what the person asked for -------------------

    def _can_annotate(self) -> bool:
        if self.article is None or not self._sentences:
            self.notify("Open an article first.", timeout=2)
            return False
        self.hide_original()
        return True

    def action_details(self) -> None:
        if self.article is not None:
            self.tell(self.DetailsRequested(self.article.id))

    def action_annotate(self) -> None:
        if self._can_annotate():
            assert self.article is not None
            first, last = self.selection or (self.sentence, self.sentence)
            self.tell(self.AnnotateRequested(self.article, first, last))

    def action_mark(self, what: str) -> None:
        if self._can_annotate():
            assert self.article is not None
            first, last = self.selection or (self.sentence, self.sentence)
            notes = self.notes_here
            if self.selection is not None:  # a run chosen with v: the notes of that run
                notes = [n for n in notes if (n.sentence_id, n.last_sentence_id) == (first, last)]
            self.post_message(self.MarkRequested(what, self.article, first, last, notes))

    def action_follow_link(self) -> None:
        if self.article is not None:
            self.post_message(self.LinkRequested())

    def action_link_back(self) -> None:
        self.post_message(self.LinkRequested(back=True))

    def action_select(self) -> None:
        if self._can_annotate():
            self._set_selection(None if self.selection_start is not None else self.sentence)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_selection":  # otherwise escape goes on to the screen
            return self.selection_start is not None
        return True

    def action_clear_selection(self) -> None:
        self._set_selection(None)

    def action_note_action(self, action: str) -> None:
        notes = self.notes_here
        if not notes:
            self.notify(f"No note here to {action}: m goes to the next note.", timeout=3)
            return
        self.tell(self.NoteActionRequested(action, notes))

    def action_undo_delete(self) -> None:
        self.tell(self.NoteUndoRequested())
