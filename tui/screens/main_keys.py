"""The main screen's keys, declared once (every binding carries an id ``<area>.<name>``: ``search``,
``pane`` or ``review``), and the help's sections: the live bindings of the screen, of each part of
it with keys, of the dialogs it opens and of the app. The help screen and the README's key table
are built from these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from ..widgets.notes_list import NotesList
from ..widgets.study_pane import StudyPane
from .help import HelpRow, help_rows

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from .main import MainScreen

MAIN_BINDINGS: list[BindingType] = [
    Binding(
        "/",
        "search",
        "Search",
        id="search.focus",
        tooltip="results update as you type; enter moves to them, escape returns; "
        "in a sidebar tab with a filter, the filter",
        # priority: the focus must move before the keys typed right after "/" are routed
        # (they would reach the reader, where "a" opens the note editor)
        priority=True,
    ),
    Binding(
        "1",
        "show_tab('articles')",
        "Articles",
        show=False,
        id="pane.articles",
        tooltip="the list of articles; enter opens one",
    ),
    Binding(
        "2",
        "show_tab('themes')",
        "Themes",
        show=False,
        id="pane.themes",
        tooltip="curated, discovered and your own; enter lists a theme's passages",
    ),
    Binding("3", "show_tab('notes')", "Notes", show=False, id="pane.notes"),
    Binding(
        "4",
        "show_tab('names')",
        "Names",
        show=False,
        id="pane.names",
        tooltip="people, places and organisations, with their mentions per article",
    ),
    Binding(
        "ctrl+b",
        "toggle_sidebar",
        "Sidebar",
        show=False,
        id="pane.sidebar",
        tooltip="hide or show the sidebar",
    ),
    Binding(
        "R",
        "review",
        "Review",
        show=False,
        id="review.open",
        tooltip="the notes and highlights due today, one card at a time (FSRS); "
        "in the Notes tab, the notes it shows",
    ),
    Binding("escape", "back", "Back to the reader", show=False, id="pane.back"),
    Binding("tab", "app.focus_next", "Next pane", show=False, id="pane.next"),
    Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="pane.previous"),
]


def help_sections(screen: MainScreen) -> list[tuple[str, list[HelpRow]]]:
    """(section title, rows) of the help, from the live bindings of the main screen's parts, the
    dialogs it opens (made here only to be read: each imported when the help is first asked for)
    and the app."""
    from .details import DetailsScreen
    from .label_picker import LabelPicker
    from .link_picker import LinkPicker
    from .note_editor import NoteEditor  # the editor and its TextArea: when first needed
    from .review import ReviewScreen

    notes = screen.query_one(NotesList)
    nodes: list[DOMNode] = [
        screen.reader,
        screen.search_bar,
        screen.results,
        screen.results.options,
        screen.sidebar.themes.options,
        notes,
        notes.options,
        screen.sidebar.names.query_one("#names-list"),
        screen.reading.study,
        *[n for pane in screen.reading.study.query(StudyPane) for n in (pane, pane.options)],
        NoteEditor(""),
        DetailsScreen("", {}, {}, ""),
        LinkPicker(),
        LabelPicker(),
        screen,
        ReviewScreen(),
        screen.app,
    ]
    return help_rows(nodes)
