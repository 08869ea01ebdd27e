"""The main screen's smaller parts, each alone: which article the reader shows when the library
opens or its folder changes (``ArticleLoading.open_first`` / ``library_changed``,
tui/widgets/reading_articles.py) on a stand-in view with no widget; what the status line says and
where the reader's place is kept (``StatusController``, tui/controllers/status.py) with a status
line in a bare app; and the sidebar beside the reading view (``Desk``, tui/widgets/desk.py) in a
bare app with no library."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from articles import PARAS, make_article
from textual.app import App, ComposeResult
from textual.widgets import Input

from glossator.index.model import Article, ArticleInfo
from glossator.index.notes import COLOURS, Label
from glossator.tui.controllers.library_change import Change
from glossator.tui.controllers.status import StatusController
from glossator.tui.state import Position
from glossator.tui.widgets.desk import Desk
from glossator.tui.widgets.labels import hex_of
from glossator.tui.widgets.notes_list import NotesList
from glossator.tui.widgets.reader import Reader
from glossator.tui.widgets.reading import ReadingView
from glossator.tui.widgets.reading_articles import NO_ARTICLES, ArticleLoading
from glossator.tui.widgets.sidebar import Sidebar
from glossator.tui.widgets.status import StatusLine
from glossator.tui.widgets.study import StudyView


def info(article: Article) -> ArticleInfo:
    return ArticleInfo(
        article.id, article.path, article.title, False, None, 7, 1, 0, article.id * 8
    )


ARTICLES = [make_article(PARAS, name, f"Article {name}") for name in ("a", "b", "c")]
INFOS = [info(a) for a in ARTICLES]


class StandInReader:
    def __init__(self) -> None:
        self.article: Article | None = None
        self.sentence = 0
        self.message = ""

    def show_article(self, article: Article, sentence: int, hits: object, row: object = None):
        self.article, self.sentence = article, sentence

    def show_message(self, text: str) -> None:
        self.article, self.message = None, text

    def clear_selection(self) -> None:
        pass


class StandInView:
    """What ``ArticleLoading`` asks of its host, the reading view; every article is in the
    cache, so nothing runs in a worker."""

    def __init__(self) -> None:
        self.reader = StandInReader()
        self.library = object()
        self.shown: list[str] = []
        self.told: list[str] = []
        self.changed: list[set[str]] = []

    def hit_spans(self, article: Article) -> list[tuple[int, int]]:
        return []

    def article_shown(self, article: Article) -> None:
        self.shown.append(article.id)

    def articles_changed(self, articles: list[ArticleInfo], changed: set[str]) -> None:
        self.changed.append(changed)

    def notify(self, text: str, **how: Any) -> None:
        self.told.append(text)

    def run_worker(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("every article is in the cache")


def loading() -> tuple[ArticleLoading, StandInView]:
    view = StandInView()
    loader = ArticleLoading(view)  # type: ignore[arg-type]
    loader.cache = {a.id: a for a in ARTICLES}
    return loader, view


def test_the_library_opens_at_the_place_kept_or_the_first_article():
    loader, view = loading()
    assert loader.open_first([], None) is None and view.reader.message == NO_ARTICLES
    assert loader.open_first(INFOS, Position("b", 3)) == "b"
    assert (view.reader.article.id, view.reader.sentence) == ("b", 3) and view.shown == ["b"]
    assert loader.open_first(INFOS, Position("gone", 3)) is None  # marked once shown
    assert (view.reader.article.id, view.reader.sentence) == ("a", 0)


def test_the_snapshots_article_is_replaced_in_place():
    loader, view = loading()
    replaced: list[bool] = []
    loader.replace_snapshot = lambda: replaced.append(True)  # type: ignore[method-assign]
    snap = SimpleNamespace(article=ARTICLES[2])
    loader.provisional = snap  # type: ignore[assignment]
    view.reader.article = ARTICLES[2]
    assert loader.open_first(INFOS, Position("a", 1)) == "c" and replaced == [True]
    assert view.shown == []  # the article stays; the library's comes in its place
    assert loader.open_first(INFOS[:2], Position("a", 1)) == "a"  # its article went


def test_when_the_article_read_goes_the_next_one_is_read_and_said():
    loader, view = loading()
    loader.open("b", 4)
    change = Change(INFOS, [INFOS[0], INFOS[2]])
    lost = [SimpleNamespace(article_id="b"), SimpleNamespace(article_id="a")]
    assert loader.library_changed(change, lost) == "c"  # type: ignore[arg-type]
    assert view.changed == [{"b"}] and view.reader.article.id == "c"
    (told,) = view.told
    assert "“Article b” is no longer in the library" in told and "Its 1 note is kept" in told
    assert "Now reading “Article c”" in told
    assert loader.library_changed(Change(INFOS, INFOS), []) == "c"  # nothing went: it stays
    view.reader.article = None
    assert loader.library_changed(Change([], INFOS), []) == "a"  # none shown: the first


class LineApp(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")


def line_part(line: StatusLine, opened: bool, showing: bool = False):
    kept: dict[str, list[tuple[object, ...]]] = {"saved": [], "snapshot": []}
    library = SimpleNamespace(
        library=SimpleNamespace(key="lib") if opened else None,
        articles=INFOS,
        index_of=lambda article_id: [i.id for i in INFOS].index(article_id),
        status=lambda: "lib · 3 articles · ready",
    )
    saving = SimpleNamespace(set_position=lambda *place: kept["saved"].append(place))
    snapshots = SimpleNamespace(position=lambda *place: kept["snapshot"].append(place))
    snap = SimpleNamespace(
        index=1, total=9, offset=10, articles=[SimpleNamespace(id="b", sentences=40)]
    )
    part = StatusController(line, library, saving, snapshots, snap, lambda: showing)  # type: ignore[arg-type]
    return part, kept


async def test_the_status_line_says_and_the_place_is_kept():
    async with LineApp().run_test(size=(100, 3)) as pilot:
        line = pilot.app.query_one(StatusLine)
        part, kept = line_part(line, opened=True)
        part.told("")
        assert line.text == "lib · 3 articles · ready"
        part.told("Saved.")
        assert line.text == "Saved."
        part.selection((2, 4))
        assert line.text.startswith("3 sentences selected")
        part.selection(None)
        assert line.text == "lib · 3 articles · ready"
        part.due(2)
        assert line.due == "2 due · R reviews"
        reader = SimpleNamespace(
            article=ARTICLES[1],
            sentences=ARTICLES[1].sentences,
            sentence=3,
            current_row=5,
            screen=pilot.app.screen,
        )
        part.place(SimpleNamespace(reader=reader, article_id="b", sentence=3, count=7))  # type: ignore[arg-type]
        await pilot.pause()
        position = str(line.query_one("#status-position").content)
        assert position == "article 2/3 · §4/7"
        assert kept == {"saved": [("lib", "b", 3)], "snapshot": [("b", 3, 5)]}

        part, kept = line_part(line, opened=False, showing=True)  # the snapshot, numbered as it was
        part.place(SimpleNamespace(reader=reader, article_id="b", sentence=3, count=7))  # type: ignore[arg-type]
        await pilot.pause()
        assert str(line.query_one("#status-position").content) == "article 2/9 · §14/40"
        assert kept == {"saved": [], "snapshot": []}  # nothing kept from the snapshot


class DeskApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Desk(id="body")


async def test_the_desk_moves_the_focus_between_the_sidebar_and_the_reader():
    async with DeskApp().run_test(size=(120, 30)) as pilot:
        desk = pilot.app.query_one(Desk)
        sidebar, reader = desk.sidebar, desk.reading.reader
        pilot.app.screen.set_focus(reader)
        sidebar.open_tab("notes")
        await pilot.pause()
        desk.search()  # in the Notes tab: its filter
        assert isinstance(pilot.app.focused, Input) and pilot.app.focused.id == "notes-filter"
        desk.search()  # in a text field: a character
        assert pilot.app.focused.value == "/"
        desk.back()
        assert pilot.app.focused is reader
        desk.search()
        assert pilot.app.focused is desk.reading.search_bar.input
        sidebar.open_tab("articles")
        await pilot.pause()
        desk.toggle_sidebar()  # hidden: the focus it had goes to the reader
        await pilot.pause()
        assert not sidebar.display and pilot.app.focused is reader
        desk.toggle_sidebar()
        await pilot.pause()
        desk.reading.study.post_message(StudyView.Closed("themes"))  # back to its tab
        await pilot.pause()
        assert sidebar.active_tab == "themes"
        assert pilot.app.focused is sidebar.themes.options
        sidebar.post_message(Sidebar.ArticleChosen("a"))  # no library: the reader shown
        await pilot.pause()
        assert pilot.app.focused is reader and isinstance(reader, Reader)
        assert not desk.reading.searching and isinstance(desk.reading, ReadingView)
        colour = next(iter(COLOURS))
        desk.set_label_colours([Label("1", "Claim", colour, 1, "2026-01-01")])
        assert reader.label_colours == {"claim": hex_of(colour)}
        assert sidebar.query_one(NotesList).colours == {"claim": hex_of(colour)}
