"""Hardening, issue 7: the library under broken state (back end only; the app is tested apart).

* a file that disappears or changes while the index is being updated: no crash, the rest is
  indexed, and the next update catches up;
* an index left locked by a process killed while writing: the next update works at once;
* an index directory deleted, emptied or filled with garbage: detected, rebuilt, searchable.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from processes import kill, process

from glossator.index.library import Library


def article(title: str, word: str) -> str:
    return f"{title}\n\nThe {word} was quiet that morning. Boats lay idle at the quay for days.\n"


@pytest.fixture
def folder(tmp_path) -> Path:
    lib = tmp_path / "library"
    lib.mkdir()
    for i, word in enumerate(("harbour", "river", "bridge", "market")):
        (lib / f"a{i}.txt").write_text(article(f"Article Number {i} Here", word), "utf-8")
    return lib


def test_files_vanishing_and_changing_during_an_update(folder):
    library = Library(folder)
    calls = []

    def progress(done: int, total: int, name: str) -> None:
        calls.append(name)
        if name == "a1.txt":
            (folder / "a2.txt").unlink()  # gone before it is read
            (folder / "a3.txt").write_text(article("Article Three Rewritten", "ferry"), "utf-8")

    report = library.update(progress=progress)
    ids = {a.id for a in library.articles()}
    assert {"a0", "a1"} <= ids and "a2" not in ids
    assert any("a2.txt" in path for path, _ in report.skipped)
    again = library.update()  # the next update catches up with what changed meanwhile
    assert {a.id for a in library.articles()} == {"a0", "a1", "a3"}
    assert library.search("ferry").total == 1
    assert not again.skipped


_HOLDER = """
import sys, time
from pathlib import Path
from glossator.index.library import Library
library = Library(Path(sys.argv[1]), cache=Path(sys.argv[2]))
library.update()
writer = library.engine.ix.writer()
print("locked", flush=True)
time.sleep(60)
"""


def test_an_index_left_locked_by_a_killed_process_is_usable_at_once(folder, tmp_path):
    cache = tmp_path / "cache"
    with process(_HOLDER, folder, cache) as proc:
        assert proc.stdout.readline().strip() == "locked"
        kill(proc)
    (folder / "a0.txt").write_text(article("Article Zero Rewritten", "lighthouse"), "utf-8")
    library = Library(folder, cache=cache)
    start = time.perf_counter()
    report = library.update()
    assert time.perf_counter() - start < 5  # no waiting out a stale lock
    assert report.changed == ["a0"]
    assert library.search("lighthouse").total == 1


@pytest.mark.parametrize("damage", ["deleted", "emptied", "garbage", "truncated"])
def test_a_damaged_index_is_detected_and_rebuilt(folder, damage):
    library = Library(folder)
    library.update()
    library.close()
    index_dir = library.index_dir
    files = [p for p in index_dir.iterdir() if p.is_file()]
    if damage == "deleted":
        for p in files:
            p.unlink()
        index_dir.rmdir()
    elif damage == "emptied":
        for p in files:
            p.write_bytes(b"")
    elif damage == "garbage":
        for p in files:
            p.write_bytes(os.urandom(64) * 10)
    else:
        for p in files:
            with p.open("r+b") as fh:
                fh.truncate(max(0, p.stat().st_size // 2))
    again = Library(folder)
    report = again.update()
    assert {a.id for a in again.articles()} == {"a0", "a1", "a2", "a3"}
    assert again.search("harbour").total == 1
    if damage != "deleted":
        assert report.rebuilt_because
