"""Hardening, issue 16 (items 12, 15 and 24): a cache folder that cannot be used, a 2 GB file,
and what an update reports at its end.

- The index folder replaced by a file, or a cache folder that cannot be written: the index is
  kept in a temporary folder instead, said once per run; list, search and index work.
- A 2 GB sparse file is never read: too large, said in one line. A file of zero bytes under
  the size limit is judged from its first 64 KB, neither hashed nor read whole; both are
  remembered by size and time and not looked into again until they change.
- After a first build with a skipped file, the report is the final state (articles in the index,
  the skip said), progress ends with (total, total), and the next look at the folder has nothing
  to do: no progress, nothing read.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from articles import article_file, small_library
from processes import measured
from glossator.index import library as library_module
from glossator.index.library import MAX_FILE_BYTES, SNIFF_BYTES, Library, scan
from glossator.tui.cli import main

@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The system's temporary folder, as Glossator sees it, inside this test's tmp_path."""
    tmp = tmp_path / "system-tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("TMPDIR", str(tmp))
    return tmp


def _cache() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "glossator"


def _commands_work(lib: Path, capsys) -> list[str]:
    """list, search and index on ``lib``; what each said on stderr."""
    said = []
    assert main(["list", "--json", "--library", str(lib)]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == 3
    said.append(err)
    assert main(["search", "river", "--library", str(lib)]) == 0
    out, err = capsys.readouterr()
    assert "Article Number 1 Here" in out
    said.append(err)
    assert main(["index", "--library", str(lib)]) == 0
    out, err = capsys.readouterr()
    assert "3 articles in the index" in out
    said.append(err)
    return said


def test_an_index_folder_replaced_by_a_file_falls_back_to_a_temporary_index(
    tmp_path, private_tmp, capsys
):
    lib = small_library(tmp_path / "lib")
    index_dir = Library(lib).index_dir
    index_dir.parent.mkdir(parents=True)
    index_dir.write_text("not a folder")
    said = _commands_work(lib, capsys)
    for err in said:  # once per run, naming both places
        assert err.count("\n") == 1, err
        assert f"the index folder {index_dir} cannot be used (a file is where the folder" in err
        assert f"using a temporary index in {private_tmp}" in err
    assert index_dir.read_text() == "not a folder"  # left as it was
    temporary = private_tmp / f"glossator-{os.getuid()}"
    assert temporary.stat().st_mode & 0o777 == 0o700


def test_a_cache_folder_that_cannot_be_written_falls_back(tmp_path, private_tmp, capsys):
    lib = small_library(tmp_path / "lib")
    cache = _cache()
    cache.mkdir(parents=True)
    os.chmod(cache, 0o555)  # empty and read-only
    try:
        if os.access(cache, os.W_OK):
            pytest.skip("running as a user who writes every folder (the /sys case covers it)")
        said = _commands_work(lib, capsys)
        assert all("cannot be used" in err and err.count("\n") == 1 for err in said)
    finally:
        os.chmod(cache, 0o755)


def test_a_cache_folder_where_nothing_can_be_made_falls_back(tmp_path, private_tmp, monkeypatch, capsys):
    """/sys refuses every new folder, to root too: the read-only case when tests run as root."""
    target = Path("/sys/kernel")
    if not target.is_dir():
        pytest.skip("no /sys here")
    try:
        (target / "glossator").mkdir()
    except OSError:
        pass
    else:
        (target / "glossator").rmdir()
        pytest.skip("/sys accepts new folders here")
    monkeypatch.setenv("XDG_CACHE_HOME", str(target))
    lib = small_library(tmp_path / "lib")
    said = _commands_work(lib, capsys)
    assert all("cannot be used" in err and err.count("\n") == 1 for err in said)


def test_the_app_hears_of_the_fallback_once(tmp_path, private_tmp):
    lib = small_library(tmp_path / "lib")
    library = Library(lib)
    library.index_dir.parent.mkdir(parents=True)
    library.index_dir.write_text("")
    first = library.update()
    assert first.fallback and first.fallback == library.fallback
    assert library.search("river").articles[0][0] == "a1"
    again = library.update()
    assert again.fallback is None and library.fallback == first.fallback


def test_a_temporary_folder_of_another_user_is_never_used(private_tmp, monkeypatch):
    from glossator.index import paths

    planted = private_tmp / f"glossator-{os.getuid()}"
    planted.mkdir(mode=0o777)
    os.chmod(planted, 0o777)  # anybody could have put an index in it
    chosen = paths.temporary_cache_dir()
    assert chosen != planted and chosen.parent == private_tmp
    assert chosen.stat().st_mode & 0o777 == 0o700


# -- a 2 GB file, a file of zero bytes ------------------------------------------------------------


def _sparse(path: Path, size: int) -> None:
    with open(path, "wb") as fh:
        fh.truncate(size)  # no block written: the file reads as zero bytes


@pytest.fixture
def big_files(tmp_path) -> Path:
    lib = small_library(tmp_path / "lib")
    _sparse(lib / "huge.txt", 2 * 1024**3)
    _sparse(lib / "zeros.txt", 8 * 1024 * 1024)
    return lib


def test_a_2gb_file_and_a_file_of_zeros_are_never_read_whole(big_files, monkeypatch):
    read: list[str] = []
    real_sha, real_load = library_module._sha256, library_module.formats.load_article
    monkeypatch.setattr(library_module, "_sha256", lambda p: read.append(p) or real_sha(p))
    monkeypatch.setattr(
        library_module.formats,
        "load_article",
        lambda p, i=None: read.append(str(p)) or real_load(p, i),
    )
    judged: list[str] = []
    real_judge = library_module._not_an_article
    monkeypatch.setattr(
        library_module, "_not_an_article", lambda f: judged.append(f.id) or real_judge(f)
    )

    library = Library(big_files)
    report = library.update()
    assert sorted(report.added) == ["a0", "a1", "a2"]
    why = dict(report.skipped)
    assert why[str(big_files / "huge.txt")] == (
        "too large to be read as an article (2,048 MB; at most "
        f"{MAX_FILE_BYTES // 1024**2} MB)"
    )
    assert why[str(big_files / "zeros.txt")] == "not a text file (it contains NUL bytes)"
    assert not [p for p in read if "huge" in p or "zeros" in p]
    assert sorted(judged) == ["a0", "a1", "a2", "huge", "zeros"]

    judged.clear()
    for again in (library, Library(big_files)):  # this process, and the next one
        report = again.update()
        assert not report.did_work and report.unchanged == 3
        assert dict(report.skipped) == why  # still said, each time
        assert judged == []  # and not looked into again

    zeros = big_files / "zeros.txt"
    zeros.write_bytes(b"Now A Title\n\n" + b"Some words of text here. " * 4000)  # judged afresh
    report = Library(big_files).update()
    assert judged == ["zeros"] and report.added == ["zeros"]


def test_a_file_judged_by_its_first_bytes_is_still_read_whole_when_they_are_text(tmp_path):
    """A long article: its first 64 KB are text, so it is read and indexed as ever."""
    lib = small_library(tmp_path / "lib")
    (lib / "long.txt").write_text(article_file("A Long Story", "harbour", sentences=4000), "utf-8")
    assert (lib / "long.txt").stat().st_size > SNIFF_BYTES
    report = Library(lib).update()
    assert "long" in report.added and not report.skipped


def test_the_command_line_lists_a_library_with_a_2gb_file_in_little_memory(big_files):
    code = "import sys\nfrom glossator.tui.cli import main\nprint(main(['list', '--library', sys.argv[1]]))"
    peak, done = measured(code, big_files)
    print(f"\npeak RSS listing a library with a 2 GB sparse file: {peak} MB")
    assert done.stdout.splitlines()[-1] == "0"
    assert peak < 400  # reading it whole took 4.2 GB
    assert done.stderr.count("glossator: skipped") == 2


# -- the end of an update ------------------------------------------------------------------------


def test_after_a_first_build_with_a_skipped_file_the_report_is_final(tmp_path):
    lib = small_library(tmp_path / "lib")
    (lib / "empty.txt").write_bytes(b"")
    calls: list[tuple[int, int, str]] = []
    library = Library(lib)
    report = library.update(progress=lambda d, t, n: calls.append((d, t, n)))
    assert calls[-1] == (4, 4, "")  # every file read, the skipped one included
    assert report.articles == 3 and len(report.skipped) == 1 and report.rebuilt_because is None

    # what the app's look at the folder does next: the same files, nothing to do
    assert frozenset((f.id, f.size, f.mtime_ns) for f in scan(lib)) == library.known_files()
    calls.clear()
    report = library.update(progress=lambda d, t, n: calls.append((d, t, n)))
    assert calls == []  # no "indexing", no "indexed 1 …" left behind
    assert report.articles == 3 and not report.did_work and len(report.skipped) == 1


async def test_the_app_says_ready_after_a_first_build_with_a_skipped_file(tmp_path, settle):
    """The app's look at the folder after opening: the skipped file is remembered, so nothing is
    read again and no "indexing" / "indexed 1 …" replaces "ready" in the status line."""
    from glossator.tui.app import make_app

    lib = small_library(tmp_path / "lib")
    (lib / "empty.txt").write_bytes(b"")
    app = make_app(lib)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.main.status.text.endswith("3 articles · ready")
        for why in ("timer", "focus", "timer"):
            app.main.check_library(why)
            await settle(pilot)
            assert app.main.status.text.endswith("3 articles · ready"), why
        await pilot.press("q")
