"""What a review is limited to: everything due, the article being read, a label, a tag or a
theme. A small modal listing them; dismissed with the ``ScopeOption`` chosen, or None."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
from ..widgets.layout import display_text
from ..widgets.lists import KeyList

if TYPE_CHECKING:
    from glossator.index.model import Article
    from glossator.index.notes import Label, Note
    from glossator.index.review import Scope
    from glossator.index.themes import Theme

KIND_WORDS = {"all": "", "article": "Article", "label": "Label", "tag": "Tag", "theme": "Theme",
              "notes": "Notes"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ScopeOption:
    """One way to limit a review: ``kind`` ("all", "article", "label", "tag", "theme" or
    "notes"), the value it needs (an article id, a label, a tag, a theme's name) and how to say
    it. ``note_ids`` for "notes": the notes chosen."""

    kind: str
    value: str = ""
    text: str = ""
    note_ids: frozenset[str] | None = None
    theme: Theme | None = None

    def scope(self) -> Scope | None:
        """The review's scope (a theme's is found by a search: ``theme_scope``)."""
        from glossator.index.review import Scope

        name = display_text(self.text or self.value)
        if self.kind == "article":
            return Scope(article=self.value, name=f"article “{name}”")
        if self.kind == "label":
            return Scope(label=self.value, name=f"label {name}")
        if self.kind == "tag":
            return Scope(tag=self.value, name=f"tag #{self.value}")
        if self.kind == "notes":
            return Scope(note_ids=self.note_ids or frozenset(), name=name)
        return None


def scope_options(
    article: Article | None,
    labels: Sequence[Label],
    notes: Sequence[Note],
    themes: Sequence[Theme],
) -> list[ScopeOption]:
    """Everything due, the article being read, each label, each tag of the notes, each theme."""
    options = [ScopeOption("all", text="Everything due")]
    if article is not None:
        options.append(ScopeOption("article", article.id, article.title))
    options += [ScopeOption("label", label.name) for label in labels]
    tags = sorted({t.casefold(): t for n in notes for t in n.tags}.values(), key=str.casefold)
    options += [ScopeOption("tag", tag, f"#{tag}") for tag in tags]
    options += [ScopeOption("theme", t.name, t.name, theme=t) for t in themes]
    return options


class ScopePicker(ModalScreen["ScopeOption | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="scope.cancel"),
    ]

    def __init__(self, options: Sequence[ScopeOption] = (), current: str = "") -> None:
        super().__init__()
        self.options = list(options)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="scope-box"):
            yield Static(
                Content.assemble(
                    ("Review what?", "bold"),
                    ("  enter chooses · escape keeps ", "dim"),
                    (display_text(self.current), "dim italic"),
                ),  # fmt: skip
                id="scope-title",
            )
            yield KeyList(
                *(Option(self._prompt(o)) for o in self.options), id="scope-list", markup=False
            )
        yield FittingFooter()

    @staticmethod
    def _prompt(option: ScopeOption) -> Content:
        word = KIND_WORDS.get(option.kind, "")
        text = display_text(option.text or option.value)
        if not word:
            return Content.assemble((text, "bold"))
        return Content.assemble((f"{word:<8}", "dim"), (text, "bold"))

    def on_mount(self) -> None:
        self.query_one(KeyList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#scope-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.options):
            self.dismiss(self.options[event.option_index])
