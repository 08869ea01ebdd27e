"""The Glossator reading app: ``make_app`` builds it, ``run_app`` runs it for the command line.

Nothing slow happens before the first paint: the library (and with it Whoosh) is imported, opened
and brought up to date in a worker started by the main screen, while the app is already on screen.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType

from .commands import GlossatorCommands
from .screens import HelpScreen, MainScreen
from .state import AppState, StateStore


class GlossatorApp(App[int]):
    """Read and search a library of articles with the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "Glossator"
    COMMANDS = App.COMMANDS | {GlossatorCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_anywhere"),
        Binding("?", "help", "Help", id="app.help"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            show=False,
            priority=True,
            id="app.palette",
            tooltip="open an article by title, switch the colour theme",
        ),
        Binding(
            "ctrl+r",
            "reload_library",
            "Reload library",
            show=False,
            id="app.reload",
            tooltip="pick up articles added, changed or removed in its folder (also checked "
            "every few seconds and when the terminal regains focus)",
        ),
    ]

    def __init__(
        self,
        library_dir: Path | None,
        store: StateStore,
        state: AppState,
        cache_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.state = state  # shared with the main screen, which saves it
        self.main = MainScreen(library_dir, store, state, cache_dir=cache_dir)

    def get_default_screen(self) -> MainScreen:
        return self.main

    def on_mount(self) -> None:
        theme = self.state.theme
        if theme and theme in self.available_themes and theme != self.theme:
            self.theme = theme
        if self.main.store.problem:
            self.set_state_aside()

    @work(thread=True, group="state-aside", exit_on_error=False)
    def set_state_aside(self) -> None:
        """The state file had mistakes: move it aside now (never overwrite it) and say so."""
        from glossator.index.textutil import neutralise

        store = self.main.store
        try:
            aside = store.set_aside()
        except OSError as exc:
            after = (
                f"it could not be moved aside ({exc.strerror or exc}), so your position and "
                "searches will not be saved this time"
            )
        else:
            after = f"the file as it was is kept as {aside}" if aside else "it has since changed"
        if store.partly:
            told = f"Parts of your saved reading state could not be used: {store.problem}. "
            told += "Defaults replace them"
        else:
            told = f"Your saved reading state could not be read: {store.problem}. "
            told += "Glossator starts from the defaults"
        message = f"{told}; {after}."
        self.call_from_thread(
            self.notify, neutralise(message), severity="warning", timeout=15, markup=False
        )

    def on_app_focus(self, event: events.AppFocus) -> None:
        """Back in the terminal: pick up what changed in the library's folder meanwhile."""
        self.main.check_library("focus")

    def action_reload_library(self) -> None:
        self.main.check_library("key")

    def watch_theme(self, theme: str) -> None:
        """The colour theme persists: whichever way it was changed (palette, code)."""
        if theme != self.state.theme and self.is_running:
            self.state.theme = theme
            self.main.schedule_save(at_once=True)

    async def action_quit(self) -> None:
        """Quit, but never with a note typed and not saved: ask first (ctrl+q works anywhere)."""
        from .screens.note_editor import ConfirmDiscard, NoteEditor

        if isinstance(self.screen, ConfirmDiscard):
            return
        if any(isinstance(s, NoteEditor) and s.unsaved for s in self.screen_stack):

            def answered(discard: bool | None) -> None:
                if discard:
                    self.call_later(self._leave)

            self.push_screen(ConfirmDiscard(), answered)
            return
        await self._leave()

    async def _leave(self) -> None:
        await self.main.flush_state()
        self.exit(0)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.main.action_help()


def make_app(
    library_dir: Path | None = None,
    data_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> GlossatorApp:
    """The app over ``library_dir`` (the seed articles when None), keeping its state in
    ``data_dir`` (``paths.data_dir()`` when None) and its index under ``cache_dir``."""
    if data_dir is None:
        from glossator.index.paths import data_dir as default_data_dir

        data_dir = default_data_dir()
    store = StateStore(data_dir)
    state = store.load()  # a few hundred bytes, read before the app starts its event loop
    return GlossatorApp(library_dir, store, state, cache_dir=cache_dir)


def run_app(library_dir: Path | None = None) -> int:
    """Run the app in the terminal; the exit status for the command line."""
    if library_dir is not None and not library_dir.expanduser().is_dir():
        print(f"glossator: {library_dir} is not a folder", file=sys.stderr)
        return 2
    app = make_app(library_dir)
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)
