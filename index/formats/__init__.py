"""Readers for each kind of file, chosen by suffix, each giving the same Article.

==========================  ==========  ==================================================
suffix                      format      read with
==========================  ==========  ==================================================
``.txt``                    text        Glossator's own cleaning of scraped text (clean.py)
``.md`` ``.markdown``       markdown    markdown-it-py, front matter by python-frontmatter
``.rst``                    rst         docutils (no file inclusion, no raw output)
``.html`` ``.htm``          html        trafilatura (main text and metadata)
``.epub``                   epub        ebooklib (spine order), chapters read with lxml
``.pdf``                    pdf         pdfminer.six (text with positions)
==========================  ==========  ==================================================

``load_article(path, article_id)`` reads any of them; a file that cannot be an article (empty,
binary, scanned, encrypted, damaged) raises ``ValueError`` with one line naming the file and
why. ``original(path, article_id)`` gives the file as it was read, with what was removed marked.
``read_many(jobs)`` reads many files, those of the slower kinds in a pool of processes. The
readers' libraries are imported only when a file of their kind is read.
"""

from __future__ import annotations

import importlib
import os
import signal
import threading
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ..model import Article
from .base import Original

if TYPE_CHECKING:  # the pool's modules are imported when a pool is first started
    from concurrent.futures import Future
    from multiprocessing.connection import Connection

__all__ = [
    "FORMATS",
    "POOL_FROM",
    "SUFFIXES",
    "Original",
    "format_of",
    "load_article",
    "original",
    "read_many",
]

FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".rst": "rst",
    ".html": "html",
    ".htm": "html",
    ".epub": "epub",
    ".pdf": "pdf",
}
SUFFIXES = frozenset(FORMATS)
_MODULES = {"text": "text", "markdown": "markdown", "rst": "rst", "html": "html", "epub": "epub"}
_MODULES["pdf"] = "pdf"
_NAMES = {
    "text": "a text file",
    "markdown": "Markdown",
    "rst": "reStructuredText",
    "html": "a web page",
    "epub": "an EPUB",
    "pdf": "a PDF",
}


def format_of(path: Path | str) -> str:
    return FORMATS.get(Path(path).suffix.lower(), "text")


def _reader(fmt: str) -> ModuleType:
    """The reader module of a format, imported when first needed (with its library)."""
    return importlib.import_module(f".{_MODULES[fmt]}", __package__)


def _failure(path: Path, fmt: str, exc: Exception) -> ValueError:
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    why = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return ValueError(f"{path}: could not be read as {_NAMES[fmt]} ({why})")


def load_article(path: Path, article_id: str | None = None) -> Article:
    """Read one file of any known kind as an Article (see the module's table)."""
    path = Path(path)
    fmt = format_of(path)
    try:
        return _reader(fmt).read(path, article_id if article_id is not None else path.stem)
    except (ValueError, OSError):
        raise
    except RecursionError as exc:
        raise ValueError(f"{path}: nested too deeply to be read") from exc
    except Exception as exc:  # a library's own error on a damaged file: one line, no traceback
        raise _failure(path, fmt, exc) from exc


def original(path: Path, article_id: str) -> Original:
    """The file as it was read, what was removed marked (see ``Original``)."""
    path = Path(path)
    fmt = format_of(path)
    try:
        found: Original = _reader(fmt).original(path, article_id)
        return found
    except (ValueError, OSError):
        raise
    except Exception as exc:
        raise _failure(path, fmt, exc) from exc


# -- many files at once -------------------------------------------------------------------------

POOL_FROM = 8  # files of the slower kinds (not plain text) before a pool of processes reads them
Read = Article | ValueError | OSError


def _read(path: Path, article_id: str) -> Read:
    """``load_article``, its ValueError or OSError given back rather than raised."""
    try:
        return load_article(path, article_id)
    except (ValueError, OSError) as exc:
        return exc


def _read_elsewhere(path: str, article_id: str) -> Read:
    """``_read`` in a worker process: the article without ``original`` (the index does not keep
    it, and it would double what is sent back)."""
    found = _read(Path(path), article_id)
    if isinstance(found, Article):
        found.original = ""
    return found


def _start_worker(parent: Connection) -> None:
    """Each worker, first: ctrl+c is left to the process that started the pool (it ends the
    workers); what a library prints goes nowhere (the app's screen is the terminal: results
    come back as articles or errors); and a thread ends the worker when ``parent`` reaches its
    end, that is when the process that started the pool has closed it or is gone, killed
    included (a worker would otherwise wait for work for ever, and keep the fork server
    alive)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)

    def watch() -> None:
        try:
            parent.recv_bytes()  # nothing is ever sent
        except (EOFError, OSError):
            pass
        os._exit(0)

    threading.Thread(target=watch, name="glossator-parent-watch", daemon=True).start()


@contextmanager
def _no_ctrl_c() -> Iterator[None]:
    """SIGINT blocked in this thread while the block runs. A process started meanwhile (the
    fork server, the resource tracker) inherits the mask, and so do the workers the fork server
    forks: a ctrl+c sent to the whole process group while they start (the fork server importing
    the reader modules, a worker before ``_start_worker``) stays pending until each sets it
    ignored, which discards it, instead of printing a KeyboardInterrupt traceback on the
    person's screen. This process still gets its ctrl+c: in another thread at once, or in this
    one when the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # not POSIX: no fork server either
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class _Pool:
    """Worker processes started by a fork server (never forked from this process, which may
    have threads; the server stays, idle, while this process lives), the reader modules of the
    kinds read imported once in the server, each worker watching this process
    (``_start_worker``). ``close`` ends them: at once, work under way given up,
    unless ``wait``."""

    def __init__(self, workers: int, kinds: set[str]) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import forkserver, resource_tracker

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([f"{__package__}.{_MODULES[k]}" for k in sorted(kinds)])
        self._watched, self._alive = context.Pipe(duplex=False)
        try:
            with _no_ctrl_c():  # the helper processes are started here, with ctrl+c blocked
                resource_tracker.ensure_running()
                forkserver.ensure_running()
                self.executor = ProcessPoolExecutor(
                    max_workers=workers,
                    mp_context=context,
                    initializer=_start_worker,
                    initargs=(self._watched,),
                )
        except BaseException:
            self._watched.close()
            self._alive.close()
            raise

    def submit(self, path: Path, article_id: str) -> Future[Read]:
        with _no_ctrl_c():  # a submit may start a worker (or the fork server again)
            return self.executor.submit(_read_elsewhere, str(path), article_id)

    def close(self, wait: bool = False) -> None:
        try:
            self.executor.shutdown(wait=wait, cancel_futures=True)
        except Exception:  # noqa: BLE001 - a pool already broken: its workers are gone
            pass
        finally:
            self._alive.close()  # the workers still there see it and end
            self._watched.close()


def _pool(workers: int, kinds: set[str]) -> _Pool | None:
    """A pool of ``workers`` processes; None when processes cannot be started here."""
    try:
        return _Pool(workers, kinds)
    except Exception:  # noqa: BLE001 - no semaphores, no fork server: read here instead
        return None


def read_many(
    jobs: Sequence[tuple[Path, str]], pool: bool | None = None
) -> Generator[tuple[int, Read], None, None]:
    """Read the files of ``jobs`` ((path, article id) each) as articles, giving (its index in
    ``jobs``, the Article or the ValueError/OSError ``load_article`` raised) in the order they
    are done.

    With ``POOL_FROM`` or more files of the slower kinds (Markdown, reStructuredText, web pages,
    EPUB, PDF) and more than one core (or ``pool=True``), those are read by a pool of processes,
    one per core, while this process reads the plain text; articles from the pool come without
    their ``original``. At most two files per worker are under way, so memory stays that of a
    few articles. A pool that cannot start, or whose worker dies, leaves what is not yet read to
    be read here. Closing the iterator (or this process ending, killed included) ends the
    workers, work under way given up. Safe to call from any thread."""
    cores = os.cpu_count() or 1
    slow = [i for i, (path, _) in enumerate(jobs) if format_of(path) != "text"]
    if pool is None:
        pool = len(slow) >= POOL_FROM and cores > 1
    workers = max(1, min(cores, len(slow)))
    executor = _pool(workers, {format_of(jobs[i][0]) for i in slow}) if pool and slow else None
    if executor is None:
        for i, (path, article_id) in enumerate(jobs):
            yield i, _read(path, article_id)
        return
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    slow_set = set(slow)
    fast = iter([i for i in range(len(jobs)) if i not in slow_set])
    queue = iter(slow)
    pending: dict[Future[Read], int] = {}
    left: list[int] = []  # what a broken pool did not read
    finished = False

    def fill() -> bool:
        """Keep two files per worker under way; False when the pool broke."""
        try:
            while len(pending) < 2 * workers:
                i = next(queue, None)
                if i is None:
                    return True
                pending[executor.submit(*jobs[i])] = i
        except Exception:  # noqa: BLE001 - broken, shut down, or a worker that cannot start
            return False
        return True

    def give_up() -> None:
        left.extend([*pending.values(), *queue])
        pending.clear()

    try:
        if not fill():
            give_up()
        while pending:
            done = [f for f in pending if f.done()]
            if not done:
                here = next(fast, None)
                if here is not None:  # plain text read here while the pool works
                    yield here, _read(*jobs[here])
                    continue
                done = list(wait(pending, return_when=FIRST_COMPLETED)[0])
            broken = False
            for future in done:
                i = pending.pop(future)
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - the pool broke, or sending back failed
                    if isinstance(exc, BrokenProcessPool):
                        broken = True
                        left.append(i)
                        continue
                    result = ValueError(f"{jobs[i][0]}: could not be read ({type(exc).__name__})")
                yield i, result
            if broken or not fill():
                give_up()
        finished = True
    finally:
        executor.close(wait=finished and not left)
    for i in [*sorted(left), *fast]:
        yield i, _read(*jobs[i])
