"""Command palette entries (ctrl+p): open an article by its title, list a theme's passages,
go to a note by its first words, switch the colour theme.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from glossator.index.textutil import neutralise

if TYPE_CHECKING:
    from glossator.index.themes import Theme


class GlossatorCommands(Provider):
    """Articles of the library and the colour themes."""

    themes: Sequence[Theme] = ()  # the library's themes, loaded when the palette opens

    def _commands(self) -> Iterator[tuple[str, Callable[[], None], str]]:
        from .screens.main import MainScreen
        from .screens.main_notes import first_words, note_help
        from .screens.main_themes import theme_help

        app = self.app
        main = getattr(app, "main", None)
        if isinstance(main, MainScreen):
            for info in main.articles:
                title = neutralise(info.title)
                yield (
                    f"Open: {title}",
                    partial(self._open, main, info.id),
                    f"{info.sentences} sentences"
                    + (f" · {neutralise(info.byline)}" if info.byline else ""),
                )
            for theme in self.themes:
                yield (
                    f"Theme: {neutralise(theme.name)}",
                    partial(main.open_theme, theme),
                    theme_help(theme),
                )
            for note in main.notes:
                yield (
                    f"Note: {first_words(note.text)}",
                    partial(main.go_to_note, note),
                    note_help(note, main),
                )
        for name in sorted(app.available_themes):
            yield (
                f"Colour theme: {name}",
                partial(self._theme, name),
                "current theme" if name == app.theme else "switch to this theme (kept)",
            )

    async def startup(self) -> None:
        from .screens.main import MainScreen

        main = getattr(self.app, "main", None)
        self.themes = await main.themes_for_palette() if isinstance(main, MainScreen) else []

    def _open(self, main, article_id: str) -> None:
        main.open_article(article_id, 0)
        main.show_reader()

    def _theme(self, name: str) -> None:
        self.app.theme = name

    async def discover(self) -> Hits:
        for text, command, help_text in self._commands():
            if text.startswith("Open: "):
                yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=help_text)
