"""The Notes tab: every note of the library grouped by article, newest first, with a filter.

Orphaned notes (their sentence could not be found again after the article changed) have their own
group at the top, with their quote, so they are seen and can be re-attached (``r``) to the
sentence the reader is on. The screen hands the notes down; choosing one goes up as a message.
Filtering happens here, on the notes already in memory: it never touches the back end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .layout import display_text, wrap_offsets
from .note_panel import TAG_PATTERN, TAG_STYLE

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo
    from glossator.index.notes import Note

ORPHANED = "Orphaned"
EMPTY = "No notes yet: press a in the reader to annotate the sentence you are on."
TEXT_LINES = 3  # at most this many lines of a note's text in the list
QUOTE_LINES = 2


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def one_line(text: str) -> str:
    return " ".join(display_text(text).split())


def shorten(text: str, width: int, lines: int) -> list[str]:
    """``text`` wrapped to ``width`` in at most ``lines`` lines, the last one ending in … if cut."""
    spans = wrap_offsets(text, max(8, width))
    out = [text[a:b] for a, b in spans[:lines]]
    if len(spans) > lines and out:
        last = out[-1]
        out[-1] = (last[: max(1, width - 1)].rstrip() + "…") if len(last) >= width else last + "…"
    return out


def _tagged(line: str) -> list[str | tuple[str, str]]:
    parts: list[str | tuple[str, str]] = []
    pos = 0
    for match in TAG_PATTERN.finditer(line):
        parts.append(line[pos : match.start()])
        parts.append((match.group(), TAG_STYLE))
        pos = match.end()
    parts.append(line[pos:])
    return parts


def note_prompt(note: Note, width: int, source: str | None = None) -> Content:
    """The note's text (shortened), its tags, the quoted sentence (shortened) and, if given, a
    line saying where it is from."""
    width = max(12, width or 60)
    inner = width - 2
    text_lines = shorten(one_line(note.text), inner, TEXT_LINES)
    parts: list[str | tuple[str, str]] = []
    for n, line in enumerate(text_lines):
        parts.append("\n  " if n else "▌ ")
        parts.extend(_tagged(line))
    shown = " ".join(text_lines)
    missing = [f"#{t}" for t in note.tags if f"#{t}" not in shown]
    if missing:
        for line in shorten(" ".join(missing), inner, 1):
            parts.extend(["\n  ", (line, TAG_STYLE)])
    quote = shorten(f"“{one_line(note.quote)}”", inner, QUOTE_LINES)
    for line in quote:
        parts.extend(["\n  ", (line, "dim italic")])
    if note.status == "moved":
        parts.extend(["\n  ", ("moved: its sentence changed", "dim")])
    if source is not None:
        for line in shorten(one_line(source), inner, 1):
            parts.extend(["\n  ", (line, "dim")])
    return Content.assemble(*parts)


def matches(note: Note, title: str, words: Sequence[str]) -> bool:
    """Every word is in the note's text, quote, tags or article title; ``#w`` is a tag that
    starts with ``w`` (any case)."""
    tags = [t.casefold() for t in note.tags]
    hay = " ".join((note.text, note.quote, title, *note.tags)).casefold()
    for word in words:
        if word.startswith("#") and len(word) > 1:
            if not any(t.startswith(word[1:]) for t in tags):
                return False
        elif word not in hay:
            return False
    return True


class NoteOptions(OptionList):
    """The list itself: enter goes to the note, r re-attaches an orphan, up from the top goes
    back to the filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Go to the note's sentence", show=False, id="notes.open"),
        Binding(
            "r",
            "reattach",
            "Re-attach an orphaned note",
            id="notes.reattach",
            tooltip="to the sentence (or the selection) the reader is on",
        ),
    ]

    def action_cursor_up(self) -> None:
        enabled = [i for i, o in enumerate(self.options) if not o.disabled]
        parent = self.parent
        at_top = not enabled or self.highlighted is None or self.highlighted <= enabled[0]
        if at_top and isinstance(parent, NotesList):
            parent.focus_filter()
            return
        super().action_cursor_up()

    def on_resize(self) -> None:
        parent = self.parent
        if isinstance(parent, NotesList):
            parent.refit()  # prompts are wrapped to the list's width by hand

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reattach":
            parent = self.parent
            note = parent.highlighted_note if isinstance(parent, NotesList) else None
            return note is not None and note.orphaned
        return True

    def action_reattach(self) -> None:
        parent = self.parent
        if isinstance(parent, NotesList):
            parent.reattach_highlighted()


class NotesList(Vertical):
    """Posts ``NoteChosen`` (enter) and ``ReattachRequested`` (r on an orphan)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "focus_list", "Down to the notes", show=False, id="notes.down"),
    ]

    class NoteChosen(Message):
        def __init__(self, note: Note) -> None:
            super().__init__()
            self.note = note

    class ReattachRequested(Message):
        def __init__(self, note: Note) -> None:
            super().__init__()
            self.note = note

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.notes: list[Note] = []
        self.titles: dict[str, str] = {}
        self.order: dict[str, int] = {}
        self.shown: list[Note] = []  # in list order, after filtering
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter: words, #tags", id="notes-filter", compact=True)
        yield Static(EMPTY, id="notes-summary", classes="panel-note", markup=False)
        yield NoteOptions(id="notes-list", markup=False)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#notes-filter", Input)

    @property
    def options(self) -> NoteOptions:
        return self.query_one(NoteOptions)

    @property
    def summary(self) -> str:
        return str(self.query_one("#notes-summary", Static).content)

    def help_nodes(self) -> list:
        return [self, self.options]

    def focus_filter(self) -> None:
        self.screen.set_focus(self.filter_input)

    def action_focus_list(self) -> None:
        """down from the filter: into the list, at its first note."""
        options = self.options
        if self.shown:
            options.action_first()
        self.screen.set_focus(options)

    # -- data down -------------------------------------------------------------------------------

    def set_notes(self, notes: Sequence[Note], articles: Sequence[ArticleInfo]) -> None:
        self.notes = list(notes)
        self.titles = {a.id: a.title for a in articles}
        self.order = {a.id: i for i, a in enumerate(articles)}
        self._fill()

    def title_of(self, note: Note) -> str:
        return self.titles.get(note.article_id) or f"{note.article_id} (no longer in the library)"

    def groups(self) -> list[tuple[str, list[Note]]]:
        """(heading, notes) in list order: orphans first, then articles with the newest note
        first; newest first inside a group. Only the notes the filter lets through."""
        words = [w.casefold() for w in self.filter_input.value.split()]
        numbered = list(enumerate(self.notes))
        numbered.sort(key=lambda p: (p[1].created, p[0]), reverse=True)
        orphans: list[Note] = []
        by_article: dict[str, list[Note]] = {}
        for _i, note in numbered:
            if words and not matches(note, self.title_of(note), words):
                continue
            if note.orphaned:
                orphans.append(note)
            else:
                by_article.setdefault(note.article_id, []).append(note)
        groups = [(ORPHANED, orphans)] if orphans else []
        groups += [(one_line(self.title_of(n[0])), n) for n in by_article.values()]
        return groups

    def _list_width(self) -> int:
        options = self.options
        scrollbar = options.styles.scrollbar_size_vertical
        return max(0, options.size.width - options.styles.gutter.width - scrollbar)

    def refit(self) -> None:
        width = self._list_width()
        if self.notes and width and width != self._width:
            self._fill()

    def _fill(self) -> None:
        option_list = self.options
        before = self.highlighted_note
        self._width = width = self._list_width()
        groups = self.groups()
        options: list[Option] = []
        self.shown = []
        for heading, notes in groups:
            style = "bold $text-error" if heading == ORPHANED else "bold $text-accent"
            label = Content.assemble(
                "\n" if options else "",
                (heading, style),
                (f"  {len(notes)}", "dim"),
            )
            options.append(Option(label, id=f"group-{len(options)}", disabled=True))
            for note in notes:
                title = f"was in: {self.title_of(note)}" if note.orphaned else None
                options.append(
                    Option(note_prompt(note, width, title), id=f"note-{len(self.shown)}")
                )
                self.shown.append(note)
        option_list.set_options(options)
        self._summarise(groups)
        if self.shown:
            ids = [n.id for n in self.shown]
            index = ids.index(before.id) if before is not None and before.id in ids else 0
            option_list.highlighted = option_list.get_option_index(f"note-{index}")

    def _summarise(self, groups: list[tuple[str, list[Note]]]) -> None:
        summary = self.query_one("#notes-summary", Static)
        if not self.notes:
            summary.update(Content(EMPTY))
            return
        orphans = sum(len(n) for h, n in groups if h == ORPHANED)
        shown = len(self.shown)
        text = plural(len(self.notes), "note")
        if self.filter_input.value.strip():
            text = f"{shown} of {text} match"
        if orphans:
            text += f" · {orphans} orphaned (r re-attaches)"
        summary.update(Content(text + " · enter opens"))

    # -- what the person does --------------------------------------------------------------------

    @property
    def highlighted_note(self) -> Note | None:
        option = self.options.highlighted_option
        if option is None or not option.id or not option.id.startswith("note-"):
            return None
        index = int(option.id.removeprefix("note-"))
        return self.shown[index] if index < len(self.shown) else None

    @on(Input.Changed, "#notes-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill()

    @on(Input.Submitted, "#notes-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose()

    @on(OptionList.OptionSelected, "#notes-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose()

    @on(OptionList.OptionHighlighted, "#notes-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.options.refresh_bindings()  # r applies to orphans only

    def _choose(self) -> None:
        note = self.highlighted_note
        if note is not None:
            self.post_message(self.NoteChosen(note))

    def reattach_highlighted(self) -> None:
        note = self.highlighted_note
        if note is not None and note.orphaned:
            self.post_message(self.ReattachRequested(note))
