"""``glossator search | show | index | list``: the library's articles searched, shown (cleaned, or
as the file had it), indexed and listed, as text or JSON, every text through ``neutralise``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_common import (
    EXIT_NONE,
    EXIT_OK,
    CliError,
    _console,
    _find_article,
    _library_option,
    _print_json,
    open_library,
)

if TYPE_CHECKING:
    from glossator.index.model import SearchResult


def add_parsers(sub: argparse._SubParsersAction) -> None:
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


COMMANDS = {
    "search": cmd_search,
    "show": cmd_show,
    "index": cmd_index,
    "list": cmd_list,
}
