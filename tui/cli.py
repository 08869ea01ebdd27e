"""The ``glossator`` command line. With no command it opens the reading app.

Argument parsing lives here; the app itself is built by ``tui.app.make_app`` so tests build the
same app the command line does. Each command's module (``cli_articles``, ``cli_meta``,
``cli_themes``, ``cli_notes``, ``cli_study``, ``cli_corpus``) adds its own parser and runs it; what
they share (exit statuses, ``CliError``, opening the library) is in ``cli_common``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_common import EXIT_OK, EXIT_USAGE, CliError, _library_option

if TYPE_CHECKING:
    from collections.abc import Callable

    Command = Callable[[argparse.Namespace, Path | None], int]


def build_parser() -> argparse.ArgumentParser:
    from . import cli_articles, cli_corpus, cli_meta, cli_notes, cli_study, cli_themes

    parser = argparse.ArgumentParser(
        prog="glossator",
        description="A keyboard-driven reading companion for the terminal. "
        "With no command, opens the reading app.",
    )
    _library_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    cli_articles.add_parsers(sub)
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


def _run_app(folder: Path | None) -> int:
    """The app, with the frame it left last painted first when there is one for this terminal
    (``last_frame``: before Textual is imported, a picture of the last screen at once)."""
    from . import last_frame

    shown = (folder is None or folder.expanduser().is_dir()) and last_frame.show(
        last_frame.snapshot_path(folder)
    )
    try:
        from .app import run_app

        return run_app(folder)
    except KeyboardInterrupt:  # ctrl+c before the app took the terminal: nothing to save yet
        if shown:
            last_frame.undo()
        return 130
    except BaseException:
        if shown:
            last_frame.undo()
        raise


def main(argv: Sequence[str] | None = None) -> int:
    app_only, folder = _app_only(sys.argv[1:] if argv is None else list(argv))
    if app_only:
        return _run_app(folder)
    args = build_parser().parse_args(argv)
    library_dir: Path | None = getattr(args, "library", None)
    if args.command is None:
        from .app import run_app

        return run_app(library_dir)
    from glossator.index.textutil import neutralise

    from .cli_output import OutputClosed, OutputFailed, guarded, say

    try:
        with guarded():
            return _commands()[args.command](args, library_dir)
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


def _commands() -> dict[str, Command]:
    """Each command's function, by name (its module imported only when a command runs: opening
    the app needs none of them)."""
    from . import cli_articles, cli_corpus, cli_meta, cli_notes, cli_study, cli_themes

    return {
        **cli_articles.COMMANDS,
        "meta": cli_meta.run_meta,
        "cite": cli_meta.run_cite,
        "themes": cli_themes.run,
        "notes": cli_notes.run,
        "labels": cli_study.run_labels,
        "review": cli_study.run_review,
        **cli_corpus.COMMANDS,
    }
