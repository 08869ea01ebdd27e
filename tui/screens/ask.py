"""Two small questions the study dialogs ask: a line of text (a label's name, its key) and a
yes-or-no (remove a label from every note?). Both shown literally, both answered by keyboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..widgets.footer import FittingFooter
from ..widgets.layout import display_text

HINT = "enter saves · escape cancels"


class AskText(ModalScreen[str | None]):
    """One line of text: enter gives it (once ``check`` finds nothing wrong), escape None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="ask.cancel"),
    ]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
        max_length: int = 40,
    ) -> None:
        super().__init__()
        self.title_text, self.value = title, value
        self.placeholder, self.check, self.max_length = placeholder, check, max_length

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box", classes="ask-box"):
            yield Static(Content(display_text(self.title_text)), id="ask-title")
            yield Input(
                self.value[: self.max_length],
                placeholder=self.placeholder,
                max_length=self.max_length,
                id="ask-input",
            )
            yield Static(HINT, id="ask-message", markup=False)
        yield FittingFooter()

    @property
    def input(self) -> Input:
        return self.query_one("#ask-input", Input)

    @property
    def message(self) -> str:
        return str(self.query_one("#ask-message", Static).content)

    def on_mount(self) -> None:
        self.input.focus()

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#ask-message", Static)
        message.update(Content(display_text(text)))
        message.set_class(error, "-error")

    @on(Input.Changed, "#ask-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._say(HINT)

    @on(Input.Submitted, "#ask-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = " ".join(event.value.split())
        problem = self.check(value) if self.check is not None else None
        if problem:
            self._say(problem, error=True)
        else:
            self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes-or-no question: y is yes; n and escape are no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="ask.yes"),
        Binding("n,escape", "answer(False)", "No", id="ask.no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question, self.detail = question, detail

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-ask-box", classes="ask-box"):
            yield Static(
                Content.assemble(
                    (display_text(self.question), "bold"),
                    "\n" + display_text(self.detail) if self.detail else "",
                    ("\ny yes · n no", "dim"),
                ),
                id="confirm-ask-text",
            )
        yield FittingFooter()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
