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
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_notes_args import add_parser  # noqa: F401 (cli.py adds the command from here)

if TYPE_CHECKING:
    from glossator.index.library import Library
    from glossator.index.model import Article
    from glossator.index.notes import Note, NoteStore

RECOVER_HINT = (
    "`glossator notes recover` moves it aside and starts a fresh notes file "
    "with every note that can still be read"
)


def run(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.notes import NoteError, NoteNotFound, NoteStoreCorrupt, NoteStoreError
    from glossator.index.output import OutputRefused
    from glossator.index.textutil import neutralise

    from . import cli_notes_add as add
    from . import cli_notes_edit as edit
    from . import cli_notes_io as io
    from .cli_common import CliError

    action = {
        "add": add._add,
        "list": _list,
        "export": io._export,
        "import": io._import,
        "recover": edit._recover,
        "edit": edit._edit,
        "delete": edit._delete,
        "restore": edit._restore,
        "deleted": edit._deleted,
        "label": edit._label,
        "backlinks": edit._backlinks,
        "relink": edit._relink,
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
        from .cli_common import _find_article

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
    from .cli_common import CliError, _find_article

    def resolve(article_part: str) -> Article | None:
        try:
            return library.article(_find_article(library, article_part))
        except CliError:
            return None

    return resolve


def _library(library_dir: Path | None) -> Library:
    from .cli_common import open_library

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
