"""Hardening, issue 7: the notes database under broken state and many processes.

* a corrupt file (random bytes, cut short, a damaged page): refused, named, never written to;
  ``glossator notes recover`` (only when asked) moves it to ``notes.sqlite3.corrupt-<time>`` and
  starts a fresh file with every note still readable;
* an older schema: migrated after a backup copy; a migration that would lose notes is undone;
  a process killed during the migration leaves the file as it was or fully migrated;
* processes killed with SIGKILL at many points while writing: nothing committed is lost, the
  file stays sound, a transaction is all or nothing;
* several processes adding, editing and deleting at once: every change is there;
* data folder not writable, disk full: a clear message, exit 2, the note's text printed back;
* files 0600, folders 0700, whatever the umask.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import kill, process

from glossator.index import notes as notes_mod
from glossator.index.model import Article, Block, Sentence
from glossator.index.notes import NoteStore, NoteStoreCorrupt, NoteStoreError, default_path
from glossator.tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
LIB = "lib-hardening"
CURRENT = len(notes_mod.MIGRATIONS)  # the schema version this Glossator writes

TEXT = "One sentence here. Another one there."
ARTICLE = Article(
    "a",
    "a.txt",
    "T",
    False,
    None,
    TEXT,
    [
        Block(
            "paragraph",
            0,
            len(TEXT),
            (Sentence(0, 0, 18, TEXT[:18]), Sentence(1, 19, 37, TEXT[19:])),
        )
    ],
)
TOWN = """Winter Town Notes

The snow came early that year. Nobody had seen anything like it.

Schools stayed closed for a week.
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def add_note(capsys, lib: Path, sentence: int, text: str, **kw) -> tuple[int, str, str]:
    """Add a note on the sentence with id ``sentence`` (the command line is given §N, from 1)."""
    argv = ["notes", "add", "--article", "town", "--sentence", str(sentence + 1), "--text", text]
    return run(capsys, *argv, "--library", str(lib), **kw)


@pytest.fixture
def lib(tmp_path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "town.txt").write_text(TOWN, "utf-8")
    return folder


def filled(path: Path, count: int = 300) -> list[str]:
    with NoteStore(path) as store:
        return [
            store.add(LIB, ARTICLE, i % 2, None, f"note {i} " + "x" * 200).id for i in range(count)
        ]


# -- a corrupt file -----------------------------------------------------------------------------


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(11).randbytes(20_000))


def _cut_short(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size * 6 // 10)


def _damaged_page(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.seek(4096 * 20)
        fh.write(b"\xde\xad" * 2048)


def _zeroed_header(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.write(b"\x00" * 100)


DAMAGE = {
    "random bytes": (_random_bytes, 0),
    # at least this many of the 300 notes are saved: the 60% left holds the schema's (empty)
    # tables, about 22 of the file's 64 pages, and the notes on the pages that follow them
    "cut short": (_cut_short, 100),
    "a damaged page": (_damaged_page, 280),
    "a zeroed header": (_zeroed_header, 0),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_corrupt_file_is_refused_left_as_it_is_and_recovered_on_request(tmp_path, kind):
    damage, at_least = DAMAGE[kind]
    path = tmp_path / "store" / "notes.sqlite3"
    ids = filled(path)
    damage(path)
    before, names = digest(path), siblings(path)
    for _ in range(2):  # asking twice changes nothing either
        with pytest.raises(NoteStoreCorrupt) as err:
            NoteStore(path)
        assert str(path) in str(err.value) and err.value.path == path
        assert digest(path) == before and siblings(path) == names  # not even a journal
    store, aside, saved = NoteStore.recover(path)
    try:
        assert aside.parent == path.parent
        assert aside.name.startswith("notes.sqlite3.corrupt-")
        assert digest(aside) == before  # the damaged copy, exactly as it was
        assert saved >= at_least
        kept = store.list(LIB)
        assert len(kept) == saved and {n.id for n in kept} <= set(ids)
        assert all(n.text.startswith("note ") for n in kept)
        store.add(LIB, ARTICLE, 0, None, "life goes on")  # the fresh file works
    finally:
        store.close()
    with NoteStore(path) as again:
        assert len(again.list(LIB)) == saved + 1


def test_recover_leaves_a_sound_file_alone(tmp_path):
    path = tmp_path / "store" / "notes.sqlite3"
    filled(path, 3)
    names = siblings(path)
    with pytest.raises(NoteStoreError, match="not damaged"):
        NoteStore.recover(path)
    assert siblings(path) == names
    with NoteStore(path) as store:
        assert len(store.list(LIB)) == 3


def test_the_command_line_refuses_a_corrupt_file_and_recovers_only_when_asked(capsys, lib):
    status, out, err = add_note(capsys, lib, 0, "first")
    assert status == 0
    db = default_path()
    db.write_bytes(b"\x00garbage" * 1000)
    before = digest(db)
    for argv in (
        ["list"],
        ["export"],
        ["add", "--article", "town", "--sentence", "1", "--text", "x"],
    ):
        status, out, err = run(capsys, "notes", *argv, "--library", str(lib))
        assert status == 2 and out == "" and "Traceback" not in err
        assert str(db) in err and "damaged" in err and "glossator notes recover" in err
        assert err.count("\n") == 1
    assert digest(db) == before
    assert not list(db.parent.glob("*.corrupt-*"))  # nothing moved without being asked
    status, out, err = run(capsys, "notes", "recover")
    assert status == 0, err
    aside = next(db.parent.glob("notes.sqlite3.corrupt-*"))
    assert str(aside) in out and str(db) in out and "0 notes" in out
    assert digest(aside) == before
    status, out, err = add_note(capsys, lib, 1, "after recovery")
    assert status == 0, err
    status, out, _ = run(capsys, "notes", "recover")
    assert status == 0 and "nothing to recover" in out
    assert len(list(db.parent.glob("notes.sqlite3.corrupt-*"))) == 1


# -- migrations -----------------------------------------------------------------------------------


def _v2(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE notes ADD COLUMN colour TEXT NOT NULL DEFAULT 'yellow'")


def test_an_older_schema_is_migrated_after_a_backup_and_no_note_is_lost(capsys, lib, monkeypatch):
    for i in range(40):
        status, _, err = add_note(capsys, lib, i % 3, f"old note {i} #v1")
        assert status == 0, err
    db = default_path()
    old_digest = digest(db)
    monkeypatch.setattr(notes_mod, "MIGRATIONS", [*notes_mod.MIGRATIONS, _v2])
    status, out, err = run(capsys, "notes", "list", "--json", "--library", str(lib))
    assert status == 0, err
    assert sorted(n["text"] for n in json.loads(out)) == sorted(
        f"old note {i} #v1" for i in range(40)
    )
    backups = list(db.parent.glob(f"notes.sqlite3.v{CURRENT}-*.bak"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == CURRENT
    assert old.execute("SELECT count(*) FROM notes").fetchone()[0] == 40
    old.close()
    with NoteStore(db) as store:
        assert store.version == CURRENT + 1
    assert digest(db) != old_digest


def test_a_migration_that_would_lose_notes_is_undone(tmp_path):
    path = tmp_path / "store" / "notes.sqlite3"
    filled(path, 10)

    def careless(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM notes WHERE text LIKE 'note 1%'")

    with pytest.MonkeyPatch.context() as mp:  # (the fixture's undo would undo conftest's XDG)
        mp.setattr(notes_mod, "MIGRATIONS", [*notes_mod.MIGRATIONS, careless])
        with pytest.raises(NoteStoreError, match="would have lost notes"):
            NoteStore(path)
    with NoteStore(path) as store:
        assert store.version == CURRENT and len(store.list(LIB)) == 10


_SLOW_MIGRATION = """
import sys, time
from pathlib import Path
from glossator.index import notes
def v2(conn):
    conn.execute("ALTER TABLE notes ADD COLUMN colour TEXT")
    for i in range(100000):
        conn.execute("UPDATE notes SET colour = ? WHERE rowid = ?", (str(i), i % 50 + 1))
        if i == 200:
            print("migrating", flush=True)
notes.MIGRATIONS.append(v2)
notes.NoteStore(Path(sys.argv[1]))
print("done", flush=True)
"""


def test_a_process_killed_during_a_migration_leaves_the_old_file_whole(tmp_path):
    path = tmp_path / "store" / "notes.sqlite3"
    ids = filled(path, 50)
    with process(_SLOW_MIGRATION, path) as proc:
        assert proc.stdout.readline().strip() == "migrating"
        kill(proc)
    with NoteStore(path) as store:  # the killed migration never happened
        assert store.version == CURRENT
        assert sorted(n.id for n in store.list(LIB)) == sorted(ids)
        assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        columns = [r[1] for r in store._conn.execute("PRAGMA table_info(notes)")]
        assert "colour" not in columns
    assert list(path.parent.glob(f"notes.sqlite3.v{CURRENT}-*.bak"))  # the backup came first


# -- processes killed while writing ------------------------------------------------------------

_ADDER = """
import sys
from pathlib import Path
from glossator.index.model import Article, Block, Sentence
from glossator.index.notes import NoteStore
text = "One sentence here. Another one there."
article = Article("a", "a.txt", "T", False, None, text, [Block("paragraph", 0, len(text), (
    Sentence(0, 0, 18, text[:18]), Sentence(1, 19, 37, text[19:])))])
store = NoteStore(Path(sys.argv[1]))
i = 0
while True:
    note = store.add("lib", article, i % 2, None, f"note {i} " + "y" * (i % 700))
    if i % 3 == 0:
        store.update(note.id, note.text + " edited")
    print(note.id, flush=True)
    i += 1
"""

KILL_AFTER = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233]  # notes committed before SIGKILL


def test_sigkill_at_many_points_loses_nothing_committed(tmp_path, record_property):
    path = tmp_path / "store" / "notes.sqlite3"
    committed: list[str] = []  # every id a killed process printed, after its commit
    for point, after in enumerate(KILL_AFTER):
        with process(_ADDER, path) as proc:
            seen = [proc.stdout.readline().strip() for _ in range(after)]
            if point % 2:
                time.sleep(0.001 * point)  # and a little later, somewhere in a later write
            kill(proc)
            rest = proc.stdout.read()  # what it printed before dying: committed, every one
        assert proc.returncode == -signal.SIGKILL
        committed += seen + rest.split()
        with NoteStore(path) as store:
            assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            have = {n.id: n for n in store.list("lib")}
        missing = set(committed) - set(have)
        assert not missing, f"kill point {point}: {len(missing)} committed notes lost"
        # at most one note per kill was committed and not yet printed
        assert len(have) - len(committed) <= point + 1
        for note in have.values():
            assert note.text.startswith("note ")  # never half a note
    record_property("sigkill_points", len(KILL_AFTER))
    print(f"\n{len(KILL_AFTER)} kill points, {len(committed)} committed notes, none lost")


_ORPHANER = """
import sys
from pathlib import Path
from glossator.index.notes import NoteStore
store = NoteStore(Path(sys.argv[1]))
print("go", flush=True)
store.reanchor("lib", None, "a")  # one transaction: every note of the article orphaned
print("done", flush=True)
"""


def test_a_transaction_killed_halfway_is_all_or_nothing(tmp_path):
    path = tmp_path / "store" / "notes.sqlite3"
    with NoteStore(path) as store:
        with store._write() as conn:  # 3,000 notes in one go, for a long transaction
            for i in range(3000):
                store._insert(conn, _note(i))
    outcomes = set()
    for delay in (0.0, 0.01, 0.03, 0.06, 0.1):
        shutil.copy(path, path.with_name("copy.sqlite3"))
        copy = path.with_name("copy.sqlite3")
        with process(_ORPHANER, copy) as proc:
            assert proc.stdout.readline().strip() == "go"
            time.sleep(delay)
            kill(proc)
        with NoteStore(copy) as store:
            statuses = {n.status for n in store.list("lib")}
            assert len(store.list("lib")) == 3000
        assert statuses in ({"anchored"}, {"orphaned"}), statuses  # never a mixture
        outcomes.add(statuses.pop())
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    assert outcomes  # which ones depends on the machine's speed; both are correct


def _note(i: int) -> notes_mod.Note:
    return notes_mod.Note(
        id=f"00000000-0000-4000-8000-{i:012d}",
        library="lib",
        article_id="a",
        article_hash=notes_mod.text_hash(TEXT),
        exact=TEXT[:18],
        prefix="",
        suffix=" Another one there.",
        start=0,
        end=18,
        sentence_id=0,
        last_sentence_id=0,
        text=f"bulk note {i}",
        tags=(),
        status="anchored",
        created="2024-01-01T00:00:00.000Z",
        updated="2024-01-01T00:00:00.000Z",
    )


# -- many writers at once ------------------------------------------------------------------------

_WORKER = """
import sys, time
from pathlib import Path
from glossator.index.model import Article, Block, Sentence
from glossator.index.notes import NoteStore
path, who, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
text = "One sentence here. Another one there."
article = Article("a", "a.txt", "T", False, None, text, [Block("paragraph", 0, len(text), (
    Sentence(0, 0, 18, text[:18]), Sentence(1, 19, 37, text[19:])))])
while not go.exists():
    time.sleep(0.002)
for i in range(count):
    with NoteStore(path) as store:  # open, write, close: opening is contended too
        note = store.add("lib", article, i % 2, None, f"{who} {i}")
        if i % 3 == 0:
            store.update(note.id, f"{who} {i} edited")
        if i % 5 == 0:
            store.delete(note.id)
"""

WRITERS, PER_WRITER = 4, 30


def test_several_processes_writing_at_once(tmp_path, record_property):
    path = tmp_path / "shared" / "notes.sqlite3"
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(path), f"w{k}", str(PER_WRITER), str(go)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(WRITERS)
    ]
    time.sleep(0.5)
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with NoteStore(path) as store:
        everything = store.list("lib", include_deleted=True)
        shown = store.list("lib")
    expected = {
        f"w{k} {i}" + (" edited" if i % 3 == 0 else "")
        for k in range(WRITERS)
        for i in range(PER_WRITER)
    }
    assert {n.text for n in everything} == expected
    assert len(everything) == WRITERS * PER_WRITER
    assert {n.text for n in shown} == {t for t in expected if int(t.split()[1]) % 5}
    record_property("concurrent_writers", WRITERS)
    print(f"\n{WRITERS} processes x {PER_WRITER} notes (add, edit, delete): all there")


# -- a folder that cannot be written, a full disk ------------------------------------------------


def test_data_folder_not_writable_clear_message_exit_2_and_the_text_given_back(
    capsys, lib, tmp_path, monkeypatch
):
    data = tmp_path / "blocked"
    data.mkdir()
    (data / "glossator").write_text("a file where the data folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    note = "A long thought\nover two lines #keep"
    status, out, err = add_note(capsys, lib, 0, note)
    assert status == 2 and out == ""
    assert "Traceback" not in err
    first = err.splitlines()[0]
    assert first.startswith("glossator: cannot create the notes file")
    assert str(data / "glossator" / "notes.sqlite3") in first
    assert err.endswith("not saved; its text follows:\n" + note + "\n")
    # from stdin, the same
    status, out, err = add_note(capsys, lib, 0, "-", stdin=note + "\n", monkeypatch=monkeypatch)
    assert status == 2 and err.endswith(note + "\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_data_folder(capsys, lib, tmp_path, monkeypatch):
    data = tmp_path / "ro"
    (data / "glossator").mkdir(parents=True)
    os.chmod(data / "glossator", 0o500)
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    try:
        status, out, err = add_note(capsys, lib, 0, "kept")
    finally:
        os.chmod(data / "glossator", 0o700)
    assert status == 2 and "notes file" in err and err.endswith("kept\n")


def test_text_from_stdin_is_given_back_whatever_the_failure(capsys, lib, monkeypatch):
    note = "typed into stdin, not saved anywhere else"
    status, out, err = add_note(capsys, lib, 99, "-", stdin=note, monkeypatch=monkeypatch)
    assert status == 2 and out == ""
    assert "out of range" in err.splitlines()[0]
    assert err.endswith(note + "\n")


def test_disk_full_clear_message_nothing_half_written(capsys, lib, monkeypatch):
    status, _, err = add_note(capsys, lib, 0, "fits")
    assert status == 0, err
    real_init = NoteStore.__init__

    def full_disk(self, path=None):
        real_init(self, path)
        pages = self._conn.execute("PRAGMA page_count").fetchone()[0]
        self._conn.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow: SQLITE_FULL

    note = "does not fit " * 5000
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(NoteStore, "__init__", full_disk)
        status, out, err = add_note(capsys, lib, 1, note)
    assert status == 2 and out == ""
    assert "disk is full" in err.splitlines()[0] and str(default_path()) in err
    assert err.endswith(note + "\n")
    with NoteStore() as store:
        assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [n.text for n in store.list(_key(lib))] == ["fits"]


def _key(lib: Path) -> str:
    from glossator.index.paths import library_key

    return library_key(lib)


# -- permissions ---------------------------------------------------------------------------------


def test_files_0600_and_folders_0700_whatever_the_umask(capsys, lib, tmp_path, monkeypatch):
    old = os.umask(0o022)
    try:
        status, _, err = add_note(capsys, lib, 0, "private")
        assert status == 0, err
        out_file = tmp_path / "exported.md"
        status, _, err = run(capsys, "notes", "export", "-o", str(out_file), "--library", str(lib))
        assert status == 0, err
        from glossator.index.library import Library
        from glossator.index.themes import UserThemes

        UserThemes.for_library(Library(lib)).add("Snow", "snow")
    finally:
        os.umask(old)
    db = default_path()
    data = db.parent
    files = [db, *db.parent.glob("notes.sqlite3-*"), out_file, *(data / "themes").iterdir()]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (data, data / "themes"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
