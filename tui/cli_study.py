"""``glossator labels`` (the codebook) and ``glossator review`` (spaced review with FSRS).

Importing this module is cheap (argparse only). Every failure is one ``glossator: …`` line on
stderr with exit status 2. Each rating given with ``review --rate`` is committed before the
command says so.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glossator.index.library import Library
    from glossator.index.notes import NoteStore
    from glossator.index.review import Scope
    from glossator.index.themes import Theme


def add_parsers(sub: argparse._SubParsersAction) -> None:
    from .cli_common import _library_option
    from .cli_notes_args import _filter_options

    p = sub.add_parser("labels", help="your codebook of labels: list, add, edit, remove")
    actions = p.add_subparsers(dest="labels_command", metavar="ACTION")
    a = actions.add_parser("list", help="the labels, with their colours and keys")
    a.add_argument("--json", action="store_true", help="print JSON instead of text")
    a = actions.add_parser("add", help="a new label")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--colour", "--color", default="yellow", metavar="C", help=_colours())
    a.add_argument("--key", type=int, default=None, metavar="N", help="its key, 1 to 9")
    a = actions.add_parser("edit", help="rename a label, or change its colour or key")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--name", dest="new_name", default=None, metavar="NEW")
    a.add_argument("--colour", "--color", default=None, metavar="C", help=_colours())
    a.add_argument("--key", type=int, default=None, metavar="N", help="its key, 1 to 9")
    a.add_argument("--no-key", action="store_true", help="take its key away")
    a = actions.add_parser("remove", help="take a label out of the codebook and off every note")
    a.add_argument("name", metavar="NAME")
    p.add_argument("--json", action="store_true", help=argparse.SUPPRESS)

    p = sub.add_parser("review", help="spaced review of your notes and highlights (FSRS)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--due", action="store_true", help="list what is due now (the default)")
    what.add_argument("--stats", action="store_true", help="reviews per day and retention")
    what.add_argument(
        "--rate", nargs=2, metavar=("ID", "RATING"), help="rate a card: again, hard, good, easy"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--theme", default=None, metavar="NAME", help="only a theme's passages")
    p.add_argument("--days", type=int, default=30, metavar="N", help="--stats over N days")
    _filter_options(p)
    _library_option(p)


def _colours() -> str:
    from glossator.index.notes import COLOURS

    return "one of " + ", ".join(COLOURS)


def _store() -> NoteStore:
    from glossator.index.notes import NoteStore

    return NoteStore()


def run_labels(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.notes import NoteError, NoteNotFound, NoteStoreError
    from glossator.index.textutil import neutralise, safe_json

    from .cli_common import CliError
    from .cli_notes import tell

    command = args.labels_command or "list"
    try:
        store = _store()
    except NoteStoreError as exc:
        raise CliError(neutralise(str(exc))) from exc
    try:
        if command == "add":
            label = store.add_label(args.name, args.colour, args.key)
            sys.stdout.write(f"added label {neutralise(label.name)}\n")
        elif command == "edit":
            key = None if args.no_key else args.key
            changes: dict = {"new_name": args.new_name, "colour": args.colour}
            if args.no_key or args.key is not None:
                changes["key"] = key
            label = store.edit_label(args.name, **changes)
            sys.stdout.write(f"label {neutralise(label.name)}: {label.colour}, key {label.key}\n")
        elif command == "remove":
            count = store.remove_label(args.name)
            sys.stdout.write(
                f"removed label {neutralise(args.name)} (it was on {count} "
                f"note{'' if count == 1 else 's'})\n"
            )
        else:
            labels = store.labels()
            if getattr(args, "json", False):
                sys.stdout.write(safe_json([lb.to_json() for lb in labels]))
            elif not labels:
                sys.stdout.write("No labels yet; `glossator labels add NAME --key 1` makes one.\n")
            else:
                for lb in labels:
                    key = str(lb.key) if lb.key is not None else "-"
                    sys.stdout.write(f"{key}  {neutralise(lb.name)}  ({lb.colour})\n")
    except (NoteError, NoteNotFound, NoteStoreError) as exc:
        raise CliError(neutralise(str(exc))) from exc
    finally:
        tell(store)
        store.close()
    return 0


def _scope(args: argparse.Namespace, library: Library, store: NoteStore) -> Scope:
    from glossator.index.review import Scope, theme_scope

    from .cli_common import CliError, _find_article

    article = _find_article(library, args.article) if args.article else None
    if args.label:
        store.label(args.label)
    scope = Scope(label=args.label, tag=args.tag, article=article)
    if args.theme:
        theme = _find_theme(library, args.theme)
        if theme is None:
            raise CliError(f"no theme {args.theme!r}; `glossator themes` lists them")
        themed = theme_scope(library, theme, store)
        scope = Scope(args.label, args.tag, article, themed.note_ids, themed.name)
    return scope


def _find_theme(library: Library, name: str) -> Theme | None:
    from glossator.index import themes

    wanted = name.strip().casefold()
    curated, _ = themes.load_curated(library.folder)
    for theme in [*curated, *themes.UserThemes.for_library(library).themes()]:
        if theme.name.casefold() == wanted:
            return theme
    return next((t for t in themes.discover(library) if t.name.casefold() == wanted), None)


def run_review(args: argparse.Namespace, library_dir: Path | None) -> int:
    from glossator.index.notes import NoteError, NoteNotFound, NoteStoreCorrupt, NoteStoreError
    from glossator.index.review import Review
    from glossator.index.textutil import neutralise, safe_json

    from .cli_common import CliError
    from .cli_notes import RECOVER_HINT, _current_notes, _library, tell

    if args.days < 1:
        raise CliError("--days must be 1 or more")
    library = _library(library_dir)
    try:
        store = _store()
        try:
            _current_notes(store, library)
        except NoteStoreError:
            store.close()
            raise
    except NoteStoreCorrupt as exc:
        raise CliError(f"{neutralise(str(exc))}; {RECOVER_HINT}") from exc
    except NoteStoreError as exc:
        if args.rate:  # a rating must be saved: say why it cannot be
            raise CliError(neutralise(str(exc))) from exc
        from glossator.index.notes import NoteStore

        from .cli_notes import _short

        store = NoteStore.snapshot(why=_short(str(exc)))  # reading needs no write
        _current_notes(store, library)
    try:
        review = Review(store, library.key)
        if args.rate:
            note_id = store.resolve_id(args.rate[0], library.key)
            card = review.rate(note_id, args.rate[1])
            if args.json:
                sys.stdout.write(safe_json(card.to_json()))
            else:
                sys.stdout.write(f"{card.note.id}: {card.state}, due {card.to_json()['due']}\n")
            return 0
        if args.stats:
            stats = review.stats(days=args.days)
            if args.json:
                sys.stdout.write(safe_json(stats.to_json()))
                return 0
            retention = "-" if stats.retention is None else f"{stats.retention:.0%}"
            out = [
                f"{stats.cards} cards: {stats.new} new, {stats.due_today} due today; "
                f"{stats.reviews} reviews in {args.days} days, retention {retention}",
            ]
            out += [
                f"  {d.day}  {d.reviews:4d}  (again {d.again})" for d in stats.days if d.reviews
            ]
            sys.stdout.write("\n".join(out) + "\n")
            return 0
        scope = _scope(args, library, store)
        cards = review.due(scope=scope)
        if args.json:
            sys.stdout.write(safe_json([c.to_json() for c in cards]))
            return 0
        if not cards:
            sys.stdout.write(f"Nothing due ({neutralise(scope.describe())}).\n")
            return 0
        lines = [f"{len(cards)} due ({neutralise(scope.describe())})"]
        for c in cards:
            n = c.note
            where = "passage not found" if n.sentence_id is None else f"§{n.sentence_id + 1}"
            lines.append(f"{n.id}  {n.article_id}  {where}  [{c.state}]")
            quote = " ".join(n.exact.split())
            lines.append("  > " + (quote[:159] + "…" if len(quote) > 160 else quote))
        sys.stdout.write(neutralise("\n".join(lines)) + "\n")
        return 0
    except (NoteError, NoteNotFound, NoteStoreError) as exc:
        raise CliError(neutralise(str(exc))) from exc
    finally:
        tell(store)
        store.close()
