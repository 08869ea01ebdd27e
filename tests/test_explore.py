"""Tests that explore: seeded random sessions press any binding of the app, random keys, typed
words (markup and escape codes among them) and mouse clicks, in every pane, at several terminal
sizes; after each step nothing has escaped, and what the app shows of the notes is what the store
holds.

CI runs a few seeds a size; ``GLOSSATOR_EXPLORE_SEEDS=200`` runs more (a seed that fails is
named in the failure, with the steps that led there, so it can be run again alone with
``GLOSSATOR_EXPLORE_ONLY=<size>:<seed>``).
"""

from __future__ import annotations

import os
import random
import string

import pytest
from textual.binding import Binding

from glossator.index.notes import NoteStore
from glossator.tui.app import make_app
from glossator.tui.widgets.notes_list import NotesList

pytestmark = pytest.mark.usefixtures("warm_seed_index")

SIZES = [(80, 24), (120, 40), (160, 48)]
SEEDS = int(os.environ.get("GLOSSATOR_EXPLORE_SEEDS", "2"))
STEPS = int(os.environ.get("GLOSSATOR_EXPLORE_STEPS", "40"))
ONLY = os.environ.get("GLOSSATOR_EXPLORE_ONLY")  # "80x24:7"
SPECIAL = [
    "enter", "escape", "tab", "shift+tab", "backspace", "delete", "up", "down", "left", "right",
    "home", "end", "pageup", "pagedown", "space", "ctrl+s", "ctrl+b", "ctrl+r", "ctrl+p",
    "ctrl+c", "ctrl+a", "ctrl+e", "ctrl+k", "ctrl+u", "ctrl+w", "f1", "insert",
]  # fmt: skip
WORDS = [
    "artillery", "shells", "sanctions", "Kim Jong Un", '"artillery shells"', "artill*",
    "artilery~", "title:sanctions", "#tag", "#evidence note", "[bold red]x[/]", "\x1b[2J",
    "AND OR NOT", "((", '"unbalanced', "*", "~", "D.P.R.K.", "a" * 60, "émigré ☃ 中文",
]  # fmt: skip
NEVER = {"ctrl+z"}  # suspends the process: not something a test terminal can take


def app_keys(app) -> list[str]:
    """Every key bound anywhere in the app (screens, widgets, dialogs)."""
    from glossator.tui import screens, widgets
    from glossator.tui.screens import (
        ask,
        details,
        help,
        jump_picker,
        label_picker,
        link_picker,
        note_editor,
        note_picker,
        notes_damaged,
        review,
        review_scope,
        theme_name,
    )
    from glossator.tui.screens import main as main_screen
    from glossator.tui.widgets import lists, notes_list, reader_keys, results, themes
    from glossator.tui.widgets import concordance, names, study, study_pane, words

    keys: set[str] = set()
    modules = [screens, widgets, details, help, note_editor, note_picker, notes_damaged]
    modules += [theme_name]
    modules += [lists, notes_list, reader_keys, results, themes]
    modules += [ask, jump_picker, label_picker, link_picker, review, review_scope, main_screen]
    modules += [concordance, names, study, study_pane, words]
    classes = [app.__class__] + [
        value for m in modules for value in vars(m).values() if isinstance(value, type)
    ]
    for cls in classes:
        for binding in getattr(cls, "BINDINGS", []):
            if isinstance(binding, Binding):
                keys.update(k.strip() for k in binding.key.split(","))
    keys.update(b.key for b in Binding.make_bindings(reader_keys.READER_BINDINGS))
    return sorted(keys - NEVER)


def shown_equals_stored(app) -> None:
    """The notes the app shows are the notes the store holds for this library."""
    main = app.main
    library = main.library
    if library is None or main.notes_part.damaged.path is not None:
        return
    with NoteStore(main.notes_part.path) as store:
        stored = {(n.id, n.text, n.sentence_id) for n in store.list(library.key)}
    held = {(n.id, n.text, n.sentence_id) for n in main.notes}
    assert held == stored, "the app's notes differ from the store's"
    listed = {(n.id, n.text, n.sentence_id) for n in main.query_one(NotesList).notes}
    assert listed == stored, "the Notes tab differs from the store"
    reader = main.reader
    if reader.article is not None:
        marked = {(n.id, n.text, n.sentence_id) for n in reader.notes}
        here = {s for s in stored if s[2] is not None}
        assert marked <= here, "the reader marks a note the store does not hold"


def sessions() -> list[tuple[tuple[int, int], int]]:
    if ONLY:
        size, seed = ONLY.split(":")
        w, h = size.split("x")
        return [((int(w), int(h)), int(seed))]
    return [(size, seed) for size in SIZES for seed in range(SEEDS)]


@pytest.mark.parametrize(("size", "seed"), sessions(), ids=lambda v: str(v))
async def test_random_sessions_never_crash_and_show_what_is_stored(size, seed, settle):
    rng = random.Random(f"{size}:{seed}")
    app = make_app()
    steps: list[str] = []
    try:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            keys = app_keys(app)
            for _ in range(STEPS):
                if not app.is_running:
                    break
                kind = rng.choices(["binding", "key", "word", "click"], [5, 3, 2, 2])[0]
                if kind == "binding":
                    press = [rng.choice(keys)]
                elif kind == "key":
                    press = [rng.choice(SPECIAL + list(string.ascii_letters + "0123456789"))]
                elif kind == "word":
                    press = list(rng.choice(WORDS))
                else:
                    x, y = rng.randrange(size[0]), rng.randrange(size[1])
                    steps.append(f"click {x},{y}")
                    await pilot.click(offset=(x, y), times=rng.choice([1, 1, 2]))
                    continue
                steps.append(f"{kind} {press!r}")
                await pilot.press(*press)
                if rng.random() < 0.25:
                    await settle(pilot)
                    if app.is_running and app.screen is app.main:
                        shown_equals_stored(app)
            if app.is_running:
                await settle(pilot)
                if app.screen is app.main:
                    shown_equals_stored(app)
    except Exception as exc:
        trail = "\n  ".join(steps[-25:])
        raise AssertionError(
            f"session {size[0]}x{size[1]}:{seed} failed: {exc!r}\nlast steps:\n  {trail}"
        ) from exc
    assert app.return_code in (None, 0), f"the app ended with {app.return_code}"
