"""``glossator notes add``: a note on a sentence or a run of them, its text from the command line
or stdin. Nothing typed is lost: when the note cannot be saved, its text follows the message."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .cli_notes import RECOVER_HINT, _library, _store, resolver

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from glossator.index.notes import Note


def _read_stdin() -> str:
    """The text on stdin, which must be UTF-8; the text as read is given back otherwise."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream (tests): already decoded
        return sys.stdin.read()
    raw = buffer.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _NotSaved(
            f"the note read from stdin is not UTF-8 text (byte {raw[exc.start]:#04x} at "
            f"position {exc.start})",
            raw.decode("utf-8", "backslashreplace"),
        ) from exc


class _NotSaved(Exception):
    """The note could not be saved: ``message``, and the text to give back."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.text = text


def _give_back(message: str, text: str) -> int:
    from glossator.index.textutil import neutralise

    from .cli_common import EXIT_USAGE

    print(f"glossator: {neutralise(message)}", file=sys.stderr)
    print("glossator: the note was not saved; its text follows:", file=sys.stderr)
    # (a character that cannot be written, a lone surrogate, is shown as its escape)
    shown = text.rstrip("\n").encode("utf-8", "backslashreplace").decode("utf-8")
    print(neutralise(shown), file=sys.stderr)
    return EXIT_USAGE


def _add(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.notes import NoteError, NoteStoreCorrupt, NoteStoreError

    from .cli_common import CliError

    if args.text is None and not args.highlight:
        raise CliError("give the note's --text (or --highlight for a highlight)")
    from_stdin = args.text == "-"
    try:
        text = _read_stdin() if from_stdin else (args.text or "")
    except _NotSaved as exc:
        return _give_back(str(exc), exc.text)
    if not text.strip() and not args.highlight:
        raise CliError("the note text is empty")
    try:
        return _add_text(args, library_dir, text)
    except Exception as exc:
        store_failed = isinstance(exc, NoteStoreError) and not isinstance(exc, NoteStoreCorrupt)
        text_refused = isinstance(exc, NoteError) and "Unicode" in str(exc)
        if not (from_stdin or store_failed or text_refused) or not isinstance(
            exc, (CliError, NoteStoreError, NoteError)
        ):
            raise
        # The note was not saved: say why, then give its text back so nothing typed is lost.
        message = str(exc)
        if isinstance(exc, NoteStoreCorrupt):
            message = f"{message}; {RECOVER_HINT}"
        status = _give_back(message, text)
        return exc.status if isinstance(exc, CliError) else status


def _add_text(args: argparse.Namespace, library_dir: Path | None, text: str) -> int:
    from glossator.index.notes import HIGHLIGHT, NOTE
    from glossator.index.textutil import neutralise

    from .cli_common import EXIT_USAGE, CliError, _find_article

    library = _library(library_dir)
    try:
        article_id = _find_article(library, args.article)
    except CliError as exc:
        raise CliError(neutralise(str(exc)), EXIT_USAGE) from exc
    article = library.article(article_id)
    shown = neutralise(article_id)
    if article is None:
        raise CliError(f"article {shown!r} is not in the index")
    count = article.sentence_count()
    last = args.sentence if args.to is None else args.to
    for n in (args.sentence, last):  # §N as people see them, from 1
        if not 1 <= n <= count:
            raise CliError(
                f"sentence §{n} is out of range: {shown} has sentences §1 to §{count}"
                if count
                else f"{shown} has no sentences"
            )
    if last < args.sentence:
        raise CliError(f"--to {last} comes before --sentence {args.sentence}")
    with _store() as store:
        store.register_library(library.key, library.folder)
        note = store.add(
            library.key,
            article,
            args.sentence - 1,
            last - 1,
            text,
            kind=HIGHLIGHT if args.highlight and not text.strip() else NOTE,
            labels=args.label,
            resolve=resolver(library),
        )
    _warn_unresolved(note)
    sys.stdout.write(note.id + "\n")
    return 0


def _warn_unresolved(note: Note) -> None:
    from glossator.index.notes import UNRESOLVED
    from glossator.index.textutil import neutralise

    for link in note.links:
        if link.status == UNRESOLVED:
            print(
                f"glossator: the link [[{neutralise(link.ref)}]] points at no sentence "
                "(no such article, or no such §N); it is kept as written",
                file=sys.stderr,
            )
