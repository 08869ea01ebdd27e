"""Hardening, issue 16 (items 17, 18 and 21): processes meeting over one index.

- A process started while another builds the index waits for it (the command line says so once)
  and then opens the index the other built, without indexing again; the API lets the app stop
  waiting (``IndexBusy``) and try again.
- During another process's ``index --rebuild``, searches go on against the old index, healthy,
  without waiting; an empty library answers "no hits".
- The index deleted under a running process is noticed at the next use (``needs_update``,
  ``IndexLost``), rebuilt by the next update, which says why; replaced by another process's new
  index, it is reopened, not rebuilt again.

The process holding the index (``HOLD``) stops in the middle of its build until the test lets it
go on, so each meeting happens at a known point, without sleeping.
"""

from __future__ import annotations

import select
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from articles import small_library
from glossator.index.library import IndexBusy, IndexLost, Library
from glossator.tui.cli import main
from processes import ROOT, process

# Build (or rebuild) the library's index, stopping after the first article until ``go`` exists.
HOLD = r"""
import sys, time
from pathlib import Path
from glossator.index.library import Library
folder, go, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
def progress(done, total, name):
    if done == 1:
        print("holding", flush=True)
        while not go.exists():
            time.sleep(0.02)
report = Library(folder).update(progress=progress, rebuild=mode == "rebuild")
print("done", len(report.added), flush=True)
"""


def _line(stream, timeout: float = 60) -> str:
    """The next line of a child's output, or "" if none comes in ``timeout`` seconds."""
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else ""


@pytest.fixture
def lib(tmp_path) -> Path:
    return small_library(tmp_path / "lib")


def _glossator(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "glossator", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_command_started_during_a_build_waits_for_it_then_answers(lib, tmp_path):
    go = tmp_path / "go"
    with process(HOLD, lib, go, "build") as builder:
        assert builder.stdout.readline() == "holding\n"
        searching = _glossator("search", "river", "--library", str(lib))
        said = _line(searching.stderr)
        assert said == (
            "glossator: another Glossator process is updating this library's index; "
            "waiting for it to finish…\n"
        )
        go.touch()
        out, err = searching.communicate(timeout=60)
        assert searching.returncode == 0, err
        assert "Article Number 1 Here" in out and err == ""
        assert builder.stdout.readline() == "done 3\n"


def test_the_app_can_stop_waiting_and_try_again(lib, tmp_path):
    go = tmp_path / "go"
    with process(HOLD, lib, go, "build") as builder:
        assert builder.stdout.readline() == "holding\n"
        library = Library(lib)
        with pytest.raises(IndexBusy, match="another Glossator process is updating"):
            library.update(wait=lambda seconds: False)  # the person quit, say

        asked: list[float] = []
        result: list = []

        def wait(seconds: float) -> bool:
            asked.append(seconds)
            if len(asked) == 3:
                go.touch()  # the other process finishes while this one waits
            return True

        worker = threading.Thread(target=lambda: result.append(library.update(wait=wait)))
        worker.start()
        worker.join(timeout=60)
        assert builder.stdout.readline() == "done 3\n"
    report = result[0]
    assert len(asked) >= 3
    assert report.added == [] and report.unchanged == 3 and report.articles == 3  # not again
    assert library.search("river").articles[0][0] == "a1"


def test_searches_during_another_process_rebuild_are_healthy_and_do_not_wait(lib, tmp_path):
    library = Library(lib)
    library.update()
    go = tmp_path / "go"
    with process(HOLD, lib, go, "rebuild") as builder:
        assert builder.stdout.readline() == "holding\n"
        for query in ("river", "riv*", "rivr~", '"river story"', "river OR bridge", "title:number"):
            result = library.search(query)
            assert result.error is None and result.total, query
        fresh = Library(lib)
        report = fresh.update(wait=lambda seconds: False)  # nothing to do: no waiting
        assert report.unchanged == 3 and fresh.search("bridge").total
        searching = _glossator("search", "bridge", "--library", str(lib))
        out, err = searching.communicate(timeout=60)
        assert searching.returncode == 0 and "Article Number 2 Here" in out and err == ""
        go.touch()
        assert builder.stdout.readline() == "done 3\n"
    after = library.search("river")  # the old segments are gone: a fresh searcher
    assert after.error is None and after.articles[0][0] == "a1"


def test_an_empty_library_answers_no_hits(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    for query in ("foo", "foo*", "fo~", '"foo bar"', "foo NOT bar", "title:foo", "foo OR bar"):
        assert main(["search", query, "--library", str(empty)]) == 1, query
        out, err = capsys.readouterr()
        assert out.startswith("No passages match") and err == "", (query, err)
    library = Library(empty)
    library.update()
    assert library.search("foo", limit=20, count=False).error is None


def test_the_index_deleted_under_a_process_is_noticed_rebuilt_and_said(lib):
    library = Library(lib)
    library.update()
    assert library.search("river").total and library.needs_update() is None
    shutil.rmtree(library.index_dir)
    assert library.needs_update() == "the index was deleted while Glossator was using it"
    with pytest.raises(IndexLost, match="deleted while Glossator was using it"):
        library.search("river")
    with pytest.raises(IndexLost):
        library.article("a1")
    report = library.update()
    assert report.rebuilt_because == "the index was deleted while Glossator was using it"
    assert sorted(report.added) == ["a0", "a1", "a2"] and report.did_work
    assert library.needs_update() is None
    assert library.search("river").total and library.article("a1") is not None


def test_an_index_replaced_by_another_process_is_reopened_not_rebuilt(lib):
    library = Library(lib)
    library.update()
    shutil.rmtree(library.index_dir)
    other = subprocess.run(
        [sys.executable, "-m", "glossator", "index", "--library", str(lib)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.returncode == 0, other.stderr
    assert library.needs_update() == "the index was replaced while Glossator was using it"
    report = library.update()
    assert report.rebuilt_because is None and not report.did_work and report.unchanged == 3
    assert library.search("river").total and library.needs_update() is None
