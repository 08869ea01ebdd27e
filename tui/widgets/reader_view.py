"""The view of an article the reader is: one article laid out as lines, the current sentence
marked, search hits highlighted, annotated sentences marked (a bar in the margin, underlined, their
tags beside them), the view kept on the current sentence.

A Line-API widget (a ScrollView rendering one Strip per line, through the public ``render_line``):
the article is wrapped once per width (``layout.py``), and moving the current sentence repaints
only the lines of the old and the new sentence (and of the selection ``v`` started), so j/k stay
instant even in a 5,000-character paragraph. A widget over parts that own their state: what it
shows, laid out, and the strips painted from it are kept by ``reader_lines`` (painting a line is
``reader_paint``'s job); where it is (the current sentence, the run ``v`` selects, the view kept
on them, where a key lands) by ``reader_place``; the article's notes by ``reader_notes``.

Attributes come down from the screen (``show_article``, ``set_hits``, ``set_notes``,
``show_original``); it tells where it is (``PositionChanged``, ``SelectionChanged``,
``ViewChanged``, declared in ``reader_messages``). It has no keys: ``Reader`` (``reader.py``) is
this view with the person's keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, TypeAlias

from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from glossator.index.model import Article, Sentence

from . import reader_messages as messages
from .layout import Layout
from .reader_lines import ReaderLines
from .reader_notes import ReaderNotes
from .reader_paint import MarkRun, NoteMarks, Span
from .reader_place import ReaderPlace

if TYPE_CHECKING:
    from glossator.index.notes import Note


class ArticleView(ScrollView):
    """Shows one article and keeps a current sentence."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"reader--{name}"
        for name in (
            "title byline heading paragraph item quote code current hit chrome original note "
            "noted note-mark note-tags selected highlighted highlight-mark"
        ).split()
    }

    # what it tells, declared in reader_messages (handlers named on_reader_…)
    PositionChanged: TypeAlias = messages.PositionChanged
    ViewChanged: TypeAlias = messages.ViewChanged
    SelectionChanged: TypeAlias = messages.SelectionChanged

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.hits: list[Span] = []  # offsets into article.text, sorted
        self._height = -1
        # the width the reader will have, when known before its first layout (the main
        # screen, from the first screen's reader): an article shown before then is laid out
        # for it at once, so the first frame already has its text
        self.expected_width = 0
        self._lines = ReaderLines(self._component_style, lambda: self.app.console)
        self._place = ReaderPlace(self, lambda: self._lines.layout)
        self._notes = ReaderNotes(self._lines, self._place)

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

    @property
    def sentence(self) -> int:
        """The current sentence (kept by the reader's place)."""
        return self._place.sentence

    @property
    def article(self) -> Article | None:
        return self._lines.article

    @property
    def original(self) -> str | None:
        """The article's file as it was read, when shown instead of the article."""
        return self._lines.original

    @property
    def message(self) -> str:
        """The line shown when there is no article."""
        return self._lines.message

    @property
    def reading(self) -> bool:
        """An article is shown, not its original text."""
        return self._lines.reading

    @property
    def place(self) -> ReaderPlace:
        """Where the view is, and where a key takes it."""
        return self._place

    # -- attributes down -----------------------------------------------------------------------

    @property
    def original_shown(self) -> bool:
        return self.original is not None

    @property
    def sentence_count(self) -> int:
        return len(self._lines.sentences)

    @property
    def sentences(self) -> list[Sentence]:
        """The sentences of the article shown (kept: ``Article.sentences`` builds a list)."""
        return self._lines.sentences

    def show_message(self, message: str) -> None:
        """Show a line of text instead of an article (while opening, or when there is none)."""
        self._lines.show_message(message)
        self._place.count = 0
        self._notes.notes = []
        self.select(None)
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
        self._lines.show_article(article)
        self._place.count = len(self.sentences)
        if not same:
            self._notes.keep_article(article.id)
            self.select(None)
        self.hits = sorted(hits)
        self._place.row = row
        if row is not None and not self.scrollable_content_region.width:
            self._place.sentence = max(0, min(sentence, len(self.sentences) - 1))
            self.tell(self.PositionChanged(self, article.id, self.sentence, len(self.sentences)))
            if self.expected_width > 0:
                self._relayout(force=True, width=self.expected_width)
                self._place.scroll_to_row(row)
            return
        self._relayout(force=True)
        if not same:
            self.scroll_to(y=0, animate=False)
        self.go_to_sentence(sentence, force=True)
        if row is not None:
            self._place.scroll_to_row(row)

    @property
    def current_row(self) -> int | None:
        """The row of the view the current sentence's first line is on: the row it was put at,
        while the person has not moved since."""
        return self._place.current_row

    def row_of(self, sentence: int) -> int | None:
        """The row of the view that ``sentence``'s first line is on (may be off the view)."""
        return self._place.row_of(sentence)

    def set_note_marks(self, marks: Sequence[MarkRun]) -> None:
        """Marks to show before the notes themselves are read (the start-up snapshot's): they
        mark passages but are no notes (nothing to edit or delete); ``set_notes`` ends them."""
        self._notes.mark_snapshot(marks)
        self._repaint()

    def set_hits(self, hits: Sequence[Span]) -> None:
        self.hits = sorted(hits)
        self._repaint()

    def set_notes(self, notes: Sequence[Note]) -> None:
        """The notes to mark: those of the article shown that are tied to its sentences."""
        self._notes.place(notes)
        self._repaint()

    def set_label_colours(self, colours: dict[str, str]) -> None:
        """The codebook's colours (label name, casefolded -> hex), for the gutter."""
        if self._notes.recolour(colours):
            self._repaint()

    def _repaint(self) -> None:
        self._lines.forget()
        self.refresh()
        self._post_view()

    def notes_at(self, sentence: int) -> list[Note]:
        """The notes whose passage holds ``sentence``: the innermost (latest start) first."""
        return self._notes.at(sentence)

    @property
    def notes_here(self) -> list[Note]:
        return self._notes.here

    @property
    def passage_notes(self) -> list[Note]:
        """The notes the marking keys act on (of exactly the run ``v`` selected, if one)."""
        return self._notes.of_passage

    @property
    def noted_sentences(self) -> set[int]:
        """Ids of the sentences that carry a note mark."""
        return self._notes.noted()

    # -- the selection (v): a run of sentences for one note --------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """First and last sentence of the selected run, when ``v`` started one."""
        return self._place.selection

    def select(self, start: int | None) -> None:
        """Select the run of sentences from ``start`` to the current one (None: no run)."""
        if self._place.select(start):
            self.tell(self.SelectionChanged(self._place.selection))
            self.refresh_bindings()

    def clear_selection(self) -> None:
        self.select(None)

    def show_original(
        self, text: str, removed: Sequence[tuple[int, int]] = (), extracted: bool = False
    ) -> None:
        """Show the article's file as it was read, ``removed`` offsets dimmed."""
        if self.article is None:
            return
        self._lines.show_original(text, removed, extracted)
        self._relayout(force=True)
        self.scroll_to(y=0, animate=False)
        self._post_view()

    def hide_original(self) -> None:
        if self.original is None:
            return
        self._lines.hide_original()
        self._relayout(force=True)
        self._place.scroll_into_view(center=True)
        self._post_view()

    @property
    def plain_lines(self) -> list[str]:
        """The laid-out lines as text (for tests and the overview)."""
        return self._layout.plain if self._layout else []

    def line_kinds(self) -> list[tuple[str, str]]:
        return [(line.kind, line.text) for line in self._layout.lines] if self._layout else []

    # -- layout and rendering ------------------------------------------------------------------

    def _relayout(self, force: bool = False, width: int | None = None) -> None:
        """Lay the text out for the view's width (or ``width``, before the view has one)."""
        width = max(1, width or self.scrollable_content_region.width)
        if not force and width == self._lines.width:
            return
        layout = self._lines.lay_out(width)
        self._notes.mark()
        self.virtual_size = Size(width, len(layout.lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        height = self.scrollable_content_region.height
        reading, place = self.reading, self._place
        if self.scrollable_content_region.width != self._lines.width:
            self._relayout()
            if reading and place.row is not None:
                place.scroll_to_row(place.row)
            elif reading:
                place.scroll_into_view(center=True)
        elif height != self._height and reading:
            place.scroll_into_view()  # the note panel came or went: keep the sentence in view
        self._height = height
        self._post_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.forget(styles=True)

    def _component_style(self, name: str) -> Style:
        if name == "base":
            return self.rich_style
        return self.get_component_rich_style(f"reader--{name}", default=Style())

    def _style(self, name: str) -> Style:
        return self._lines.style(name)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        number = scroll_y + y
        layout, base = self._layout, self._style("base")
        if layout is None or number >= len(layout.lines):
            return Strip.blank(width, base)
        selection = self.text_selection
        mouse = selection.get_span(number) if selection is not None else None
        strip = self._lines.view_line(
            number, self.sentence, self.selection, self.hits, mouse, self._mouse_style
        )
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, number)

    def _mouse_style(self) -> Style:
        return self.screen.get_component_rich_style("screen--selection")

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
        moved = self._place.move(sentence, force)
        if moved is None:
            return
        if moved.selection_changed:
            self.tell(self.SelectionChanged(moved.selection))
        self._place.keep_in_view(center=center, keep_view=keep_view)
        self.tell(self.PositionChanged(self, self.article.id, self.sentence, self.sentence_count))
        self._post_view()

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
        view = self._place.view_map(self.hits, self._marks.lines, self.reading)
        if view is not None:
            self.tell(self.ViewChanged(view))

    def scroll_to_fraction(self, fraction: float) -> None:
        """Jump to a place given as a fraction of the article (a click on the overview)."""
        target = self._place.at_fraction(fraction, self.reading)
        if target is not None:
            self.go_to_sentence(target, center=True)

    def on_click(self, event: events.Click) -> None:
        if self.reading and (sentence := self._place.sentence_on_row(event.y)) is not None:
            self.go_to_sentence(sentence)
