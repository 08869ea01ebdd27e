"""The Glossator reading app: ``make_app`` builds it, ``run_app`` runs it for the command line.

Nothing slow happens before the first paint: the library (and with it Whoosh) is imported, opened
and brought up to date in a worker started by the main screen, while the app is already on screen.

Every key counts, in order (``KeyGate``): a key is handed on only once the one before it has been
dealt with, screens it opened or closed included, so keys typed ahead while a dialog closes or an
article loads reach whatever is in front when their turn comes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from .commands import GlossatorCommands
from .controllers.library import LibraryFactory, default_factory
from .keygate import GATED, KeyGate
from .state import AppState, StateStore

if TYPE_CHECKING:
    from textual.timer import Timer

    from .screens.main import MainScreen
    from .snapshot import Snapshot


MAIN_CSS = "app.tcss"  # the main screen's CSS_PATH (from screens/, "../app.tcss")
FRAME_RETRY = 2.0  # seconds: the next try at keeping a frame when a dialog or notice was up


class GlossatorApp(App[int]):
    """Read and search a library of articles with the keyboard."""

    # The reader's look; the rest of the app's (app.tcss) is the main screen's CSS_PATH, read when
    # it is pushed over the first screen, or with this when the main screen comes first.
    CSS_PATH = "reader.tcss"
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
            tooltip="open an article, a theme or a note by name; Colours changes the colours",
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
        factory: LibraryFactory = default_factory,
        snapshot: Snapshot | None = None,
        snapshot_dir: Path | None = None,
    ) -> None:
        first = snapshot is not None and snapshot.article is not None  # see get_default_screen
        # Textual reads a pushed screen's CSS_PATH, never the default screen's: with no first
        # screen, the main screen's CSS is read as the app's own
        super().__init__(css_path=None if first else [self.CSS_PATH, MAIN_CSS])
        self.state = state
        self.snapshot = snapshot
        self._main_args = (library_dir, store, state, cache_dir, factory, snapshot_dir)
        self._main: MainScreen | None = None
        self.keys = KeyGate(self)
        self._leaving = False
        self._frame_retry: Timer | None = None  # the next try at keeping a frame, when due
        self._early: list[events.Event] = []  # keys typed while the first screen showed
        self._first_showing = False
        # set by run_app (not in tests): once quitting, seconds after which a process whose
        # terminal has gone is ended (Textual's shutdown can wait for ever on its writes)
        self.end_patience: float | None = None

    @property
    def main(self) -> MainScreen:
        """The main screen (made, and its modules imported, when first needed)."""
        if self._main is None:
            from .screens.main import MainScreen

            library_dir, store, state, cache_dir, factory, snapshot_dir = self._main_args
            self._main = MainScreen(
                library_dir,
                store,
                state,
                cache_dir=cache_dir,
                factory=factory,
                snapshot=self.snapshot,
                snapshot_dir=snapshot_dir,
            )
        return self._main

    def get_default_screen(self) -> Screen[None]:
        """With a snapshot of the last screen, a light screen drawn from it first (see
        ``screens/first.py``); the main screen once that is painted. Else the main screen."""
        snap = self.snapshot
        if snap is not None and snap.article is not None:
            from .screens.first import FirstScreen

            self._first_showing = True
            return FirstScreen(snap)
        return self.main

    async def on_first_screen_painted(self) -> None:
        """The first screen is on the terminal: now the main screen, then the keys typed
        meanwhile, in order, ahead of any typed while it was being made."""
        first = self.screen
        from .widgets.reader import Reader

        # the reader laid out for the width it will have: the first frame has its text
        self.main.reader_width = first.query_one(Reader).scrollable_content_region.width
        # over the first screen: the default screen has no place to switch from, so the first
        # stays beneath, emptied (the app's queries look at the main screen: default_screen)
        await self.push_screen(self.main)
        self._first_showing = False
        await first.remove_children()
        early, self._early = self._early, []
        for event in early:
            if not self.keys.holds(event):
                self.post_message(event)

    @property
    def default_screen(self) -> Screen[Any]:
        """The main screen once it has replaced the first one: queries from the app (and
        tests) look there, not at the first screen that was the default when the app began."""
        if self._main is not None and not self._first_showing:
            return self._main
        return super().default_screen

    def on_mount(self) -> None:
        theme = self.state.theme
        if theme and theme in self.available_themes and theme != self.theme:
            self.theme = theme
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, self._signalled, signum)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                pass

    def _signalled(self, signum: int) -> None:
        """The terminal closed (SIGHUP) or the app was told to stop (SIGTERM): keep the note
        being typed and the saves asked for, save the state, give the terminal back as it was
        (when there still is one), and go."""
        self.main.notes_part.flush_draft()
        if self._leaving:
            return
        self._leaving = True
        if _terminal_alive():
            self.call_later(self._leave, 128 + signum)
        else:  # nothing to give back: writing to a hung-up terminal would only block
            asyncio.ensure_future(self._vanish(128 + signum))

    async def _vanish(self, status: int) -> None:
        try:
            await asyncio.wait_for(self.main.notes_part.wait_for_saves(), 5)
        except TimeoutError:
            pass
        self.main.saving.save_now()
        self.main.snapshots.save_now()
        self._keep_last_frame()
        os._exit(status)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, GATED) and self._first_showing:
            self._early.append(event)  # for the main screen, once it is in front
            return
        if self.keys.holds(event):
            return
        if isinstance(event, GATED) and not self.screen_stack:
            return  # a key let through as the app closes: there is nothing left to press
        await super().on_event(event)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own palette commands, with the colour one called Colours (Themes are the
        library's topics here), and Screenshot saving where a folder is sure to exist."""
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                yield SystemCommand("Colours", "Change the colours of the app", command.callback)
            elif command.title == "Screenshot":
                yield SystemCommand(
                    "Screenshot",
                    "Save an SVG picture of the screen (in Downloads, else the data folder)",
                    lambda: self.set_timer(0.1, self.save_screen_picture),
                )
            else:
                yield command

    def save_screen_picture(self) -> None:
        """Textual's screenshot, saved in the Downloads folder when there is one, else in
        Glossator's data folder (Textual's default, Downloads, fails where it is missing)."""
        import platformdirs

        from glossator.index.paths import data_dir

        downloads = Path(platformdirs.user_downloads_dir())
        folder = downloads if downloads.is_dir() else data_dir() / "screenshots"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.notify(
                f"The screenshot could not be saved: {folder} cannot be made "
                f"({exc.strerror or exc})",
                title="Screenshot",
                severity="error",
                markup=False,
            )
            return
        self.deliver_screenshot(path=str(folder))

    def on_app_focus(self, event: events.AppFocus) -> None:
        """Back in the terminal: pick up what changed in the library's folder meanwhile."""
        if self._main is not None:
            self.main.check_library("focus")

    def action_reload_library(self) -> None:
        self.main.check_library("key")

    def watch_theme(self, theme: str) -> None:
        """The colour theme persists: whichever way it was changed (palette, code)."""
        if self.is_running and self._main is not None:
            self.main.saving.set_theme(theme)

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

    async def _leave(self, signalled: int = 0) -> None:
        """Wait for the saves asked for, save the state and end: with status 0, or ``signalled``
        (128 + the signal's number) when told to stop, which ends even when a save failed (its
        text stays as a draft, offered at the next start)."""
        self._leaving = True
        if not await self.main.notes_part.wait_for_saves() and not signalled:
            # a save failed (the notes file locked by another process past the wait, a full
            # disk): its text is back in its editor with the reason; quitting now would leave
            # it only as a draft, unsaid. The person sees it and quits again when they choose.
            self._leaving = False
            self.notify(
                "Not quitting: a note could not be saved; its text is back in its editor.",
                severity="warning",
                timeout=10,
            )
            return
        self.clear_notifications()  # not in the frame kept for the next start
        await self.main.flush_state()
        self._keep_last_frame()
        # The process ends when its threads do: an index build, a theme count or a look at the
        # folder still running would hold it (the shell's prompt) until done. They stop early.
        self.workers.cancel_all()
        if self.end_patience is not None:
            _watch_the_end(signalled, self.end_patience)
        self.exit(return_code=signalled)

    def on_snapshot_keeper_written(self) -> None:
        """A frame with every snapshot written, so that a run that never quits (killed, the
        machine off) still leaves the picture of its last quiet moment for the next start."""
        self._frame_retry = None
        if not self._leaving:
            self._keep_last_frame(quitting=False)

    def _keep_last_frame(self, quitting: bool = True) -> None:
        """The main screen's picture as the terminal shows it, kept with the snapshot just
        written, for the next start to paint at once (``last_frame``). Not while something is
        over the main screen or a notification is up: then the frame kept before stays, which
        goes only with the snapshot it was made with, and another try comes a moment later."""
        from textual._compositor import LayoutUpdate

        from . import last_frame, snapshot

        keeper = self.main.snapshots
        if keeper.library_key is None or keeper.failed or self.is_headless:
            return
        path = snapshot.path_for(keeper.cache, keeper.library_key)
        screen = self.screen
        if screen is not self.main or screen.query("Toast"):
            if not quitting and self._frame_retry is None:
                self._frame_retry = self.set_timer(FRAME_RETRY, self.on_snapshot_keeper_written)
            return
        try:
            # what Textual's own screenshot renders: the whole screen, as sent to the terminal
            update = screen._compositor.render_update(full=True)
            if not isinstance(update, LayoutUpdate):
                raise LookupError("nothing rendered")
            size = screen.outer_size
            frame = update.render_segments(self.console)
            if not last_frame.keep(path, frame, (size.width, size.height)):
                raise LookupError("not kept")
        except Exception:  # a picture missed costs only the fast start: never the quit
            last_frame.discard(path)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.main.action_help()


def _terminal_alive() -> bool:
    """Whether the terminal the app runs in is still there (not hung up)."""
    import termios

    try:
        termios.tcgetattr(sys.__stdin__.fileno() if sys.__stdin__ else 0)
        os.write(sys.__stdout__.fileno() if sys.__stdout__ else 1, b"")
    except (OSError, termios.error, ValueError):
        return False
    return True


def make_app(
    library_dir: Path | None = None,
    data_dir: Path | None = None,
    cache_dir: Path | None = None,
    factory: LibraryFactory = default_factory,
) -> GlossatorApp:
    """The app over ``library_dir`` (the seed articles when None), keeping its state in
    ``data_dir`` (``paths.data_dir()`` when None) and its index under ``cache_dir``; ``factory``
    makes the Library (tests pass their own)."""
    from glossator.index import paths

    if data_dir is None:
        data_dir = paths.data_dir()
    store = StateStore(data_dir)
    state = store.load()  # a few hundred bytes, read before the app starts its event loop
    # the last screen of this library (at most a few hundred KB), shown before Whoosh is imported
    folder = (library_dir or paths.seeds_dir()).expanduser().resolve()
    snapshot_dir = cache_dir or paths.cache_dir()
    from .snapshot import load

    snap = load(snapshot_dir, paths.library_key(folder), folder)
    return GlossatorApp(
        library_dir,
        store,
        state,
        cache_dir=cache_dir,
        factory=factory,
        snapshot=snap,
        snapshot_dir=snapshot_dir,
    )


END_PATIENCE = 5.0  # seconds after quitting before a process with no terminal is ended


def run_app(library_dir: Path | None = None) -> int:
    """Run the app in the terminal; the exit status for the command line."""
    if library_dir is not None and not library_dir.expanduser().is_dir():
        print(f"glossator: {library_dir} is not a folder", file=sys.stderr)
        return 2
    from .terminal_input import install

    install()  # keys typed ahead read as typed, escape included
    app = make_app(library_dir)
    app.end_patience = END_PATIENCE
    result = app.run()
    status = result if isinstance(result, int) else (app.return_code or 0)
    if not _terminal_alive():
        _end_without_terminal(status)
    return status


def _watch_the_end(status: int, patience: float) -> None:
    """The app is quitting: should its terminal be gone ``patience`` seconds from now and the
    process still be here, end it (everything was saved before the quit began). Seen: a
    terminal closed as the app quit left Textual's shutdown waiting for ever to hand its
    writer thread the last write (the main thread in WriterThread.stop, the writer idle)."""

    def watch() -> None:
        time.sleep(patience)
        while _terminal_alive():
            time.sleep(1.0)
        _end_without_terminal(status)

    threading.Thread(target=watch, name="glossator-end", daemon=True).start()


def _end_without_terminal(status: int, patience: float = 5.0) -> None:
    """End the process now that the app is done and its terminal is gone (closed while it
    was quitting). Textual's input thread reads the closed terminal in a loop that only the
    driver's stop ends; if that stop did not get through, the thread spins on a core for ever
    and Python waits for it at exit (seen once: a process at 100 % CPU for 25 minutes). Other
    threads still at work (a save, a build told to stop) get ``patience`` seconds."""
    deadline = time.monotonic() + patience
    for thread in threading.enumerate():
        if thread is threading.main_thread() or thread.daemon or thread.name == "textual-input":
            continue
        thread.join(max(0.0, deadline - time.monotonic()))
    os._exit(status)
