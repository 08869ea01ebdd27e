"""The last frame kept for the next start (tui/last_frame.py): kept with its snapshot, shown only
in the terminal it was made for and only with that very snapshot, once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossator.tui import last_frame

FRAME = "\x1b[1;1H\x1b[1mNorth Korea\x1b[0m \u2014 [bold]not markup[/bold] caf\u00e9"


@pytest.fixture
def snap(tmp_path: Path) -> Path:
    path = tmp_path / "snapshot" / "seeds-0123456789ab.json"
    path.parent.mkdir()
    path.write_text('{"version": 1}', "utf-8")
    return path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    for name, value in (("TERM", "xterm-256color"), ("COLORTERM", "truecolor")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    return {"size": [120, 40], "env": last_frame._environment()}


def test_a_frame_kept_with_its_snapshot_comes_back_whole(snap, env):
    assert last_frame.keep(snap, FRAME, (120, 40))
    assert last_frame.path_for(snap).exists()
    assert last_frame.load(snap, env) == FRAME


def test_another_terminal_size_or_terminal_type_gets_no_frame(snap, env, monkeypatch):
    assert last_frame.keep(snap, FRAME, (120, 40))
    assert last_frame.load(snap, {**env, "size": [80, 24]}) is None
    monkeypatch.setenv("TERM", "screen")
    assert last_frame.load(snap, {**env, "env": last_frame._environment()}) is None


def test_a_snapshot_changed_after_the_frame_gets_no_frame(snap, env):
    assert last_frame.keep(snap, FRAME, (120, 40))
    snap.write_text('{"version": 1, "moved": true}', "utf-8")
    assert last_frame.load(snap, env) is None
    snap.unlink()
    assert last_frame.load(snap, env) is None


def test_the_same_snapshot_bytes_written_again_still_go_with_their_frame(snap, env):
    data = snap.read_bytes()
    assert last_frame.keep(snap, FRAME, (120, 40))
    snap.unlink()
    snap.write_bytes(data)  # another file, the same content: the same screen
    assert last_frame.load(snap, env) == FRAME


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"no newline at all",
        b"not json\n" + FRAME.encode(),
        b"[" * 5000 + b"\n" + FRAME.encode(),
        b'{"version": 99}\n' + FRAME.encode(),
        b"\xff\xfe\x00garbage\n\x00\x01",
    ],
)
def test_a_damaged_frame_file_is_no_frame(snap, env, content):
    last_frame.path_for(snap).write_bytes(content)
    assert last_frame.load(snap, env) is None


def test_an_oversized_frame_is_neither_kept_nor_shown(snap, env):
    assert not last_frame.keep(snap, "x" * (last_frame.MAX_BYTES + 1), (120, 40))
    assert not last_frame.path_for(snap).exists()
    head = {"version": 1, "snapshot": last_frame._identity(snap), **env}
    big = (json.dumps(head) + "\n" + "x" * last_frame.MAX_BYTES).encode()
    last_frame.path_for(snap).write_bytes(big)
    assert last_frame.load(snap, env) is None


def test_a_frame_that_cannot_be_kept_leaves_none_behind(snap, env):
    assert last_frame.keep(snap, FRAME, (120, 40))
    snap.unlink()  # no snapshot: nothing for a frame to go with
    assert not last_frame.keep(snap, FRAME, (120, 40))
    assert not last_frame.path_for(snap).exists()


def test_show_outside_a_terminal_paints_nothing_and_the_frame_is_used_up(snap, env, capfd):
    assert last_frame.keep(snap, FRAME, (120, 40))
    assert not last_frame.show(snap)  # pytest's output is no terminal
    assert capfd.readouterr().out == ""
    assert not last_frame.path_for(snap).exists()


def test_the_snapshot_path_is_the_one_the_snapshot_module_writes(tmp_path, monkeypatch):
    from glossator.index import paths
    from glossator.tui import snapshot

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "library"
    folder.mkdir()
    expected = snapshot.path_for(paths.cache_dir(), paths.library_key(folder))
    assert last_frame.snapshot_path(folder) == expected
    seeds = snapshot.path_for(paths.cache_dir(), paths.library_key(paths.seeds_dir()))
    assert last_frame.snapshot_path(None) == seeds
