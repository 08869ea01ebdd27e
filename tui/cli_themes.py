"""``glossator themes``: the topics running through the library, with a bar across its articles.

Curated themes come from ``themes.toml`` in the library folder, discovered themes from the
articles themselves, user themes from the data directory. A mistake in a themes file is a warning
on stderr (``glossator: …``, one line each); the command still succeeds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glossator.index.themes import Theme

# Shades for a bar cell: none, then a quarter to all of the theme's busiest article.
SHADES = "·░▒▓█"
BAR_WIDTH = 40  # at most this many cells; larger libraries share cells between articles
KIND_TITLES = {
    "curated": "Curated themes",
    "discovered": "Discovered in the articles",
    "user": "Your themes",
}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from .cli_common import _library_option

    p = sub.add_parser(
        "themes",
        help="the topics running through the articles: curated, discovered and your own",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(p)
    return p


def bar(counts: list[int], width: int = BAR_WIDTH) -> str:
    """One cell per article (or per group of articles past ``width``), shaded by count."""
    if not counts:
        return ""
    if len(counts) > width:
        size = -(-len(counts) // width)  # ceiling division
        counts = [sum(counts[i : i + size]) for i in range(0, len(counts), size)]
    top = max(counts)
    cells = []
    for n in counts:
        if n <= 0 or top <= 0:
            cells.append(SHADES[0])
        else:
            level = max(1, min(4, -(-4 * n // top)))
            cells.append(SHADES[level])
    return "".join(cells)


def run(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.textutil import neutralise, safe_json
    from glossator.index.themes import all_themes

    from .cli_common import EXIT_OK, open_library

    library, _ = open_library(library_dir, quiet=args.json)
    themes, warnings = all_themes(library)
    for warning in warnings:
        print(f"glossator: {neutralise(warning)}", file=sys.stderr)
    if args.json:
        # C1 controls and bidirectional overrides as \u escapes: the data is the same, and a
        # terminal showing the JSON is not driven by a theme's query.
        sys.stdout.write(safe_json([t.to_json() for t in themes]))
        return EXIT_OK
    _print_table(themes, [a.id for a in library.articles()], library.name)
    return EXIT_OK


def _print_table(themes: list[Theme], article_ids: list[str], library_name: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from glossator.index.textutil import neutralise

    from .cli_common import _console

    out = _console()
    if not themes:
        out.print(f"No themes for {neutralise(library_name)}.")
        return
    n = len(article_ids)
    table = Table(box=None, header_style="bold", pad_edge=False, show_edge=False)
    table.add_column("theme", ratio=1, overflow="fold")
    table.add_column("passages", justify="right", no_wrap=True)
    table.add_column(f"articles ({n})", no_wrap=True)
    first = True
    for kind in ("curated", "discovered", "user"):
        group = [t for t in themes if t.kind == kind]
        if not group:
            continue
        if not first:
            table.add_row()
        first = False
        table.add_row(Text(KIND_TITLES[kind], style="bold underline"), "", "")
        for theme in group:
            cell = Text(neutralise(theme.name), style="bold")
            if theme.description:
                cell.append("\n" + neutralise(theme.description), style="italic")
            cell.append("\n" + neutralise(theme.query), style="dim")
            if theme.error:
                cell.append("\nunusable query: " + neutralise(theme.error), style="red")
            counts = [theme.articles.get(i, 0) for i in article_ids]
            present = sum(1 for c in counts if c)
            cells = Text(bar(counts), style="cyan")
            cells.append(f" {present}/{n}", style="dim")
            table.add_row(cell, str(theme.passages), cells)
    out.print(table)
