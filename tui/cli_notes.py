"""``glossator notes``: add, list, export, import and recover notes tied to sentences.

Importing this module is cheap (argparse only); the notes store and the index are imported when
a command runs. Every failure is one ``glossator: …`` line on stderr with exit status 2, with one
exception, so that nothing typed is lost: when ``add`` cannot save a note because of the disk or
the data folder, or after reading its text from stdin, the note's text follows the message.

A damaged notes file is never written to: every action refuses it, naming the file, and
``glossator notes recover`` (run by the person, never automatically) moves it aside to
``notes.sqlite3.corrupt-<time>`` and starts a fresh file with every note that can still be read.
Export writes only to the file named with ``-o`` (or stdout); no path in the data is followed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glossator.index.library import Library
    from glossator.index.model import Article
    from glossator.index.notes import Note, NoteStore

MAX_IMPORT_BYTES = 64 * 1024 * 1024


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add the ``notes`` command and its actions to the command line's subparsers."""
    from .cli import _library_option

    p = sub.add_parser("notes", help="notes tied to sentences: add, list, export, import")
    _library_option(p)
    actions = p.add_subparsers(dest="notes_command", metavar="ACTION", required=True)

    a = actions.add_parser("add", help="add a note to a sentence (or a run of sentences)")
    a.add_argument("--article", required=True, metavar="ID", help="an article id (or prefix)")
    a.add_argument(
        "--sentence",
        required=True,
        type=int,
        metavar="N",
        help="the sentence shown as §N (numbered from 1, as in the app and `show`)",
    )
    a.add_argument(
        "--to", type=int, default=None, metavar="M", help="the last sentence of a run, §M"
    )
    a.add_argument("--text", required=True, help="the note; #words are tags; - reads stdin")
    _library_option(a)

    a = actions.add_parser("list", help="list the notes, re-anchored in the current articles")
    a.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(a)

    a = actions.add_parser("export", help="write the notes as Markdown or Web Annotation JSON")
    a.add_argument("--format", choices=("md", "json"), default="md", help="md (default) or json")
    a.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
    _library_option(a)

    a = actions.add_parser("import", help="read notes from a Web Annotation JSON file")
    a.add_argument("file", type=Path, metavar="FILE")
    _library_option(a)

    a = actions.add_parser(
        "recover",
        help="set a damaged notes file aside and start afresh with the notes still readable",
    )
    _library_option(a)


RECOVER_HINT = (
    "`glossator notes recover` moves it aside and starts a fresh notes file "
    "with every note that can still be read"
)


def run(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.notes import NoteError, NoteNotFound, NoteStoreCorrupt, NoteStoreError
    from glossator.index.textutil import neutralise

    from .cli import CliError

    action = {
        "add": _add,
        "list": _list,
        "export": _export,
        "import": _import,
        "recover": _recover,
    }
    try:
        return action[args.notes_command](args, library_dir)
    except NoteStoreCorrupt as exc:
        raise CliError(f"{neutralise(str(exc))}; {RECOVER_HINT}") from exc
    except (NoteStoreError, NoteError, NoteNotFound) as exc:
        raise CliError(neutralise(str(exc))) from exc


# -- helpers ----------------------------------------------------------------------------------


def _store() -> NoteStore:
    from glossator.index.notes import NoteStore

    return NoteStore()


def _library(library_dir: Path | None) -> Library:
    from .cli import open_library

    library, _ = open_library(library_dir, quiet=True)
    return library


class _Articles(Mapping):
    """The library's articles by id, each read from the index when first asked for."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._ids = [a.id for a in library.articles()]
        self._known = set(self._ids)
        self._cache: dict[str, Article | None] = {}

    def get_article(self, article_id: str) -> Article | None:
        if article_id not in self._known:
            return None
        if article_id not in self._cache:
            self._cache[article_id] = self._library.article(article_id)
        return self._cache[article_id]

    def __getitem__(self, article_id: str) -> Article:
        article = self.get_article(article_id)
        if article is None:
            raise KeyError(article_id)
        return article

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def _current_notes(store: NoteStore, library: Library) -> tuple[list[Note], _Articles]:
    """The library's notes after re-anchoring those whose article changed or went."""
    articles = _Articles(library)
    store.reanchor_library(library.key, articles.get_article)
    return store.list(library.key), articles


# -- actions ----------------------------------------------------------------------------------


def _add(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.textutil import neutralise

    from .cli import EXIT_USAGE, CliError

    from_stdin = args.text == "-"
    text = sys.stdin.read() if from_stdin else args.text
    if not text.strip():
        raise CliError("the note text is empty")
    try:
        return _add_text(args, library_dir, text)
    except Exception as exc:
        from glossator.index.notes import NoteStoreCorrupt, NoteStoreError

        store_failed = isinstance(exc, NoteStoreError) and not isinstance(exc, NoteStoreCorrupt)
        if not (from_stdin or store_failed) or not isinstance(exc, (CliError, NoteStoreError)):
            raise
        # The note was not saved: say why, then give its text back so nothing typed is lost.
        message = str(exc)
        if isinstance(exc, NoteStoreCorrupt):
            message = f"{message}; {RECOVER_HINT}"
        status = exc.status if isinstance(exc, CliError) else EXIT_USAGE
        print(f"glossator: {neutralise(message)}", file=sys.stderr)
        print("glossator: the note was not saved; its text follows:", file=sys.stderr)
        print(neutralise(text.rstrip("\n")), file=sys.stderr)
        return status


def _add_text(args: argparse.Namespace, library_dir: Path | None, text: str) -> int:
    from glossator.index.textutil import neutralise

    from .cli import EXIT_USAGE, CliError, _find_article

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
        note = store.add(library.key, article, args.sentence - 1, last - 1, text)
    sys.stdout.write(note.id + "\n")
    return 0


def _list(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.model import sentence_number
    from glossator.index.textutil import neutralise, safe_json

    library = _library(library_dir)
    with _store() as store:
        notes, _ = _current_notes(store, library)
    if args.json:
        sys.stdout.write(
            safe_json(
                [
                    {
                        "id": n.id,
                        "article_id": n.article_id,
                        "sentence": sentence_number(n.sentence_id),  # §N, from 1
                        "last_sentence": sentence_number(n.last_sentence_id),
                        "quote": n.exact,
                        "text": n.text,
                        "tags": list(n.tags),
                        "status": n.status,
                        "created": n.created,
                        "updated": n.updated,
                    }
                    for n in notes
                ]
            )
        )
        return 0
    if not notes:
        sys.stdout.write("No notes.\n")
        return 0
    lines: list[str] = []
    for n in notes:
        if n.sentence_id is None:
            where = "passage not found"
        elif n.last_sentence_id in (None, n.sentence_id):
            where = f"§{n.sentence_id + 1}"  # numbered from 1 for people, as in the app
        else:
            where = f"§{n.sentence_id + 1}–{n.last_sentence_id + 1}"
        lines.append(f"{n.id}  {n.article_id}  {where}  [{n.status}]  {n.created}")
        quote = " ".join(n.exact.split())
        if len(quote) > 160:
            quote = quote[:159] + "…"
        lines.append(f"  > {quote}")
        lines += [f"  {line}" for line in n.text.splitlines()]
        if n.tags:
            lines.append("  tags: " + " ".join(f"#{t}" for t in n.tags))
        lines.append("")
    sys.stdout.write(neutralise("\n".join(lines)))
    return 0


def _export(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.export import to_markdown, to_web_annotation
    from glossator.index.textutil import neutralise, safe_json

    from .cli import CliError

    output: Path | None = args.output
    if output is not None and (output.is_dir() or not output.parent.is_dir()):
        raise CliError(f"cannot write {output}: not a file in an existing folder")
    library = _library(library_dir)
    with _store() as store:
        notes, articles = _current_notes(store, library)
    infos = {a.id: a for a in library.articles()}
    if args.format == "json":
        text = safe_json(to_web_annotation(notes, library, infos))
    else:
        text = neutralise(to_markdown(notes, infos))  # to be read, in a terminal too
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror or exc}") from exc
    plural = "note" if len(notes) == 1 else "notes"
    print(f"wrote {len(notes)} {plural} to {neutralise(str(output))}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.export import import_annotations
    from glossator.index.textutil import neutralise

    from .cli import CliError

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
    except (UnicodeDecodeError, ValueError) as exc:
        raise CliError(f"{shown} is not a JSON file: {exc}") from exc
    library = _library(library_dir)
    with _store() as store:
        store.reanchor_library(library.key, _Articles(library).get_article)
        try:
            added, skipped = import_annotations(store, library.key, data, _Articles(library))
        except ValueError as exc:
            raise CliError(f"{shown}: {exc}") from exc
    plural = "note" if added == 1 else "notes"
    sys.stdout.write(f"imported {added} {plural}, skipped {skipped}\n")
    return 0


def _recover(args: argparse.Namespace, library_dir: Path | None) -> int:
    """Set a damaged notes file aside and start afresh; a sound file is left alone."""
    from glossator.index.notes import NoteStore, NoteStoreCorrupt, default_path
    from glossator.index.textutil import neutralise

    path = default_path()
    try:
        NoteStore(path).close()
    except NoteStoreCorrupt:
        pass
    else:
        sys.stdout.write(f"the notes file {neutralise(str(path))} is sound; nothing to recover\n")
        return 0
    store, aside, saved = NoteStore.recover(path)
    store.close()
    plural = "note" if saved == 1 else "notes"
    sys.stdout.write(
        f"moved the damaged notes file to {neutralise(str(aside))} (left as it was)\n"
        f"started a fresh notes file {neutralise(str(path))} with {saved} {plural} read from it\n"
    )
    return 0
