"""Several notes on one sentence: a small modal that asks which one to edit or delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.footer import FittingFooter
from ..widgets.lists import KeyList
from ..widgets.note_text import note_prompt

if TYPE_CHECKING:
    from glossator.index.notes import Note

WIDTH = 70


class NotePicker(ModalScreen["Note | None"]):
    """``action`` ("edit" or "delete") which of ``notes``? Dismissed with the note, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        *(
            Binding(str(n), f"pick({n - 1})", f"Note {n}", show=False, id=f"picker.pick_{n}")
            for n in range(1, 10)
        ),
    ]

    def __init__(self, action: str, notes: list[Note]) -> None:
        super().__init__()
        self.action, self.notes = action, notes

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(
                Content.assemble(
                    (f"{len(self.notes)} notes here: which one to {self.action}?", "bold"),
                    ("  enter or 1–9 chooses · escape cancels", "dim"),
                ),
                id="picker-title",
            )
            yield KeyList(
                *(
                    Option(Content.assemble((f"{i + 1}. ", "bold"), note_prompt(n, WIDTH - 8)))
                    for i, n in enumerate(self.notes)
                ),
                id="picker-list",
                markup=False,
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(KeyList).focus()

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.notes):
            self.dismiss(self.notes[index])

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option_index)
