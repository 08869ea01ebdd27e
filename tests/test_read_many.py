"""Issue 12, scale: many files of the slower kinds are read by a pool of processes (the same
articles as read one by one), a failing file is one line, a pool that breaks leaves the rest to
be read here, and an unchanged library re-opens without reading any file again."""

from __future__ import annotations

import os
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from documents import DOC_PAGE, MARKDOWN, write

from glossator.index import formats
from glossator.index import library as library_module
from glossator.index.library import Library


def _folder(root: Path) -> Path:
    folder = root / "lib"
    folder.mkdir()
    for i in range(formats.POOL_FROM):
        write(folder, f"page{i}.html", DOC_PAGE.replace("functools", f"functools{i}"))
        write(folder, f"note{i}.md", MARKDOWN.replace("Shell supply", f"Shell supply {i}"))
    for i in range(3):
        write(folder, f"plain{i}.txt", f"Plain Title {i}\n\nA plain article about cranes.\n")
    write(folder, "empty.html", "   \n")
    return folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return _folder(tmp_path_factory.mktemp("many"))


def _jobs(folder: Path) -> list[tuple[Path, str]]:
    return [(p, p.stem) for p in sorted(folder.iterdir())]


def test_a_pool_reads_the_same_articles_as_one_by_one(folder):
    jobs = _jobs(folder)
    alone = dict(formats.read_many(jobs, pool=False))
    pooled = dict(formats.read_many(jobs, pool=True))
    assert sorted(pooled) == sorted(alone) == list(range(len(jobs)))
    for i, (path, _) in enumerate(jobs):
        one, other = alone[i], pooled[i]
        if path.name == "empty.html":
            assert isinstance(one, ValueError) and isinstance(other, ValueError)
            assert str(one) == str(other) and "empty" in str(other)
            continue
        assert isinstance(one, formats.Article) and isinstance(other, formats.Article)
        if path.suffix != ".txt":  # read elsewhere: the original is not sent back
            assert other.original == ""
            one.original = ""
        assert one == other


class _Broken:
    """An executor whose workers died: every call fails as a broken pool does."""

    def __init__(self) -> None:
        self.shut = False

    def submit(self, fn, *args):
        future: Future = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        self.shut = True


def test_a_broken_pool_leaves_the_files_to_be_read_here(folder, monkeypatch):
    broken = _Broken()
    monkeypatch.setattr(formats, "_pool", lambda workers, kinds: broken)
    jobs = _jobs(folder)
    got = dict(formats.read_many(jobs, pool=True))
    assert sorted(got) == list(range(len(jobs))) and broken.shut
    assert sum(isinstance(a, formats.Article) for a in got.values()) == len(jobs) - 1


def test_no_pool_where_processes_cannot_start(folder, monkeypatch):
    monkeypatch.setattr(formats, "_pool", lambda workers, kinds: None)
    assert len(dict(formats.read_many(_jobs(folder), pool=True))) == len(_jobs(folder))


def test_a_library_of_many_pages_is_read_by_the_pool_then_never_again(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    started = []
    real_pool = formats._pool
    monkeypatch.setattr(formats, "os", _Cores(os, 2))  # a pool even on a one-core machine
    monkeypatch.setattr(
        formats, "_pool", lambda workers, kinds: started.append(sorted(kinds)) or real_pool(
            workers, kinds)  # fmt: skip
    )
    calls: list[tuple[int, int, str]] = []
    library = Library(folder)
    report = library.update(progress=lambda d, t, n: calls.append((d, t, n)))
    assert started == [["html", "markdown"]]
    total = 2 * formats.POOL_FROM + 4
    assert calls[0] == (0, total, calls[0][2]) and calls[-1] == (total, total, "")
    assert [d for d, _, _ in calls[1:-1]] == list(range(1, total + 1))
    assert len(report.added) == total - 1 and len(report.skipped) == 1
    assert "empty.html" in report.skipped[0][0]
    assert library.search("functools3").total and library.search("artillery").total
    assert library.info("note5").title == "Shell supply 5 estimates"
    assert library.article("page3").url == "https://docs.example.org/3/library/functools3.html"

    # opening the unchanged library again reads no file at all
    def never(*args, **kwargs):
        raise AssertionError("a file was read again")

    monkeypatch.setattr(formats, "read_many", never)
    monkeypatch.setattr(formats, "load_article", never)
    monkeypatch.setattr(library_module, "_sha256", never)
    again = Library(folder)
    report = again.update()
    assert not report.did_work and report.unchanged == total - 1
    assert {a.id for a in again.articles()} == {a.id for a in library.articles()}
    library.close()
    again.close()


class _Cores:
    """``os`` with another number of cores."""

    def __init__(self, real, cores: int) -> None:
        self._real, self._cores = real, cores

    def cpu_count(self) -> int:
        return self._cores

    def __getattr__(self, name):
        return getattr(self._real, name)
