"""``glossator notes``: add, list, export, import and recover notes tied to sentences.

Importing this module is cheap (argparse only); the notes store and the index are imported when
a command runs. Every failure is one ``glossator: …`` line on stderr with exit status 2, with one
exception, so that nothing typed is lost: when ``add`` cannot save a note because of the disk or
the data folder, or after reading its text from stdin, the note's text follows the message.

A damaged notes file is never written to: every action refuses it, naming the file, and
``glossator notes recover`` (run by the person, never automatically) moves it aside to
``notes.sqlite3.corrupt-<time>`` and starts a fresh file with every note that can still be read.
Export writes only to the file named with ``-o`` (or stdout), never onto the notes file or
anything in Glossator's own folders, and whole or not at all; no path in the data is followed.
Listing and exporting need no write: when the notes file cannot be written (a full disk, a
read-only folder) they read it into memory and say so. Whatever the store has to tell (a foreign
file set aside, a notes file deleted under it, notes adopted from a moved library) is said on
stderr as ``glossator: …`` lines.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Mapping
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
    a.add_argument(
        "--text",
        default=None,
        help="the note; #words are tags, [[004 §7]] links a sentence; - reads stdin",
    )
    a.add_argument(
        "--highlight", action="store_true", help="a highlight: the passage marked, no text needed"
    )
    a.add_argument(
        "--label", action="append", default=[], metavar="NAME", help="a label (repeatable)"
    )
    _library_option(a)

    a = actions.add_parser("list", help="list the notes, re-anchored in the current articles")
    a.add_argument("--json", action="store_true", help="print JSON instead of text")
    _filter_options(a, kind=True)
    _library_option(a)

    a = actions.add_parser(
        "export", help="write the notes as Markdown, Web Annotation JSON, an Anki deck or CSV"
    )
    a.add_argument(
        "--format",
        choices=("md", "json", "anki", "csv"),
        default="md",
        help="md (default), json (W3C Web Annotation), anki (.apkg, needs -o) or csv",
    )
    a.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
    _filter_options(a, kind=True)
    _library_option(a)

    a = actions.add_parser("import", help="read notes from a Web Annotation JSON file")
    a.add_argument("file", type=Path, metavar="FILE")
    _library_option(a)

    a = actions.add_parser("edit", help="change a note's text (tags and links follow it)")
    a.add_argument("id", metavar="ID", help="the note's id (or its first characters)")
    a.add_argument("--text", required=True, help="the new text; - reads stdin")
    a.add_argument(
        "--expected-version",
        type=int,
        default=None,
        metavar="V",
        help="the version you edited; if the note changed since, your text is kept as a "
        "conflict copy",
    )
    _library_option(a)

    a = actions.add_parser("delete", help="delete a note (it can be restored)")
    a.add_argument("id", metavar="ID")
    _library_option(a)

    a = actions.add_parser("restore", help="bring back a deleted note")
    a.add_argument("id", metavar="ID")
    _library_option(a)

    a = actions.add_parser("deleted", help="the notes deleted in the last 30 days")
    a.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(a)

    a = actions.add_parser("label", help="give a note labels (or take them off with --remove)")
    a.add_argument("id", metavar="ID")
    a.add_argument("names", nargs="+", metavar="LABEL")
    a.add_argument("--remove", action="store_true", help="take these labels off")
    _library_option(a)

    a = actions.add_parser(
        "backlinks", help="the notes whose [[links]] point at an article (or one sentence)"
    )
    a.add_argument("--article", required=True, metavar="ID")
    a.add_argument("--sentence", type=int, default=None, metavar="N", help="§N, from 1")
    a.add_argument("--json", action="store_true", help="print JSON instead of text")
    _library_option(a)

    a = actions.add_parser(
        "relink", help="move the notes of library folder OLD (moved or renamed) to folder NEW"
    )
    a.add_argument("old", type=Path, metavar="OLD")
    a.add_argument("new", type=Path, metavar="NEW")

    a = actions.add_parser(
        "recover",
        help="set a damaged notes file aside and start afresh with the notes still readable",
    )
    _library_option(a)


def _filter_options(p: argparse.ArgumentParser, kind: bool = False) -> None:
    p.add_argument("--label", default=None, metavar="NAME", help="only notes with this label")
    p.add_argument("--tag", default=None, metavar="TAG", help="only notes with this #tag")
    p.add_argument("--article", default=None, metavar="ID", help="only notes on this article")
    if kind:
        p.add_argument(
            "--kind", choices=("note", "highlight"), default=None, help="notes or highlights only"
        )


RECOVER_HINT = (
    "`glossator notes recover` moves it aside and starts a fresh notes file "
    "with every note that can still be read"
)


def run(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.notes import NoteError, NoteNotFound, NoteStoreCorrupt, NoteStoreError
    from glossator.index.output import OutputRefused
    from glossator.index.textutil import neutralise

    from .cli import CliError

    action = {
        "add": _add,
        "list": _list,
        "export": _export,
        "import": _import,
        "recover": _recover,
        "edit": _edit,
        "delete": _delete,
        "restore": _restore,
        "deleted": _deleted,
        "label": _label,
        "backlinks": _backlinks,
        "relink": _relink,
    }
    try:
        return action[args.notes_command](args, library_dir)
    except NoteStoreCorrupt as exc:
        raise CliError(f"{neutralise(str(exc))}; {RECOVER_HINT}") from exc
    except (NoteStoreError, NoteError, NoteNotFound) as exc:
        raise CliError(neutralise(str(exc))) from exc
    except OutputRefused as exc:
        raise CliError(neutralise(str(exc))) from exc


# -- helpers ----------------------------------------------------------------------------------


def tell(store: NoteStore) -> None:
    """Say on stderr what the store has to tell (each once)."""
    from glossator.index.textutil import neutralise

    for notice in store.notices:
        print(f"glossator: {neutralise(notice)}", file=sys.stderr)
    store.notices.clear()


@contextlib.contextmanager
def _store() -> Iterator[NoteStore]:
    """The notes store, its notices said on stderr after each use."""
    from glossator.index.notes import NoteStore

    store = NoteStore()
    try:
        yield store
    finally:
        tell(store)
        store.close()


@contextlib.contextmanager
def _reading_store(library: Library) -> Iterator[tuple[NoteStore, list[Note], _Articles]]:
    """The store and the library's current notes, for commands that only read: if the notes
    file cannot be written (full disk, read-only folder), it is read into memory instead, and
    that is said once."""
    from glossator.index.notes import NoteStore, NoteStoreCorrupt, NoteStoreError

    store: NoteStore | None = None
    try:
        store = NoteStore()
        notes, articles = _current_notes(store, library)
    except NoteStoreCorrupt:
        if store is not None:
            store.close()
        raise
    except NoteStoreError as exc:
        if store is not None:
            tell(store)
            store.close()
        store = NoteStore.snapshot(why=_short(str(exc)))
        notes, articles = _current_notes(store, library)
    try:
        yield store, notes, articles
    finally:
        tell(store)
        store.close()


def _short(message: str) -> str:
    """The reason in a store's message, without the file's name said again."""
    for cut in (": ", "; "):
        if cut in message:
            return message.split(cut, 1)[1].split("; nothing")[0]
    return message


def _filtered(store: NoteStore, library: Library, args: argparse.Namespace) -> list[Note]:
    article = None
    if getattr(args, "article", None):
        from .cli import _find_article

        article = _find_article(library, args.article)
    if args.label:
        store.label(args.label)  # NoteNotFound: no such label, said as such
    return store.list(
        library.key,
        label=args.label,
        tag=args.tag,
        article=article,
        kind=getattr(args, "kind", None),
    )


def resolver(library: Library) -> Callable[[str], Article | None]:
    """Finds the article of a ``[[004 §7]]`` link: an id or an id prefix, as `show` takes."""
    from .cli import CliError, _find_article

    def resolve(article_part: str) -> Article | None:
        try:
            return library.article(_find_article(library, article_part))
        except CliError:
            return None

    return resolve


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
    """The library's notes after re-anchoring those whose article changed or went (and after
    adopting the notes of a library folder that moved here)."""
    articles = _Articles(library)
    store.adopt_moved(library.key, library.folder, articles.get_article)
    store.reanchor_library(library.key, articles.get_article)
    return store.list(library.key), articles


def _cited(note: Note, articles: _Articles) -> str:
    """The note's passage cited as a reader writes it (authors, title, outlet, date, URL, §N or
    the page), corrections applied."""
    from glossator.index.export import note_citation

    return note_citation(note, articles.get_article(note.article_id))


# -- actions ----------------------------------------------------------------------------------


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

    from .cli import EXIT_USAGE

    print(f"glossator: {neutralise(message)}", file=sys.stderr)
    print("glossator: the note was not saved; its text follows:", file=sys.stderr)
    # (a character that cannot be written, a lone surrogate, is shown as its escape)
    shown = text.rstrip("\n").encode("utf-8", "backslashreplace").decode("utf-8")
    print(neutralise(shown), file=sys.stderr)
    return EXIT_USAGE


def _add(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.notes import NoteError, NoteStoreCorrupt, NoteStoreError

    from .cli import CliError

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


def _where(first: int | None, last: int | None) -> str:
    if first is None:
        return "passage not found"
    if last in (None, first):
        return f"§{first + 1}"  # numbered from 1 for people, as in the app
    return f"§{first + 1}–{(last or first) + 1}"


def _note_json(n: Note, citation: str | None = None) -> dict:
    from glossator.index.model import sentence_number

    cited = {"citation": citation} if citation is not None else {}
    return cited | {
        "id": n.id,
        "kind": n.kind,
        "article_id": n.article_id,
        "sentence": sentence_number(n.sentence_id),  # §N, from 1
        "last_sentence": sentence_number(n.last_sentence_id),
        "quote": n.exact,
        "text": n.text,
        "tags": list(n.tags),
        "labels": list(n.labels),
        "links": [k.to_json() for k in n.links],
        "status": n.status,
        "version": n.version,
        "conflict_of": n.conflict_of,
        "created": n.created,
        "updated": n.updated,
    }


def _note_lines(n: Note, citation: str | None = None) -> list[str]:
    from glossator.index.links import links_line

    flags = f"  [{n.status}]" + ("  [highlight]" if n.is_highlight else "")
    if n.conflict_of:
        flags += f"  [conflict copy of {n.conflict_of}]"
    if n.deleted:
        flags += f"  [deleted {n.deleted}]"
    lines = [
        f"{n.id}  {n.article_id}  {_where(n.sentence_id, n.last_sentence_id)}{flags}  {n.created}"
    ]
    quote = " ".join(n.exact.split())
    if len(quote) > 160:
        quote = quote[:159] + "…"
    lines.append(f"  > {quote}")
    if citation is not None:
        lines.append(f"  — {citation}")
    lines += [f"  {line}" for line in n.text.splitlines()]
    if n.links:
        lines.append(f"  {links_line(n)}")
    if n.labels:
        lines.append("  labels: " + ", ".join(n.labels))
    if n.tags:
        lines.append("  tags: " + " ".join(f"#{t}" for t in n.tags))
    lines.append("")
    return lines


def _print_notes(
    notes: list[Note], as_json: bool, none: str = "No notes.", articles: _Articles | None = None
) -> None:
    """The notes as text or JSON; given the library's ``articles``, each with its citation."""
    from glossator.index.textutil import neutralise, safe_json

    cited = {n.id: _cited(n, articles) for n in notes} if articles is not None else {}
    if as_json:
        sys.stdout.write(safe_json([_note_json(n, cited.get(n.id)) for n in notes]))
        return
    if not notes:
        sys.stdout.write(none + "\n")
        return
    lines: list[str] = []
    for n in notes:
        lines += _note_lines(n, cited.get(n.id))
    sys.stdout.write(neutralise("\n".join(lines)))


def _list(args: argparse.Namespace, library_dir: Path | None) -> int:
    library = _library(library_dir)
    with _reading_store(library) as (store, notes, articles):
        if args.label or args.tag or args.article or args.kind:
            notes = _filtered(store, library, args)
    _print_notes(notes, args.json, articles=articles)
    return 0


def _export(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.anki import to_apkg, to_csv
    from glossator.index.export import to_markdown, to_web_annotation
    from glossator.index.notes import default_path
    from glossator.index.output import check_target, write_atomically
    from glossator.index.textutil import neutralise, safe_json

    from .cli import CliError

    output: Path | None = args.output
    if output is not None and (output.is_dir() or not output.parent.is_dir()):
        raise CliError(f"cannot write {output}: not a file in an existing folder")
    if args.format == "anki" and output is None:
        raise CliError("an Anki deck is a file: give it with -o deck.apkg")
    if output is not None:
        check_target(output, default_path())
    library = _library(library_dir)
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


def _one_note(store: NoteStore, library: Library, prefix: str) -> str:
    return store.resolve_id(prefix, library.key)


def _edit(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.textutil import neutralise

    from_stdin = args.text == "-"
    try:
        text = _read_stdin() if from_stdin else args.text
    except _NotSaved as exc:
        return _give_back(str(exc), exc.text)
    library = _library(library_dir)
    try:
        with _store() as store:
            note_id = _one_note(store, library, args.id)
            saved = store.save(note_id, text, args.expected_version, resolver(library))
    except Exception as exc:
        from glossator.index.notes import NoteError, NoteStoreCorrupt, NoteStoreError

        if isinstance(exc, (NoteStoreError, NoteError)) and not isinstance(exc, NoteStoreCorrupt):
            return _give_back(str(exc), text)
        raise
    _warn_unresolved(saved.note)
    if saved.conflict:
        print(
            f"glossator: note {neutralise(note_id)} was changed elsewhere since version "
            f"{args.expected_version}; its text is kept, and yours is saved beside it as the "
            f"conflict copy {saved.note.id}",
            file=sys.stderr,
        )
    elif saved.was_deleted:
        print(
            f"glossator: note {neutralise(note_id)} had been deleted; your edit brought it back",
            file=sys.stderr,
        )
    sys.stdout.write(f"{saved.note.id} version {saved.note.version}\n")
    return 0


def _delete(args: argparse.Namespace, library_dir: Path | None) -> int:
    note = _change(args, library_dir, "delete")
    sys.stdout.write(f"deleted {note.id} (`glossator notes restore {note.id[:8]}` undoes it)\n")
    return 0


def _restore(args: argparse.Namespace, library_dir: Path | None) -> int:
    sys.stdout.write(f"restored {_change(args, library_dir, 'restore').id}\n")
    return 0


def _change(args: argparse.Namespace, library_dir: Path | None, how: str) -> Note:
    library = _library(library_dir)
    with _store() as store:
        note_id = _one_note(store, library, args.id)
        return store.delete(note_id) if how == "delete" else store.restore(note_id)


def _deleted(args: argparse.Namespace, library_dir: Path | None) -> int:
    library = _library(library_dir)
    with _reading_store(library) as (store, _, _):
        notes = store.recently_deleted(library.key)
    _print_notes(notes, args.json, none="No notes deleted in the last 30 days.")
    return 0


def _label(args: argparse.Namespace, library_dir: Path | None) -> int:
    library = _library(library_dir)
    with _store() as store:
        note_id = _one_note(store, library, args.id)
        if args.remove:
            for name in args.names:
                note = store.unlabel(note_id, name)
        else:
            note = store.set_labels(note_id, args.names, add=True)
    sys.stdout.write(f"{note.id} labels: {', '.join(note.labels) or '(none)'}\n")
    return 0


def _backlinks(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.textutil import neutralise, safe_json

    from .cli import _find_article

    library = _library(library_dir)
    article_id = _find_article(library, args.article)
    sentence = None if args.sentence is None else args.sentence - 1
    with _reading_store(library) as (store, _, _):
        found = store.backlinks(library.key, article_id, sentence)
    if args.json:
        sys.stdout.write(
            safe_json([{"link": b.link.to_json(), "note": _note_json(b.note)} for b in found])
        )
        return 0
    if not found:
        sys.stdout.write("No links point here.\n")
        return 0
    lines = []
    for b in found:
        target = _where(b.link.sentence_id, b.link.last_sentence_id)
        source = _where(b.note.sentence_id, b.note.last_sentence_id)
        lines.append(f"{target} ← {b.note.id}  {b.note.article_id}  {source}")
        lines += [f"  {line}" for line in b.note.text.splitlines()]
    sys.stdout.write(neutralise("\n".join(lines)) + "\n")
    return 0


def _relink(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.paths import library_key
    from glossator.index.textutil import neutralise

    from .cli import CliError

    old, new = args.old.expanduser(), args.new.expanduser()
    if not new.is_dir():
        raise CliError(f"{new} is not a folder")
    old_key, new_key = library_key(old), library_key(new)
    if old_key == new_key:
        raise CliError("OLD and NEW are the same folder")
    with _store() as store:
        if not store.list(old_key, include_deleted=True):
            raise CliError(f"no notes belong to the library folder {old}")
        moved = store.relink(old_key, new_key)
        store.register_library(new_key, new.resolve())
    plural = "note" if moved == 1 else "notes"
    sys.stdout.write(
        f"moved {moved} {plural} from {neutralise(str(old))} to {neutralise(str(new))}; "
        "they are re-anchored in its articles when next listed or opened\n"
    )
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
