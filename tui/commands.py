"""Command palette entries (ctrl+p): open an article by its title, switch the colour theme.

Jumping to a theme or a note arrives with those features; they add their hits here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from index.textutil import neutralise


class GlossatorCommands(Provider):
    """Articles of the library and the colour themes."""

    def _commands(self) -> Iterator[tuple[str, Callable[[], None], str]]:
        from .screens.main import MainScreen

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
        for name in sorted(app.available_themes):
            yield (
                f"Colour theme: {name}",
                partial(self._theme, name),
                "current theme" if name == app.theme else "switch to this theme (kept)",
            )

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
