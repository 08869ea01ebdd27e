"""Issue 12, scale: many files of the slower kinds are read by a pool of processes (the same
articles as read one by one), a failing file is one line, a pool that cannot start or breaks
(its workers killed) leaves the rest to be read here, a process killed or interrupted while its
pool reads leaves no process behind, and an unchanged library re-opens without reading any file
again."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from documents import DOC_PAGE, MARKDOWN, write
from processes import ROOT, alive, descendants

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

    def submit(self, path, article_id):
        future: Future = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def close(self, wait=False):
        self.shut = True


def test_a_broken_pool_leaves_the_files_to_be_read_here(folder, monkeypatch):
    broken = _Broken()
    monkeypatch.setattr(formats, "_pool", lambda workers, kinds: broken)
    jobs = _jobs(folder)
    got = dict(formats.read_many(jobs, pool=True))
    assert sorted(got) == list(range(len(jobs))) and broken.shut
    assert sum(isinstance(a, formats.Article) for a in got.values()) == len(jobs) - 1


def test_no_pool_where_processes_cannot_start(folder, monkeypatch):
    def no_processes(method):
        raise ValueError(f"cannot find context for {method!r}")

    monkeypatch.setattr(multiprocessing, "get_context", no_processes)
    assert formats._pool(2, {"html"}) is None
    got = dict(formats.read_many(_jobs(folder), pool=True))
    assert sorted(got) == list(range(len(_jobs(folder))))
    assert sum(isinstance(a, formats.Article) for a in got.values()) == len(got) - 1


def _workers() -> set[int]:
    """This process's pool workers: the children of its fork server."""
    server = {p for p in descendants(os.getpid()) if b"forkserver" in _cmdline(p)}
    return {p for s in server for p in descendants(s)}


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read()
    except OSError:
        return b""


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc (Linux)")


@needs_proc
def test_a_pool_whose_workers_are_killed_leaves_the_rest_to_be_read_here(folder, monkeypatch):
    jobs = _jobs(folder)
    here: list[str] = []
    real_read = formats._read

    def read_here(path, article_id):
        here.append(path.suffix)
        return real_read(path, article_id)

    monkeypatch.setattr(formats, "_read", read_here)
    reads = formats.read_many(jobs, pool=True)
    got = dict([next(reads)])
    workers = _workers()
    assert workers  # the pool was running
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    got.update(reads)
    assert sorted(got) == list(range(len(jobs)))
    assert {".html", ".md"} & set(here)  # what the pool could not read was read here
    monkeypatch.undo()
    alone = dict(formats.read_many(jobs, pool=False))
    for i, article in got.items():
        if isinstance(article, formats.Article):
            article.original = alone[i].original = ""  # type: ignore[union-attr]
        if isinstance(article, ValueError):
            assert str(article) == str(alone[i])
        else:
            assert article == alone[i]


# The app's way: the update in a thread, many pages read by the pool; it stops at the third file
# until killed.
HOLD = r"""
import faulthandler, os, signal, sys, threading, time
faulthandler.register(signal.SIGUSR1, all_threads=True)  # where it is, when a test asks
signal.signal(signal.SIGINT, signal.default_int_handler)  # a terminal's foreground process: ctrl+c interrupts, even when the test runs in a background job (which inherits SIGINT ignored)
from pathlib import Path
from glossator.index.library import Library
os.cpu_count = lambda: 2  # a pool even on a one-core machine
def progress(done, total, name):
    if done == 3:
        try:
            print("holding", flush=True)
            while True:
                time.sleep(0.05)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            raise
def update():
    try:
        Library(Path(sys.argv[1])).update(progress=progress)
    except KeyboardInterrupt:
        pass
if sys.argv[2] == "thread":
    threading.Thread(target=update, daemon=True).start()
    while True:
        time.sleep(1)
else:
    update()
print("left", flush=True)
"""


@contextlib.contextmanager
def _holding(
    folder: Path, tmp_path: Path, how: str, code: str = HOLD
) -> Iterator[tuple[subprocess.Popen, set[int]]]:
    """``code`` run on ``folder`` until it holds (``how``: the update in a "thread" or the
    "main" thread): the process and every process under it then. Whatever is left of them is
    killed when the block ends."""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(folder), how],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: ctrl+c is sent to it alone
    )
    started: set[int] = set()
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        line = proc.stdout.readline() if ready else ""
        if line != "holding\n":
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"the child did not start reading: {line!r} {proc.stderr.read()[-2000:]}")
        started = descendants(proc.pid)
        yield proc, started
    finally:
        for pid in started:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()


def _ended(proc: subprocess.Popen, within: float) -> tuple[str, str]:
    """``proc``'s output once it has ended; if it has not within ``within`` seconds, the test
    fails with every thread's stack of it (faulthandler, on SIGUSR1) and what it printed."""
    try:
        return proc.communicate(timeout=within)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGUSR1)
        time.sleep(1.0)
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"still running after {within} s; printed {out!r}; its threads:\n{err}")


def _gone(pids: set[int], within: float = 60) -> set[int]:
    """Those of ``pids`` still alive after ``within`` seconds at most (polled)."""
    end = time.monotonic() + within
    while time.monotonic() < end and any(alive(p) for p in pids):
        time.sleep(0.1)
    return {p for p in pids if alive(p)}


def _killed(proc: subprocess.Popen, started: set[int]) -> set[int]:
    """SIGKILL, as a crash does: what is left of the processes it had started."""
    proc.kill()
    proc.wait(timeout=30)
    return _gone(started)


@needs_proc
def test_a_process_killed_while_its_pool_reads_leaves_no_process_behind(tmp_path):
    with _holding(_folder(tmp_path), tmp_path, "thread") as (proc, started):
        # the resource tracker, the fork server and its workers
        assert len(started) >= 3 and any(b"forkserver" in _cmdline(p) for p in started)
        assert _killed(proc, started) == set()


@needs_proc
def test_a_process_killed_while_whoosh_sub_writers_index_leaves_no_process_behind(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    for i in range(80):
        write(folder, f"p{i}.txt", f"Plain Title {i}\n\nA plain article about cranes {i}.\n")
    # the multiprocess writer from 10 articles: its first sub-writer starts at the 65th
    code = "import glossator.index.engine as e; e.PARALLEL_FROM = 10\n" + HOLD
    code = code.replace("done == 3", "done == 70")
    with _holding(folder, tmp_path, "thread", code) as (proc, started):
        writers = lambda: any(b"glossator.index.engine" in _cmdline(p) for p in started)  # noqa: E731
        end = time.monotonic() + 30  # the sub-writers fork a moment after the progress said 70
        while not writers() and time.monotonic() < end:
            time.sleep(0.05)
            started |= descendants(proc.pid)
        assert writers()  # forked writers
        assert _killed(proc, started) == set()


@needs_proc
def test_ctrl_c_while_the_pool_reads_ends_every_worker_without_a_traceback(tmp_path):
    with _holding(_folder(tmp_path), tmp_path, "main") as (proc, started):
        assert any(b"forkserver" in _cmdline(p) for p in started)
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends ctrl+c: to the whole group
        out, err = _ended(proc, 60)
        assert out == "interrupted\nleft\n" and proc.returncode == 0, err
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        assert _gone(started) == set()


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
    assert [d for d, _, _ in calls[1:-1]] == list(range(1, total))
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
