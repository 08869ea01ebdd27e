"""The Themes tab: curated, discovered and the person's own themes, each with a bar across the
articles showing where it appears.

The panel shows what the screen gives it (``set_themes``, ``set_current``) and reports what the
person did through messages; it never calls the back end. How one theme is drawn (its name, bar
and description) is ``theme_row.py``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .layout import display_text
from .lists import KeyList
from .theme_row import INDENT, Bars, one_line, theme_prompt

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from glossator.index.themes import Theme

COMPACT_BELOW = 28  # a list lower than this shows the description of the highlighted theme only
GROUPS = (
    ("curated", "Curated"),
    ("discovered", "Discovered"),
    ("user", "Yours"),
)
EMPTY_GROUP = {
    "curated": "No themes.toml in this library's folder.",
    "discovered": "Nothing found across the articles yet.",
    "user": "Save a search as a theme: s in the search results.",
}
LOADING = "Finding the themes of the library…"
WARNINGS_SHOWN = 3


class ThemeOptions(KeyList):
    """The list of themes: r and d apply to the person's own themes only (the footer offers
    them only there)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            "List the theme's passages",
            id="themes.open",
            tooltip="grouped by article like search results; escape returns here",
        ),
        Binding("r", "rename", "Rename", id="themes.rename", tooltip="your own themes only"),
        Binding(
            "d",
            "delete",
            "Delete",
            id="themes.delete",
            tooltip="your own themes only; u brings it back",
        ),
        Binding("u", "undo", "Undo the deletion", show=False, id="themes.undo"),
        # on a curated or discovered theme, r and d are not offered; pressed, they say why
        Binding("r", "rename_other", show=False),
        Binding("d", "delete_other", show=False),
    ]

    def _panel(self) -> ThemesPanel | None:
        parent = self.parent
        return parent if isinstance(parent, ThemesPanel) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        panel = self._panel()
        if action in ("rename", "delete", "rename_other", "delete_other") and panel is not None:
            theme = panel.highlighted_theme
            yours = theme is not None and theme.kind == "user"
            return yours if action in ("rename", "delete") else theme is not None and not yours
        return True

    def action_open(self) -> None:
        panel = self._panel()
        if panel is not None:
            panel.post_chosen(panel.ThemeChosen)

    def action_rename(self) -> None:
        panel = self._panel()
        if panel is not None:
            panel.post_chosen(panel.RenameRequested)

    def action_delete(self) -> None:
        panel = self._panel()
        if panel is not None:
            panel.post_chosen(panel.DeleteRequested)

    action_rename_other = action_rename  # the controller says these are not yours
    action_delete_other = action_delete

    def action_undo(self) -> None:
        panel = self._panel()
        if panel is not None:
            panel.ask(panel.UndoRequested())


class ThemesPanel(Vertical):
    """The themes, grouped by kind; posts a message when one is opened, renamed or deleted, to
    its ``owner`` (the themes' controller, which handles it) when it has one."""

    class ThemeChosen(Message):
        """List this theme's passages."""

        def __init__(self, theme: Theme) -> None:
            super().__init__()
            self.theme = theme

    class RenameRequested(Message):
        def __init__(self, theme: Theme) -> None:
            super().__init__()
            self.theme = theme

    class DeleteRequested(Message):
        def __init__(self, theme: Theme) -> None:
            super().__init__()
            self.theme = theme

    class UndoRequested(Message):
        """Bring back the theme deleted last."""

    class Shown(Message):
        """The tab is on screen and has no themes yet: they are wanted now."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.themes: list[Theme] = []
        self.warnings: list[str] = []
        self.article_ids: list[str] = []
        self._bars = Bars([])
        self.current: str | None = None
        self.loaded = False
        self.owner: MessagePump | None = None  # where its requests go (up from it when None)
        self._rows: dict[int, int] = {}  # theme index -> option index
        self._width = 0
        self._compact = False
        self._described: int | None = None  # the theme whose description shows when compact

    def compose(self) -> ComposeResult:
        yield Static(LOADING, id="themes-note", classes="panel-note", markup=False)
        yield ThemeOptions(id="themes-list", markup=False)

    @property
    def options(self) -> ThemeOptions:
        return self.query_one(ThemeOptions)

    @property
    def note(self) -> str:
        return str(self.query_one("#themes-note", Static).content)

    # -- attributes down -----------------------------------------------------------------------

    def show_note(self, text: str | None) -> None:
        """A dim line above the list: loading, a failure, the mistakes of a themes file."""
        note = self.query_one("#themes-note", Static)
        note.update(Content(display_text(text)) if text else "")
        note.display = bool(text)

    def set_themes(
        self,
        themes: Sequence[Theme],
        warnings: Sequence[str],
        article_ids: Sequence[str],
        current: str | None,
        select: tuple[str, str] | None = None,
    ) -> None:
        """Show ``themes``; ``select`` is (kind, name) of the theme to highlight, else the
        highlighted theme stays highlighted (or its neighbour, when it is gone)."""
        before = self.highlighted_theme
        keep = select or ((before.kind, before.name) if before else None)
        old_row = self.options.highlighted
        self.themes = list(themes)
        self.warnings = list(warnings)
        self.article_ids = list(article_ids)
        self._bars = Bars(self.article_ids)
        self.current = current
        self.loaded = True
        self._show_warnings()
        self._fill()
        option_list = self.options
        if not self._rows:
            return
        target = self.find(*keep) if keep else None
        if target is not None:
            option_list.highlighted = self._rows[target]
        elif old_row is not None:
            rows = sorted(self._rows.values())
            option_list.highlighted = min(rows, key=lambda r: (abs(r - old_row), r))
        else:
            option_list.highlighted = min(self._rows.values())
        self._describe_highlighted()

    def set_current(self, article_id: str | None) -> None:
        """Mark the article being read in every bar."""
        if article_id == self.current:
            return
        self.current = article_id
        option_list = self.options
        for index, row in self._rows.items():
            option_list.replace_option_prompt_at_index(row, self._prompt(index))

    def find(self, kind: str, name: str) -> int | None:
        folded = name.casefold()
        for i, theme in enumerate(self.themes):
            if theme.kind == kind and theme.name.casefold() == folded:
                return i
        return None

    @property
    def highlighted_theme(self) -> Theme | None:
        option = self.options.highlighted_option
        if option is None or not option.id or not option.id.startswith("theme-"):
            return None
        index = int(option.id.removeprefix("theme-"))
        return self.themes[index] if index < len(self.themes) else None

    # -- drawing -------------------------------------------------------------------------------

    def _show_warnings(self) -> None:
        if not self.warnings:
            self.show_note(None)
            return
        shown = [f"⚠ {w}" for w in self.warnings[:WARNINGS_SHOWN]]
        more = len(self.warnings) - WARNINGS_SHOWN
        if more > 0:
            shown.append(f"… and {more} more")
        self.show_note("\n".join(shown))

    def _prompt(self, index: int) -> Content:
        describe = not self._compact or index == self._described
        return theme_prompt(self.themes[index], self._bars, self.current, self._width, describe)

    def _fill(self) -> None:
        option_list = self.options
        self._width = self._list_width()
        self._compact = 0 < option_list.size.height < COMPACT_BELOW
        self._described = None
        options: list[Option] = []
        self._rows = {}
        for kind, title in GROUPS:
            members = [i for i, t in enumerate(self.themes) if t.kind == kind]
            heading = Content.assemble(
                "\n" if options else "",
                (f" {title}", "bold $text-accent"),
                (f"  {len(members)}", "dim"),
            )
            options.append(Option(heading, id=f"group-{kind}", disabled=True))
            if not members:
                empty = EMPTY_GROUP[kind]
                if kind == "curated" and self.warnings:
                    empty = "None loaded: see above."
                text = Content.assemble(
                    " " * INDENT, (one_line(empty, self._width - INDENT), "dim")
                )
                options.append(Option(text, id=f"empty-{kind}", disabled=True))
            for i in members:
                self._rows[i] = len(options)
                options.append(Option(self._prompt(i), id=f"theme-{i}"))
        option_list.set_options(options)

    def _describe_highlighted(self) -> None:
        """When compact, only the highlighted theme shows its description."""
        theme = self.highlighted_theme
        index = self.themes.index(theme) if theme is not None else None
        if index == self._described:
            return
        previous, self._described = self._described, index
        if not self._compact:
            return
        option_list = self.options
        for i in (previous, index):
            if i is not None and i in self._rows:
                option_list.replace_option_prompt_at_index(self._rows[i], self._prompt(i))
        self.call_after_refresh(option_list.scroll_to_highlight)  # it has grown: keep it in view

    def _list_width(self) -> int:
        option_list = self.options
        styles = option_list.styles
        return max(0, option_list.size.width - styles.gutter.width - styles.scrollbar_size_vertical)

    def on_resize(self) -> None:
        # the list's own size is settled only after this refresh
        self.call_after_refresh(self._refit)

    def on_show(self) -> None:
        self.call_after_refresh(self._refit)
        if not self.loaded:
            self.ask(self.Shown())

    def _refit(self) -> None:
        option_list = self.options
        if not option_list.size.width:
            return  # hidden: fitted when it shows
        compact = 0 < option_list.size.height < COMPACT_BELOW
        if self.loaded and (self._list_width() != self._width or compact != self._compact):
            row = option_list.highlighted
            self._fill()
            if row is not None:
                option_list.highlighted = row
            self._describe_highlighted()

    # -- what the person does ------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#themes-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._describe_highlighted()
        self.options.refresh_bindings()  # r and d depend on the theme

    @on(OptionList.OptionSelected, "#themes-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_chosen(self.ThemeChosen)

    def ask(self, message: Message) -> None:
        """Post one of the panel's requests to its owner (or up from the panel, without one)."""
        (self.owner or self).post_message(message)

    def post_chosen(
        self, message: type[ThemeChosen] | type[RenameRequested] | type[DeleteRequested]
    ) -> None:
        theme = self.highlighted_theme
        if theme is not None:
            self.ask(message(theme))
