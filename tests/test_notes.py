"""The notes store: CRUD, tags, soft delete, libraries kept apart, SQLite safety, re-anchoring."""

from __future__ import annotations

import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from articles import PARAS, make_article
from processes import kill, process

from glossator.index import notes as notes_mod
from glossator.index.model import Article
from glossator.index.notes import (
    Note,
    NoteError,
    NoteNotFound,
    NoteStore,
    NoteStoreError,
    default_path,
    parse_tags,
    text_hash,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


LIB, OTHER = "lib-aaaa", "other-bbbb"
CURRENT = len(notes_mod.MIGRATIONS)  # the schema version this Glossator writes


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "store" / "notes.sqlite3"


@pytest.fixture
def store(path):
    with NoteStore(path) as s:
        yield s


@pytest.fixture
def article() -> Article:
    return make_article(PARAS)


# -- CRUD -------------------------------------------------------------------------------------


def test_add_and_get(store, article):
    note = store.add(LIB, article, 3, None, "  Costs drive the fleet out. #fuel  ")
    assert isinstance(note, Note)
    assert note.text == "Costs drive the fleet out. #fuel"
    assert note.tags == ("fuel",)
    assert (note.sentence_id, note.last_sentence_id) == (3, 3)
    assert note.exact == "Most skippers could no longer afford to sail." == note.quote
    assert article.text[note.start : note.end] == note.exact
    assert note.prefix == article.text[note.start - 32 : note.start]
    assert note.suffix == article.text[note.end : note.end + 32]
    assert note.article_hash == text_hash(article.text)
    assert note.status == "anchored" and note.deleted is None
    assert note.created == note.updated and note.created.endswith("Z")
    assert store.get(note.id) == note
    assert len(note.id) == 36


def test_run_of_sentences(store, article):
    note = store.add(LIB, article, 2, 4, "the whole decline")
    assert (note.sentence_id, note.last_sentence_id) == (2, 4)
    assert note.exact.startswith("Prices") and note.exact.endswith("south.")


def test_add_rejects_bad_input(store, article):
    with pytest.raises(NoteError):
        store.add(LIB, article, 1, None, "   ")
    with pytest.raises(NoteError):
        store.add(LIB, article, 99, None, "x")
    with pytest.raises(NoteError):
        store.add(LIB, article, 3, 2, "x")
    with pytest.raises(NoteError):
        store.add(LIB, article, -1, None, "x")
    assert store.list(LIB) == []


def test_update_changes_text_and_tags(store, article):
    note = store.add(LIB, article, 0, None, "calm #harbour")
    time.sleep(0.002)
    changed = store.update(note.id, "busy #Port #harbour")
    assert changed.text == "busy #Port #harbour" and changed.tags == ("Port", "harbour")
    assert changed.updated > note.updated and changed.created == note.created
    assert store.get(note.id) == changed
    with pytest.raises(NoteError):
        store.update(note.id, "")
    with pytest.raises(NoteNotFound):
        store.update("no-such-id", "x")


def test_soft_delete_and_restore(store, article):
    keep = store.add(LIB, article, 0, None, "keep")
    gone = store.add(LIB, article, 1, None, "gone")
    deleted = store.delete(gone.id)
    assert deleted.deleted is not None
    assert [n.id for n in store.list(LIB)] == [keep.id]
    assert [n.id for n in store.list(LIB, include_deleted=True)] == [keep.id, gone.id]
    assert [n.id for n in store.for_article(LIB, "a")] == [keep.id]
    assert store.get(gone.id).deleted == deleted.deleted
    assert store.delete(gone.id).deleted == deleted.deleted  # twice: no change
    restored = store.restore(gone.id)
    assert restored.deleted is None and restored.text == "gone"
    assert [n.id for n in store.list(LIB)] == [keep.id, gone.id]
    with pytest.raises(NoteNotFound):
        store.delete("nope")
    with pytest.raises(NoteNotFound):
        store.restore("nope")
    with pytest.raises(NoteNotFound):
        store.get("nope")


def test_for_article_in_text_order(store, article):
    other = make_article(PARAS, "b")
    late = store.add(LIB, article, 5, None, "late")
    early = store.add(LIB, article, 1, None, "early")
    store.add(LIB, other, 0, None, "other article")
    assert [n.id for n in store.for_article(LIB, "a")] == [early.id, late.id]
    assert [n.text for n in store.list(LIB)] == ["late", "early", "other article"]


def test_libraries_are_kept_apart(store, article):
    mine = store.add(LIB, article, 0, None, "mine #shared")
    theirs = store.add(OTHER, article, 0, None, "theirs #shared")
    assert [n.id for n in store.list(LIB)] == [mine.id]
    assert [n.id for n in store.list(OTHER)] == [theirs.id]
    assert [n.id for n in store.for_article(OTHER, "a")] == [theirs.id]
    assert [n.id for n in store.search(LIB, "#shared")] == [mine.id]
    assert store.search(LIB, "theirs") == []
    assert store.list("unknown-library") == []
    assert set(store.article_hashes(LIB)) == {"a"}


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("#supply chains", ("supply",)),
        ("on #supply and #Supply, then #demand.", ("supply", "demand")),
        ("#supply-chain #café #x_y", ("supply-chain", "café", "x_y")),
        ("C# and a#b and &#39; and #1 and ##", ()),
        ("(#one) #two, #three!", ("one", "two", "three")),
        ("no tags", ()),
    ],
)
def test_parse_tags(text, tags):
    assert parse_tags(text) == tags


def test_search_words_and_tags(store, article):
    a = store.add(LIB, article, 0, None, "Diesel prices #Fuel #economy")
    b = store.add(LIB, article, 1, None, "the fleet is idle #economy")
    assert {n.id for n in store.search(LIB, "economy")} == {a.id, b.id}
    assert [n.id for n in store.search(LIB, "DIESEL economy")] == [a.id]  # words AND
    assert [n.id for n in store.search(LIB, "#fuel")] == [a.id]
    assert [n.id for n in store.search(LIB, "fu")] == [a.id]  # part of a tag
    assert store.search(LIB, "diesel fleet") == []
    assert store.search(LIB, "  ") == []
    store.delete(a.id)
    assert store.search(LIB, "diesel") == []


# -- the file ---------------------------------------------------------------------------------


def test_wal_user_version_foreign_keys(store, path, article):
    store.add(LIB, article, 0, None, "x")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(notes_mod.MIGRATIONS) == 2
    finally:
        conn.close()
    assert store.version == CURRENT
    assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_file_and_folder_modes(store, path, article):
    store.add(LIB, article, 0, None, "private")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if extra.exists():
            assert stat.S_IMODE(extra.stat().st_mode) & 0o077 == 0


def test_default_path_is_in_the_data_folder(tmp_path, article):
    with NoteStore() as store:
        assert store.path == default_path() == tmp_path / "data" / "glossator" / "notes.sqlite3"
        store.add(LIB, article, 0, None, "x")
    assert stat.S_IMODE(default_path().stat().st_mode) == 0o600
    assert stat.S_IMODE(default_path().parent.stat().st_mode) == 0o700


def test_notes_survive_reopening(path, article):
    with NoteStore(path) as store:
        note = store.add(LIB, article, 2, 3, "persisted #yes")
    with NoteStore(path) as store:
        assert store.get(note.id) == note


def test_corrupt_file_is_reported_and_left_alone(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(NoteStoreError) as err:
        NoteStore(path)
    assert str(path) in str(err.value)
    assert path.read_bytes() == before


def test_newer_file_is_refused_and_left_alone(path, article):
    with NoteStore(path) as store:
        store.add(LIB, article, 0, None, "x")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(NoteStoreError, match="newer"):
        NoteStore(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 1
    conn.close()


def test_migration_from_v0_takes_a_backup(path):
    """A fake "version 0" file (an old layout, user_version 0) is copied, then migrated."""
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE old_notes (body TEXT)")
    conn.execute("INSERT INTO old_notes VALUES ('from long ago')")
    conn.commit()
    conn.close()
    with NoteStore(path) as store:
        assert store.version == CURRENT
        assert store.backup_path is not None and store.backup_path.parent == path.parent
        assert store.backup_path.name.startswith("notes.sqlite3.v0-")
        backup = store.backup_path
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 0
    assert old.execute("SELECT body FROM old_notes").fetchall() == [("from long ago",)]
    assert old.execute("SELECT count(*) FROM sqlite_master WHERE name = 'notes'").fetchone()[0] == 0
    old.close()
    with NoteStore(path) as store:  # up to date now: no second backup
        assert store.backup_path is None


def test_new_file_needs_no_backup(path):
    with NoteStore(path) as store:
        assert store.backup_path is None
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".bak")] == []


def test_migration_to_a_later_version(path, article, monkeypatch):
    with NoteStore(path) as store:
        note = store.add(LIB, article, 0, None, "before the upgrade")

    def v2(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE notes ADD COLUMN colour TEXT")

    monkeypatch.setattr(notes_mod, "MIGRATIONS", [*notes_mod.MIGRATIONS, v2])
    with NoteStore(path) as store:
        assert store.version == CURRENT + 1
        assert store.get(note.id).text == "before the upgrade"
        backup = store.backup_path
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == CURRENT
    assert old.execute("SELECT text FROM notes").fetchall() == [("before the upgrade",)]
    old.close()


def test_failed_migration_changes_nothing(path, article, monkeypatch):
    with NoteStore(path) as store:
        store.add(LIB, article, 0, None, "safe")

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE notes ADD COLUMN colour TEXT")
        conn.execute("THIS IS NOT SQL")

    monkeypatch.setattr(notes_mod, "MIGRATIONS", [*notes_mod.MIGRATIONS, broken])
    with pytest.raises(NoteStoreError):
        NoteStore(path)
    monkeypatch.undo()
    with NoteStore(path) as store:
        assert store.version == CURRENT
        assert [n.text for n in store.list(LIB)] == ["safe"]
        columns = [r[1] for r in store._conn.execute("PRAGMA table_info(notes)")]
        assert "colour" not in columns


# -- re-anchoring -----------------------------------------------------------------------------


def test_reanchor_unchanged_article_does_nothing(store, article):
    store.add(LIB, article, 3, None, "x")
    assert store.reanchor(LIB, article) == []


def test_reanchor_after_text_inserted_before(store, article):
    note = store.add(LIB, article, 3, None, "x")
    edited = make_article([["A new first paragraph."], *PARAS])
    (moved,) = store.reanchor(LIB, edited)
    assert moved.id == note.id and moved.status == "moved"
    assert moved.sentence_id == 4 and moved.exact == note.exact
    assert moved.article_hash == text_hash(edited.text)
    assert edited.text[moved.start : moved.end] == note.exact
    assert store.reanchor(LIB, edited) == []  # hash now current


def test_reanchor_slight_edit_moves_and_quote_follows(store, article):
    note = store.add(LIB, article, 3, None, "x")
    paras = [list(p) for p in PARAS]
    paras[1][1] = "Most skippers could no longer afford to go to sea."
    (moved,) = store.reanchor(LIB, make_article(paras))
    assert moved.status == "moved" and moved.sentence_id == 3
    assert moved.exact == "Most skippers could no longer afford to go to sea." != note.exact


def test_moved_stays_moved_until_reattached(store, article):
    note = store.add(LIB, article, 3, None, "x")
    edited = make_article([["A new first paragraph."], *PARAS])
    store.reanchor(LIB, edited)
    paras = [["A new first paragraph."], *PARAS, ["An epilogue."]]  # change after it
    (again,) = store.reanchor(LIB, make_article(paras))
    assert again.status == "moved" and again.sentence_id == 4
    final = make_article(paras)
    reattached = store.reattach(note.id, final, 4)
    assert reattached.status == "anchored" and reattached.exact == note.exact


def test_reanchor_sentence_deleted_orphans(store, article):
    note = store.add(LIB, article, 3, None, "x")
    paras = [list(p) for p in PARAS]
    del paras[1][1]
    (orphan,) = store.reanchor(LIB, make_article(paras))
    assert orphan.status == "orphaned"
    assert orphan.sentence_id is None and orphan.last_sentence_id is None
    assert orphan.exact == note.exact and orphan.text == "x"
    assert store.get(note.id).status == "orphaned"
    assert [n.id for n in store.list(LIB)] == [note.id]  # never deleted


def test_reanchor_vanished_article_orphans_all_and_keeps_them(store, article):
    a = store.add(LIB, article, 0, None, "one")
    b = store.add(LIB, article, 2, 4, "two")
    store.delete(b.id)
    changed = store.reanchor(LIB, None, "a")
    assert {n.id for n in changed} == {a.id, b.id}
    assert all(n.status == "orphaned" and n.article_hash == "" for n in changed)
    assert store.get(a.id).exact == a.exact
    assert store.reanchor(LIB, None, "a") == []
    # the article comes back: its notes are found again
    back = {n.id: n for n in store.reanchor(LIB, article)}
    assert back[a.id].status == "anchored" and back[a.id].sentence_id == 0
    assert back[b.id].status == "anchored" and store.restore(b.id).sentence_id == 2
    with pytest.raises(ValueError):
        store.reanchor(LIB, None)


def test_reanchor_only_touches_its_library_and_article(store, article):
    mine = store.add(LIB, article, 3, None, "mine")
    theirs = store.add(OTHER, article, 3, None, "theirs")
    other_article = store.add(LIB, make_article(PARAS, "b"), 3, None, "other article")
    store.reanchor(LIB, make_article([["New."], *PARAS]))
    assert store.get(mine.id).status == "moved"
    assert store.get(theirs.id) == theirs
    assert store.get(other_article.id) == other_article


def test_reanchor_library_with_lookup(store, article):
    a = store.add(LIB, article, 3, None, "a")
    b = store.add(LIB, make_article(PARAS, "b"), 0, None, "b")
    current = {"a": make_article([["New."], *PARAS])}
    changed = store.reanchor_library(LIB, current.get)
    assert {n.id for n in changed} == {a.id, b.id}
    assert store.get(a.id).status == "moved" and store.get(b.id).status == "orphaned"
    assert store.reanchor_library(LIB, current.get) == []


def test_reattach_orphan(store, article):
    note = store.add(LIB, article, 3, None, "x")
    store.reanchor(LIB, None, "a")
    other = make_article(PARAS, "b")
    again = store.reattach(note.id, other, 5, 6)
    assert again.status == "anchored" and again.article_id == "b"
    assert (again.sentence_id, again.last_sentence_id) == (5, 6)
    assert again.article_hash == text_hash(other.text)
    with pytest.raises(NoteError):
        store.reattach(note.id, other, 50)
    with pytest.raises(NoteNotFound):
        store.reattach("nope", other, 1)


# -- several writers ------------------------------------------------------------------------

_WRITER = """
import sys, time
from pathlib import Path
from glossator.index.model import Article, Block, Sentence
from glossator.index.notes import NoteStore
path, who, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
text = "One sentence here. Another one there."
article = Article("a", "a.txt", "T", False, None, text, [Block("paragraph", 0, len(text), (
    Sentence(0, 0, 18, text[:18]), Sentence(1, 19, len(text), text[19:])))])
while not go.exists():
    time.sleep(0.005)
for i in range(count):
    with NoteStore(path) as store:  # open, add, close: the opening is contended too
        store.add("lib", article, i % 2, None, f"{who} note {i}")
"""


def test_two_processes_adding_at_once(tmp_path):
    path = tmp_path / "shared" / "notes.sqlite3"
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), who, "25", str(go)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("left", "right")
    ]
    time.sleep(0.3)
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    with NoteStore(path) as store:
        texts = sorted(n.text for n in store.list("lib"))
    expected = sorted(f"{who} note {i}" for who in ("left", "right") for i in range(25))
    assert texts == expected


def test_threads_sharing_one_store(store, article):
    def work(k: int) -> None:
        for i in range(10):
            store.add(LIB, article, i % 7, None, f"thread {k} note {i}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.list(LIB)) == 40


_KILLED = """
import sys, time
from pathlib import Path
from glossator.index.model import Article, Block, Sentence
from glossator.index.notes import NoteStore
text = "Only one sentence."
article = Article("a", "a.txt", "T", False, None, text,
                  [Block("paragraph", 0, len(text), (Sentence(0, 0, len(text), text),))])
store = NoteStore(Path(sys.argv[1]))
note = store.add("lib", article, 0, None, "saved just before the crash #kept")
print(note.id, flush=True)
time.sleep(60)
"""


def test_note_survives_sigkill_right_after_saving(tmp_path):
    path = tmp_path / "crash" / "notes.sqlite3"
    with process(_KILLED, path) as proc:
        note_id = proc.stdout.readline().strip()
        kill(proc)
    assert proc.returncode == -signal.SIGKILL
    assert note_id
    with NoteStore(path) as store:
        note = store.get(note_id)
    assert note.text == "saved just before the crash #kept" and note.tags == ("kept",)
