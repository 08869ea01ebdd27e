"""Hardening, issue 7, in the app: files that appear, change or disappear while it is open.

They are picked up without a restart — on ctrl+r, when the terminal gives the app its focus back,
and by a look at the folder every few seconds — and the person sees it: the article list, the
article being read (reloaded where the reader was, or another one when it went), the search, the
notes (those of a removed article kept, orphaned). A folder that cannot be read is said once and
never crashes the app.
"""

from __future__ import annotations

import asyncio
import time
import shutil
from pathlib import Path

import pytest
from articles import article_file, small_library
from textual import events
from waiting import until

from glossator.index.library import Library
from glossator.index.notes import NoteStore
from glossator.tui.app import make_app
from glossator.tui.controllers import library as library_part
from glossator.tui.widgets import Reader
from glossator.tui.widgets.notes_list import NotesList

SIZE = (120, 40)


@pytest.fixture
def folder(tmp_path) -> Path:
    return small_library(tmp_path / "library")


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def listed(app) -> list[str]:
    """The titles in the Articles tab, as drawn."""
    options = app.query_one("#articles-list")
    return [
        options.entry_text(i).split("\n")[0].strip("▶ ")
        for i in range(options.option_count)
    ]


async def test_ctrl_r_picks_up_added_changed_and_removed_files(settle, folder):
    library = Library(folder)
    library.update()
    gone = library.article("a2")
    with NoteStore() as store:
        note = store.add(library.key, gone, 1, None, "about the bridge #kept")
    library.close()

    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        assert reader.article.id == "a0"
        await pilot.press("j", "j", "j")
        was = reader.article.sentences[3].text
        await pilot.press("/", *"lighthouse")
        await settle(pilot)
        assert app.main.search_result.total == 0
        await pilot.press("escape")
        assert listed(app) == [f"Article Number {i} Here" for i in range(3)]

        # A new article, the one being read changed above the reader, one with a note removed.
        (folder / "a3.txt").write_text(article_file("The Lighthouse Keeper", "lighthouse"), "utf-8")
        first = "A new opening sentence comes first. Then another one. "
        (folder / "a0.txt").write_text(
            article_file("Article Number 0 Here", "harbour", first=first), "utf-8"
        )
        (folder / "a2.txt").unlink()
        await pilot.press("ctrl+r")
        await settle(pilot)

        assert listed(app) == [
            "Article Number 0 Here",
            "Article Number 1 Here",
            "The Lighthouse Keeper",
        ]
        (told,) = [m for m in messages(app) if m.startswith("Library updated")]
        assert "added “The Lighthouse Keeper”" in told
        assert "changed “Article Number 0 Here”" in told
        assert "removed “Article Number 2 Here”" in told
        # The article being read shows its new text, the reader on the same sentence as before.
        assert reader.article.sentences[0].text == "A new opening sentence comes first."
        assert reader.sentence == 5 and reader.article.sentences[5].text == was
        # The search is run again.
        assert [a[0] for a in app.main.search_result.articles] == ["a3"]
        # The note on the removed article is kept, orphaned, and listed as such.
        with NoteStore() as store:
            (kept,) = store.list(library.key)
        assert kept.id == note.id and kept.orphaned and kept.deleted is None
        assert [n.id for n in app.main.notes] == [note.id]
        await pilot.press("3")
        groups = app.query_one(NotesList).groups()
        assert groups[0][0] == "Orphaned" and [n.id for n in groups[0][1]] == [note.id]

        # ctrl+r with nothing changed says so.
        await pilot.press("escape", "ctrl+r")
        await settle(pilot)
        assert any("up to date" in m for m in messages(app))


async def test_the_article_being_read_disappearing_moves_to_the_next(settle, folder):
    library = Library(folder)
    library.update()
    with NoteStore() as store:
        store.add(library.key, library.article("a1"), 2, None, "on the river")
    library.close()
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("]")
        await settle(pilot)
        assert reader.article.id == "a1"
        (folder / "a1.txt").unlink()
        await pilot.press("ctrl+r")
        await settle(pilot)
        (told,) = [m for m in messages(app) if "no longer in the library" in m]
        assert "“Article Number 1 Here”" in told and "a1.txt" in told
        assert "Its 1 note is kept, orphaned" in told and "Now reading “Article Number 2" in told
        assert reader.article.id == "a2"
        assert listed(app) == ["Article Number 0 Here", "Article Number 2 Here"]

        # The last one goes too: the one before it; then none at all, said plainly.
        (folder / "a2.txt").unlink()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert reader.article.id == "a0"
        (folder / "a0.txt").unlink()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert reader.article is None and "no articles now" in reader.message
        assert listed(app) == []
        # And back again.
        (folder / "b.txt").write_text(article_file("Back Again", "ferry"), "utf-8")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert reader.article is not None and reader.article.title == "Back Again"


async def test_changes_are_picked_up_every_few_seconds_without_a_key(settle, folder, monkeypatch):
    monkeypatch.setattr(library_part, "REFRESH_EVERY", 0.2)
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (folder / "a3.txt").write_text(article_file("Seen Without Asking", "tide"), "utf-8")
        await until(pilot, settle, lambda: "Seen Without Asking" in listed(app))
        # The look at an unchanged folder is quiet: no message, no index update.
        calls = []
        monkeypatch.setattr(Library, "update", lambda *a, **k: calls.append(a))
        told = len(messages(app))
        await asyncio.sleep(0.6)
        await settle(pilot)
        assert calls == [] and len(messages(app)) == told


async def test_the_checks_never_overlap(settle, folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (folder / "a3.txt").write_text(article_file("One Check At A Time", "tide"), "utf-8")
        for why in ("timer", "focus", "key", "timer"):
            app.main.check_library(why)
        running = [w for w in app.workers if w.group == "refresh" and not w.is_finished]
        assert len(running) == 1
        await settle(pilot)
        assert "One Check At A Time" in listed(app)
        # ctrl+r came during that look: a look of its own follows, and answers it.
        assert any("up to date" in m for m in messages(app))


async def test_the_terminal_giving_focus_back_looks_for_changes(settle, folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (folder / "a1.txt").write_text(article_file("River Renamed", "river"), "utf-8")
        app.post_message(events.AppFocus())
        await settle(pilot)
        assert "River Renamed" in listed(app)


async def test_a_library_folder_that_went_is_said_once_and_the_app_goes_on(settle, folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        shutil.rmtree(folder)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        told = [m for m in messages(app) if "could not be checked for changes" in m]
        assert len(told) == 1 and "does not exist" in told[0]
        assert reader.article.id == "a0"  # what was read stays on screen
        await pilot.press("j", "/", *"harbour")
        await settle(pilot)
        assert app.main.search_result.total


async def test_a_file_that_cannot_be_read_is_told_once_and_a_new_one_when_it_comes(settle, folder):
    (folder / "empty.txt").write_text("", "utf-8")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        told = [m for m in messages(app) if m.startswith("Skipped")]
        assert len(told) == 1 and "empty.txt" in told[0]
        (folder / "blank.md").write_text("   \n\n", "utf-8")
        await pilot.press("ctrl+r")
        await settle(pilot)
        told = [m for m in messages(app) if m.startswith("Skipped")]
        assert len(told) == 2 and "blank.md" in told[1] and "empty.txt" not in told[1]
        assert [a.id for a in app.main.articles] == ["a0", "a1", "a2"]


async def test_a_slow_look_at_the_folder_spaces_the_timer_s_looks(settle, folder, monkeypatch):
    """A look that takes long (a big library) is not made again by the timer for LOOK_SPACING
    times as long; ctrl+r looks at once all the same."""
    from glossator.index import library as library_mod

    monkeypatch.setattr(library_part, "REFRESH_EVERY", 0.05)
    real, looks = library_mod.scan, []

    def slow(*args, **kwargs):
        looks.append(time.monotonic())
        time.sleep(0.05)
        return real(*args, **kwargs)

    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(library_mod, "scan", slow)
        await until(pilot, settle, lambda: len(looks) >= 1)
        await asyncio.sleep(0.6)  # twelve ticks of the timer; the next look is 1 s away
        await settle(pilot)
        assert len(looks) == 1
        (folder / "a3.txt").write_text(article_file("Asked For", "tide"), "utf-8")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(looks) >= 2 and "Asked For" in listed(app)  # the update scans again
