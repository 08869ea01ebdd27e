"""The installed ``glossator`` command in a real terminal (tmux): read, search, quit with q."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TMUX = shutil.which("tmux")

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def glossator_command() -> list[str]:
    """The console script installed beside this Python, else the package run as a module."""
    script = Path(sys.executable).with_name("glossator")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "glossator"]


def tmux(*args: str) -> str:
    return subprocess.run(
        [TMUX, *args], capture_output=True, text=True, check=False, timeout=10
    ).stdout


def screen(name: str) -> str:
    return tmux("capture-pane", "-p", "-t", name)


def wait_for(name: str, text: str, timeout: float = 20.0) -> str:
    """Poll the terminal until ``text`` shows (tmux has no way to be told when it does)."""
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(name)
        if text in shown:
            return shown
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{shown}")


def test_search_and_quit_in_a_real_terminal(tmp_path):
    name = f"glossator-test-{uuid.uuid4().hex[:8]}"
    env = {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    command = " ".join(shlex.quote(part) for part in glossator_command())
    script = f'{command}; echo "[exited $?]"; sleep 30'
    env_args = [f"{k}={v}" for k, v in env.items()]
    subprocess.run(
        [
            TMUX,
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "100",
            "-y",
            "30",
            "-c",
            str(ROOT),
            "env",
            *env_args,
            "bash",
            "-c",
            script,
        ],
        check=True,
        timeout=10,
    )
    try:
        shown = wait_for(name, "§1/")  # the first article is open, the index ready
        assert "ready" in shown
        tmux("send-keys", "-t", name, "/")
        tmux("send-keys", "-t", name, "-l", "artillery")
        shown = wait_for(name, "passages in 5 articles")
        assert "artillery" in shown
        tmux("send-keys", "-t", name, "Enter")  # to the results: q no longer types, it quits
        wait_for(name, "q Quit")
        tmux("send-keys", "-t", name, "q")
        shown = wait_for(name, "[exited 0]")
        assert "Traceback" not in shown
    finally:
        tmux("kill-session", "-t", name)
