"""The first screen: the last screen of the library, drawn from its start-up snapshot with a
handful of widgets, before the main screen (some fifty widgets, a few hundred milliseconds of
styling and layout) is even imported.

It looks like the main screen — the article list on the left, the reader at the same place and
width, the article at the same sentence and row, the marks of its notes — and takes no keys: as
soon as it is painted the app builds the main screen, which shows the same snapshot where this
one showed it and replaces it; keys typed meanwhile wait for the main screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from ..snapshot import Snapshot
from ..widgets.article_row import ROWS_BEFORE, entry_lines
from ..widgets.reader import Reader

NARROW = 100  # columns below which the main screen starts without its sidebar (sidebar.py)
SIDEBAR_WIDTH = 33  # inside the sidebar's right border (app.tcss: Sidebar width 34)
LIST_WIDTH = SIDEBAR_WIDTH - 1  # the article list's text: its scrollbar's column kept
SEARCH_PLACEHOLDER = 'Search: words, "a phrase", AND OR NOT, prefix*, fuzzy~, title:word'
TABS = (("2", "Themes"), ("3", "Notes"), ("4", "Names"))  # after Articles, as sidebar.py has them


def sidebar_text(snap: Snapshot, height: int = 60) -> Content:
    """The Articles tab as the sidebar draws it, from the article before the one read."""
    current = snap.article.id if snap.article else None
    index = next((i for i, a in enumerate(snap.articles) if a.id == current), 0)
    parts: list[Content | str] = [
        Content.assemble(  # the sidebar's tabs: each label its key, then its name
            ("1", "$text-accent"),
            ("Articles", "bold"),
            *[part for key, name in TABS for part in (" ", (key, "$text-accent"), name)],
            "\n",
        ),
        Content.styled("━" * 10, "$accent") + "\n\n",
        Content.styled(" Filter: words of a title", "dim") + "\n\n",
    ]
    for n, info in enumerate(snap.articles[max(0, index - ROWS_BEFORE) :][:height]):
        if n:
            parts.append(Content.styled("─" * LIST_WIDTH, "dim") + "\n")
        for line in entry_lines(info, info.id == current, LIST_WIDTH):
            parts.append(line + "\n")
    return Content("").join(parts)


class FirstScreen(Screen[None]):
    """The snapshot's article list and article, until the main screen replaces it."""

    class Painted(Message):
        """The first screen is on the terminal: the app can make the main screen."""

    DEFAULT_CSS = """
    FirstScreen #first-sidebar { width: 34; height: 1fr; border-right: vkey $panel-lighten-1; }
    FirstScreen #first-search { height: 1; background: $panel; color: $text-muted;
        padding: 0 1; }
    FirstScreen #first-overview { width: 1; height: 1fr; background: $panel; }
    FirstScreen #first-status { height: 1; background: $panel; color: $text-muted; }
    FirstScreen #first-status Static { width: 1fr; padding: 0 1; }
    FirstScreen #first-position { text-align: right; }
    FirstScreen #first-footer { height: 1; background: $footer-background; }
    """

    def __init__(self, snap: Snapshot) -> None:
        super().__init__(id="first")
        self.snap = snap
        self.expected_width = 0  # the reader's text width, worked out before the first layout

    def compose(self) -> ComposeResult:
        snap = self.snap
        with Horizontal(id="first-body"):
            if self.app.size.width >= NARROW:  # as the main screen: narrower, no sidebar at first
                yield Static(sidebar_text(snap), id="first-sidebar")
            with Vertical():
                yield Static(SEARCH_PLACEHOLDER, id="first-search", markup=False)
                with Horizontal():
                    yield Reader(id="first-reader")
                    yield Static("", id="first-overview")
        count = next(
            (a.sentences for a in snap.articles if snap.article and a.id == snap.article.id), 0
        )
        position = f"article {snap.index + 1}/{snap.total} · §{snap.sentence + 1}/{count}"
        with Horizontal(id="first-status"):
            yield Static("Opening the library…", markup=False)
            yield Static(position, id="first-position", markup=False)
        yield Static("", id="first-footer")

    def on_mount(self) -> None:
        snap = self.snap
        assert snap.article is not None
        reader = self.query_one(Reader)
        # the width its text will have, from the layout above: laid out for it before the
        # first frame, the article is in that frame (else in the one after the reader's resize)
        columns = self.app.size.width
        width = columns - 1 - (SIDEBAR_WIDTH + 1 if columns >= NARROW else 0)  # the overview: 1
        styles = reader.styles  # its scrollbar's room is kept (reader.tcss)
        reader.expected_width = width - styles.gutter.width - styles.scrollbar_size_vertical
        self.expected_width = reader.expected_width
        reader.show_article(snap.article, snap.local_sentence, row=snap.row)
        reader.set_note_marks(snap.local_marks())
        reader.can_focus = False  # keys wait for the main screen
        self.call_after_refresh(lambda: self.post_message(self.Painted()))
