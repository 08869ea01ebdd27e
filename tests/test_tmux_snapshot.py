"""In a real terminal (tmux): the app comes back on the last screen, and an article edited while
it was closed shows its new text at the same sentence once the library is checked."""

from __future__ import annotations

import shlex
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from test_tmux import SOCKET, TMUX, glossator_command, screen, tmux, wait_for

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
    subprocess.run(
        [TMUX, "-L", SOCKET, "new-session", "-d", "-s", name, "-x", "120", "-y", "40",
         "env", *env, "bash", "-c", f"exec {command}"],
        check=True,
        timeout=10,
    )  # fmt: skip
    tmux("set-option", "-t", name, "remain-on-exit", "on")
    tmux("set-option", "-s", "escape-time", "0")
    return name


def quit_app(name: str) -> None:
    tmux("send-keys", "-t", name, "q")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if tmux("display-message", "-p", "-t", name, "#{pane_dead}").strip() == "1":
            break
        time.sleep(0.05)
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
