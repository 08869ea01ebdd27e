"""Command palette entries (ctrl+p): open an article by its title, list a theme's passages,
go to a note by its first words, change the colours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from glossator.index.textutil import neutralise

if TYPE_CHECKING:
    from glossator.index.notes import Note
    from glossator.index.themes import Theme

    from .screens.main import MainScreen


def note_help(note: Note, titles: dict[str, str]) -> str:
    """The palette's line under a note: where it is, and its tags."""
    from .widgets.layout import display_text
    from .widgets.note_text import note_place

    where = titles.get(note.article_id, note.article_id)
    tags = " ".join(f"#{t}" for t in note.tags)
    return display_text(" · ".join(p for p in (note_place(note), where, tags) if p))


class GlossatorCommands(Provider):
    """Articles, themes and notes of the library, and the colour themes."""

    themes: Sequence[Theme] = ()  # the library's themes, loaded when the palette opens

    def _main(self) -> MainScreen | None:
        from .screens.main import MainScreen

        main = getattr(self.app, "main", None)
        return main if isinstance(main, MainScreen) else None

    def _commands(self) -> Iterator[tuple[str, Callable[[], None], str]]:
        from .controllers.themes import theme_help
        from .widgets.note_text import first_words

        app = self.app
        main = self._main()
        if main is not None:
            for info in main.articles:
                title = neutralise(info.title)
                yield (
                    f"Open: {title}",
                    partial(main.reading.go_to, info.id, 0),
                    f"{info.sentences} sentences"
                    + (f" · {neutralise(info.byline)}" if info.byline else ""),
                )
            for theme in self.themes:
                yield (
                    f"Theme: {neutralise(theme.name)}",
                    partial(main.themes_part.list_passages, theme),
                    theme_help(theme),
                )
            titles = {a.id: a.title for a in main.articles}
            for note in main.notes:
                yield (
                    f"Note: {first_words(note.text)}",
                    partial(main.notes_part.go_to, note),
                    note_help(note, titles),
                )
        for name in sorted(app.available_themes):
            yield (
                f"Colours: {name}",
                partial(setattr, app, "theme", name),
                "the colours now" if name == app.theme else "change to these colours (kept)",
            )

    async def startup(self) -> None:
        main = self._main()
        self.themes = await main.themes_part.for_palette() if main is not None else []

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
