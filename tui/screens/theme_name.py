"""A small dialog asking for a theme's name: enter gives the name, escape gives None."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from glossator.index.textutil import neutralise

from ..widgets.footer import FittingFooter

HINT = "enter saves · escape cancels"


def clean_name(text: str) -> str:
    """What the name will be: spaces collapsed, control characters dropped."""
    return " ".join(neutralise(text).split())


class ThemeNameScreen(ModalScreen[str | None]):
    """Asks for a name; refuses an empty one and one of ``taken`` (compared without case)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        taken: Iterable[str] = (),
        max_length: int = 80,
    ) -> None:
        super().__init__(id="theme-name")
        self.title_text = title
        self.value = value
        self.taken = {clean_name(name).casefold() for name in taken}
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical(id="theme-name-box"):
            yield Static(Content.assemble((self.title_text, "bold")), id="theme-name-title")
            yield Input(
                self.value[: self.max_length],
                placeholder="A name for the theme",
                max_length=self.max_length,
                id="theme-name-input",
            )
            yield Static(HINT, id="theme-name-message", markup=False)
        yield FittingFooter()

    @property
    def input(self) -> Input:
        return self.query_one("#theme-name-input", Input)

    @property
    def message(self) -> str:
        return str(self.query_one("#theme-name-message", Static).content)

    def on_mount(self) -> None:
        self.input.focus()

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#theme-name-message", Static)
        message.update(Content(text))
        message.set_class(error, "-error")

    @on(Input.Changed, "#theme-name-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._say(HINT)

    @on(Input.Submitted, "#theme-name-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = clean_name(event.value)
        if not name:
            self._say("A theme needs a name.", error=True)
        elif name.casefold() in self.taken:
            self._say(f"You already have a theme called “{neutralise(name)}”.", error=True)
        else:
            self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
