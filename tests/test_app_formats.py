"""The reader on libraries of every kind (issue 12 in the app): Markdown's front matter is not
text and o shows it dimmed; a PDF's page shows in the position line and in what y copies; the
citation of y is the one `glossator cite` gives."""

from __future__ import annotations

import pytest
from documents import JOURNAL, MARKDOWN, pdf, write

from glossator.index.cite import sentence_citation
from glossator.tui.app import make_app
from glossator.tui.widgets import Reader

SIZE = (120, 40)


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "kinds"
    folder.mkdir()
    write(folder, "a-notes.md", MARKDOWN)
    pdf(folder / "b-journal.pdf", JOURNAL)
    return folder


async def test_markdown_front_matter_is_metadata_and_o_shows_it_dimmed(settle, library):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        assert reader.article.title == "Shell supply estimates"
        text = "\n".join(reader.plain_lines)
        assert "title:" not in text and "**" not in text and "](" not in text
        await pilot.press("o")
        await settle(pilot)
        kinds = reader.line_kinds()
        assert ("chrome", "title: Shell supply estimates") in kinds  # the front matter, dimmed
        assert any(kind == "original" and "**artillery**" in t for kind, t in kinds)
        await pilot.press("o")
        assert not reader.original_shown


async def test_a_pdf_sentence_knows_its_page_and_y_cites_it(settle, library):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("]")
        await settle(pilot)
        reader = app.query_one(Reader)
        assert reader.article.format == "pdf"
        position = str(app.main.status.query_one("#status-position").content)
        assert position.endswith("p. 1")
        await pilot.press("G")
        await settle(pilot)
        position = str(app.main.status.query_one("#status-position").content)
        assert position.endswith("p. 3")
        await pilot.press("y")
        last = reader.sentence_count - 1
        assert app.clipboard.endswith(sentence_citation(reader.article, last, last))
        assert "p. 3" in app.clipboard.splitlines()[-1]
