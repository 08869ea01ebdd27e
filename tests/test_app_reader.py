"""The reading app's reader: first paint, every reading key, copy, original text, literal text."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from glossator.index.library import Library
from glossator.index.model import Article, Block, Sentence
from glossator.tui.app import make_app
from glossator.tui.widgets import Overview, Reader

pytestmark = pytest.mark.usefixtures("warm_seed_index")

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 40)


def seed_ids() -> list[str]:
    library = Library(None)
    library.update()
    return [a.id for a in library.articles()]


def block_starts(reader: Reader) -> list[int]:
    starts, n = [], 0
    for block in reader.article.blocks:
        starts.append(n)
        n += len(block.sentences)
    return starts


def test_app_module_does_not_import_whoosh():
    code = (
        "import sys, glossator.tui.app; "
        "print(sorted(m for m in sys.modules if m.startswith('whoosh')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


async def test_first_paint_does_not_wait_for_the_index(settle, monkeypatch):
    import glossator.index.library

    gate = threading.Event()
    real_update = glossator.index.library.Library.update

    def held_update(self, progress=None, rebuild=False, wait=None):
        gate.wait(10)
        return real_update(self, progress=progress, rebuild=rebuild, wait=wait)

    monkeypatch.setattr(glossator.index.library.Library, "update", held_update)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.query_one(Reader)
        # On screen, focused and answering keys while the library is still being opened.
        assert reader.article is None
        assert "Opening the library" in "\n".join(reader.plain_lines)
        assert app.focused is reader
        await pilot.press("j", "question_mark", "escape")
        assert app.screen is app.main
        gate.set()
        await settle(pilot)
        assert reader.article is not None
        assert reader.article.id == seed_ids()[0]
        assert reader.sentence == 0
        assert "ready" in app.main.status.text


async def test_reading_keys(settle):
    """j/down k/up by sentence, }/{ by paragraph, g/home G/end, and the note keys."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        position = app.main.status.query_one("#status-position")
        await pilot.press("j")
        assert reader.sentence == 1
        await pilot.press("down")
        assert reader.sentence == 2
        await pilot.press("k")
        assert reader.sentence == 1
        await pilot.press("up", "up")
        assert reader.sentence == 0  # stops at the first sentence
        assert "§1/" in str(position.content)

        starts = block_starts(reader)
        await pilot.press("}")
        assert reader.sentence == starts[1]
        await pilot.press("}")
        assert reader.sentence == starts[2]
        await pilot.press("j", "{")
        assert reader.sentence == starts[2]  # back to the start of this paragraph
        await pilot.press("{")
        assert reader.sentence == starts[1]

        last = reader.sentence_count - 1
        await pilot.press("G")
        assert reader.sentence == last
        assert f"§{last + 1}/{last + 1}" in str(position.content)
        await pilot.press("g")
        assert reader.sentence == 0 and reader.scroll_y == 0
        await pilot.press("end")
        assert reader.sentence == last
        await pilot.press("home")
        assert reader.sentence == 0

        # e and d with no note here say so; nothing moves (the note keys: test_app_notes.py).
        await pilot.press("j", "e", "d")
        messages = [n.message for n in app._notifications]
        assert sum("No note here" in m for m in messages) == 2
        assert reader.sentence == 1


async def test_page_keys_keep_the_current_sentence_in_view(settle):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        height = reader.scrollable_content_region.height

        def in_view() -> bool:
            first, last = reader._layout.sentence_lines[reader.sentence]
            top = round(reader.scroll_y)
            return top <= first and min(last, first + height - 1) < top + height

        for _ in range(8):
            await pilot.press("j")
            assert in_view()
        await pilot.press("g", "space")
        first_page = reader.sentence
        assert first_page > 0 and reader.scroll_y > 0 and in_view()
        await pilot.press("pagedown")
        assert reader.sentence > first_page and in_view()
        await pilot.press("b")
        assert reader.sentence < first_page + 5 and in_view()
        back = reader.sentence
        await pilot.press("pageup", "pageup", "pageup")
        assert reader.sentence <= back and reader.scroll_y == 0
        await pilot.press("pageup")
        assert reader.sentence == 0
        await pilot.press("G")
        assert in_view()
        # The overview strip knows where the current sentence is.
        view = app.query_one(Overview).view
        assert view is not None and view.current == reader._layout.sentence_lines[reader.sentence]


async def test_article_keys(settle):
    ids = seed_ids()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("j", "]")
        await settle(pilot)
        assert reader.article.id == ids[1] and reader.sentence == 0
        await pilot.press("]")
        await settle(pilot)
        assert reader.article.id == ids[2]
        await pilot.press("[")
        await settle(pilot)
        assert reader.article.id == ids[1]
        await pilot.press("[", "[")
        await settle(pilot)
        assert reader.article.id == ids[0]  # no article before the first
        assert any("first article" in n.message for n in app._notifications)


async def test_long_paragraph_navigation(settle):
    """Article 002 is one 5,000-character paragraph: j moves sentence by sentence through it."""
    ids = seed_ids()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.main.reading.open_article(ids[2], 0)
        await settle(pilot)
        reader = app.query_one(Reader)
        longest = max(b.end - b.start for b in reader.article.blocks)
        assert longest > 5000
        await pilot.press(*"j" * 20)
        assert reader.sentence == 20
        first, last = reader._layout.sentence_lines[20]
        assert round(reader.scroll_y) <= first
        await pilot.press("k")
        assert reader.sentence == 19


async def test_copy_sentence_with_citation(settle):
    ids = seed_ids()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("j", "y")
        sentence = reader.article.sentences[1]
        clip = app.clipboard
        assert sentence.text in clip
        assert reader.article.title in clip
        assert clip.rstrip().endswith("§2")  # the citation of the sentence, as cite gives it
        app.main.reading.open_article(ids[3], 0)  # "By Manoj, ICCBizNews"
        await settle(pilot)
        await pilot.press("y")
        assert "ICCBizNews" in app.clipboard.splitlines()[-1]


async def test_original_text_toggle_dims_chrome(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        assert not any("Smiley face" in line for line in reader.plain_lines)
        await pilot.press("j", "j", "o")
        await settle(pilot)
        assert reader.original_shown
        kinds = dict((text, kind) for kind, text in reader.line_kinds())
        assert kinds.get("Smiley face") == "chrome"
        assert any(kind == "original" for kind in kinds.values())
        await pilot.press("o")
        assert not reader.original_shown
        assert reader.sentence == 2
        assert not any("Smiley face" in line for line in reader.plain_lines)


async def test_mouse_clicks_on_the_text_and_the_overview(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        first, _ = reader._layout.sentence_lines[3]
        x = reader.scrollable_content_region.x - reader.region.x + 5
        y = reader.content_region.y - reader.region.y + first
        await pilot.click(Reader, offset=(x, y))
        assert reader.sentence == 3
        overview = app.query_one(Overview)
        await pilot.click(Overview, offset=(0, overview.size.height - 1))
        assert reader.sentence > reader.sentence_count // 2


@pytest.fixture
def hostile_library(tmp_path) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "markup.txt").write_text(
        "Markup [bold]in[/bold] the title\n\n"
        "This sentence has [bold]x[/bold] and [/] in it. "
        "Here is an escape \x1b[31mred\x1b[0m and a bell \x07 too.\n\n"
        "[link=https://example.com]not a link[/link] stays text.\n",
        encoding="utf-8",
    )
    return folder


def control_article() -> Article:
    """An article whose text still holds control characters (the cleaner removes them from
    files, but the reader must not rely on that)."""
    text = "Red \x1b[31malert\x1b[0m and a bell \x07 here. [bold]Second[/bold] sentence."
    first_end = text.index(" [bold]")
    sentences = (
        Sentence(0, 0, first_end, text[:first_end]),
        Sentence(1, first_end + 1, len(text), text[first_end + 1 :]),
    )
    return Article(
        id="ctl",
        path="ctl.txt",
        title="Title with \x1b]0;evil\x07 escape",
        title_derived=False,
        byline="[i]By[/i] someone",
        text=text,
        blocks=[Block("paragraph", 0, len(text), sentences)],
    )


async def test_control_characters_never_reach_the_terminal(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        reader.show_article(control_article(), 0)
        await pilot.pause()
        shown = "\n".join(reader.plain_lines)
        assert "␛[31malert␛[0m" in shown and "␇" in shown and "[i]By[/i] someone" in shown
        for y in range(reader.scrollable_content_region.height):
            for seg in reader.render_line(y):
                assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in seg.text)
        await pilot.press("j", "y")
        assert "[bold]Second[/bold] sentence." in app.clipboard
        assert "\x1b" not in app.clipboard


async def test_article_text_is_shown_literally(settle, hostile_library):
    app = make_app(hostile_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        assert reader.article is not None
        text = "\n".join(reader.plain_lines)
        assert "[bold]x[/bold]" in text and "[/]" in text
        assert "[link=https://example.com]not a link[/link]" in text
        assert "\x1b" not in text and "\x07" not in text
        # What reaches the terminal: the rendered lines carry the brackets as text, no styles
        # beyond the reader's own, and no escape character.
        rendered = []
        for y in range(reader.scrollable_content_region.height):
            strip = reader.render_line(y)
            rendered.append("".join(seg.text for seg in strip))
            for seg in strip:
                assert "\x1b" not in seg.text
                if "x[/bold]" in seg.text:
                    assert not (seg.style and seg.style.link)
        screen = "\n".join(rendered)
        assert "[bold]x[/bold]" in screen and "[/]" in screen
        svg = app.export_screenshot()
        assert "[bold]x[/bold]" in svg.replace("&#160;", " ")
        await pilot.press("/", *"sentence")
        await settle(pilot)
        results = app.main.results
        assert results.header.startswith("1 passage in 1 article")
        prompt = str(results.options.get_option("hit-0").prompt)
        assert "[bold]x[/bold]" in prompt and "\x1b" not in prompt


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 48)])
async def test_the_text_is_wrapped_for_the_width_it_is_shown_in_on_a_first_run(settle, size):
    """A first run (no start-up snapshot) wrapped the article before the scrollbar came and kept
    it 2 cells too wide: the next start, wrapped for the real width, put the reading position on
    other rows."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        assert reader.article is not None and reader.show_vertical_scrollbar
        first = list(reader.plain_lines)
        assert reader._lines.width == reader.scrollable_content_region.width
        await pilot.press("]", "[")  # laid out again for the same article: the same lines
        await settle(pilot)
        assert list(reader.plain_lines) == first
