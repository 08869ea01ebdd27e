"""``glossator notes`` edit, delete, restore, deleted, label, backlinks, relink and recover."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .cli_notes import _library, _note_json, _print_notes, _reading_store, _store, _where, resolver
from .cli_notes_add import _give_back, _NotSaved, _read_stdin, _warn_unresolved

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from glossator.index.library import Library
    from glossator.index.notes import Note, NoteStore


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

    from .cli_common import _find_article

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

    from .cli_common import CliError

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
