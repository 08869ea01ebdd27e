"""The Names tab: the people, places and organisations the articles name, most mentioned first
in each kind, with their mentions per article (#N is the article's place in the library);
enter on a name shows its concordance.

The panel computes the list in its own worker (``namelist.names``: cached beside the index,
about a second at 10,000 articles the first time), when the tab is first shown after the
library opened or changed.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from .layout import display_text, wrap_offsets
from .lists import KeyList

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo, Library
    from glossator.index.namelist import Name, NameList

KINDS = (
    ("person", "People"),
    ("place", "Places"),
    ("organisation", "Organisations"),
    ("other", "Other names"),
)
SHOWN_AT_MOST = 300  # names of each kind
ARTICLES_SHOWN = 6  # articles named in an entry (the most mentions first)
INDENT = 2


def name_detail(name: Name, numbers: dict[str, int]) -> str:
    """The articles that mention the name, the most mentions first: "#2 ×5 · #1 ×3 …" (in the
    names' worker: a name of 70,000 articles took 50 ms to sort on the event loop)."""
    places = heapq.nsmallest(
        ARTICLES_SHOWN,
        name.articles.items(),
        key=lambda item: (-item[1], numbers.get(item[0], 0)),
    )
    shown = [f"#{numbers.get(a, 0) or '?'} ×{n}" for a, n in places]
    if len(name.articles) > ARTICLES_SHOWN:
        shown.append(f"+{len(name.articles) - ARTICLES_SHOWN} more")
    return " · ".join(shown)


def name_prompt(name: Name, detail: str, width: int) -> Content:
    """The name, its mentions, then ``detail`` (``name_detail``) wrapped to ``width``."""
    width = max(12, width)
    parts: list[str | tuple[str, str]] = [
        (display_text(name.name), "bold"),
        (f"  {name.mentions}×", "$text-accent"),
    ]
    for a, b in wrap_offsets(detail, width - INDENT):
        parts.append("\n" + " " * INDENT)
        parts.append((detail[a:b], "dim"))
    return Content.assemble(*parts)


def _listed(found: NameList, kind: str | None = None) -> list[Name]:
    """The names the tab lists: at most ``SHOWN_AT_MOST`` of each kind (of ``kind``)."""
    kinds = [k for k, _heading in KINDS] if kind is None else [kind]
    return [name for k in kinds for name in [n for n in found.names if n.kind == k][:SHOWN_AT_MOST]]


class NameOptions(KeyList):
    """The names: enter shows a name's concordance."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            "Concordance",
            id="names.concordance",
            tooltip="every mention of the name, in all its forms",
        ),
    ]


class NamesPanel(Vertical):
    class NameChosen(Message):
        def __init__(self, name: Name) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library: Library | None = None
        self.articles: list[ArticleInfo] = []
        self.names: list[Name] = []  # in the list's order
        self.stale = True
        self._width = 0
        self._found: NameList | None = None
        self._details: dict[int, str] = {}  # name_detail of each name listed, by id

    def compose(self) -> ComposeResult:
        yield Static("", id="names-note", classes="panel-note", markup=False)
        yield NameOptions(id="names-list", markup=False)

    def set_library(self, library: Library, articles: list[ArticleInfo]) -> None:
        self.library, self.articles, self.stale = library, articles, True
        if self.is_on_screen:
            self.refresh_names()

    def on_show(self) -> None:
        if self.stale:
            self.refresh_names()
        elif self._found is not None and self._list_width() != self._width:
            self._fill(self._found)

    def refresh_names(self) -> None:
        if self.library is None:
            self._note("Names appear once the library is open.")
            return
        self.stale = False
        if not self.names:
            self._note("Finding the names in the articles…")
        self._compute(self.library)

    def _note(self, text: str) -> None:
        note = self.query_one("#names-note", Static)
        note.update(Content(text))
        note.display = bool(text)

    @work(thread=True, exclusive=True, group="names", exit_on_error=False)
    def _compute(self, library: Library) -> None:
        from glossator.index import namelist  # the back end: when first shown
        from glossator.index.engine import Cancelled

        worker = get_current_worker()
        try:
            found = namelist.names(library, lambda: worker.is_cancelled)
        except Cancelled:
            return
        numbers = {a.id: i + 1 for i, a in enumerate(self.articles)}
        details = {id(n): name_detail(n, numbers) for n in _listed(found)}
        if not worker.is_cancelled:
            self.app.call_from_thread(self._fill, found, details)

    def _list_width(self) -> int:
        options = self.query_one("#names-list", OptionList)
        styles = options.styles
        return max(0, options.size.width - styles.gutter.width - styles.scrollbar_size_vertical)

    def _fill(self, found: NameList, details: dict[int, str] | None = None) -> None:
        """The names listed (``details``: each one's ``name_detail`` by ``id``; kept for
        filling again at another width)."""
        if details is not None:
            self._details = details
        self._found = found
        self._width = width = self._list_width()
        options: list[Option] = []
        self.names = []
        for kind, heading in KINDS:
            of_kind = _listed(found, kind)
            if not of_kind:
                continue
            title = Content.assemble("\n" if options else "", (heading, "bold $text-accent"))
            options.append(Option(title, id=f"kind-{kind}", disabled=True))
            for name in of_kind:
                prompt = name_prompt(name, self._details.get(id(name), ""), width)
                options.append(Option(prompt, id=f"name-{len(self.names)}"))
                self.names.append(name)
        option_list = self.query_one("#names-list", OptionList)
        before = option_list.highlighted
        option_list.set_options(options)
        if self.names:
            option_list.highlighted = before if before is not None and before < len(options) else 1
        if not found.names:
            self._note("No names found in the articles.")
        elif found.warnings:
            self._note(display_text(found.warnings[0]))
        else:
            self._note("")

    def on_resize(self) -> None:
        if self._found is not None and self._list_width() != self._width:
            self._fill(self._found)

    @property
    def highlighted_name(self) -> Name | None:
        option = self.query_one("#names-list", OptionList).highlighted_option
        if option is None or not option.id or not option.id.startswith("name-"):
            return None
        return self.names[int(option.id.removeprefix("name-"))]

    @on(OptionList.OptionSelected, "#names-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        name = self.highlighted_name
        if name is not None:
            self.post_message(self.NameChosen(name))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.stale = True
            self._note(f"The names could not be found: {display_text(str(error))}")
