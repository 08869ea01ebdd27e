"""The themes of the library: loading them (curated, discovered and the person's own), listing a
theme's passages, saving a search as a theme, renaming and deleting the person's own (with undo).

A non-visual widget that owns the themes, their workers and the undo of a deletion; the screen
hears ``Loaded`` and ``PassagesListed``. The themes are loaded when first wanted (the tab shows,
the palette opens), not with the library: counting them and discovering new ones is Python work
that would otherwise compete with the first keys typed after the app opens.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker

from glossator.index.textutil import neutralise

from ..widgets.layout import plural
from ..widgets.themes import ThemesPanel

if TYPE_CHECKING:
    from glossator.index.library import Library
    from glossator.index.model import SearchResult
    from glossator.index.themes import Theme

WARNINGS_TOLD = 4  # warnings in one notification; the rest are counted

_writing = threading.Lock()  # one change to the user's themes file at a time


@dataclass(frozen=True, slots=True)
class ThemeChange:
    """A change to the person's own themes."""

    action: str  # "add" | "rename" | "delete"
    name: str
    query: str = ""
    description: str = ""
    new_name: str = ""
    undoing: bool = False  # an "add" that brings back a deleted theme


class ThemesController(Widget):
    DEFAULT_CSS = "ThemesController { display: none; }"

    class Loaded(Message):
        def __init__(
            self, themes: list[Theme], warnings: list[str], select: tuple[str, str] | None
        ) -> None:
            super().__init__()
            self.themes, self.warnings, self.select = themes, warnings, select

    class PassagesListed(Message):
        def __init__(self, theme: Theme, result: SearchResult) -> None:
            super().__init__()
            self.theme, self.result = theme, result

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library: Library | None = None
        self.themes: tuple[Theme, ...] = ()  # as last loaded, in the order of the Themes tab
        self._deleted: ThemeChange | None = None  # what u brings back
        self._warnings_told: frozenset[str] = frozenset()
        self._wanted = False  # asked for before the library was open
        self._first: Worker[list[Theme]] | None = None  # the first loading

    # -- loading ---------------------------------------------------------------------------------

    def library_opened(self, library: Library, changed: bool = False) -> None:
        """The library opened (or its articles ``changed``): load the themes if they are
        wanted, or count them again."""
        self.library = library
        if self._wanted and (changed or self._first is None):
            self._first = self._load()
        elif changed and self.themes:
            self._load()

    def want(self) -> Worker[list[Theme]] | None:
        """Load the themes if that has not begun (now, or once the library is open)."""
        self._wanted = True
        worker = self._first
        failed = worker is not None and worker.state in (WorkerState.ERROR, WorkerState.CANCELLED)
        if (worker is None or failed) and self.library is not None:
            self._first = self._load()
        return self._first

    async def for_palette(self) -> list[Theme]:
        """The themes, once loaded (the palette waits for them the first time)."""
        worker = self.want()
        if worker is not None and not self.themes:
            try:
                return await worker.wait() or []
            except Exception:  # told by the worker handler below
                return []
        return list(self.themes)

    @work(thread=True, exclusive=True, group="themes", exit_on_error=False)
    def _load(self, select: tuple[str, str] | None = None) -> list[Theme]:
        """All themes counted (whoosh for the queries, files for the definitions)."""
        from glossator.index.themes import all_themes

        assert self.library is not None
        themes, warnings = all_themes(self.library)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, themes, warnings, select)
        return themes

    def _loaded(
        self, themes: list[Theme], warnings: list[str], select: tuple[str, str] | None
    ) -> None:
        self.themes = tuple(themes)
        self.post_message(self.Loaded(themes, warnings, select))
        new = [w for w in warnings if w not in self._warnings_told]
        self._warnings_told = frozenset(warnings)
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

    # -- a theme's passages ----------------------------------------------------------------------

    def list_passages(self, theme: Theme) -> None:
        """List the passages of ``theme`` (from the tab or the palette)."""
        if self.library is None:
            self.notify("The library is still being opened.", timeout=3)
            return
        if theme.error:
            self.notify(
                f"The theme “{neutralise(theme.name)}” cannot be listed: its query is unusable "
                f"({neutralise(theme.error)}).",
                severity="warning",
                markup=False,
            )
            return
        self._list(theme)

    def cancel_listing(self) -> None:
        """Typing a search: a theme still being listed is no longer wanted."""
        self.workers.cancel_group(self, "theme")

    @work(thread=True, exclusive=True, group="theme", exit_on_error=False)
    def _list(self, theme: Theme) -> None:
        assert self.library is not None
        result = self.library.search(theme.query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._listed, theme, result)

    def _listed(self, theme: Theme, result: SearchResult) -> None:
        if result.error:
            self.notify(
                f"The theme “{neutralise(theme.name)}” cannot be listed: "
                f"{neutralise(result.error)}",
                severity="warning",
                markup=False,
            )
            return
        self.post_message(self.PassagesListed(theme, result))

    # -- the person's own themes -----------------------------------------------------------------

    # -- what the Themes tab asks for (its panel's owner, this part hears it) ----------------------

    @on(ThemesPanel.Shown)
    def _panel_shown(self, event: ThemesPanel.Shown) -> None:
        event.stop()
        self.want()

    @on(ThemesPanel.ThemeChosen)
    def _panel_chosen(self, event: ThemesPanel.ThemeChosen) -> None:
        event.stop()
        self.list_passages(event.theme)

    @on(ThemesPanel.RenameRequested)
    def _panel_rename(self, event: ThemesPanel.RenameRequested) -> None:
        event.stop()
        self.rename(event.theme)

    @on(ThemesPanel.DeleteRequested)
    def _panel_delete(self, event: ThemesPanel.DeleteRequested) -> None:
        event.stop()
        self.delete(event.theme)

    @on(ThemesPanel.UndoRequested)
    def _panel_undo(self, event: ThemesPanel.UndoRequested) -> None:
        event.stop()
        self.undo()

    def _user_names(self, leave_out: str | None = None) -> list[str]:
        return [t.name for t in self.themes if t.kind == "user" and t.name != leave_out]

    def save_search(self, query: str) -> None:
        from glossator.index.themes import NAME_MAX  # the library is open: whoosh is loaded

        from ..screens.theme_name import ThemeNameScreen  # imported when first opened

        if self.library is None:
            return
        query = query.strip()

        def save(name: str | None) -> None:
            if name:
                self._change(ThemeChange("add", name, query, f"Your search: {query}"))

        title = f"Save the search “{neutralise(query)}” as a theme"
        dialog = ThemeNameScreen(title, query, taken=self._user_names(), max_length=NAME_MAX)
        self.app.push_screen(dialog, save)

    def _only_yours(self, theme: Theme, what: str) -> bool:
        if theme.kind == "user":
            return True
        where = "themes.toml" if theme.kind == "curated" else "the articles themselves"
        self.notify(
            f"“{neutralise(theme.name)}” is a {theme.kind} theme, from {where}: only your own "
            f"themes can be {what}. Save a search with s in the results to make one.",
            title="Not one of your themes",
            severity="warning",
            timeout=6,
            markup=False,
        )
        return False

    def rename(self, theme: Theme) -> None:
        from glossator.index.themes import NAME_MAX

        from ..screens.theme_name import ThemeNameScreen

        if not self._only_yours(theme, "renamed"):
            return

        def rename(name: str | None) -> None:
            if name and name != theme.name:
                self._change(ThemeChange("rename", theme.name, new_name=name))

        title = f"Rename the theme “{neutralise(theme.name)}”"
        taken = self._user_names(leave_out=theme.name)
        self.app.push_screen(
            ThemeNameScreen(title, theme.name, taken=taken, max_length=NAME_MAX), rename
        )

    def delete(self, theme: Theme) -> None:
        if self._only_yours(theme, "deleted"):
            self._change(ThemeChange("delete", theme.name, theme.query, theme.description))

    def undo(self) -> None:
        deleted = self._deleted
        if deleted is None:
            self.notify("No deleted theme to bring back.", timeout=2)
            return
        self._deleted = None
        self._change(
            ThemeChange("add", deleted.name, deleted.query, deleted.description, undoing=True)
        )

    @work(thread=True, exclusive=False, group="user-themes", exit_on_error=False)
    def _change(self, change: ThemeChange) -> None:
        """Add, rename or delete one of the person's themes (a ThemeError says why not)."""
        from glossator.index.themes import UserThemes

        assert self.library is not None
        with _writing:
            user = UserThemes.for_library(self.library)
            if change.action == "add":
                user.add(change.name, change.query, change.description)
            elif change.action == "rename":
                user.rename(change.name, change.new_name)
            else:
                user.delete(change.name)
        self.app.call_from_thread(self._changed, change)

    def _changed(self, change: ThemeChange) -> None:
        name = neutralise(change.name)
        select: tuple[str, str] | None = ("user", change.name)
        if change.action == "add" and change.undoing:
            told = f"Brought back your theme “{name}”."
        elif change.action == "add":
            told = f"Saved the theme “{name}”: it is under Yours in the Themes tab (2)."
        elif change.action == "rename":
            select = ("user", change.new_name)
            told = f"Renamed “{name}” to “{neutralise(change.new_name)}”."
        else:
            self._deleted = change
            select = None
            told = f"Deleted your theme “{name}”. Press u in the Themes tab to bring it back."
        self.notify(told, timeout=5, markup=False)
        self._load(select)

    # -- failures ---------------------------------------------------------------------------------

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        if event.state != WorkerState.ERROR:
            return
        worker = event.worker
        what = {
            "themes": "The themes could not be loaded",
            "theme": "The theme's passages could not be listed",
            "user-themes": "Your themes could not be changed",
        }.get(worker.group, "Something went wrong with the themes")
        message = f"{what}: {str(worker.error) or type(worker.error).__name__}"
        self.notify(neutralise(message), severity="error", timeout=8, markup=False)
        if worker.group == "themes":
            self.post_message(self.Failed(message))


def theme_help(theme: Theme) -> str:
    """A theme's line in the command palette."""
    if theme.error:
        return f"{theme.kind} theme · unusable query"
    present = sum(1 for n in theme.articles.values() if n)
    return (
        f"{plural(theme.passages, 'passage')} in {plural(present, 'article')} · {theme.kind} theme"
    )
