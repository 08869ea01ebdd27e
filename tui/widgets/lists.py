"""Option lists that answer the reader's keys too: j/k move, g/G go to the ends."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class KeyList(OptionList):
    """An OptionList with vim keys besides the arrows (every list of the app is one)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down in a list", show=False, id="pane.list_down"),
        Binding("k", "cursor_up", "Up in a list", show=False, id="pane.list_up"),
        Binding("g", "first", "First in a list", show=False, id="pane.list_first"),
        Binding("G", "last", "Last in a list", show=False, id="pane.list_last"),
    ]
