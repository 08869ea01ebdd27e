"""The search bar: one input line and the history of earlier searches (up/down recall them).

Messages about the query (an unusable query, "did you mean", the index still building) are shown
by the results under it, so nothing here ever changes height and the layout never jumps.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = 'Search: words, "a phrase", AND OR NOT, prefix*, fuzzy~, title:word'


class SearchBar(Vertical):
    """Posts ``QueryChanged`` as the person types and ``Submitted`` on enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Earlier search", show=False, id="search.history_back"),
        Binding("down", "history(1)", "Later search", show=False, id="search.history_forward"),
    ]

    class QueryChanged(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Submitted(Message):
        """Enter in the bar: go to the results."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history: list[str] = []  # oldest first; set by the screen
        self.suggestion: str | None = None  # "did you mean": enter accepts it
        self._recall: int | None = None  # index into history while recalling
        self._draft = ""
        self._quiet: str | None = None  # a value set without starting a search

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, compact=True, id="search-input")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def value(self) -> str:
        return self.input.value

    def set_value(self, value: str, search: bool = True) -> None:
        """Replace the query; it starts a new search, as typing would, unless ``search`` is
        False (a theme's query shown while its passages are listed)."""
        self._quiet = None if search else value
        self.input.value = value
        self.input.cursor_position = len(value)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.suggestion = None
        if self._quiet is not None and event.value == self._quiet:
            self._quiet = None
            return
        self._quiet = None
        if self._recall is not None and (
            self._recall >= len(self.history) or self.history[self._recall] != event.value
        ):
            self._recall = None
        self.post_message(self.QueryChanged(event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.suggestion:
            suggestion, self.suggestion = self.suggestion, None
            self.set_value(suggestion)
            return
        self.post_message(self.Submitted(event.value))

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._recall is None:
            if step > 0:
                return
            self._draft = self.value
            index = len(self.history) - 1
        else:
            index = self._recall + step
        if index < 0:
            return
        if index >= len(self.history):
            self._recall = None
            self.set_value(self._draft)
            return
        self._recall = index
        self.set_value(self.history[index])
