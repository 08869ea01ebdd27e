"""Hardening, issue 16, in the app: other processes and a misbehaving machine.

A second instance during the first one's build waits and opens; an index deleted under the app
is noticed at the next use, rebuilt and said; another process's notes show on ctrl+r; a notes
file deleted while the app is open is written afresh, said, and nothing saved is missing; a data
folder that cannot be written keeps the notes readable and a typed note in its editor; the cache
folder replaced by a file gives a temporary index, said once; quitting waits for a save behind
another process's write lock, and never drops one that failed (issue 16, item 3).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from articles import small_library
from textual import events
from waiting import until

from glossator.index import paths
from glossator.index.library import Library
from glossator.index.notes import NoteStore
from glossator.tui.app import make_app
from glossator.tui.controllers.library import WAITING
from glossator.tui.controllers.notes import NotesController
from glossator.tui.screens.note_editor import NoteEditor
from glossator.tui.widgets.notes_list import NotesList

SIZE = (120, 40)


@pytest.fixture
def folder(tmp_path) -> Path:
    return small_library(tmp_path / "library")


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_second_instance_during_a_build_waits_and_then_opens(settle, folder):
    other = Library(folder)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with other.engine.updating():
            held.set()
            release.wait(20)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    app = make_app(folder)
    try:
        async with app.run_test(size=SIZE) as pilot:
            seen: list[str] = []
            for _ in range(200):  # the waiting is said on the status line
                seen.append(app.main.status.text)
                if WAITING in seen[-1]:
                    break
                await asyncio.sleep(0.05)
            assert WAITING in seen[-1] and app.main.library is None
            release.set()
            await until(pilot, settle, lambda: app.main.library is not None)
            assert "ready" in app.main.status.text and app.main.articles
    finally:
        release.set()
        holder.join()


async def test_an_index_deleted_under_the_app_is_rebuilt_at_the_next_use_and_said(settle, folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library = app.main.library
        shutil.rmtree(library.index_dir)
        await pilot.press("/", *"harbour")
        await until(pilot, settle, lambda: any("ebuil" in m for m in messages(app)))
        await until(
            pilot,
            settle,
            lambda: app.main.search_result is not None and app.main.search_result.total > 0,
        )
        assert "ready" in app.main.status.text


async def test_another_process_s_note_shows_on_ctrl_r(settle, folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library = Library(folder)
        with NoteStore() as store:
            article = library.article(library.articles()[0].id)
            made = store.add(library.key, article, 1, 1, "from another process")
        await pilot.press("ctrl+r")
        await until(pilot, settle, lambda: made.id in {n.id for n in app.main.notes})
        assert made.id in {n.id for n in app.query_one(NotesList).notes}


async def test_a_notes_file_deleted_while_open_is_written_afresh_and_nothing_is_lost(
    settle, folder
):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"first note", "ctrl+s")
        await settle(pilot)
        notes_file = app.main.notes_part.path
        for suffix in ("", "-wal", "-shm"):
            Path(f"{notes_file}{suffix}").unlink(missing_ok=True)
        await pilot.press("j", "a", *"second note", "ctrl+s")
        await settle(pilot)
        assert any("notes file" in m for m in messages(app))
        with NoteStore(notes_file) as store:
            texts = {n.text for n in store.list(app.main.library.key)}
        assert {"first note", "second note"} <= texts


async def test_an_unwritable_data_folder_keeps_notes_readable_and_the_text_in_its_editor(
    settle, folder
):
    library = Library(folder)
    library.update()
    with NoteStore() as store:
        article = library.article(library.articles()[0].id)
        store.add(library.key, article, 0, 0, "written before")
    data = paths.data_dir()
    app = make_app(folder, data_dir=data)
    os.chmod(data / "notes.sqlite3", 0o400)
    os.chmod(data, 0o500)
    try:
        if os.access(data, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert [n.text for n in app.main.notes] == ["written before"]
            await pilot.press("j", "a", *"kept in the editor", "ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, NoteEditor)
            assert app.screen.text == "kept in the editor"
    finally:
        os.chmod(data, 0o700)
        os.chmod(data / "notes.sqlite3", 0o600)


async def test_a_cache_folder_that_is_a_file_gives_a_temporary_index_said_once(
    settle, folder, tmp_path, monkeypatch
):
    cache = tmp_path / "cache-is-a-file"
    cache.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main.library is not None and app.main.articles
        told = [m for m in messages(app) if "temporary index" in m]
        assert len(told) == 1
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len([m for m in messages(app) if "temporary index" in m]) == 1


class HeldWriteLock:
    """Another process's write transaction on the notes file, held until ``release()``."""

    SCRIPT = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN EXCLUSIVE')\n"
        "print('held', flush=True)\n"
        "sys.stdin.readline()\n"
        "c.execute('COMMIT')\n"
    )

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.SCRIPT, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline() == "held\n"

    def release(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        assert self.process.wait(10) == 0


async def test_quit_waits_for_a_save_behind_another_process_s_write_lock(settle, folder):
    """ctrl+s then q while another process holds the notes file's write lock (for 2 s): the app
    says it is saving, waits for the lock, saves, and only then quits."""
    app = make_app(folder)
    told: list[str] = []
    seen: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, NotesController.Told):
            told.append(str(message.text))

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        notes_file = app.main.notes_part.path
        holder = HeldWriteLock(notes_file)

        def release() -> None:  # once the app said it waits, a second more; then the lock goes
            deadline = time.monotonic() + 60
            while not any("before quitting" in t for t in told) and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(1.0)
            seen.append(repr(app.return_code))
            holder.release()

        releasing = threading.Thread(target=release)
        releasing.start()
        try:
            await pilot.press("a", *"saved behind a lock", "ctrl+s", "q")
            await until(pilot, lambda p: pilot.pause(), lambda: app.return_code is not None)
        finally:
            releasing.join()
    assert any("Saving your note before quitting" in t for t in told)
    assert seen == ["None"]  # not gone while the lock was held
    assert app.return_code == 0
    with NoteStore(notes_file) as store:
        assert [n.text for n in store.list(app.main.library.key)] == ["saved behind a lock"]


async def test_quit_never_drops_a_save_that_failed_behind_a_lock(settle, folder, monkeypatch):
    """The lock held past the store's wait: the save fails, and the app does not quit behind
    the person's back; the text is back in its editor, said, and saved once the lock goes."""
    from glossator.index import notes

    monkeypatch.setattr(notes, "BUSY_TIMEOUT_MS", 1000)
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes_file = app.main.notes_part.path
        holder = HeldWriteLock(notes_file)
        try:
            await pilot.press("a", *"not dropped", "ctrl+s")
            for _ in range(500):  # the save under way (a busy machine may still hold the keys)
                if any(w.group == "note-write" and not w.is_finished for w in app.workers):
                    break
                await pilot.pause(0.01)
            assert app.screen is app.main and app.main.notes_part.changes._ops
            app.post_message(events.Key("q", "q"))  # not through the key gate: q at once
            await until(pilot, settle, lambda: any("Not quitting" in m for m in messages(app)))
            await until(pilot, settle, lambda: isinstance(app.screen, NoteEditor))
            assert app.return_code is None
            assert app.screen.text == "not dropped"
        finally:
            holder.release()
        await pilot.press("ctrl+s")
        await settle(pilot)
        with NoteStore(notes_file) as store:
            assert [n.text for n in store.list(app.main.library.key)] == ["not dropped"]
        await pilot.press("q")
        await until(pilot, lambda p: pilot.pause(), lambda: app.return_code is not None)
