"""The reader's parts, each alone: its place (tui/widgets/reader_place.py) on a bare ScrollView
in a small app, with no reader; what it shows and paints (reader_lines.py) and the notes it marks
(reader_notes.py) with no widget at all; the view of an article (reader_view.py) without the
reader's keys."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from articles import PARAS, make_article
from rich.console import Console
from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.scroll_view import ScrollView

from glossator.index.notes import Note
from glossator.tui.widgets.reader_lines import ReaderLines
from glossator.tui.widgets.reader_notes import ReaderNotes
from glossator.tui.widgets.reader_place import Moved, ReaderPlace
from glossator.tui.widgets.reader_view import ArticleView

# 30 sentences of 3 lines each, a blank line between them: 120 lines
RUNS = [(4 * i, 4 * i + 2) for i in range(30)]
LAYOUT = SimpleNamespace(sentence_lines=RUNS, lines=[None] * 120)


class ViewApp(App[None]):
    def compose(self) -> ComposeResult:
        view = ScrollView()
        view.virtual_size = Size(40, 120)
        yield view


def place_on(view: ScrollView) -> ReaderPlace:
    place = ReaderPlace(view, lambda: LAYOUT)
    place.count = len(RUNS)
    return place


async def test_the_place_moves_selects_and_keeps_its_sentence_in_view():
    async with ViewApp().run_test(size=(40, 12)) as pilot:
        view = pilot.app.query_one(ScrollView)
        place = place_on(view)
        assert place.move(0) is None  # already there
        assert place.select(None) is False  # no run before, none after
        assert place.move(3) == Moved(None, False)
        assert place.select(1) and place.selection == (1, 3) and place.passage == (1, 3)
        assert place.select(1) is False  # the same run
        assert place.move(5) == Moved((1, 5), True)
        assert place.move(99) == Moved((1, 29), True) and place.sentence == 29  # clamped
        place.keep_in_view()
        await pilot.pause()
        assert place.visible(29) and view.scroll_y == view.max_scroll_y
        assert place.select(None) and place.selection is None and place.passage == (29, 29)
        row = place.row_of(29)
        assert row is not None and 0 <= row < place.height


async def test_the_place_keeps_a_row_until_the_person_moves():
    async with ViewApp().run_test(size=(40, 12)) as pilot:
        place = place_on(pilot.app.query_one(ScrollView))
        place.move(10, force=True)
        place.row = 3
        place.scroll_to_row(3)
        await pilot.pause()
        assert place.row_of(10) == 3 and place.current_row == 3
        place.move(11)  # moved: the row is no longer kept
        assert place.row is None and place.current_row == place.row_of(11)


async def test_where_the_keys_take_the_place():
    async with ViewApp().run_test(size=(40, 12)) as pilot:
        view = pilot.app.query_one(ScrollView)
        place = place_on(view)
        assert place.page(-1, reading=True) == (0, False)  # at the top: the first sentence
        target = place.page(1, reading=True)
        await pilot.pause()
        assert view.scroll_y == place.height - 1
        assert target == (place.first_sentence_from(place.height - 1), True)
        assert place.off_view() == target[0]  # the view moved away from sentence 0
        assert place.at_fraction(0.5, reading=True) == place.first_sentence_from(60)
        assert place.sentence_on_row(0) is None or place.sentence_on_row(0) >= 0
        assert place.page(1, reading=False) is None  # the original text: the view scrolls
        place.scroll_lines(-1000)
        await pilot.pause()
        assert view.scroll_y == 0 and place.off_view() is None


async def test_the_place_tells_the_overview_only_what_changed():
    async with ViewApp().run_test(size=(40, 12)) as pilot:
        place = place_on(pilot.app.query_one(ScrollView))
        first = place.view_map([], [], reading=True)
        assert first is not None and first.current == RUNS[0] and first.total == 120
        assert place.view_map([], [], reading=True) is None  # the same: nothing to tell
        shown = place.view_map([], [], reading=False)
        assert shown is not None and shown.current is None


def lines() -> ReaderLines:
    return ReaderLines(lambda name: Style(bold=name == "current"), lambda: Console(width=60))


def test_the_lines_lay_out_what_is_shown():
    shown = lines()
    assert "Opening the library" in "\n".join(shown.lay_out(40).plain)
    article = make_article(PARAS, title="The Harbour")
    shown.show_article(article)
    layout = shown.lay_out(40)
    assert shown.reading and shown.width == 40 and "The Harbour" in "\n".join(layout.plain)
    assert shown.span_of((1, 2)) == (article.sentences[1].start, article.sentences[2].end)
    shown.show_original("THE FILE AS IT WAS", [], extracted=False)
    assert not shown.reading and shown.span_of((0, 0)) is None
    assert "THE FILE AS IT WAS" in "\n".join(shown.lay_out(40).plain)
    shown.hide_original()
    shown.show_message("No articles")
    assert shown.article is None and shown.sentences == []


def test_the_lines_paint_the_current_sentence_and_the_mouse_selection():
    shown = lines()
    article = make_article(PARAS)
    shown.show_article(article)
    layout = shown.lay_out(50)
    first, _ = layout.sentence_lines[0]
    strip = shown.view_line(first, 0, None, [], None, Style)
    assert any(seg.style is not None and seg.style.bold for seg in strip)  # the current one
    other = shown.view_line(first, 3, None, [], None, Style)
    assert not any(seg.style is not None and seg.style.bold for seg in other)
    mouse = shown.view_line(first, 3, None, [], (0, -1), lambda: Style(italic=True))
    assert all(seg.style is not None and seg.style.italic for seg in mouse if seg.text)
    assert shown.style("current") is shown.style("current")  # kept
    shown.forget(styles=True)


def note(article_id: str, first: int, last: int, created: str = "2026-01-01") -> Note:
    return Note(
        id=f"{article_id}-{first}-{last}-{created}",
        library="lib",
        article_id=article_id,
        article_hash="",
        exact="",
        prefix="",
        suffix="",
        start=0,
        end=0,
        sentence_id=first,
        last_sentence_id=last,
        text="a note",
        tags=("tag",),
        status="anchored",
        created=created,
        updated=created,
    )


async def test_the_notes_placed_marked_and_found_at_the_place():
    async with ViewApp().run_test(size=(40, 12)) as pilot:
        shown = lines()
        article = make_article(PARAS)  # 7 sentences
        shown.show_article(article)
        shown.lay_out(50)
        place = ReaderPlace(pilot.app.query_one(ScrollView), lambda: shown.layout)
        place.count = len(shown.sentences)
        notes = ReaderNotes(shown, place)
        wide, inner = note("a", 1, 4), note("a", 2, 2)
        notes.place([inner, note("b", 1, 1), wide, note("a", 40, 40)])
        assert notes.notes == [wide, inner]  # this article's, on its sentences, in order
        assert notes.noted() == {1, 2, 3, 4} and shown.marks.spans
        place.move(2)
        assert notes.here == [inner, wide]  # the innermost first
        assert notes.of_passage == [inner, wide]
        place.select(1)
        place.move(4)
        assert notes.of_passage == [wide]  # exactly the run v chose
        assert notes.recolour({"x": "#ff0000"}) and not notes.recolour({"x": "#ff0000"})
        notes.keep_article("b")
        assert notes.notes == []
        notes.mark_snapshot([replace(wide)])
        assert notes.notes == [] and shown.marks.spans  # marked, but no notes to act on
        shown.show_original("text", [], extracted=False)
        notes.mark()
        assert notes.here == [] and not shown.marks.spans


class ArticleApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ArticleView()


async def test_the_article_view_alone_shows_an_article_at_its_place_and_tells_it():
    seen: list[object] = []
    async with ArticleApp().run_test(size=(60, 12), message_hook=seen.append) as pilot:
        view = pilot.app.query_one(ArticleView)
        assert "Opening the library" in "\n".join(view.plain_lines)
        article = make_article(PARAS, title="The Harbour")
        view.show_article(article, 3)
        await pilot.pause()
        assert view.sentence == 3 and view.reading and view.sentence_count == 7
        told = [m for m in seen if isinstance(m, ArticleView.PositionChanged)]
        assert (told[-1].article_id, told[-1].sentence, told[-1].count) == ("a", 3, 7)
        assert any(isinstance(m, ArticleView.ViewChanged) for m in seen)
        view.select(1)
        await pilot.pause()
        assert view.selection == (1, 3) and view.place.passage == (1, 3)
        selected = {id(m): m for m in seen if isinstance(m, ArticleView.SelectionChanged)}
        assert [m.selection for m in selected.values()] == [(1, 3)]  # each seen as it bubbles
        view.set_notes([note("a", 1, 3), note("a", 2, 2)])
        assert view.noted_sentences == {1, 2, 3}
        assert [n.sentence_id for n in view.passage_notes] == [1]  # exactly the run v chose
        view.clear_selection()
        view.go_to_sentence(99)
        await pilot.pause()
        assert view.sentence == 6 and view.row_of(6) is not None
        view.show_original("THE FILE AS IT WAS")
        assert view.original_shown and not view.reading and view.notes_here == []
        view.go_to_sentence(0)  # back to the article
        assert not view.original_shown and view.sentence == 0
        view.show_message("No articles")
        assert view.article is None and view.sentence_count == 0
