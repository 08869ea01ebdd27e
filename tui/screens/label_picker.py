"""The label picker: the person's codebook of labels, to put on the note or highlight here.

Keys 1–9 (or space on the highlighted label) put a label on or take it off; enter keeps the
choice, escape leaves the labels as they were. The codebook itself is edited here too, at once
(each change is saved when it is made): ``n`` a new label (it gets a colour and the first free
key), ``r`` renames, ``c`` gives the next colour, ``s`` sets its key, ``d`` removes it from the
codebook and from every note (asks first). The picker reads and writes the store in its own
workers; it is dismissed with a ``LabelChoice``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from ..widgets.footer import FittingFooter
from ..widgets.labels import SWATCH, hex_of
from ..widgets.layout import display_text
from ..widgets.lists import KeyList
from .ask import AskText, Confirm

if TYPE_CHECKING:
    from glossator.index.notes import Label, NoteStore

HINT = "1–9 or space: on/off · enter keeps · escape leaves as it was"
EDIT_HINT = "n new · r rename · c colour · s key · d remove"
EMPTY = "No labels yet: n makes one (say claim, evidence, question)."


@dataclass(frozen=True, slots=True)
class LabelChoice:
    """What the picker was closed with: the label names chosen (None: left as they were), and
    the codebook as it is now if it was changed (``renamed``: names on notes changed)."""

    names: tuple[str, ...] | None
    codebook: tuple[Label, ...] | None = None
    renamed: bool = False


def _digit(n: int) -> Binding:
    return Binding(
        str(n),
        f"toggle_key({n})",
        "Put a label on or take it off",
        show=False,
        id=f"labels.key_{n}",
        tooltip="the label of that key in the codebook",
    )


class LabelPicker(ModalScreen[LabelChoice]):
    """Labels for ``what`` (a place, said in the title), ``chosen`` the names it has."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(_digit(n) for n in range(1, 10)),
        Binding(
            "space",
            "toggle_highlighted",
            "On/off",
            id="labels.toggle",
            tooltip="the highlighted label",
        ),
        Binding("enter", "done", "Keep", id="labels.done", tooltip="the labels chosen"),
        Binding(
            "escape", "cancel", "Cancel", id="labels.cancel", tooltip="the labels stay as they were"
        ),
        Binding("n", "new", "New label", id="labels.new"),
        Binding("r", "rename", "Rename", id="labels.rename"),
        Binding("c", "colour", "Colour", id="labels.colour", tooltip="the next of seven"),
        Binding("s", "set_key", "Key", id="labels.set_key", tooltip="1–9, or none"),
        Binding(
            "d",
            "remove",
            "Remove",
            id="labels.remove",
            tooltip="from the codebook and from every note (asks first)",
        ),
    ]

    def __init__(
        self,
        labels: list[Label] | tuple[Label, ...] = (),
        chosen: tuple[str, ...] = (),
        what: str = "",
        open_store: Callable[[], NoteStore] | None = None,
    ) -> None:
        super().__init__(id="label-picker")
        self.labels: list[Label] = list(labels)
        self.chosen: list[str] = list(chosen)  # names, in the order they were put on
        self.what = what
        self.open_store = open_store
        self.changed = False  # the codebook was changed here
        self.renamed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="labels-box"):
            yield Static(
                Content.assemble(("Labels", "bold"), (f"  {display_text(self.what)}", "dim")),
                id="labels-title",
            )
            yield KeyList(id="labels-list", markup=False)
            yield Static("", id="labels-message", markup=False)
            yield Static(Content(f"{HINT}\n{EDIT_HINT}"), id="labels-hint")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._fill()
        self.query_one(KeyList).focus()

    # -- the list --------------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name.casefold() in (c.casefold() for c in self.chosen)

    def _fill(self, select: str | None = None) -> None:
        options = self.query_one(KeyList)
        before = self.highlighted
        wanted = select or (before.name if before is not None else None)
        options.set_options(Option(self._prompt(label), id=label.id) for label in self.labels)
        self._say(EMPTY if not self.labels else "")
        options.display = bool(self.labels)
        names = [label.name.casefold() for label in self.labels]
        if self.labels:
            wanted = (wanted or "").casefold()
            options.highlighted = names.index(wanted) if wanted in names else 0

    def _prompt(self, label: Label) -> Content:
        key = str(label.key) if label.key is not None else " "
        mark = "✓" if self.has(label.name) else " "
        colour = hex_of(label.colour)
        return Content.assemble(
            (f"{mark} ", "bold $text-success"),
            (f"{key} ", "bold"),
            (f"{SWATCH} ", colour),
            (display_text(label.name), f"bold {colour}"),
            (f"  {label.colour}", "dim"),
        )

    @property
    def highlighted(self) -> Label | None:
        index = self.query_one(KeyList).highlighted
        return self.labels[index] if index is not None and index < len(self.labels) else None

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#labels-message", Static)
        message.update(Content(display_text(text)))
        message.set_class(error, "-error")
        message.display = bool(text)

    # -- choosing --------------------------------------------------------------------------------

    def _toggle(self, label: Label) -> None:
        if self.has(label.name):
            self.chosen = [c for c in self.chosen if c.casefold() != label.name.casefold()]
        else:
            self.chosen.append(label.name)
        self._fill(select=label.name)

    def action_toggle_key(self, key: int) -> None:
        label = next((lb for lb in self.labels if lb.key == key), None)
        if label is None:
            self._say(f"No label has the key {key}: s gives the highlighted one a key.", True)
            return
        self._toggle(label)

    def action_toggle_highlighted(self) -> None:
        label = self.highlighted
        if label is not None:
            self._toggle(label)

    @on(OptionList.OptionSelected, "#labels-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_done()

    def action_done(self) -> None:
        self.dismiss(LabelChoice(tuple(self.chosen), self._codebook(), self.renamed))

    def action_cancel(self) -> None:
        self.dismiss(LabelChoice(None, self._codebook(), self.renamed))

    def _codebook(self) -> tuple[Label, ...] | None:
        return tuple(self.labels) if self.changed else None

    # -- editing the codebook (saved at once) ----------------------------------------------------

    def _taken(self, name: str, but: Label | None = None) -> str | None:
        if not name:
            return "A label needs a name."
        for label in self.labels:
            if label is not but and label.name.casefold() == name.casefold():
                return f"There is already a label {name!r}."
        return None

    def action_new(self) -> None:
        def named(name: str | None) -> None:
            if name:
                keys = {lb.key for lb in self.labels}
                key = next((k for k in range(1, 10) if k not in keys), None)
                self._change("add", name, key=key)

        self.app.push_screen(
            AskText("A new label", placeholder="claim, evidence, question…", check=self._taken),
            named,
        )

    def action_rename(self) -> None:
        label = self.highlighted
        if label is None:
            return

        def named(name: str | None) -> None:
            if name and name != label.name:
                self._change("rename", label.name, new_name=name)

        check: Callable[[str], str | None] = lambda name: self._taken(name, label)  # noqa: E731
        self.app.push_screen(AskText(f"Rename {label.name!r}", label.name, check=check), named)

    def action_colour(self) -> None:
        from glossator.index.notes import COLOURS

        label = self.highlighted
        if label is not None:
            index = COLOURS.index(label.colour) if label.colour in COLOURS else -1
            self._change("colour", label.name, colour=COLOURS[(index + 1) % len(COLOURS)])

    def action_set_key(self) -> None:
        label = self.highlighted
        if label is None:
            return

        def check(text: str) -> str | None:
            if text and not (text.isdigit() and 1 <= int(text) <= 9):
                return "A key is 1 to 9 (empty: no key)."
            other = next(
                (lb for lb in self.labels if str(lb.key) == text and lb is not label), None
            )
            return f"Key {text} is {other.name!r}'s." if other is not None else None

        def given(text: str | None) -> None:
            if text is not None:
                self._change("key", label.name, key=int(text) if text else None)

        current = str(label.key) if label.key is not None else ""
        title = f"The key of {label.name!r}: 1 to 9, empty for none"
        self.app.push_screen(AskText(title, current, check=check, max_length=1), given)

    def action_remove(self) -> None:
        label = self.highlighted
        if label is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._change("remove", label.name)

        detail = "It comes off every note and highlight that has it; the notes stay."
        self.app.push_screen(Confirm(f"Remove the label {label.name!r}?", detail), answered)

    def _change(self, what: str, name: str, **fields: object) -> None:
        if self.open_store is None:
            return
        self._write(what, name, fields)

    @work(thread=True, exclusive=True, group="labels", exit_on_error=False)
    def _write(self, what: str, name: str, fields: dict[str, object]) -> None:
        from glossator.index.notes import COLOURS

        assert self.open_store is not None
        store = self.open_store()
        select = name
        if what == "add":
            used = {lb.colour for lb in self.labels}
            colour = next((c for c in COLOURS if c not in used), COLOURS[len(used) % 7])
            key = fields.get("key")
            store.add_label(name, colour, key if isinstance(key, int) else None)
        elif what == "remove":
            store.remove_label(name)
        elif what == "rename":
            select = str(fields["new_name"])
            store.edit_label(name, new_name=select)
        elif what == "colour":
            store.edit_label(name, colour=str(fields["colour"]))
        else:
            key = fields.get("key")
            store.edit_label(name, key=key if isinstance(key, int) else None)
        labels = store.labels()
        self.app.call_from_thread(self._changed, what, name, select, labels)

    def _changed(self, what: str, name: str, select: str, labels: list[Label]) -> None:
        self.labels, self.changed = labels, True
        if what in ("rename", "remove"):
            self.renamed = True
            kept = [c for c in self.chosen if c.casefold() != name.casefold()]
            self.chosen = kept + ([select] if what == "rename" and self.has(name) else [])
        self._fill(select=None if what == "remove" else select)
        told = {"add": "Made", "remove": "Removed", "rename": "Renamed", "colour": "Recoloured"}
        self._say(f"{told.get(what, 'Changed')} {select!r}.")

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self._say(f"Not saved: {error or type(error).__name__}", error=True)
