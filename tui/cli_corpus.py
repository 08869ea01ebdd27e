"""``glossator kwic | spread | collocates | keywords | names``: studying the corpus.

The back end is ``glossator.index.study`` and ``glossator.index.namelist``; this module parses
arguments and prints, every text through ``neutralise`` (JSON through ``safe_json``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glossator.index.library import Library

KWIC_WIDTH = 36  # characters of context each side in the text output, unless --context


def add_parsers(sub: argparse._SubParsersAction) -> None:
    from glossator.index.study import MEASURES, SORTS

    from .cli_common import _library_option

    p = sub.add_parser("kwic", help="concordance: every occurrence of a query in its context")
    p.add_argument("query", help="a search query, as for `glossator search`")
    p.add_argument(
        "--sort",
        choices=SORTS,
        default="article",
        help="article order, or the 1st/2nd/3rd word left (L1-L3) or right (R1-R3)",
    )
    p.add_argument("--context", type=int, default=None, metavar="N", help="N characters a side")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="at most N lines")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(p)

    p = sub.add_parser("spread", help="where a query (or a theme) falls in each article")
    p.add_argument("query", nargs="?", help="a search query")
    p.add_argument("--theme", metavar="NAME", help="a theme's passages instead of a query")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(p)

    p = sub.add_parser("collocates", help="the words that keep company with a term")
    p.add_argument("term", help="a word or a query")
    p.add_argument("--window", type=int, default=5, metavar="N", help="N words each side (5)")
    p.add_argument(
        "--measure",
        choices=MEASURES,
        default="ll",
        help="log-likelihood (ll, the default), pointwise mutual information or t-score",
    )
    p.add_argument("--min", type=int, default=2, metavar="N", dest="min_count", help="joint count")
    p.add_argument("--stopwords", action="store_true", help="keep function words")
    p.add_argument("--limit", type=int, default=30, metavar="N", help="at most N (30)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(p)

    p = sub.add_parser("keywords", help="what is distinctive of an article or a theme")
    p.add_argument("article_id", nargs="?", metavar="ARTICLE", help="an id from `glossator list`")
    p.add_argument("--theme", metavar="NAME", help="a theme's passages instead of an article")
    p.add_argument("--min", type=int, default=2, metavar="N", dest="min_count", help="count")
    p.add_argument("--stopwords", action="store_true", help="keep function words")
    p.add_argument("--limit", type=int, default=30, metavar="N", help="at most N (30)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(p)

    p = sub.add_parser("names", help="the people, places and organisations the articles name")
    p.add_argument("--kind", choices=("person", "place", "organisation", "other"), default=None)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(p)


def _open(args: argparse.Namespace, library_dir: Path | None) -> Library:
    from .cli_common import open_library

    library, _ = open_library(library_dir, quiet=args.json)
    return library


def _guard(call):  # type: ignore[no-untyped-def]
    """Run ``call``, turning the back end's one-line errors into the command line's."""
    from glossator.index.study import StudyError

    from .cli_common import CliError

    try:
        return call()
    except StudyError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"the study store could not be read or written: {exc}") from exc


def cmd_kwic(args: argparse.Namespace, library_dir: Path | None) -> int:
    from rich.text import Text

    from glossator.index.study import kwic
    from glossator.index.textutil import neutralise

    from .cli_common import EXIT_NONE, EXIT_OK, CliError, _console, _print_json

    if args.limit is not None and args.limit < 1:
        raise CliError("--limit must be 1 or more")
    if args.context is not None and args.context < 0:
        raise CliError("--context must be 0 or more")
    library = _open(args, library_dir)
    context = args.context if args.context is not None else KWIC_WIDTH
    result = _guard(lambda: kwic(library, args.query, args.sort, context, args.limit))
    if args.limit is not None:
        result.lines = result.lines[: args.limit]
    if args.json:
        data = result.to_json()
        _print_json(data)
        return EXIT_OK if result.total else EXIT_NONE
    out = _console()
    if not result.lines:
        out.print(neutralise(f"No occurrences of {args.query!r}."))
        return EXIT_NONE
    out.print(Text(f"{result.total} occurrences, sorted by {args.sort}", style="bold"))
    width = max(len(_flat(line.left)) for line in result.lines)
    for line in result.lines:
        where = "title" if line.sentence_id < 0 else f"§{line.sentence_id + 1}"
        row = Text(f"{neutralise(line.article_id)[:12]:<12} {where:>5}  ", style="dim")
        row.append(neutralise(_flat(line.left)).rjust(width))
        row.append(" ")
        row.append(neutralise(_flat(line.match)), style="bold black on yellow")
        row.append(" ")
        row.append(neutralise(_flat(line.right)))
        out.print(row, no_wrap=True, overflow="ellipsis", crop=True)
    return EXIT_OK


def _flat(text: str) -> str:
    """Line breaks and tabs as spaces, one for one: a concordance line stays one line."""
    return text.replace("\n", " ").replace("\t", " ").replace("\r", " ")


def cmd_spread(args: argparse.Namespace, library_dir: Path | None) -> int:
    from rich.table import Table
    from rich.text import Text

    from glossator.index.study import spread, theme_query
    from glossator.index.textutil import neutralise

    from .cli_common import EXIT_NONE, EXIT_OK, CliError, _console, _print_json

    if (args.query is None) == (args.theme is None):
        raise CliError("give a query or --theme NAME (one of them)")
    library = _open(args, library_dir)
    text = (
        args.query if args.query is not None else _guard(lambda: theme_query(library, args.theme))
    )
    result = _guard(lambda: spread(library, text))
    if args.json:
        data = result.to_json()
        if args.theme:
            data["theme"] = args.theme
        _print_json(data)
        return EXIT_OK if result.total else EXIT_NONE
    out = _console()
    label = f"theme {args.theme!r} ({text})" if args.theme else repr(text)
    if not result.total:
        out.print(neutralise(f"No occurrences of {label}."))
        return EXIT_NONE
    out.print(
        Text(
            neutralise(
                f"{label}: {result.total} occurrences in {len(result.articles)} of "
                f"{result.library_articles} articles; DP {result.dp:.2f} (0 even, 1 bunched)"
            ),
            style="bold",
        )
    )
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("article", no_wrap=True)
    table.add_column("count", justify="right")
    table.add_column("per 1,000", justify="right")
    table.add_column("where in the article (start … end)", no_wrap=True)
    for row in result.articles:
        table.add_row(
            neutralise(row["article_id"])[:24],
            str(row["count"]),
            f"{row['per_1000_words']:.2f}",
            Text(strip(row["positions"]), style="cyan"),
        )
    out.print(table)
    return EXIT_OK


def strip(positions: list[float], width: int = 40) -> str:
    """Where the occurrences fall, one cell per fortieth of the article: · none, ▌ some, █ more."""
    cells = [0] * width
    for p in positions:
        cells[min(width - 1, int(p * width))] += 1
    return "".join("·" if n == 0 else "▌" if n == 1 else "█" for n in cells)


def cmd_collocates(args: argparse.Namespace, library_dir: Path | None) -> int:
    from rich.table import Table
    from rich.text import Text

    from glossator.index.study import MEASURE_NAMES, collocates
    from glossator.index.textutil import neutralise

    from .cli_common import EXIT_NONE, EXIT_OK, CliError, _console, _print_json

    if args.window < 1:
        raise CliError("--window must be 1 or more")
    if args.limit < 1:
        raise CliError("--limit must be 1 or more")
    library = _open(args, library_dir)
    result = _guard(
        lambda: collocates(
            library,
            args.term,
            window=args.window,
            measure=args.measure,
            stopwords=args.stopwords,
            min_count=args.min_count,
            limit=args.limit,
        )
    )
    if args.json:
        _print_json(result.to_json())
        return EXIT_OK if result.collocates else EXIT_NONE
    out = _console()
    out.print(
        Text(
            neutralise(
                f"Collocates of {args.term!r} within {args.window} words "
                f"({result.occurrences} occurrences, {result.window_words} words in the windows, "
                f"{result.library_words} in the library), by {MEASURE_NAMES[args.measure]}"
            ),
            style="bold",
        )
    )
    if not result.collocates:
        out.print("None found.")
        return EXIT_NONE
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name, justify in (
        ("word", "left"),
        ("joint", "right"),
        ("left", "right"),
        ("right", "right"),
        ("in library", "right"),
        (args.measure, "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for c in result.collocates:
        table.add_row(
            neutralise(c.word), str(c.joint), str(c.left), str(c.right), str(c.frequency),
            f"{c.score:.2f}",
        )  # fmt: skip
    out.print(table)
    return EXIT_OK


def cmd_keywords(args: argparse.Namespace, library_dir: Path | None) -> int:
    from rich.table import Table
    from rich.text import Text

    from glossator.index.study import keywords
    from glossator.index.textutil import neutralise

    from .cli_common import EXIT_NONE, EXIT_OK, CliError, _console, _find_article, _print_json

    if (args.article_id is None) == (args.theme is None):
        raise CliError("give an ARTICLE or --theme NAME (one of them)")
    if args.limit < 1:
        raise CliError("--limit must be 1 or more")
    library = _open(args, library_dir)
    article_id = _find_article(library, args.article_id) if args.article_id else None
    result = _guard(
        lambda: keywords(
            library,
            article_id=article_id,
            theme=args.theme,
            stopwords=args.stopwords,
            min_count=args.min_count,
            limit=args.limit,
        )
    )
    if args.json:
        _print_json(result.to_json())
        return EXIT_OK if result.keywords else EXIT_NONE
    out = _console()
    out.print(
        Text(
            neutralise(
                f"Keywords of {result.target} ({result.target_words} words) against the rest "
                f"of the library ({result.reference_words} words): log-likelihood, log ratio"
            ),
            style="bold",
        )
    )
    if not result.keywords:
        out.print("None found.")
        return EXIT_NONE
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name, justify in (
        ("word", "left"),
        ("here", "right"),
        ("elsewhere", "right"),
        ("LL", "right"),
        ("log ratio", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for k in result.keywords:
        table.add_row(
            neutralise(k.word), str(k.count), str(k.reference), f"{k.ll:.2f}", f"{k.log_ratio:.2f}"
        )
    out.print(table)
    return EXIT_OK


def cmd_names(args: argparse.Namespace, library_dir: Path | None) -> int:
    import sys

    from rich.table import Table

    from glossator.index.namelist import names
    from glossator.index.textutil import neutralise

    from .cli_common import EXIT_NONE, EXIT_OK, _console, _print_json

    library = _open(args, library_dir)
    result = _guard(lambda: names(library))
    for warning in result.warnings:
        print(f"glossator: {neutralise(warning)}", file=sys.stderr)
    found = [n for n in result.names if args.kind is None or n.kind == args.kind]
    if args.json:
        _print_json({"names": [n.to_json() for n in found]})
        return EXIT_OK if found else EXIT_NONE
    out = _console()
    if not found:
        out.print("No names found.")
        return EXIT_NONE
    ids = [a.id for a in library.articles()]
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("name", ratio=2, overflow="fold")
    table.add_column("kind")
    table.add_column("mentions", justify="right")
    table.add_column(f"per article ({len(ids)})", no_wrap=True)
    from .cli_themes import bar

    for n in found:
        cell = neutralise(n.name)
        others = [f for f in n.forms if f != n.name]
        if others:
            cell += "\n  " + neutralise(", ".join(others))
        table.add_row(cell, n.kind, str(n.mentions), bar([n.articles.get(i, 0) for i in ids]))
    out.print(table)
    return EXIT_OK


COMMANDS = {
    "kwic": cmd_kwic,
    "spread": cmd_spread,
    "collocates": cmd_collocates,
    "keywords": cmd_keywords,
    "names": cmd_names,
}
