"""The installed ``glossator`` command in a real terminal (tmux): read, search, quit with q."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
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


# a tmux server of the tests' own, with their own settings: one per test process, so that
# suites run at once (pytest-xdist workers, two checkouts) never share or end one another's
SOCKET = f"glossator-tests-{os.getpid()}"


@pytest.fixture(scope="module", autouse=True)
def _own_server():
    yield
    tmux("kill-server")


def new_session(name: str, size: tuple[int, int] | tuple[str, str], command: list[str]) -> None:
    """A detached session ``name`` of ``size`` running ``command`` (tmux options first, such as
    ``-c DIR``). The server is kept from ending between tests by a session of its own (a server
    whose last session has gone exits, and a new-session asked for meanwhile failed in CI); that
    keeper ends with this test process."""
    if subprocess.run([TMUX, "-L", SOCKET, "has-session", "-t", "keeper"], capture_output=True,
                      timeout=10).returncode != 0:  # fmt: skip
        watch = f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done"
        subprocess.run([TMUX, "-L", SOCKET, "new-session", "-d", "-s", "keeper", "sh", "-c", watch],
                       capture_output=True, timeout=10)  # fmt: skip
    width, height = (str(side) for side in size)
    for _ in range(5):  # should the server still be ending: try again
        started = subprocess.run(
            [TMUX, "-L", SOCKET, "new-session", "-d", "-s", name, "-x", width, "-y", height,
             *command],
            capture_output=True,
            timeout=10,
        )  # fmt: skip
        if started.returncode == 0:
            return
        time.sleep(0.2)
    raise AssertionError(f"tmux could not start a session: {started.stderr!r}")


def tmux(*args: str) -> str:
    return subprocess.run(
        [TMUX, "-L", SOCKET, *args], capture_output=True, text=True, check=False, timeout=10
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


def start(
    tmp_path: Path, size: tuple[int, int] = (100, 30), *args: str, stay: bool = False
) -> str:
    """The installed glossator (given ``args``) in a new tmux session, its data in
    ``tmp_path``: the name. With ``stay``, the shell outlives it (prints its status and waits),
    so the terminal's state after it can be read (a dead pane's cursor always reads hidden)."""
    name = f"glossator-test-{uuid.uuid4().hex[:8]}"
    env = {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    command = " ".join(shlex.quote(part) for part in [*glossator_command(), *args])
    script = f'echo "[pid $$]"; exec {command}'
    if stay:
        script = f'{command}; echo "[status $?]"; exec sleep 600'
    env_args = [f"{k}={v}" for k, v in env.items()]
    new_session(name, size, ["-c", str(ROOT), "env", *env_args, "bash", "-c", script])
    tmux("set-option", "-t", name, "remain-on-exit", "on")  # its last screen and status stay
    # Escape then G typed quickly is two keys, as in a terminal (tmux would wait half a second
    # after an escape and send it with the next key as alt+G)
    tmux("set-option", "-s", "escape-time", "0")
    return name


def exit_status(name: str, timeout: float = 30.0) -> str:
    """The exit status of the pane's process, once tmux has seen it end."""
    deadline = time.monotonic() + timeout
    status = ""
    while not status and time.monotonic() < deadline:
        status = tmux("display-message", "-p", "-t", name, "#{pane_dead_status}").strip()
        if not status:
            time.sleep(0.05)
    return status


def test_search_and_quit_in_a_real_terminal(tmp_path):
    name = start(tmp_path)
    pane = tmux("list-panes", "-t", name, "-F", "#{pane_pid}").strip()
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
        wait_gone(int(pane))
        assert exit_status(name) == "0" and "Traceback" not in screen(name)
    finally:
        tmux("kill-session", "-t", name)


def wait_gone(pid: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        parent = _zombie_parent(pid)
        if parent:  # dead, not reaped: tmux here sometimes misses the SIGCHLD; remind it
            os.kill(parent, signal.SIGCHLD)
        time.sleep(0.05)
    raise AssertionError(f"process {pid} is still running")


def _zombie_parent(pid: int) -> int:
    """The parent of ``pid`` if ``pid`` has ended and not been reaped, else 0."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[1]) if fields[0] == "Z" else 0


@pytest.mark.parametrize("how", ["kill -9", "terminal closed"])
def test_a_note_half_typed_comes_back_after_the_terminal_closes_or_a_kill(tmp_path, how):
    name = start(tmp_path)
    pane = int(tmux("list-panes", "-t", name, "-F", "#{pane_pid}").strip())
    try:
        wait_for(name, "§1/")
        tmux("send-keys", "-t", name, "j", "j", "a")
        wait_for(name, "New note")
        tmux("send-keys", "-t", name, "-l", "half typed when it ended")
        wait_for(name, "half typed when it ended")
        time.sleep(1.5)  # the draft is at most a second behind the last key
        if how == "kill -9":
            os.kill(pane, signal.SIGKILL)
        else:
            tmux("kill-session", "-t", name)  # the terminal goes: the app gets SIGHUP
        wait_gone(pane)
    finally:
        tmux("kill-session", "-t", name)
    name = start(tmp_path)
    try:
        shown = wait_for(name, "Recovered note")
        assert "half typed when it ended" in shown and "§3" in shown
        tmux("send-keys", "-t", name, "C-s")
        wait_for(name, "Note saved")
    finally:
        tmux("kill-session", "-t", name)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_gives_the_terminal_back_and_keeps_the_note(tmp_path, signum):
    """Told to stop while a note is typed (the terminal still there): the alternate screen left,
    the cursor shown, mouse reporting off, the status 128 + the signal, the draft offered next."""
    name = start(tmp_path, stay=True)
    shell = tmux("list-panes", "-t", name, "-F", "#{pane_pid}").strip()
    flags = "#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{mouse_sgr_flag}"
    try:
        wait_for(name, "§1/")
        app = int(Path(f"/proc/{shell}/task/{shell}/children").read_text().split()[0])
        tmux("send-keys", "-t", name, "j", "a")
        wait_for(name, "New note")
        assert tmux("display-message", "-p", "-t", name, flags).split() == ["1", "0", "1", "1"]
        tmux("send-keys", "-t", name, "-l", "typed when told to stop")
        wait_for(name, "typed when told to stop")  # no pause: the draft is written on the signal
        os.kill(app, signum)
        shown = wait_for(name, "[status ")
        assert f"[status {128 + signum}]" in shown
        assert "Traceback" not in shown
        assert tmux("display-message", "-p", "-t", name, flags).split() == ["0", "1", "0", "0"]
    finally:
        tmux("kill-session", "-t", name)
    name = start(tmp_path)
    try:
        shown = wait_for(name, "Recovered note")
        assert "typed when told to stop" in shown and "§2" in shown
    finally:
        tmux("kill-session", "-t", name)


def test_keys_typed_ahead_in_a_real_terminal(tmp_path):
    """Ten keys a second across a dialog and an article change all take effect, in order."""
    name = start(tmp_path, (120, 40))
    pane = int(tmux("list-panes", "-t", name, "-F", "#{pane_pid}").strip())
    try:
        wait_for(name, "§1/")
        for key in ["?", "Escape", "G", "]", "j", "j", "?", "Escape", "j"]:
            tmux("send-keys", "-t", name, key)
            time.sleep(0.1)
        shown = wait_for(name, "article 2/5 · §4/")
        assert "Glossator keys" not in shown
        for key in ["?", "Escape", "q"]:
            tmux("send-keys", "-t", name, key)
            time.sleep(0.1)
        try:
            wait_gone(pane)
        except AssertionError:
            raise AssertionError(f"q did not quit; the screen was:\n{screen(name)}") from None
        assert exit_status(name) == "0"
    finally:
        tmux("kill-session", "-t", name)


def test_q_during_an_index_build_ends_the_process_at_once(tmp_path):
    """Quitting while a large library is being indexed stops the build (its write cancelled)
    instead of holding the process, and the shell's prompt, until the build is done."""
    from whoosh import index as whoosh_index

    folder = tmp_path / "large"
    folder.mkdir()
    words = "artillery shells supply sanctions missile border trade economy war".split()
    for i in range(5000):
        body = " ".join(words[(i + j) % len(words)] for j in range(60))
        (folder / f"a{i:05}.txt").write_text(f"Article {i}\n\n{body}.\n", "utf-8")
    name = start(tmp_path, (100, 30), "--library", str(folder))
    pane = int(tmux("list-panes", "-t", name, "-F", "#{pane_pid}").strip())
    try:
        wait_for(name, "indexing", timeout=60)
        tmux("send-keys", "-t", name, "q")
        wait_gone(pane, timeout=60)
        assert exit_status(name) == "0" and "Traceback" not in screen(name)
    finally:
        tmux("kill-session", "-t", name)
    (index,) = [
        p for p in (tmp_path / "cache" / "glossator" / "index").glob("large-*") if p.is_dir()
        and not p.name.endswith(".study")
    ]
    with whoosh_index.open_dir(str(index), indexname="articles").searcher() as searcher:
        assert searcher.doc_count() < 5000  # stopped, not waited for
