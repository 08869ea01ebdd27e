"""What the review screen shows: a header (the session, the card's place in it), the card (its
source, the passage in its paragraph and, once shown, the note) and the keys that apply now.

A widget that only draws what it is handed (``glossator.tui.widgets.review_card`` makes the
contents); the review screen owns the session.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from .layout import display_text

KeyHint = Sequence[str | tuple[str, str]]


class ReviewView(Vertical):
    def compose(self) -> ComposeResult:
        yield Static("", id="review-header", markup=False)
        with VerticalScroll(id="review-body"):
            yield Static("", id="review-source", markup=False)
            yield Static("", id="review-passage", markup=False)
            yield Static("", id="review-answer", markup=False)
        yield Static("", id="review-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one("#review-body").can_focus = False
        self._static("answer").display = False

    def _static(self, name: str) -> Static:
        return self.query_one(f"#review-{name}", Static)

    @property
    def text(self) -> str:
        """What is shown, as plain text (for tests)."""
        names = ("header", "source", "passage", "answer", "keys")
        shown = [self._static(name) for name in names]
        return "\n".join(str(w.content) for w in shown if w.display)

    def header(self, parts: Sequence[str]) -> None:
        self._static("header").update(Content(" · ".join(p for p in parts if p)))

    def say(self, text: str) -> None:
        """No card on screen: ``text`` says why."""
        self._static("source").update(Content(display_text(text)))
        self._static("passage").update("")
        self._static("answer").display = False
        self._static("keys").update(Content.assemble(("escape", "bold"), " ends the review"))

    def card(
        self, source: Content, passage: Content, answer: Content | None, keys: Content | KeyHint
    ) -> None:
        """A card: ``answer`` None until the note is shown."""
        self._static("source").update(source)
        self._static("passage").update(passage)
        shown = self._static("answer")
        shown.display = answer is not None
        if answer is not None:
            shown.update(answer)
            self.call_after_refresh(shown.scroll_visible, animate=False)
        hint = keys if isinstance(keys, Content) else Content.assemble(*keys)
        self._static("keys").update(hint)
