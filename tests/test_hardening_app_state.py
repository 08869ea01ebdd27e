"""Hardening, issue 7, in the app: broken state met while reading.

* a state file with mistakes: the app says which file and which line (or key), uses the
  defaults for the rest, and moves the file aside to ``tui-state.json.broken`` instead of
  overwriting it;
* a damaged notes file: the app writes nothing to it, says where it is and asks — keep reading
  with the notes read-only, or move it aside and start afresh with every note still readable;
  a note typed meanwhile is never lost;
* an index that was damaged, or left locked by a killed process: the app says so (a damaged one
  is rebuilt in the background) and works.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from articles import article_file, small_library
from processes import kill, process
from waiting import until

from glossator.index import paths
from glossator.index.library import Library
from glossator.index.notes import NoteStore
from glossator.tui.app import make_app
from glossator.tui.screens.note_editor import NoteEditor
from glossator.tui.screens.notes_damaged import NotesDamaged
from glossator.tui.state import STATE_FILE
from glossator.tui.widgets import Reader

SIZE = (120, 40)


@pytest.fixture
def folder(tmp_path) -> Path:
    return small_library(tmp_path / "library")


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the state file ----------------------------------------------------------------------------


async def test_a_state_file_that_is_not_json_is_named_with_its_line_and_moved_aside(settle, folder):
    data = paths.data_dir()
    data.mkdir(parents=True)
    broken = '{\n "theme": "nord",\n "history": ["quay"\n "positions": {}\n}\n'
    (data / STATE_FILE).write_text(broken, "utf-8")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (told,) = [m for m in messages(app) if "reading state" in m]
        assert str(data / STATE_FILE) in told and "line 4, column 2" in told
        assert "starts from the defaults" in told and f"{STATE_FILE}.broken" in told
        assert app.main.search_bar.history == []  # the defaults
        await pilot.press("j")
        await app.main.flush_state()
    # The file as it was is kept beside; a sound one is written in its place.
    assert (data / f"{STATE_FILE}.broken").read_text("utf-8") == broken
    saved = json.loads((data / STATE_FILE).read_text("utf-8"))
    assert saved["positions"]


async def test_wrong_types_name_the_key_and_its_line_and_the_rest_is_used(settle, folder):
    data = paths.data_dir()
    data.mkdir(parents=True)
    text = '{\n "theme": 42,\n "history": ["quay", "river"],\n "positions": {}\n}\n'
    (data / STATE_FILE).write_text(text, "utf-8")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (told,) = [m for m in messages(app) if "reading state" in m]
        assert told.startswith("Parts of your saved reading state could not be used")
        assert 'line 2: "theme" should be a colour theme\'s name, not a number' in told
        assert app.main.search_bar.history == ["quay", "river"]  # the rest is used
    assert (data / f"{STATE_FILE}.broken").read_text("utf-8") == text


async def test_a_sound_state_file_says_nothing_and_is_not_moved(settle, folder):
    data = paths.data_dir()
    data.mkdir(parents=True)
    (data / STATE_FILE).write_text('{"history": ["quay"]}', "utf-8")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not [m for m in messages(app) if "reading state" in m]
    assert not (data / f"{STATE_FILE}.broken").exists()


# -- a damaged notes file ----------------------------------------------------------------------


@pytest.fixture
def damaged_notes(folder) -> tuple[Path, str, int]:
    """300 notes on the first article, then a damaged page in the middle of the file:
    (the file, its digest, how many notes were made)."""
    library = Library(folder)
    library.update()
    first = library.article(library.articles()[0].id)
    with NoteStore() as store:
        for i in range(300):
            store.add(library.key, first, i % 2, None, f"note {i} " + "x" * 200)
    library.close()
    path = paths.data_dir() / "notes.sqlite3"
    with path.open("r+b") as fh:
        fh.seek(4096 * 20)
        fh.write(b"\xde\xad" * 2048)
    return path, digest(path), 300


def set_aside(path: Path) -> list[Path]:
    """The damaged files moved aside (without their journals)."""
    found = path.parent.glob(f"{path.name}.corrupt-*")
    return [p for p in found if not p.name.endswith(("-wal", "-shm"))]


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith("notes"))


async def test_a_damaged_notes_file_is_left_alone_and_read_only_keeps_the_notes_readable(
    settle, folder, damaged_notes
):
    path, before, _made = damaged_notes
    files = siblings(path)
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NotesDamaged)
        shown = str(modal.query_one("#damaged-text").render())
        assert str(path) in shown and "left as it is" in shown
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is app.main
        assert any("Notes are read-only" in m and str(path) in m for m in messages(app))
        # The notes still readable are shown, read from the damaged file without writing to it.
        assert len(app.main.notes) > 250
        assert app.query_one(Reader).noted_sentences == {0, 1}

        # A note typed now is not saved to the damaged file, and not lost: ctrl+s asks again,
        # and keeping the file read-only gives the text back in the editor.
        await pilot.press("j", "j", "a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert "read-only" in str(editor.query_one("#editor-error").render())
        await pilot.press(*"keep this safe", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NotesDamaged)
        assert "Your note is not lost" in str(app.screen.query_one("#damaged-text").render())
        await pilot.press("r")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.text == "keep this safe"
        assert "Not saved" in str(editor.query_one("#editor-error").render())
        # Searching goes on (without the notes).
        await pilot.press("escape", "y", "/", *"quay")
        await settle(pilot)
        assert app.main.search_result is not None and app.main.search_result.total
    assert digest(path) == before
    # Nothing moved or made beside it, but the empty journal SQLite opens next to a WAL file.
    assert set(siblings(path)) - set(files) <= {"notes.sqlite3-wal", "notes.sqlite3-shm"}
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


async def test_moving_a_damaged_notes_file_aside_starts_afresh_with_the_notes_it_held(
    settle, folder, damaged_notes
):
    path, before, _made = damaged_notes
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NotesDamaged)
        await pilot.press("m")
        await settle(pilot)
        assert app.screen is app.main
        (aside,) = set_aside(path)
        assert digest(aside) == before  # kept as it was
        (told,) = [m for m in messages(app) if "Moved the damaged notes file" in m]
        assert str(aside) in told and str(path) in told
        with NoteStore() as store:
            kept = store.list(app.main.library.key)
        assert len(kept) > 250 and len(app.main.notes) == len(kept)
        assert f"{len(kept)} notes read from it" in told
        # Writing works again, in the fresh file.
        await pilot.press("j", "j", "a", *"a fresh start", "ctrl+s")
        await until(pilot, settle, lambda: "Note saved" in messages(app))
        with NoteStore() as store:
            texts = [n.text for n in store.list(app.main.library.key)]
        assert "a fresh start" in texts


async def test_a_note_typed_when_the_damage_is_found_is_saved_after_moving_the_file_aside(
    settle, folder, damaged_notes
):
    """The person chose read-only, then writes a note anyway: the modal offers the way out
    again, and moving the file aside saves the note that was waiting."""
    path, before, _made = damaged_notes
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("j", "j", "j", "a", *"waited for the fresh file #patience", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NotesDamaged)
        await pilot.press("m")
        await settle(pilot)
        assert app.screen is app.main
        await until(pilot, settle, lambda: "Note saved" in messages(app))  # after the move
        with NoteStore() as store:
            (note,) = [n for n in store.list(app.main.library.key) if n.text.endswith("#patience")]
        assert note.sentence_id == 3 and note.tags == ("patience",)
        # the app's list is read again from the store after the save: shown as stored, once read
        await until(pilot, settle, lambda: any(n.id == note.id for n in app.main.notes))
    (aside,) = set_aside(path)
    assert digest(aside) == before


# -- the index ---------------------------------------------------------------------------------


async def test_a_damaged_index_is_rebuilt_in_the_background_with_a_message(settle, folder):
    library = Library(folder)
    library.update()
    library.close()
    for p in library.index_dir.iterdir():
        if p.is_file() and p.name != "manifest.json":
            p.write_bytes(os.urandom(64) * 10)
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any(m.startswith("Rebuilt the index:") for m in messages(app))
        assert [a.id for a in app.main.articles] == ["a0", "a1", "a2"]
        assert app.query_one(Reader).article is not None
        await pilot.press("/", *"bridge")
        await settle(pilot)
        assert [a[0] for a in app.main.search_result.articles] == ["a2"]


_HOLDER = """
import sys, time
from pathlib import Path
from glossator.index.library import Library
library = Library(Path(sys.argv[1]))
library.update()
writer = library.engine.ix.writer()
print("locked", flush=True)
time.sleep(60)
"""


async def test_an_index_left_locked_by_a_killed_process_opens_at_once(settle, folder):
    """Whoosh's write lock is an operating-system lock: it goes with the process that held it,
    so the index a killed process was writing is sound and opens without a rebuild."""
    # the test's XDG folders: the same cache as the app
    with process(_HOLDER, folder, env=os.environ.copy()) as proc:
        assert proc.stdout.readline().strip() == "locked"
        kill(proc)
    (folder / "a0.txt").write_text(article_file("Article Zero Rewritten", "lighthouse"), "utf-8")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.error is None
        assert not any("Rebuilt" in m or "could not" in m for m in messages(app))
        assert app.query_one(Reader).article.title == "Article Zero Rewritten"
        await pilot.press("/", *"lighthouse")
        await settle(pilot)
        assert [a[0] for a in app.main.search_result.articles] == ["a0"]
