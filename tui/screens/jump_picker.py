"""Several links lead from here: a small modal that asks which one ``f`` follows."""

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

if TYPE_CHECKING:
    from ..widgets.links import Jump


class JumpPicker(ModalScreen["Jump | None"]):
    """Which of ``jumps`` to follow? Dismissed with the one chosen, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="jump.cancel"),
        *(
            Binding(str(n), f"pick({n - 1})", f"Link {n}", show=False, id=f"jump.pick_{n}")
            for n in range(1, 10)
        ),
    ]

    def __init__(self, jumps: list[Jump]) -> None:
        super().__init__()
        self.jumps = jumps

    def compose(self) -> ComposeResult:
        with Vertical(id="jump-box"):
            yield Static(
                Content.assemble(
                    (f"{len(self.jumps)} links from here: which one?", "bold"),
                    ("  enter or 1–9 follows · escape cancels", "dim"),
                ),
                id="jump-title",
            )
            yield KeyList(
                *(
                    Option(Content.assemble((f"{i + 1}. ", "bold"), Content(jump.label)))
                    for i, jump in enumerate(self.jumps)
                ),
                id="jump-list",
                markup=False,
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(KeyList).focus()

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.jumps):
            self.dismiss(self.jumps[index])

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#jump-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option_index)
