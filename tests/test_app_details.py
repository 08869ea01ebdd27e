"""An article's details in the app (issue 12): i shows the metadata citations use; what the
person corrects is checked as `glossator meta --set` checks it, kept beside the notes (never in
the file), and used at once by the reader, the Articles tab and y's citation; a field put back to
what the file says drops its correction; escape leaves everything as it was."""

from __future__ import annotations

import pytest
from documents import MARKDOWN, write
from textual.widgets import Input

from glossator.index.library import Library
from glossator.tui.app import make_app
from glossator.tui.screens.details import DetailsScreen
from glossator.tui.widgets import Reader

SIZE = (120, 40)


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "kinds"
    folder.mkdir()
    write(folder, "a-notes.md", MARKDOWN)
    write(folder, "b-plain.txt", "A plain title\n\nArtillery shells were counted. Then more.\n")
    return folder


def field(app, key: str) -> Input:
    return app.screen.query_one(f"#field-{key}", Input)


async def open_details(pilot, settle) -> DetailsScreen:
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DetailsScreen)
    return pilot.app.screen


async def test_i_shows_the_details_and_a_correction_is_used_at_once(settle, library):
    before = (library / "a-notes.md").read_bytes()
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        assert reader.article.title == "Shell supply estimates"
        await open_details(pilot, settle)
        assert field(app, "title").value == "Shell supply estimates"  # as the front matter says
        field(app, "authors").value = "Ada Lovelace; Mary Shelley"
        field(app, "outlet").value = "The [bold]Gazette[/bold]"  # markup kept as typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.main
        assert reader.article.authors == ["Ada Lovelace", "Mary Shelley"]
        assert reader.article.outlet == "The [bold]Gazette[/bold]"
        await pilot.press("y")
        assert "Lovelace" in app.clipboard and "The [bold]Gazette[/bold]" in app.clipboard
        article_id = reader.article.id
    again = Library(library)  # kept: another process (or the next start) sees it
    info = next(a for a in again.articles() if a.id == article_id)
    assert info.authors == ["Ada Lovelace", "Mary Shelley"]
    assert (library / "a-notes.md").read_bytes() == before  # never in the file
    again.close()


async def test_a_wrong_value_is_said_and_nothing_is_kept(settle, library):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_details(pilot, settle)
        field(app, "published").value = "2024-13"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # still open, the value still there to fix
        message = str(screen.query_one("#details-message").render())
        assert "Date" in message and "2024-13" in message
        field(app, "published").value = "2024-03-05"
        await pilot.press("enter")  # enter in a field keeps them too
        await settle(pilot)
        assert app.screen is app.main
        assert app.query_one(Reader).article.published == "2024-03-05"


async def test_escape_leaves_the_details_as_they_were(settle, library):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_details(pilot, settle)
        field(app, "title").value = "Something else"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main
        assert app.query_one(Reader).article.title == "Shell supply estimates"
        assert not (app.main.library.corrections.all())


async def test_the_files_own_value_drops_the_correction(settle, library):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("]")  # the plain-text article
        await settle(pilot)
        await open_details(pilot, settle)
        field(app, "title").value = "A better title"
        await pilot.press("ctrl+s")
        await settle(pilot)
        reader = app.query_one(Reader)
        assert reader.article.title == "A better title"
        assert "A better title" in [a.title for a in app.main.articles]  # the Articles tab too
        await open_details(pilot, settle)
        field(app, "title").value = "A plain title"  # what the file says
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert reader.article.title == "A plain title"
        assert not app.main.library.corrections.all()


async def test_keys_typed_right_after_i_reach_the_first_field(settle, library):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i", "ctrl+u", "N", "e", "w")  # at once, as a person types ahead
        await settle(pilot)
        assert isinstance(app.screen, DetailsScreen)
        assert field(app, "title").value == "New"


async def test_the_details_say_how_the_file_was_read(settle, tmp_path):
    folder = tmp_path / "latin"
    folder.mkdir()
    (folder / "cafe.txt").write_bytes(b"Caf\xe9 [bold]title[/bold]\n\nThe caf\xe9 served shells.\n")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_details(pilot, settle)
        said = str(screen.query_one("#details-warnings").render())
        assert "not valid UTF-8" in said and "Windows-1252" in said
        assert screen.warnings == tuple(app.main.library.articles()[0].warnings)


async def test_details_without_warnings_have_no_warning_line(settle, library):
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_details(pilot, settle)
        assert not screen.query("#details-warnings")
