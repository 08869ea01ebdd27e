"""The app's figures for bench.py: what a person waits for at start-up, and memory.

``text_on_screen_ms``: in a real terminal (tmux, 120x40), from starting the command to the
current article's text being on screen, where it was left (an article and a sentence well into
it, chosen in a first session that is then quit, which leaves its snapshot and last frame);
``bare_first_paint_ms``: the same terminal and clock for a bare Textual app painting one Static.
Runs alternate (bare, Glossator, Glossator without the last frame, Glossator without its start-up
snapshot), the median of each is taken, and ``text_ratio`` is the one over the other.
``text_first_screen_ms`` is the wait when only the snapshot is there (no frame for this terminal:
another size, the frame file gone): the first screen drawn from it. ``position_kept`` says whether the reader column looked exactly as it was left.
``text_no_snapshot_ms`` is the same wait when there is no snapshot (a first run, or one that
cannot be used): the library opened, the index checked, the article loaded.

``mount_ratio`` is what ``startup_ratio`` used to be: headless, until the app has mounted
(before anything of the library is on screen), over the bare app's mount.

Each figure comes from a fresh process started the way a person starts the command, so the
imports and the interpreter's start-up are part of it.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

BARE_MARK = "bare textual app painted"
BARE = f"""
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static({BARE_MARK!r})

Bare().run()
"""

BARE_HEADLESS = """
import sys, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")

async def first_paint(pilot):
    print(time.time(), flush=True)
    pilot.app.exit()

Bare().run(headless=True, size=(120, 40), auto_pilot=first_paint)
"""

GLOSSATOR_HEADLESS = """
import sys, time
from pathlib import Path
from glossator.tui.app import make_app

async def first_paint(pilot):
    print(time.time(), flush=True)
    pilot.app.exit()

library = Path(sys.argv[1]) if len(sys.argv) > 1 else None
make_app(library).run(headless=True, size=(120, 40), auto_pilot=first_paint)
"""

SEARCH_THEN_RSS = """
import sys, time
from pathlib import Path
from glossator.tui.app import make_app

async def search(pilot):
    app = pilot.app
    for _ in range(6000):  # the library opens in a worker: wait for it (at most ten minutes)
        await pilot.pause(0.1)
        if app.main.library is not None and not [w for w in app.workers if not w.is_finished]:
            break
    await pilot.press("slash", *sys.argv[2])
    await app.workers.wait_for_complete()
    await pilot.pause(0.2)
    # the peak of this process's own memory (VmHWM): not ru_maxrss, which Linux carries over
    # from the parent across fork and exec, so it gave the benchmark's own peak when that was
    # higher (3.6 GB at 100,000 articles, where the app's was under 400 MB)
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(line for line in status if line.startswith("VmHWM:"))
    print(int(peak.split()[1]) / 1024, flush=True)
    app.exit()

make_app(Path(sys.argv[1])).run(headless=True, size=(120, 40), auto_pilot=search)
"""

SOCKET = f"glossator-bench-{os.getpid()}"  # a tmux server of this run's own
SIZE = (120, 40)
SEP = "▕"  # between the sidebar and the reading column


def _tmux(*args: str, check: bool = False) -> str:
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, timeout=20)
    if check and done.returncode != 0:
        raise RuntimeError(f"tmux {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def _keep_server() -> None:
    """An idle session for the whole run: tmux's server ends with its last session, and a
    session started as it ends is lost (a run once waited for a bare app that never started)."""
    if "keeper" not in _tmux("list-sessions", "-F", "#{session_name}"):
        _tmux("new-session", "-d", "-s", "keeper", "sleep", "86400", check=True)


def _screen(name: str) -> str:
    return _tmux("capture-pane", "-p", "-t", name)


def _start(command: str) -> str:
    name = f"bench-{uuid.uuid4().hex[:8]}"
    _tmux(
        "new-session", "-d", "-s", name, "-x", str(SIZE[0]), "-y", str(SIZE[1]),
        "env", "TERM=xterm-256color", "bash", "-c", f"exec {command}", check=True,
    )  # fmt: skip
    return name


def _wait(
    name: str, texts: str | list[str], timeout: float = 600.0, poll: float = 0.005
) -> float | None:
    """The time when one of ``texts`` is on the screen of session ``name`` (None: never)."""
    wanted = [texts] if isinstance(texts, str) else texts
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = _screen(name)
        if any(text in shown for text in wanted):
            return time.monotonic()
        time.sleep(poll)
    return None


def _timed(command: str, texts: str | list[str], timeout: float = 120.0) -> float:
    started = time.monotonic()
    name = _start(command)
    try:
        seen = _wait(name, texts, timeout)
        if seen is None:
            raise RuntimeError(f"{texts!r} never appeared; the screen was:\n{_screen(name)}")
        return seen - started
    finally:
        _tmux("kill-session", "-t", name)


def _reader_column(screen: str) -> list[str]:
    """The reading column's rows, without the status line and the footer."""
    rows = screen.splitlines()[2 : SIZE[1] - 2]
    return [row.split(SEP, 1)[1].rstrip(" │█") if SEP in row else "" for row in rows]


def _settled_column(name: str, quiet: float = 1.5, timeout: float = 1800.0) -> list[str]:
    """The reading column once the app is open and the screen has not changed for ``quiet``
    seconds: the frame of the last run shows "· ready" too, for the moment before Textual
    paints, so "ready" alone does not say the app is there (a run once read the column then,
    in the instant the main screen replaced the first one)."""
    _wait(name, "· ready", timeout=timeout, poll=0.05)
    deadline = time.monotonic() + timeout
    shown, since = _screen(name), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = _screen(name)
        if now != shown:
            shown, since = now, time.monotonic()
        elif "· ready" in now and time.monotonic() - since >= quiet:
            break
    return _reader_column(shown)


def _glossator_command(folder: Path | None) -> str:
    script = Path(sys.executable).with_name("glossator")
    parts = [str(script)] if script.exists() else [sys.executable, "-m", "glossator"]
    if folder is not None:
        parts += ["--library", str(folder)]
    return " ".join(shlex.quote(p) for p in parts)


def _leave_reading(command: str, keys: list[str]) -> tuple[list[str], list[str]]:
    """A first session: wait for the library, go to an article and a sentence well into it,
    quit. The markers (the lines of the article's text on screen where the reader left it: any
    one of them on screen is the text shown) and the reading column as it was."""
    name = _start(command)
    try:
        if _wait(name, "· ready", timeout=1800, poll=0.2) is None:
            raise RuntimeError(f"the library never opened:\n{_screen(name)}")
        for key in keys:
            _tmux("send-keys", "-t", name, key)
            time.sleep(0.05)
        # the article loaded and moved to (on a busy machine this takes a while), then the
        # snapshot written (half a second after the last change)
        if _wait(name, f"§{keys.count('j') + 1}/", timeout=600, poll=0.1) is None:
            raise RuntimeError(f"the keys did not reach the article:\n{_screen(name)}")
        time.sleep(2.0)
        column = _reader_column(_screen(name))
        _tmux("send-keys", "-t", name, "q")
        time.sleep(1.0)
    finally:
        _tmux("kill-session", "-t", name)
    texts = [row.strip() for row in column if len(row.strip()) >= 40]
    if not texts:
        raise RuntimeError("no article text on screen to wait for")
    return texts, column


def _first_paint_s(code: str, *args: str) -> float:
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return float(done.stdout.strip().splitlines()[0]) - start


def _compile_packages() -> None:
    """Write the bytecode of Glossator's packages, as ``pip install`` does: an editable install
    run with PYTHONDONTWRITEBYTECODE would otherwise compile every module at every start."""
    import compileall
    import importlib.util

    for name in ("glossator.index", "glossator.tui"):
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            for folder in spec.submodule_search_locations:
                compileall.compile_dir(folder, quiet=1)


def _snapshots(cache: Path) -> list[Path]:
    """What a session leaves for the next start: the snapshot and the last frame."""
    folder = cache / "glossator" / "snapshot"
    return sorted([*folder.glob("*.json"), *folder.glob("*.frame")])


def terminal_figures(folder: Path | None, rounds: int = 5) -> dict:
    """Text on screen against the bare app's first paint, in tmux (see the module's doc)."""
    if shutil.which("tmux") is None:
        return {"text_on_screen": "tmux is not installed"}
    cache = Path(os.environ["XDG_CACHE_HOME"])
    command = _glossator_command(folder)
    keys = ["]", "]", *["j"] * 14]
    marker, column = _leave_reading(command, keys)
    kept = {path: path.read_bytes() for path in _snapshots(cache)}
    bare_command = " ".join(shlex.quote(p) for p in (sys.executable, "-c", BARE))
    bare, text, first, cold = [], [], [], []
    position_kept = True

    def leave(*, frames: bool) -> None:  # as the first session left it (or without its frame)
        for path, data in kept.items():
            if frames or path.suffix != ".frame":
                path.write_bytes(data)
            else:
                path.unlink(missing_ok=True)

    for _ in range(rounds):  # alternating, so each sees the same machine
        bare.append(_timed(bare_command, BARE_MARK))
        leave(frames=True)
        text.append(_timed(command, marker))
        leave(frames=False)
        first.append(_timed(command, marker))
        for path in kept:
            path.unlink(missing_ok=True)
        cold.append(_timed(command, marker, timeout=1800))
    leave(frames=True)
    name = _start(command)  # the position, exactly: the reading column once the library is open
    try:
        position_kept = _settled_column(name) == column
        _tmux("send-keys", "-t", name, "q")
        time.sleep(0.5)
    finally:
        _tmux("kill-session", "-t", name)
    b, t, c = statistics.median(bare), statistics.median(text), statistics.median(cold)
    f = statistics.median(first)
    return {
        "bare_first_paint_ms": round(b * 1000, 1),
        "text_on_screen_ms": round(t * 1000, 1),
        "text_ratio": round(t / b, 2),
        "text_first_screen_ms": round(f * 1000, 1),
        "text_first_screen_ratio": round(f / b, 2),
        "text_no_snapshot_ms": round(c * 1000, 1),
        "text_no_snapshot_ratio": round(c / b, 2),
        "position_kept": position_kept,
        "snapshot_kb": round(sum(len(d) for p, d in kept.items() if p.suffix == ".json") / 1024, 1),
        "frame_kb": round(sum(len(d) for p, d in kept.items() if p.suffix == ".frame") / 1024, 1),
    }


def app_figures(folder: Path, rounds: int = 5) -> dict:
    env_ready = os.environ.get("XDG_CACHE_HOME")
    assert env_ready, "bench.py points the XDG folders at its temp folder first"
    _compile_packages()
    _keep_server()
    try:
        return _app_figures(folder, rounds)
    finally:
        _tmux("kill-server")


def _app_figures(folder: Path, rounds: int) -> dict:
    figures: dict = {}
    seeds = terminal_figures(None, rounds)
    figures.update({f"seeds_{k}": v for k, v in seeds.items()})
    figures.update(terminal_figures(folder, rounds))
    _first_paint_s(GLOSSATOR_HEADLESS)  # the seed index built: the figure is for a built index
    bare, glossator = [], []
    for _ in range(rounds):  # interleaved, so both see the same machine
        bare.append(_first_paint_s(BARE_HEADLESS))
        glossator.append(_first_paint_s(GLOSSATOR_HEADLESS))
    done = subprocess.run(
        [sys.executable, "-c", SEARCH_THEN_RSS, str(folder), "missile"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    rss = float(done.stdout.strip().splitlines()[-1])
    return figures | {
        "mount_ratio": round(statistics.median(glossator) / statistics.median(bare), 2),
        "rss_mb": round(rss, 1),
    }


if __name__ == "__main__":
    print(json.dumps(app_figures(Path(sys.argv[1]))))
