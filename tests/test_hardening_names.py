"""Hardening, issue 16 (items 8 and 14): names that are not UTF-8, folders nested very deep.

A file or folder whose name is not valid UTF-8 (made here with bytes paths, as another system or
an old archive leaves them) is one line naming it, shown with ``\\xNN`` escapes; the rest of the
library is indexed, listed and searched, and no failed try leaves index segments behind. Folders
nested a thousand deep are walked without recursion, to ``MAX_DEPTH``, with one line for what is
not read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from articles import article_file

from glossator.index.engine import Engine
from glossator.index.library import MAX_DEPTH, Library, scan
from glossator.tui.cli import main


def _write(path: bytes, text: str) -> None:
    with open(path, "wb") as fh:
        fh.write(text.encode("utf-8"))


@pytest.fixture
def odd_names(tmp_path: Path) -> Path:
    """good.txt, caf\\xe9.txt, a folder dir\\xff/ with an article in it, and a sound folder."""
    lib = tmp_path / "lib"
    lib.mkdir()
    root = os.fsencode(lib)
    _write(os.path.join(root, b"good.txt"), article_file("The Harbour Story Here", "harbour"))
    _write(os.path.join(root, b"caf\xe9.txt"), article_file("The Cafe Story Here", "cafe"))
    os.mkdir(os.path.join(root, b"dir\xff"))
    _write(os.path.join(root, b"dir\xff", b"inner.txt"), article_file("Inner Story", "inner"))
    os.mkdir(os.path.join(root, b"sound"))
    _write(os.path.join(root, b"sound", b"river.txt"), article_file("The River Story", "river"))
    return lib


def _segment_files(index_dir: Path) -> set[str]:
    return {p.name for p in index_dir.iterdir() if p.name.startswith("articles_")}


def test_odd_names_are_named_once_each_and_the_rest_is_indexed(odd_names, capsys):
    assert main(["index", "--library", str(odd_names)]) == 0
    out, err = capsys.readouterr()
    assert "2 added" in out and "2 skipped" in out
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0] == (
        f"glossator: skipped {odd_names}/caf\\xe9.txt: the file's name is not valid UTF-8; "
        "rename it to have it read"
    )
    assert lines[1].startswith(f"glossator: skipped {odd_names}/dir\\xff/: the folder's name")

    assert main(["list", "--json", "--library", str(odd_names)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [a["id"] for a in listed] == ["good", "sound/river"]
    assert main(["search", "river", "--library", str(odd_names)]) == 0
    assert "The River Story" in capsys.readouterr().out


def test_no_try_leaves_segments_behind(odd_names, capsys):
    library = Library(odd_names)
    library.update()
    before = _segment_files(library.index_dir)
    library.close()
    for _ in range(3):
        assert main(["search", "harbour", "--library", str(odd_names)]) == 0
        assert main(["index", "--library", str(odd_names)]) == 0
    capsys.readouterr()
    assert _segment_files(library.index_dir) == before


def test_a_failed_write_removes_the_segment_it_had_begun(tmp_path):
    from articles import PARAS, make_article

    engine = Engine(tmp_path / "ix")
    engine.write([make_article(PARAS, "a")])
    before = _segment_files(engine.directory)

    def failing():
        yield make_article(PARAS, "b")
        raise RuntimeError("the disk went away")

    with pytest.raises(RuntimeError):
        engine.write(failing())
    assert _segment_files(engine.directory) == before
    assert engine.doc_count() == 1


def test_a_failed_multi_process_write_leaves_no_process_behind(tmp_path):
    """A write of many articles runs Whoosh's writer in several processes; when it fails (or is
    cancelled: the app quitting during a build) those processes end too, and so can this one."""
    import multiprocessing

    from articles import PARAS, make_article

    from glossator.index.engine import PARALLEL_FROM

    engine = Engine(tmp_path / "ix")
    engine.write([make_article(PARAS, "a")])

    def failing():
        for i in range(250):
            yield make_article(PARAS, f"b{i}")
        raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError):
        engine.write(failing(), expected=PARALLEL_FROM)
    assert multiprocessing.active_children() == []
    assert engine.doc_count() == 1


def test_a_library_folder_not_named_in_utf8_opens_searches_and_shows(tmp_path, capsys):
    folder = os.path.join(os.fsencode(tmp_path), b"lib\xe9")
    os.mkdir(folder)
    _write(os.path.join(folder, b"good.txt"), article_file("The Harbour Story Here", "harbour"))
    lib = os.fsdecode(folder)
    assert main(["index", "--library", lib]) == 0
    assert capsys.readouterr().out.startswith("lib\\xe9: 1 articles")
    assert main(["search", "harbour", "--json", "--library", lib]) == 0
    assert json.loads(capsys.readouterr().out)["total"] > 0
    assert main(["show", "good", "--json", "--library", lib]) == 0
    assert json.loads(capsys.readouterr().out)["path"].endswith("lib\\xe9/good.txt")


def test_notes_in_a_library_folder_not_named_in_utf8_are_kept_and_follow_it(tmp_path, capsys):
    """The notes store remembers the folder (its bytes), so notes are added, listed, and
    follow the folder when it is renamed; no surrogate reaches SQLite or the terminal."""
    folder = os.path.join(os.fsencode(tmp_path), b"lib\xe9\xff")
    os.mkdir(folder)
    _write(os.path.join(folder, b"good.txt"), article_file("The Harbour Story Here", "harbour"))
    lib = os.fsdecode(folder)
    argv = ["notes", "add", "--library", lib, "--article", "good", "--sentence", "1"]
    assert main([*argv, "--text", "kept"]) == 0
    assert main([*argv, "--text", "kept too"]) == 0  # the folder found as it was stored
    capsys.readouterr()
    assert main(["notes", "list", "--library", lib]) == 0
    assert capsys.readouterr().out.count("kept") == 2
    moved = os.path.join(os.fsencode(tmp_path), b"moved\xfe")
    os.rename(folder, moved)
    assert main(["notes", "list", "--library", os.fsdecode(moved)]) == 0
    out, err = capsys.readouterr()
    assert out.count("kept") == 2
    assert "lib\\xe9\\xff is gone" in err and "moved\\xfe holds its articles" in err


@pytest.fixture
def deep_library(tmp_path: Path):
    """An article at depth 3 and another 1,000 folders down; removed leaf first afterwards
    (a recursive removal of this tree is what the test is about)."""
    lib = tmp_path / "deep"
    lib.mkdir()
    (lib / "a" / "b").mkdir(parents=True)
    (lib / "a" / "b" / "near.txt").write_text(article_file("Near The Top", "harbour"), "utf-8")
    names = ["d"] * 1000
    deepest = lib
    for name in names:  # os.makedirs would recurse itself
        deepest = deepest / name
        deepest.mkdir()
    (deepest / "far.txt").write_text(article_file("Far Below", "river"), "utf-8")
    yield lib
    (deepest / "far.txt").unlink()
    for depth in range(len(names), 0, -1):
        os.rmdir(lib.joinpath(*names[:depth]))


def test_folders_nested_a_thousand_deep_are_walked_without_recursion(deep_library, capsys):
    skipped: list[tuple[str, str]] = []
    found = scan(deep_library, skipped)
    assert [f.id for f in found] == ["a/b/near"]
    assert len(skipped) == 1
    path, why = skipped[0]
    assert path.count("d/") == MAX_DEPTH + 1 and f"more than {MAX_DEPTH} deep" in why

    assert main(["index", "--library", str(deep_library)]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert f"folders nested more than {MAX_DEPTH} deep are not read" in err


def test_a_folder_that_cannot_be_read_is_named(tmp_path):
    lib = tmp_path / "lib"
    (lib / "locked").mkdir(parents=True)
    (lib / "ok.txt").write_text(article_file("An Open Story", "harbour"), "utf-8")
    (lib / "locked" / "x.txt").write_text(article_file("A Locked Story", "river"), "utf-8")
    os.chmod(lib / "locked", 0)
    try:
        if os.access(lib / "locked", os.R_OK):
            pytest.skip("running as a user who reads every folder")
        skipped: list[tuple[str, str]] = []
        assert [f.id for f in scan(lib, skipped)] == ["ok"]
        assert skipped == [(f"{lib}/locked/", "the folder cannot be read: Permission denied")]
    finally:
        os.chmod(lib / "locked", 0o700)
