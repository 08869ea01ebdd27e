"""Hardening, issue 16 (items 10 and 20): JSON and TOML nested a thousand deep, and a 100 MB state
file.

A 2 KB file of brackets inside brackets, as ``tui-state.json``, as the user themes file, as the
curated ``themes.toml``, as a file to import: one clear message each, never a RecursionError; the
app starts with the defaults. A state file over 1 MB is not read (treated as broken, said, moved
aside); what is kept of a state is bounded (searches, positions: the oldest dropped).
"""

from __future__ import annotations

import json

import pytest

from articles import small_library
from processes import measured
from glossator.index import paths
from glossator.index.library import Library
from glossator.index.themes import UserThemes, load_curated, user_themes_path
from glossator.tui.cli import main
from glossator.tui.state import (
    HISTORY_LIMIT,
    MAX_QUERY_CHARS,
    MAX_STATE_BYTES,
    POSITIONS_LIMIT,
    STATE_FILE,
    AppState,
    StateStore,
)

DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
DEEP_IN_PLACE = '{"theme": "nord", "history": ' + DEEP_ARRAY + "}"


@pytest.mark.parametrize("text", [DEEP_ARRAY, DEEP_OBJECT, DEEP_IN_PLACE])
def test_a_deep_state_file_gives_the_defaults_and_a_message(tmp_path, text):
    (tmp_path / STATE_FILE).write_text(text, "utf-8")
    store = StateStore(tmp_path)
    assert store.load() == AppState()
    assert store.problem == f"{tmp_path / STATE_FILE}: nested too deeply to be read (not a file "\
        "Glossator wrote)"
    assert store.set_aside() == tmp_path / (STATE_FILE + ".broken")
    assert (tmp_path / (STATE_FILE + ".broken")).read_text("utf-8") == text  # kept as it was


async def test_the_app_starts_with_defaults_on_a_deep_state_file(settle, warm_seed_index):
    from glossator.tui.app import make_app

    paths.data_dir().mkdir(parents=True)
    (paths.data_dir() / STATE_FILE).write_text(DEEP_OBJECT, "utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.main.reader.article is not None
        told = " ".join(n.message for n in app._notifications)
        assert "nested too deeply to be read" in told
        await pilot.press("q")
    assert (paths.data_dir() / (STATE_FILE + ".broken")).read_text("utf-8") == DEEP_OBJECT


def test_a_deep_user_themes_file_is_one_warning_and_the_other_themes_stay(tmp_path, capsys):
    lib = small_library(tmp_path / "lib")
    (lib / "themes.toml").write_text('[[theme]]\nname = "Rivers"\nquery = "river"\n', "utf-8")
    library = Library(lib)
    mine = user_themes_path(library)
    mine.parent.mkdir(parents=True)
    mine.write_text(DEEP_ARRAY, "utf-8")
    themes = UserThemes(mine)
    assert themes.themes() == []
    assert len(themes.warnings) == 1 and "nested too deeply to be read" in themes.warnings[0]
    assert main(["themes", "--json", "--library", str(lib)]) == 0
    out, err = capsys.readouterr()
    assert [t["name"] for t in json.loads(out) if t["kind"] == "curated"] == ["Rivers"]
    assert err.count("glossator: ") == 1 and "nested too deeply" in err
    assert mine.read_text("utf-8") == DEEP_ARRAY  # left as it is


def test_a_deep_curated_themes_file_is_one_warning(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "themes.toml").write_text("a = " + "[" * 1000 + "1" + "]" * 1000 + "\n", "utf-8")
    themes, warnings = load_curated(folder)
    assert themes == [] and len(warnings) == 1 and "nested too deeply" in warnings[0]


def test_a_huge_themes_file_is_not_read_whole(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    with open(folder / "themes.toml", "wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    themes, warnings = load_curated(folder)
    assert themes == [] and len(warnings) == 1
    assert warnings[0].endswith(
        "themes.toml: too large to be a themes file (over 4 MB); no curated themes loaded"
    )


@pytest.mark.parametrize("text", [DEEP_ARRAY, DEEP_OBJECT])
def test_a_deep_file_to_import_is_one_line(tmp_path, capsys, text):
    path = tmp_path / "deep.json"
    path.write_text(text, "utf-8")
    assert main(["notes", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"glossator: {path}") and err.count("\n") == 1


# -- a 100 MB state file, and what is kept -------------------------------------------------------


def test_a_huge_state_file_is_not_read_and_is_set_aside(tmp_path):
    path = tmp_path / STATE_FILE
    with open(path, "wb") as fh:  # a valid start, then 100 MB more
        fh.write(b'{"theme": "nord", "history": ["')
        fh.truncate(100 * 1024 * 1024)
    store = StateStore(tmp_path)
    assert store.load() == AppState()
    assert store.problem == (
        f"{path} is too large to be Glossator's (100.0 MB; it writes at most "
        f"{MAX_STATE_BYTES // (1024 * 1024)} MB)"
    )
    assert store.save(AppState(theme="nord"))  # moved aside first, never overwritten
    assert (tmp_path / (STATE_FILE + ".broken")).stat().st_size == 100 * 1024 * 1024
    assert StateStore(tmp_path).load().theme == "nord"


def test_loading_a_huge_state_file_costs_little_memory(tmp_path):
    path = tmp_path / STATE_FILE
    with open(path, "w", encoding="utf-8") as fh:  # 100 MB of searches, written in pieces
        fh.write('{"history": [')  # (a child's peak memory counts its parent's at the fork)
        entry = json.dumps("x" * 100)
        for _ in range(1000):
            fh.write(", ".join([entry] * 1000) + ", ")
        fh.write(entry + "]}")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from glossator.tui.state import StateStore\n"
        "store = StateStore(Path(sys.argv[1]))\n"
        "store.load()\n"
        "print(store.problem)\n"
    )
    peak, done = measured(code, tmp_path)
    print(f"\npeak RSS loading a 100 MB state file: {peak} MB")
    assert "too large" in done.stdout
    assert peak < 100  # 1.3 GB when it was read and parsed


def test_what_a_state_keeps_is_bounded_and_the_oldest_go_first():
    state = AppState()
    for i in range(POSITIONS_LIMIT + 50):
        state.remember_position(f"lib-{i}", f"article-{i}", i)
    state.remember_position("lib-10", "again", 3)  # read again: the most recent now
    assert len(state.positions) == POSITIONS_LIMIT
    assert "lib-0" not in state.positions and "lib-49" not in state.positions
    assert list(state.positions)[-1] == "lib-10"
    state.remember_search("x" * (MAX_QUERY_CHARS + 1))
    assert state.history == []

    data = state.to_json()
    data["positions"].update(
        {f"extra-{i}": {"article": "a", "sentence": 0} for i in range(POSITIONS_LIMIT)}
    )
    data["history"] = [f"q{i}" for i in range(HISTORY_LIMIT * 3)] + ["y" * (MAX_QUERY_CHARS + 1)]
    again = AppState.from_json(data)
    assert len(again.positions) == POSITIONS_LIMIT
    assert list(again.positions)[0] == "extra-0"  # the file's oldest went first
    assert len(again.history) == HISTORY_LIMIT and again.history[-1] == f"q{HISTORY_LIMIT * 3 - 1}"
    assert len(json.dumps(again.to_json())) < MAX_STATE_BYTES
