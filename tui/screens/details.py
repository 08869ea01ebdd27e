"""An article's details, to read and correct: title, authors, outlet, date and web address, as
citations give them. A modal dismissed with the corrections to make, or None.

What the person types is checked as `glossator meta --set` checks it (``metadata.parse_value``);
a field put back to what the file itself says drops its correction. Corrections are kept beside
the notes, never in the article's file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from glossator.index.metadata import FIELDS, MetadataError, parse_value

from ..widgets.footer import FittingFooter
from ..widgets.layout import display_text

LABELS = {
    "title": "Title",
    "authors": "Authors",
    "outlet": "Outlet",
    "published": "Date",
    "url": "Web address",
}
KINDS = {
    "text": "Plain text",
    "markdown": "Markdown",
    "rst": "reStructuredText",
    "html": "Saved web page",
    "epub": "EPUB",
    "pdf": "PDF",
}
HINTS = {
    "authors": "separated by ; or and",
    "published": "2024, 2024-03 or 2024-03-05",
    "url": "http:// or https://",
}


@dataclass(frozen=True, slots=True)
class Corrections:
    """What to change: the values to set, and the fields put back to the file's own."""

    changes: dict[str, Any] = field(default_factory=dict)
    unset: tuple[str, ...] = ()


def shown(key: str, value: Any) -> str:
    """A metadata value as it is written in its field."""
    if key == "authors":
        return "; ".join(value or [])
    return "" if value is None else str(value)


class DetailsScreen(ModalScreen["Corrections | None"]):
    """The details of one article; ctrl+s keeps the corrections, escape leaves them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Keep the corrections", id="details.save"),
        Binding("escape", "cancel", "Close", id="details.cancel"),
    ]

    def __init__(
        self,
        title: str,
        current: Mapping[str, Any],
        found: Mapping[str, Any],
        kind: str,
        warnings: Sequence[str] = (),
    ) -> None:
        """``current``: the metadata as shown now (corrections applied); ``found``: as the
        article's file gives it; ``warnings``: what was found wrong with the file as it was read
        (not UTF-8, repaired mojibake, pages without text)."""
        super().__init__()
        self.heading, self.current, self.found, self.kind = title, current, found, kind
        self.warnings = tuple(warnings)

    def compose(self) -> ComposeResult:
        with Vertical(id="details-box"):
            yield Static(
                Content.assemble(
                    ("Article details", "bold"), (f"  {display_text(self.heading)}", "dim")
                ),
                id="details-title",
            )
            for key in FIELDS:
                with Horizontal(classes="details-row"):
                    yield Static(Content(LABELS[key]), classes="details-label")
                    yield Input(
                        display_text(shown(key, self.current.get(key))),
                        placeholder=HINTS.get(key, ""),
                        id=f"field-{key}",
                        compact=True,
                    )
            yield Static("", id="details-message", markup=False)
            if self.warnings:
                yield Static(
                    Content("\n".join(f"⚠ {display_text(w)}" for w in self.warnings)),
                    id="details-warnings",
                )
            yield Static(
                Content(
                    f"{self.kind} · ctrl+s keeps the corrections (beside your notes, never in "
                    "the file); a field put back to the file's own drops its correction"
                ),
                id="details-hint",
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(f"#field-{FIELDS[0]}", Input).focus()

    def _say(self, text: str) -> None:
        widget = self.query_one("#details-message", Static)
        widget.update(Content(display_text(text)))
        widget.display = bool(text)

    def corrections(self) -> Corrections:
        """What the fields ask for, checked (MetadataError names the field that is wrong)."""
        changes: dict[str, Any] = {}
        unset: list[str] = []
        for key in FIELDS:
            typed = self.query_one(f"#field-{key}", Input).value
            if typed.strip() == display_text(shown(key, self.current.get(key))).strip():
                continue  # not touched
            if typed.strip() == display_text(shown(key, self.found.get(key))).strip():
                unset.append(key)  # back to what the file says
                continue
            try:
                changes[key] = parse_value(key, typed)
            except MetadataError as exc:
                raise MetadataError(f"{LABELS[key]}: {exc}") from exc
        return Corrections(changes, tuple(unset))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._say("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        try:
            wanted = self.corrections()
        except MetadataError as exc:
            self._say(str(exc))
            return
        self.dismiss(wanted if wanted.changes or wanted.unset else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
