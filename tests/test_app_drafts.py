"""A note being typed is never lost: its draft is on disk while it is typed, and a draft left by a
process that ended (a closed terminal, a kill, a crash) is offered back on its sentence."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import replace

import pytest

from glossator.index import anchor, paths
from glossator.index.drafts import Draft, DraftStore
from glossator.index.library import Library
from glossator.index.notes import NoteStore
from glossator.tui.app import make_app
from glossator.tui.screens.note_editor import ConfirmDiscard, NoteEditor
from glossator.tui.widgets import Reader

pytestmark = pytest.mark.usefixtures("warm_seed_index")
SIZE = (120, 40)


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return int(done.stdout)


def left_draft(article_index: int, sentence: int, text: str, note_id: str | None = None):
    """A draft as a process that died while typing it leaves it."""
    library = Library(None)
    library.update()
    article = library.article(library.articles()[article_index].id)
    s = anchor.selector_for(article.text, article.sentences, sentence, sentence)
    draft = Draft(library.key, article.id, sentence, sentence, s.exact, s.prefix, s.suffix)
    draft = replace(draft, start=s.start, end=s.end, text=text, note_id=note_id)
    return (
        library,
        article,
        DraftStore(paths.data_dir()).save(replace(draft, pid=dead_pid(), started="")),
    )


async def test_a_half_typed_note_comes_back_on_its_sentence_and_saves(settle):
    library, article, _ = left_draft(1, 4, "half typ")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.text == "half typ"
        assert "Recovered" in editor.heading and "Recovered" in (editor.error or "")
        reader = app.main.query_one(Reader)
        assert (reader.article.id, reader.sentence) == (article.id, 4)
        editor.text_area.insert("ed")
        await pilot.press("ctrl+s")
        await settle(pilot)
        with NoteStore() as store:
            (note,) = store.list(library.key)
        assert note.text == "half typed" and note.sentence_id == 4
        assert DraftStore(paths.data_dir()).all() == []  # saved: the draft is gone


async def test_a_draft_follows_its_sentence_when_the_article_changed(settle, tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.txt").write_text("Title\n\nOne here. Two there. Three at last.\n", "utf-8")
    library = Library(folder)
    library.update()
    article = library.article("a")
    s = anchor.selector_for(article.text, article.sentences, 2, 2)
    draft = Draft(library.key, "a", 2, 2, s.exact, s.prefix, s.suffix, s.start, s.end, "on three")
    DraftStore(paths.data_dir()).save(replace(draft, pid=dead_pid(), started=""))
    library.close()
    (folder / "a.txt").write_text("Title\n\nNew first. One here. Two there. Three at last.\n")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor) and app.screen.text == "on three"
        assert app.main.query_one(Reader).sentence == 3  # where "Three at last." is now


async def test_the_draft_is_on_disk_while_typing_and_gone_when_given_up(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "a", *"kept as I type")
        drafts = DraftStore(paths.data_dir())
        for _ in range(100):  # written at most a second after the last key
            if [d.text for d in drafts.all()] == ["kept as I type"]:
                break
            await asyncio.sleep(0.05)
        (draft,) = drafts.all()
        assert draft.text == "kept as I type" and draft.first == 1
        assert drafts.left_behind(draft.library) == []  # this process is alive: not offered
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("y")
        await settle(pilot)
        assert drafts.all() == []


async def test_several_drafts_are_offered_one_after_the_other(settle):
    left_draft(0, 1, "first left")
    left_draft(2, 3, "second left")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = []
        for _ in range(2):
            assert isinstance(app.screen, NoteEditor)
            seen.append(app.screen.text)
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert sorted(seen) == ["first left", "second left"]
        assert app.screen is app.main


async def test_an_edit_left_half_done_comes_back_as_an_edit(settle):
    library = Library(None)
    library.update()
    article = library.article(library.articles()[0].id)
    with NoteStore() as store:
        note = store.add(library.key, article, 2, 2, "the note as saved")
    left_draft(0, 2, "the note as saved, and more", note_id=note.id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+s")
        await settle(pilot)
    with NoteStore() as store:
        (again,) = store.list(library.key)
    assert again.id == note.id and again.text == "the note as saved, and more"
