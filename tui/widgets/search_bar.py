"""The search bar: an input, a line under it for messages, and the history of earlier searches."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from glossator.index.textutil import neutralise

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

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, compact=True, id="search-input")
        yield Static("", id="search-message", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def value(self) -> str:
        return self.input.value

    def set_value(self, value: str) -> None:
        """Replace the query (this starts a new search, as typing would)."""
        self.input.value = value
        self.input.cursor_position = len(value)

    def show_message(self, message: str | Content | None, kind: str = "info") -> None:
        """A line under the bar: an unusable query, a suggestion, the index still building."""
        widget = self.query_one("#search-message", Static)
        widget.remove_class("-error", "-info", "-suggestion")
        if not message:
            widget.update("")
            widget.display = False
            return
        if isinstance(message, str):
            message = Content(neutralise(message))
        widget.update(message)
        widget.add_class(f"-{kind}")
        widget.display = True

    def offer_suggestion(self, query: str, suggestion: str | None) -> None:
        self.suggestion = suggestion
        if suggestion:
            message = Content.assemble(
                f"No passages match {neutralise(query)!r}. Did you mean ",
                (neutralise(suggestion), "bold underline"),
                "? Press enter to search for it.",
            )
            self.show_message(message, "suggestion")
        else:
            self.show_message(f"No passages match {query!r}.", "info")

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.suggestion = None
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
