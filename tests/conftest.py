"""Shared test set-up: no test reads or writes the developer's own data, cache or config."""

from __future__ import annotations

import os
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Point the XDG folders (platformdirs reads them at every call) at this test's tmp_path."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))


async def settle_app(pilot) -> None:
    """Wait until no worker runs and every message they sent has been handled.

    Workers start one another through messages (the library opens, then an article loads), so
    this waits for the workers, lets the app handle what they posted, and repeats until calm.
    """
    app = pilot.app
    for _ in range(100):
        workers = [w for w in app.workers if not w.is_finished]
        for worker in workers:
            try:
                await worker.wait()
            except Exception:  # failures are the app's business (and the test's to check)
                pass
        await pilot.pause()
        if all(w.is_finished for w in app.workers):
            await pilot.pause()
            if all(w.is_finished for w in app.workers):
                return
    raise AssertionError("the app's workers never settled")


@pytest.fixture
def settle() -> Callable[[object], Awaitable[None]]:
    return settle_app


@pytest.fixture(autouse=True)
def _no_animation(monkeypatch):
    import textual.constants

    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(scope="session")
def _seed_index_cache(tmp_path_factory) -> Path:
    """The seed articles indexed once per session, in a cache folder of its own."""
    from glossator.index.library import Library

    cache = tmp_path_factory.mktemp("seed-index-cache")
    library = Library(None, cache=cache)
    library.update()
    library.close()
    return cache


@pytest.fixture
def warm_seed_index(_seed_index_cache, _isolated_dirs) -> None:
    """Start this test with the seed index already built (a copy, so tests stay independent):
    the app under test then opens the library instead of building the index every time."""
    target = Path(os.environ["XDG_CACHE_HOME"]) / "glossator"
    shutil.copytree(_seed_index_cache, target)
