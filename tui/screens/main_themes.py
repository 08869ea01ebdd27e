"""The main screen's part for themes: loading them, listing a theme's passages, saving a search as
a theme, renaming and deleting the person's own.

``ThemesMixin`` is mixed into ``MainScreen`` (the one place that talks to the back end): every
call into ``index.themes`` runs in a thread worker and comes back as a message; failures are
reported by the screen's ``Worker.StateChanged`` handler (groups ``themes``, ``theme`` and
``user-themes``). Handlers use Textual's naming convention (``on_<message>``), which works from a
plain mixin class.

The themes are loaded when first wanted (the tab shows, the palette opens), not with the library:
counting them and discovering new ones is Python work that would otherwise compete with the first
keys typed after the app opens.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from glossator.index.textutil import neutralise

from ..widgets.results import ResultsList, plural
from ..widgets.themes import ThemesPanel

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo, Library
    from glossator.index.model import SearchResult
    from glossator.index.themes import Theme

    from ..widgets import Reader, SearchBar, Sidebar

WARNINGS_TOLD = 4  # warnings in one notification; the rest are counted

_writing = threading.Lock()  # one change to the user's themes file at a time


# -- messages from the workers -----------------------------------------------------------------


class ThemesLoaded(Message):
    def __init__(
        self, themes: list[Theme], warnings: list[str], select: tuple[str, str] | None
    ) -> None:
        super().__init__()
        self.themes, self.warnings, self.select = themes, warnings, select


class ThemePassagesListed(Message):
    def __init__(self, theme: Theme, result: SearchResult) -> None:
        super().__init__()
        self.theme, self.result = theme, result


@dataclass(frozen=True, slots=True)
class ThemeChange:
    """A change to the person's own themes."""

    action: str  # "add" | "rename" | "delete"
    name: str
    query: str = ""
    description: str = ""
    new_name: str = ""
    undoing: bool = False  # an "add" that brings back a deleted theme


class UserThemesChanged(Message):
    def __init__(self, change: ThemeChange) -> None:
        super().__init__()
        self.change = change


# -- the mixin ---------------------------------------------------------------------------------


if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object


class ThemesMixin(_Base):
    """Themes for ``MainScreen``: mixed in before ``Screen``."""

    themes: tuple[Theme, ...] = ()  # as last loaded, in the order of the Themes tab
    active_theme: str | None = None  # the theme whose hits n/N walk in the reader
    _deleted: ThemeChange | None = None  # what u brings back
    _warnings_told: frozenset[str] = frozenset()
    _themes_wanted = False  # asked for before the library was open
    _themes_worker: Worker | None = None  # the first loading

    if TYPE_CHECKING:  # provided by MainScreen
        library: Library | None
        articles: list[ArticleInfo]
        search_result: SearchResult | None
        _results_wanted: bool

        @property
        def sidebar(self) -> Sidebar: ...
        @property
        def results(self) -> ResultsList: ...
        @property
        def reader(self) -> Reader: ...
        @property
        def search_bar(self) -> SearchBar: ...
        @property
        def searching(self) -> bool: ...
        def _show_results(self) -> None: ...
        def run_search(self, query: str) -> object: ...

    # -- workers -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="themes", exit_on_error=False)
    def load_themes(self, select: tuple[str, str] | None = None) -> list[Theme]:
        """All themes counted (whoosh for the queries, files for the definitions)."""
        from glossator.index.themes import all_themes

        assert self.library is not None
        themes, warnings = all_themes(self.library)
        if not get_current_worker().is_cancelled:
            self.post_message(ThemesLoaded(themes, warnings, select))
        return themes

    @work(thread=True, exclusive=True, group="theme", exit_on_error=False)
    def list_theme(self, theme: Theme) -> None:
        assert self.library is not None
        result = self.library.search(theme.query)
        if not get_current_worker().is_cancelled:
            self.post_message(ThemePassagesListed(theme, result))

    @work(thread=True, exclusive=False, group="user-themes", exit_on_error=False)
    def change_user_themes(self, change: ThemeChange) -> None:
        """Add, rename or delete one of the person's themes (a ThemeError says why not)."""
        from glossator.index.themes import UserThemes

        assert self.library is not None
        with _writing:
            user = UserThemes.for_library(self.library)
            if change.action == "add":
                user.add(change.name, change.query, change.description)
            elif change.action == "rename":
                user.rename(change.name, change.new_name)
            elif change.action == "delete":
                user.delete(change.name)
            else:
                raise ValueError(f"unknown change {change.action!r}")
        self.post_message(UserThemesChanged(change))

    # -- the Themes tab ------------------------------------------------------------------------

    def want_themes(self) -> Worker[list[Theme]] | None:
        """Load the themes if that has not begun (now, or once the library is open)."""
        self._themes_wanted = True
        worker = self._themes_worker
        failed = worker is not None and worker.state in (WorkerState.ERROR, WorkerState.CANCELLED)
        if (worker is None or failed) and self.library is not None:
            self._themes_worker = self.load_themes()
        return self._themes_worker

    def themes_library_opened(self) -> None:
        if self._themes_wanted:
            self.want_themes()

    def on_themes_panel_shown(self, event: ThemesPanel.Shown) -> None:
        self.want_themes()

    async def themes_for_palette(self) -> list[Theme]:
        """The themes, once loaded (the palette waits for them the first time)."""
        worker = self.want_themes()
        if worker is not None and not self.themes:
            try:
                return await worker.wait() or []
            except Exception:  # reported by the screen's Worker.StateChanged handler
                return []
        return list(self.themes)

    def on_themes_loaded(self, event: ThemesLoaded) -> None:
        self.themes = tuple(event.themes)
        article = self.reader.article
        self.sidebar.themes.set_themes(
            event.themes,
            event.warnings,
            [a.id for a in self.articles],
            article.id if article else None,
            event.select,
        )
        new = [w for w in event.warnings if w not in self._warnings_told]
        self._warnings_told = frozenset(event.warnings)
        if new:
            told = [neutralise(w) for w in new[:WARNINGS_TOLD]]
            if len(new) > WARNINGS_TOLD:
                told.append(f"… and {len(new) - WARNINGS_TOLD} more (see the Themes tab)")
            self.notify(
                "\n".join(told),
                title="A themes file has mistakes; the other themes work",
                severity="warning",
                timeout=12,
                markup=False,
            )

    def theme_failed(self, message: str) -> None:
        """The themes could not be loaded: say so in the tab (the screen has notified)."""
        self.sidebar.themes.show_note(message)

    # -- a theme's passages --------------------------------------------------------------------

    def open_theme(self, theme: Theme) -> None:
        """List the passages of ``theme`` in the results view (from the tab or the palette)."""
        if self.library is None:
            self.notify("The library is still being opened.", timeout=3)
            return
        if theme.error:
            self.notify(
                f"The theme {neutralise(theme.name)!r} cannot be listed: its query is unusable "
                f"({neutralise(theme.error)}).",
                severity="warning",
                markup=False,
            )
            return
        self.workers.cancel_group(self, "search")
        self._results_wanted = False
        self.list_theme(theme)

    def on_themes_panel_theme_chosen(self, event: ThemesPanel.ThemeChosen) -> None:
        self.open_theme(event.theme)

    def on_theme_passages_listed(self, event: ThemePassagesListed) -> None:
        result = event.result
        if result.error:
            self.notify(
                f"The theme {neutralise(event.theme.name)!r} cannot be listed: "
                f"{neutralise(result.error)}",
                severity="warning",
                markup=False,
            )
            return
        self.results.show_result(result, theme=event.theme.name)
        self._show_results()
        self.results.focus_list()

    def on_search_bar_query_changed(self, event: object) -> None:
        """Typing a search: a theme still being listed is no longer wanted."""
        self.workers.cancel_group(self, "theme")

    def return_to_themes(self) -> None:
        """After escape from a theme's passages: back to the Themes tab if it is open."""
        sidebar = self.sidebar
        if self.results.theme is not None and sidebar.display and sidebar.active_tab == "themes":
            self.set_focus(sidebar.themes.options)

    def restore_search_results(self) -> None:
        """Before / shows the results: put the search back where a theme's passages were."""
        results = self.results
        if results.theme is None:
            return
        query = self.search_bar.value
        if query.strip() and self.library is not None:
            results.show_text("Searching…")
            self.run_search(query)  # again: the search shows more than its SearchResult
        else:
            results.show_text("Type to search the library.")

    # -- the person's own themes ---------------------------------------------------------------

    def _user_names(self, leave_out: str | None = None) -> list[str]:
        return [t.name for t in self.themes if t.kind == "user" and t.name != leave_out]

    def on_results_list_save_requested(self, event: ResultsList.SaveRequested) -> None:
        from glossator.index.themes import NAME_MAX  # the library is open: whoosh is loaded already

        if self.library is None:
            return
        query = event.query.strip()

        def save(name: str | None) -> None:
            if name:
                self.change_user_themes(ThemeChange("add", name, query, f"Your search: {query}"))

        from .theme_name import ThemeNameScreen  # imported when first opened, not at start

        self.app.push_screen(
            ThemeNameScreen(
                f"Save the search {neutralise(query)!r} as a theme",
                query,
                taken=self._user_names(),
                max_length=NAME_MAX,
            ),
            save,
        )

    def _only_yours(self, theme: Theme, what: str) -> bool:
        if theme.kind == "user":
            return True
        where = "themes.toml" if theme.kind == "curated" else "the articles themselves"
        self.notify(
            f"{neutralise(theme.name)!r} is a {theme.kind} theme, from {where}: only your own "
            f"themes can be {what}. Save a search with s in the results to make one.",
            title="Not one of your themes",
            severity="warning",
            timeout=6,
            markup=False,
        )
        return False

    def on_themes_panel_rename_requested(self, event: ThemesPanel.RenameRequested) -> None:
        from glossator.index.themes import NAME_MAX

        theme = event.theme
        if not self._only_yours(theme, "renamed"):
            return

        def rename(name: str | None) -> None:
            if name and name != theme.name:
                self.change_user_themes(ThemeChange("rename", theme.name, new_name=name))

        from .theme_name import ThemeNameScreen  # imported when first opened, not at start

        self.app.push_screen(
            ThemeNameScreen(
                f"Rename the theme {neutralise(theme.name)!r}",
                theme.name,
                taken=self._user_names(leave_out=theme.name),
                max_length=NAME_MAX,
            ),
            rename,
        )

    def on_themes_panel_delete_requested(self, event: ThemesPanel.DeleteRequested) -> None:
        theme = event.theme
        if self._only_yours(theme, "deleted"):
            self.change_user_themes(
                ThemeChange("delete", theme.name, theme.query, theme.description)
            )

    def on_themes_panel_undo_requested(self, event: ThemesPanel.UndoRequested) -> None:
        deleted = self._deleted
        if deleted is None:
            self.notify("Nothing to bring back.", timeout=2)
            return
        self._deleted = None
        self.change_user_themes(
            ThemeChange("add", deleted.name, deleted.query, deleted.description, undoing=True)
        )

    def on_user_themes_changed(self, event: UserThemesChanged) -> None:
        change = event.change
        name = neutralise(change.name)
        select: tuple[str, str] | None = ("user", change.name)
        if change.action == "add" and change.undoing:
            told = f"Brought back your theme {name!r}."
        elif change.action == "add":
            told = f"Saved the theme {name!r}: it is under Yours in the Themes tab (2)."
        elif change.action == "rename":
            select = ("user", change.new_name)
            told = f"Renamed {name!r} to {neutralise(change.new_name)!r}."
        else:
            self._deleted = change
            select = None
            told = f"Deleted your theme {name!r}. Press u in the Themes tab to bring it back."
        self.notify(told, timeout=5, markup=False)
        self.load_themes(select)


def theme_help(theme: Theme) -> str:
    """A theme's line in the command palette."""
    if theme.error:
        return f"{theme.kind} theme · unusable query"
    present = sum(1 for n in theme.articles.values() if n)
    return (
        f"{plural(theme.passages, 'passage')} in {plural(present, 'article')} · {theme.kind} theme"
    )
