"""What the reader shows follows the article shown (found by a person trying the app): after ] or
[ the notes of the new article are marked and in the panel, and the position in the status line
names that article. The reader's messages were created while its parent ran, named the parent
as their sender, and Textual stopped them there: the screen never heard of the change."""

from __future__ import annotations

from glossator.index.notes import NoteStore
from glossator.tui.app import make_app
from glossator.tui.widgets import Reader

SIZE = (80, 24)


def position(app) -> str:
    return str(app.main.status.query_one("#status-position").content)


async def test_each_articles_notes_and_place_follow_the_article_shown(settle, warm_seed_index):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library, articles = app.main.library, app.main.articles
        with NoteStore() as store:
            for i, text in ((0, "first article"), (1, "second article")):
                store.add(library.key, library.article(articles[i].id), 0, None, text)
        await pilot.press("ctrl+r")
        await settle(pilot)
        reader = app.query_one(Reader)
        panel = app.main.reading.note_panel
        for key, index, text in (("]", 1, "second article"), ("[", 0, "first article")):
            await pilot.press(key)
            await settle(pilot)
            assert reader.article.id == articles[index].id
            assert [n.text for n in reader.notes] == [text]
            assert [n.text for n in panel.notes] == [text] and panel.display
            count = len(reader.sentences)
            assert position(app) == f"article {index + 1}/{len(articles)} · §1/{count}"
        await pilot.press("e")  # the note here can be edited: the reader knows it
        await settle(pilot)
        assert type(app.screen).__name__ == "NoteEditor"


async def test_the_place_follows_hits_across_articles(settle, warm_seed_index):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"artillery", "enter")
        await settle(pilot)
        await pilot.press("enter")  # the first passage
        await settle(pilot)
        reader = app.query_one(Reader)
        seen = set()
        for _ in range(6):
            await pilot.press("n")
            await settle(pilot)
            index = app.main.library_part.index_of(reader.article.id)
            assert position(app).startswith(f"article {index + 1}/")
            assert f"§{reader.sentence + 1}/" in position(app)
            seen.add(reader.article.id)
        assert len(seen) > 1  # the hits crossed into other articles
