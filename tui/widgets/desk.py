"""The main screen's body: the sidebar beside the reading view, and what passes between the two
with no other part involved.

``Desk`` owns which of them shows and where the focus goes between them: an article chosen in
the sidebar opens in the reader, a name its concordance; escape from a theme's passages or a
study view returns to the tab it came from; ``ctrl+b`` hides the sidebar (the focus back in the
reader when it was there); ``/`` goes to a tab's filter, or the search bar; escape goes back to
the reader. The screen's keys ask it, and hands it what both draw (the codebook's colours);
what the sidebar and the reading view say to the rest of the screen goes on up past it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input

from .names import NamesPanel
from .notes_list import NotesList
from .reading import ReadingView
from .sidebar import Sidebar
from .study import StudyView
from .study_pane import Subject

if TYPE_CHECKING:
    from glossator.index.notes import Label


class Desk(Horizontal):
    """The sidebar and the reading view side by side."""

    def compose(self) -> ComposeResult:
        yield Sidebar(id="sidebar")
        yield ReadingView(id="reading-view")

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    @property
    def reading(self) -> ReadingView:
        return self.query_one(ReadingView)

    # -- what the screen hands down and its keys ask --------------------------------------------

    def set_label_colours(self, labels: Iterable[Label]) -> None:
        """The codebook: its colours to the reader, its note panel and the Notes tab."""
        from .labels import colour_map

        colours = colour_map(labels)
        reading = self.reading
        reading.reader.set_label_colours(colours)
        reading.show_note_panel()
        self.sidebar.query_one(NotesList).set_label_colours(colours)

    def search(self) -> None:
        """``/``: a character in a text field, a tab's filter in the sidebar, else the search."""
        focused = self.screen.focused
        if isinstance(focused, Input) and focused is not None:
            focused.insert_text_at_cursor("/")  # "/" typed in a text field is a character
            return
        sidebar = self.sidebar
        if focused is not None and sidebar in focused.ancestors and sidebar.focus_filter():
            return
        self.reading.focus_search()

    def toggle_sidebar(self) -> None:
        """``ctrl+b``: the sidebar hidden or shown; hidden, the focus it had goes to the reader."""
        sidebar = self.sidebar
        sidebar.toggle()
        focused = self.screen.focused
        if not sidebar.display and focused is not None and sidebar in focused.ancestors:
            self.screen.set_focus(self.reading.reader)

    def back(self) -> None:
        """escape: from the search or the sidebar back to the reader, where it was."""
        reading = self.reading
        if reading.searching:
            reading.close_results()
        elif reading.studying:
            reading.close_study()
        elif self.screen.focused is not reading.reader:
            self.screen.set_focus(reading.reader)

    # -- between the sidebar and the reading view ----------------------------------------------

    @on(Sidebar.ArticleChosen)
    def _article_chosen(self, event: Sidebar.ArticleChosen) -> None:
        reading = self.reading
        current = reading.reader.article
        if current is None or current.id != event.article_id:
            reading.open_article(event.article_id, 0)
        reading.show_reader()

    @on(NamesPanel.NameChosen)
    def _name_chosen(self, event: NamesPanel.NameChosen) -> None:
        name = event.name
        subject = Subject(query=name.query, label=name.name)
        self.reading.open_study("concordance", subject, "names")

    @on(ReadingView.ResultsClosed)
    def _results_closed(self, event: ReadingView.ResultsClosed) -> None:
        sidebar = self.sidebar
        if event.theme is not None and sidebar.display and sidebar.active_tab == "themes":
            self.screen.set_focus(sidebar.themes.options)

    @on(StudyView.Closed)
    def _study_closed(self, event: StudyView.Closed) -> None:
        if event.origin in ("names", "themes", "notes", "articles") and self.sidebar.display:
            self.sidebar.show_tab(event.origin)
