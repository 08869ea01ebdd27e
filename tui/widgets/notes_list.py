"""The Notes tab: every note of the library grouped by article, in reading order (or newest
first), with a filter, and the notes deleted lately at the end, to bring back.

Orphaned notes (their sentence could not be found again after the article changed) have their own
group at the top, with their quote, so they are seen and can be re-attached (``r``) to the
sentence the reader is on. The notes are handed down; what the person does goes up as messages.
What the tab lets through and in what order (its notes, sort and filters) is its part
``NotesFilter``'s (``notes_filter.py``); the notes' lines, kept from one fill to the next, are
``NotePrompts``' (``notes_prompts.py``). Filtering and sorting happen on the notes already in
memory: never in the back end.
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

from .lists import KeyList
from .notes_filter import DELETED, EMPTY, ORPHANED, NotesFilter
from .notes_prompts import NotePrompts

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from glossator.index.library import ArticleInfo
    from glossator.index.notes import Note
    from glossator.index.review import Scope

LISTED = 400  # notes in the list at most (each is a few lines to lay out, on the event loop)


class NoteOptions(KeyList):
    """The list itself; up from its top goes back to the filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Go to the note's sentence", show=False, id="notes.open"),
        Binding("e", "ask('edit')", "Edit", id="notes.edit"),
        Binding("d", "ask('delete')", "Delete", id="notes.delete", tooltip="u brings it back"),
        Binding("u", "ask('undo')", "Undo deleting", show=False, id="notes.undo"),
        Binding(
            "r",
            "ask('reattach')",
            "Re-attach / restore",
            id="notes.reattach",
            tooltip="an orphan to the sentence (or the selection) the reader is on; "
            "a deleted note back where it was",
        ),
        Binding(
            "s", "ask('sort')", "Sort", id="notes.sort", tooltip="reading order or newest first"
        ),
        Binding(
            "c",
            "ask('current')",
            "This article",
            id="notes.current",
            tooltip="only the notes of the article being read, or all",
        ),
        Binding(
            "t",
            "ask('kind')",
            "Kind",
            id="notes.kind",
            tooltip="notes and highlights, notes only, highlights only",
        ),
        Binding(
            "l",
            "ask('label')",
            "Labels",
            id="notes.label",
            tooltip="of the highlighted note: 1–9 in the codebook put a label on or take it off; "
            "@name in the filter shows a label's notes",
        ),
        Binding(
            "R",
            "ask('review')",
            "Review these",
            id="notes.review",
            tooltip="a review session of the notes shown (what the filter, c and t let through)",
        ),
    ]

    def _host(self) -> NotesList | None:
        parent = self.parent
        return parent if isinstance(parent, NotesList) else None

    def action_cursor_up(self) -> None:
        enabled = [i for i, o in enumerate(self.options) if not o.disabled]
        host = self._host()
        at_top = not enabled or self.highlighted is None or self.highlighted <= enabled[0]
        if at_top and host is not None:
            host.focus_filter()
            return
        super().action_cursor_up()

    def on_resize(self) -> None:
        host = self._host()
        if host is not None:
            host.refit()  # prompts are wrapped to the list's width by hand

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        host = self._host()
        if action == "ask" and host is not None and parameters:
            return host.can(str(parameters[0]))
        return True

    def action_ask(self, what: str) -> None:
        host = self._host()
        if host is not None:
            host.do(what)


class NotesList(Vertical):
    """Posts ``NoteChosen`` (enter) and ``Requested`` (e, d, u, r on the highlighted note) to
    its ``owner`` (the notes' requests part, which handles them) when it has one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "focus_list", "Down to the notes", show=False, id="notes.down"),
    ]

    class NoteChosen(Message):
        def __init__(self, note: Note) -> None:
            super().__init__()
            self.note = note

    class Requested(Message):
        """``action`` ("edit", "delete", "label", "undo", "reattach" or "restore") for
        ``note``."""

        def __init__(self, action: str, note: Note | None) -> None:
            super().__init__()
            self.action, self.note = action, note

    class ReviewRequested(Message):
        """Review the notes shown."""

        def __init__(self, scope: Scope) -> None:
            super().__init__()
            self.scope = scope

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filter = NotesFilter()  # its notes, sort and filters
        self.prompts = NotePrompts()  # the notes' lines, kept from the last fill
        self.shown: list[Note] = []  # in list order, after filtering
        self.colours: dict[str, str] = {}  # label name, casefolded -> colour (hex)
        self.owner: MessagePump | None = None  # where its requests go (up from it when None)
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter: words, #tags, @labels", id="notes-filter", compact=True)
        yield Static(EMPTY, id="notes-summary", classes="panel-note", markup=False)
        yield NoteOptions(id="notes-list", markup=False)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#notes-filter", Input)

    @property
    def options(self) -> NoteOptions:
        return self.query_one(NoteOptions)

    @property
    def notes(self) -> list[Note]:
        return self.filter.notes

    @property
    def deleted(self) -> list[Note]:
        return self.filter.deleted

    @property
    def summary(self) -> str:
        return str(self.query_one("#notes-summary", Static).content)

    def focus_filter(self) -> None:
        self.screen.set_focus(self.filter_input)

    def focus_list(self) -> None:
        self.screen.set_focus(self.options)

    def action_focus_list(self) -> None:
        """down from the filter: into the list, at its first note."""
        if self.shown:
            self.options.action_first()
        self.focus_list()

    # -- data down -------------------------------------------------------------------------------

    def set_notes(
        self, notes: Sequence[Note], deleted: Sequence[Note], articles: Sequence[ArticleInfo]
    ) -> None:
        self.filter.set_notes(notes, deleted, articles)
        self._fill()

    def set_label_colours(self, colours: dict[str, str]) -> None:
        if colours != self.colours:
            self.colours = dict(colours)
            self._fill()

    def set_current(self, article_id: str | None) -> None:
        self.filter.current = article_id
        if self.filter.only_current:
            self._fill()

    def groups(self) -> list[tuple[str, list[Note]]]:
        """(heading, notes) in list order: the notes the filter lets through
        (``NotesFilter.groups``)."""
        return self.filter.groups(self.filter_input.value)

    def _list_width(self) -> int:
        options = self.options
        scrollbar = options.styles.scrollbar_size_vertical
        return max(0, options.size.width - options.styles.gutter.width - scrollbar)

    def refit(self) -> None:
        width = self._list_width()
        if (self.notes or self.deleted) and width and width != self._width:
            self._fill()

    def _fill(self) -> None:
        option_list = self.options
        before = self.highlighted_note
        self._width = width = self._list_width()
        groups = self.groups()
        listed: list[tuple[str, int, list[Note]]] = []  # heading, its notes' number, listed
        self.shown = []
        for heading, notes in groups:
            if len(self.shown) >= LISTED:
                break
            listed.append((heading, len(notes), notes[: LISTED - len(self.shown)]))
            self.shown += listed[-1][2]
        sources = [(n, self.filter.source(h, n)) for h, _count, cut in listed for n in cut]
        prompts = iter(self.prompts.prompts(sources, width, self.colours))
        options: list[Option] = []
        numbered = 0  # the notes listed so far: "note-N" is self.shown[N]
        for heading, count, cut in listed:
            style = {ORPHANED: "bold $text-error", DELETED: "bold $text-muted"}.get(
                heading, "bold $text-accent"
            )
            label = Content.assemble(
                "\n" if options else "", (heading, style), (f"  {count}", "dim")
            )
            options.append(Option(label, id=f"group-{len(options)}", disabled=True))
            for _note in cut:
                options.append(Option(next(prompts), id=f"note-{numbered}"))
                numbered += 1
        unlisted = sum(len(notes) for _heading, notes in groups) - len(self.shown)
        if unlisted > 0:
            more = f"\n… and {unlisted:,} more, not listed: the filter finds them"
            options.append(Option(Content.styled(more, "dim"), id="more", disabled=True))
        option_list.set_options(options)
        self.query_one("#notes-summary", Static).update(
            Content(self.filter.summary(groups, self.filter_input.value))
        )
        if self.shown:
            ids = [n.id for n in self.shown]
            index = ids.index(before.id) if before is not None and before.id in ids else 0
            option_list.highlighted = option_list.get_option_index(f"note-{index}")
        option_list.refresh_bindings()

    # -- what the person does --------------------------------------------------------------------

    @property
    def highlighted_note(self) -> Note | None:
        option = self.options.highlighted_option
        if option is None or not option.id or not option.id.startswith("note-"):
            return None
        index = int(option.id.removeprefix("note-"))
        return self.shown[index] if index < len(self.shown) else None

    def can(self, what: str) -> bool:
        note = self.highlighted_note
        deleted = note is not None and note.deleted is not None
        if what in ("edit", "delete", "label"):
            return note is not None and not deleted
        if what == "reattach":
            return note is not None and (deleted or note.orphaned)
        return True

    def do(self, what: str) -> None:
        note = self.highlighted_note
        if self.filter.toggle(what):  # s, c, t
            self._fill()
        elif what == "undo":
            self.ask(self.Requested("undo", None))
        elif what == "review":
            self._review()
        elif note is not None and self.can(what):
            if what == "reattach" and note.deleted is not None:
                what = "restore"
            self.ask(self.Requested(what, note))

    def ask(self, message: Message) -> None:
        """Post a request to the owner (or up from the list, without one)."""
        (self.owner or self).post_message(message)

    def _review(self) -> None:
        scope = self.filter.scope(self.shown, self.filter_input.value)
        if scope is None:
            self.notify("No notes shown to review: change the filter.", timeout=3)
            return
        self.post_message(self.ReviewRequested(scope))

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
        self.options.refresh_bindings()  # e, d and r depend on the note

    def _choose(self) -> None:
        note = self.highlighted_note
        if note is not None and note.deleted is None:
            self.ask(self.NoteChosen(note))
