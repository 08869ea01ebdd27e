"""The Articles tab's list: as high as its entries say without wrapping them, drawn only where it
is on screen (100,000 articles), moved through with the keys and the mouse."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult

from glossator.index.model import ArticleInfo
from glossator.tui.widgets.article_list import ArticleList
from glossator.tui.widgets.article_row import (
    counts_text,
    detail_rows,
    entry_byline,
    entry_lines,
    entry_starts,
    entry_title,
    title_rows,
)


def info(i: int, title: str | None = None, byline: str | None = "By Someone") -> ArticleInfo:
    return ArticleInfo(
        id=f"a{i:06d}",
        path=f"a{i}.txt",
        title=title if title is not None else f"Article number {i} of a long list of them",
        title_derived=False,
        byline=byline,
        sentences=10 + i % 50,
        size=1000,
        mtime_ns=0,
        sha256="",
    )


words = st.lists(
    st.sampled_from([*"abcdefghij KLMNO-’éü世界\t\n", "[bold]", "\x1b[31m", "Pyongyang"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(title=words, byline=st.none() | words, width=st.integers(1, 120), notes=st.integers(0, 12))
def test_an_entry_has_the_rows_counted_for_it_and_none_wider_than_the_list(
    title, byline, width, notes
):
    article = info(3, title, byline)
    lines = entry_lines(article, current=notes % 2 == 0, width=width, notes=notes)
    counts = counts_text(article, notes)
    expected = title_rows(entry_title(article), width) + detail_rows(
        entry_byline(article), counts, width
    )
    assert len(lines) == expected
    assert all(cell_len(line.plain) <= max(width, 10) for line in lines)
    assert all("\n" not in line.plain and "\x1b" not in line.plain for line in lines)
    assert counts.split(" · ")[0][:4] in "".join(line.plain for line in lines)


@settings(max_examples=200, deadline=None)
@given(
    entries=st.lists(
        st.tuples(words, st.none() | words, st.integers(0, 10**7), st.integers(0, 120)),
        max_size=12,
    ),
    width=st.integers(1, 120),
    data=st.data(),
)
def test_every_entry_starts_where_the_rows_before_it_end(entries, width, data):
    """The rows of all entries counted at once are those each entry's own count gives."""
    articles = [
        replace(info(i, title, byline), sentences=sentences)
        for i, (title, byline, sentences, _notes) in enumerate(entries)
    ]
    picked = data.draw(st.sets(st.integers(0, len(articles) - 1))) if articles else set()
    shown = sorted(picked)
    notes = {i: k for i, (*_, k) in enumerate(entries) if k}
    expected, row = [], 0
    for n, i in enumerate(shown):
        expected.append(row)
        counts = counts_text(articles[i], notes.get(i, 0))
        row += title_rows(entry_title(articles[i]), width)
        row += detail_rows(entry_byline(articles[i]), counts, width) + (1 if n else 0)
    assert entry_starts(articles, shown, notes, width) == (expected, row)


class ListApp(App[None]):
    def __init__(self, articles: list[ArticleInfo], current: str | None) -> None:
        super().__init__()
        self.articles, self.current, self.chosen = articles, current, []

    def compose(self) -> ComposeResult:
        yield ArticleList(id="list")

    def on_mount(self) -> None:
        listing = self.query_one(ArticleList)
        listing.set_articles(self.articles, range(len(self.articles)), self.current)
        listing.focus()

    def on_article_list_chosen(self, event: ArticleList.Chosen) -> None:
        self.chosen.append(event.article_id)


def on_screen(listing: ArticleList) -> str:
    return "\n".join(listing.render_line(y).text for y in range(listing.size.height))


async def test_a_hundred_thousand_articles_are_drawn_only_where_the_list_shows():
    articles = [info(i) for i in range(100_000)]
    app = ListApp(articles, "a050000")
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        listing = app.query_one(ArticleList)
        assert listing.option_count == 100_000
        assert listing.highlighted_article == "a050000"
        shown = on_screen(listing)
        assert "▶ Article number 50000" in shown  # the article read, in view
        assert "Article number 49997" in shown  # with the three before it
        assert len(listing._drawn) <= 12  # the entries on screen, not the list
        await pilot.press("G")
        assert listing.highlighted_article == "a099999"
        assert "Article number 99999" in on_screen(listing)
        await pilot.press("k", "k", "up")
        assert listing.highlighted_article == "a099996"
        await pilot.press("g", "j", "down")
        assert listing.highlighted_article == "a000002"
        assert "Article number 0 " in on_screen(listing)
        await pilot.press("pagedown")
        after = listing.highlighted
        assert after is not None and after > 2
        assert f"Article number {after} " in on_screen(listing)
        await pilot.press("pageup")
        assert listing.highlighted is not None and listing.highlighted < after
        await pilot.press("enter")
        assert app.chosen == [listing.highlighted_article]
        assert len(listing._drawn) <= 40


async def test_a_click_opens_the_entry_under_it_and_not_the_rule_between():
    articles = [info(i, title=f"Title {i}") for i in range(30)]
    app = ListApp(articles, None)
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        listing = app.query_one(ArticleList)
        rows = on_screen(listing).splitlines()
        # each entry: its title, its byline and counts (they fit one row), then a rule
        assert rows[0].startswith("  Title 0") and rows[2].startswith("───")
        assert rows[3].startswith("  Title 1")
        await pilot.click(ArticleList, offset=(5, 4))  # the second entry's detail row
        assert app.chosen == ["a000001"] and listing.highlighted == 1
        await pilot.click(ArticleList, offset=(5, 5))  # a rule: nothing
        assert app.chosen == ["a000001"]


async def test_filtering_keeps_the_highlight_on_its_article_and_counts_rows_again():
    articles = [info(i, title=f"{'Harbour' if i % 3 else 'Bridge'} {i}") for i in range(60)]
    app = ListApp(articles, "a000007")
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        listing = app.query_one(ArticleList)
        listing.set_shown([i for i in range(60) if i % 3])
        assert listing.highlighted_article == "a000007"
        listing.set_shown([i for i in range(60) if i % 3 == 0])  # a000007 filtered out
        assert listing.highlighted == 0 and listing.highlighted_article == "a000000"
        assert listing.virtual_size.height == 20 * 2 + 19  # twenty entries, nineteen rules
        listing.set_note_counts({"a000003": 2})
        assert "2 notes" in listing.entry_text(1)
        listing.set_shown([])
        assert listing.highlighted is None and on_screen(listing).strip() == ""
        await pilot.press("j", "G", "enter", "pagedown")
        assert app.chosen == []


async def test_the_link_picker_over_a_hundred_thousand_articles_lists_those_around_the_note():
    from textual.widgets import Input, Static

    from glossator.tui.screens.link_picker import SHOWN, LinkPicker, LinkRefs, link_ref
    from glossator.tui.widgets.lists import KeyList

    articles = [info(i, title=f"Harbour {i}") for i in range(100_000)]
    picker = LinkPicker(articles, load=lambda _id: None, current="a070000")

    class PickerApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(picker)

    async with PickerApp().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        options = picker.query_one(KeyList)
        assert options.option_count == SHOWN
        chosen = options.get_option_at_index(options.highlighted or 0).prompt
        assert "Harbour 70000 " in f"{chosen} "  # the note's article, highlighted
        hint = str(picker.query_one("#link-hint", Static).render())
        assert f"{SHOWN} of 100,000 articles" in hint
        picker.query_one("#link-filter", Input).value = "harbour 9999"
        await pilot.pause()
        expected = [a for a in articles if "9999" in f"{a.title} {a.id}"]
        assert options.option_count == len(expected) == 19  # 9999, 19999, …, 99990–99998
        assert "of" not in str(picker.query_one("#link-hint", Static).render()).split(":")[0]
    ids = ["004_a", "004_b", "005_c", "10-x", "1.y", "zz"]
    refs = LinkRefs(ids)
    assert [refs.ref(i) for i in ids] == ["004_a", "004_b", "005", "10", "1.y", "zz"]
    assert [link_ref(i, ids) for i in ids] == [refs.ref(i) for i in ids]


def test_the_palette_matches_a_big_library_by_the_words_typed_and_a_small_one_loosely():
    from types import SimpleNamespace

    from glossator.tui.commands import ARTICLES_FOUND, FUZZY_ARTICLES, GlossatorCommands

    found = GlossatorCommands._articles_found
    big = SimpleNamespace(articles=[info(i, title=f"Harbour {i} report") for i in range(100_000)])
    hits = list(found(None, big, "open harbour 4242"))  # type: ignore[arg-type]
    assert [a.title for a in hits] == [f"Harbour {i} report" for i in (4242, 14242, 24242,
                                       34242, 42420, 42421, 42422, 42423, 42424, 42425, 42426,
                                       42427, 42428, 42429, 44242, 54242, 64242, 74242, 84242,
                                       94242)]  # fmt: skip
    assert len(list(found(None, big, "report"))) == ARTICLES_FOUND  # type: ignore[arg-type]
    small = SimpleNamespace(articles=big.articles[:FUZZY_ARTICLES])
    assert len(list(found(None, small, "hbr rpt"))) == FUZZY_ARTICLES  # type: ignore[arg-type]
