"""What the commands of the ``glossator`` command line share: the exit statuses, ``CliError`` (a
problem said in one line), the ``--library`` option, opening the library with a progress bar on a
terminal (waiting for another process's index update), finding an article by its id or a prefix of
it, and printing JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from glossator.index.library import Library, UpdateReport

EXIT_OK, EXIT_NONE, EXIT_USAGE = 0, 1, 2
WAIT_FOR_OTHERS = 600  # seconds a command waits for another process's index update


class CliError(Exception):
    """A problem to report in one line on stderr, with an exit status."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def _library_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--library",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help="a folder of articles (.txt .md .rst .html .epub .pdf) to open instead of the "
        "bundled seed articles",
    )


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


def open_library(
    library_dir: Path | None, quiet: bool = False, rebuild: bool = False
) -> tuple[Library, UpdateReport]:
    """Open the library and bring its index up to date (or ``rebuild`` it), with a progress bar
    on a terminal."""
    from glossator.index.library import IndexBusy, IndexUnavailable, Library
    from glossator.index.textutil import neutralise

    if library_dir is not None and not library_dir.expanduser().is_dir():
        raise CliError(f"{library_dir} is not a folder")
    library = Library(library_dir)
    err = _console(stderr=True)
    wait = _waiting(err)
    try:
        if quiet or not err.is_terminal:
            report = library.update(rebuild=rebuild, wait=wait)
        else:
            report = _update_with_progress(library, err, rebuild=rebuild, wait=wait)
    except IndexBusy as exc:
        minutes = WAIT_FOR_OTHERS // 60
        raise CliError(
            f"another Glossator process has been updating this library's index for {minutes} "
            "minutes; try again when it has finished"
        ) from exc
    except IndexUnavailable as exc:
        raise CliError(str(exc)) from exc
    if report.fallback:
        err.print(f"glossator: {neutralise(report.fallback)}", soft_wrap=True)
    if report.rebuilt_because and report.rebuilt_because != "a rebuild was asked for":
        err.print(
            f"glossator: rebuilt the index: {neutralise(report.rebuilt_because)}", soft_wrap=True
        )
    library.corrections.version()  # read the person's metadata corrections, to say a problem
    if library.corrections.problem:
        err.print(f"glossator: {neutralise(library.corrections.problem)}", soft_wrap=True)
    for path, why in report.skipped:  # one line each, whatever the width: paths stay whole
        why = why.removeprefix(f"{path}: ")  # the reason names the file too: say it once
        err.print(f"glossator: skipped {neutralise(str(path))}: {neutralise(why)}", soft_wrap=True)
    return library, report


def _waiting(err: Console) -> Callable[[float], bool]:
    """While another process updates the index: say so once, then wait for it, up to
    ``WAIT_FOR_OTHERS`` seconds (ctrl+c stops the waiting)."""
    told = [False]

    def wait(seconds: float) -> bool:
        if not told[0]:
            told[0] = True
            err.print(
                "glossator: another Glossator process is updating this library's index; "
                "waiting for it to finish…",
                soft_wrap=True,
            )
        return seconds < WAIT_FOR_OTHERS

    return wait


def _update_with_progress(
    library: Library,
    err: Console,
    rebuild: bool = False,
    wait: Callable[[float], bool] | None = None,
) -> UpdateReport:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("rebuilding" if rebuild else "indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}", markup=False),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=name)

        return library.update(progress=progress, rebuild=rebuild, wait=wait)


def _find_article(library: Library, article_id: str) -> str:
    ids = [a.id for a in library.articles()]
    if article_id in ids:
        return article_id
    matches = [i for i in ids if i.startswith(article_id)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CliError(f"{article_id!r} fits several articles: {', '.join(matches)}")
    raise CliError(f"no article {article_id!r}; `glossator list` shows the ids")  # a failure: 2


def _print_json(data: object) -> None:
    from glossator.index.textutil import safe_json

    sys.stdout.write(safe_json(data))
