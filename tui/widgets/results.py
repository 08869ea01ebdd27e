"""Search results: a header, then the matching sentences grouped by article, matches highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from glossator.index.model import Hit, SearchResult
from glossator.index.textutil import neutralise

from .layout import display_text, plural, wrap_offsets
from .lists import KeyList
from .note_text import note_prompt

if TYPE_CHECKING:
    from glossator.index.notes import Note

MATCH_STYLE = "bold $text-warning underline"
SHOWN_AT_MOST = 1000
FIRST_PAGE = 20  # passages found at once on each keystroke; the rest and the count follow


def header_text(result: SearchResult) -> str:
    found = f"{plural(result.total, 'passage')} in {plural(len(result.articles), 'article')}"
    return found if result.complete else f"{found} so far, counting…"


LABEL_WIDTH = 6


def hit_prompt(hit: Hit, width: int = 0) -> Content:
    """The sentence of ``hit`` with its matches highlighted, wrapped with a hanging indent.

    ``width`` is the width of the list; 0 leaves the wrapping to the list.
    """
    label = "title" if hit.sentence_id < 0 else f"§{hit.sentence_id + 1}"
    text = display_text(hit.text).replace("\n", " ")
    indent = LABEL_WIDTH + 1
    if width > indent + 10:
        spans = wrap_offsets(text, width - indent)
    else:
        spans = [(0, len(text))]
    highlights = [
        (max(0, a), min(len(text), b)) for a, b in hit.highlights if min(len(text), b) > max(0, a)
    ]
    parts: list[str | tuple[str, str]] = []
    for n, (start, end) in enumerate(spans):
        if n:
            parts.append("\n" + " " * indent)
        else:
            parts.append((f"{label:>{LABEL_WIDTH}} ", "dim"))
        pos = start
        for a, b in highlights:
            a, b = max(a, pos), min(b, end)
            if a >= b:
                continue
            parts.append(text[pos:a])
            parts.append((text[a:b], MATCH_STYLE))
            pos = b
        parts.append(text[pos:end])
    return Content.assemble(*parts)


class ResultsList(Vertical):
    """Shows one SearchResult; posts ``PassageSelected`` when a passage is chosen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open the passage", id="results.open"),
        Binding(
            "s",
            "save_theme",
            "Save the search as a theme",
            id="results.save_theme",
            tooltip="asks for a name; it appears under Yours in the Themes tab",
        ),
        Binding(
            "c",
            "concordance",
            "Concordance",
            id="results.concordance",
            tooltip="every occurrence aligned on a line; then p spread, w collocates, "
            "K keywords; escape returns here",
        ),
    ]

    class PassageSelected(Message):
        def __init__(self, hit: Hit, query: str, theme: str | None = None) -> None:
            super().__init__()
            self.hit = hit
            self.query = query
            self.theme = theme  # the theme listed, when these are a theme's passages

    class NoteSelected(Message):
        """A note that matched the search was chosen: go to its sentence."""

        def __init__(self, note: Note, query: str) -> None:
            super().__init__()
            self.note = note
            self.query = query

    class StudyRequested(Message):
        """The concordance of the search shown (or of the theme whose passages are shown)."""

        def __init__(self, query: str, theme: str | None) -> None:
            super().__init__()
            self.query, self.theme = query, theme

    class SaveRequested(Message):
        """Save the search shown as a theme."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.result: SearchResult | None = None
        self.theme: str | None = None  # the name of the theme whose passages are shown
        self._hits: list[Hit] = []
        self._width = 0
        self.notes: list[Note] = []  # notes matching the search, shown first
        self.titles: dict[str, str] = {}  # article titles by id, for the notes (set by the screen)

    def compose(self) -> ComposeResult:
        yield Static("", id="results-header", markup=False)
        yield Static("", id="results-message", markup=False)
        yield KeyList(id="results-options", markup=False)

    def on_mount(self) -> None:
        self.show_message(None)

    def show_message(self, message: str | Content | None, kind: str = "info") -> None:
        """A line under the header about the query: unusable, a suggestion, still indexing."""
        widget = self.query_one("#results-message", Static)
        widget.remove_class("-error", "-info", "-suggestion")
        if not message:
            widget.update("")
            widget.display = False
            return
        if isinstance(message, str):
            message = Content(neutralise(message))
        widget.update(message)
        widget.add_class(f"-{kind}")
        widget.display = True

    @property
    def message(self) -> str:
        widget = self.query_one("#results-message", Static)
        return str(widget.content) if widget.display else ""

    def offer_suggestion(self, query: str, suggestion: str | None) -> None:
        if suggestion:
            message = Content.assemble(
                "Did you mean ",
                (neutralise(suggestion), "bold underline"),
                "? Press enter in the search bar to search for it.",
            )
            self.show_message(message, "suggestion")
        else:
            self.show_message(None)

    @property
    def options(self) -> OptionList:
        return self.query_one("#results-options", OptionList)

    @property
    def header(self) -> str:
        return str(self.query_one("#results-header", Static).content)

    def show_text(self, text: str, message: str | None = None, kind: str = "info") -> None:
        """A header with no results under it (nothing typed yet, indexing, an unusable query),
        and the line under it."""
        self.show_message(message, kind)
        self.result = None
        self.theme = None
        self._hits = []
        self.notes = []
        self.query_one("#results-header", Static).update(Content(neutralise(text)))
        self.options.clear_options()

    def show_result(
        self,
        result: SearchResult,
        theme: str | None = None,
        notes: Sequence[Note] = (),
        keep_place: bool = False,
    ) -> None:
        """Show ``result``: a search's, or the passages of the theme named ``theme``; the
        ``notes`` that match the search too come first, in a group of their own. With
        ``keep_place``, ``result`` completes the one shown (its first screen): the highlighted
        passage and the scroll position stay."""
        self.result = result
        self.theme = theme
        self.notes = list(notes)
        header = Content.assemble((header_text(result), "bold"))
        if theme is not None:
            header = Content.assemble((f"{neutralise(theme)} — ", "bold $text-accent"), header)
        if not result.total:
            header = Content(f"No passages match {neutralise(result.query)!r}.")
            if theme is not None:
                header = Content(f"{neutralise(theme)}: no passages in this library.")
        elif result.complete and result.total > min(len(result.hits), SHOWN_AT_MOST):
            shown = min(len(result.hits), SHOWN_AT_MOST)
            header = header + Content(f"  (the first {shown} shown)")
        if self.notes:
            header = header + Content.assemble((f" · {plural(len(self.notes), 'note')}", "bold"))
        self.query_one("#results-header", Static).update(header)
        self._fill(result, self.options.highlighted if keep_place else None)

    def _fill(self, result: SearchResult, highlighted: int | None = None) -> None:
        counts = {article_id: n for article_id, _title, n in result.articles}
        width = self._list_width()
        self._width = width
        options: list[Option] = []
        self._hits = result.hits[:SHOWN_AT_MOST]
        if self.notes:
            heading = Content.assemble(
                ("Notes", "bold $text-success"), (f"  {plural(len(self.notes), 'note')}", "dim")
            )
            options.append(Option(heading, id="notes-heading", disabled=True))
            for index, note in enumerate(self.notes):
                title = self.titles.get(note.article_id, note.article_id)
                prompt = note_prompt(note, width, f"in: {title}")
                options.append(Option(prompt, id=f"note-{index}"))
        current = None
        for index, hit in enumerate(self._hits):
            if hit.article_id != current:
                current = hit.article_id
                heading = Content.assemble(
                    "\n" if options else "",
                    (neutralise(hit.title), "bold $text-accent"),
                    (f"  {plural(counts.get(hit.article_id, 0), 'passage')}", "dim"),
                )
                options.append(Option(heading, id=f"article-{len(options)}", disabled=True))
            options.append(Option(hit_prompt(hit, width), id=f"hit-{index}"))
        option_list = self.options
        option_list.set_options(options)
        if self._hits or self.notes:
            option_list.highlighted = highlighted if highlighted is not None else 1
            if highlighted is None:
                option_list.scroll_to(y=0, animate=False)

    def _list_width(self) -> int:
        """The width a prompt gets, leaving room for the scrollbar whether or not it shows."""
        options = self.options
        scrollbar = options.styles.scrollbar_size_vertical
        return max(0, options.size.width - options.styles.gutter.width - scrollbar)

    def on_resize(self) -> None:
        if self.result is not None and self._list_width() != self._width:
            self._fill(self.result, self.options.highlighted)

    @property
    def highlighted_hit(self) -> Hit | None:
        option = self.options.highlighted_option
        if option is None or not option.id or not option.id.startswith("hit-"):
            return None
        return self._hits[int(option.id.removeprefix("hit-"))]

    @property
    def highlighted_note(self) -> Note | None:
        option = self.options.highlighted_option
        if option is None or not option.id or not option.id.startswith("note-"):
            return None
        return self.notes[int(option.id.removeprefix("note-"))]

    def focus_list(self) -> None:
        self.screen.set_focus(self.options)

    @on(OptionList.OptionSelected, "#results-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        note = self.highlighted_note
        if note is not None and self.result is not None:
            self.post_message(self.NoteSelected(note, self.result.query))
            return
        hit = self.highlighted_hit
        if hit is not None and self.result is not None:
            self.post_message(self.PassageSelected(hit, self.result.query, self.theme))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_theme":  # a search's results only, not a theme's passages
            return self.result is not None and self.theme is None and not self.result.error
        if action == "concordance":
            return self.result is not None and not self.result.error and bool(self.result.total)
        return True

    def action_concordance(self) -> None:
        result = self.result
        if result is not None and not result.error and result.total:
            self.post_message(self.StudyRequested(result.query, self.theme))

    def action_save_theme(self) -> None:
        if self.result is not None and self.theme is None:
            self.post_message(self.SaveRequested(self.result.query))
