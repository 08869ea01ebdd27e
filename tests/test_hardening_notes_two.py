"""Notes when processes meet and the machine misbehaves (issue 16's notes items, issue 11's
restore, issue 14's kill tests): two instances editing one note, a note deleted under an editor,
two imports at once, exports aimed at Glossator's own files, the notes file deleted while open,
a library folder moved, text that is not UTF-8, huge offsets and bad annotations in an import,
a data folder that cannot be written, another program's notes.sqlite3, and SIGKILL during
reviews and link edits."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import sys
import threading
from pathlib import Path

import pytest
from articles import PARAS, make_article, small_library
from glossator.index.export import import_annotations, to_web_annotation
from glossator.index.notes import NoteStore, NoteStoreError, default_path
from glossator.index.review import Review
from glossator.tui.cli import main
from processes import kill, process

LIB = "lib-two"


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "store" / "notes.sqlite3"


@pytest.fixture
def article():
    return make_article(PARAS, "a")


def run(capsys, *argv, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), "utf-8"))
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


@pytest.fixture
def lib(tmp_path):
    return small_library(tmp_path / "library")


def add(capsys, lib: Path, article: str, sentence: int, text: str) -> str:
    """Add a note on §sentence with the command line; its id."""
    argv = ("--article", article, "--sentence", sentence, "--text", text)
    status, out, err = run(capsys, "notes", "add", "--library", lib, *argv)
    assert status == 0, err
    return out.strip()


# -- 1, 2: two instances on one file ---------------------------------------------------------


def test_a_save_over_a_newer_version_keeps_both_and_says_so(path, article):
    with NoteStore(path) as a, NoteStore(path) as b:
        note = a.add(LIB, article, 0, None, "first words")
        opened_in_a = a.get(note.id)  # the editor opens: the text and its version, afresh
        token = a.change_token()
        assert a.change_token() == token  # nothing changed: the same token
        b_saved = b.update(note.id, "B's better words", expected_version=b.get(note.id).version)
        assert b_saved.version == 2 and b_saved.conflict_of is None
        assert a.change_token() != token  # A notices B's write
        saved = a.save(note.id, "A's words", expected_version=opened_in_a.version)
        assert saved.conflict and not saved.was_deleted
        assert saved.note.conflict_of == note.id and saved.note.text == "A's words"
        assert a.get(note.id).text == "B's better words"  # B's confirmed edit is not lost
        texts = sorted(n.text for n in b.list(LIB))  # B sees both
        assert texts == ["A's words", "B's better words"]
        # the same text saved twice is no conflict; a fresh version is no conflict
        assert not a.save(note.id, "B's better words", expected_version=1).conflict
        fresh = a.get(note.id)
        assert not a.save(note.id, "A again", expected_version=fresh.version).conflict


def test_an_edit_of_a_note_deleted_elsewhere_brings_it_back(path, article):
    with NoteStore(path) as a, NoteStore(path) as b:
        note = a.add(LIB, article, 0, None, "soon deleted")
        version = a.get(note.id).version
        b.delete(note.id)
        saved = a.save(note.id, "edited after the delete", expected_version=version)
        assert saved.was_deleted and not saved.conflict
        assert saved.note.deleted is None and saved.note.text == "edited after the delete"
        assert [n.id for n in b.list(LIB)] == [note.id]


def test_the_command_line_says_conflict_and_revival(capsys, lib):
    L = ("--library", lib)
    _, out, _ = run(capsys, "notes", "add", *L, "--article", "a0", "--sentence", 1, "--text", "v1")
    note_id = out.strip()
    assert run(capsys, "notes", "edit", *L, note_id[:8], "--text", "v2")[1].endswith("version 2\n")
    status, out, err = run(
        capsys, "notes", "edit", *L, note_id, "--text", "mine", "--expected-version", 1
    )
    assert status == 0 and "conflict copy" in err and "changed elsewhere" in err
    assert run(capsys, "notes", "delete", *L, note_id)[0] == 0
    status, _, err = run(capsys, "notes", "edit", *L, note_id, "--text", "back")
    assert status == 0 and "had been deleted; your edit brought it back" in err
    _, out, _ = run(capsys, "notes", "list", *L, "--json")
    listed = {n["text"]: n for n in json.loads(out)}
    assert set(listed) == {"back", "mine"} and listed["mine"]["conflict_of"] == note_id


# -- issue 11: restore after a restart -------------------------------------------------------


def test_a_deleted_note_is_restorable_after_a_restart(capsys, lib, article):
    L = ("--library", lib)
    _, out, _ = run(
        capsys, "notes", "add", *L, "--article", "a1", "--sentence", 2, "--text", "keep me"
    )
    note_id = out.strip()
    run(capsys, "notes", "delete", *L, note_id[:6])
    with NoteStore() as store:  # another process, later
        (gone,) = store.recently_deleted(_key(lib))
        assert gone.id == note_id and gone.deleted
    _, out, _ = run(capsys, "notes", "deleted", *L, "--json")
    assert [n["id"] for n in json.loads(out)] == [note_id]
    assert run(capsys, "notes", "restore", *L, note_id[:6])[1] == f"restored {note_id}\n"
    _, out, _ = run(capsys, "notes", "list", *L, "--json")
    assert [n["text"] for n in json.loads(out)] == ["keep me"]
    _, out, _ = run(capsys, "notes", "deleted", *L)
    assert out.startswith("No notes deleted")


def _key(folder: Path) -> str:
    from glossator.index.paths import library_key

    return library_key(folder)


# -- 4: two imports at once -------------------------------------------------------------------


def test_two_imports_of_one_file_at_once_add_each_note_once(path, article, tmp_path):
    with NoteStore(tmp_path / "source.sqlite3") as source:
        for i in range(40):
            source.add(LIB, article, i % 7, None, f"imported note {i}")
        data = to_web_annotation(source.list(LIB), LIB)
    NoteStore(path).close()
    barrier = threading.Barrier(3)
    results: list[tuple[int, int]] = []

    def one_import() -> None:
        with NoteStore(path) as store:  # a connection of its own, as a process would have
            barrier.wait()
            results.append(import_annotations(store, LIB, data, {"a": article}))

    threads = [threading.Thread(target=one_import) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with NoteStore(path) as store:
        texts = [n.text for n in store.list(LIB)]
    assert sorted(texts) == sorted(f"imported note {i}" for i in range(40))
    assert sum(added for added, _ in results) == 40


# -- 5: export never onto Glossator's own files ------------------------------------------------


def test_export_refuses_the_notes_file_the_index_and_the_state(capsys, lib, tmp_path):
    L = ("--library", lib)
    run(capsys, "notes", "add", *L, "--article", "a0", "--sentence", 1, "--text", "precious")
    notes_file = default_path()
    before = notes_file.read_bytes()
    index_file = next((Path(os.environ["XDG_CACHE_HOME"]) / "glossator").rglob("manifest.json"))
    link = tmp_path / "innocent.md"
    link.symlink_to(notes_file)
    for target in (notes_file, Path(f"{notes_file}-wal"), index_file, link,
                   notes_file.parent / "tui-state.json", notes_file.parent / "new.md"):  # fmt: skip
        for fmt in ("md", "json", "csv", "anki"):
            status, _, err = run(capsys, "notes", "export", *L, "--format", fmt, "-o", target)
            assert status == 2 and err.startswith("glossator: will not write"), (target, fmt)
    assert notes_file.read_bytes() == before
    assert not (notes_file.parent / "new.md").exists()
    assert run(capsys, "notes", "export", *L, "-o", tmp_path / "fine.md")[0] == 0


def test_export_refuses_a_file_of_the_library_however_spelled(capsys, lib, tmp_path, monkeypatch):
    """An article (its notes would lose their text), the library's themes, a hard link to the
    notes file, a relative path to it: refused; a new file in the library folder is written."""
    L = ("--library", lib)
    run(capsys, "notes", "add", *L, "--article", "a0", "--sentence", 1, "--text", "precious")
    article = lib / "a0.txt"
    before = article.read_bytes()
    (lib / "themes.toml").write_text("[themes]\n", "utf-8")
    hard = tmp_path / "hard.sqlite3"
    os.link(default_path(), hard)
    monkeypatch.chdir(default_path().parent / "..")
    relative = Path("glossator") / "notes.sqlite3"
    (tmp_path / "x").mkdir()
    dotted = tmp_path / "x" / ".." / "hard.sqlite3"
    for target in (article, lib / "themes.toml", hard, relative, dotted):
        status, _, err = run(capsys, "notes", "export", *L, "-o", target)
        assert status == 2 and err.startswith("glossator: will not write"), (target, err)
    assert article.read_bytes() == before
    assert run(capsys, "notes", "list", *L)[1].count("precious") == 1
    assert run(capsys, "notes", "export", *L, "-o", lib / "notes-export.md")[0] == 0


# -- 6: the notes file deleted while open ------------------------------------------------------


def test_the_notes_file_deleted_while_open_is_written_afresh_with_everything(path, article):
    with NoteStore(path) as store:
        kept = [store.add(LIB, article, i, None, f"before {i}").id for i in range(3)]
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        after = store.add(LIB, article, 4, None, "after the deletion")
        assert any("was deleted while Glossator had it open" in n for n in store.notices)
        assert "3 notes" in store.notices[-1]
    with NoteStore(path) as fresh:
        assert sorted(n.id for n in fresh.list(LIB)) == sorted([*kept, after.id])


def test_a_notes_file_replaced_by_another_process_gets_this_ones_notes_too(path, article):
    with NoteStore(path) as a:
        mine = a.add(LIB, article, 0, None, "mine").id
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        with NoteStore(path) as b:  # another process starts a fresh file there
            theirs = b.add(LIB, article, 1, None, "theirs").id
        token = a.change_token()  # A notices at its next look, copies its notes in
        assert any("replaced" in n for n in a.notices)
        assert {n.id for n in a.list(LIB)} == {mine, theirs}
        assert a.change_token() == token


# -- 7: a library folder moved or renamed ------------------------------------------------------


def test_notes_follow_a_moved_library_folder_and_say_so(capsys, lib, tmp_path):
    add(capsys, lib, "a2", 3, "bridge note")
    moved = tmp_path / "renamed-library"
    lib.rename(moved)
    status, out, err = run(capsys, "notes", "list", "--library", moved, "--json")
    assert status == 0 and [n["text"] for n in json.loads(out)] == ["bridge note"]
    assert "is gone and" in err and "now belong here" in err
    status, out, err = run(capsys, "notes", "list", "--library", moved, "--json")
    assert "now belong" not in err and len(json.loads(out)) == 1  # said once


def test_a_copied_library_does_not_take_the_notes_but_relink_moves_them(capsys, lib, tmp_path):
    add(capsys, lib, "a0", 1, "original")
    copy = tmp_path / "copy"
    shutil.copytree(lib, copy)
    _, out, _ = run(capsys, "notes", "list", "--library", copy, "--json")
    assert json.loads(out) == []  # the original folder is still there: its notes stay
    status, out, _ = run(capsys, "notes", "relink", lib, copy)
    assert status == 0 and out.startswith("moved 1 note from")
    _, out, _ = run(capsys, "notes", "list", "--library", copy, "--json")
    assert [n["text"] for n in json.loads(out)] == ["original"]
    status, _, err = run(capsys, "notes", "relink", lib, copy)
    assert status == 2 and "no notes belong" in err


# -- 9: a note from stdin that is not UTF-8 ----------------------------------------------------


def test_a_note_from_stdin_with_a_byte_that_is_not_utf8(capsys, lib, monkeypatch):
    argv = ("notes", "add", "--library", lib, "--article", "a0", "--sentence", 1, "--text", "-")
    status, out, err = run(capsys, *argv, stdin=b"caf\xe9 au lait\n", monkeypatch=monkeypatch)
    assert status == 2 and out == ""
    assert "not UTF-8 text (byte 0xe9 at position 3)" in err
    assert err.endswith("its text follows:\ncaf\\xe9 au lait\n")
    # and a lone surrogate given as an argument (as a non-UTF-8 argv arrives) is refused cleanly
    status, _, err = run(capsys, *argv[:-1], "caf\udce9")
    assert status == 2 and "not valid Unicode" in err and "its text follows" in err


# -- 11: huge offsets and a bad annotation in the middle ---------------------------------------


def test_an_import_with_huge_offsets_and_bad_items_imports_the_good_ones(capsys, lib, tmp_path):
    good = {
        "type": "Annotation",
        "body": [{"type": "TextualBody", "value": "fine"}],
        "target": {
            "source": "a0",
            "selector": [
                {"type": "TextQuoteSelector", "exact": "The harbour story goes on in part 1."},
                {"type": "TextPositionSelector", "start": 2**63, "end": 2**64},
            ],
        },
    }
    bad = {"type": "Annotation", "id": "urn:uuid:bad", "body": "no target"}
    worse = {**good, "body": [{"type": "TextualBody", "value": "\udcff"}]}
    later = {**good, "body": [{"type": "TextualBody", "value": "also fine"}]}
    data = tmp_path / "in.json"
    data.write_text(
        json.dumps({"type": "AnnotationCollection", "items": [good, bad, worse, 7, later]})
    )
    status, out, err = run(capsys, "notes", "import", "--library", lib, data)
    assert status == 0 and out == "imported 2 notes, skipped 3\n"
    assert "annotation 2 (urn:uuid:bad): no target source" in err
    assert "annotation 3:" in err and "annotation 4: not an annotation" in err
    _, out, _ = run(capsys, "notes", "list", "--library", lib, "--json")
    notes = json.loads(out)
    assert sorted(n["text"] for n in notes) == ["also fine", "fine"]
    assert all(n["sentence"] == 3 for n in notes)  # found by their quote


# -- 22: reading needs no write ----------------------------------------------------------------


def test_a_data_folder_that_cannot_be_written_still_lists_and_exports(capsys, lib, tmp_path):
    L = ("--library", lib)
    run(capsys, "notes", "add", *L, "--article", "a0", "--sentence", 1, "--text", "readable")
    (lib / "a0.txt").write_text(
        "Article Number 0 Here\n\nA new first line. " + (lib / "a0.txt").read_text()[22:]
    )

    def full(self):
        if not self.read_only:
            raise NoteStoreError(f"could not write to the notes file {self.path}: the disk is full")

    with pytest.MonkeyPatch.context() as mp:  # (monkeypatch.undo would undo the XDG folders)
        mp.setattr(NoteStore, "_check_file", full)
        _unwritable(capsys, L, tmp_path)
    with NoteStore() as store:
        assert [n.text for n in store.list(_key(lib))] == ["readable"]


def _unwritable(capsys, L, tmp_path):
    status, out, err = run(capsys, "notes", "list", *L, "--json")
    assert status == 0 and [n["text"] for n in json.loads(out)] == ["readable"]
    assert json.loads(out)[0]["sentence"] == 2  # re-anchored, in memory
    assert "read-only" in err and err.count("\n") == 1
    status, out, err = run(
        capsys, "notes", "export", *L, "--format", "csv", "-o", tmp_path / "x.csv"
    )
    assert status == 0 and "readable" in (tmp_path / "x.csv").read_text()
    status, out, err = run(capsys, "review", *L, "--due", "--json")
    assert status == 0 and len(json.loads(out)) == 1 and "read-only" in err
    status, _, err = run(capsys, "review", *L, "--rate", json.loads(out)[0]["id"], "good")
    assert status == 2 and "disk is full" in err
    status, _, err = run(
        capsys, "notes", "add", *L, "--article", "a0", "--sentence", 1, "--text", "new"
    )
    assert status == 2 and "disk is full" in err and err.endswith("new\n")


# -- 23: another program's notes.sqlite3 -------------------------------------------------------


def test_a_foreign_notes_file_is_set_aside_once(capsys, lib):
    db = default_path()
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes (title TEXT, body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('shopping', 'milk')")
    conn.commit()
    conn.close()
    status, out, err = run(capsys, "notes", "list", "--library", lib)
    assert status == 0 and out == "No notes.\n"
    assert "was not a Glossator notes file" in err and "tables of its own named notes" in err
    (aside,) = db.parent.glob("notes.sqlite3.foreign-*")
    assert sqlite3.connect(aside).execute("SELECT body FROM notes").fetchall() == [("milk",)]
    for _ in range(2):
        status, _, err = run(capsys, "notes", "add", "--library", lib, "--article", "a0",
                             "--sentence", 1, "--text", "ours")  # fmt: skip
        assert status == 0 and err == ""
    assert len(list(db.parent.glob("notes.sqlite3.foreign-*"))) == 1
    assert list(db.parent.glob("*.bak")) == []


def test_a_file_of_another_program_with_its_own_application_id(path):
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 12345")
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    with NoteStore(path) as store:
        assert "another program (application id 0x3039)" in store.notices[0]
        assert store.foreign_path is not None and store.foreign_path.exists()


# -- kill -9 during reviews and during link edits ----------------------------------------------

_REVIEWER = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from glossator.index.notes import NoteStore
from glossator.index.review import Review
store = NoteStore(Path(sys.argv[1]))
review = Review(store, "lib-two")
ids = [n.id for n in store.list("lib-two")]
now = datetime(2026, 3, 10, 12, tzinfo=UTC)
i = 0
while True:
    note_id = ids[i % len(ids)]
    review.rate(note_id, ("again", "hard", "good", "easy")[i % 4], now + timedelta(minutes=i))
    print(note_id, flush=True)  # confirmed: the rating is committed
    i += 1
"""


def test_sigkill_during_a_review_session_loses_no_confirmed_rating(path, article):
    with NoteStore(path) as store:
        for i in range(5):
            store.add(LIB, article, i, None, f"card {i}")
    for stop_after in (1, 7, 40):
        with process(_REVIEWER, path) as proc:
            confirmed = [proc.stdout.readline().strip() for _ in range(stop_after)]
            kill(proc)
        with NoteStore(path) as store:
            review = Review(store, LIB)
            for note_id in set(confirmed):
                assert len(review.history(note_id)) >= confirmed.count(note_id)
                assert not review.card(note_id).new
            assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


_LINK_EDITOR = """
import sys
from pathlib import Path
sys.path.insert(0, "tests")
from articles import PARAS, make_article
from glossator.index.notes import NoteStore
a = make_article(PARAS, "a")
b = make_article([["One.", "Two.", "Three.", "Four."]], "b")
store = NoteStore(Path(sys.argv[1]))
note_id = sys.argv[2]
i = 0
while True:
    target = i % 4 + 1
    note = store.update(note_id, f"edit {i} links [[b §{target}]]", resolve={"a": a, "b": b}.get)
    print(note.version, target, flush=True)
    i += 1
"""


def test_sigkill_during_link_edits_loses_no_confirmed_edit(path, article):
    with NoteStore(path) as store:
        note_id = store.add(LIB, article, 0, None, "start").id
    for stop_after in (1, 9, 30):
        with process(_LINK_EDITOR, path, note_id) as proc:
            lines = [proc.stdout.readline().split() for _ in range(stop_after)]
            kill(proc)
        version, target = map(int, lines[-1])
        with NoteStore(path) as store:
            note = store.get(note_id)
            assert note.version >= version
            (link,) = note.links  # the text and its link always agree: one transaction
            assert link.ref == note.text.split("[[")[1].rstrip("]")
            assert link.sentence_id == int(link.ref.split("§")[1]) - 1
            if note.version == version:
                assert link.sentence_id == target - 1
            assert len(store.backlinks(LIB, "b")) == 1
