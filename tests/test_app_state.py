"""The reading app's state file: defaults, atomic writes, a broken file never stops the app."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from glossator.tui.state import HISTORY_LIMIT, STATE_FILE, AppState, Position, StateStore


def test_missing_file_gives_defaults(tmp_path):
    state = StateStore(tmp_path / "nothing-here").load()
    assert state == AppState()


def test_round_trip(tmp_path):
    store = StateStore(tmp_path)
    state = AppState(theme="nord", history=["a", "b"], positions={"lib-1": Position("001", 7)})
    assert store.save(state, 1)
    assert store.load() == state
    assert not list(tmp_path.glob("*.tmp"))  # the temporary file was renamed, not left behind


def test_an_older_snapshot_never_overwrites_a_newer_one(tmp_path):
    store = StateStore(tmp_path)
    assert store.save(AppState(theme="new"), generation=5)
    assert not store.save(AppState(theme="old"), generation=4)
    assert store.load().theme == "new"


def test_history_moves_repeats_to_the_end_and_is_capped():
    state = AppState()
    for i in range(HISTORY_LIMIT + 10):
        state.remember_search(f"q{i}")
    state.remember_search("q50")
    state.remember_search("   ")
    assert len(state.history) == HISTORY_LIMIT
    assert state.history[-1] == "q50" and state.history.count("q50") == 1


def test_malformed_parts_are_dropped_not_fatal(tmp_path):
    (tmp_path / STATE_FILE).write_text(
        json.dumps(
            {
                "theme": ["not", "a", "name"],
                "history": ["ok", 3, None, ""],
                "positions": {
                    "good": {"article": "a", "sentence": 2},
                    "bad": {"sentence": -1},
                    "worse": "x",
                },
            }
        ),
        "utf-8",
    )
    state = StateStore(tmp_path).load()
    assert state.theme is None
    assert state.history == ["ok"]
    assert state.positions == {"good": Position("a", 2)}


@given(st.binary(max_size=200))
def test_any_bytes_in_the_file_load_as_some_state(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("state")
    (folder / STATE_FILE).write_bytes(data)
    assert isinstance(StateStore(folder).load(), AppState)
