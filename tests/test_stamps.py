"""The start-up check's stamps (index/library.py): with nothing changed, the check looks at the
folder against a small binary file of (id, size, time) written with the manifest, and reads the
manifest only when its articles are asked for. Whatever the stamps say, the check finds what a
look at the folder against the manifest finds."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossator.index import library as library_mod
from glossator.index.library import STAMPS, Library
from glossator.index.paths import seeds_dir


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "library"
    target.mkdir()
    for f in seeds_dir().glob("*.txt"):
        shutil.copy2(f, target / f.name)
    (target / "empty.txt").write_bytes(b"")  # remembered as skipped
    return target


def built(folder: Path) -> Library:
    library = Library(folder)
    library.update()
    library.close()
    return library


def no_manifest_read(monkeypatch) -> list[str]:
    reads: list[str] = []
    real = Library._load_manifest

    def counted(self):
        reads.append("manifest")
        return real(self)

    monkeypatch.setattr(Library, "_load_manifest", counted)
    return reads


def test_an_unchanged_library_is_checked_without_reading_the_manifest(folder, monkeypatch):
    first = built(folder)
    assert (first.index_dir / STAMPS).is_file()
    reads = no_manifest_read(monkeypatch)
    again = Library(folder)
    report = again.update()
    assert reads == []
    assert not report.did_work and report.unchanged == report.articles == 5
    assert len(report.skipped) == 1 and report.skipped[0][0].endswith("empty.txt")
    assert len(again.articles()) == 5 and reads == ["manifest"]  # read when asked for
    again.close()


@pytest.mark.parametrize(
    "change", ["edit", "touch", "add", "remove", "fill the skipped file", "remove the skipped"]
)
def test_any_change_of_a_file_is_found_with_stamps(folder, change):
    built(folder)
    target = sorted(folder.glob("0*.txt"))[1]
    if change == "edit":
        size = target.stat().st_size
        target.write_text(target.read_text("utf-8").replace("Russia", "Russland", 1), "utf-8")
        os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 10**9))
        assert target.stat().st_size != size
    elif change == "touch":
        os.utime(target, ns=(0, target.stat().st_mtime_ns + 10**9))
    elif change == "add":
        (folder / "new.txt").write_text("A new article about shells and artillery.", "utf-8")
    elif change == "remove":
        target.unlink()
    elif change == "fill the skipped file":
        (folder / "empty.txt").write_text("Now it says something about artillery.", "utf-8")
    else:
        (folder / "empty.txt").unlink()
    library = Library(folder)
    report = library.update()
    expected = {
        "edit": ("changed", [target.stem]),
        "touch": ("changed", []),  # same bytes: nothing to re-index, the new time kept
        "add": ("added", ["new"]),
        "remove": ("removed", [target.stem]),
        "fill the skipped file": ("added", ["empty"]),
        "remove the skipped": ("added", []),
    }[change]
    assert getattr(report, expected[0]) == expected[1]
    if change == "touch":  # kept in the manifest, so the next check is clean again
        assert library.info(target.stem).mtime_ns == target.stat().st_mtime_ns
    if change == "remove the skipped":
        assert report.skipped == []
    library.close()
    again = Library(folder).update()  # and the stamps written with it are right
    assert not again.did_work and again.articles == len(library.articles())


def test_stamps_of_another_manifest_are_not_used(folder, monkeypatch):
    """A manifest written by something that left the stamps as they were (an older Glossator,
    a write cut short): the check reads the manifest, and finds what it says."""
    library = built(folder)
    manifest = library.index_dir / "manifest.json"
    data = json.loads(manifest.read_text("utf-8"))
    second = sorted(a["id"] for a in data["articles"])[1]
    data["articles"] = [a for a in data["articles"] if a["id"] != second]  # not indexed
    manifest.write_text(json.dumps(data), "utf-8")
    reads = no_manifest_read(monkeypatch)
    report = Library(folder).update()
    assert reads and report.added == [second]


def test_a_manifest_read_before_another_process_updated_is_read_again(folder):
    reader = Library(folder)
    reader.update()
    target = sorted(folder.glob("0*.txt"))[0]
    title = reader.info(target.stem).title
    other = Library(folder)  # another process: the same article retitled
    target.write_text("A new title\n\n" + target.read_text("utf-8"), "utf-8")
    assert other.update().changed == [target.stem]
    other.close()
    assert not reader.update().did_work  # the stamps match the folder now
    assert reader.info(target.stem).title == "A new title" != title
    reader.close()


DAMAGE = st.one_of(st.binary(max_size=300), st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=DAMAGE)
def test_damaged_stamps_are_never_trusted(folder, damage):
    library = built(folder)
    path = library.index_dir / STAMPS
    good = path.read_bytes()
    if isinstance(damage, bytes):
        blob = damage
    else:  # a few bytes of the real file changed
        at, junk = damage
        at = at % len(good)
        blob = good[:at] + junk + good[at + len(junk) :]
    path.write_bytes(blob)
    manifest_id = library_mod._identity(library.index_dir / "manifest.json")
    assert library_mod._read_stamps(path, manifest_id) is None or blob == good
    report = Library(folder).update()
    assert not report.did_work and report.articles == 5 and len(report.skipped) == 1


def test_two_files_of_one_name_and_subfolders_are_checked_as_the_full_look_checks(folder):
    """a.md beside a.txt (one keeps the bare id, the other is "a.md"), and files in subfolders:
    the check with stamps says unchanged, and sees a change in any of them."""
    (folder / "a.txt").write_text("Plain text about artillery.", "utf-8")
    (folder / "a.md").write_text("# Markdown\n\nAbout shells.", "utf-8")
    (folder / "sub" / "deeper").mkdir(parents=True)
    (folder / "sub" / "deeper" / "b.txt").write_text("Deep down, rockets.", "utf-8")
    (folder / "sub" / "notes.txt").mkdir()  # a folder named like an article
    (folder / "sub" / "notes.txt" / "c.txt").write_text("Inside a folder named notes.txt.", "utf-8")
    library = built(folder)
    ids = {a.id for a in library.articles()}
    assert {"a", "a.md", "sub/deeper/b", "sub/notes.txt/c"} <= ids
    again = Library(folder).update()
    assert not again.did_work and again.articles == len(ids)
    for name, path in [("a.md", "a.md"), ("sub/notes.txt/c", "sub/notes.txt/c.txt")]:
        (folder / path).write_text("Changed to mention zeppelins.", "utf-8")
        assert Library(folder).update().changed == [name]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_the_walk_closes_the_folders_it_opens_whether_or_not_it_ends(tmp_path):
    """Each folder is opened once for its files' stat calls; none is left open, after a whole
    walk or one left at its first file (the start-up check stops at the first change)."""
    from glossator.index import library

    for sub in ("a", "a/b", "c"):
        (tmp_path / sub).mkdir(parents=True, exist_ok=True)
        for i in range(3):
            (tmp_path / sub / f"n{i}.txt").write_text("Title\n\nText.\n")
    before = len(list(Path("/proc/self/fd").iterdir()))
    found = list(library._walk(tmp_path))
    assert sorted(f[0] for f in found) == sorted(
        f"{sub}/n{i}" for sub in ("a", "a/b", "c") for i in range(3)
    )
    walk = library._walk(tmp_path)
    next(walk)
    walk.close()
    assert len(list(Path("/proc/self/fd").iterdir())) == before
    # the sizes and times are the files' own, as a stat by path gives them
    for _id, size, mtime, path in found:
        st = os.stat(path)
        assert (size, mtime) == (st.st_size, st.st_mtime_ns)
