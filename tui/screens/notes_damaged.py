"""The notes file is damaged: a modal that says where it is and asks what to do.

Glossator never writes to a damaged notes file on its own. The person chooses (``dismiss``):

* ``"read-only"``: keep reading; the notes that can still be read from the file are shown, and
  nothing is written to it (a note typed meanwhile stays in its editor);
* ``"recover"``: move the file aside, kept as it is, and start a fresh notes file holding every
  note that can still be read from it (what ``glossator notes recover`` does).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..widgets.footer import FittingFooter
from ..widgets.layout import display_text

Choice = Literal["read-only", "recover"]
READ_ONLY: Choice = "read-only"
RECOVER: Choice = "recover"


class NotesDamaged(ModalScreen[Choice]):
    """Asks what to do with the damaged notes file at ``path``; escape keeps it read-only."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r,escape", "choose('read-only')", "Keep reading", id="damaged.read_only"),
        Binding("m", "choose('recover')", "Move it aside", id="damaged.recover"),
    ]

    def __init__(self, path: Path, pending: int = 0) -> None:
        """``pending``: how many changes to the notes (a note typed...) wait for the answer."""
        super().__init__()
        self.path = path
        self.pending = pending

    def compose(self) -> ComposeResult:
        where = display_text(str(self.path))
        waiting = ""
        if self.pending:
            waiting = (
                "\n\nYour note is not lost: moving the file aside saves it in the fresh file; "
                "keeping it read-only gives it back to you in the editor."
            )
        with Vertical(id="damaged-box"):
            yield Static(
                Content.assemble(
                    ("Your notes file is damaged", "bold"),
                    "\n",
                    (where, "bold"),
                    "\nIt has been left as it is: Glossator does not write to a damaged file.",
                    waiting,
                    "\n\n",
                    ("r  Keep reading", "bold"),
                    ", notes read-only: the notes that can still be read are shown; nothing is "
                    "saved to the file.\n",
                    ("m  Move it aside and start afresh", "bold"),
                    ": the damaged file is kept beside it, renamed "
                    f"{display_text(self.path.name)}.corrupt-<time>, and a new notes file gets "
                    "every note that can still be read from it.",
                ),
                id="damaged-text",
            )
            with Horizontal(id="damaged-buttons"):
                yield Button("Keep reading (r)", id="damaged-read-only", compact=True)
                yield Button(
                    "Move aside, start afresh (m)",
                    id="damaged-recover",
                    variant="warning",
                    compact=True,
                )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#damaged-read-only", Button).focus()

    def action_choose(self, choice: Choice) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(RECOVER if event.button.id == "damaged-recover" else READ_ONLY)
