"""The reading state (position, searches, colour theme) kept between runs: written a moment after
it changes, in a worker, never on the event loop; and a state file with mistakes moved aside and
named (``tui/state.py`` does the reading and writing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from glossator.index.textutil import neutralise

from ..state import AppState, Position

if TYPE_CHECKING:
    from ..state import StateStore

SAVE_DELAY = 0.4  # seconds of quiet before the position is written


class StateKeeper(Widget):
    DEFAULT_CSS = "StateKeeper { display: none; }"

    def __init__(self, store: StateStore, state: AppState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store, self.state = store, state
        self._generation = 0
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        if self.store.problem:
            self._set_aside()

    # -- what changes ----------------------------------------------------------------------------

    def position(self, library_key: str) -> Position | None:
        return self.state.positions.get(library_key)

    def set_position(self, library_key: str, article_id: str, sentence: int) -> None:
        self.state.remember_position(library_key, article_id, sentence)  # capped, latest last
        self.schedule()

    def remember_search(self, query: str) -> list[str]:
        self.state.remember_search(query)
        self.schedule(at_once=True)
        return list(self.state.history)

    def set_theme(self, theme: str) -> None:
        if theme != self.state.theme:
            self.state.theme = theme
            self.schedule(at_once=True)

    # -- writing ---------------------------------------------------------------------------------

    def schedule(self, at_once: bool = False) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if at_once:
            self.save()
        else:
            self._timer = self.set_timer(SAVE_DELAY, self.save)

    def save(self) -> Worker[None]:
        self._timer = None
        self._generation += 1
        return self._write(self.state.copy(), self._generation)

    def save_now(self) -> None:
        """Write the state on this thread, now (the process is about to end)."""
        self._generation += 1
        try:
            self.store.save(self.state.copy(), self._generation)
        except OSError:
            pass  # nothing more can be done; the file as last written stays

    async def flush(self) -> None:
        """Write the state now and wait for it (on quitting)."""
        if self._timer is not None:
            self._timer.stop()
        worker = self.save()
        try:
            await worker.wait()
        except Exception:  # told by the worker handler
            pass

    @work(thread=True, exclusive=False, group="state", exit_on_error=False)
    def _write(self, state: AppState, generation: int) -> None:
        self.store.save(state, generation)

    @work(thread=True, group="state-aside", exit_on_error=False)
    def _set_aside(self) -> None:
        """The state file had mistakes: move it aside now (never overwrite it) and say so."""
        store = self.store
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
        self.app.call_from_thread(
            self.notify, neutralise(message), severity="warning", timeout=15, markup=False
        )

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        if event.state == WorkerState.ERROR and event.worker.group == "state":
            error = event.worker.error
            message = f"Your reading position could not be saved: {error or type(error).__name__}"
            self.notify(neutralise(message), severity="error", timeout=8, markup=False)
