"""The app's figures for bench.py: time to first paint against a bare Textual app, and memory.

Each figure comes from a fresh process, started the way a person starts the command, so the
imports and the interpreter's start-up are part of it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BARE = """
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

GLOSSATOR = """
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
import resource, sys, time
from pathlib import Path
from glossator.tui.app import make_app

async def search(pilot):
    app = pilot.app
    for _ in range(600):  # the library opens in a worker: wait for it (at most a minute)
        await pilot.pause(0.1)
        if not [w for w in app.workers if not w.is_finished]:
            break
    await pilot.press("slash", *sys.argv[2])
    await app.workers.wait_for_complete()
    await pilot.pause(0.2)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, flush=True)
    app.exit()

make_app(Path(sys.argv[1])).run(headless=True, size=(120, 40), auto_pilot=search)
"""


def _first_paint_s(code: str, *args: str) -> float:
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
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


def app_figures(folder: Path, rounds: int = 7) -> dict:
    env_ready = os.environ.get("XDG_CACHE_HOME")
    assert env_ready, "bench.py points the XDG folders at its temp folder first"
    _compile_packages()
    _first_paint_s(GLOSSATOR)  # builds the seed index once: the figure is for a built index
    bare, glossator = [], []
    for _ in range(rounds):  # interleaved, so both see the same machine
        bare.append(_first_paint_s(BARE))
        glossator.append(_first_paint_s(GLOSSATOR))
    done = subprocess.run(
        [sys.executable, "-c", SEARCH_THEN_RSS, str(folder), "missile"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    rss = float(done.stdout.strip().splitlines()[-1])
    return {
        "first_paint_bare_ms": round(statistics.median(bare) * 1000, 1),
        "first_paint_ms": round(statistics.median(glossator) * 1000, 1),
        "startup_ratio": round(statistics.median(glossator) / statistics.median(bare), 2),
        "rss_mb": round(rss, 1),
    }


if __name__ == "__main__":
    print(json.dumps(app_figures(Path(sys.argv[1]))))
