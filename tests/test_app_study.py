"""The study views in the app, by keyboard alone: the concordance from the search results (its
sorts, open, annotate, save as a theme, back), the spread, collocates and keywords, the reader's
c and K, and the Names tab; at the smallest and a large size; keys typed ahead."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual import events

from glossator.index import study
from glossator.index.notes import NoteStore
from glossator.tui.app import make_app
from glossator.tui.screens.note_editor import NoteEditor
from glossator.tui.screens.theme_name import ThemeNameScreen
from glossator.tui.widgets import Reader, ResultsList
from glossator.tui.widgets.concordance import ConcordanceView
from glossator.tui.widgets.names import NamesPanel
from glossator.tui.widgets.results import MATCH_STYLE
from glossator.tui.widgets.spread import SpreadView
from glossator.tui.widgets.study import StudyView
from glossator.tui.widgets.words import CollocatesView, KeywordsView

pytestmark = pytest.mark.usefixtures("warm_seed_index")
SIZE = (120, 40)
SIZES = [(80, 24), (160, 48)]


def order(lines) -> list[tuple[str, int, int]]:
    return [(line.article_id, line.sentence_id, line.start) for line in lines]


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def concordance_of(pilot, settle, query: str) -> ConcordanceView:
    await pilot.press("/", *query, "enter")
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    return pilot.app.query_one(ConcordanceView)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
async def test_concordance_from_the_results_sorts_and_goes_back(settle, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        view = await concordance_of(pilot, settle, "artillery")
        library = app.main.library
        assert app.main.reading.studying and app.focused is view.options
        assert view.concordance.total == 15 and view.concordance.complete
        assert view.shown == 15 and view.options.option_count == 15
        assert "Concordance of 'artillery' · 15 lines · sorted by article order" in view.header
        assert order(view.lines) == order(study.kwic(library, "artillery").lines)
        # every line shows the match where the others do: aligned
        columns = set()
        for i in range(15):
            prompt = view.options.get_option_at_index(i).prompt
            (match,) = [s for s in prompt.spans if s.style == MATCH_STYLE]
            columns.add(cell_len(prompt.plain[: match.start]))
            assert prompt.plain[match.start : match.end].lower() == "artillery"
        assert len(columns) == 1
        for keys, sort in [("h", "L1"), ("h", "L2"), ("h", "L3"), ("l", "R1"), ("l", "R2")]:
            await pilot.press(keys)
            await settle(pilot)
            assert view.concordance.sort == sort, keys
            assert order(view.lines) == order(study.kwic(library, "artillery", sort=sort).lines)
            assert f"sorted by {sort}" in view.header
        await pilot.press("t")
        await settle(pilot)
        assert view.concordance.sort == "article"
        await pilot.press("escape")
        await settle(pilot)
        results = app.query_one(ResultsList)
        assert app.main.reading.searching and app.focused is results.options


async def test_a_line_opens_the_reader_at_its_sentence_and_c_comes_back(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await concordance_of(pilot, settle, "artillery")
        await pilot.press("j", "j", "j")
        line = view.lines[3]
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        assert app.focused is reader and not app.main.reading.studying
        assert reader.article.id == line.article_id and reader.sentence == line.sentence_id
        await pilot.press("c")  # back to the concordance, where it was
        await settle(pilot)
        assert app.main.reading.studying and app.focused is view.options
        assert view.options.highlighted == 3
        await pilot.press("escape")  # came from the reader this time
        await settle(pilot)
        assert app.focused is reader


async def test_a_annotates_the_line_and_s_saves_the_query_as_a_theme(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await concordance_of(pilot, settle, "artillery")
        await pilot.press("j")
        line = view.lines[1]
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Shells again", "ctrl+s")
        await settle(pilot)
        with NoteStore() as store:
            (note,) = store.list(app.main.library.key)
        assert (note.article_id, note.sentence_id) == (line.article_id, line.sentence_id)
        assert note.text == "Shells again"
        assert app.focused is view.options  # back in the concordance
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ThemeNameScreen) and dialog.input.value == "artillery"
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is view.options


async def test_spread_collocates_and_keywords_of_the_same_query(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await concordance_of(pilot, settle, "artillery")
        library = app.main.library
        await pilot.press("p")
        await settle(pilot)
        spread = app.query_one(SpreadView)
        expected = study.spread(library, "artillery")
        assert [r["article_id"] for r in spread.spread.articles] == [
            r["article_id"] for r in expected.articles
        ]
        assert spread.options.option_count == len(expected.articles) == 5
        assert "15× in 5 of 5 articles" in spread.header
        await pilot.press("enter")  # the reader at the first occurrence in that article
        await settle(pilot)
        reader = app.query_one(Reader)
        top = expected.articles[0]["article_id"]
        assert reader.article.id == top and reader.sentence == expected.sentences[top][0]
        await pilot.press("c")  # back to the view left: the spread
        await settle(pilot)
        assert app.focused is spread.options
        await pilot.press("w")
        await settle(pilot)
        collocates = app.query_one(CollocatesView)
        assert collocates.words[0] == "shells" and "log-likelihood" in collocates.header
        await pilot.press("m")
        await settle(pilot)
        assert collocates.found.measure == "pmi"
        assert "pointwise mutual information" in collocates.header
        await pilot.press("plus", "plus", "minus")  # a window of 6 words either side
        await settle(pilot)
        assert collocates.found.window == 6 and "within ±6 words" in collocates.header
        assert collocates.words == [
            c.word for c in study.collocates(library, "artillery", 6, "pmi", limit=200).collocates
        ]
        await pilot.press("g")
        word = collocates.words[0]
        await pilot.press("enter")  # the term's occurrences with that word near
        await settle(pilot)
        view = app.query_one(ConcordanceView)
        near = study.kwic(library, "artillery", near=word, window=6)
        assert app.focused is view.options and order(view.lines) == order(near.lines)
        assert f"within 6 words of {word!r}" in view.header
        await pilot.press("escape")  # back to the collocates
        await settle(pilot)
        assert app.focused is collocates.options
        await pilot.press("K")
        await settle(pilot)
        keywords = app.query_one(KeywordsView)
        assert keywords.words[:2] == ["artillery", "shells"]
        await pilot.press("j", "enter")  # a keyword's concordance
        await settle(pilot)
        assert view.subject.query == "shells" and app.focused is view.options
        assert view.concordance.total == study.kwic(library, "shells").total
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s")  # the keyword as a theme
        await settle(pilot)
        assert isinstance(app.screen, ThemeNameScreen) and app.screen.input.value == "shells"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # out of the study views: back to the reader, where c was
        await settle(pilot)
        assert app.focused is reader and not app.main.reading.studying


async def test_reader_keys_keywords_of_the_article_and_c_without_a_search(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert any("No search yet" in m for m in messages(app))
        assert not app.main.reading.studying
        reader = app.query_one(Reader)
        await pilot.press("K")
        await settle(pilot)
        keywords = app.query_one(KeywordsView)
        expected = study.keywords(app.main.library, reader.article.id, limit=200)
        assert keywords.words == [k.word for k in expected.keywords]
        assert app.focused is keywords.options
        # no query behind an article's keywords: no concordance or spread of it
        view = app.query_one(StudyView)
        assert not view.check_action("view", ("spread",))
        await pilot.press("p")
        assert app.focused is keywords.options
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is reader
        # a search's hits walked with n: c gives their concordance
        await pilot.press("/", *"shells", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        concordance = app.query_one(ConcordanceView)
        assert concordance.subject.query == "shells" and app.focused is concordance.options


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
async def test_names_tab_lists_names_and_enter_shows_a_concordance(settle, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        panel = app.query_one(NamesPanel)
        assert app.focused is panel.query_one("#names-list")
        listed = {n.name: n for n in panel.names}
        assert {"Kim Jong Un", "Vladimir Putin", "North Korea", "Russia"} <= set(listed)
        kinds = {n.kind for n in panel.names}
        assert {"person", "place"} <= kinds
        name = listed["Vladimir Putin"]
        options = panel.query_one("#names-list")
        index = next(i for i, n in enumerate(panel.names) if n is name)
        options.highlighted = options.get_option_index(f"name-{index}")
        await pilot.press("enter")
        await settle(pilot)
        view = app.query_one(ConcordanceView)
        assert app.focused is view.options and view.subject.query == name.query
        assert view.concordance.total == study.kwic(app.main.library, name.query).total
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is options


async def test_keys_typed_ahead_act_on_the_concordance(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("/", *"artillery", "enter")
        await settle(pilot)
        for key, char in [("c", "c"), ("j", "j"), ("j", "j"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        for _ in range(50):
            await pilot.pause(0.05)
            if not app.keys.pending:
                break
        await settle(pilot)
        view = app.query_one(ConcordanceView)
        line = view.lines[2]
        reader = app.query_one(Reader)
        assert reader.article.id == line.article_id and reader.sentence == line.sentence_id


async def test_a_new_view_drops_the_old_views_result(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await concordance_of(pilot, settle, "artillery")
        old = view.generation
        await pilot.press("h")
        await settle(pilot)
        assert view.generation > old
        shown = order(view.lines)
        stale = study.kwic(app.main.library, "shells")
        view.receive(old, view._show_all, stale)
        assert order(view.lines) == shown  # an older request's result is not shown


MARKUP_TEXT = (
    "Markup\n\n"
    "The [bold]artillery[/bold] fired \x1b[31mred\x1b[0m shells at [link=x]Dawn Point[/link].\n\n"
    "Later the artillery of [red]General Ivo Marek[/red] fired [b]shells[/b] again. "
    "General Ivo Marek spoke of artillery shells.\n"
)


async def test_text_is_shown_literally_in_every_view(settle, tmp_path):
    """Markup and escape codes in an article are shown as written in the concordance, the
    spread, collocates, keywords and the Names tab: never interpreted."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "markup.txt").write_text(MARKUP_TEXT, "utf-8")
    (folder / "plain.txt").write_text("Plain\n\nNothing here but ferries and gulls.\n", "utf-8")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await concordance_of(pilot, settle, "artillery")
        assert view.concordance.total == 3
        plain = [view.options.get_option_at_index(i).prompt.plain for i in range(3)]
        assert "The [bold]" in plain[0] and "[/bold] fired" in plain[0]
        assert "\x1b" not in "".join(plain)
        assert "[red]General" in plain[1]
        await pilot.press("p")
        await settle(pilot)
        spread = app.query_one(SpreadView)
        assert spread.spread.total == 3 and "3× in 1 of 2 articles" in spread.header
        await pilot.press("w")
        await settle(pilot)
        collocates = app.query_one(CollocatesView)
        assert "shells" in collocates.words
        shells = collocates.words.index("shells")
        await pilot.press(*["j"] * shells)
        await settle(pilot)
        detail = str(collocates.query_one(".study-detail").content)
        assert detail.startswith("shells ") and "in all" in detail
        await pilot.press("escape", "escape", "escape")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        panel = app.query_one(NamesPanel)
        names = {n.name for n in panel.names}
        assert "Ivo Marek" in names or "General Ivo Marek" in names
        shown = [
            option.prompt.plain
            for option in panel.query_one("#names-list").options
            if option.prompt is not None
        ]
        assert not any("\x1b" in text for text in shown)


def test_the_measures_cycled_are_the_back_ends():
    from glossator.tui.widgets.words import MEASURES

    assert MEASURES == tuple(study.MEASURE_NAMES)


async def test_a_frequent_word_shows_its_first_lines_then_the_whole(settle, monkeypatch):
    """The first screen from the first articles holding the word, then the whole concordance
    (counted, every line) in its place, the highlighted line kept."""
    firsts = []
    real = study.kwic_first

    def recorded(*args, **kwargs):
        firsts.append(real(*args, **kwargs))
        return firsts[-1]

    monkeypatch.setattr(study, "kwic_first", recorded)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = await concordance_of(pilot, settle, "Russia")
        whole = study.kwic(app.main.library, "Russia")
        assert whole.total > 40
        (first,) = firsts
        assert not first.complete and 20 < first.total < whole.total
        assert view.concordance.complete and view.concordance.total == whole.total
        assert view.finished and order(view.lines) == order(whole.lines)
        assert f"{whole.total} lines" in view.header
        assert view.options.option_count == view.shown == min(100, whole.total)
