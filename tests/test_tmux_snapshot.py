"""In a real terminal (tmux): the app comes back on the last screen, and an article edited while
it was closed shows its new text at the same sentence once the library is checked."""

from __future__ import annotations

import os
import shlex
import signal
import sys
import time
import uuid
from pathlib import Path

import pytest
from test_tmux import (  # _own_server: this module's server too is ended after it
    TMUX,
    _own_server,  # noqa: F401
    glossator_command,
    new_session,
    screen,
    tmux,
    wait_for,
)

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

PARAGRAPHS = [
    " ".join(f"Paragraph {p} sentence {s} speaks of harbour number {p * 10 + s}." for s in range(4))
    for p in range(12)
]


def start(tmp_path: Path, folder: Path) -> str:
    name = f"glossator-snap-{uuid.uuid4().hex[:8]}"
    env = [
        f"XDG_DATA_HOME={tmp_path / 'data'}",
        f"XDG_CACHE_HOME={tmp_path / 'cache'}",
        f"XDG_CONFIG_HOME={tmp_path / 'config'}",
        "TERM=xterm-256color",
    ]
    command = " ".join(shlex.quote(p) for p in [*glossator_command(), "--library", str(folder)])
    new_session(name, (120, 40), ["env", *env, "bash", "-c", f"exec {command}"])
    tmux("set-option", "-t", name, "remain-on-exit", "on")
    tmux("set-option", "-s", "escape-time", "0")
    return name


def ended(name: str, timeout: float = 20.0) -> bool:
    """Whether the program in session ``name`` ends within ``timeout`` (its pane stays)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if tmux("display-message", "-p", "-t", name, "#{pane_dead}").strip() == "1":
            return True
        time.sleep(0.05)
    return False


def quit_app(name: str) -> None:
    tmux("send-keys", "-t", name, "q")
    ended(name)
    tmux("kill-session", "-t", name)


def test_an_article_edited_while_closed_shows_its_new_text_at_the_same_sentence(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    article = folder / "harbour.txt"
    article.write_text("The Harbour\n\n" + "\n\n".join(PARAGRAPHS) + "\n", "utf-8")
    name = start(tmp_path, folder)
    try:
        wait_for(name, "ready")
        wait_for(name, "§1/48")
        tmux("send-keys", "-t", name, *["j"] * 21)  # §22: paragraph 5, sentence 1
        wait_for(name, "§22/48")
        time.sleep(1.5)  # the snapshot is written half a second after the last move
    finally:
        quit_app(name)
    # while it is closed: a paragraph more at the top, and a sentence on screen reworded
    paragraphs = ["A new first paragraph. It has two sentences.", *PARAGRAPHS]
    paragraphs[5] = paragraphs[5].replace("harbour number 41", "the rebuilt harbour 41")
    article.write_text("The Harbour\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")
    name = start(tmp_path, folder)
    try:
        # the last screen first (the old text), then the new text, at the same sentence
        wait_for(name, "the rebuilt harbour 41")
        shown = wait_for(name, "§24/50")  # the sentence read: two sentences later now
        assert "ready" in shown and "speaks of harbour number 51." in shown
        assert "Traceback" not in screen(name)
    finally:
        quit_app(name)


def _run_in_tmux(tmp_path: Path, argv: list[str], name: str, size: tuple[str, str]) -> None:
    env = [
        f"XDG_DATA_HOME={tmp_path / 'data'}",
        f"XDG_CACHE_HOME={tmp_path / 'cache'}",
        f"XDG_CONFIG_HOME={tmp_path / 'config'}",
        "TERM=xterm-256color",
    ]
    command = " ".join(shlex.quote(p) for p in argv)
    # COLUMNS and LINES unset: a shell started by tmux may export stale ones (80 and 24 were
    # seen), and Textual takes them over the terminal's own size
    script = f"exec env -u COLUMNS -u LINES {' '.join(env)} {command}"
    new_session(name, size, ["bash", "-c", script])
    tmux("set-option", "-t", name, "remain-on-exit", "on")


def _size(name: str) -> tuple[str, str]:
    width, height = tmux("display-message", "-p", "-t", name, "#{pane_width} #{pane_height}").split()
    return width, height


def _frames(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "glossator" / "snapshot").glob("*.frame"))


@pytest.mark.parametrize("how", ["quit", "killed"])
def test_the_next_start_paints_the_last_frame_exactly_as_the_app_left_it(tmp_path, how):
    """Quitting keeps the frame, and so does every snapshot written (a run killed with SIGKILL
    never quits); the next start paints it before Textual is imported: the very screen the
    person left, every row (painted here by last_frame.show alone, which then holds the
    terminal, so nothing else can have drawn it)."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "harbour.txt").write_text("The Harbour\n\n" + "\n\n".join(PARAGRAPHS) + "\n")
    name = f"glossator-left-{uuid.uuid4().hex[:8]}"
    _run_in_tmux(tmp_path, [*glossator_command(), "--library", str(folder)], name, ("120", "40"))
    try:
        wait_for(name, "ready")
        wait_for(name, "§1/48")
        tmux("send-keys", "-t", name, *["j"] * 9)
        wait_for(name, "§10/48")
        time.sleep(1.5)  # the snapshot is written half a second after the last move
        left = screen(name)
        size = _size(name)
        if how == "killed":
            os.kill(int(tmux("display-message", "-p", "-t", name, "#{pane_pid}")), signal.SIGKILL)
            assert ended(name)
    finally:
        quit_app(name)
    assert len(_frames(tmp_path)) == 1
    show = (
        "import sys, time; from pathlib import Path; from glossator.tui import last_frame as f;"
        "p = f.snapshot_path(Path(sys.argv[1])); kept = f.path_for(p).read_bytes()[:400];"
        "shown = f.show(p); time.sleep(0 if shown else 0.5);"
        "shown or print('NO FRAME', f._terminal(), f._identity(p), kept);"
        "time.sleep(60)"
    )
    shower = f"glossator-frame-{uuid.uuid4().hex[:8]}"
    _run_in_tmux(tmp_path, [sys.executable, "-c", show, str(folder)], shower, size)
    try:
        assert _size(shower) == size
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "§10/48" not in screen(shower):
            assert "NO FRAME" not in screen(shower)
            time.sleep(0.05)
        painted = screen(shower)
    finally:
        tmux("kill-session", "-t", shower)
    rows = lambda text: [row.rstrip() for row in text.splitlines()]  # noqa: E731
    assert rows(painted) == rows(left)
    assert "§10/48" in painted and "harbour number 21" in painted
    assert _frames(tmp_path) == []  # shown once: used up


def test_no_frame_shows_a_dialog_that_was_over_the_main_screen(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "harbour.txt").write_text("The Harbour\n\n" + "\n\n".join(PARAGRAPHS) + "\n")
    name = start(tmp_path, folder)
    try:
        wait_for(name, "ready")
        time.sleep(1.0)
        tmux("send-keys", "-t", name, "q")  # a first quit keeps one
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not _frames(tmp_path):
            time.sleep(0.05)
        assert len(_frames(tmp_path)) == 1
    finally:
        tmux("kill-session", "-t", name)
    name = start(tmp_path, folder)
    try:
        wait_for(name, "ready")
        time.sleep(1.5)  # the snapshot of this start, and its frame, are written
        tmux("send-keys", "-t", name, "?")
        wait_for(name, "Glossator keys")
        time.sleep(2.5)  # a snapshot written now would wait for the dialog to go
        tmux("send-keys", "-t", name, "C-q")
        assert ended(name)
    finally:
        tmux("kill-session", "-t", name)
    # the frame left is the one of before the dialog: the main screen alone
    (frame,) = _frames(tmp_path)
    kept = frame.read_text("utf-8", "surrogateescape")
    assert "harbour number" in kept and "Glossator keys" not in kept
