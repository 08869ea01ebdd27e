"""The ``glossator`` command line. With no command it opens the reading app.

Argument parsing lives here; the app itself is built by ``tui.app.make_app`` so tests build the
same app the command line does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import cli_corpus, cli_meta, cli_notes, cli_study, cli_themes

if TYPE_CHECKING:
    from rich.console import Console

    from glossator.index.library import Library, UpdateReport
    from glossator.index.model import SearchResult

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glossator",
        description="A keyboard-driven reading companion for the terminal. "
        "With no command, opens the reading app.",
    )
    _library_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("search", help="search the library; ranked sentences grouped by article")
    p.add_argument("query", help='words, "a phrase", AND/OR/NOT, prefix*, fuzzy~, title:word')
    p.add_argument("--limit", type=int, default=None, metavar="N", help="at most N sentences")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(p)

    p = sub.add_parser("show", help="print one article, cleaned (or as the file had it)")
    p.add_argument("article_id", metavar="ARTICLE_ID", help="an id from `glossator list`")
    p.add_argument("--json", action="store_true", help="print JSON with sentences and offsets")
    p.add_argument("--original", action="store_true", help="the text with site chrome included")
    _library_option(p)

    p = sub.add_parser("index", help="build or update the index and report what changed")
    p.add_argument("--rebuild", action="store_true", help="throw the index away and build anew")
    _library_option(p)

    p = sub.add_parser("list", help="list the articles of the library")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(p)

    cli_meta.add_parsers(sub)
    cli_themes.add_parser(sub)
    cli_notes.add_parser(sub)
    cli_study.add_parsers(sub)
    cli_corpus.add_parsers(sub)
    return parser


def _app_only(argv: Sequence[str]) -> tuple[bool, Path | None]:
    """Whether ``argv`` only opens the app (nothing, or ``--library DIR``), and the folder.

    Opening the app does not build the commands' parser: building it imports what their
    choices come from (the study and notes modules, with NumPy, SQLite and Whoosh), which cost
    more than half a second before the first paint."""
    parser = argparse.ArgumentParser(prog="glossator", add_help=False)
    _library_option(parser)
    if any(a.startswith("-") and not a.startswith("--library") for a in argv):
        return False, None
    try:
        args, rest = parser.parse_known_args(argv)
    except SystemExit:  # a malformed --library: the full parser says what is wrong
        return False, None
    return not rest, getattr(args, "library", None)


def main(argv: Sequence[str] | None = None) -> int:
    app_only, folder = _app_only(sys.argv[1:] if argv is None else list(argv))
    if app_only:
        from .app import run_app

        return run_app(folder)
    args = build_parser().parse_args(argv)
    library_dir: Path | None = getattr(args, "library", None)
    if args.command is None:
        from .app import run_app

        return run_app(library_dir)
    from glossator.index.textutil import neutralise

    from .cli_output import OutputClosed, OutputFailed, guarded, say

    try:
        with guarded():
            return _COMMANDS[args.command](args, library_dir)
    except CliError as exc:
        say(neutralise(str(exc)))
        return exc.status
    except OutputClosed:  # the reader of the output has what it wanted (`| head -1`)
        return EXIT_OK
    except OutputFailed as exc:
        say(f"cannot write the output: {neutralise(str(exc))}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except OSError as exc:  # a file that could not be used, anywhere: named, not a traceback
        where = f" ({neutralise(str(exc.filename))})" if exc.filename else ""
        say(f"{neutralise(exc.strerror or str(exc))}{where}")
        return EXIT_USAGE


# -- helpers ----------------------------------------------------------------------------------


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
    library: Library, err: Console, rebuild: bool = False, wait: Callable[[float], bool] | None = None
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


# -- commands ---------------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace, library_dir: Path | None) -> int:
    if args.limit is not None and args.limit < 1:
        raise CliError("--limit must be 1 or more")
    library, _ = open_library(library_dir, quiet=args.json)
    result = library.search(args.query, limit=args.limit)
    if result.error:
        raise CliError(f"unusable query: {result.error}")
    if args.json:
        _print_json(result.to_json())
    else:
        _print_results(result)
    return EXIT_OK if result.total else EXIT_NONE


def _print_results(result: SearchResult) -> None:
    from rich.table import Table
    from rich.text import Text

    from glossator.index.textutil import neutralise

    out = _console()
    if not result.total:
        line = f"No passages match {result.query!r}."
        if result.suggestion:
            line += f" Did you mean {result.suggestion!r}?"
        out.print(neutralise(line))
        return
    plural = "passage" if result.total == 1 else "passages"
    where = "article" if len(result.articles) == 1 else "articles"
    out.print(Text(f"{result.total} {plural} in {len(result.articles)} {where}", style="bold"))
    current: str | None = None
    counts = {article_id: n for article_id, _, n in result.articles}
    grid = None
    for hit in result.hits:
        if grid is None or hit.article_id != current:
            if grid is not None:
                out.print(grid)
            current = hit.article_id
            out.print()
            heading = Text(neutralise(hit.title), style="bold cyan")
            heading.append(
                f"  {neutralise(hit.article_id)} · {counts[hit.article_id]}", style="dim"
            )
            out.print(heading)
            grid = Table.grid(padding=(0, 1), pad_edge=False)
            grid.add_column(justify="right", style="dim", no_wrap=True, min_width=6)
            grid.add_column(ratio=1)
        body = Text(neutralise(hit.text))
        for start, end in hit.highlights:
            body.stylize("bold black on yellow", start, end)
        grid.add_row("title" if hit.sentence_id < 0 else f"§{hit.sentence_id + 1}", body)
    if grid is not None:
        out.print(grid)
    if len(result.hits) < result.total:
        out.print()
        out.print(Text(f"… {result.total - len(result.hits)} more (--limit)", style="dim"))


def cmd_show(args: argparse.Namespace, library_dir: Path | None) -> int:
    from rich.text import Text

    from glossator.index.textutil import neutralise

    library, _ = open_library(library_dir, quiet=args.json)
    article_id = _find_article(library, args.article_id)
    article = library.article(article_id)
    if article is None:
        raise CliError(f"article {article_id!r} is not in the index")
    if args.original:
        view = library.original_view(article_id)
        if view is None:
            raise CliError(f"the file of {article_id!r} can no longer be read")
        if args.json:
            _print_json(
                {
                    "id": article.id,
                    "original": view.text,
                    "extracted": view.extracted,  # text taken out of a page, EPUB or PDF
                    "removed": article.removed,
                    "removed_spans": [list(span) for span in view.removed],
                }
            )
        else:
            _print_original(view)
        return EXIT_OK
    if args.json:
        _print_json(article.to_public_json())
        return EXIT_OK
    out = _console()
    title = Text(neutralise(article.title), style="bold")
    if article.title_derived:
        title.append("  (title derived from the text)", style="dim italic")
    out.print(title)
    if article.byline:
        out.print(Text(neutralise(article.byline), style="italic"))
    for block in article.blocks:
        out.print()
        text = Text(neutralise(article.text[block.start : block.end]))
        if block.kind == "heading":
            text.stylize("bold")
        out.print(text)
    return EXIT_OK


def _print_original(view: object) -> None:
    """The file as read; on a terminal what was removed is dim, elsewhere the text alone."""
    from rich.text import Text

    from glossator.index.formats import Original
    from glossator.index.textutil import neutralise

    assert isinstance(view, Original)
    out = _console()
    if not out.is_terminal:
        sys.stdout.write(neutralise(view.text).rstrip("\n") + "\n")
        return
    text = Text(neutralise(view.text).rstrip("\n"))
    for start, end in view.removed:
        text.stylize("dim strike", start, end)
    out.print(text, soft_wrap=True)


def cmd_index(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.textutil import neutralise

    library, report = open_library(library_dir, rebuild=args.rebuild)
    out = _console()
    out.print(
        f"{neutralise(library.name)}: {len(library.articles())} articles in the index "
        f"({report.summary()})"
    )
    for label, ids in (
        ("added", report.added),
        ("changed", report.changed),
        ("removed", report.removed),
    ):
        for article_id in ids:
            out.print(f"  {label}: {neutralise(article_id)}")
    infos = {a.id: a for a in library.articles()}
    for article_id in [*report.added, *report.changed]:
        for warning in getattr(infos.get(article_id), "warnings", ()):
            out.print(f"  warning: {neutralise(warning)}", soft_wrap=True)
    if report.rebuilt_because:
        out.print(f"  rebuilt: {neutralise(report.rebuilt_because)}")
    out.print(f"  index: {neutralise(str(library.index_dir))}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace, library_dir: Path | None) -> int:
    from rich.table import Table

    from glossator.index.textutil import neutralise

    library, _ = open_library(library_dir, quiet=args.json)
    articles = library.articles()
    if args.json:
        _print_json(
            [
                {
                    "id": a.id,
                    **a.metadata(),  # title, title_derived, authors, outlet, published, url, format
                    "byline": a.byline,
                    "sentences": a.sentences,
                    "path": a.path,
                }
                for a in articles
            ]
        )
        return EXIT_OK
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("title", ratio=3)
    table.add_column("byline", ratio=2)
    table.add_column("sentences", justify="right")
    for a in articles:
        title = neutralise(a.title) + (" (derived)" if a.title_derived else "")
        table.add_row(neutralise(a.id), title, neutralise(a.byline or ""), str(a.sentences))
    _console().print(table)
    return EXIT_OK


_COMMANDS = {
    "search": cmd_search,
    "show": cmd_show,
    "index": cmd_index,
    "list": cmd_list,
    "meta": cli_meta.run_meta,
    "cite": cli_meta.run_cite,
    "themes": cli_themes.run,
    "notes": cli_notes.run,
    "labels": cli_study.run_labels,
    "review": cli_study.run_review,
    **cli_corpus.COMMANDS,
}
