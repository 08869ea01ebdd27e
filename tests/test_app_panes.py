"""The reading app around the reader: sidebar tabs, focus, help, palette, themes, quitting,
remembering where the reader was, and errors shown as messages instead of tracebacks."""

from __future__ import annotations

import json

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from glossator.index import paths
from glossator.tui.app import make_app, run_app
from glossator.tui.screens import HelpScreen
from glossator.tui.screens.help import live_bindings
from glossator.tui.state import STATE_FILE
from glossator.tui.widgets import Reader, ResultsList, SearchBar, Sidebar
from glossator.tui.widgets.article_list import ArticleList

pytestmark = pytest.mark.usefixtures("warm_seed_index")

SIZE = (120, 40)


async def test_tab_keys_show_their_tab_and_escape_returns(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sidebar = app.query_one(Sidebar)
        reader = app.query_one(Reader)
        for key, tab in (("1", "articles"), ("2", "themes"), ("3", "notes")):
            await pilot.press(key)
            assert sidebar.active_tab == tab
            # Every tab puts the focus in its list, so q still quits and j/k move in it ...
            assert app.focused is app.query_one(f"#{tab}-list")
            if tab != "themes":  # ... and / goes to the tab's filter, where typing filters
                await pilot.press("/")
                assert app.focused is app.query_one(f"#{tab}-filter")
            await pilot.press("escape")
            assert app.focused is reader
        await pilot.press("3")
        notes = app.query_one("#notes").query_one(".panel-note")
        assert "notes" in str(notes.content).lower()
        await pilot.press("escape", "tab")
        assert app.focused is not reader
        await pilot.press("shift+tab")
        assert app.focused is reader


async def test_articles_tab_lists_and_opens_articles(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sidebar = app.query_one(Sidebar)
        options = app.query_one("#articles-list", ArticleList)
        assert options.option_count == 5
        first = options.entry_text(0)
        assert first.startswith("▶ ") and "27 sentences" in first
        third = options.entry_text(2)
        assert "Rakindu Perera" in third and not third.startswith("▶")
        await pilot.press("1", "down", "down", "enter")
        await settle(pilot)
        reader = app.query_one(Reader)
        assert reader.article.id == sidebar.articles[2].id
        assert app.focused is reader
        assert options.entry_text(2).startswith("▶ ")
        assert not options.entry_text(0).startswith("▶")


async def test_ctrl_b_hides_and_shows_the_sidebar(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sidebar = app.query_one(Sidebar)
        assert sidebar.display
        await pilot.press("1", "ctrl+b")
        assert not sidebar.display
        assert app.focused is app.query_one(Reader)  # the focus left with the sidebar
        await pilot.press("ctrl+b")
        assert sidebar.display


async def test_narrow_terminals_collapse_the_sidebar(settle):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sidebar = app.query_one(Sidebar)
        assert not sidebar.display
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert sidebar.display  # widened: it comes back
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert not sidebar.display
        await pilot.press("1")
        assert sidebar.display and sidebar.active_tab == "articles"


def our_bindings(app) -> list:
    main = app.main
    nodes = [main.reader, main.search_bar, main.results, main, app]
    return [b for node in nodes for b in live_bindings(node) if b.id and b.description]


async def test_help_lists_every_key_from_the_live_bindings(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text
        bindings = our_bindings(app)
        assert len(bindings) > 30
        for binding in bindings:
            assert binding.description in text, binding
            assert app.get_key_display(binding) in text, binding
        for word in ("annotate", "Select sentences", "Edit the note", "Delete the note"):
            assert word.lower() in text.lower()
        for key in (
            "j",
            "k",
            "}",
            "{",
            "space",
            "b",
            "g",
            "G",
            "]",
            "[",
            "n",
            "N",
            "y",
            "o",
            "a",
            "v",
            "e",
            "d",
            "/",
            "?",
            "q",
            "ctrl+q",
            "ctrl+p",
            "ctrl+b",
            "tab",
        ):
            assert any(b.key == key or app.get_key_display(b) == key for b in bindings), key
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark", "question_mark")
        assert not isinstance(app.screen, HelpScreen)
        # The help shows the keys as they are, not as they were written.
        app.set_keymap({"reader.copy": "c"})
        await pilot.press("question_mark")
        rows = [line for line in app.screen.text.splitlines() if "citation" in line]
        assert rows and rows[0].split()[0] == "c"


async def test_q_quits_but_not_while_typing(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("/", "q")
        assert app.is_running
        assert app.query_one(SearchBar).value == "q"
        await pilot.press("escape", "q")
    assert app.return_code == 0


async def test_ctrl_q_quits_even_while_typing(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("/", "x", "ctrl+q")
    assert app.return_code == 0
    assert not app.is_running


async def test_palette_opens_articles_and_switches_a_persistent_theme(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert CommandPalette.is_open(app)
        await pilot.press(*"Unleashing")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not CommandPalette.is_open(app)
        assert app.query_one(Reader).article.title.startswith("Unleashing")
        # Colour themes through the palette; the choice is kept.
        assert app.theme != "nord"
        await pilot.press("ctrl+p", *"colours: nord")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "nord"
        await pilot.press("q")
    saved = json.loads((paths.data_dir() / STATE_FILE).read_text("utf-8"))
    assert saved["theme"] == "nord"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "nord"


async def test_last_position_is_reopened(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("]")
        await settle(pilot)
        await pilot.press("j", "j", "j")
        place = (app.query_one(Reader).article.id, app.query_one(Reader).sentence)
        await pilot.press("q")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        assert (reader.article.id, reader.sentence) == place
        assert app.focused is reader


async def test_a_broken_state_file_falls_back_to_defaults(settle):
    paths.data_dir().mkdir(parents=True)
    (paths.data_dir() / STATE_FILE).write_text(
        '{"theme": 3, "history": "x", "positions": [', "utf-8"
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.query_one(Reader).sentence == 0
        assert app.query_one(SearchBar).history == []
        await pilot.press("q")
    data = json.loads((paths.data_dir() / STATE_FILE).read_text("utf-8"))
    assert data["version"] == 1  # rewritten whole


async def test_missing_library_folder_is_a_message_not_a_traceback(settle, tmp_path):
    app = make_app(tmp_path / "nowhere")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.is_running
        status = app.main.status.text
        assert "could not be opened" in status and "does not exist" in status
        assert any("does not exist" in n.message for n in app._notifications)
        assert "does not exist" in " ".join(app.query_one(Reader).plain_lines)
        await pilot.press("/", *"x")
        assert "could not be opened" in app.query_one(ResultsList).header
        await pilot.press("escape", "q")
    assert app.return_code == 0


def test_run_app_refuses_a_missing_folder(tmp_path, capsys):
    assert run_app(tmp_path / "nowhere") == 2
    assert "is not a folder" in capsys.readouterr().err


async def test_a_failing_worker_is_reported_and_the_app_goes_on(settle, monkeypatch):
    import glossator.index.library

    def broken(self, article_id):
        raise RuntimeError("disk on fire")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(glossator.index.library.Library, "article", broken)
        await pilot.press("]")
        await settle(pilot)
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert any("could not be loaded: disk on fire" in m for m in messages)
        await pilot.press("j")
        assert app.query_one(Reader).sentence == 1


async def test_index_unavailable_during_update(settle, monkeypatch):
    import glossator.index.library

    def locked(self, progress=None, rebuild=False, wait=None):
        raise glossator.index.library.IndexUnavailable(
            "another Glossator process is updating this index"
        )

    monkeypatch.setattr(glossator.index.library.Library, "update", locked)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "another Glossator process" in app.main.status.text
        assert app.query_one(Reader).article is None


@pytest.mark.parametrize("width", [80, 200])
async def test_every_width_lays_out(settle, width):
    app = make_app()
    height = 24 if width == 80 else 60
    async with app.run_test(size=(width, height)) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        content = reader.scrollable_content_region.width
        assert all(len(line) <= content for line in reader.plain_lines)
        await pilot.press("/", *"shells")
        await settle(pilot)
        assert app.query_one(ResultsList).result.total > 0
        assert isinstance(app.focused, Input)


END_WITHOUT_TERMINAL = """
import sys, threading, time
from pathlib import Path
from glossator.tui.app import _end_without_terminal

def spin():  # as Textual's input thread on a closed terminal: select says readable, read gives b""
    while True:
        time.sleep(0.001)

def save():
    time.sleep(0.5)
    Path(sys.argv[1]).write_text("saved")

threading.Thread(target=spin, name="textual-input").start()
threading.Thread(target=save, name="a-save").start()
_end_without_terminal(7, patience=5.0)
"""


def test_a_process_whose_terminal_is_gone_ends_and_lets_a_save_finish(tmp_path):
    """The app done, its terminal closed: the process ends with the app's status even though
    an input thread would spin for ever, after a thread still saving has finished."""
    import subprocess
    import sys
    import time

    marker = tmp_path / "saved"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", END_WITHOUT_TERMINAL, str(marker)], timeout=30, check=False
    )
    assert done.returncode == 7
    assert marker.read_text() == "saved"
    assert time.monotonic() - started < 20


def test_run_app_ends_the_process_when_the_terminal_went_while_quitting(monkeypatch):
    import glossator.tui.app as app_module

    class Done:
        return_code = 0

        def run(self):
            return 3

    ended = []
    monkeypatch.setattr(app_module, "make_app", lambda folder: Done())
    monkeypatch.setattr(app_module, "_terminal_alive", lambda: False)
    monkeypatch.setattr(app_module, "_end_without_terminal", ended.append)
    monkeypatch.setattr("glossator.tui.terminal_input.install", lambda: None)
    assert app_module.run_app() == 3
    assert ended == [3]
    monkeypatch.setattr(app_module, "_terminal_alive", lambda: True)
    assert app_module.run_app() == 3
    assert ended == [3]  # with a terminal, the process ends as usual


WATCH_THE_END = """
import queue
from glossator.tui.app import _watch_the_end

_watch_the_end(9, patience=0.3)
full = queue.Queue(1)
full.put("a write")
full.put(None)  # as Textual's shutdown handing its writer thread the last write, for ever
"""


def test_a_quit_whose_shutdown_hangs_with_the_terminal_gone_still_ends(tmp_path):
    """Quitting, the terminal closed: a shutdown stuck for ever (seen: the main thread waiting
    to hand Textual's writer thread its last write, an orphan left asleep for good) is ended
    with the app's status once the patience is up."""
    import subprocess
    import sys
    import time

    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", WATCH_THE_END], stdin=subprocess.PIPE, timeout=30, check=False
    )
    assert done.returncode == 9
    assert time.monotonic() - started < 10
