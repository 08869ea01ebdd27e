"""The status line: the index state (a progress bar while it builds) and the position."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static

from glossator.index.textutil import neutralise


class StatusLine(Horizontal):
    def compose(self) -> ComposeResult:
        yield Static("", id="status-text", markup=False)
        yield ProgressBar(id="status-progress", show_eta=False, show_percentage=False)
        yield Static("", id="status-due", markup=False)
        yield Static("", id="status-position", markup=False)

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#status-due").display = False

    @property
    def text(self) -> str:
        return str(self.query_one("#status-text", Static).content)

    def set_text(self, text: str, kind: str = "") -> None:
        widget = self.query_one("#status-text", Static)
        widget.update(Content(neutralise(text)))
        widget.set_class(kind == "error", "-error")

    def set_progress(self, done: int | None, total: int | None) -> None:
        """Show the bar at ``done`` of ``total``; hide it with None."""
        bar = self.query_one(ProgressBar)
        if done is None:
            bar.display = False
            return
        bar.display = True
        bar.update(total=total or None, progress=done)

    @property
    def due(self) -> str:
        return str(self.query_one("#status-due", Static).content)

    def set_due(self, count: int | None) -> None:
        """How many notes and highlights are due for review (nothing shown when none)."""
        due = self.query_one("#status-due", Static)
        due.update(Content(f"{count} due · R reviews" if count else ""))
        due.display = bool(count)

    def set_position(self, text: str) -> None:
        # A fixed-size box: repaint it without laying the screen out again on every key.
        self.query_one("#status-position", Static).update(Content(neutralise(text)), layout=False)
