"""Notes in the reading app: writing (a, v + j + a), marks, the panel, e, d + u, m/M, the Notes
tab (groups, filter, enter, orphans and r), notes in search results and the palette, re-anchoring
when an article changed, and a failed save that keeps the text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.notifications import Notify
from textual.widgets import Input

from glossator.index import paths
from glossator.index.library import Library
from glossator.index.notes import Note, NoteStore, NoteStoreError
from glossator.tui.app import make_app
from glossator.tui.screens.note_editor import ConfirmDiscard, NoteEditor
from glossator.tui.widgets import Overview, Reader
from glossator.tui.widgets.note_panel import NotePanel
from glossator.tui.widgets.notes_list import NotesList
from glossator.tui.widgets.reader_paint import NOTE_MARK

pytestmark = pytest.mark.usefixtures("warm_seed_index")

SIZE = (120, 40)


def seed_library() -> Library:
    library = Library(None)
    library.update()
    return library


def add_notes(specs: list[tuple[int, int, int | None, str]], folder: Path | None = None):
    """Notes made before the app starts: (article index, first, last, text) each; returned in
    order, with the library (in the data folder the app uses)."""
    library = Library(folder)
    library.update()
    articles = library.articles()
    made: list[Note] = []
    with NoteStore() as store:
        for index, first, last, text in specs:
            article = library.article(articles[index].id)
            made.append(store.add(library.key, article, first, last, text))
    return library, made


def stored(library_key: str, include_deleted: bool = False) -> list[Note]:
    with NoteStore() as store:
        return store.list(library_key, include_deleted=include_deleted)


def rendered(reader: Reader, line: int) -> str:
    """What the reader draws for laid-out line ``line`` (scrolling it into view)."""
    reader.scroll_to(y=max(0, line - 2), animate=False)
    y = line - round(reader.scroll_y)
    return "".join(seg.text for seg in reader.render_line(y))


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_writes_a_note_on_the_current_sentence(settle):
    app = make_app()
    seen: list = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("j", "j", "a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        sentence = reader.article.sentences[2]
        assert sentence.text in str(editor.query_one("#editor-quote").content)
        await pilot.press(*"Hard currency first. #economy")
        await pilot.press("ctrl+s")
        assert app.screen is app.main  # the editor closed at once; the save runs in a worker
        await settle(pilot)
        # Told (a notification lasts 3 s: on a busy machine settling can take longer).
        told = [m.notification.message for m in seen if isinstance(m, Notify)]
        assert "Note saved" in told

        # The note is in the store in the data folder, tied to that sentence.
        assert (paths.data_dir() / "notes.sqlite3").exists()
        (note,) = stored(app.main.library.key)
        assert note.article_id == reader.article.id
        assert (note.sentence_id, note.last_sentence_id) == (2, 2)
        assert note.text == "Hard currency first. #economy" and note.tags == ("economy",)
        assert note.quote == sentence.text

        # Marked in the reader (gutter mark and tags), in the overview, in the article list,
        # and shown in the panel under the reader while the cursor is on it.
        assert reader.noted_sentences == {2}
        first, last = reader._layout.sentence_lines[2]
        line = rendered(reader, first)
        assert NOTE_MARK in line and "#ec" in line  # the tags, as far as the line has room
        assert NOTE_MARK not in rendered(reader, last + 2)
        assert first in app.query_one(Overview).view.notes
        options = app.query_one("#articles-list")
        assert "1 note" in options.entry_text(0)
        panel = app.query_one(NotePanel)
        assert panel.display and "Hard currency first." in panel.text
        await pilot.press("j")
        assert not panel.display
        await pilot.press("k")
        assert panel.display


async def test_escape_cancels_and_asks_first_when_something_was_typed(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")  # nothing typed: closes without asking
        assert app.screen is app.main

        await pilot.press("a", *"half a thought", "escape")
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")  # keep writing: the text is still there
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.text == "half a thought"
        await pilot.press("escape", "y")
        assert app.screen is app.main
        await settle(pilot)
        assert stored(app.main.library.key) == []
        assert "Note saved" not in messages(app)


async def test_ctrl_q_in_the_editor_asks_before_losing_the_text(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"do not lose me", "ctrl+q")
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor) and app.screen.text == "do not lose me"
        assert app.is_running
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert not app.is_running


async def test_v_then_j_selects_a_run_and_a_annotates_it(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("j", "v", "j", "j")
        assert reader.selection == (1, 3)
        assert "3 sentences selected" in app.main.status.text
        # The run is marked: its lines carry the selection style.
        selected = reader._style("selected")
        first, _ = reader._layout.sentence_lines[1]
        y = first - round(reader.scroll_y)
        assert any(
            seg.style and seg.style.bgcolor == selected.bgcolor for seg in reader.render_line(y)
        )
        # escape clears the selection (and stays in the reader); v starts again.
        await pilot.press("escape")
        assert reader.selection is None and app.focused is reader
        await pilot.press("k", "v", "j", "j", "a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        quote = str(editor.query_one("#editor-quote").content)
        for s in reader.article.sentences[2:5]:
            assert s.text in quote
        await pilot.press(*"a run", "ctrl+s")
        await settle(pilot)
        (note,) = stored(app.main.library.key)
        assert (note.sentence_id, note.last_sentence_id) == (2, 4)
        assert reader.selection is None
        assert reader.noted_sentences == {2, 3, 4}


async def test_e_edits_the_note_here(settle):
    library, (note,) = add_notes([(0, 3, None, "First thoughts.")])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")  # no note on sentence 0
        assert app.screen is app.main and any("No note here" in m for m in messages(app))
        await pilot.press("j", "j", "j", "e")
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.text == "First thoughts."
        await pilot.press(*" Then #second", "ctrl+s")
        await settle(pilot)
        (changed,) = stored(library.key)
        assert changed.id == note.id
        assert changed.text == "First thoughts. Then #second" and changed.tags == ("second",)
        assert "Then #second" in app.query_one(NotePanel).text


async def test_d_deletes_and_u_brings_the_note_back(settle):
    library, (note,) = add_notes([(0, 1, None, "Keep me.")])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("u")
        assert any("No deleted note" in m for m in messages(app))
        await pilot.press("j")
        assert reader.noted_sentences == {1}
        await pilot.press("d")
        await settle(pilot)
        assert "Note deleted — u to undo" in messages(app)
        assert stored(library.key) == []
        assert stored(library.key, include_deleted=True)[0].deleted is not None
        assert reader.noted_sentences == set()
        assert not app.query_one(NotePanel).display
        await pilot.press("u")
        await settle(pilot)
        assert "Note restored" in messages(app)
        (back,) = stored(library.key)
        assert back.id == note.id and back.deleted is None
        assert reader.noted_sentences == {1}


async def test_m_and_M_go_to_the_next_and_previous_note(settle):
    library, _ = add_notes(
        [(0, 10, None, "later"), (0, 3, None, "earlier"), (1, 2, None, "next article")]
    )
    ids = [a.id for a in library.articles()]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("m")
        assert reader.sentence == 3
        await pilot.press("m")
        assert reader.sentence == 10
        await pilot.press("m")  # into the next article with notes
        await settle(pilot)
        assert (reader.article.id, reader.sentence) == (ids[1], 2)
        assert "note 3/3" in app.main.status.text
        await pilot.press("M")
        await settle(pilot)
        assert (reader.article.id, reader.sentence) == (ids[0], 10)
        await pilot.press("M", "M")  # from the first note back round to the last
        await settle(pilot)
        assert (reader.article.id, reader.sentence) == (ids[1], 2)
        assert "wrapped" in app.main.status.text


async def test_notes_tab_groups_filters_and_enter_opens(settle):
    library, notes = add_notes(
        [
            (0, 6, None, "later in the first article #supply #cash"),
            (2, 4, 5, "a run in the third article #shells"),
            (0, 1, None, "earlier in the first article, written last #supply"),
        ]
    )
    infos = library.articles()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        panel = app.query_one(NotesList)
        assert app.focused is panel.options  # the list: q still quits, j/k move
        # Grouped by article in library order, in reading order inside each article.
        groups = panel.groups()
        assert [title for title, _ in groups] == [infos[0].title, infos[2].title]
        assert [n.id for n in groups[0][1]] == [notes[2].id, notes[0].id]
        prompts = [str(o.prompt).replace("\n  ", " ") for o in panel.options.options]
        assert infos[0].title[:20] in prompts[0]
        assert "earlier in the first article" in prompts[1] and "§2" in prompts[1]
        quote = library.article(infos[0].id).sentences[1].text
        assert quote[:15] in prompts[1]
        assert "3 notes · reading order" in panel.summary
        await pilot.press("s")  # newest first: articles by their newest note, then inside
        assert [n.id for n in panel.shown] == [notes[2].id, notes[0].id, notes[1].id]
        assert "newest first" in panel.summary
        await pilot.press("s")

        await pilot.press("/", *"#sup")  # / goes to the tab's filter
        assert app.focused is panel.filter_input
        assert [n.id for n in panel.shown] == [notes[2].id, notes[0].id]
        assert "2 of 3 notes" in panel.summary
        await pilot.press(*" later")
        assert [n.id for n in panel.shown] == [notes[0].id]
        await pilot.press("enter")  # from the filter: the first match
        await settle(pilot)
        reader = app.query_one(Reader)
        assert (reader.article.id, reader.sentence) == (infos[0].id, 6)
        assert app.focused is reader

        # From the list itself: j moves, enter opens.
        await pilot.press("3")
        panel.filter_input.value = ""
        await pilot.pause()
        await pilot.press("j", "enter")  # past the third article's heading
        await settle(pilot)
        assert (reader.article.id, reader.sentence) == (infos[2].id, 4)
        await pilot.press("3", "k", "k", "enter")
        await settle(pilot)
        assert (reader.article.id, reader.sentence) == (infos[0].id, 1)
        # c: only the notes of the article being read.
        await pilot.press("3", "c")
        assert [n.id for n in panel.shown] == [notes[2].id, notes[0].id]
        assert "2 of 3 notes in this article" in panel.summary
        await pilot.press("c")
        assert len(panel.shown) == 3


async def test_notes_tab_edits_deletes_and_brings_back_any_note(settle):
    library, notes = add_notes([(0, 1, None, "first #a"), (0, 1, None, "second on it #b")])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        panel = app.query_one(NotesList)
        assert [n.id for n in panel.shown] == [notes[0].id, notes[1].id]
        await pilot.press("j", "e")  # the second note on the same sentence
        await settle(pilot)
        editor = app.screen
        assert editor.text_area.text == "second on it #b"
        editor.text_area.text = "second, edited"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert {n.id: n.text for n in stored(library.key)}[notes[1].id] == "second, edited"
        await pilot.press("3", "g", "d")  # the first note, deleted
        await settle(pilot)
        assert [n.id for n in stored(library.key)] == [notes[1].id]
        groups = dict(panel.groups())
        assert [n.id for n in groups["Recently deleted"]] == [notes[0].id]
        # After a restart, still restorable from "Recently deleted" with r.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        panel = app.query_one(NotesList)
        deleted = panel.shown.index(next(n for n in panel.shown if n.id == notes[0].id))
        for _ in range(deleted):
            await pilot.press("j")
        assert panel.highlighted_note.id == notes[0].id
        await pilot.press("r")
        await settle(pilot)
        assert {n.id for n in stored(library.key)} == {notes[0].id, notes[1].id}
        assert "Recently deleted" not in dict(panel.groups())


@pytest.fixture
def small_library(tmp_path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    for name in sorted(p.name for p in paths.seeds_dir().iterdir())[3:5]:
        shutil.copy(paths.seeds_dir() / name, folder / name)
    return folder


async def test_changed_article_reanchors_and_orphans_can_be_reattached(settle, small_library):
    """Edit the file: a note whose sentence moved follows it; one whose sentence was deleted is
    orphaned, listed in its own group with its quote, and r re-attaches it."""
    library, (moved, lost) = add_notes(
        [(0, 3, None, "follows its sentence"), (0, 2, None, "loses its sentence")],
        small_library,
    )
    article = library.article(library.articles()[0].id)
    gone = article.sentences[2].text
    path = small_library / library.articles()[0].path
    text = path.read_text("utf-8")
    assert gone in text
    path.write_text(text.replace(gone, ""), "utf-8")

    app = make_app(small_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        now = {n.id: n for n in stored(library.key)}
        assert now[moved.id].sentence_id == 2  # one sentence earlier now
        assert now[lost.id].status == "orphaned" and now[lost.id].sentence_id is None
        reader = app.query_one(Reader)
        assert reader.noted_sentences == {2}

        await pilot.press("3")
        panel = app.query_one(NotesList)
        groups = panel.groups()
        assert groups[0][0] == "Orphaned" and [n.id for n in groups[0][1]] == [lost.id]
        prompt = str(panel.options.get_option("note-0").prompt).replace("\n  ", " ")
        assert gone[:20] in prompt and "loses its sentence" in prompt
        assert "1 orphaned" in panel.summary

        # Choose the sentence in the reader, come back, re-attach the orphan there.
        await pilot.press("escape", "j", "j", "j", "j", "3", "r")  # the orphan is first
        await settle(pilot)
        assert any("re-attached" in m for m in messages(app))
        again = {n.id: n for n in stored(library.key)}[lost.id]
        assert again.status == "anchored" and (again.sentence_id, again.last_sentence_id) == (4, 4)
        assert panel.groups()[0][0] != "Orphaned"
        assert reader.noted_sentences == {2, 4}


async def test_search_also_finds_notes(settle):
    library, (note,) = add_notes([(1, 5, None, "zebra crossing of ideas #stripes")])
    infos = library.articles()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("/", *"zebra")
        await settle(pilot)
        results = app.main.results
        assert [n.id for n in results.notes] == [note.id]
        assert "1 note" in results.header
        assert "zebra crossing" in str(results.options.get_option("note-0").prompt)
        # A search for a tag finds no passages, but the note.
        await pilot.press("ctrl+u", *"#stripes")
        await settle(pilot)
        assert [n.id for n in results.notes] == [note.id]
        await pilot.press("enter", "enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        assert (reader.article.id, reader.sentence) == (infos[1].id, 5)
        assert app.focused is reader


async def test_palette_jumps_to_a_note(settle):
    library, _ = add_notes([(2, 7, None, "palette finds me")])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Note: palette finds")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        assert (reader.article.id, reader.sentence) == (library.articles()[2].id, 7)


async def test_a_failed_save_keeps_the_text(settle):
    real_add = NoteStore.add

    def full_disk(self, *args, **kwargs):
        raise NoteStoreError("could not write to the notes file: the disk is full")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(NoteStore, "add", full_disk)
            await pilot.press("j", "a", *"words I must not lose", "ctrl+s")
            await settle(pilot)
        assert NoteStore.add is real_add
        # Told, and back in the editor with the text and the reason.
        assert any("could not be saved" in m and "disk is full" in m for m in messages(app))
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.text == "words I must not lose"
        assert "disk is full" in str(editor.query_one("#editor-error").content)
        assert stored(app.main.library.key) == []
        # escape asks first: the text is not saved anywhere yet.
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n", "ctrl+s")  # the disk has room again
        await settle(pilot)
        assert app.screen is app.main
        (note,) = stored(app.main.library.key)
        assert note.text == "words I must not lose" and note.sentence_id == 1


async def test_a_load_overtaken_by_a_save_does_not_hide_the_note(settle):
    """The library's notes read (as when the library reopens), then a note saved before that
    read reaches the screen: the save's own read is the later one, and what is shown stays what
    is stored (a slow load used to put back the list without the new note)."""
    import threading

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        part = app.main.notes_part
        read_done, go_on = threading.Event(), threading.Event()
        real_notices = part.take_notices

        def slow_after_reading(store):
            if threading.current_thread().name != "MainThread" and not read_done.is_set():
                read_done.set()  # the load's read is made: it waits here, before it is shown
                go_on.wait(10)
            real_notices(store)

        part.take_notices = slow_after_reading
        part.library_opened(part.library, part.articles)
        for _ in range(500):
            await pilot.pause(0.02)
            if read_done.is_set():
                break
        assert read_done.is_set()
        part.take_notices = real_notices
        await pilot.press("j", "a", *"after the read", "ctrl+s")
        for _ in range(200):  # the save and its own read, shown
            await pilot.pause(0.02)
            if any(n.text == "after the read" for n in part.notes):
                break
        go_on.set()  # the load that read first is shown now
        await settle(pilot)
        (note,) = stored(app.main.library.key)
        assert note.text == "after the read"
        assert [n.id for n in part.notes] == [note.id]
        assert [n.id for n in app.main.notes] == [note.id]


async def test_help_lists_the_note_keys(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        text = app.screen.text
        for words in (
            "annotate",
            "Select sentences",
            "Edit the note",
            "Delete the note",
            "Undo deleting a note",
            "Next note",
            "Previous note",
            "Notes tab",
            "Re-attach / restore",
            "Writing a note",
            "Save the note",
        ):
            assert words.lower() in text.lower(), words
        rows = {line.split()[0] for line in text.splitlines() if line.startswith("  ")}
        assert {"a", "v", "e", "d", "u", "m", "M", "r"} <= rows
        assert isinstance(app.query_one("#notes-filter"), Input)
