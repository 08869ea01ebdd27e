"""The Themes tab of the reading app: the themes with their counts and bars, a theme's passages
listed like search results, opening a passage with n/N through the theme's hits, saving a search
as a theme, renaming and deleting one's own themes, a themes file with mistakes, the palette."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.command import CommandPalette
from textual.content import Content
from textual.widgets import Input

from glossator.index.library import Library
from glossator.index.themes import UserThemes, all_themes, user_themes_path
from glossator.tui.app import make_app
from glossator.tui.screens import HelpScreen
from glossator.tui.screens.theme_name import ThemeNameScreen
from glossator.tui.widgets import Reader, ResultsList
from glossator.tui.widgets.theme_row import BAR_CURRENT_STYLE, SHADES, bar_cells
from glossator.tui.widgets.themes import ThemesPanel

SIZE = (120, 40)
ARTILLERY = "Artillery shells and munitions"
ARTILLERY_WORDS = re.compile(r"artiller|shell|munition|ammunition|rocket|howitzer", re.I)


@pytest.fixture
def seeds(warm_seed_index):
    """The seed library (the index the app opens too) and all its themes, as the CLI sees them."""
    library = Library(None)
    library.update()
    themes, warnings = all_themes(library)
    return library, themes, warnings


def centre(app) -> str:
    return app.main.query_one("#centre").current


def panel(app) -> ThemesPanel:
    return app.query_one(ThemesPanel)


def prompt_of(app, theme) -> Content:
    p = panel(app)
    index = p.themes.index(theme)
    return p.options.get_option(f"theme-{index}").prompt


def flat(text: object) -> str:
    return " ".join(str(text).split())


def expected_bar(theme, article_ids) -> str:
    cells = bar_cells([theme.articles.get(a, 0) for a in article_ids], None)
    return "".join(SHADES[level] for level, _ in cells)


def current_cells(prompt: Content) -> list[int]:
    """The offsets of the bar cells marked as the article being read."""
    return [s.start for s in prompt.spans if str(s.style) == BAR_CURRENT_STYLE]


async def highlight(pilot, kind: str, name: str) -> None:
    p = panel(pilot.app)
    index = p.find(kind, name)
    assert index is not None, (kind, name)
    p.options.highlighted = p.options.get_option_index(f"theme-{index}")
    await pilot.pause()


def notifications(app) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


# -- the tab ---------------------------------------------------------------------------------


async def test_themes_tab_shows_the_themes_with_counts_and_bars(seeds, settle):
    library, themes, warnings = seeds
    assert not warnings
    ids = [a.id for a in library.articles()]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        p = panel(app)
        assert not p.loaded and "Finding the themes" in p.note  # loaded when first wanted
        await pilot.press("2")
        assert app.focused is p.options
        await settle(pilot)
        assert p.loaded and not p.query_one("#themes-note").display  # no mistakes to report
        shown = {(t.kind, t.name): t.passages for t in p.themes}
        assert shown == {(t.kind, t.name): t.passages for t in themes}
        curated = [t for t in p.themes if t.kind == "curated"]
        assert len(curated) >= 6
        assert all(t.passages > 0 for t in curated)
        assert any(t.kind == "discovered" for t in p.themes)
        # The groups, in order, each with its number of themes.
        headings = [o for o in p.options.options if o.id and o.id.startswith("group-")]
        assert [str(h.prompt).split()[0] for h in headings] == ["Curated", "Discovered", "Yours"]
        assert str(headings[0].prompt).split()[1] == str(len(curated))
        # Each theme: its name, its passages and a bar across the five articles, the article
        # being read (the first) marked.
        for theme in p.themes:
            prompt = prompt_of(app, theme)
            text = str(prompt)
            assert flat(theme.name) in flat(text)
            assert f"{theme.passages} passages" in text
            bar = expected_bar(theme, ids)
            assert len(bar) == 5 and f"  {bar} {theme.passages} passages" in text
            assert current_cells(prompt) == [text.index(bar)]
        # Shades follow the counts: the busiest article is a full block, an absent one empty.
        china = next(t for t in p.themes if t.name == "China's position")
        counts = [china.articles[a] for a in ids]
        bar = expected_bar(china, ids)
        assert bar[counts.index(max(counts))] == "█" and bar[counts.index(0)] == " "
        # The description is a dim line under the theme.
        first = prompt_of(app, curated[0])
        assert curated[0].description.split()[0] in str(first).splitlines()[2]


async def test_the_bars_follow_the_article_being_read(seeds, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        theme = panel(app).themes[0]
        bar_start = current_cells(prompt_of(app, theme))[0]
        await pilot.press("escape", "]")  # the next article
        await settle(pilot)
        assert current_cells(prompt_of(app, theme)) == [bar_start + 1]


async def test_narrow_terminal_shows_the_tab_on_2(seeds, settle):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sidebar = app.main.sidebar
        assert not sidebar.display
        await pilot.press("2")
        await settle(pilot)
        assert sidebar.display and sidebar.active_tab == "themes"
        p = panel(app)
        assert app.focused is p.options
        # Short of room, only the highlighted theme shows its description.
        first, second = p.themes[0], p.themes[1]
        assert first.description.split()[0] in str(prompt_of(app, first))
        assert second.description.split()[0] not in str(prompt_of(app, second))
        await pilot.press("down")
        assert first.description.split()[0] not in str(prompt_of(app, first))
        assert second.description.split()[0] in str(prompt_of(app, second))


# -- a theme's passages ----------------------------------------------------------------------


async def test_enter_on_a_theme_lists_its_passages_like_search_results(seeds, settle):
    library, themes, _ = seeds
    theme = next(t for t in themes if t.name == ARTILLERY)
    expected = library.search(theme.query)
    assert expected.total == theme.passages
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await highlight(pilot, "curated", ARTILLERY)
        await pilot.press("enter")
        await settle(pilot)
        results = app.query_one(ResultsList)
        assert centre(app) == "results" and app.focused is results.options
        n = len(expected.articles)
        assert results.header == f"{ARTILLERY} — {theme.passages} passages in {n} articles"
        headings = [o for o in results.options.options if o.disabled]
        assert len(headings) == n
        for (_id, title, count), heading in zip(expected.articles, headings, strict=True):
            assert title in str(heading.prompt) and f"{count} passage" in str(heading.prompt)
        hits = [o for o in results.options.options if not o.disabled]
        assert len(hits) == theme.passages
        for option in hits:
            prompt = option.prompt
            spans = [s for s in prompt.spans if "warning" in str(s.style)]
            marked = [str(prompt)[s.start : s.end] for s in spans]
            assert marked and all(ARTILLERY_WORDS.match(word) for word in marked)
        # s saves searches, not a theme's passages.
        await pilot.press("s")
        assert not isinstance(app.screen, ThemeNameScreen)
        # escape goes back to the Themes tab, where the theme is still highlighted.
        await pilot.press("escape")
        assert centre(app) == "reading"
        assert app.focused is panel(app).options
        assert panel(app).highlighted_theme.name == ARTILLERY


async def test_a_passage_opens_with_the_theme_highlighted_and_n_walks_its_hits(seeds, settle):
    library, themes, _ = seeds
    theme = next(t for t in themes if t.name == ARTILLERY)
    expected = library.search(theme.query)
    order = {a.id: i for i, a in enumerate(library.articles())}
    places = sorted(
        {(order[h.article_id], max(0, h.sentence_id), h.article_id) for h in expected.hits}
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        history = list(app.main.state.history)
        await pilot.press("2")
        await settle(pilot)
        await highlight(pilot, "curated", ARTILLERY)
        await pilot.press("enter")
        await settle(pilot)
        results = app.query_one(ResultsList)
        await pilot.press("down")
        hit = results.highlighted_hit
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        assert centre(app) == "reading" and app.focused is reader
        assert (reader.article.id, reader.sentence) == (hit.article_id, max(0, hit.sentence_id))
        wanted = [h for h in expected.hits if h.article_id == hit.article_id]
        assert len(reader.hits) == sum(len(h.highlights) for h in wanted) > 0
        assert all(ARTILLERY_WORDS.match(reader.article.text[a:b]) for a, b in reader.hits)
        # n goes to the theme's next passage, across articles.
        i = places.index((order[hit.article_id], max(0, hit.sentence_id), hit.article_id))
        for step in (1, 2):
            await pilot.press("n")
            await settle(pilot)
            target = places[(i + step) % len(places)]
            assert (reader.article.id, reader.sentence) == (target[2], target[1])
            assert reader.hits
        assert f"for theme “{ARTILLERY}”" in app.main.status.text
        await pilot.press("N")
        await settle(pilot)
        back = places[(i + 1) % len(places)]
        assert (reader.article.id, reader.sentence) == (back[2], back[1])
        # A theme's query is not a search of the person's: the history is unchanged.
        assert app.main.state.history == history


async def test_a_themes_passages_show_its_query_and_slash_searches_it(seeds, settle):
    _, themes, _ = seeds
    artillery = next(t for t in themes if t.name == ARTILLERY)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("/", *"sanctions", "enter")
        await settle(pilot)
        results = app.query_one(ResultsList)
        await pilot.press("escape", "2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert results.header.startswith(ARTILLERY)
        # The bar says what is listed (the theme's query), not the search before it.
        assert app.main.search_bar.value == artillery.query
        assert "theme" in results.message
        await pilot.press("/")
        await settle(pilot)
        assert results.theme is None and results.result.query == artillery.query
        assert results.result.total == app.main.library.search(artillery.query).total


async def test_palette_lists_the_themes(seeds, settle):
    _, themes, _ = seeds
    sanctions = next(t for t in themes if t.name == "Sanctions")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Theme: Sanctions")
        await settle(pilot)
        assert CommandPalette.is_open(app)
        await pilot.press("enter")
        await settle(pilot)
        assert not CommandPalette.is_open(app)
        results = app.query_one(ResultsList)
        assert centre(app) == "results"
        assert results.header.startswith(f"Sanctions — {sanctions.passages} passages in ")


async def test_help_lists_the_theme_keys(seeds, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        text = app.screen.text
        assert isinstance(app.screen, HelpScreen)
        assert "Themes tab" in text
        for row in ("r ", "Rename", "d ", "Delete", "u ", "List the theme's passages"):
            assert row in text
        assert "Save the search as a theme" in text


# -- the person's own themes -----------------------------------------------------------------


def saved(library: Library) -> list[dict]:
    path = user_themes_path(library)
    return json.loads(path.read_text("utf-8"))["themes"] if path.exists() else []


async def test_saving_a_search_as_a_theme(seeds, settle):
    library, _, _ = seeds
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("/", *"hypersonic", "enter")
        await settle(pilot)
        results = app.query_one(ResultsList)
        assert app.focused is results.options
        total = results.result.total
        await pilot.press("s")
        dialog = app.screen
        assert isinstance(dialog, ThemeNameScreen)
        assert dialog.input.value == "hypersonic"  # the query, ready to be replaced
        await pilot.press(*"Hypersonic missiles", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ThemeNameScreen)
        assert saved(library) == [
            {
                "name": "Hypersonic missiles",
                "description": "Your search: hypersonic",
                "query": "hypersonic",
            }
        ]
        assert any("Saved the theme “Hypersonic missiles”" in n for n in notifications(app))
        await pilot.press("escape", "2")
        p = panel(app)
        theme = p.highlighted_theme
        assert (theme.kind, theme.name, theme.passages) == ("user", "Hypersonic missiles", total)
        rows = [o.id for o in p.options.options]
        assert rows.index("group-user") < rows.index(f"theme-{p.themes.index(theme)}")
        # The same name again is refused in the dialog itself, and escape cancels.
        await pilot.press("/")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("s", *"hypersonic MISSILES", "enter")
        assert isinstance(app.screen, ThemeNameScreen)
        assert "already have a theme" in app.screen.message
        await pilot.press("ctrl+a", "ctrl+k", "enter")  # an empty name
        assert "needs a name" in app.screen.message
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ThemeNameScreen)
        assert len(saved(library)) == 1


async def test_renaming_deleting_and_bringing_back_a_theme(seeds, settle):
    library, _, _ = seeds
    UserThemes.for_library(library).add("Drones", "drones OR drone", "Unmanned aircraft.")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await highlight(pilot, "user", "Drones")
        await pilot.press("r")
        dialog = app.screen
        assert isinstance(dialog, ThemeNameScreen) and dialog.input.value == "Drones"
        await pilot.press(*"Drones and UAVs", "enter")
        await settle(pilot)
        assert [t["name"] for t in saved(library)] == ["Drones and UAVs"]
        p = panel(app)
        assert p.highlighted_theme.name == "Drones and UAVs"
        assert app.focused is p.options
        # Deleting: gone from the file and the tab; u brings it back.
        await pilot.press("d")
        await settle(pilot)
        assert saved(library) == []
        assert p.find("user", "Drones and UAVs") is None
        assert any("Press u" in n for n in notifications(app))
        await pilot.press("u")
        await settle(pilot)
        assert saved(library) == [
            {
                "name": "Drones and UAVs",
                "description": "Unmanned aircraft.",
                "query": "drones OR drone",
            }
        ]
        assert p.highlighted_theme.name == "Drones and UAVs"
        # Curated and discovered themes are not the person's to rename or delete.
        await highlight(pilot, "curated", "Sanctions")
        await pilot.press("r")
        assert not isinstance(app.screen, ThemeNameScreen)
        await pilot.press("d")
        await settle(pilot)
        assert p.find("curated", "Sanctions") is not None
        told = [n for n in notifications(app) if "only your own themes" in n]
        assert len(told) == 2 and "“Sanctions” is a curated theme" in told[0]


# -- a themes file with mistakes --------------------------------------------------------------


ARTICLE = """{title}

{body}
"""


def small_library(folder: Path, themes_toml: str) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text(
        ARTICLE.format(
            title="At the front",
            body="Artillery shells crossed the border by train. The shells were old. "
            "Sanctions did not stop the trade. Drones watched the border.",
        ),
        "utf-8",
    )
    (folder / "b.txt").write_text(
        ARTICLE.format(
            title="The price of it all",
            body="Sanctions cost the economy dearly. Artillery was sold for fuel. "
            "The border stayed closed. Fuel and food came back by train.",
        ),
        "utf-8",
    )
    (folder / "themes.toml").write_text(themes_toml, "utf-8")
    return folder


MISTAKES = """\
[[theme]]
name = "Shells"
description = "Artillery shells."
query = "shells OR artillery"

[[theme]]
name = "No query"
description = "This one forgot its query."

[[theme]]
name = "Broken query"
query = "a*"

[[theme]]
name = "Sanctions"
query = "sanctions"
"""


async def test_a_themes_file_with_mistakes_warns_and_the_others_work(tmp_path, settle):
    folder = small_library(tmp_path / "lib", MISTAKES)
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        told = [n for n in app._notifications if n.severity == "warning"]
        assert len(told) == 1
        message = told[0].message
        assert "themes.toml, line 7" in message and "'No query'" in message
        assert "themes.toml, line 11" in message and "'Broken query'" in message
        p = panel(app)
        note = p.note
        assert p.query_one("#themes-note").display
        assert "line 7" in note and "No query" in note and "Broken query" in note
        curated = {t.name: t for t in p.themes if t.kind == "curated"}
        assert set(curated) == {"Shells", "Broken query", "Sanctions"}
        assert curated["Shells"].passages == 3 and curated["Sanctions"].passages == 2
        assert "unusable query" in str(prompt_of(app, curated["Broken query"]))
        # The broken theme cannot be listed; the others can.
        await highlight(pilot, "curated", "Broken query")
        await pilot.press("enter")
        await settle(pilot)
        assert centre(app) == "reading"
        assert any("cannot be listed" in n for n in notifications(app))
        await highlight(pilot, "curated", "Sanctions")
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one(ResultsList).header == "Sanctions — 2 passages in 2 articles"


async def test_a_themes_file_that_is_not_toml_leaves_the_other_kinds(tmp_path, settle):
    folder = small_library(tmp_path / "lib", '[[theme]]\nname = "Shells\nquery = "shells"\n')
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        messages = [n.message for n in app._notifications if n.severity == "warning"]
        assert len(messages) == 1 and "themes.toml, line 2" in messages[0]
        assert "not valid TOML" in messages[0]
        p = panel(app)
        assert "not valid TOML" in p.note
        assert not [t for t in p.themes if t.kind == "curated"]
        assert "see above" in str(p.options.get_option("empty-curated").prompt)
        assert [t for t in p.themes if t.kind == "discovered"]


async def test_typing_a_search_after_a_theme_shows_the_search(seeds, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter", "/", *"drones")
        await settle(pilot)
        results = app.query_one(ResultsList)
        assert isinstance(app.focused, Input)
        assert results.theme is None and results.result.query == "drones"


async def test_themes_that_cannot_be_loaded_say_why_and_are_tried_again(seeds, settle, monkeypatch):
    import glossator.index.themes

    real = glossator.index.themes.all_themes

    def broken(library, *args, **kwargs):
        raise OSError("disk on fire")

    monkeypatch.setattr(glossator.index.themes, "all_themes", broken)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        p = panel(app)
        assert "The themes could not be loaded: disk on fire" in p.note
        assert any("could not be loaded: disk on fire" in n for n in notifications(app))
        assert not p.themes
        monkeypatch.setattr(glossator.index.themes, "all_themes", real)
        await pilot.press("1", "2")  # the tab shows again: another try
        await settle(pilot)
        assert p.loaded and p.themes and not p.query_one("#themes-note").display


def test_bar_cells_shade_by_count_and_share_cells_past_the_width():
    assert bar_cells([0, 1, 4, 2], current=2) == [(0, False), (1, False), (4, True), (2, False)]
    # 45 articles in at most 20 cells: three neighbours to a cell, the current one's cell marked
    cells = bar_cells([1] * 44 + [9], current=44, width=20)
    assert len(cells) == 15
    assert cells[-1] == (4, True) and all(c == (2, False) for c in cells[:-1])
    assert bar_cells([], current=None) == []


@settings(max_examples=200, deadline=None)
@given(
    counts=st.lists(st.integers(0, 9), max_size=90),
    current=st.integers(-1, 95),
    width=st.integers(1, 30),
)
def test_the_bars_worked_out_from_a_themes_articles_are_the_cells_of_its_counts(
    counts, current, width
):
    """A theme's bar from the articles it is in (kept, marked at each article change) is the
    bar of its count in every article of the library."""
    from types import SimpleNamespace

    from glossator.tui.widgets.theme_row import Bars

    ids = [f"a{i}" for i in range(len(counts))]
    theme = SimpleNamespace(articles={a: n for a, n in zip(ids, counts, strict=True) if n})
    here = current if 0 <= current < len(ids) else None
    bars = Bars(ids, width)
    expected = bar_cells(counts, here, width)
    assert bars.cells(theme, ids[here] if here is not None else "elsewhere") == expected
    assert bars.cells(theme, None) == bar_cells(counts, None, width)  # kept, marked anew
