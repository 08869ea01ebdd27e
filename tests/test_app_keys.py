"""The app in a person's hands: keys typed ahead all count, in order, across dialogs and article
changes; and the defects found by trying it as a newcomer stay fixed (each test names one)."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Footer

from glossator.index.library import Library
from glossator.index.notes import NoteStore
from glossator.index.themes import UserThemes
from glossator.tui.app import make_app
from glossator.tui.screens import HelpScreen
from glossator.tui.screens.note_editor import NoteEditor
from glossator.tui.screens.note_picker import NotePicker
from glossator.tui.widgets import Reader, ResultsList
from waiting import until

pytestmark = pytest.mark.usefixtures("warm_seed_index")
SIZE = (120, 40)
KEY_NAMES = {
    "?": "question_mark",
    "/": "slash",
    "]": "right_square_bracket",
    "[": "left_square_bracket",
    " ": "space",
    "#": "number_sign",
}


def burst(app, *keys: str) -> None:
    """Keys arriving together, as a fast typist's do from a terminal (no wait between them)."""
    for key in keys:
        char = key if len(key) == 1 else {"escape": None, "enter": "\r", "ctrl+s": None}.get(key)
        app.post_message(events.Key(KEY_NAMES.get(key, key), char))


async def typed_ahead(pilot, settle) -> None:
    for _ in range(50):  # every key handed on, then everything it started
        await pilot.pause(0.05)
        if not pilot.app.keys.pending:
            break
    await settle(pilot)


def notes_of(library_key: str) -> list:
    with NoteStore() as store:
        return store.list(library_key)


async def test_keys_typed_ahead_across_a_dialog_all_count(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        burst(app, "?", "escape", "G")
        await typed_ahead(pilot, settle)
        assert app.screen is app.main and reader.sentence == reader.sentence_count - 1
        burst(app, "?", "j", "escape", "g", "j", "j")  # j in the help scrolls it, not the reader
        await typed_ahead(pilot, settle)
        assert app.screen is app.main and reader.sentence == 2
        burst(app, "?", "escape", "q")
        await typed_ahead(pilot, settle)
    assert app.return_code == 0  # the q after the dialog quit the app


async def test_letters_typed_right_after_a_reach_the_note(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "j", "a", *"typed fast #quick", "ctrl+s", "j")
        await typed_ahead(pilot, settle)
        (note,) = notes_of(app.main.library.key)
        assert note.text == "typed fast #quick" and note.sentence_id == 1
        assert app.screen is app.main and app.query_one(Reader).sentence == 2


async def test_keys_typed_ahead_across_an_article_change_read_on_in_the_new_one(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        first = reader.article.id
        burst(app, "]", "j", "j", "]", "j")
        await typed_ahead(pilot, settle)
        ids = [a.id for a in app.main.articles]
        assert reader.article.id == ids[ids.index(first) + 2] and reader.sentence == 1
        burst(app, "[", "j", "j", "j")
        await typed_ahead(pilot, settle)
        assert reader.article.id == ids[ids.index(first) + 1] and reader.sentence == 3


async def test_2_then_u_in_the_themes_tab_says_nothing_to_bring_back(settle):
    """Was: 'list' object has no attribute 'name' (notes' and themes' undo shared a name)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert any("No deleted theme" in str(n.message) for n in app._notifications)
        assert app.is_running


async def test_undo_of_a_theme_and_of_a_note_are_their_own(settle):
    """Deleting a theme then d/u in the reader, and deleting a note then u in the Themes tab:
    each undo brings back its own kind, and nothing crashes."""
    library = Library(None)
    library.update()
    UserThemes.for_library(library).add("Mine", "artillery", "mine")
    with NoteStore() as store:
        article = library.article(library.articles()[0].id)
        note = store.add(library.key, article, 0, 0, "on the first sentence")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        themes = app.main.sidebar.themes
        row = next(r for i, r in themes._rows.items() if themes.themes[i].name == "Mine")
        themes.options.highlighted = row
        await pilot.press("d")  # the theme
        await settle(pilot)
        assert "Mine" not in [t.name for t in app.main.themes_part.themes]
        await pilot.press("escape", "g", "d")  # the note on the first sentence
        await settle(pilot)
        assert notes_of(library.key) == []
        await pilot.press("2", "u")  # the theme comes back, not the note
        await settle(pilot)
        assert "Mine" in [t.name for t in app.main.themes_part.themes]
        assert notes_of(library.key) == []
        await pilot.press("escape", "u")  # now the note
        await settle(pilot)
        assert [n.id for n in notes_of(library.key)] == [note.id]
        assert app.is_running


async def test_double_click_in_the_reader_then_ctrl_c_copies_the_text(settle):
    """Was: a crash (the reader shadowed Textual's own Widget._render)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.click(Reader, offset=(10, 4), times=2)
        await pilot.pause()
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert app.is_running
        assert reader.article.sentences[0].text[:30] in (app.clipboard or "")


async def test_y_copies_the_selected_run_with_its_citation(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.query_one(Reader)
        await pilot.press("j", "v", "j", "j", "y")
        sentences = reader.article.sentences
        clip = app.clipboard
        assert all(s.text[:20] in clip for s in sentences[1:4])
        assert sentences[4].text[:20] not in clip and "§2–4" in clip


async def test_j_and_k_move_in_the_results(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("/", *"artillery", "enter")
        await settle(pilot)
        results = app.query_one(ResultsList)
        assert app.focused is results.options
        first = results.highlighted_hit
        await pilot.press("j")
        second = results.highlighted_hit
        assert second is not None and second != first
        await pilot.press("k")
        assert results.highlighted_hit == first


async def test_the_footer_shows_the_keys_of_what_has_the_focus(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query(Footer)  # the editor's own footer, over the reader's
        shown = {b.binding.description for b in app.active_bindings.values() if b.binding.show}
        assert "Save the note" in shown and "Next sentence" not in shown


async def test_a_new_search_clears_the_hit_count_of_the_last(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("/", *"artillery", "enter")
        await settle(pilot)
        await pilot.press("enter", "n")
        await settle(pilot)
        assert "hit " in app.main.status.text
        await pilot.press("/", "backspace", "backspace", *"xx")
        await settle(pilot)
        assert "hit " not in app.main.status.text


async def test_did_you_mean_does_not_move_the_layout(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        top = app.main.query_one("#centre").region.y
        await pilot.press("/", *"artilery")
        await settle(pilot)
        assert "Did you mean" in app.main.results.message
        assert app.main.query_one("#centre").region.y == top
        assert app.main.search_bar.region.height == 1


async def test_the_colour_command_is_called_colours(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Colours" in titles and "Theme" not in titles


async def test_a_screenshot_is_saved_even_without_a_downloads_folder(settle, tmp_path, monkeypatch):
    import platformdirs

    from glossator.index.paths import data_dir

    monkeypatch.setattr(platformdirs, "user_downloads_dir", lambda: str(tmp_path / "missing"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        [command] = [c for c in app.get_system_commands(app.screen) if c.title == "Screenshot"]
        command.callback()
        folder = data_dir() / "screenshots"
        await until(pilot, settle, lambda: folder.is_dir() and any(folder.glob("*.svg")))
        [saved] = folder.glob("*.svg")
        assert saved.read_text("utf-8").startswith("<svg") and not (tmp_path / "missing").exists()
        saved_said = lambda: any("Saved screenshot" in str(n.message) for n in app._notifications)  # noqa: E731
        await until(pilot, settle, saved_said)


async def test_several_notes_on_one_sentence_each_can_be_edited_and_deleted(settle):
    library = Library(None)
    library.update()
    with NoteStore() as store:
        article = library.article(library.articles()[0].id)
        first = store.add(library.key, article, 0, 0, "first")
        second = store.add(library.key, article, 0, 1, "second, a run")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NotePicker)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        picked = app.screen.text_area.text
        assert picked in ("first", "second, a run")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        left = notes_of(library.key)
        assert len(left) == 1 and left[0].id in (first.id, second.id)


async def test_q_in_the_notes_tab_quits_rather_than_typing(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "q")
        await settle(pilot)
    assert app.return_code == 0


async def test_help_is_closed_by_the_keys_it_names(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("escape", "q", "question_mark"):
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is app.main
