"""Command palette entries (ctrl+p): open an article by its title, list a theme's passages,
go to a note by its first words, change the colours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from glossator.index.model import place_of
from glossator.index.textutil import neutralise

if TYPE_CHECKING:
    from glossator.index.model import ArticleInfo
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


ARTICLES_AROUND = 50  # articles offered when nothing is typed: those around the one read
FUZZY_ARTICLES = 2000  # libraries up to this size: every title matched as typed, loosely
ARTICLES_FOUND = 200  # bigger ones: titles holding the words typed, at most this many


class GlossatorCommands(Provider):
    """Articles, themes and notes of the library, and the colour themes."""

    themes: Sequence[Theme] = ()  # the library's themes, loaded when the palette opens

    def _main(self) -> MainScreen | None:
        from .screens.main import MainScreen

        main = getattr(self.app, "main", None)
        return main if isinstance(main, MainScreen) else None

    def _article(self, main: MainScreen, info: ArticleInfo) -> tuple[str, Callable[[], None], str]:
        return (
            f"Open: {neutralise(info.title)}",
            partial(main.reading.go_to, info.id, 0),
            f"{info.sentences} sentences"
            + (f" · {neutralise(info.byline)}" if info.byline else ""),
        )

    def _articles_found(self, main: MainScreen, query: str) -> Iterator[ArticleInfo]:
        """The articles to match ``query`` against: all of a library of up to
        ``FUZZY_ARTICLES``; in a bigger one (the matcher takes microseconds a title, seconds
        at every key for 100,000) those whose "Open: title" holds every word typed, at most
        ``ARTICLES_FOUND``."""
        articles = main.articles
        if len(articles) <= FUZZY_ARTICLES:
            yield from articles
            return
        words = query.casefold().split()
        found = 0
        for info in articles:
            text = f"open: {info.title.casefold()}"
            if all(word in text for word in words):
                yield info
                found += 1
                if found >= ARTICLES_FOUND:
                    return

    def _commands(self) -> Iterator[tuple[str, Callable[[], None], str]]:
        """Everything but the articles: themes, notes, colours."""
        from .controllers.themes import theme_help
        from .widgets.note_text import first_words

        app = self.app
        main = self._main()
        if main is not None:
            for theme in self.themes:
                yield (
                    f"Theme: {neutralise(theme.name)}",
                    partial(main.themes_part.list_passages, theme),
                    theme_help(theme),
                )
            notes = main.notes
            ids = {note.article_id for note in notes}
            titles = {a.id: a.title for a in main.articles if a.id in ids} if notes else {}
            for note in notes:
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
        """The articles around the one being read (all of a small library)."""
        main = self._main()
        if main is None:
            return
        articles = main.articles
        current = main.reader.article.id if main.reader.article is not None else None
        at = max(0, place_of(articles, current))
        start = max(0, min(at - ARTICLES_AROUND // 2, len(articles) - ARTICLES_AROUND))
        for info in articles[start : start + ARTICLES_AROUND]:
            text, command, help_text = self._article(main, info)
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        main = self._main()
        if main is not None:
            for info in self._articles_found(main, query):
                text, command, help_text = self._article(main, info)
                score = matcher.match(text)
                if score > 0:
                    yield Hit(score, matcher.highlight(text), command, text=text, help=help_text)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=help_text)
