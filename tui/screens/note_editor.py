"""Writing a note: a modal editor that returns the text (``dismiss(text)``) or None.

The quoted sentence(s) stand above a multi-line TextArea, shown literally (neutralised, never
read as markup). ctrl+s saves: the editor closes with the text and the screen saves it in a
worker. escape cancels, and asks first when something was typed. If the save fails, the screen
opens the editor again with the text and the error, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from ..widgets.footer import FittingFooter
from ..widgets.layout import display_text

HINT = "ctrl+s saves · escape cancels · #words are tags · ctrl+l links a sentence"


class NoteText(TextArea):
    """The editor's text area. Textual's undo can fail on a soft-wrapped text after some
    pastes and selections ("line index out of bounds"); here that undo is refused with a word
    and the text stays exactly as it is, rather than the app ending with a traceback."""

    def _keep(self, what: str) -> None:
        text, cursor = self.text, self.cursor_location
        self.load_text(text)  # a fresh document: the text as it is, the undo history cleared
        try:
            self.cursor_location = cursor
        except ValueError:
            self.move_cursor(self.document.end)
        self.notify(f"That could not be {what}; your text is as it was.", timeout=4)

    def action_undo(self) -> None:
        try:
            super().action_undo()
        except (ValueError, IndexError):
            self._keep("undone")

    def action_redo(self) -> None:
        try:
            super().action_redo()
        except (ValueError, IndexError):
            self._keep("redone")


class ConfirmDiscard(ModalScreen[bool]):
    """Asks before a typed note is thrown away: True to discard, False to keep writing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Discard the note", id="editor.discard_yes"),
        Binding("n,escape", "answer(False)", "Keep writing", id="editor.discard_no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(
                Content.assemble(("Discard this note?", "bold"), "\nWhat you typed will be lost."),
                id="confirm-text",
            )
            with Horizontal(id="confirm-buttons"):
                yield Button("Discard (y)", id="confirm-discard", variant="error", compact=True)
                yield Button("Keep writing (n)", id="confirm-keep", compact=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#confirm-keep", Button).focus()

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-discard")


class NoteEditor(ModalScreen[str | None]):
    """Edit one note's text about ``quote``; dismissed with the text, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save the note", id="editor.save"),
        Binding(
            "escape",
            "cancel",
            "Cancel the note",
            id="editor.cancel",
            tooltip="asks first if something was typed",
        ),
        Binding(
            "ctrl+l",
            "link",
            "Link",
            id="editor.link",
            tooltip="insert [[004 §7]], a link to a sentence chosen by article and §N",
        ),
    ]

    def __init__(
        self,
        quote: str,
        text: str = "",
        *,
        title: str = "New note",
        where: str = "",
        error: str | None = None,
        baseline: str | None = None,
        on_change: Callable[[str], None] | None = None,
        on_link: Callable[[Callable[[str], None]], None] | None = None,
    ) -> None:
        """``baseline`` is the text as it is stored (``text`` unless the editor is reopened
        after a failed save): escape asks first when the text differs from it. ``on_change``
        hears the text after every change (the draft kept on disk); ``on_link(insert)`` asks
        for a link and gives it to ``insert``."""
        super().__init__()
        self.on_change = on_change
        self.on_link = on_link
        self.quote = quote
        self.initial = text
        self.baseline = text if baseline is None else baseline
        self.heading = title
        self.where = where
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="editor-box"):
            yield Static(
                Content.assemble((self.heading, "bold"), (f"  {display_text(self.where)}", "dim")),
                id="editor-title",
            )
            with VerticalScroll(id="editor-quote-box"):
                yield Static(Content(f"“{display_text(self.quote).strip()}”"), id="editor-quote")
            yield NoteText(self.initial, id="editor-text", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="editor-error", markup=False)
            yield Static(Content(HINT), id="editor-hint")
        yield FittingFooter()

    @on(TextArea.Changed, "#editor-text")
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.on_change is not None:
            self.on_change(event.text_area.text)

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#editor-text", TextArea)

    @property
    def text(self) -> str:
        return self.text_area.text

    @property
    def unsaved(self) -> bool:
        """Something was typed or changed that closing would lose."""
        return self.text.strip() != self.baseline.strip()

    def on_mount(self) -> None:
        self.query_one("#editor-quote-box").can_focus = False
        area = self.text_area
        area.focus()
        area.move_cursor(area.document.end)
        self.show_error(self.error)

    def show_error(self, error: str | None) -> None:
        widget = self.query_one("#editor-error", Static)
        widget.update(Content(display_text(error or "")))
        widget.display = bool(error)

    def action_save(self) -> None:
        text = self.text
        if not text.strip():
            self.show_error("A note needs some text (escape cancels).")
            return
        self.dismiss(text)

    def action_link(self) -> None:
        if self.on_link is None:
            self.notify("Links can be written here as [[004 §7]].", timeout=3)
            return

        def insert(link: str) -> None:
            area = self.text_area
            area.insert(link)
            area.focus()

        self.on_link(insert)

    def action_cancel(self) -> None:
        if not self.unsaved:
            self.dismiss(None)  # nothing typed (or nothing changed): nothing to lose
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)
            else:
                self.text_area.focus()

        self.app.push_screen(ConfirmDiscard(), answered)
