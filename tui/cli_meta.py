"""``glossator meta`` (see and correct an article's metadata) and ``glossator cite`` (its
citation as text, BibTeX or CSL-JSON).

Corrections are kept in the data folder, beside the notes, never in the article
(``Library.set_metadata``); every command and the app use them at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glossator.index.library import ArticleInfo


def add_parsers(sub: argparse._SubParsersAction) -> None:
    from .cli_common import _library_option

    p = sub.add_parser("meta", help="show an article's metadata, or correct it")
    p.add_argument("article_id", metavar="ARTICLE_ID", help="an id from `glossator list`")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="correct a field: title, authors (separated by ';'), outlet, published "
        "(2024, 2024-03 or 2024-03-05), url; an empty value hides the file's",
    )
    p.add_argument("--unset", action="append", default=[], metavar="KEY", help="drop a correction")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(p)

    p = sub.add_parser("cite", help="an article's citation: text, BibTeX or CSL-JSON")
    p.add_argument("article_id", metavar="ARTICLE_ID", nargs="?", help="an id (or use --all)")
    p.add_argument("--all", action="store_true", help="every article of the library")
    p.add_argument(
        "--format", choices=("text", "bibtex", "csl-json"), default="text", help="default: text"
    )
    p.add_argument("--sentence", type=int, metavar="N", help="cite sentence §N (from 1)")
    p.add_argument("--to", type=int, metavar="M", help="the last sentence of a run, §M")
    _library_option(p)


def _describe(info: ArticleInfo, corrected: dict) -> str:
    from glossator.index.cite import format_authors
    from glossator.index.textutil import neutralise

    rows = [
        ("title", info.title + ("  (derived from the text)" if info.title_derived else "")),
        ("authors", format_authors(info.authors)),
        ("outlet", info.outlet or ""),
        ("published", info.published or ""),
        ("url", info.url or ""),
        ("format", info.format),
    ]
    lines = [f"{info.id}  ({info.path})"]
    for key, value in rows:
        mark = "  [corrected]" if key in corrected else ""
        lines.append(f"  {key:<10} {value or '—'}{mark}")
    return neutralise("\n".join(lines)) + "\n"


def run_meta(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.metadata import MetadataError, parse_value
    from glossator.index.textutil import safe_json

    from .cli_common import CliError, _find_article, open_library

    library, _ = open_library(library_dir, quiet=True)
    article_id = _find_article(library, args.article_id)
    if args.set or args.unset:
        changes = {}
        try:
            for item in args.set:
                key, eq, value = item.partition("=")
                if not eq:
                    raise MetadataError(f"--set takes KEY=VALUE, not {item!r}")
                changes[key.strip()] = parse_value(key.strip(), value)
            library.set_metadata(article_id, changes, unset=args.unset)
        except MetadataError as exc:
            raise CliError(str(exc)) from exc
    info = library.info(article_id)
    if info is None:
        raise CliError(f"no article {article_id!r}")
    corrected = library.corrections.get(article_id)
    if args.json:
        sys.stdout.write(
            safe_json({"id": info.id, "path": info.path, **info.metadata(), "corrected": corrected})
        )
    else:
        sys.stdout.write(_describe(info, corrected))
    return 0


def run_cite(args: argparse.Namespace, library_dir: Path | None) -> int:
    import datetime

    from glossator.index import cite
    from glossator.index.textutil import neutralise, safe_json

    from .cli_common import EXIT_NONE, CliError, _find_article, open_library

    if args.all == bool(args.article_id):
        raise CliError("name one article, or give --all")
    if (args.sentence is not None or args.to is not None) and (args.all or args.format != "text"):
        raise CliError("--sentence and --to cite one article as text")
    library, _ = open_library(library_dir, quiet=True)
    infos = (
        library.articles() if args.all else [library.info(_find_article(library, args.article_id))]
    )
    items = [i for i in infos if i is not None]
    if not items:
        raise CliError("the library has no articles", EXIT_NONE)
    if args.format == "bibtex":
        sys.stdout.write(neutralise(cite.bibtex(items)))
        return 0
    if args.format == "csl-json":
        sys.stdout.write(safe_json(cite.csl_json(items, accessed=datetime.date.today())))
        return 0
    if args.sentence is not None:
        article = library.article(items[0].id)
        if article is None:
            raise CliError(f"article {items[0].id!r} is not in the index", EXIT_NONE)
        count = article.sentence_count()
        last = args.to if args.to is not None else args.sentence
        for n in (args.sentence, last):
            if not 1 <= n <= count:
                raise CliError(f"sentence §{n} is out of range: §1 to §{count}")
        if last < args.sentence:
            raise CliError(f"--to {last} comes before --sentence {args.sentence}")
        sys.stdout.write(
            neutralise(cite.sentence_citation(article, args.sentence - 1, last - 1)) + "\n"
        )
        return 0
    sys.stdout.write("".join(neutralise(cite.cite_text(i)) + "\n" for i in items))
    return 0
