"""``glossator notes export`` and ``import``: notes out to Markdown, W3C Web Annotation, Anki
(.apkg or CSV), and W3C Web Annotation in. Export writes only to the file named with ``-o`` (or
stdout), whole or not at all; import reads at most ``MAX_IMPORT_BYTES``."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from .cli_notes import _Articles, _current_notes, _filtered, _library, _reading_store, _store

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

MAX_IMPORT_BYTES = 64 * 1024 * 1024


def _export(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.anki import to_apkg, to_csv
    from glossator.index.export import to_markdown, to_web_annotation
    from glossator.index.notes import default_path
    from glossator.index.output import check_target, write_atomically
    from glossator.index.textutil import neutralise, safe_json

    from .cli_common import CliError

    output: Path | None = args.output
    if output is not None and (output.is_dir() or not output.parent.is_dir()):
        raise CliError(f"cannot write {output}: not a file in an existing folder")
    if args.format == "anki" and output is None:
        raise CliError("an Anki deck is a file: give it with -o deck.apkg")
    library = _library(library_dir)
    if output is not None:
        check_target(output, default_path(), library=library.folder)
    with _reading_store(library) as (store, notes, articles):
        if args.label or args.tag or args.article or args.kind:
            notes = _filtered(store, library, args)
    infos = {a.id: a for a in library.articles()}
    plural = "note" if len(notes) == 1 else "notes"
    if args.format == "anki":
        assert output is not None
        try:
            count = to_apkg(notes, infos, output, library.key, f"Glossator: {library.name}")
        except OSError as exc:
            raise CliError(f"cannot write {output}: {exc.strerror or exc}") from exc
        print(
            f"wrote {count} card{'' if count == 1 else 's'} to {neutralise(str(output))}",
            file=sys.stderr,
        )
        return 0
    if args.format == "json":
        text = safe_json(to_web_annotation(notes, library, infos))
    elif args.format == "csv":
        text = neutralise(to_csv(notes, infos))
    else:
        # cited from the articles themselves (a PDF's pages), read only for the notes' articles
        text = neutralise(to_markdown(notes, articles))  # to be read, in a terminal too
    if output is None:
        sys.stdout.write(text)
        return 0

    def write(tmp: Path) -> None:
        tmp.write_text(text, "utf-8", newline="")

    try:
        write_atomically(output, write)
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror or exc}") from exc
    print(f"wrote {len(notes)} {plural} to {neutralise(str(output))}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.export import article_matcher, import_annotations
    from glossator.index.textutil import neutralise

    from .cli_common import CliError

    path: Path = args.file
    shown = neutralise(str(path))
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise CliError(f"cannot read {shown}: {exc.strerror or exc}") from exc
    if len(raw) > MAX_IMPORT_BYTES:
        raise CliError(f"{shown} is too large to be a notes file")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CliError(f"{shown} is not a JSON file: {exc}") from exc
    library = _library(library_dir)
    problems: list[str] = []
    with _store() as store:
        _current_notes(store, library)
        try:
            added, skipped = import_annotations(
                store,
                library.key,
                data,
                _Articles(library),
                problems,
                # articles found by URL or file name (corrections applied), none read for that
                match=article_matcher(library.articles()),
            )
        except ValueError as exc:
            raise CliError(f"{shown}: {exc}") from exc
    for problem in problems:
        print(f"glossator: {shown}: skipped {neutralise(problem)}", file=sys.stderr)
    plural = "note" if added == 1 else "notes"
    sys.stdout.write(f"imported {added} {plural}, skipped {skipped}\n")
    return 0
