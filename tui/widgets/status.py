"""The status line: the index state (a progress bar while it builds), the reader's selection, what
is due for review and the position."""

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

    def show_indexing(self, done: int, total: int, name: str) -> None:
        """The index being built: ``done`` of ``total`` articles, ``name`` the one read now."""
        if total <= 0:
            return
        if done >= total:
            self.set_text(f"indexed {total} …")
        else:
            self.set_text(f"indexing {done + 1}/{total} {name} …")
        self.set_progress(done, total)

    def show_selection(self, first: int, last: int) -> None:
        """Sentences ``first``..``last`` selected in the reader, and what can be done with them."""
        n = last - first + 1
        what = "1 sentence" if n == 1 else f"{n} sentences"
        self.set_text(f"{what} selected · a annotates · y copies · escape clears")

    @property
    def due(self) -> str:
        return str(self.query_one("#status-due", Static).content)

    def set_due(self, count: int | None) -> None:
        """How many notes and highlights are due for review (nothing shown when none)."""
        due = self.query_one("#status-due", Static)
        due.update(Content(f"{count} due · R reviews" if count else ""))
        due.display = bool(count)

    def show_place(
        self, index: int, total: int, sentence: int, count: int, page: int | None = None
    ) -> None:
        """Article ``index`` of ``total``, sentence ``sentence`` of ``count`` (and its page)."""
        place = f"article {index + 1}/{total} · §{sentence + 1}/{count}"
        place += f" · p. {page}" if page is not None else ""
        self.set_position(place)

    def set_position(self, text: str) -> None:
        # A fixed-size box: repaint it without laying the screen out again on every key.
        self.query_one("#status-position", Static).update(Content(neutralise(text)), layout=False)
