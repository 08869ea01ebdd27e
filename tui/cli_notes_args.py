"""The ``glossator notes`` command line: its actions and their options (argparse only)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add the ``notes`` command and its actions to the command line's subparsers."""
    from .cli_common import _library_option

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
